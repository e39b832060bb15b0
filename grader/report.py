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
when a field is removed or changes meaning; new fields may appear without it. A
report without it (from an older grader) is version 1.

A private instructor test (``--tests DIR``) also carries ``"visibility"`` (``visible``,
``hidden`` or ``after_due_date``); the kit's own tests never do. A test tied to one
contract item carries ``"task"`` (grader/tasks.py). A test that ran carries
``"duration_s"`` (seconds, by the grading parent's clock), and so does a module that
ran. The ``grader`` section carries extra keys (seed, limits, hidden_tests...). A
merge of reports graded with different settings (``merge --allow-mixed``) gives each
submission its own ``graded_with``.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from importlib import resources

from .collect import ExpectedTest
from .protocol import VISIBILITIES, clean
from .runner import ModuleRun
from .submission import ModuleFile

EXERCISE_STATUSES = ("passed", "failed", "error", "timeout", "crashed", "missing", "rejected")
TEST_STATUSES = ("passed", "failed", "error", "timeout", "skipped")
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

_MESSAGES = {
    "all_passed": {"en": "all {n} tests passed", "zh": "全部 {n} 个测试通过"},
    "some_passed": {"en": "{p} of {n} tests passed", "zh": "{n} 个测试中通过 {p} 个"},
    "free_skips": {
        "en": "; {k} skipped (worth no points here)",
        "zh": "；{k} 个跳过（此处不计分）",
    },
    "hidden": {"en": "; {h} of them hidden", "zh": "；其中 {h} 个为隐藏测试"},
    "module_time": {
        "en": "the module ran out of its time limit ({s:g} s)",
        "zh": "本模块超出时间限制（{s:g} 秒）",
    },
    "submission_time": {
        "en": "the submission ran out of its time limit ({s:g} s)",
        "zh": "本次提交超出总时间限制（{s:g} 秒）",
    },
    "hang_time": {
        "en": "a test ran out of time, and the module's other tests then used up "
        "the {s:g} s they share",
        "zh": "有测试超时，本模块其余测试随后用完了它们共有的 {s:g} 秒",
    },
    "test_timeout": {"en": "a test ran past its time limit", "zh": "有测试超时"},
    "not_run": {"en": "not run: {why}", "zh": "未运行：{why}"},
    "not_reached": {
        "en": "the worker never reached this test",
        "zh": "评分进程没有运行到这个测试",
    },
    "crashed_often": {
        "en": "the module's worker kept crashing",
        "zh": "本模块的评分进程反复崩溃",
    },
    "integrity": {
        "en": "broke the grader's rules: {why}; the module scores 0",
        "zh": "违反了评分规则：{why}；本模块记 0 分",
    },
    "not_counted": {
        "en": "not counted: the module broke the grader's rules ({why})",
        "zh": "不计分：本模块违反了评分规则（{why}）",
    },
}


def msg(key: str, lang: str = "en", **kwargs) -> str:
    entry = _MESSAGES[key]
    return entry.get(lang, entry["en"]).format(**kwargs)


def num(x: float) -> int | float:
    """Scores as JSON numbers: 3 rather than 3.0, else rounded to 4 places."""
    x = float(x)
    return int(x) if x.is_integer() else round(x, 4)


def _test_entry(t: ExpectedTest, status: str, message: str, duration: float | None = None) -> dict:
    entry = {
        "name": t.name,
        "status": status,
        "score": num(t.points if status == "passed" else 0),
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
        status = found.status if found.status in ("missing", "rejected") else "error"
        why = found.message or status
        entries = [_test_entry(t, "error", msg("not_run", lang, why=why)) for t in tests]
        return {
            "module": module,
            "score": 0,
            "max_score": num(max_score),
            "status": status,
            "message": clean(why),
            "tests": entries,
        }
    if run.integrity:
        # Tampering, a denied action or forged results: no verdict of the worker counts.
        why = "; ".join(run.integrity[:4])
        not_counted = msg("not_counted", lang, why=run.integrity[0])
        entries = [_test_entry(t, "error", not_counted) for t in tests]
        return {
            "module": module,
            "score": 0,
            "max_score": num(max_score),
            "status": "error",
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
        status, message = run.results.get(t.key, ("error", unreached))
        entries.append(_test_entry(t, status, message, run.durations.get(t.key)))
    broken = run.import_error and not run.import_timed_out  # a hang on import: timeouts
    if broken and not any(e["status"] == "passed" for e in entries):
        # The module could not be imported: one error, said once, not a failure per test
        # that each repeats it (every platform shows the tests as not run, with its line).
        not_run = msg("not_run", lang, why=run.import_error)
        entries = [_test_entry(t, "error", not_run, run.durations.get(t.key)) for t in tests]
    passed = sum(e["status"] == "passed" for e in entries)
    free = sum(e["status"] == "skipped" and e["max_score"] == 0 for e in entries)
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
        status, message = "timeout", out_of_time + "; " + summary
    elif run.crashes:
        crashes = run.crashes[:3] + (
            [f"and {len(run.crashes) - 3} more crashes"] if len(run.crashes) > 3 else []
        )
        status, message = "crashed", "; ".join(crashes) + "; " + summary
    elif run.import_timed_out:
        status, message = "timeout", run.import_error
    elif run.import_error:
        status, message = "error", run.import_error
    elif any(e["status"] == "timeout" for e in entries):
        status, message = "timeout", msg("test_timeout", lang) + "; " + summary
    elif passed == counted:
        status, message = "passed", summary
    else:
        status, message = "failed", summary
    return {
        "module": module,
        "score": num(sum(e["score"] for e in entries)),
        "max_score": num(max_score),
        "status": status,
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


def _is_num(x) -> bool:
    return isinstance(x, (int, float)) and not isinstance(x, bool)


def validate(report: object) -> list[str]:
    """Every way ``report`` departs from the fixed shape (empty: it is a valid report)."""
    problems: list[str] = []
    if not isinstance(report, dict):
        return ["the report is not a JSON object"]
    version = report.get("format_version", FORMAT_VERSION)
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        problems.append("format_version is not a whole number from 1")
    elif version > FORMAT_VERSION:
        problems.append(
            f"format_version {version} is newer than this grader reads ({FORMAT_VERSION})"
        )
    grader = report.get("grader")
    if not isinstance(grader, dict):
        problems.append("no 'grader' object")
    else:
        for key in GRADER_KEYS:
            if not isinstance(grader.get(key), str):
                problems.append(f"grader.{key} is not a string")
    subs = report.get("submissions")
    if not isinstance(subs, list):
        return problems + ["no 'submissions' list"]
    for i, sub in enumerate(subs):
        where = f"submissions[{i}]"
        if not isinstance(sub, dict):
            problems.append(f"{where} is not an object")
            continue
        if not isinstance(sub.get("submission"), str):
            problems.append(f"{where}.submission is not a string")
        for key in ("score", "max_score", "duration_s"):
            if not _is_num(sub.get(key)):
                problems.append(f"{where}.{key} is not a number")
        exercises = sub.get("exercises")
        if not isinstance(exercises, list):
            problems.append(f"{where}.exercises is not a list")
            continue
        for j, ex in enumerate(exercises):
            problems += _validate_exercise(ex, f"{where}.exercises[{j}]")
        if not problems and abs(sum(e["score"] for e in exercises) - sub["score"]) > 1e-6:
            problems.append(f"{where}.score is not the sum of its exercises' scores")
    return problems


def _validate_exercise(ex: object, where: str) -> list[str]:
    if not isinstance(ex, dict):
        return [f"{where} is not an object"]
    problems = []
    for key in ("module", "message"):
        if not isinstance(ex.get(key), str):
            problems.append(f"{where}.{key} is not a string")
    for key in ("score", "max_score"):
        if not _is_num(ex.get(key)):
            problems.append(f"{where}.{key} is not a number")
    if ex.get("status") not in EXERCISE_STATUSES:
        problems.append(f"{where}.status {ex.get('status')!r} is not one of {EXERCISE_STATUSES}")
    tests = ex.get("tests")
    if not isinstance(tests, list):
        return problems + [f"{where}.tests is not a list"]
    for k, t in enumerate(tests):
        tw = f"{where}.tests[{k}]"
        if not isinstance(t, dict):
            problems.append(f"{tw} is not an object")
            continue
        for key in ("name", "message"):
            if not isinstance(t.get(key), str):
                problems.append(f"{tw}.{key} is not a string")
        for key in ("score", "max_score"):
            if not _is_num(t.get(key)):
                problems.append(f"{tw}.{key} is not a number")
        if t.get("status") not in TEST_STATUSES:
            problems.append(f"{tw}.status {t.get('status')!r} is not one of {TEST_STATUSES}")
        if "visibility" in t and t["visibility"] not in VISIBILITIES:
            problems.append(f"{tw}.visibility {t['visibility']!r} is not one of {VISIBILITIES}")
    return problems


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
            row["passed"] += ex["status"] == "passed"
            for t in ex["tests"]:
                if t["max_score"] == 0 and t["status"] == "skipped":
                    continue
                counts = tests.setdefault((ex["module"], t["name"]), [0, 0])
                counts[0] += t["status"] == "passed"
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
