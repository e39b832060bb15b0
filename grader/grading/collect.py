"""The tests a grading run expects: collected once per run from the pristine tests.

Collection runs in a worker subprocess like grading does (same pytest arguments,
so the same test keys) and never imports code under test: the exercise tests
reach it lazily through :func:`grader.testing.impl`. Each expected test carries
its module, its points (the ``points`` marker) and its visibility (the
``visibility`` marker of private tests; the kit's tests are all visible).

Private instructor tests (``--tests DIR``) belong to a module by their place:
a file ``test_<module>.py`` or ``test_<module>_*.py``, or any ``test_*.py`` in a
folder named after the module (``layers/``) or its exercise folder (``05_layers/``).
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from ..catalog import BY_NAME, module_of_test_file
from ..protocol import Event, WorkerSpec
from ..tasks import mentioned, task_of
from . import runner


class KitError(Exception):
    """The grader cannot run: no kit, unreadable tests, a private test without a module."""


@dataclass(frozen=True)
class ExpectedTest:
    key: str
    module: str
    name: str  # as reports show it
    points: float
    visibility: str = "visible"
    private: bool = False
    task: str | None = None  # the one contract item the test checks (grader.tasks)


@dataclass
class Plan:
    kit: Path
    modules: tuple[str, ...]
    tests: dict[str, list[ExpectedTest]]
    files: dict[str, list[str]]
    torch: str = ""
    warnings: list[str] = field(default_factory=list)

    @property
    def hidden_tests(self) -> int:
        return sum(t.visibility != "visible" for ts in self.tests.values() for t in ts)

    @property
    def private_tests(self) -> int:
        return sum(t.private for ts in self.tests.values() for t in ts)


def default_kit() -> Path | None:
    """The kit this grader package belongs to (the folder holding ``exercises/``)."""
    root = Path(__file__).resolve().parents[2]
    return root if (root / "exercises").is_dir() else None


def kit_test_files(kit: Path, modules: tuple[str, ...]) -> tuple[dict[str, Path], list[str]]:
    """Each module's pristine test file; a module without one is left out, with a warning."""
    found, warnings = {}, []
    for name in modules:
        ex = BY_NAME[name]
        path = kit / "exercises" / ex.folder / ex.test_filename
        if path.is_file():
            found[name] = path.resolve()
        else:
            warnings.append(
                f"the kit has no exercises/{ex.folder}/{ex.test_filename}: {name} is not graded"
            )
    return found, warnings


def private_test_files(tests_dir: Path) -> dict[str, list[Path]]:
    if not tests_dir.is_dir():
        raise KitError(f"--tests {tests_dir}: no such folder")
    found: dict[str, list[Path]] = {}
    unknown = []
    for path in sorted(tests_dir.rglob("test_*.py")):
        rel = path.relative_to(tests_dir)
        if any(p.startswith(".") or p == "__pycache__" for p in rel.parts[:-1]):
            continue
        module = module_of_test_file(rel)
        if module is None:
            unknown.append(str(rel))
        else:
            found.setdefault(module, []).append(path.resolve())
    if unknown:
        raise KitError(
            "cannot tell which module these private tests are for: "
            + ", ".join(unknown)
            + " (name a file test_<module>.py or test_<module>_*.py, or put it in a "
            "folder named after the module)"
        )
    if not found:
        raise KitError(f"--tests {tests_dir}: no test_*.py files in it")
    return found


READ_AHEAD_WAIT_S = 10.0


def read_ahead(files: dict[str, list[str]]) -> None:
    """Parse each test file for its probes (``runner.probe_sources``) and for what each
    test reads (``tasks.mentioned``), into their caches. One thread parses at a time:
    Python 3.11's ``ast`` fails when two threads parse at once.

    It starts once the probe workers' fork server is up: until then both fork servers
    load torch and keep every core busy; after, one core waits for the other."""
    runner.wait_for_probe_server(READ_AHEAD_WAIT_S)
    for paths in files.values():
        runner.probe_sources(paths)
        for path in paths:
            mentioned(path, "")


