"""Run the exercise tests against an implementation folder in a fresh pytest process.

The kit's self-tests use this to prove the exercise tests have teeth: solutions pass,
stubs fail every test, each wrong implementation (``tests/mutants``) is caught by its
own module's tests, and each valid alternative (``tests/alternatives``) passes.

A mutant or alternative file holds only what differs from the reference solution:
it is appended to the solution's source, so its definitions replace the reference's
and everything else of the module stays correct.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path

from grader.authoring import named_diagnosis  # noqa: F401 (the tests import it from here)
from grader.catalog import BY_NAME, EXERCISES

ROOT = Path(__file__).resolve().parent.parent
EXERCISES_DIR = ROOT / "exercises"
SOLUTIONS_DIR = ROOT / "solutions"
MUTANTS_DIR = Path(__file__).resolve().parent / "mutants"
ALTERNATIVES_DIR = Path(__file__).resolve().parent / "alternatives"


@dataclass
class Run:
    returncode: int
    outcomes: dict[str, str] = field(default_factory=dict)  # test id -> passed/failed/skipped
    output: str = ""
    diagnoses: dict[str, list[str]] = field(default_factory=dict)  # test id -> names shown

    def diagnosed(self) -> set[str]:
        """Every diagnosis the run showed, by name (grader/diagnoses.py)."""
        return {name for names in self.diagnoses.values() for name in names}

    def failed(self) -> list[str]:
        return sorted(t for t, o in self.outcomes.items() if o == "failed")

    def passed(self) -> list[str]:
        return sorted(t for t, o in self.outcomes.items() if o == "passed")


def kit_tests_of(module: str) -> Path:
    ex = BY_NAME[module]
    return EXERCISES_DIR / ex.folder / ex.test_filename


def all_test_files() -> list[Path]:
    return [kit_tests_of(ex.name) for ex in EXERCISES]


def solution_source(module: str) -> str:
    ex = BY_NAME[module]
    return (SOLUTIONS_DIR / ex.folder / ex.filename).read_text()


def patched_source(module: str, patch: Path) -> str:
    return (
        solution_source(module) + f"\n\n# ---- patched from {patch.name} ----\n" + patch.read_text()
    )


def build_impl(dest: Path, overrides: dict[str, str] | None = None) -> Path:
    """A flat implementation folder: the solutions, with some modules' source replaced."""
    dest.mkdir(parents=True, exist_ok=True)
    for ex in EXERCISES:
        source = (overrides or {}).get(ex.name)
        target = dest / ex.filename
        if source is None:
            shutil.copyfile(SOLUTIONS_DIR / ex.folder / ex.filename, target)
        else:
            target.write_text(source)
    return dest


def _parse_junit(path: Path) -> tuple[dict[str, str], dict[str, list[str]]]:
    outcomes: dict[str, str] = {}
    diagnosed: dict[str, list[str]] = {}
    if not path.exists():
        return outcomes, diagnosed
    for case in ET.parse(path).getroot().iter("testcase"):
        name = f"{case.get('classname')}::{case.get('name')}"
        tags = {child.tag for child in case}
        if tags & {"failure", "error"}:
            outcomes[name] = "failed"
        elif "skipped" in tags:
            outcomes[name] = "skipped"
        else:
            outcomes[name] = "passed"
        names = [
            prop.get("value", "")
            for prop in case.iter("property")
            if prop.get("name") == "diagnosis"
        ]
        if names:
            diagnosed[name] = names
    return outcomes, diagnosed


def profile_args() -> list[str]:
    """The derandomized ``grading`` profile; with ``KIT_TEETH_SEED=N``, the grader's own
    profile seeded with N, as a grading run with ``--seed N`` would be.

    ``KIT_TEETH_SEED=7 pytest tests/test_teeth.py -k mutant`` checks that the mutant
    corpus dies under examples other than the derandomized ones, which is what keeps
    ``profiles.GRADING_EXAMPLES`` honest.
    """
    seed = os.environ.get("KIT_TEETH_SEED")
    if not seed:
        return ["--hypothesis-profile", "grading"]
    return ["--hypothesis-profile", "grader", f"--hypothesis-seed={seed}", f"--kit-seed={seed}"]


