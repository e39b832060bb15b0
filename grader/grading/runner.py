"""Grade one module of one submission in its own subprocess: the one place workers start.

:func:`run_module` is the grading step. It copies the module file into a private
scratch folder, starts ``python -I -m grader.grading.worker`` there (forked from the fork
server, grader/forkserver.py, unless ``--no-fork-server``: the same worker code on
the same spec either way) in a clean environment and in its own session, reads the
per-test outcomes from a private socket (stdout and stderr are kept only as a
truncated tail) and enforces the limits:

* per test: the worker's own timer (``--timeout``) plus a watchdog here at
  timeout + grace, for code that blocks signals or swallows the timeout;
* per module: a wall-clock limit; past it the whole process group is killed;
* per probe worker (grader/grading/probe_worker.py, the only process that imports the
  module): the in-worker sandbox (grader/isolation/sandbox.py: Landlock, resource limits, an
  audit hook that protects the machine), whose denials arrive as ``violation`` events
  and score the module 0;
* after every worker: :func:`grader.isolation.reaper.sweep` kills whatever it left behind
  (the grader is the subreaper of its workers' descendants).

Each job is a pair: the test runner (grader/grading/worker.py: pytest, Hypothesis, the
verdicts; it never imports the module) and its probe worker, joined by a socket pair
the grader only hands over. When the probe worker dies (a hang, a segfault,
``os._exit``) the test it was running gets the blame and a fresh pair resumes with the
tests not yet run, so one test that hangs or crashes fails alone. A test counts only
if its own result line arrived, in order: a ``start`` out of order, a second result
for a test, or a result for a test that is not running are forgeries (the module
scores 0).
"""

from __future__ import annotations

import atexit
import dataclasses
import os
import secrets
import selectors
import shutil
import signal
import socket
import stat
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar

from .. import catalog
from ..isolation import reaper
from ..isolation.sandbox import GIB, Policy
from ..protocol import (
    EXIT_HUNG,
    EXIT_PROBE_BUSY,
    EXIT_PROBE_LOST,
    EXIT_PROBE_UNBORN,
    Event,
    ProbeSpec,
    TestStatus,
    WorkerSpec,
    clean,
    parse_event,
)

OUTPUT_TAIL_BYTES = 64 * 1024
MAX_LINE_BYTES = 256 * 1024
STALL_GRACE_S = 15.0  # beyond --timeout, before the parent kills a silent test
STARTUP_LIMIT_S = 120.0  # from launch to the first test (imports torch, collects)
UNBORN_RETRIES = 2  # fresh pairs after a probe worker that ended before its hello
MAX_RESTARTS = 30  # fresh workers after a crash or hang, per module (and its time limit)
# After a test of a module runs out of time, the module's other tests share half a
# test's limit, and at least 10 s (a fresh worker and a few quick tests), all
# together: a module whose every test hangs costs about 1.5 test limits (30 s: 45 s),
# not one per test.
HANG_SHARE = 0.5
HANG_MIN_S = 10.0
DRAIN_S = 2.0  # after the worker exits, how long to wait for its pipes to close


@dataclass(frozen=True)
class Limits:
    timeout: float = 30.0  # per test
    module_timeout: float = 300.0  # per module, all restarts together
    startup: float = STARTUP_LIMIT_S
    stall_grace: float = STALL_GRACE_S
    max_restarts: int = MAX_RESTARTS
    memory: int = 2 * GIB  # bytes a worker may allocate beyond what it has loaded


@dataclass(frozen=True)
class WorkerConfig:
    kit: Path  # the rootdir of the pristine tests
    seed: int
    limits: Limits = field(default_factory=Limits)
    lang: str = "en"
    gpu: bool = False
    python: str = sys.executable
    # Fork workers from a zygote that has torch, pytest and Hypothesis imported
    # (grader/forkserver.py); off: a new ``python -I -m grader.grading.worker`` per worker.
    fork_server: bool = True
    # The in-worker sandbox (Landlock, rlimits, audit hook), the network namespace and,
    # where bubblewrap runs, the containment of forked workers (grader/isolation/containment.py).
    sandbox: bool = True
    # The audit hook alone (tests turn it off to show what the kernel's layers hold).
    audit_hook: bool = True
    # With --gpu: the worker's one GPU and its memory cap (grader/isolation/gpus.py), as variables,
    # and the device files of that GPU its sandbox lets it open.
    gpu_env: tuple[tuple[str, str], ...] = ()
    gpu_devices: tuple[str, ...] = ()


@dataclass(frozen=True)
class ModuleJob:
    submission: str
    module: str
    filename: str
    source: bytes
    files: tuple[str, ...]  # test files to run (the kit's and any private ones)
    keys: tuple[str, ...]  # the expected tests, in order


