"""Mutation testing of the exercise checks: mutmut mutates every reference solution and
runs each mutant against its own exercise's tests.

    python tests/mutation/run.py              # every exercise
    python tests/mutation/run.py blocks lazy  # some of them
    tox -e mutation

A mutant that no test fails *survives*. A survivor is either a gap in the checks (write
the test that kills it) or *equivalent*: it behaves exactly like the solution wherever
the contract says anything. Equivalent survivors are listed, one reason each, in
``equivalent.toml`` beside this file. The run fails when a survivor is neither killed
nor listed, and when a listed mutant is no longer a survivor (the list is kept honest).

mutmut cannot mutate ``solutions/`` in place: the kit imports a module by path under its
bare name. So each exercise gets a small work folder of its own: the solution file, that
exercise's tests and the kit's conftest, tested with ``--impl .`` under the derandomized
``grading`` profile.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import tomllib

ROOT = Path(__file__).resolve().parents[2]
EQUIVALENT_FILE = Path(__file__).resolve().parent / "equivalent.toml"
sys.path.insert(0, str(ROOT))

from grader.catalog import BY_NAME, EXERCISES  # noqa: E402

# mutmut's statuses that mean a test failed on the mutant (a hang or a crash fails the
# grader's test too).
KILLED = {"killed", "timeout", "segfault", "caught by type check"}

PYPROJECT = """\
[tool.mutmut]
source_paths = ["{module}.py"]
also_copy = ["conftest.py"]
pytest_add_cli_args = ["--impl", ".", "--hypothesis-profile", "grading", "-p", "no:cacheprovider"]
process_isolation = "forkserver"

