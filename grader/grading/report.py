"""The fixed JSON report: build it from what the workers said, check it, merge shards.

Verdicts are decided here, from the expected tests (collected from the pristine
tests) one by one: a test scores its points only if its own ``passed`` result
arrived. Skipped, xfailed, missing from the worker's output or never reached: 0.

The report's shape is fixed (other tools read it)::

    {"format_version": 1,
     "submissions": [{"submission", "score", "max_score", "duration_s",
       "exercises": [{"module", "score", "max_score", "status", "message",
          "tests": [{"name", "status", "score", "max_score", "message"}]}]}],
     "grader": {"version", "torch", "hypothesis_profile", ...}}

Its JSON Schema is ``grader/data/report.schema.json``. ``format_version`` changes only
when a field is removed or changes meaning; new fields may appear without it, with
a new schema: a grader checks a report against its own schema, so it refuses a field it
does not know (merge reports with the newest grader). A report without it (from an
older grader) is version 1.

A private instructor test (``--tests DIR``) also carries ``"visibility"`` (``visible``,
``hidden`` or ``after_due_date``); the kit's own tests never do. A test tied to one
contract item carries ``"task"`` (grader/tasks.py). A test that ran carries
``"duration_s"`` (seconds, by the grading parent's clock), and so does a module that
ran. The ``grader`` section carries extra keys (seed, limits, hidden_tests...). A
merge of reports graded with different settings (``merge --allow-mixed``) gives each
submission its own ``graded_with``.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable, Iterable, Iterator
from importlib import resources

from ..i18n import t as msg  # the report's sentences are in the kit's catalogue
from ..protocol import ExerciseStatus, TestStatus, clean
from .collect import ExpectedTest
from .runner import ModuleRun
from .submission import ModuleFile

GRADER_KEYS = ("version", "torch", "hypothesis_profile")
FORMAT_VERSION = 1
# What decides the grades besides the submission: reports merged into one must agree on
# these (or be merged with --allow-mixed, which keeps each submission's own).
SETTINGS_KEYS = (
    "version",
    "torch",
    "hypothesis_profile",
    "seed",
    "timeout",
    "module_timeout",
    "time_budget",
    "submission_timeout",
    "memory_limit",
    "modules",
    "private_tests",
    "hidden_tests",
)


def num(x: float) -> int | float:
    """Scores as JSON numbers: 3 rather than 3.0, else rounded to 4 places."""
    x = float(x)
    return int(x) if x.is_integer() else round(x, 4)


def _test_entry(
    t: ExpectedTest, status: TestStatus, message: str, duration: float | None = None
) -> dict:
    status = TestStatus(status)
    entry = {
        "name": t.name,
        "status": status.value,  # the report holds plain strings
        "score": num(t.points if status is TestStatus.PASSED else 0),
        "max_score": num(t.points),
        "message": clean(message),
    }
    if duration is not None:  # seconds the test ran (the grading parent's clock)
        entry["duration_s"] = round(max(duration, 0.0), 3)
    if t.private or t.visibility != "visible":  # instructor tests say who sees them
        entry["visibility"] = t.visibility
    if t.task:
        entry["task"] = t.task
    return entry


def exercise_entry(
    module: str,
    tests: list[ExpectedTest],
    found: ModuleFile,
    run: ModuleRun | None,
    module_timeout: float = 0.0,
    lang: str = "en",
) -> dict:
    """One module's result: every expected test, in collection order."""
    max_score = sum(t.points for t in tests)
    if found.status != "found" or run is None:
        missing = (ExerciseStatus.MISSING, ExerciseStatus.REJECTED)
        status = ExerciseStatus(found.status) if found.status in missing else ExerciseStatus.ERROR
        why = found.message or status.value
        entries = [_test_entry(t, TestStatus.ERROR, msg("not_run", lang, why=why)) for t in tests]
        return {
            "module": module,
            "score": 0,
            "max_score": num(max_score),
            "status": status.value,
            "message": clean(why),
            "tests": entries,
        }
    if run.integrity:
        # Tampering, a denied action or forged results: no verdict of the worker counts.
        why = "; ".join(run.integrity[:4])
        not_counted = msg("not_counted", lang, why=run.integrity[0])
        entries = [_test_entry(t, TestStatus.ERROR, not_counted) for t in tests]
        return {
            "module": module,
            "score": 0,
            "max_score": num(max_score),
            "status": ExerciseStatus.ERROR.value,
            "message": clean(msg("integrity", lang, why=why)),
            "tests": entries,
        }
    out_of_time = _out_of_time(run, module_timeout, lang)
    if run.timed_out:
        unreached = msg("not_run", lang, why=out_of_time)
    elif run.crashes:
        unreached = msg("not_run", lang, why=msg("crashed_often", lang))
    else:
        unreached = msg("not_reached", lang)
    entries = []
    for t in tests:
        status, message = run.results.get(t.key, (TestStatus.ERROR, unreached))
        entries.append(_test_entry(t, status, message, run.durations.get(t.key)))
    broken = run.import_error and not run.import_timed_out  # a hang on import: timeouts
    if broken and not any(e["status"] == TestStatus.PASSED for e in entries):
        # The module could not be imported: one error, said once, not a failure per test
        # that each repeats it (every platform shows the tests as not run, with its line).
        not_run = msg("not_run", lang, why=run.import_error)
        entries = [
            _test_entry(t, TestStatus.ERROR, not_run, run.durations.get(t.key)) for t in tests
        ]
    passed = sum(e["status"] == TestStatus.PASSED for e in entries)
    free = sum(e["status"] == TestStatus.SKIPPED and e["max_score"] == 0 for e in entries)
    counted = len(entries) - free
    summary = (
        msg("all_passed", lang, n=counted)
        if passed == counted
        else msg("some_passed", lang, p=passed, n=counted)
    )
    if free:
        summary += msg("free_skips", lang, k=free)
    hidden = sum(t.visibility != "visible" for t in tests)
    if hidden:
        summary += msg("hidden", lang, h=hidden)

    if run.timed_out:
        status, message = ExerciseStatus.TIMEOUT, out_of_time + "; " + summary
    elif run.crashes:
        crashes = run.crashes[:3] + (
            [f"and {len(run.crashes) - 3} more crashes"] if len(run.crashes) > 3 else []
        )
        status, message = ExerciseStatus.CRASHED, "; ".join(crashes) + "; " + summary
    elif run.import_timed_out:
        status, message = ExerciseStatus.TIMEOUT, run.import_error
    elif run.import_error:
        status, message = ExerciseStatus.ERROR, run.import_error
    elif any(e["status"] == TestStatus.TIMEOUT for e in entries):
        status, message = ExerciseStatus.TIMEOUT, msg("test_timeout", lang) + "; " + summary
    elif passed == counted:
        status, message = ExerciseStatus.PASSED, summary
    else:
        status, message = ExerciseStatus.FAILED, summary
    return {
        "module": module,
        "score": num(sum(e["score"] for e in entries)),
        "max_score": num(max_score),
        "status": status.value,
        "message": clean(message),
        "duration_s": round(max(run.duration_s, 0.0), 3),
        "tests": entries,
    }