@dataclass
class ModuleRun:
    """What the worker(s) said about one module; the report decides the verdicts."""

    results: dict[str, tuple[TestStatus, str]] = field(default_factory=dict)  # key -> status, msg
    import_error: str = ""
    crashes: list[str] = field(default_factory=list)  # one sentence per crash
    timed_out: bool = False  # the module's wall-clock limit was reached
    import_timed_out: bool = False  # importing the module ran past the test time limit
    duration_s: float = 0.0
    durations: dict[str, float] = field(default_factory=dict)  # key -> seconds the test ran
    # A limit shorter than the module's that ended it: "hang" (a test ran out of time,
    # the others then shared HANG_SHARE of a test limit, HANG_MIN_S at least) or
    # "submission" (--submission-timeout), with that limit in seconds.
    cut: str = ""
    cut_s: float = 0.0
    workers: int = 0
    output_tail: str = ""
    # What broke the grader's rules (an action the sandbox denied, forged results), in
    # plain words: any entry scores the module 0.
    integrity: list[str] = field(default_factory=list)
    layers: list[str] | None = None  # the sandbox layers every worker had (None: no worker)
    swept: int = 0  # leftover processes killed after the workers

    def flag(self, *sentences: str) -> None:
        for sentence in sentences:
            sentence = clean(sentence, limit=300)
            if sentence and sentence not in self.integrity and len(self.integrity) < 10:
                self.integrity.append(sentence)

    def saw_layers(self, layers: list[str]) -> None:
        self.layers = (
            list(layers)
            if self.layers is None
            else [layer for layer in self.layers if layer in layers]
        )


# ---------------------------------------------------------------- live workers

_LIVE: set[int] = set()
_LIVE_LOCK = threading.Lock()
_CANCELLED = threading.Event()


def cancel_all() -> None:
    """Kill every running worker and start no new one (Ctrl-C in the parent)."""
    _CANCELLED.set()
    with _LIVE_LOCK:
        groups = list(_LIVE)
    for pgid in groups:
        _killpg(pgid)


