"""The exercises of the kit, in teaching order, read from their folders.

An exercise is one folder under ``exercises/`` (``NN_name``, NN its place in the
order). Beside its stub, tests and lesson it keeps ``exercise.toml``: its module's
name, its titles, the items learners write, the d2l section to read on and the
progressive hints; and ``feedback.toml``: what each check checks and each mistake a
verdict recognises (:mod:`grader.diagnoses`). Like rustlings' ``info.toml``, but one
file per exercise, beside the code it describes. ``python -m grader new NAME`` writes
them; ``python -m grader check-exercise`` says what one lacks.

The folder is found under ``$KIT_ROOT`` when it is set, else where the grader
package lives (a checkout or an editable install), else in the copy a regular install puts under
``<prefix>/share/d2l-builders-kit``. A manifest that cannot be read stops the kit
with one sentence that names the file.
"""

from __future__ import annotations

import os
import re
import sys
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from .errors import GraderError

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10
    import tomli as tomllib  # type: ignore[no-redef]

KIT_ROOT_ENV = "KIT_ROOT"
SHARED = Path("share") / "d2l-builders-kit"  # a regular install's copy of the exercises
MANIFEST = "exercise.toml"
FEEDBACK = "feedback.toml"
FOLDER_RE = re.compile(r"^(\d\d)_([a-z][a-z0-9_]*)$")
NAME_RE = re.compile(r"^[a-z][a-z0-9_]*$")
LANGS = ("en", "zh")


class CatalogError(GraderError):
    """An exercise's manifest cannot be read: one sentence that names the file."""


@dataclass(frozen=True)
class Exercise:
    name: str  # module file stem, fixed by the contract
    folder: str  # folder under exercises/ and solutions/
    title: str
    title_zh: str
    items: tuple[str, ...]  # contract names, in teaching order
    read_en: str
    read_zh: str
    section: str = ""  # the d2l section to read on ("5.4")
    beyond_the_chapter: bool = False
    path: Path | None = field(default=None, compare=False)  # the folder itself

    @property
    def filename(self) -> str:
        return f"{self.name}.py"

    @property
    def test_filename(self) -> str:
        return f"test_{self.name}.py"

    @property
    def number(self) -> int:
        return int(self.folder[:2])


def kit_places() -> list[Path]:
    """Where a kit may be, in the order it is looked for: ``$KIT_ROOT`` (what the user
    named), the checkout or editable install this package lives in, the copy a regular
    install shares under ``<prefix>/share/d2l-builders-kit``."""
    places = [Path(__file__).resolve().parent.parent]
    if os.environ.get(KIT_ROOT_ENV):
        places.insert(0, Path(os.environ[KIT_ROOT_ENV]))
    places += [Path(prefix) / SHARED for prefix in dict.fromkeys((sys.prefix, sys.base_prefix))]
    return places


def kit_root() -> Path:
    """The folder that holds ``exercises/`` (module docstring: where it is looked for)."""
    places = kit_places()
    for place in places:
        if any((place / "exercises").glob(f"*/{MANIFEST}")):
            return place
    raise CatalogError(
        "cannot find the kit's exercises (looked for exercises/*/exercise.toml in "
        + ", ".join(str(p) for p in places)
        + f"); set {KIT_ROOT_ENV} to a copy of the kit"
    )


def read_toml(path: Path) -> dict:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise CatalogError(f"cannot read {path}: {exc}") from None


def _bilingual(value, path: Path, key: str) -> dict[str, str]:
    if not (isinstance(value, dict) and all(isinstance(value.get(lang), str) for lang in LANGS)):
        raise CatalogError(f"{path}: `{key}` needs an `en` and a `zh` text")
    return value