def _out_of_time(run: ModuleRun, module_timeout: float, lang: str) -> str:
    """Which limit ended a timed-out module, in a sentence."""
    if run.cut == "submission":
        return msg("submission_time", lang, s=run.cut_s)
    if run.cut == "hang":
        return msg("hang_time", lang, s=run.cut_s)
    return msg("module_time", lang, s=module_timeout)


def submission_entry(name: str, exercises: list[dict], duration_s: float) -> dict:
    return {
        "submission": name,
        "score": num(sum(e["score"] for e in exercises)),
        "max_score": num(sum(e["max_score"] for e in exercises)),
        "duration_s": round(duration_s, 3),
        "exercises": exercises,
    }


# ---------------------------------------------------------------- validation


def report_schema() -> dict:
    """The report's JSON Schema (draft 2020-12), shipped as grader/data/report.schema.json."""
    text = resources.files("grader").joinpath("data", "report.schema.json").read_text("utf-8")
    return json.loads(text)


def validate(report: object) -> list[str]:
    """Every way ``report`` departs from a grader report, one sentence each (empty: it
    is one). Two parts, kept apart:

    * its JSON Schema, grader/data/report.schema.json, the one statement of its shape
      (:func:`schema_problems`), read with the format version set to this grader's;
    * what that schema cannot say: the format version as this grader reads it
      (absent: an older grader's report, version 1; a newer one is said to be newer),
      and, of a report that meets the schema, each submission's score, the sum of its
      exercises' scores (:func:`semantic_problems`).
    """
    if not isinstance(report, dict):
        return ["the report is not a JSON object"]
    version = report.get("format_version", FORMAT_VERSION)
    # The version is read here (its own sentences): the schema checks the rest of it.
    problems = schema_problems({**report, "format_version": FORMAT_VERSION})
    problems = _version_problems(version) + problems
    return problems or semantic_problems(report)


