"""What a worker and the grading parent agree on, without pytest.

The parent (grader/runner.py, grader/report.py) needs these before it starts the fork
server; taking them from grader/report_plugin.py would import pytest first (80 ms on
the way to the first worker).
"""

from __future__ import annotations

import re

VISIBILITIES = ("visible", "hidden", "after_due_date")
MESSAGE_LIMIT = 2000
EXIT_HUNG = 75  # a worker's exit status when the module under test hung on import

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def clean(text: object, limit: int = MESSAGE_LIMIT) -> str:
    """Printable text: control characters (ANSI escapes included) written out, truncated.

    A 10 MB message costs no more than a short one: it is cut before it is cleaned.
    """
    try:
        text = str.__str__(text) if isinstance(text, str) else str(text)
    except Exception:  # an object whose __str__ fails
        text = "(a message that could not be turned into text)"
    cut = len(text) > 4 * limit
    if cut:
        text = text[: 4 * limit]
    text = _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", text)
    if cut or len(text) > limit:
        text = text[: limit - 16] + " ... (truncated)"
    return text
