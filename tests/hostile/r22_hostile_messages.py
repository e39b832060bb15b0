"""Row 22: ANSI escapes, HTML and a 10 MB string in an exception message."""


def act():
    raise ValueError(
        "\x1b[2J\x1b[31mred alert\x1b]0;title\x07 <script>alert('x')</script> &amp; \u202e"
        + "x" * (10 * 1024 * 1024)
    )