def schema_problems(report: object) -> list[str]:
    """Where ``report`` departs from the report's JSON Schema, as ``where: what`` lines.

    Read with jsonschema, by the draft the schema declares.
    """
    return [
        clean(f"{_where(path)}: {message}", limit=300) for path, message in _check_schema()(report)
    ]


def semantic_problems(report: dict) -> list[str]:
    """What the schema cannot say, of a report that meets it: each submission's score
    is the sum of its exercises' scores."""
    problems = []
    for i, sub in enumerate(report["submissions"]):
        if abs(sum(e["score"] for e in sub["exercises"]) - sub["score"]) > 1e-6:
            problems.append(f"submissions[{i}].score is not the sum of its exercises' scores")
    return problems


def _version_problems(version: object) -> list[str]:
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        return ["format_version is not a whole number from 1"]
    if version > FORMAT_VERSION:
        return [f"format_version {version} is newer than this grader reads ({FORMAT_VERSION})"]
    return []


def _where(path: Iterable[str | int]) -> str:
    """``submissions[0].exercises[2].status`` (``the report`` for the whole of it)."""
    text = "".join(f"[{part}]" if isinstance(part, int) else f".{part}" for part in path)
    return text.lstrip(".") or "the report"


_Problems = Callable[[object], Iterator[tuple[tuple[str | int, ...], str]]]


@functools.lru_cache(maxsize=1)
def _check_schema() -> _Problems:
    """The report's schema, compiled once: (path, message) of each way an instance
    departs from it."""
    import jsonschema

    schema = report_schema()
    checker = jsonschema.validators.validator_for(schema)(schema)
    return lambda instance: (
        (tuple(error.absolute_path), error.message) for error in checker.iter_errors(instance)
    )


# ---------------------------------------------------------------- merging


class MergeError(Exception):
    pass


def settings_of(grader: dict) -> dict:
    """The grading settings recorded in a report's ``grader`` section."""
    return {key: grader.get(key) for key in SETTINGS_KEYS}


