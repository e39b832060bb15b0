"""A CSV gradebook: one row per submission, one column per module, then total and max.

Columns: ``submission``, the modules in the catalogue's teaching order (then any
module the catalogue does not know, in the order first seen), ``total``, ``max``. A
module a submission was not graded on is an empty cell. Rows keep the report's order.

RFC 4180 quoting: a header row, fields quoted where needed (commas, quotes). Lines
end in ``\n``: the CLI writes text files, which turns that into the platform's line
end; spreadsheet programs read either. Text cells that a spreadsheet would run as a
formula (starting with ``=``, ``+``, ``-``, ``@``, tab or carriage return) get a
leading ``'``, as OWASP advises against CSV injection.
"""

from __future__ import annotations

import csv
import io

from ._common import clean, exercises_of, fmt, module_order, submissions

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def defuse(text: str) -> str:
    """``text`` as a spreadsheet shows it, never runs it."""
    return "'" + text if text.startswith(_FORMULA_START) else text


def columns(report: dict) -> list[str]:
    """The module columns of the gradebook, in their stable order."""
    names = [str(ex.get("module", "")) for sub in submissions(report) for ex in exercises_of(sub)]
    return module_order(names)


def render(report: dict) -> str:
    subs = submissions(report)
    modules = columns(report)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow(["submission", *(defuse(m) for m in modules), "total", "max"])
    for sub in subs:
        scores = {str(ex.get("module", "")): ex.get("score", 0) for ex in exercises_of(sub)}
        name = clean(sub.get("submission", ""), 1_000).replace("\n", " ")
        writer.writerow(
            [
                defuse(name),
                *(fmt(scores[m]) if m in scores else "" for m in modules),
                fmt(sub.get("score", 0)),
                fmt(sub.get("max_score", 0)),
            ]
        )
    return out.getvalue()
