"""Check the code of a notebook's cells: ``check("layers")`` or ``%kit MyLinear``.

In Jupyter or Colab::

    from grader.notebook import check
    check("layers")      # every check of the custom layers exercise
    check("MyLinear")    # only the checks of MyLinear

or, after ``%load_ext grader``, the line magic ``%kit layers``.

How: the cells run so far are read from the kernel's input history (every version
of every cell, in the order they ran), the module file is built from their
definitions (grader/notebook_source.py: imports, ``def``, ``class`` and constants;
a later definition replaces an earlier one), and the exercise's own tests run on it
with pytest in a fresh subprocess. So every call sees the current code, never a
stale import, and a check that hangs or crashes is stopped at the time limit while
the kernel lives on. Nothing of the notebook runs inside the kernel for a check.
"""

from __future__ import annotations

import html
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from . import notebook_source
from .catalog import BY_NAME, EXERCISES, KIT_ROOT_ENV, exercise_of_item, kit_places

DEFAULT_TIMEOUT = 120.0  # seconds for one check, torch's import included


class KitNotFound(LookupError):
    """The kit's exercise tests are nowhere to be found."""


@dataclass
class Check:
    """One test: its outcome and, for a failure, what went wrong and where."""

    name: str
    points: float
    item: str | None = None
    passed: bool | None = None  # None: skipped, or never finished (a timeout)
    skipped: bool = False  # worth no points here (a CUDA check without a GPU)
    started: bool = False
    diagnosis: str = ""
    message: str = ""
    where: str = ""  # "In [5], line 3: return X @ self.weight"


@dataclass
class CheckResult:
    """What ``check()`` found: ``score`` of ``max_score`` points, the tests by name."""

    target: str
    module: str
    score: float = 0.0
    max_score: float = 0.0
    passed: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    checks: list[Check] = field(default_factory=list)
    timed_out: bool = False
    error: str = ""  # why the checks could not run at all
    notes: list[str] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return not self.error and not self.timed_out and not self.failed and bool(self.passed)

    @property
    def status(self) -> str:
        if self.error:
            return "error"
        if self.timed_out:
            return "timeout"
        return "passed" if self.ok else "failed"

    def summary(self) -> str:
        title = f"{self.target} ({self.module})" if self.target != self.module else self.module
        if self.error:
            return f"{title}: the checks could not run"
        state = {"passed": "all passed", "failed": "not yet", "timeout": "stopped: timeout"}
        return f"{title}: {self.score:g} / {self.max_score:g} points, {state[self.status]}"

    def text(self) -> str:
        lines = [self.summary()]
        if self.error:
            lines.append(f"  {self.error}")
        for check in self.checks:
            mark = {True: "PASS", False: "FAIL", None: "SKIP" if check.skipped else "----"}[
                check.passed
            ]
            lines.append(f"  {mark} {check.name} ({check.points:g})")
            if check.passed is False:
                for label, value in (("diagnosis", check.diagnosis), ("where", check.where)):
                    if value:
                        lines.append(f"       {label}: {value}")
                for line in check.message.splitlines()[:8]:
                    lines.append(f"       | {line}")
        if self.timed_out:
            lines.append(_timeout_sentence(self))
        for note in self.notes:
            lines.append(f"  note: {note}")
        return "\n".join(lines)

    def html(self) -> str:
        e = html.escape
        colour = {"passed": "#1a7f37", "failed": "#bf3989", "timeout": "#9a6700"}
        head = e(self.summary())
        parts = [
            '<div class="kit-check" style="font-family:monospace;font-size:90%">',
            f'<div style="font-weight:bold;color:{colour.get(self.status, "#cf222e")}">'
            f"{head}</div>",
        ]
        if self.error:
            parts.append(f"<div>{e(self.error)}</div>")
        parts.append('<ul style="list-style:none;padding-left:1em;margin:0.3em 0">')
        for check in self.checks:
            mark = {True: "&#10004;", False: "&#10008;", None: "&#8211;"}[check.passed]
            style = {True: "#1a7f37", False: "#cf222e", None: "#6e7781"}[check.passed]
            item = f'<span style="color:{style}">{mark}</span> {e(check.name)} ({check.points:g})'
            if check.passed is False:
                item += "<div style='margin-left:1.5em'>"
                if check.diagnosis:
                    item += f"<div><b>diagnosis:</b> {e(check.diagnosis)}</div>"
                if check.where:
                    item += f"<div><b>where:</b> {e(check.where)}</div>"
                if check.message:
                    item += (
                        f"<pre style='margin:0.2em 0;white-space:pre-wrap'>{e(check.message)}</pre>"
                    )
                item += "</div>"
            parts.append(f"<li>{item}</li>")
        parts.append("</ul>")
        if self.timed_out:
            parts.append(f"<div>{e(_timeout_sentence(self).strip())}</div>")
        for note in self.notes:
            parts.append(f"<div style='color:#6e7781'>note: {e(note)}</div>")
        parts.append("</div>")
        return "\n".join(parts)

    def __str__(self) -> str:
        return self.text()

    def __repr__(self) -> str:
        return f"<CheckResult {self.summary()}>"

    def _repr_html_(self) -> str:
        return f"<code>{html.escape(self.summary())}</code>"