[tool.pytest.ini_options]
addopts = "--import-mode=importlib"
timeout = 60
"""


@dataclass(frozen=True)
class Mutant:
    name: str  # mutmut's key, e.g. layers.xǁMyLinearǁforward__mutmut_1
    status: str
    function: str = ""  # MyLinear.forward
    before: str = ""  # the solution's lines that the mutant changes
    after: str = ""  # the mutant's lines in their place
    diff: str = ""


@dataclass
class Outcome:
    module: str
    mutants: list[Mutant] = field(default_factory=list)
    equivalent: list[Mutant] = field(default_factory=list)
    survivors: list[Mutant] = field(default_factory=list)  # neither killed nor listed
    stale: list[dict] = field(default_factory=list)  # listed, yet not a survivor
    error: str = ""
    seconds: float = 0.0

    @property
    def killed(self) -> int:
        return sum(m.status in KILLED for m in self.mutants)

    @property
    def ok(self) -> bool:
        return not (self.error or self.survivors or self.stale)


def function_of(name: str) -> str:
    """``layers.xǁMyLinearǁforward__mutmut_3`` -> ``MyLinear.forward``; ``x_train`` -> ``train``."""
    key = name.split(".", 1)[1].rsplit("__mutmut_", 1)[0]
    if key.startswith("xǁ"):
        return ".".join(part for part in key[2:].split("ǁ") if part)
    return key[2:] if key.startswith("x_") else key


def _code(line: str) -> str:
    """A diff line without its marker, indentation and inline comment (``  # …``)."""
    return line[1:].split("  # ", 1)[0].strip()


def changed_lines(diff: str) -> tuple[str, str]:
    """The removed and the added lines of a unified diff, as code, one per line."""
    lines = diff.splitlines()
    before = [_code(x) for x in lines if x.startswith("-") and not x.startswith("---")]
    after = [_code(x) for x in lines if x.startswith("+") and not x.startswith("+++")]
    return "\n".join(before), "\n".join(after)


def load_equivalents(path: Path = EQUIVALENT_FILE) -> list[dict]:
    entries = tomllib.loads(path.read_text(encoding="utf-8")).get("equivalent", [])
    for i, entry in enumerate(entries, 1):
        missing = {"module", "function", "before", "after", "reason"} - set(entry)
        if missing:
            raise SystemExit(f"{path.name}: entry {i} lacks {', '.join(sorted(missing))}")
        if entry["module"] not in BY_NAME:
            raise SystemExit(f"{path.name}: entry {i} names no exercise module: {entry['module']}")
        entry["before"], entry["after"] = entry["before"].strip(), entry["after"].strip()
    return entries


def matches(entry: dict, mutant: Mutant) -> bool:
    return (entry["function"], entry["before"], entry["after"]) == (
        mutant.function,
        mutant.before,
        mutant.after,
    )


def _mutmut(args: list[str], cwd: Path, timeout: float) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONDONTWRITEBYTECODE="1", NO_COLOR="1")
    env.pop("PYTEST_ADDOPTS", None)
    return subprocess.run(
        [sys.executable, "-m", "mutmut", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def make_workdir(module: str, dest: Path) -> Path:
    ex = BY_NAME[module]
    dest.mkdir(parents=True)
    shutil.copyfile(ROOT / "solutions" / ex.folder / ex.filename, dest / ex.filename)
    shutil.copyfile(ROOT / "exercises" / ex.folder / ex.test_filename, dest / ex.test_filename)
    shutil.copyfile(ROOT / "exercises" / "conftest.py", dest / "conftest.py")
    (dest / "pyproject.toml").write_text(PYPROJECT.format(module=module))
    return dest


_RESULT = re.compile(r"^\s+(\S+): (.+)$")


def run_module(module: str, base: Path, jobs: int, equivalents: list[dict]) -> Outcome:
    outcome = Outcome(module)
    start = time.monotonic()
    work = make_workdir(module, base / module)
    run = _mutmut(["run", "--max-children", str(jobs)], work, timeout=3600)
    results = _mutmut(["results", "--all", "true"], work, timeout=120)
    for line in results.stdout.splitlines():
        found = _RESULT.match(line)
        if found and found.group(1).startswith(module + "."):
            outcome.mutants.append(Mutant(found.group(1), found.group(2).strip()))
    if run.returncode != 0 or not outcome.mutants:
        tail = "\n".join((run.stdout + run.stderr).splitlines()[-30:])
        outcome.error = (
            f"mutmut run exited {run.returncode} with {len(outcome.mutants)} mutants:\n{tail}"
        )
    listed = [e for e in equivalents if e["module"] == module]
    used: set[int] = set()
    for i, m in enumerate(outcome.mutants):
        if m.status in KILLED:
            continue
        diff = _mutmut(["show", m.name], work, timeout=120).stdout
        before, after = changed_lines(diff)
        m = Mutant(m.name, m.status, function_of(m.name), before, after, diff)
        outcome.mutants[i] = m
        hits = [j for j, e in enumerate(listed) if matches(e, m)]
        if hits:
            used.update(hits)
            outcome.equivalent.append(m)
        else:
            outcome.survivors.append(m)
    if not outcome.error:
        outcome.stale = [e for j, e in enumerate(listed) if j not in used]
    outcome.seconds = time.monotonic() - start
    return outcome


def report(outcomes: list[Outcome]) -> str:
    rows = [
        f"{'exercise':16} {'mutants':>7} {'killed':>7} {'equiv.':>7} {'survived':>8} "
        f"{'score':>7} {'time':>6}"
    ]
    total = [0, 0, 0, 0]
    for o in outcomes:
        counted = len(o.mutants) - len(o.equivalent)
        score = f"{100 * o.killed / counted:.1f}%" if counted else "-"
        values = [len(o.mutants), o.killed, len(o.equivalent), len(o.survivors)]
        total = [a + b for a, b in zip(total, values, strict=True)]
        rows.append(
            f"{BY_NAME[o.module].folder:16} {values[0]:7} {values[1]:7} {values[2]:7} "
            f"{values[3]:8} {score:>7} {o.seconds:5.0f}s" + ("  ERROR" if o.error else "")
        )
    counted = total[0] - total[2]
    score = f"{100 * total[1] / counted:.1f}%" if counted else "-"
    rows.append(
        f"{'all':16} {total[0]:7} {total[1]:7} {total[2]:7} {total[3]:8} {score:>7} "
        f"{sum(o.seconds for o in outcomes):5.0f}s"
    )
    lines = ["", "mutation score (killed / non-equivalent mutants):", *rows]
    for o in outcomes:
        if o.error:
            lines += ["", f"{o.module}: {o.error}"]
        for m in o.survivors:
            lines += ["", f"survived ({m.status}): {m.name}", m.diff.rstrip()]
        for e in o.stale:
            lines += [
                "",
                f"listed as equivalent but not a survivor: {e['module']} {e['function']}: "
                f"{e['before']!r} -> {e['after']!r} (remove it from {EQUIVALENT_FILE.name})",
            ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("modules", nargs="*", help="exercise modules (default: all)")
    parser.add_argument("--jobs", type=int, default=2, help="mutants tested at once (default 2)")
    parser.add_argument("--keep", type=Path, help="keep the work folders here")
    args = parser.parse_args(argv)
    unknown = [m for m in args.modules if m not in BY_NAME]
    if unknown:
        parser.error(f"no exercise module named {', '.join(unknown)}")
    if shutil.which("mutmut") is None:
        try:
            import mutmut  # noqa: F401
        except ImportError:
            parser.error("mutmut is not installed: pip install -e '.[dev]' (or tox -e mutation)")
    equivalents = load_equivalents()
    modules = args.modules or [ex.name for ex in EXERCISES]
    base = args.keep or Path(tempfile.mkdtemp(prefix="kit-mutation-"))
    outcomes = []
    try:
        for module in modules:
            print(f"mutating {module} ...", flush=True)
            outcomes.append(run_module(module, base, args.jobs, equivalents))
            o = outcomes[-1]
            print(
                f"  {len(o.mutants)} mutants, {o.killed} killed, {len(o.equivalent)} equivalent, "
                f"{len(o.survivors)} survived ({o.seconds:.0f} s)",
                flush=True,
            )
    finally:
        if args.keep is None:
            shutil.rmtree(base, ignore_errors=True)
    print(report(outcomes))
    return 0 if all(o.ok for o in outcomes) else 1


if __name__ == "__main__":
    sys.exit(main())
