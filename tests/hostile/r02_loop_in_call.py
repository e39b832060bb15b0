"""Row 2: an infinite loop in the code a test calls (as in a forward)."""


def act():
    while True:
        pass
