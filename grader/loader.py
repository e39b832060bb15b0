"""Find a learner's module file in an implementation folder and import it by path.

An implementation folder holds the seven module files either in the exercises
layout (``01_blocks/blocks.py``) or flat (``blocks.py``). Modules are imported by
file path, never through ``sys.path``, so a stub in ``exercises/`` can never shadow
the folder under test.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

from .catalog import BY_NAME


class ModuleNotFound(LookupError):
    """No file for a contract module in the implementation folder."""


class AmbiguousModule(LookupError):
    """More than one candidate file for the same contract module."""


def candidates(impl_dir: Path, name: str) -> list[Path]:
    """Every file that could be module ``name`` in ``impl_dir`` (layout or flat)."""
    ex = BY_NAME[name]
    found = [impl_dir / ex.folder / ex.filename, impl_dir / ex.filename]
    return [p for p in found if p.is_file()]


def locate(impl_dir: Path, name: str) -> Path:
    """The one file that is module ``name``; a clear error when none or several."""
    found = candidates(Path(impl_dir), name)
    if not found:
        ex = BY_NAME[name]
        raise ModuleNotFound(
            f"no {ex.filename} in {impl_dir} (looked for {ex.folder}/{ex.filename} "
            f"and {ex.filename})"
        )
    if len(found) > 1:
        raise AmbiguousModule(f"two files could be {name}: " + " and ".join(str(p) for p in found))
    return found[0]


def import_path(path: Path, name: str) -> ModuleType:
    """Import ``path`` as module ``name`` (registered in ``sys.modules``).

    Registering under the plain contract name makes tracebacks read like the
    learner's own code and lets pickling find classes defined in the module.
    """
    spec = importlib.util.spec_from_file_location(name, path)
    if spec is None or spec.loader is None:  # pragma: no cover - .py files always have one
        raise ImportError(f"cannot import {path}")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    try:
        spec.loader.exec_module(module)
    except BaseException:
        sys.modules.pop(name, None)
        raise
    return module
