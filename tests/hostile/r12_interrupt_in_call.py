"""Row 12: KeyboardInterrupt raised from learner code inside a test."""


def act():
    raise KeyboardInterrupt
