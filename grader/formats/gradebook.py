"""A CSV gradebook: one row per submission, one column per module.

Three layouts (``render(report, layout=...)``):

* ``plain`` (the default): ``submission``, the modules in the catalogue's teaching
  order (then any module the catalogue does not know, in the order first seen),
  ``total``, ``max``. With a roster, the roster's columns follow ``submission``.
* ``canvas``: what Canvas's gradebook import reads: ``Student``, ``ID``, ``SIS User
  ID``, ``SIS Login ID``, ``Section``, then one column per module and nothing else
  (Canvas makes every further column an assignment), and a ``Points Possible`` row
  under the header with each module's maximum.
* ``moodle``: for Moodle's CSV grade import, which maps users by a column the
  instructor picks (username, email address or ID number): ``Username``, ``Email
  address``, ``ID number``, ``Full name``, then one column per module.

A module a submission was not graded on is an empty cell. Rows keep the report's
order; students of the roster without a submission follow, their grades empty.

A roster (:func:`read_roster`) maps submission names to students. Its columns, by
header (case, spaces and underscores do not matter; other columns are ignored):
``submission`` (required: the name the report gives the submission), ``name``,
``id`` (the learning platform's own user id), ``sis_id`` (the institution's student
number), ``login`` (the sign-in name), ``email``, ``section``. The platforms' own
headers are understood too (``Student``, ``SIS User ID``, ``SIS Login ID``,
``Username``, ``Email address``, ``ID number``...). Without a roster, or for a
submission the roster lacks, the submission's name stands in for the student's name
(Canvas) and username (Moodle).

RFC 4180 quoting: a header row, fields quoted where needed (commas, quotes). Lines
end in ``\\n``: the CLI writes text files, which turns that into the platform's line
end; spreadsheet programs read either. Text cells that a spreadsheet would run as a
formula (starting with ``=``, ``+``, ``-``, ``@``, tab or carriage return) get a
leading ``'``, as OWASP advises against CSV injection. With ``bom`` the text starts
with a byte order mark, so that Excel reads it as UTF-8 (names in Chinese).
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from ._common import clean, exercises_of, fmt, module_order, submissions

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")

LAYOUTS = ("plain", "canvas", "moodle")
BOM = "\ufeff"

# A roster's fields, in the order the plain layout shows them, and the headers read as each.
ROSTER_FIELDS = ("name", "id", "sis_id", "login", "email", "section")
_ALIASES = {
    "submission": ("submission",),
    "name": ("name", "student", "full_name", "student_name"),
    "id": ("id", "user_id", "lms_id", "canvas_id"),
    "sis_id": ("sis_id", "sis_user_id", "student_id", "student_number", "id_number", "idnumber"),
    "login": ("login", "sis_login_id", "username", "user_name", "login_id"),
    "email": ("email", "email_address", "e_mail", "mail"),
    "section": ("section", "group"),
}
_FIELD_OF = {alias: f for f, aliases in _ALIASES.items() for alias in aliases}

CANVAS_COLUMNS = ("Student", "ID", "SIS User ID", "SIS Login ID", "Section")
_CANVAS_FIELDS = ("name", "id", "sis_id", "login", "section")
MOODLE_COLUMNS = ("Username", "Email address", "ID number", "Full name")
_MOODLE_FIELDS = ("login", "email", "sis_id", "name")


def defuse(text: str) -> str:
    """``text`` as a spreadsheet shows it, never runs it."""
    return "'" + text if text.startswith(_FORMULA_START) else text


def _cell(text: object) -> str:
    return defuse(clean(text, 1_000).replace("\n", " "))


@dataclass
class Roster:
    """Students by submission name; ``fields``: the roster fields the file has."""

    students: dict[str, dict[str, str]] = field(default_factory=dict)
    fields: tuple[str, ...] = ()


def _header_key(text: str) -> str:
    return re.sub(r"[^0-9a-z]+", "_", text.strip().lower()).strip("_")


def read_roster(text: str, source: str = "the roster") -> Roster:
    """The roster in CSV ``text``; ``ValueError`` (one sentence) when it cannot be used."""
    text = text.removeprefix(BOM)
    rows = list(csv.reader(io.StringIO(text, newline="")))
    while rows and not any(cell.strip() for cell in rows[0]):
        rows.pop(0)
    if not rows:
        raise ValueError(f"{source} is empty: it needs a header row with a submission column")
    columns: dict[str, int] = {}
    for index, header in enumerate(rows[0]):
        name = _FIELD_OF.get(_header_key(header))
        if name is not None and name not in columns:
            columns[name] = index
    if "submission" not in columns:
        raise ValueError(
            f"{source} has no submission column (its header row is "
            f"{', '.join(repr(h) for h in rows[0][:8])})"
        )
    roster = Roster(fields=tuple(f for f in ROSTER_FIELDS if f in columns))
    for number, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue

        def get(name: str, row=row) -> str:
            index = columns.get(name)
            return row[index].strip() if index is not None and index < len(row) else ""

        key = get("submission")
        if not key:
            raise ValueError(f"{source}, line {number}: no submission name")
        if key in roster.students:
            raise ValueError(f"{source}, line {number}: submission {key!r} is listed twice")
        roster.students[key] = {f: get(f) for f in roster.fields}
    return roster


def columns(report: dict) -> list[str]:
    """The module columns of the gradebook, in their stable order."""
    names = [str(ex.get("module", "")) for sub in submissions(report) for ex in exercises_of(sub)]
    return module_order(names)


def unmatched(report: dict, roster: Roster) -> list[str]:
    """Submissions of the report that the roster does not list."""
    return [
        str(sub.get("submission", ""))
        for sub in submissions(report)
        if str(sub.get("submission", "")) not in roster.students
    ]


def _rows(report: dict, roster: Roster | None):
    """``(submission name, student fields, submission or None)`` for every row."""
    graded = set()
    for sub in submissions(report):
        name = str(sub.get("submission", ""))
        graded.add(name)
        student = roster.students.get(name) if roster else None
        yield name, student, sub
    if roster:
        for name, student in roster.students.items():
            if name not in graded:
                yield name, student, None


def _scores(sub: Mapping | None, modules: list[str]) -> list[str]:
    if sub is None:
        return ["" for _ in modules]
    scores = {str(ex.get("module", "")): ex.get("score", 0) for ex in exercises_of(sub)}
    return [fmt(scores[m]) if m in scores else "" for m in modules]


def _maxima(report: dict, modules: list[str]) -> list[str]:
    best: dict[str, float] = {}
    for sub in submissions(report):
        for ex in exercises_of(sub):
            m = str(ex.get("module", ""))
            try:
                best[m] = max(best.get(m, 0.0), float(ex.get("max_score", 0) or 0))
            except (TypeError, ValueError):
                continue
    return [fmt(best.get(m, 0)) for m in modules]


def render(
    report: dict, roster: Roster | None = None, layout: str = "plain", bom: bool = False
) -> str:
    if layout not in LAYOUTS:
        raise ValueError(f"unknown CSV layout {layout!r}; choose one of: {', '.join(LAYOUTS)}")
    modules = columns(report)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
    module_headers = [defuse(m) for m in modules]
    if layout == "canvas":
        writer.writerow([*CANVAS_COLUMNS, *module_headers])
        writer.writerow(
            ["Points Possible", *[""] * (len(CANVAS_COLUMNS) - 1), *_maxima(report, modules)]
        )
        for name, student, sub in _rows(report, roster):
            ident = dict(student or {})
            ident["name"] = ident.get("name") or name
            writer.writerow(
                [*(_cell(ident.get(f, "")) for f in _CANVAS_FIELDS), *_scores(sub, modules)]
            )
    elif layout == "moodle":
        writer.writerow([*MOODLE_COLUMNS, *module_headers])
        for name, student, sub in _rows(report, roster):
            ident = dict(student or {})
            ident["login"] = ident.get("login") or name
            writer.writerow(
                [*(_cell(ident.get(f, "")) for f in _MOODLE_FIELDS), *_scores(sub, modules)]
            )
    else:
        extra = roster.fields if roster else ()
        writer.writerow(["submission", *extra, *module_headers, "total", "max"])
        for name, student, sub in _rows(report, roster):
            total = [fmt(sub.get("score", 0)), fmt(sub.get("max_score", 0))] if sub else ["", ""]
            writer.writerow(
                [
                    _cell(name),
                    *(_cell((student or {}).get(f, "")) for f in extra),
                    *_scores(sub, modules),
                    *total,
                ]
            )
    text = out.getvalue()
    return BOM + text if bom else text
