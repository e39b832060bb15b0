"""Row 28: an int subclass that equals every int except the value a checker would
probe it with, returned by a wrong implementation."""


class Sly(int):
    def __eq__(self, other):
        return other != 424242  # anything but the checker's probe

    def __ne__(self, other):
        return not self.__eq__(other)

    __hash__ = int.__hash__


def count():
    return Sly(4)  # wrong: 4, not 3
