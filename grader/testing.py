"""What the exercise tests import: the implementation under test and shared helpers.

``impl("blocks")`` is a lazy stand-in for the learner's module: it imports the file
only when a test first touches it, so a stub that fails to import fails the tests
of its own exercise, with one clear sentence, and never the collection of others.
"""

from __future__ import annotations

import sys
import traceback
from pathlib import Path
from types import ModuleType

import pytest

from . import loader
from .catalog import BY_NAME, missing_name

_state: dict = {"impl_dir": None}
_cache: dict[tuple[Path, str], ModuleType | str] = {}


def set_impl_dir(path: Path) -> None:
    _state["impl_dir"] = Path(path).resolve()


def impl_dir() -> Path:
    if _state["impl_dir"] is None:  # running without the plugin: the kit's own exercises
        set_impl_dir(Path(__file__).resolve().parent.parent / "exercises")
    return _state["impl_dir"]


def describe_import_error(path: Path, exc: BaseException) -> str:
    if isinstance(exc, SyntaxError) and exc.lineno:  # the file itself does not parse
        code = (exc.text or "").strip()
        return (
            f"{path.name} could not be imported (line {exc.lineno}): "
            f"{type(exc).__name__}: {exc.msg}" + (f": {code}" if code else "")
        )
    frames = traceback.extract_tb(exc.__traceback__)
    mine = [f for f in frames if Path(f.filename).resolve() == path.resolve()]
    where = f" (line {mine[-1].lineno})" if mine else ""
    return f"{path.name} could not be imported{where}: {type(exc).__name__}: {exc}"


def load(name: str) -> ModuleType:
    """Import module ``name`` from the implementation folder once per run.

    A failure is remembered so that every test of the module fails at once with
    the same sentence instead of re-running a broken (or endless) import.
    """
    key = (impl_dir(), name)
    if key not in _cache:
        try:
            path = loader.locate(key[0], name)
        except LookupError as exc:
            _cache[key] = str(exc)
        else:
            try:
                _cache[key] = loader.import_path(path, name)
            except (Exception, pytest.fail.Exception, SystemExit) as exc:
                _cache[key] = describe_import_error(path, exc)
    found = _cache[key]
    if isinstance(found, str):
        pytest.fail(found, pytrace=False)
    return found


def import_failure(directory: Path, name: str) -> str | None:
    """The sentence that explains why module ``name`` could not be loaded, if it could not."""
    if name in _remote:  # grading: the worker imported it, or could not
        found = _remote[name]
    else:
        found = _cache.get((Path(directory).resolve(), name))
    return found if isinstance(found, str) else None


# Grading: what the sandboxed worker said of each module it imported (its facts, or
# the sentence why it could not import it). The test runner never imports it itself.
_remote: dict[str, dict | str] = {}


def set_remote(name: str, found: dict | str) -> None:
    _remote[name] = found


def module_facts(name: str) -> dict:
    """The classes module ``name`` defines and those whose ``__init__`` is unwritten
    (:func:`grader.causes.module_facts`), from wherever it ran."""
    found = _remote.get(name)
    if isinstance(found, dict):
        return found
    module = sys.modules.get(name)
    if module is None or found is not None:
        return {"classes": [], "unwritten_init": []}
    from .causes import module_facts as facts

    return facts(module)


class _Impl:
    """Attribute access on the learner's module, imported on first use."""

    def __init__(self, name: str) -> None:
        if name not in BY_NAME:
            raise ValueError(f"unknown exercise module {name!r}")
        self._name = name

    def __getattr__(self, attr: str):
        if attr.startswith("_"):  # introspection (pytest collection, copy, pickle)
            raise AttributeError(attr)
        module = load(self._name)
        try:
            return getattr(module, attr)
        except AttributeError:
            pytest.fail(missing_name(self._name, attr), pytrace=False)

    def __repr__(self) -> str:
        return f"<implementation of {self._name}.py in {impl_dir()}>"


def impl(name: str) -> _Impl:
    return _Impl(name)
