"""The diagnosis catalogue, one file per exercise (``<module>.py`` holding ``DIAGNOSES``:
test function name -> {"en": ..., "zh": ...}), so that each exercise's texts live, and
are reviewed, beside each other and not in one long table."""

from __future__ import annotations

from importlib import import_module

from ..catalog import MODULE_NAMES


def _load() -> dict[str, dict[str, dict[str, str]]]:
    found: dict[str, dict[str, dict[str, str]]] = {}
    for name in MODULE_NAMES:
        try:
            found[name] = import_module(f"{__name__}.{name}").DIAGNOSES
        except ModuleNotFoundError as exc:  # an exercise without diagnoses yet
            if exc.name != f"{__name__}.{name}":
                raise
    return found


DIAGNOSES = _load()
