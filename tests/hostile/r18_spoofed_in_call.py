"""Row 18: an always-equal int subclass made during a test, named as torch's."""


def count():
    class Three(int):  # neither a direct subclass of object nor in the namespace
        __module__ = "torch"

        def __eq__(self, other):
            return True

        __hash__ = int.__hash__

    return Three(3)
