"""What a regrade changed: ``python -m grader diff OLD.json NEW.json``.

Two grader reports of the same cohort (before and after a fix to a test, a new seed,
a late submission) are compared learner by learner and test by test: submissions
added and removed, score changes, the tests whose status flipped (a test only one
report has is ``absent`` in the other), the modules whose status changed, and per
test how many learners it now passes and fails. Settings that differ (seed, limits,
versions) are listed first: they explain many changes.

:func:`diff` returns plain data (``--format json`` prints it); :func:`format_diff`
the text.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Mapping
from pathlib import Path

from ..formats._common import clip, exercises_of, fix_surrogates, fmt, num, tests_of

ABSENT = "absent"
_FLIPS = (("now_pass", "now pass"), ("now_fail", "now fail"), ("other", "other changes"))
_EPS = 1e-9


def _by_name(report: Mapping, which: str) -> dict[str, Mapping]:
    subs: dict[str, Mapping] = {}
    for sub in report["submissions"]:
        name = sub["submission"]
        if name in subs:
            raise ValueError(f"{which} has two submissions named {name!r}")
        subs[name] = sub
    return subs


def _tests(sub: Mapping) -> dict[tuple[str, str], Mapping]:
    return {(ex["module"], t["name"]): t for ex in exercises_of(sub) for t in tests_of(ex)}


def _mean(subs: dict[str, Mapping]) -> float:
    return num(round(sum(s["score"] for s in subs.values()) / len(subs), 4)) if subs else 0


def diff(old: Mapping, new: Mapping) -> dict:
    """The changes from ``old`` to ``new`` (two valid reports); plain, JSON-ready data."""
    from .report import SETTINGS_KEYS

    before, after = _by_name(old, "the old report"), _by_name(new, "the new report")
    settings = [
        {"setting": key, "old": old["grader"].get(key), "new": new["grader"].get(key)}
        for key in SETTINGS_KEYS
        if old["grader"].get(key) != new["grader"].get(key)
    ]
    changed, unchanged = [], 0
    flips: dict[tuple[str, str], dict] = {}
    for name in sorted(before.keys() & after.keys()):
        a, b = before[name], after[name]
        old_tests, new_tests = _tests(a), _tests(b)
        tests = []
        for key in [*old_tests, *(k for k in new_tests if k not in old_tests)]:
            ta, tb = old_tests.get(key), new_tests.get(key)
            sa = ta["status"] if ta else ABSENT
            sb = tb["status"] if tb else ABSENT
            score_a, score_b = num(ta["score"]) if ta else 0, num(tb["score"]) if tb else 0
            if sa == sb and abs(score_a - score_b) < _EPS:
                continue
            entry = {
                "module": key[0],
                "test": key[1],
                "old": sa,
                "new": sb,
                "old_score": score_a,
                "new_score": score_b,
                "message": clip(tb["message"], 160) if tb and sb != "passed" else "",
            }
            tests.append(entry)
            count = flips.setdefault(
                key, {"module": key[0], "test": key[1], "now_pass": 0, "now_fail": 0, "other": 0}
            )
            if sb == "passed" and sa != "passed":
                count["now_pass"] += 1
            elif sa == "passed" and sb != "passed":
                count["now_fail"] += 1
            else:
                count["other"] += 1
        old_modules = {ex["module"]: ex for ex in exercises_of(a)}
        new_modules = {ex["module"]: ex for ex in exercises_of(b)}
        modules = []
        for m in [*old_modules, *(m for m in new_modules if m not in old_modules)]:
            ea, eb = old_modules.get(m), new_modules.get(m)
            sa = ea["status"] if ea else ABSENT
            sb = eb["status"] if eb else ABSENT
            score_a, score_b = num(ea["score"]) if ea else 0, num(eb["score"]) if eb else 0
            if sa != sb or abs(score_a - score_b) > _EPS:
                modules.append(
                    {"module": m, "old": sa, "new": sb, "old_score": score_a, "new_score": score_b}
                )
        delta = num(round(b["score"] - a["score"], 4))
        if not tests and not modules and abs(delta) < _EPS and a["max_score"] == b["max_score"]:
            unchanged += 1
            continue
        changed.append(
            {
                "submission": name,
                "old_score": num(a["score"]),
                "new_score": num(b["score"]),
                "old_max_score": num(a["max_score"]),
                "new_max_score": num(b["max_score"]),
                "delta": delta,
                "modules": modules,
                "tests": tests,
            }
        )
    return {
        "old": {
            "submissions": len(before),
            "mean": _mean(before),
            "seed": old["grader"].get("seed"),
        },
        "new": {
            "submissions": len(after),
            "mean": _mean(after),
            "seed": new["grader"].get("seed"),
        },
        "settings": settings,
        "added": sorted(after.keys() - before.keys()),
        "removed": sorted(before.keys() - after.keys()),
        "changed": changed,
        "unchanged": unchanged,
        "tests": sorted(
            flips.values(),
            key=lambda f: (-(f["now_pass"] + f["now_fail"] + f["other"]), f["module"], f["test"]),
        ),
    }


def _show(value) -> str:
    return clip(json.dumps(value, ensure_ascii=False), 80)


def format_diff(d: Mapping) -> str:
    """The changes as text, one learner after another."""
    o, n = d["old"], d["new"]
    lines = [
        f"regrade: {o['submissions']} submissions before, {n['submissions']} after; "
        f"mean score {fmt(o['mean'])} -> {fmt(n['mean'])}"
    ]
    if d["settings"]:
        lines.append("settings that differ:")
        for s in d["settings"]:
            lines.append(f"  {s['setting']}: {_show(s['old'])} -> {_show(s['new'])}")
    if d["added"]:
        lines.append(f"added ({len(d['added'])}): " + ", ".join(clip(s, 60) for s in d["added"]))
    if d["removed"]:
        lines.append(
            f"removed ({len(d['removed'])}): " + ", ".join(clip(s, 60) for s in d["removed"])
        )
    if not d["changed"]:
        lines.append("no submission's results changed")
    else:
        lines.append(f"changed ({len(d['changed'])}):")
    for c in d["changed"]:
        sign = "+" if c["delta"] > 0 else ""
        of = (
            f" (of {fmt(c['new_max_score'])})"
            if c["old_max_score"] == c["new_max_score"]
            else f" (of {fmt(c['old_max_score'])} -> {fmt(c['new_max_score'])})"
        )
        lines.append(
            f"  {clip(c['submission'], 60)}: {fmt(c['old_score'])} -> {fmt(c['new_score'])} "
            f"({sign}{fmt(c['delta'])}){of}"
        )
        for m in c["modules"]:
            if m["old"] != m["new"]:
                lines.append(
                    f"    {clip(m['module'], 40)}: {m['old']} -> {m['new']} "
                    f"({fmt(m['old_score'])} -> {fmt(m['new_score'])})"
                )
        for t in c["tests"]:
            score = (
                f" ({fmt(t['old_score'])} -> {fmt(t['new_score'])})"
                if t["old_score"] != t["new_score"]
                else ""
            )
            said = f": {t['message']}" if t["message"] else ""
            lines.append(
                f"    {clip(t['module'], 40)}::{clip(t['test'], 100)} "
                f"{t['old']} -> {t['new']}{score}{said}"
            )
    if d["unchanged"]:
        lines.append(f"unchanged: {d['unchanged']} submission{'s' if d['unchanged'] != 1 else ''}")
    if d["tests"]:
        lines.append("tests that changed, across learners:")
        for f in d["tests"]:
            parts = [f"{f[k]} {label}" for k, label in _FLIPS if f[k]]
            lines.append(f"  {clip(f['module'], 40)}::{clip(f['test'], 100)}: {', '.join(parts)}")
    return "\n".join(lines) + "\n"


# ---------------------------------------------------------------- the command


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="python -m grader diff",
        description="What changed between two JSON reports of the same cohort (a regrade).",
    )
    p.add_argument("old", type=Path, metavar="OLD.json")
    p.add_argument("new", type=Path, metavar="NEW.json")
    p.add_argument("--format", choices=("text", "json"), default="text", help="output (text)")
    return p


def main(argv: list[str]) -> int:
    from ..errors import GraderError
    from .cohort import load

    args = parser().parse_args(argv)
    old, new = fix_surrogates(load(args.old)), fix_surrogates(load(args.new))
    try:
        _by_name(old, str(args.old))
        _by_name(new, str(args.new))
        changes = diff(old, new)
    except ValueError as exc:
        raise GraderError(str(exc)) from None
    if args.format == "json":
        sys.stdout.write(json.dumps(changes, indent=2, ensure_ascii=False) + "\n")
    else:
        sys.stdout.write(format_diff(changes))
    return 0
