"""The terminal table: per submission, one row per module, its failing tests, the total.

``render_table(report, color=False)`` is plain text (what ``--format table`` writes to
a file or a pipe); ``color=True`` adds ANSI colours for a terminal. (The cohort summary of
several submissions is the CLI's.) Messages are cut to one line and cleaned of escape
sequences and control characters, so a learner's message cannot redraw the
instructor's terminal.
"""

from __future__ import annotations

from collections.abc import Mapping

from ..protocol import ExerciseStatus, TestStatus
from ._common import (
    HIDDEN,
    clip,
    exercises_of,
    fmt,
    submissions,
    tests_of,
)

MESSAGE_WIDTH = 90
TESTS_SHOWN = 3

_COLOURS = {
    ExerciseStatus.PASSED: "32",  # green
    ExerciseStatus.FAILED: "31",  # red
    ExerciseStatus.ERROR: "35",  # magenta
    ExerciseStatus.TIMEOUT: "33",  # yellow
    ExerciseStatus.CRASHED: "35",
    ExerciseStatus.MISSING: "2",  # dim
    ExerciseStatus.REJECTED: "31",
    TestStatus.SKIPPED: "2",
    "bold": "1",
}


def _paint(text: str, key: str, color: bool) -> str:
    code = _COLOURS.get(key)
    return f"\x1b[{code}m{text}\x1b[0m" if color and code else text


def _score(score, max_score) -> str:
    return f"{fmt(score)} / {fmt(max_score)}"


def _submission(sub: Mapping, color: bool) -> list[str]:
    name = clip(sub.get("submission", ""), 200)
    exercises = exercises_of(sub)
    lines = [_paint(f"submission {name}", "bold", color) + f"  ({fmt(sub.get('duration_s', 0))} s)"]
    modules = [clip(e.get("module", ""), 40) for e in exercises]
    width = max([len("module"), len("total")] + [len(m) for m in modules])
    scores = [_score(e.get("score", 0), e.get("max_score", 0)) for e in exercises]
    total = _score(sub.get("score", 0), sub.get("max_score", 0))
    swidth = max([len("score"), len(total)] + [len(s) for s in scores])
    lines.append(f"  {'module':<{width}}  {'score':>{swidth}}  {'status':<8}  message")
    for ex, module, score in zip(exercises, modules, scores, strict=True):
        status = clip(ex.get("status", ""), 12)
        message = clip(ex.get("message", ""), MESSAGE_WIDTH)
        row = f"  {module:<{width}}  {score:>{swidth}}  " + _paint(status, status, color)
        if message:
            row += " " * (8 - len(status)) + f"  {message}"
        lines.append(row)
        not_failing = (TestStatus.PASSED, TestStatus.SKIPPED)
        failing = [t for t in tests_of(ex) if t.get("status") not in not_failing]
        for t in failing[:TESTS_SHOWN]:
            tag = " [hidden]" if t.get("visibility") in HIDDEN else ""
            text = clip(t.get("message", ""), MESSAGE_WIDTH)
            lines.append(
                f"      - {clip(t.get('name', ''), 80)}{tag} "
                + _paint(clip(t.get("status", ""), 12), str(t.get("status", "")), color)
                + (f": {text}" if text else "")
            )
        if len(failing) > TESTS_SHOWN:
            lines.append(f"      ... and {len(failing) - TESTS_SHOWN} more failing tests")
    lines.append(f"  {'total':<{width}}  " + _paint(f"{total:>{swidth}}", "bold", color))
    return lines


def _footer(report: dict) -> str:
    grader = report.get("grader")
    if not isinstance(grader, Mapping):
        return ""
    labels = (
        ("version", "grader {}"),
        ("torch", "torch {}"),
        ("hypothesis_profile", "profile {}"),
        ("seed", "seed {}"),
        ("hidden_tests", "{} hidden tests"),
    )
    parts = [label.format(clip(grader[k], 60)) for k, label in labels if k in grader]
    return " | ".join(parts)


def render_table(report: dict, color: bool = False) -> str:
    subs = submissions(report)
    blocks = [_submission(sub, color) for sub in subs]
    if not subs:
        blocks.append(["no submissions"])
    footer = _footer(report)
    if footer:
        blocks.append([footer])
    return "\n\n".join("\n".join(b) for b in blocks) + "\n"


def render(report: dict) -> str:
    return render_table(report, color=False)