def collect(
    kit: Path,
    modules: tuple[str, ...],
    tests_dir: Path | None,
    config: runner.WorkerConfig,
) -> Plan:
    """Collect every expected test in one worker; a :class:`KitError` if that fails."""
    kit_files, warnings = kit_test_files(kit, modules)
    private = private_test_files(tests_dir) if tests_dir is not None else {}
    for name in private:
        if name not in modules:
            warnings.append(f"private tests for {name} ignored: {name} is not graded")
    graded = tuple(name for name in modules if name in kit_files)
    if not graded:
        raise KitError(f"no exercise tests found in {kit / 'exercises'}: is --kit right?")
    files = {
        name: [str(kit_files[name])] + [str(p) for p in private.get(name, [])] for name in graded
    }
    owner = {path: name for name, paths in files.items() for path in paths}
    private_root = tests_dir.resolve() if tests_dir is not None else None

    tests: dict[str, list[ExpectedTest]] = {name: [] for name in graded}
    errors: list[str] = []
    info: dict = {"torch": "", "done": False}
    # While the worker starts (seconds: torch, the fork servers), read the test files
    # once for what the events and the first modules need; the events wait for it.
    reading = threading.Thread(target=read_ahead, args=(files,), daemon=True)
    reading.start()

    def on_event(event: dict) -> None:
        reading.join()
        kind = event.get("ev")
        if kind == Event.HELLO:
            info["torch"] = str(event.get("torch", ""))
        elif kind == Event.COLLECT_ERROR:
            errors.append(f"{event.get('file')}: {event.get('message')}")
        elif kind == Event.DONE:
            info["done"] = True
        elif kind == Event.TEST:
            file = str(event.get("file"))
            name = owner.get(file)
            if name is None:
                return
            shown = str(event.get("name"))
            private_test = Path(file) != kit_files[name]
            if private_test and private_root is not None:
                shown = f"{Path(file).relative_to(private_root).as_posix()}::{shown}"
            tests[name].append(
                ExpectedTest(
                    key=str(event["key"]),
                    module=name,
                    name=shown,
                    points=float(event.get("points", 0.0)),
                    visibility=str(event.get("visibility", "visible")),
                    private=private_test,
                    task=task_of(name, str(event.get("name")), file),
                )
            )

    started = time.monotonic()
    limit = config.limits.startup + 60

    def watchdog() -> str | None:
        return "startup" if time.monotonic() - started > limit else None

    scratch = runner.make_scratch("grader-collect-")
    try:
        spec = WorkerSpec(
            mode="collect",
            files=[path for name in graded for path in files[name]],
            rootdir=str(kit),
            impl=str(scratch / "impl"),
            seed=config.seed,
            timeout=config.limits.timeout,
            lang=config.lang,
            basetemp=str(scratch / "tmp" / "pytest"),
        )
        if config.fork_server:
            from .. import forkserver

            forkserver.plan_warm_up(spec)  # the zygote this launch starts imports these tests
        attempt = runner.launch(spec, scratch, config, on_event, watchdog)
    finally:
        runner.remove_scratch(scratch)
    if errors:
        raise KitError("the grader's tests could not be collected:\n" + "\n".join(errors))
    if not info["done"]:
        raise KitError(
            "collecting the grader's tests failed"
            + (" (it took too long)" if attempt.killed else "")
            + ":\n"
            + attempt.tail[-3000:]
        )
    for name in graded:
        if not tests[name]:
            raise KitError(f"no tests were collected for {name} from {files[name][0]}")
        unmarked = [t.name for t in tests[name] if t.private and t.points == 0]
        if unmarked:
            warnings.append(
                f"{len(unmarked)} private test(s) of {name} carry no points marker "
                f"and count 0: {', '.join(unmarked[:3])}{'...' if len(unmarked) > 3 else ''}"
            )
    return Plan(kit, graded, tests, files, info["torch"], warnings)
