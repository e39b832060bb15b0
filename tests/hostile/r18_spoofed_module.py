"""Row 18: an always-equal object whose class says it is another module's."""


class Anything:
    __module__ = "collections"  # not the module under test, as far as its name goes

    def __eq__(self, other):
        return True

    __hash__ = object.__hash__


def count():
    return Anything()
