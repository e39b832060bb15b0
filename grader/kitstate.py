"""The learner's state kept in their kit: small JSON files in ``.kit-state/`` at its root
(git-ignored), read forgivingly and rewritten atomically.

``hint`` keeps how many hints of each item were shown there, the pytest plugin the
progress of each exercise.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

STATE_DIR = ".kit-state"


def read(root: Path, name: str) -> object:
    """The JSON kept as ``name`` in ``root``'s state folder; None if missing or damaged."""
    try:
        return json.loads((root / STATE_DIR / name).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def write(root: Path, name: str, data: object) -> None:
    """Keep ``data`` as ``name``; a read-only kit keeps nothing and says nothing."""
    path = root / STATE_DIR / name
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        tmp.write_text(json.dumps(data, indent=1, sort_keys=True), encoding="utf-8")
        os.replace(tmp, path)
    except OSError:
        pass