def load_exercise(folder: Path) -> Exercise:
    """The exercise whose folder is ``folder`` (its ``exercise.toml``)."""
    path = folder / MANIFEST
    data = read_toml(path)
    if not FOLDER_RE.match(folder.name):
        raise CatalogError(f"{folder}: an exercise's folder is named NN_name (e.g. 05_layers)")
    name = data.get("name")
    if not (isinstance(name, str) and NAME_RE.match(name)):
        raise CatalogError(f'{path}: `name` must be the module\'s name, e.g. "layers"')
    items = data.get("items")
    if not (isinstance(items, list) and items and all(isinstance(i, str) for i in items)):
        raise CatalogError(f"{path}: `items` must list the names learners write")
    title = _bilingual(data.get("title"), path, "title")
    read = _bilingual(data.get("read"), path, "read")
    return Exercise(
        name=name,
        folder=folder.name,
        title=title["en"],
        title_zh=title["zh"],
        items=tuple(items),
        read_en=read["en"],
        read_zh=read["zh"],
        section=str(data.get("section", "")),
        beyond_the_chapter=bool(data.get("beyond_the_chapter", False)),
        path=folder,
    )


def load(root: Path) -> tuple[Exercise, ...]:
    """Every exercise under ``root / "exercises"``, in the order of their folders."""
    found = tuple(
        load_exercise(manifest.parent)
        for manifest in sorted((root / "exercises").glob(f"*/{MANIFEST}"))
    )
    seen: dict[str, str] = {}
    for ex in found:
        if ex.name in seen:
            raise CatalogError(f"exercises {seen[ex.name]} and {ex.folder} both name `{ex.name}`")
        seen[ex.name] = ex.folder
    return found


@cache
def _manifest(module: str) -> dict:
    ex = BY_NAME[module]
    assert ex.path is not None
    return read_toml(ex.path / MANIFEST)


def hints(module: str) -> dict[str, dict[str, list[str]]]:
    """An exercise's hints: item -> {"en": [...], "zh": [...]} (empty without any)."""
    return _manifest(module).get("hints", {})


def read_feedback(folder: Path) -> dict[str, dict[str, dict[str, str]]]:
    """The ``feedback.toml`` of an exercise's folder: {"checks": {test: {lang: text}},
    "diagnoses": {signature name: {lang: text}}} (empty tables where it is missing)."""
    path = folder / FEEDBACK
    data = read_toml(path) if path.is_file() else {}
    return {part: data.get(part, {}) for part in ("checks", "diagnoses")}


@cache
def feedback(module: str) -> dict[str, dict[str, dict[str, str]]]:
    """An exercise's feedback (:func:`read_feedback`), read once."""
    ex = BY_NAME[module]
    assert ex.path is not None
    return read_feedback(ex.path)


def data_files() -> list[Path]:
    """The catalogue's own files (what a sandboxed worker needs to see of the kit)."""
    files = []
    for ex in EXERCISES:
        assert ex.path is not None
        files += [p for p in (ex.path / MANIFEST, ex.path / FEEDBACK) if p.is_file()]
    return files


ROOT = kit_root()
EXERCISES: tuple[Exercise, ...] = load(ROOT)
BY_NAME = {ex.name: ex for ex in EXERCISES}
MODULE_NAMES = tuple(ex.name for ex in EXERCISES)


def exercise_of_item(item: str) -> Exercise | None:
    """The exercise that asks for a contract name (``MySequential`` -> blocks)."""
    for ex in EXERCISES:
        if item in ex.items:
            return ex
    return None


def module_of_test_file(path: Path) -> str | None:
    """The module a test file belongs to: by a folder on ``path`` (``layers/``,
    ``05_layers/``; the innermost first), else by its name (``test_layers.py``,
    ``test_layers_edge_cases.py``). ``path``: the file's path under the folder of tests
    (an instructor's ``--tests DIR``), or as much of it as is known."""
    for part in reversed(path.parts[:-1]):
        for ex in EXERCISES:
            if part in (ex.name, ex.folder):
                return ex.name
    stem = path.stem
    matches = [
        ex.name
        for ex in EXERCISES
        if stem == f"test_{ex.name}" or stem.startswith(f"test_{ex.name}_")
    ]
    return max(matches, key=len) if matches else None


def missing_name(module: str, attr: str) -> str:
    """The sentence for a name the learner's module does not define (yet)."""
    return (
        f"{module}.py defines no `{attr}`; the exercise asks for it "
        f"(see the docstring in exercises/{BY_NAME[module].folder}/{module}.py)"
    )
