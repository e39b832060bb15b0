"""The learners' copy of the kit: ``python -m grader release OUT``.

An instructor hands learners a copy of the kit without what only instructors need.
The copy holds:

* ``exercises/``: the stubs, their tests, ``conftest.py``, the lessons and whatever
  else the kit keeps there (notebooks), as they are in the kit (keep them pristine);
* ``grader/``: the learner runtime, the modules the exercise tests, the pytest plugin,
  ``hint``, ``watch`` and the notebooks' checks import (:data:`LEARNER_MODULES`,
  :data:`NOTEBOOK_MODULES`); the catalogue, hints and feedback they read are in the
  exercise folders (``exercise.toml``, ``feedback.toml``);
* ``docs/``: the exercise contract;
* ``README.md`` (from ``grader/data/learner-README.md``), a ``pyproject.toml`` that
  installs it with the kit's own dependency bounds, and a ``.gitignore``;
* ``.github/workflows/classroom.yml``: the GitHub Classroom workflow
  (``docs/classroom-workflow.yml``), so that the copy can be an assignment's template
  repository.

It never holds ``solutions/``, ``tests/`` (mutants, alternatives, the kit's own tests),
benchmarks, instructor tests or ``.git``. The grading engine (the workers, their
sandbox, the report formats) stays out too: learners never grade, and the
Classroom workflow grades with the instructor's own copy of the kit, so the learners'
copy carries no map of the grader's integrity checks. ``python -m grader grade`` in
the learners' copy says that it is not part of it.
"""

from __future__ import annotations

import argparse
import re
import shutil
from importlib import resources
from pathlib import Path
from string import Template

from . import __version__
from .catalog import EXERCISES

# What learners run: the plugin and what it imports, hints, watch (and the fork server
# that watch forks its runs from), the command line that starts hint and watch.
LEARNER_MODULES = (
    "__init__.py",
    "__main__.py",
    "catalog.py",
    "causes.py",
    "cli.py",
    "codec.py",
    "diagnoses.py",
    "errors.py",
    "failures.py",
    "forkserver.py",
    "hints.py",
    "i18n.py",
    "kitstate.py",
    "lazy_torch.py",
    "loader.py",
    "plain.py",
    "probe_source.py",
    "probing.py",
    "plugin.py",
    "profiles.py",
    "progress.py",
    "startup.py",
    "strategies.py",
    "testing.py",
    "warm.py",
    "watch.py",
)
# Notebooks: check() in Jupyter, %kit, and pytest --impl NOTEBOOK (copied where present).
NOTEBOOK_MODULES = ("notebook.py", "notebook_plugin.py", "notebook_source.py", "tasks.py")
DOCS = ("contract.md", "contract-beyond-the-chapter.md")
WORKFLOW = Path(".github") / "workflows" / "classroom.yml"
PROJECT_NAME = "d2l-builders-kit-exercises"
PLACEHOLDER_REPO = "OWNER/d2l-builders-kit"

GITIGNORE = """\
__pycache__/
*.egg-info/
.hypothesis/
.pytest_cache/
.kit-state/
.venv/
build/
dist/
"""

PYPROJECT = Template("""\
[build-system]
requires = ["setuptools>=64"]
build-backend = "setuptools.build_meta"

[project]
name = "$name"
version = "$version"
description = "Hands-on exercises for d2l's Builders' Guide (深度学习计算) chapter"
readme = "README.md"
requires-python = ">=3.10"
license = { text = "MIT" }
$dependencies

[tool.setuptools.packages.find]
include = ["grader*"]

[tool.pytest.ini_options]
testpaths = ["exercises"]
addopts = "--import-mode=importlib -p no:cacheprovider"
timeout = 60
markers = [
    "points(n): how many points the test is worth when graded",
    "cuda: needs a real CUDA device; skipped where none is present",
]
filterwarnings = ["ignore::hypothesis.errors.NonInteractiveExampleWarning"]
""")

_IGNORED = shutil.ignore_patterns("__pycache__", "*.pyc", ".*")


class ReleaseError(Exception):
    """The copy cannot be made: one sentence for the instructor."""


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="python -m grader release",
        description="Write the learners' copy of the kit (no solutions, no kit tests), "
        "ready to be a GitHub Classroom template repository.",
    )
    p.add_argument("out", type=Path, metavar="OUT", help="a new or empty folder")
    p.add_argument(
        "--kit",
        type=Path,
        metavar="DIR",
        help="the kit to copy the exercises from (default: the grader's own)",
    )
    p.add_argument(
        "--kit-repo",
        metavar="OWNER/NAME",
        help=f"your copy of the kit, named in the Classroom workflow (instead of "
        f"{PLACEHOLDER_REPO})",
    )
    p.add_argument("--kit-ref", metavar="REF", help="the tag or branch of it the workflow uses")
    return p


