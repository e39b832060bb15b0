"""The diagnosis catalogue, one file per exercise (``<module>.py``), so that each
exercise's texts live, and are reviewed, beside each other and not in one long table.

Each file holds two tables of {"en": ..., "zh": ...}:

* ``CHECKS``: test function name -> the property the test checks, in plain words
  (shown with every failure of a written item);
* ``DIAGNOSES``: signature name -> the mistake whose signature the data showed, and
  its fix (shown only when the verdict's signature held; grader/diagnoses.py).
"""

from __future__ import annotations

from importlib import import_module

from ..catalog import MODULE_NAMES


def _load() -> dict[str, dict[str, dict[str, dict[str, str]]]]:
    found: dict[str, dict[str, dict[str, dict[str, str]]]] = {}
    for name in MODULE_NAMES:
        try:
            data = import_module(f"{__name__}.{name}")
        except ModuleNotFoundError as exc:  # an exercise without a catalogue yet
            if exc.name != f"{__name__}.{name}":
                raise
            continue
        found[name] = {
            "CHECKS": getattr(data, "CHECKS", {}),
            "DIAGNOSES": getattr(data, "DIAGNOSES", {}),
        }
    return found


CATALOGUE = _load()