def run_tests(
    impl_dir: Path,
    files: list[Path],
    workdir: Path,
    *extra: str,
    exitfirst: bool = False,
    timeout: float = 600,
) -> Run:
    junit = workdir / "junit.xml"
    cmd = [
        sys.executable,
        "-m",
        "pytest",
        *map(str, files),
        "--impl",
        str(impl_dir),
        *profile_args(),
        "-p",
        "no:cacheprovider",
        "-q",
        "-rN",
        "--no-header",
        f"--junitxml={junit}",
        "-o",
        "junit_family=xunit1",
        *(["-x"] if exitfirst else []),
        *extra,
    ]
    env = dict(
        os.environ, PYTHONDONTWRITEBYTECODE="1", HYPOTHESIS_STORAGE_DIRECTORY=str(workdir / ".hyp")
    )
    proc = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout)
    outcomes, diagnosed = _parse_junit(junit)
    return Run(proc.returncode, outcomes, proc.stdout + proc.stderr, diagnosed)


def patch_files(kind_dir: Path) -> list[tuple[str, Path]]:
    """(module, file) for every mutant or alternative, module taken from its folder."""
    found = []
    for ex in EXERCISES:
        folder = kind_dir / ex.name
        if folder.is_dir():
            found += [
                (ex.name, p) for p in sorted(folder.glob("*.py")) if not p.name.startswith("_")
            ]
    return found


def diagnoses_in(module: str, message: str) -> set[str]:
    """The diagnoses a failure's message shows, by name: its ``diagnosis: ...`` lines
    (English), matched against the module's catalogue and the evident causes."""
    import re

    from grader.diagnoses import catalogued, diagnosis
    from grader.i18n import MESSAGES

    by_text = {diagnosis(module, name): name for name in catalogued(module, "diagnoses")}
    causes = {
        name: re.compile(
            ".*".join(re.escape(part) for part in re.split(r"\{[^}]*\}", text["en"])) + "$"
        )
        for name, text in MESSAGES.items()
        if name.startswith("cause_")
    }
    found = set()
    for line in message.splitlines():
        if not line.startswith("diagnosis: "):
            continue
        text = line.removeprefix("diagnosis: ").strip()
        name = by_text.get(text) or next((n for n, r in causes.items() if r.match(text)), None)
        found.add(name or f"unknown: {text}")
    return found


def docline(path: Path) -> str:
    """The first line of a patch file's docstring: what the mistake is."""
    import ast

    doc = ast.get_docstring(ast.parse(path.read_text())) or ""
    return doc.strip().splitlines()[0] if doc.strip() else ""


# ---------------------------------------------------------------- hand-made reports


def report_exercise(module, tests, status=None, message="", max_score=None) -> dict:
    """An exercise entry of a grader report, from test entries (the status, when not
    given, is what the grader would say: passed when every counted test passed)."""
    if status is None:
        counted = [t for t in tests if not (t["status"] == "skipped" and t["max_score"] == 0)]
        status = "passed" if all(t["status"] == "passed" for t in counted) else "failed"
    return {
        "module": module,
        "score": sum(t["score"] for t in tests),
        "max_score": sum(t["max_score"] for t in tests) if max_score is None else max_score,
        "status": status,
        "message": message,
        "tests": tests,
    }


def report_submission(name, exercises, duration_s=1.5) -> dict:
    """A submission entry of a grader report, from exercise entries."""
    return {
        "submission": name,
        "score": sum(e["score"] for e in exercises),
        "max_score": sum(e["max_score"] for e in exercises),
        "duration_s": duration_s,
        "exercises": exercises,
    }