def check_out(out: Path) -> None:
    if out.is_symlink() or (out.exists() and not out.is_dir()):
        raise ReleaseError(f"{out} exists and is not a folder: give a new or empty folder")
    if out.is_dir() and any(out.iterdir()):
        raise ReleaseError(f"{out} is not empty: give a new or empty folder")


def dependencies(pyproject: str) -> str:
    """The ``dependencies = [...]`` block of the kit's pyproject.toml, as written."""
    match = re.search(r"^dependencies = \[\n.*?^\]", pyproject, re.M | re.S)
    if match is None:
        raise ReleaseError("the kit's pyproject.toml has no dependencies list")
    return match.group(0)


def workflow(text: str, repo: str | None, ref: str | None) -> str:
    """The Classroom workflow, naming the instructor's kit where asked."""
    if repo is not None:
        if not re.fullmatch(r"[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+", repo):
            raise ReleaseError(f"--kit-repo {repo!r} is not OWNER/NAME")
        if PLACEHOLDER_REPO not in text:
            raise ReleaseError(f"the Classroom workflow does not name {PLACEHOLDER_REPO}")
        text = text.replace(PLACEHOLDER_REPO, repo)
    if ref is not None:
        if not re.fullmatch(r"[A-Za-z0-9_./-]+", ref):
            raise ReleaseError(f"--kit-ref {ref!r} is not a tag or branch name")
        text, n = re.subn(
            r"^(\s*ref:\s*)\S+", lambda m: m.group(1) + ref, text, count=1, flags=re.M
        )
        if n == 0:
            raise ReleaseError("the Classroom workflow has no ref: line to set")
    return text


def readme() -> str:
    rows = [
        f"| {i} | [`exercises/{ex.folder}`](exercises/{ex.folder}/) | {ex.title} · "
        f"{ex.title_zh} | `{ex.filename}` | [d2l]({ex.read_en}) · [中文]({ex.read_zh}) |"
        for i, ex in enumerate(EXERCISES, 1)
    ]
    table = "\n".join(
        ["| # | exercise | topic | you write | read |", "|---|---|---|---|---|", *rows]
    )
    template = resources.files("grader").joinpath("data", "learner-README.md")
    return Template(template.read_text("utf-8")).substitute(exercises=table)


def release(
    out: Path, kit: Path | None = None, repo: str | None = None, ref: str | None = None
) -> list[Path]:
    """Write the learners' copy into ``out`` (new or empty); the files written."""
    package = Path(__file__).resolve().parent
    kit = (kit or package.parent).resolve()
    check_out(out)
    exercises = kit / "exercises"
    if not exercises.is_dir():
        raise ReleaseError(f"{kit} has no exercises/ folder: give --kit DIR")
    for inside in (exercises, package, kit / "docs"):
        if out.resolve().is_relative_to(inside):
            raise ReleaseError(f"{out} lies inside {inside}, which it copies: give another folder")
    sources = {
        "pyproject.toml": kit / "pyproject.toml",
        "workflow": kit / "docs" / "classroom-workflow.yml",
    }
    for what, path in sources.items():
        if not path.is_file():
            raise ReleaseError(f"{kit} has no {path.relative_to(kit)} to make the {what} from")
    deps = dependencies(sources["pyproject.toml"].read_text(encoding="utf-8"))
    flow = workflow(sources["workflow"].read_text(encoding="utf-8"), repo, ref)

    out.mkdir(parents=True, exist_ok=True)
    shutil.copytree(exercises, out / "exercises", ignore=_IGNORED, dirs_exist_ok=True)
    (out / "grader").mkdir()
    for name in LEARNER_MODULES:
        shutil.copy2(package / name, out / "grader" / name)
    for name in NOTEBOOK_MODULES:
        if (package / name).is_file():
            shutil.copy2(package / name, out / "grader" / name)
    docs = [name for name in DOCS if (kit / "docs" / name).is_file()]
    if docs:
        (out / "docs").mkdir()
    for name in docs:
        shutil.copy2(kit / "docs" / name, out / "docs" / name)
    (out / WORKFLOW).parent.mkdir(parents=True)
    (out / WORKFLOW).write_text(flow, encoding="utf-8")
    (out / "README.md").write_text(readme(), encoding="utf-8")
    (out / ".gitignore").write_text(GITIGNORE, encoding="utf-8")
    pyproject = PYPROJECT.substitute(name=PROJECT_NAME, version=__version__, dependencies=deps)
    (out / "pyproject.toml").write_text(pyproject, encoding="utf-8")
    return sorted(p for p in out.rglob("*") if p.is_file())


def main(argv: list[str]) -> int:
    from .errors import GraderError

    args = parser().parse_args(argv)
    try:
        written = release(args.out, args.kit, args.kit_repo, args.kit_ref)
    except ReleaseError as exc:
        raise GraderError(str(exc)) from None
    except OSError as exc:
        raise GraderError(f"cannot write {args.out} ({exc.strerror or exc})") from None
    print(f"wrote the learners' copy to {args.out} ({len(written)} files)")
    return 0