def _timeout_sentence(result: CheckResult) -> str:
    running = [c.name for c in result.checks if c.passed is None and c.started and not c.skipped]
    where = f" while {running[0]} ran" if running else ""
    return (
        f"  the checks were stopped after {result.seconds:.0f} s{where}: does a loop in "
        "your code never end? Pass timeout=... to check() to allow more time."
    )


# ---------------------------------------------------------------- where things are


def find_exercises() -> Path:
    """The kit's ``exercises/`` folder with its tests, in the first of the places a kit
    may be (:func:`grader.catalog.kit_places`) that has them."""
    places = [place / "exercises" for place in kit_places()]
    for place in places:
        if (place / "conftest.py").is_file():
            return place
    raise KitNotFound(
        "cannot find the kit's exercise tests (looked in "
        + ", ".join(str(p) for p in places)
        + f"); set {KIT_ROOT_ENV} to a copy of the kit"
    )


def resolve(target: str) -> tuple[str, str | None]:
    """``"layers"``, ``"05_layers"`` or ``"MyLinear"`` -> (module, item or None)."""
    name = str(target).strip()
    if name.endswith(".py"):
        name = name[:-3]
    if name in BY_NAME:
        return name, None
    for ex in EXERCISES:
        if name == ex.folder:
            return ex.name, None
    ex = exercise_of_item(name)
    if ex is not None:
        return ex.name, name
    known = ", ".join(ex.name for ex in EXERCISES)
    raise ValueError(f"{target!r} is neither an exercise ({known}) nor an item one asks for")


def notebook_cells() -> list[notebook_source.Cell]:
    """The cells this kernel has run, oldest first, labelled ``In [n]``."""
    try:
        from IPython import get_ipython
    except ImportError:  # pragma: no cover - check() is for notebooks
        get_ipython = None
    shell = get_ipython() if get_ipython else None
    if shell is None:
        raise RuntimeError("check() reads the cells of a notebook: run it in Jupyter or IPython")
    history = getattr(getattr(shell, "history_manager", None), "input_hist_raw", None)
    if not history:
        history = shell.user_ns.get("_ih", [])
    return [
        notebook_source.Cell(f"In [{n}]", source)
        for n, source in enumerate(history)
        if n and isinstance(source, str) and source.strip()
    ]


# ---------------------------------------------------------------- running the checks


def check(
    target: str,
    *,
    timeout: float = DEFAULT_TIMEOUT,
    test_timeout: float | None = None,
    lang: str | None = None,
    show: bool = True,
    cells: list[notebook_source.Cell] | None = None,
) -> CheckResult:
    """Run the checks of an exercise (``"layers"``) or of one item (``"MyLinear"``) on
    the code of the notebook's cells; show the result and return it.

    ``timeout`` bounds the whole check (seconds); ``test_timeout`` one test (default:
    a quarter of it, at least 5 s). ``cells`` replaces the kernel's history (a list of
    :class:`grader.notebook_source.Cell`).
    """
    module, item = resolve(target)
    if cells is None:
        cells = notebook_cells()
    result = run_checks(module, item, cells, timeout=timeout, test_timeout=test_timeout, lang=lang)
    result.target = str(target)
    if show:
        display(result)
    return result


def display(result: CheckResult) -> None:
    """HTML in a Jupyter kernel, text anywhere else."""
    if _in_kernel():
        from IPython.display import HTML
        from IPython.display import display as show

        show(HTML(result.html()))
    else:
        print(result.text())


def _in_kernel() -> bool:
    try:
        from IPython import get_ipython
    except ImportError:
        return False
    shell = get_ipython()
    return shell is not None and type(shell).__name__ == "ZMQInteractiveShell"


