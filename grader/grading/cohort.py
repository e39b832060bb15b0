"""What a cohort did, from a grader report: the numbers behind the HTML cohort report.

:func:`summary` reads a report of the fixed shape (grader/grading/report.py) and returns plain
data: the score distribution, each exercise's and each test's pass rate, the mistakes
most learners made (the diagnoses the kit's plugin puts at the top of a failure's
message, ``diagnosis: ...``), and one row per learner with their failures. The HTML
report (:mod:`grader.formats.html`) shows it and embeds it as JSON.

``python -m grader report`` (grader/grading/cohort_report.py) writes that page from a saved
JSON report.
"""

from __future__ import annotations

import json
import re
import statistics
from collections.abc import Mapping
from pathlib import Path

from ..formats._common import clean, clip, exercises_of, module_order, num, submissions, tests_of
from ..i18n import MESSAGES
from ..protocol import TestStatus

BINS = 10  # the histogram's bins: 0-10 %, 10-20 %, ..., 90-100 % of the maximum score
FAILED = (TestStatus.FAILED, TestStatus.ERROR, TestStatus.TIMEOUT)  # a failure's statuses
# The plugin writes "diagnosis: <sentence>" (in Chinese "诊断: ...") as a failure's first line.
_DIAGNOSIS = re.compile(
    r"^(?:" + "|".join(map(re.escape, MESSAGES["diagnosis"].values())) + r")\s*[:：]\s*(.+)"
)
_NOT_WRITTEN = tuple(
    text.split("{", 1)[0] for text in MESSAGES["not_written"].values()
)  # "not written yet: "
MESSAGE_WIDTH = 200


def diagnosis_of(message: str) -> str | None:
    """The diagnosis a failure's message starts with, if any."""
    first = clean(message, limit=2000).lstrip().split("\n", 1)[0]
    match = _DIAGNOSIS.match(first)
    return match.group(1).strip() if match else None


def base_name(test: str) -> str:
    """A test's function name: ``test_x[a-b]`` -> ``test_x``."""
    return test.split("[", 1)[0]


def _pct(score: float, max_score: float) -> float:
    return 100.0 * score / max_score if max_score > 0 else 0.0


def histogram(percents: list[float], bins: int = BINS) -> list[dict]:
    """Counts of ``percents`` (0 to 100) in ``bins`` equal bins; the last one holds 100."""
    width = 100 / bins
    counts = [0] * bins
    for p in percents:
        counts[min(bins - 1, max(0, int(p // width)))] += 1
    return [
        {"from": num(i * width), "to": num((i + 1) * width), "count": c}
        for i, c in enumerate(counts)
    ]


def summary(report: Mapping) -> dict:
    """The cohort's numbers (see the module's docstring); every value JSON-ready."""
    subs = submissions(report)
    n = len(subs)
    scores = [num(s.get("score", 0)) for s in subs]
    max_score = max((num(s.get("max_score", 0)) for s in subs), default=0)
    order = module_order([ex.get("module", "") for s in subs for ex in exercises_of(s)])

    modules: dict[str, dict] = {
        m: {"module": m, "total": 0.0, "max_score": 0, "passed": 0, "graded": 0} for m in order
    }
    tests: dict[tuple[str, str], dict] = {}
    diagnoses: dict[tuple[str, str], dict] = {}
    learners = []
    for sub in subs:
        name = str(sub.get("submission", ""))
        failures = []
        for ex in exercises_of(sub):
            m = ex.get("module", "")
            row = modules[m]
            row["total"] += num(ex.get("score", 0))
            row["max_score"] = max(row["max_score"], num(ex.get("max_score", 0)))
            row["passed"] += ex.get("status") == "passed"
            row["graded"] += 1
            failed_here = []
            for t in tests_of(ex):
                status = t.get("status")
                if status == "skipped" and num(t.get("max_score", 0)) == 0:
                    continue  # worth nothing where it was skipped (no GPU): not counted
                counts = tests.setdefault(
                    (m, t.get("name", "")),
                    {"module": m, "name": t.get("name", ""), "passed": 0, "of": 0},
                )
                counts["passed"] += status == "passed"
                counts["of"] += 1
                if status == "passed":
                    continue
                message = str(t.get("message", ""))
                found = diagnosis_of(message) if status in FAILED else None
                if found:
                    entry = diagnoses.setdefault(
                        (m, found),
                        {"module": m, "diagnosis": found, "tests": [], "learners": set()},
                    )
                    entry["learners"].add(name)
                    test = base_name(t.get("name", ""))
                    if test not in entry["tests"]:
                        entry["tests"].append(test)
                failed_here.append(
                    {
                        "test": t.get("name", ""),
                        "status": status,
                        "diagnosis": found,
                        "message": clip(message, MESSAGE_WIDTH),
                    }
                )
            if failed_here or ex.get("status") != "passed":
                failures.append(
                    {
                        "module": m,
                        "status": ex.get("status"),
                        "score": num(ex.get("score", 0)),
                        "max_score": num(ex.get("max_score", 0)),
                        "message": clip(ex.get("message", ""), MESSAGE_WIDTH),
                        "not_written": bool(failed_here)
                        and all(f["message"].startswith(_NOT_WRITTEN) for f in failed_here),
                        "tests": failed_here,
                    }
                )
        learners.append(
            {
                "submission": name,
                "score": num(sub.get("score", 0)),
                "max_score": num(sub.get("max_score", 0)),
                "percent": round(_pct(num(sub.get("score", 0)), num(sub.get("max_score", 0))), 1),
                "modules": {
                    ex.get("module", ""): [num(ex.get("score", 0)), num(ex.get("max_score", 0))]
                    for ex in exercises_of(sub)
                },
                "failed_tests": sum(len(f["tests"]) for f in failures),
                "failures": failures,
            }
        )
    percents = [_pct(num(s.get("score", 0)), num(s.get("max_score", 0))) for s in subs]
    return {
        "submissions": n,
        "max_score": max_score,
        "mean": num(round(statistics.fmean(scores), 4)) if n else 0,
        "median": num(statistics.median(scores)) if n else 0,
        "histogram": histogram(percents),
        "modules": [
            {
                "module": r["module"],
                "mean": num(round(r["total"] / r["graded"], 4)) if r["graded"] else 0,
                "max_score": r["max_score"],
                "passed": r["passed"],
                "of": r["graded"],
                "rate": round(r["passed"] / r["graded"], 4) if r["graded"] else 0,
            }
            for r in modules.values()
        ],
        "tests": [
            {**c, "rate": round(c["passed"] / c["of"], 4) if c["of"] else 0} for c in tests.values()
        ],
        "diagnoses": sorted(
            (
                {
                    "module": d["module"],
                    "diagnosis": d["diagnosis"],
                    "tests": d["tests"],
                    "learners": len(d["learners"]),
                }
                for d in diagnoses.values()
            ),
            key=lambda d: (-d["learners"], order.index(d["module"]), d["diagnosis"]),
        ),
        "learners": learners,
    }


# ---------------------------------------------------------------- the command


def load(path: Path) -> dict:
    """A saved report, checked; ``GraderError`` (one sentence) when it cannot be used."""
    from ..errors import GraderError
    from .report import validate

    try:
        report = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise GraderError(f"{path}: cannot be read ({exc.strerror or exc})") from None
    except UnicodeDecodeError:
        raise GraderError(f"{path}: not UTF-8 text") from None
    except ValueError as exc:
        raise GraderError(f"{path}: not JSON ({exc})") from None
    problems = validate(report)
    if problems:
        raise GraderError(f"{path} is not a grader report: {'; '.join(problems[:3])}")
    return report
