"""``python -m grader report GRADES.json``: a saved JSON report as the cohort's HTML
page (``--html OUT``, :mod:`grader.formats.html`) or as a text summary.

The command only; the numbers are :mod:`grader.grading.cohort`'s.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .cohort import load


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="python -m grader report",
        description="Read a saved JSON report: the cohort as one HTML file, or as text.",
    )
    p.add_argument("report", type=Path, metavar="GRADES.json")
    p.add_argument(
        "--html",
        type=Path,
        metavar="OUT",
        help="write the cohort report as one self-contained HTML file (default: a text "
        "summary on stdout)",
    )
    return p


def main(argv: list[str]) -> int:
    from ..errors import GraderError
    from .report import cohort, format_cohort

    args = parser().parse_args(argv)
    report = load(args.report)
    if args.html is None:
        sys.stdout.write(format_cohort(cohort(report)) + "\n")
        return 0
    from ..formats import html

    try:
        args.html.parent.mkdir(parents=True, exist_ok=True)
        args.html.write_text(html.render(report), encoding="utf-8")
    except OSError as exc:
        raise GraderError(f"cannot write {args.html} ({exc.strerror or exc})") from None
    print(f"wrote {args.html}", file=sys.stderr)
    return 0
