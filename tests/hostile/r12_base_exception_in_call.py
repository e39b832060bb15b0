"""Row 12: a BaseException subclass (no Exception) raised from learner code."""


class Escape(BaseException):
    pass


def act():
    raise Escape("out of here")
