"""Row 18: objects whose __eq__ is always true, returned by a wrong implementation."""


class Anything:
    def __eq__(self, other):
        return True

    __hash__ = object.__hash__


def count():
    return Anything()
