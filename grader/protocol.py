"""What a worker and the grading parent agree on, without pytest.

The parent (grader/runner.py, grader/report.py) needs these before it starts the fork
server; taking them from grader/report_plugin.py would import pytest first (80 ms on
the way to the first worker).
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

VISIBILITIES = ("visible", "hidden", "after_due_date")
MESSAGE_LIMIT = 2000
EXIT_HUNG = 75  # a worker's exit status when the module under test hung on import


def read_spec(argv: list[str], program: str) -> dict | None:
    """A worker's spec file (``python -I -m PROGRAM SPEC.json``), read, then deleted:
    the code under test has no business reading it. None (and a usage line) if the
    command line is not one spec file."""
    if len(argv) != 1:
        print(f"usage: python -I -m {program} SPEC.json", file=sys.stderr)
        return None
    path = Path(argv[0])
    spec = json.loads(path.read_text())
    path.unlink()
    return spec


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


# The test runner's exit statuses when its probe worker (grader/probe_worker.py) cannot
# go on: it died during a probe (the runner then names the worker's own exit), or it
# is still busy with a probe that ran out of time (a fresh pair takes the next tests).
EXIT_PROBE_LOST = 76
EXIT_PROBE_BUSY = 77