def _killpg(pgid: int) -> None:
    try:
        os.killpg(pgid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass


def clean_env(scratch: Path, gpu: bool, gpu_env=()) -> dict[str, str]:
    """A worker's whole environment: nothing inherited but, with a GPU, its selection
    (``gpu_env``: the one GPU the grader gave it, grader/isolation/gpus.py)."""
    env = {
        "PATH": "/usr/local/bin:/usr/bin:/bin",
        "HOME": str(scratch / "home"),
        "TMPDIR": str(scratch / "tmp"),
        "LANG": "C.UTF-8",
        "LC_ALL": "C.UTF-8",
        "OMP_NUM_THREADS": "1",
        "MKL_NUM_THREADS": "1",
        "OPENBLAS_NUM_THREADS": "1",
        "PYTEST_DISABLE_PLUGIN_AUTOLOAD": "1",
        "HYPOTHESIS_STORAGE_DIRECTORY": str(scratch / "tmp" / "hypothesis"),
        "CUDA_VISIBLE_DEVICES": "",
        catalog.KIT_ROOT_ENV: str(catalog.ROOT),  # the catalogue the grader itself read
    }
    if gpu:
        env.pop("CUDA_VISIBLE_DEVICES")
        if "CUDA_VISIBLE_DEVICES" in os.environ:
            env["CUDA_VISIBLE_DEVICES"] = os.environ["CUDA_VISIBLE_DEVICES"]
        env.update(dict(gpu_env))
    return env


def make_scratch(prefix: str) -> Path:
    scratch = Path(tempfile.mkdtemp(prefix=prefix))
    for sub in ("home", "tmp", "work", "impl"):
        (scratch / sub).mkdir()
    return scratch


def remove_scratch(scratch: Path) -> None:
    """Delete a scratch folder and all in it, whatever modes the worker gave them.

    A worker may take the write or search permission off folders it owns (``chmod
    0500``, ``chmod 0``): the grader, unless it is root, could then delete nothing in
    them. Each folder in the scratch folder that stops the deletion is made ``u+rwx``
    again and the deletion retried; links are never followed, nothing outside the
    scratch folder is touched, and no error escapes.
    """
    root = os.path.abspath(scratch)

    def inside(path: str) -> bool:
        return path == root or path.startswith(root + os.sep)

    def unlock(path: str) -> bool:
        """Make ``path`` (a folder in the scratch folder, not a link) u+rwx: changed?"""
        try:
            mode = os.lstat(path).st_mode
            if not inside(path) or not stat.S_ISDIR(mode) or mode & 0o700 == 0o700:
                return False
            os.chmod(path, stat.S_IMODE(mode) | 0o700)
            return True
        except OSError:
            return False

    def retry(func, path, _exc) -> None:
        path = os.path.abspath(path)
        try:
            unlock(os.path.dirname(path))
            if unlock(path):  # a folder that could not be opened: delete it now
                shutil.rmtree(path, **{handler: retry})
            elif os.path.lexists(path):
                if stat.S_ISDIR(os.lstat(path).st_mode):
                    os.rmdir(path)
                else:
                    os.unlink(path)
        except OSError:
            pass  # tried again below, then given up

    handler = "onexc" if sys.version_info >= (3, 12) else "onerror"
    for _ in range(3):
        try:
            shutil.rmtree(root, **{handler: retry})
        except OSError:
            pass
        if not os.path.lexists(root):
            return


# ---------------------------------------------------------------- the fork server

_ZYGOTE_LOCK = threading.Lock()
_ZYGOTE_SCRATCH: dict[str, Path] = {}  # "tests", "probes": each zygote's HOME and TMPDIR
FORK_SERVER_NOTES: list[str] = []  # why workers were started as subprocesses instead
CONTAINMENT_NOTES: list[str] = []  # why workers ran without bubblewrap (printed once)


def _uncontained(config: WorkerConfig, why: str | None) -> None:
    if config.sandbox and why:
        with _ZYGOTE_LOCK:
            if why not in CONTAINMENT_NOTES:
                CONTAINMENT_NOTES.append(why)


def _start_worker(
    args: list[str],
    config: WorkerConfig,
    files: list[str] | None = None,
    probes: bool = False,
    **popen,
):
    """Start one worker: forked by the fork server where it can, else a subprocess.

    Either way the worker runs ``grader.grading.worker.main`` on the same spec, in its own
    session, with the same environment, descriptors and pipes (grader/forkserver.py).
    Collection, the first job, waits for the fork server too: a worker forked once it
    is up starts the tests sooner than a new Python importing torch beside it would.
    With ``--gpu`` workers are always new processes: CUDA must not be initialised
    before a fork, and each GPU worker should own its context.
    """
    if config.fork_server and not config.gpu:
        from .. import forkserver

        try:
            return _fork_server(config, files or [], probes).popen(args, **popen)
        except forkserver.ForkServerError as exc:
            with _ZYGOTE_LOCK:
                if str(exc) not in FORK_SERVER_NOTES:
                    FORK_SERVER_NOTES.append(str(exc))
    from ..isolation import containment

    _uncontained(
        config,
        containment.statement()
        or "workers started as new processes (--gpu, --no-fork-server, or no fork server) "
        "run without bubblewrap's containment",
    )
    prefix = reaper.network_prefix() if config.sandbox else []
    with reaper.SPAWN_LOCK:  # registered before any sweep can look at it
        proc = subprocess.Popen(prefix + args, **popen)
        reaper.register(proc.pid)
    return proc


def _fork_server(config: WorkerConfig, files: list[str], probes: bool = False):
    """A fork server, in bubblewrap where it runs (grader/isolation/containment.py).

    The test runners' zygote: its view holds the test files of the collection it is
    warmed with (or of the job that starts it): every later job of the grading run
    needs only those. The probe workers' zygote (``probes``) holds no test file, in
    its view or in its memory: a learner's module cannot read an instructor's tests.
    """
    from .. import forkserver
    from ..isolation import containment

    if not forkserver.available():
        raise forkserver.ForkServerError("fork is not available on this platform")
    kind = "probes" if probes else "tests"
    with _ZYGOTE_LOCK:
        if kind not in _ZYGOTE_SCRATCH:
            _ZYGOTE_SCRATCH[kind] = make_scratch(f"grader-zygote-{kind}-")
        scratch = _ZYGOTE_SCRATCH[kind]
    contain = None
    program = containment.status()[0] if config.sandbox else None
    if program is not None:
        shown = [] if probes else (forkserver._WARM_UP.get("files") or files)
        contain = {
            "program": program,
            # The exercises' manifests too: the catalogue is read when the grader loads.
            "files": sorted({str(f) for f in [*shown, *files, *catalog.data_files()]}),
            "kit": str(config.kit),
            "scratch": str(scratch),
            "size": containment.SCRATCH_BYTES,
        }
    else:
        _uncontained(config, containment.statement())
    prefix = reaper.network_prefix() if config.sandbox and contain is None else []
    env = clean_env(scratch, config.gpu, config.gpu_env)
    # Started from a thread of the keeper, which lives as long as the grader: bubblewrap's
    # --die-with-parent follows the thread that started it, and a job's thread ends.
    return _KEEPER.submit(
        forkserver.server_for,
        config.python,
        env,
        str(scratch / "work"),
        prefix,
        contain,
        warm=not probes,
    ).result()


# Two threads (the two kinds of zygote start at once) that never end before the process.
_KEEPER = ThreadPoolExecutor(max_workers=2, thread_name_prefix="zygote")


def start_probe_server(config: WorkerConfig) -> None:
    """Start the probe workers' fork server now, in the background (speed only: a job
    that finds it not started, or broken, starts it or falls back as it would)."""
    if not config.fork_server or config.gpu:
        return
    settled = threading.Event()
    _PROBE_SERVER_STARTING[:] = [settled]

    def start() -> None:
        from .. import forkserver

        try:
            _fork_server(config, [], probes=True)
        except forkserver.ForkServerError:
            pass
        finally:
            settled.set()

    threading.Thread(target=start, name="probe-zygote", daemon=True).start()


_PROBE_SERVER_STARTING: list[threading.Event] = []


def wait_for_probe_server(timeout: float) -> None:
    """Until the probe workers' fork server that :func:`start_probe_server` began is up
    (or failed), ``timeout`` seconds at most; at once if none is starting."""
    if _PROBE_SERVER_STARTING:
        _PROBE_SERVER_STARTING[0].wait(timeout)


def shutdown() -> None:
    """Stop the fork servers (if any were started) and remove their scratch folders."""
    from .. import forkserver

    forkserver.shutdown()
    if _GRADING_SINCE:
        reaper.sweep_all_orphans(_GRADING_SINCE[0])
    with _ZYGOTE_LOCK:
        scratches = list(_ZYGOTE_SCRATCH.values())
        _ZYGOTE_SCRATCH.clear()
    for scratch in scratches:
        remove_scratch(scratch)


atexit.register(shutdown)


_GRADING_SINCE: list[int] = []  # when the first worker started (clock ticks since boot)


def sandbox_policy(cpu: int, scratch: Path, config: WorkerConfig) -> dict | None:
    """The sandbox of one probe worker (grader/isolation/sandbox.py), as its spec carries it: it
    reads no test file, only the exercises' manifests (the catalogue the grader reads
    when it loads). ``cpu``: the CPU seconds it may use (0: no limit given)."""
    if not config.sandbox:
        return None
    grader_dir = Path(__file__).resolve().parents[1]
    return Policy(
        scratch=str(scratch),
        read=[str(path) for path in catalog.data_files()],
        protected=[str(Path(config.kit).resolve()), str(grader_dir)],
        memory=config.limits.memory,
        cpu=int(cpu or 0),
        gpu=config.gpu,
        gpu_devices=list(config.gpu_devices),
        audit_hook=config.audit_hook,
    ).to_spec()


@dataclass
class Attempt:
    returncode: int | None  # the test runner's
    killed: str | None  # why the parent killed it: "stall", "deadline", "startup", "cancel"
    tail: str
    swept: int = 0  # leftover processes killed after it
    probe_returncode: int | None = None  # the probe worker's


@dataclass(frozen=True)
class ProbeSide:
    """What a probe worker gets: its folder (the module file in ``impl/``), the
    module, and the probe source of each test file (grader/probing.py)."""

    scratch: Path
    module: str
    filename: str
    probes: tuple[tuple[str, str], ...]


_PROBE_SOURCES: dict[tuple[str, int, int], str] = {}
# CPython's ast module keeps its recursion depth in shared state: parsing in two threads
# at once can fail ("AST constructor recursion depth mismatch"). Jobs run in threads.
_PROBE_SOURCES_LOCK = threading.Lock()


def probe_sources(files) -> tuple[tuple[str, str], ...]:
    """(file, probe source) of each test file: all a probe worker learns of the tests.

    Worked out once per file (and again only if the file changes)."""
    from ..probe_source import probe_source

    found = []
    with _PROBE_SOURCES_LOCK:
        for file in files:
            path = Path(file).resolve()
            stat = path.stat()
            key = (str(path), stat.st_size, stat.st_mtime_ns)
            if key not in _PROBE_SOURCES:
                _PROBE_SOURCES[key] = probe_source(path.read_text(), str(path))
            found.append((str(path), _PROBE_SOURCES[key]))
    return tuple(found)


def _start_probe_worker(side: ProbeSide, config: WorkerConfig, fd: int, cpu: int, magic: str):
    spec = ProbeSpec(
        fd=fd,
        magic=magic,
        module=side.module,
        path=str(side.scratch / "impl" / side.filename),
        probes=[list(p) for p in side.probes],
        timeout=config.limits.timeout,
        sandbox=sandbox_policy(cpu, side.scratch, config),
    )
    if spec.sandbox is not None:
        spec.sandbox["cpu"] = cpu
    spec_path = side.scratch / f"spec-{secrets.token_hex(4)}.json"
    spec_path.write_text(spec.to_json())
    return _start_worker(
        [config.python, "-I", "-m", "grader.grading.probe_worker", str(spec_path)],
        config,
        probes=True,
        cwd=side.scratch / "work",
        env=clean_env(side.scratch, config.gpu, config.gpu_env),
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        pass_fds=(fd,),
        start_new_session=True,
    )


def launch(
    spec: WorkerSpec,
    scratch: Path,
    config: WorkerConfig,
    on_event: Callable[[dict[str, Any]], None],
    watchdog: Callable[[], str | None],
    slots: threading.Semaphore | None = None,
    on_open: Callable[[float], None] | None = None,
    probe: ProbeSide | None = None,
) -> Attempt:
    """Run one worker to its end; events go to ``on_event``; ``watchdog`` may stop it.

    ``spec``: what the worker is to do; the channel's fields are filled in here. Each
    event ``on_event`` gets is one :func:`grader.protocol.parse_event` accepted.

    With ``slots`` the worker is staged: it sets up and collects at once, says
    "ready" and waits; it goes on to import the module only
    once it holds one of the ``slots`` (released when it has exited). The wait is
    nobody's fault: the watchdog is not asked then, and ``on_open(seconds waited)``
    lets the caller leave it out of the module's time.
    """
    reaper.become_subreaper()
    if not _GRADING_SINCE:
        _GRADING_SINCE.append(reaper.boot_ticks_now())
    pair = _start_pair(spec, scratch, config, slots, probe)
    loop = _Loop(pair, on_event, watchdog, slots, on_open)
    try:
        loop.run()
    finally:
        swept = pair.stop(loop)
    text = clean(bytes(loop.tail).decode("utf-8", "replace"), limit=OUTPUT_TAIL_BYTES)
    text = text.replace(str(scratch), "<scratch>")
    if probe is not None:
        text = text.replace(str(probe.scratch), "<scratch>")
    probe_code = pair.probe_proc.returncode if pair.probe_proc is not None else None
    return Attempt(pair.proc.returncode, loop.killed, text, swept, probe_code)


@dataclass
class _Pair:
    """A running test runner (and its probe worker): their processes, and the grader's
    end of the runner's channel."""

    proc: Any
    mine: int  # the grader's end of the channel
    token: str
    born: int
    probe_proc: Any = None
    probe_born: int | None = None

    def stop(self, loop: _Loop) -> int:
        """Kill both and whatever they started; how many leftovers were swept."""
        _killpg(self.proc.pid)  # the worker and anything it started
        self.proc.wait()
        swept = reaper.sweep(self.proc.pid, self.born)  # and what left its group
        if self.probe_proc is not None:
            swept += _end_probe(self.probe_proc, self.probe_born)
        if loop.holding:
            loop.slots.release()
        reaper.unregister(self.proc.pid)
        with _LIVE_LOCK:
            _LIVE.discard(self.proc.pid)
        os.close(self.mine)
        self.proc.stdout.close()
        return swept


def _start_pair(
    spec: WorkerSpec,
    scratch: Path,
    config: WorkerConfig,
    slots: threading.Semaphore | None,
    probe: ProbeSide | None,
) -> _Pair:
    """Start the probe worker (with ``probe``), then the test runner, and their channels."""
    # A socket pair, not a pipe: the worker's events come up it, the go goes down.
    ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
    mine, worker_end = ours.detach(), theirs.detach()
    token = secrets.token_hex(16)
    spec = dataclasses.replace(
        spec, fd=worker_end, token=token, gate=spec.gate or slots is not None
    )
    # The probe worker first (run mode): the test runner talks to it over a socket pair
    # of its own, which the grader only hands over.
    pass_fds: tuple[int, ...] = (worker_end,)
    runner_end = probe_proc = None
    if probe is not None:
        runner_sock, probe_sock = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
        runner_end, probe_end = runner_sock.detach(), probe_sock.detach()
        try:
            magic = secrets.token_hex(8)
            probe_proc = _start_probe_worker(probe, config, probe_end, int(spec.cpu or 0), magic)
        except BaseException:
            for fd in (mine, worker_end, runner_end):
                os.close(fd)
            raise
        finally:
            os.close(probe_end)
        spec = dataclasses.replace(
            spec, probe_fd=runner_end, magic=magic, startup=config.limits.startup
        )
        pass_fds = (worker_end, runner_end)
    spec_path = scratch / f"spec-{secrets.token_hex(4)}.json"
    spec_path.write_text(spec.to_json())
    try:
        proc = _start_worker(
            [config.python, "-I", "-m", "grader.grading.worker", str(spec_path)],
            config,
            files=list(spec.files),
            cwd=scratch / "work",
            env=clean_env(scratch, config.gpu, config.gpu_env),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            pass_fds=pass_fds,
            start_new_session=True,
        )
    except BaseException:
        os.close(mine)
        os.close(worker_end)
        if runner_end is not None:
            os.close(runner_end)
        if probe_proc is not None:
            _end_probe(probe_proc, None)
        raise
    os.close(worker_end)
    if runner_end is not None:
        os.close(runner_end)
    born = reaper.start_time(proc.pid) or reaper.boot_ticks_now()
    with _LIVE_LOCK:
        _LIVE.add(proc.pid)
        if probe_proc is not None:
            _LIVE.add(probe_proc.pid)
    probe_born = None
    if probe_proc is not None:
        probe_born = reaper.start_time(probe_proc.pid) or reaper.boot_ticks_now()
    return _Pair(proc, mine, token, born, probe_proc, probe_born)


class _Loop:
    """The grader's side of one worker's run: its events, its output, its gate and
    its limits, until it is gone."""

    def __init__(self, pair: _Pair, on_event, watchdog, slots, on_open) -> None:
        self.pair, self.on_event, self.watchdog = pair, on_event, watchdog
        self.slots, self.on_open = slots, on_open
        self.tail = bytearray()
        self.pending = bytearray()
        self.killed: str | None = None
        self.exited_at: float | None = None
        self.ready_at: float | None = None  # when a staged worker said "ready"
        self.holding = False  # a slot, from the go until the worker is gone

    def gated(self) -> bool:  # ready, and waiting for a slot
        return self.slots is not None and self.ready_at is not None and not self.holding

    def run(self) -> None:
        selector = selectors.DefaultSelector()
        selector.register(self.pair.mine, selectors.EVENT_READ, "events")
        selector.register(self.pair.proc.stdout.fileno(), selectors.EVENT_READ, "output")
        if self.pair.probe_proc is not None:  # what the learner's code prints
            selector.register(self.pair.probe_proc.stdout.fileno(), selectors.EVENT_READ, "output")
        try:
            while selector.get_map():
                waiting = self.gated() and not self.open_gate()
                for key, _ in selector.select(timeout=0 if waiting else 0.25):
                    data = os.read(key.fd, 65536)
                    if not data:
                        selector.unregister(key.fd)
                    elif key.data == "output":
                        self.tail += data
                        del self.tail[:-OUTPUT_TAIL_BYTES]
                    else:
                        self.take(data)
                if self.ended():
                    break  # something the worker started still holds a pipe open
        finally:
            selector.close()

    def open_gate(self) -> bool:
        """Wait a moment for a slot; with one, say go (or stop a worker whose time
        ran out while it waited). Whether a slot was taken."""
        if not self.slots.acquire(timeout=0.25):
            return False
        self.holding = True
        if self.on_open is not None:
            self.on_open(time.monotonic() - self.ready_at)
        # A limit that ran out while it waited (the submission's): no go.
        reason = "cancel" if _CANCELLED.is_set() else self.watchdog()
        if reason:
            self.kill(reason, time.monotonic())
        else:
            try:
                os.write(self.pair.mine, b"g")
            except OSError:  # it is gone: its exit is seen below
                pass
        return True

    def take(self, data: bytes) -> None:
        """Whole event lines to ``on_event``; "ready" sets the gate."""
        self.pending += data
        *lines, rest = bytes(self.pending).split(b"\n")
        self.pending = bytearray(rest[:MAX_LINE_BYTES])
        for line in lines:
            event = parse_event(line, self.pair.token)
            if event is None:
                continue
            if event["ev"] is Event.READY:  # only the first, before the go
                if self.ready_at is None and not self.holding:
                    self.ready_at = time.monotonic()
                continue
            self.on_event(event)

    def kill(self, reason: str, now: float) -> None:
        self.killed, self.exited_at = reason, now
        _killpg(self.pair.proc.pid)

    def ended(self) -> bool:
        """Apply the limits; whether the worker is gone long enough to stop reading."""
        now = time.monotonic()
        if self.killed is None:
            reason = "cancel" if _CANCELLED.is_set() else None if self.gated() else self.watchdog()
            if reason:
                self.kill(reason, now)
        if self.exited_at is None and self.pair.proc.poll() is not None:
            self.exited_at = now
        return self.exited_at is not None and now - self.exited_at > DRAIN_S


def _end_probe(proc, born) -> int:
    """Kill a probe worker and whatever it started; how many leftovers were swept."""
    _killpg(proc.pid)
    proc.wait()
    swept = reaper.sweep(proc.pid, born) if born is not None else 0
    reaper.unregister(proc.pid)
    with _LIVE_LOCK:
        _LIVE.discard(proc.pid)
    if proc.stdout is not None:
        proc.stdout.close()
    return swept


def _signal_name(returncode: int | None) -> str:
    if returncode is None or returncode >= 0:
        return f"exit status {returncode}"
    try:
        return signal.Signals(-returncode).name
    except ValueError:
        return f"signal {-returncode}"


def _short(key: str) -> str:
    return key.rsplit("::", 1)[-1]


def run_module(
    job: ModuleJob,
    config: WorkerConfig,
    slots: threading.Semaphore | None = None,
    until: tuple[float, float] | None = None,
) -> ModuleRun:
    """Grade one module file: every expected test gets a result or stays absent.

    ``slots`` (shared by the callers) stages the workers (:func:`launch`): the time
    one waits for a slot counts neither against the module's limits nor in its
    duration. ``until``: the submission's deadline (``time.monotonic()``) and its
    limit in seconds (``--submission-timeout``); no wait extends it.
    """
    run = ModuleRun()
    limits = config.limits
    started = time.monotonic()
    deadline = started + limits.module_timeout
    waited = 0.0

    def cap(at: float, cut: str, seconds: float) -> None:
        nonlocal deadline
        if at < deadline:
            deadline, run.cut, run.cut_s = at, cut, seconds

    def opened(seconds: float, state: _WorkerState) -> None:
        nonlocal deadline, waited
        deadline += seconds
        waited += seconds
        state.since = time.monotonic()
        if until is not None:
            cap(until[0], "submission", until[1])

    def hung(key: str) -> None:
        """A test ran out of time: the module's other tests share what is left of
        HANG_SHARE of a test limit (HANG_MIN_S at least)."""
        if run.results.get(key, ("",))[0] == TestStatus.TIMEOUT and run.cut != "hang":
            share = max(HANG_SHARE * limits.timeout, HANG_MIN_S)
            cap(time.monotonic() + share, "hang", share)

    def on_event(event: dict, state: _WorkerState) -> None:
        state.on_event(event, run, expected, (scratch, probe_scratch))
        if event.get("ev") == Event.RESULT and isinstance(event.get("key"), str):
            hung(event["key"])

    if until is not None:
        cap(until[0], "submission", until[1])

    expected = set(job.keys)
    scratch = make_scratch(f"grader-{job.module}-")  # the test runner's: no module in it
    probe_scratch = make_scratch(f"grader-{job.module}-probe-")
    try:
        (probe_scratch / "impl" / job.filename).write_bytes(job.source)
        side = ProbeSide(probe_scratch, job.module, job.filename, probe_sources(job.files))
        pending = list(job.keys)
        restarts = unborn = 0
        while pending and not _CANCELLED.is_set():
            state = _WorkerState(pending)
            left = max(1.0, deadline - time.monotonic())
            spec = WorkerSpec(
                mode="run",
                files=list(job.files),
                rootdir=str(config.kit),
                impl=str(scratch / "impl"),
                module=job.module,
                keys=pending,
                seed=config.seed,
                timeout=limits.timeout,
                lang=config.lang,
                basetemp=str(scratch / "tmp" / "pytest"),
                cpu=int(left) + 2,  # CPU seconds: the wall-clock time left, and a margin
            )
            attempt = launch(
                spec,
                scratch,
                config,
                lambda event, state=state: on_event(event, state),
                lambda state=state: state.watchdog(limits, deadline),
                slots,
                lambda seconds, state=state: opened(seconds, state),
                side,
            )
            run.workers += 1
            run.output_tail = attempt.tail
            run.swept += attempt.swept
            if state.layers is not None:
                run.saw_layers(state.layers)
            if attempt.returncode == EXIT_PROBE_UNBORN and not attempt.killed:
                # The probe worker ended before the module was imported: no code of
                # the module ran, so nothing is blamed and a fresh pair tries again.
                unborn += 1
                if unborn <= UNBORN_RETRIES:
                    continue
                how = _signal_name(attempt.probe_returncode)
                run.crashes.append(f"the sandboxed worker did not start ({how})")
                break
            if _settled(run, state, attempt, job, limits, pending, hung):
                break
            pending = [key for key in pending if key not in run.results]
            if state.done or not state.new:
                break
            restarts += 1
            if restarts > limits.max_restarts:
                run.crashes.append(f"gave up after {limits.max_restarts} fresh workers")
                break
    finally:
        remove_scratch(scratch)
        remove_scratch(probe_scratch)
        run.duration_s = time.monotonic() - started - waited
    return run


def _settled(run, state, attempt, job, limits, pending, hung) -> bool:
    """Account for a worker that ended: blame the test it was running, if any; whether
    the module is done with (nothing more to learn from a fresh worker)."""
    if run.integrity:
        return True  # the module scores 0: nothing more to learn from it
    if attempt.killed == "deadline":
        run.timed_out = True
        current = state.current
        if current and current not in run.results:
            run.durations[current] = time.monotonic() - state.since
            run.results[current] = (TestStatus.TIMEOUT, _still_running(run, limits))
        return True
    if attempt.killed == "cancel":
        return True
    how = _signal_name(attempt.returncode)
    if attempt.returncode == EXIT_PROBE_LOST:  # the probe worker's end is the news
        how = _signal_name(attempt.probe_returncode)
    if state.importing or state.import_timeout:
        _import_lost(run, state, attempt, job, limits, pending, how)
        return True
    _blame(run, state, attempt, limits, hung, how)
    return False


def _import_lost(run, state, attempt, job, limits, pending, how: str) -> None:
    """The module itself kills or hangs the worker: every test is lost."""
    if state.import_timeout or attempt.killed == "stall":
        status = TestStatus.TIMEOUT
        why = f"importing {job.filename} ran past {limits.timeout:g} s"
        run.import_timed_out = True
    else:
        status = TestStatus.ERROR
        why = f"importing {job.filename} stopped the worker ({how})"
        run.crashes.append(why)
    run.import_error = why
    for key in pending:
        run.results.setdefault(key, (status, why))


def _blame(run, state, attempt, limits, hung, how: str) -> None:
    """The test a worker was running when it died or was killed gets the blame; a
    worker that stopped outside any test is a crash of its own."""
    current = state.current
    if current is not None and current not in run.results:
        ran = time.monotonic() - state.since
        if attempt.killed == "stall" or (ran >= limits.timeout and attempt.returncode != 0):
            # Killed by the parent, or by the worker's own C-level watchdog
            # (faulthandler) while a call that no signal interrupts ran on.
            run.results[current] = (
                TestStatus.TIMEOUT,
                f"ran past {limits.timeout:g} s and did not stop; the worker was killed",
            )
            run.durations[current] = ran
            hung(current)
        else:
            run.crashes.append(f"{_short(current)} stopped the worker ({how})")
            run.results[current] = (TestStatus.ERROR, f"the worker died during this test ({how})")
        state.new += 1
    elif not state.done and attempt.returncode not in (EXIT_HUNG, EXIT_PROBE_BUSY):
        why = "it did not start in time" if attempt.killed == "startup" else how
        run.crashes.append(f"the worker stopped outside any test ({why})")


def _still_running(run: ModuleRun, limits: Limits) -> str:
    if run.cut == "submission":
        return f"still running when the submission's time limit ({run.cut_s:g} s) was reached"
    if run.cut == "hang":
        return (
            f"still running when the {run.cut_s:g} s left to the module's tests, "
            "after one of them ran out of time, were spent"
        )
    return f"still running when the module's time limit ({limits.module_timeout:g} s) was reached"


FORGED = "sent forged results over the grader's channel"
DONE_GRACE_S = 5.0  # after "done", how long the worker may take to exit before it is killed


@dataclass(frozen=True)
class _Seen:
    """One event as a handler of :class:`_WorkerState` takes it."""

    event: dict[str, Any]
    run: ModuleRun
    key: str | None  # the event's "key" if it is one of the expected tests, else None
    now: float
    scratches: tuple[Path, ...]  # the folders messages show as <scratch>

    def hide(self, text: str) -> str:
        for folder in self.scratches:
            text = text.replace(str(folder), "<scratch>")
        return text


class _WorkerState:
    """What the parent knows of one worker while it runs.

    The worker runs its tests in the order it was given (``pending``): a ``start``
    must come later in that order than the one before, and a ``result`` must be for
    the test that started and has no result yet. Anything else is a forgery.
    """

    def __init__(self, pending: list[str] | None = None) -> None:
        self.current: str | None = None
        self.since = time.monotonic()
        self.importing = False
        self.import_timeout = False
        self.done = False
        self.done_at = 0.0
        self.new = 0
        self.order = {key: i for i, key in enumerate(pending or ())}
        self.position = -1
        self.accepted = 0
        self.layers: list[str] | None = None

    def on_event(
        self, event: dict, run: ModuleRun, expected: set[str], scratch: Path | tuple[Path, ...]
    ) -> None:
        """One event of the test runner, to its handler in :attr:`HANDLERS` (an event
        of another kind changes nothing). ``scratch``: the folders whose paths messages
        show as ``<scratch>`` (the runner's and its probe worker's)."""
        handler = self.HANDLERS.get(Event.of(event.get("ev")))
        if handler is None:
            return
        key = event.get("key")
        handler(
            self,
            _Seen(
                event,
                run,
                key if isinstance(key, str) and key in expected else None,
                time.monotonic(),
                scratch if isinstance(scratch, tuple) else (scratch,),
            ),
        )

    def _on_hello(self, seen: _Seen) -> None:
        layers = seen.event.get("sandbox")
        if isinstance(layers, list):
            self.layers = [str(x) for x in layers][:20]

    def _on_importing(self, seen: _Seen) -> None:
        self.importing, self.since = True, seen.now

    def _on_imported(self, seen: _Seen) -> None:
        self.importing, self.since = False, seen.now

    def _on_import_timeout(self, seen: _Seen) -> None:
        self.import_timeout = True

    def _on_start(self, seen: _Seen) -> None:
        """A test starts: it must come later in the order than the one before, and
        have no result yet."""
        key, run = seen.key, seen.run
        if not key:
            return
        position = self.order.get(key, -1)
        if position <= self.position or key in run.results:
            run.flag(FORGED)
        else:
            self.position = position
        self.current, self.since = key, seen.now

    def _on_result(self, seen: _Seen) -> None:
        """A test's outcome: only for the test that started, and only once."""
        key, run = seen.key, seen.run
        if not key:
            return
        status = TestStatus.of(seen.event.get("status"))
        if key != self.current or key in run.results:
            run.flag(FORGED)
        elif status is not None:
            run.results[key] = (status, seen.hide(clean(seen.event.get("message", ""))))
            run.durations[key] = seen.now - self.since
            self.new += 1
            self.accepted += 1
        self.current, self.since = None, seen.now

    def _on_import_error(self, seen: _Seen) -> None:
        if not seen.run.import_error:
            seen.run.import_error = seen.hide(clean(seen.event.get("message", "")))

    def _on_violation(self, seen: _Seen) -> None:
        found = seen.event.get("message")
        if found:
            seen.run.flag(seen.hide(str(found)))

    def _on_done(self, seen: _Seen) -> None:
        """The session ended: it must have sent as many results as were accepted."""
        sent = seen.event.get("results")
        if isinstance(sent, int) and sent != self.accepted:
            seen.run.flag(FORGED)
        self.done, self.done_at = True, seen.now

    # Every event a test runner sends in run mode but "ready" (launch waits for it) and
    # the collect mode's "test" and "collect_error" (grader/grading/collect.py reads those).
    HANDLERS: ClassVar[dict[Event, Callable[[_WorkerState, _Seen], None]]] = {
        Event.HELLO: _on_hello,
        Event.IMPORTING: _on_importing,
        Event.IMPORTED: _on_imported,
        Event.IMPORT_TIMEOUT: _on_import_timeout,
        Event.START: _on_start,
        Event.RESULT: _on_result,
        Event.IMPORT_ERROR: _on_import_error,
        Event.VIOLATION: _on_violation,
        Event.DONE: _on_done,
    }

    def watchdog(self, limits: Limits, deadline: float) -> str | None:
        now = time.monotonic()
        if now > deadline:
            return "deadline"
        if self.done:  # finished: it should exit at once (a thread of its own may not)
            return "finished" if now - self.done_at > DONE_GRACE_S else None
        if self.current is not None or self.importing:
            if now - self.since > limits.timeout + limits.stall_grace:
                return "stall"
        elif now - self.since > limits.startup:
            return "startup"
        return None