def merge(reports: Iterable[tuple[str, dict]], allow_mixed: bool = False) -> dict:
    """One report from shard reports ``(source, report)``; submissions sorted by name.

    Every submission must have been graded with the same settings (seed, limits,
    versions: ``SETTINGS_KEYS``), else :class:`MergeError`; with ``allow_mixed`` they
    may differ, and each submission then keeps its own in ``graded_with``.
    """
    reports = list(reports)
    if not reports:
        raise MergeError("nothing to merge")
    seen: dict[str, str] = {}
    submissions = []
    graded: list[tuple[str, dict]] = []  # (source, settings) of each submission or empty shard
    for source, report in reports:
        problems = validate(report)
        if problems:
            raise MergeError(f"{source} is not a grader report: {'; '.join(problems[:3])}")
        own = settings_of(report["grader"])
        if not report["submissions"]:
            graded.append((source, own))
        for sub in report["submissions"]:
            name = sub["submission"]
            if name in seen:
                raise MergeError(f"submission {name!r} is in both {seen[name]} and {source}")
            seen[name] = source
            given = sub.get("graded_with")
            settings = {**own, **given} if isinstance(given, dict) else own
            graded.append((source, settings))
            submissions.append((sub, settings))
    first_source, first = graded[0]
    differ = [key for key in SETTINGS_KEYS if any(s[key] != first[key] for _, s in graded)]
    if differ and not allow_mixed:
        source, other = next((src, s) for src, s in graded if s != first)
        what = ", ".join(f"{key} {first[key]!r} and {other[key]!r}" for key in differ[:4])
        where = f"{first_source} and {source}" if source != first_source else source
        raise MergeError(
            f"{where} were graded with different settings ({what}): grade every shard "
            "with the same --seed and options, or merge with --allow-mixed to keep each "
            "submission's own"
        )
    merged = []
    for sub, settings in sorted(submissions, key=lambda pair: pair[0]["submission"]):
        sub = dict(sub)
        sub.pop("graded_with", None)
        if differ:
            sub["graded_with"] = settings
        merged.append(sub)
    grader = dict(reports[0][1]["grader"])
    grader.pop("shard", None)
    grader.pop("mixed_settings", None)
    for key in SETTINGS_KEYS:
        if key in differ:
            grader[key] = "mixed" if key in GRADER_KEYS else None
        elif first[key] is not None or key in grader:
            grader[key] = first[key]
    if differ:
        grader["mixed_settings"] = differ
    grader["merged_from"] = sum(_count(r["grader"].get("merged_from", 1)) for _, r in reports)
    return {"format_version": FORMAT_VERSION, "submissions": merged, "grader": grader}


def _count(value) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) and value > 0 else 1


# ---------------------------------------------------------------- cohort


def cohort(report: dict) -> dict:
    """Per-module mean scores and per-test pass rates over a report's submissions."""
    subs = report["submissions"]
    n = len(subs)
    modules: dict[str, dict] = {}
    tests: dict[tuple[str, str], list[int]] = {}
    for sub in subs:
        for ex in sub["exercises"]:
            row = modules.setdefault(
                ex["module"], {"module": ex["module"], "total": 0.0, "max_score": 0, "passed": 0}
            )
            row["total"] += ex["score"]
            row["max_score"] = max(row["max_score"], ex["max_score"])
            row["passed"] += ex["status"] == ExerciseStatus.PASSED
            for t in ex["tests"]:
                if t["max_score"] == 0 and t["status"] == TestStatus.SKIPPED:
                    continue
                counts = tests.setdefault((ex["module"], t["name"]), [0, 0])
                counts[0] += t["status"] == TestStatus.PASSED
                counts[1] += 1
    mods = [
        {
            "module": m["module"],
            "mean": num(m["total"] / n) if n else 0,
            "max_score": m["max_score"],
            "passed": m["passed"],
        }
        for m in modules.values()
    ]
    scores = [s["score"] for s in subs]
    return {
        "submissions": n,
        "mean": num(sum(scores) / n) if n else 0,
        "max_score": max((s["max_score"] for s in subs), default=0),
        "modules": mods,
        "tests": [
            {"module": m, "name": name, "passed": p, "of": of, "rate": round(p / of, 4)}
            for (m, name), (p, of) in tests.items()
        ],
    }


def format_cohort(summary: dict) -> str:
    n = summary["submissions"]
    lines = [
        f"cohort: {n} submission{'s' if n != 1 else ''}, "
        f"mean score {summary['mean']:g} of {summary['max_score']:g}",
        "",
        f"  {'module':<12} {'mean':>8} {'max':>6} {'complete':>9}",
    ]
    for m in summary["modules"]:
        lines.append(
            f"  {m['module']:<12} {m['mean']:>8g} {m['max_score']:>6g} {m['passed']:>5}/{n:<3}"
        )
    lines += ["", "  per-test pass rates (lowest first):"]
    width = max((len(f"{t['module']}: {t['name']}") for t in summary["tests"]), default=0)
    for t in sorted(summary["tests"], key=lambda t: (t["rate"], t["module"], t["name"])):
        label = f"{t['module']}: {t['name']}"
        lines.append(f"  {label:<{width}}  {100 * t['rate']:5.1f}%  ({t['passed']}/{t['of']})")
    return "\n".join(lines)
