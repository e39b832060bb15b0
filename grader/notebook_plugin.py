"""The pytest plugin behind ``check()`` in a notebook (grader/notebook.py).

Loaded with ``-p grader.notebook_plugin`` in the subprocess that runs an exercise's
tests on the module files built from the notebook. It writes one JSON line per event
to ``--kit-record FILE``, flushed at once, so that what ran before a hang is known
when the subprocess is stopped:

* ``collected``: the tests that will run (name, points, contract item);
* ``start``: a test begins;
* ``result``: a test's outcome, with the kit's diagnosis, a short message and the
  innermost frame in the learner's code (file, line).

``--kit-item NAME`` keeps only the tests of one contract item (grader/tasks.py).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from . import causes, diagnoses, tasks, testing
from .catalog import BY_NAME, module_of_test_file
from .failures import KitTimeout, points_of
from .i18n import current_lang

MESSAGE_LINES = 12


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("kit-notebook", "checks from a notebook")
    group.addoption("--kit-record", metavar="FILE", default=None, help="write events here")
    group.addoption("--kit-item", metavar="NAME", default=None, help="one contract item only")


def _exercise(item: pytest.Item):
    path = Path(str(item.fspath))
    return BY_NAME.get(module_of_test_file(Path(path.parent.name, path.name)) or "")


class Recorder:
    def __init__(self, config: pytest.Config, path: str) -> None:
        self.config = config
        self.file = open(path, "a", encoding="utf-8")  # noqa: SIM115 - closed at unconfigure
        self.lang = current_lang(config.getoption("--lang", default=None))

    def write(self, **event) -> None:
        self.file.write(json.dumps(event) + "\n")
        self.file.flush()

    @pytest.hookimpl(trylast=True)
    def pytest_collection_modifyitems(self, config: pytest.Config, items: list[pytest.Item]):
        only = config.getoption("--kit-item")
        kept, dropped = [], []
        for item in items:
            ex = _exercise(item)
            task = tasks.task_of(ex.name, item.name, item.fspath) if ex else None
            item.stash[_TASK] = task
            (kept if only is None or task == only else dropped).append(item)
        if dropped:
            config.hook.pytest_deselected(items=dropped)
            items[:] = kept
        self.write(
            event="collected",
            tests=[{"name": i.name, "points": points_of(i), "item": i.stash[_TASK]} for i in kept],
        )

    def pytest_runtest_logstart(self, nodeid: str, location) -> None:
        self.write(event="start", name=nodeid.rsplit("::", 1)[-1])

    @pytest.hookimpl(wrapper=True, tryfirst=True)
    def pytest_runtest_makereport(self, item: pytest.Item, call: pytest.CallInfo):
        report = yield  # the kit's plugin has put its diagnosis in by now
        if report.when != "call" and report.passed:
            return report
        ex = _exercise(item)
        record = {
            "event": "result",
            "name": item.name,
            "when": report.when,
            "outcome": report.outcome,
            "points": points_of(item),
            "item": item.stash.get(_TASK, None),
        }
        if report.failed:
            excinfo = call.excinfo
            found = []
            if ex is not None and excinfo is not None and not _timed_out(excinfo):
                # only the diagnoses the verdict's data showed (grader/diagnoses.py)
                for name in diagnoses.named(excinfo.value):
                    found.append(diagnoses.diagnosis(ex.name, name, self.lang) or "")
            record["diagnosis"] = " ".join(f for f in found if f)
            record["message"] = _message(excinfo, report)
            record["frame"] = _frame(excinfo)
        elif report.skipped:
            longrepr = report.longrepr
            record["message"] = str(longrepr[2]) if isinstance(longrepr, tuple) else ""
        self.write(**record)
        return report

    def close(self) -> None:
        self.file.close()


_TASK = pytest.StashKey[object]()
_RECORDER = pytest.StashKey[Recorder]()


def _message(excinfo, report) -> str:
    """What went wrong, in a few lines: the exception's own words, not a traceback."""
    if excinfo is None:
        text = report.longreprtext
    elif _timed_out(excinfo):
        text = report.longreprtext.strip().splitlines()[0]  # the kit's sentence; where: apart
    elif excinfo.errisinstance((NotImplementedError, pytest.fail.Exception)):
        text = str(excinfo.value)
    else:
        text = excinfo.exconly()
    if excinfo is not None:
        notes = [n for n in getattr(excinfo.value, "__notes__", []) if isinstance(n, str)]
        text = "\n".join([text, *notes[:4]])
    lines = [line.rstrip() for line in text.strip().splitlines()]
    if len(lines) > MESSAGE_LINES:
        lines = lines[:MESSAGE_LINES] + ["..."]
    return "\n".join(lines)


def _timed_out(excinfo) -> bool:
    return excinfo is not None and isinstance(excinfo.value, KitTimeout)


def _frame(excinfo) -> list | None:
    """``[file name, line, code]`` of the innermost frame in the code under test."""
    if excinfo is None:
        return None
    frames = causes.learner_frames(excinfo, testing.impl_dir())
    return list(frames[-1]) if frames else None


def pytest_configure(config: pytest.Config) -> None:
    path = config.getoption("--kit-record")
    if path:
        recorder = Recorder(config, path)
        config.stash[_RECORDER] = recorder
        config.pluginmanager.register(recorder, "kit-notebook-recorder")


def pytest_unconfigure(config: pytest.Config) -> None:
    recorder = config.stash.get(_RECORDER, None)
    if recorder is not None:
        recorder.close()