def run_checks(
    module: str,
    item: str | None,
    cells: list[notebook_source.Cell],
    *,
    timeout: float = DEFAULT_TIMEOUT,
    test_timeout: float | None = None,
    lang: str | None = None,
) -> CheckResult:
    """Build ``module``'s file from ``cells`` and run its tests in a subprocess."""
    result = CheckResult(item or module, module)
    started = time.monotonic()
    try:
        exercises = find_exercises()
    except KitNotFound as exc:
        result.error = str(exc)
        return result
    ex = BY_NAME[module]
    tests = exercises / ex.folder / ex.test_filename
    if not tests.is_file():
        result.error = f"no {ex.test_filename} in {exercises / ex.folder}"
        return result
    per_test = test_timeout if test_timeout is not None else max(5.0, timeout / 4)
    with tempfile.TemporaryDirectory(prefix="kit-check-") as tmp:
        folder = Path(tmp) / "impl"
        built = notebook_source.write_modules(cells, folder, [module], origin="this notebook")[
            module
        ]
        result.notes = list(built.notes)
        if item is not None and item not in built.defined:
            result.notes.append(f"no cell defines {item} yet")
        elif item is None and not built.defined:
            result.notes.append(f"no cell defines {' or '.join(ex.items)} yet")
        record = Path(tmp) / "record.jsonl"
        ini = Path(tmp) / "pytest.ini"
        # The kit's own settings, whatever folder the learner's kernel runs in.
        ini.write_text(f"[pytest]\naddopts =\ntimeout = {per_test:g}\n", encoding="utf-8")
        command = [
            sys.executable,
            "-m",
            "pytest",
            str(tests),
            "-c",
            str(ini),
            "--rootdir",
            str(exercises.parent),
            "--impl",
            str(folder),
            "-p",
            "grader.notebook_plugin",
            "--kit-record",
            str(record),
            "-p",
            "no:cacheprovider",
            "--import-mode=importlib",
            "-q",
            "-p",
            "no:warnings",
        ]
        if item is not None:
            command += ["--kit-item", item]
        if lang:
            command += ["--lang", lang]
        env = dict(os.environ, PYTHONUNBUFFERED="1", PYTHONDONTWRITEBYTECODE="1")
        log = Path(tmp) / "output.txt"
        with open(log, "wb") as out:
            process = subprocess.Popen(
                command,
                stdin=subprocess.DEVNULL,
                stdout=out,
                stderr=subprocess.STDOUT,
                env=env,
                start_new_session=True,
            )
            try:
                code = process.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                _kill(process)
                result.timed_out = True
                code = None
            except BaseException:  # the learner interrupted the kernel: stop the checks too
                _kill(process)
                raise
        result.seconds = time.monotonic() - started
        _read_record(result, record, built)
        if code not in (0, 1, 5, None) and not result.checks:
            tail = log.read_text(encoding="utf-8", errors="replace").strip().splitlines()[-15:]
            result.error = "the checks could not run (pytest exit code {}):\n{}".format(
                code, "\n".join(tail)
            )
        elif code == 5 or (code is not None and not result.checks):
            result.error = f"no check ran for {item or module}"
    return result


def _kill(process: subprocess.Popen) -> None:
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        process.kill()
    process.wait()


def _read_record(result: CheckResult, record: Path, built: notebook_source.ModuleSource) -> None:
    try:
        lines = record.read_text(encoding="utf-8").splitlines()
    except OSError:
        return
    checks: dict[str, Check] = {}
    for line in lines:
        try:
            event = json.loads(line)
        except ValueError:
            continue  # the last line of a stopped run may be cut short
        kind = event.get("event")
        if kind == "collected":
            for test in event.get("tests", []):
                checks[test["name"]] = Check(test["name"], test["points"], test.get("item"))
        elif kind == "start" and event.get("name") in checks:
            checks[event["name"]].started = True
        elif kind == "result" and event.get("name") in checks:
            check = checks[event["name"]]
            outcome = event.get("outcome")
            if outcome == "failed":
                check.passed = False
                check.diagnosis = check.diagnosis or event.get("diagnosis", "")
                check.message = event.get("message", "")
                check.where = check.where or _where(event.get("frame"), built)
                if not check.where and check.item in built.definitions:
                    label, line, code = built.definitions[check.item]
                    check.where = f"{check.item} is defined in {label}, line {line}: {code}"
            elif outcome == "skipped" and check.passed is None:
                check.skipped = True
                check.message = event.get("message", "")
            elif outcome == "passed" and check.passed is None:
                check.passed = True
    result.checks = list(checks.values())
    result.passed = [c.name for c in result.checks if c.passed is True]
    result.failed = [c.name for c in result.checks if c.passed is False]
    result.score = sum(c.points for c in result.checks if c.passed is True)
    result.max_score = sum(c.points for c in result.checks if not c.skipped)


def _where(frame, built: notebook_source.ModuleSource) -> str:
    if not frame:
        return ""
    filename, lineno, code = frame
    cell = built.where(int(lineno)) if filename == BY_NAME[built.module].filename else None
    if cell is None:
        return f"{filename}, line {lineno}: {code}"
    return f"{cell[0]}, line {cell[1]}: {code}"


# ---------------------------------------------------------------- %kit


def kit_magic(line: str) -> CheckResult | None:
    """``%kit layers``, ``%kit MyLinear``, ``%kit layers --timeout 60 --lang zh``."""
    words = line.split()
    usage = "usage: %kit EXERCISE_OR_ITEM [--timeout SECONDS] [--lang en|zh]"
    if not words:
        print(usage)
        return None
    options: dict = {}
    rest = words[1:]
    while rest:
        flag = rest.pop(0)
        if flag in ("--timeout", "--lang") and rest:
            value = rest.pop(0)
            try:
                options[flag[2:]] = float(value) if flag == "--timeout" else value
            except ValueError:
                print(usage)
                return None
        else:
            print(usage)
            return None
    try:
        return check(words[0], **options)
    except ValueError as exc:
        print(exc)
        return None


def load_ipython_extension(ipython) -> None:
    ipython.register_magic_function(kit_magic, magic_kind="line", magic_name="kit")
