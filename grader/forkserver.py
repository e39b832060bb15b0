"""A fork server: import torch, pytest and Hypothesis once, then fork a fresh worker per job.

Starting ``python -I -m grader.grading.worker`` costs 2 to 4 s before the first test runs
(torch, pytest, Hypothesis, the kit's plugins, and the parts of torch the tests pull
in lazily, such as ``torch.testing``). With ``--jobs 2`` and a cohort of 40 that is
most of the grading time. The fork server ("zygote") pays for those imports once and
then forks one child per module job; the child does exactly what the worker
subprocess does (:func:`grader.grading.worker.main` on the same spec file), so per-module
isolation is unchanged: a new process, a new session, a clean environment, a fresh
``pytest.main`` whose state dies with it.

:meth:`ForkServer.popen` is a drop-in for the one ``subprocess.Popen`` call in
:func:`grader.grading.runner.launch`: the same argument list, the same ``pass_fds`` and
stdio, and the returned object has what the runner uses (``pid``, ``stdout``,
``poll``, ``wait``, ``returncode``). The child is the leader of its own process
group, so the runner's ``os.killpg(pid, SIGKILL)`` works as before, and the zygote
keeps a finished child unreaped (a zombie holding its pid) until the runner is done
with it, so that a late ``killpg`` can never hit a process that reused the pid.

The zygote is single-threaded when it forks (checked before every fork: one Python
thread and one OS thread, torch with one intra-op and one inter-op thread, and no
parallel work run yet). It talks to the grader over an inherited ``SOCK_SEQPACKET``
socket pair and gets, per job, the job's own socket pair, the result pipe and the
output pipe by ``SCM_RIGHTS``; it never opens a listening socket, so code under test
cannot reach it. In the child every descriptor of the zygote is closed, except the
result pipe (moved to the number the spec names) and the output pipe on 1 and 2.

Where fork or descriptor passing is missing (not Linux) or the zygote fails to
start, :func:`available` is false or :class:`ForkServerError` is raised, and the
runner starts the worker subprocess as before.
"""

from __future__ import annotations

import json
import os
import selectors
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time

from .startup import import_preload, one_torch_thread

# What a zygote's child may run: the test runner, or the probe worker.
WORKER_MODULES = ("grader.grading.worker", "grader.grading.probe_worker")

READY_TIMEOUT_S = 120.0
REPLY_TIMEOUT_S = 30.0
_MSG = 65536


class ForkServerError(Exception):
    """The fork server cannot take this job: the caller starts a subprocess instead."""


def available() -> bool:
    """Whether this platform can run a fork server (Linux: fork, setsid, SCM_RIGHTS)."""
    return (
        sys.platform.startswith("linux")
        and hasattr(os, "fork")
        and hasattr(socket, "send_fds")
        and hasattr(socket, "SOCK_SEQPACKET")
        and hasattr(os, "waitid")
    )


# ====================================================================== grader side


class ForkedProcess:
    """The runner's view of one forked worker: what it uses of ``subprocess.Popen``."""

    def __init__(self, pid: int, conn: socket.socket, stdout) -> None:
        self.pid = pid
        self.stdout = stdout
        self.returncode: int | None = None
        self._conn = conn
        self._lock = threading.Lock()

    def _handle(self, data: bytes) -> None:
        if not data:  # the zygote is gone: make sure the child is too
            _killpg(self.pid)
            self.returncode = -signal.SIGKILL
            return
        try:
            message = json.loads(data)
        except ValueError:
            return
        if "exit" in message:
            self.returncode = int(message["exit"])

    def poll(self) -> int | None:
        with self._lock:
            while self.returncode is None and self._conn.fileno() >= 0:
                try:
                    data = self._conn.recv(_MSG, socket.MSG_DONTWAIT)
                except BlockingIOError:
                    break
                except OSError:
                    data = b""
                self._handle(data)
            return self.returncode

    def wait(self, timeout: float | None = None) -> int:
        deadline = None if timeout is None else time.monotonic() + timeout
        with self._lock:
            while self.returncode is None:
                left = None if deadline is None else deadline - time.monotonic()
                if left is not None and left <= 0:
                    raise subprocess.TimeoutExpired("forked worker", timeout or 0)
                self._conn.settimeout(left)
                try:
                    data = self._conn.recv(_MSG)
                except TimeoutError:
                    continue
                except OSError:
                    data = b""
                self._handle(data)
            # Done with it: the zygote reaps the child once this socket closes.
            self._conn.close()
            return self.returncode

    def kill(self) -> None:
        _killpg(self.pid)

    def __del__(self) -> None:  # pragma: no cover - a forgotten process object
        try:
            self._conn.close()
        except Exception:
            pass


def _killpg(pgid: int) -> None:
    try:
        os.killpg(pgid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass


class ForkServer:
    """One zygote for one interpreter and one environment (``--gpu`` or not)."""

    def __init__(
        self,
        python: str,
        env: dict[str, str],
        cwd: str,
        prefix: list[str] | None = None,
        contain: dict | None = None,
        warm: bool = True,
    ) -> None:
        self.python = python
        # Whether the zygote imports the planned tests before forking (the test
        # runners' zygote); the probe workers' zygote never holds a test module.
        self.warm = warm
        self.env = dict(env)
        self.cwd = cwd
        self.prefix = list(prefix or ())  # e.g. ``unshare -rn --``: a network namespace
        # Bubblewrap (grader/isolation/containment.py): {"program", "files", "kit", "scratch"}; the
        # zygote starts in it and each child enters namespaces of its own.
        self.contain = dict(contain) if contain else None
        self._lock = threading.Lock()
        self._ctl: socket.socket | None = None
        self._proc: subprocess.Popen | None = None
        self._log = None
        self.pid: int | None = None
        self.broken: str | None = None

    # ------------------------------------------------------------ lifecycle

    def start(self, timeout: float = READY_TIMEOUT_S) -> None:
        if not available():
            raise ForkServerError("this platform cannot fork a worker")
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        self._log = tempfile.TemporaryFile()  # the zygote's stderr, read if it fails
        from .isolation import reaper

        prefix, extra_fd = list(self.prefix), None
        if self.contain is not None:
            from .isolation import containment

            c = self.contain
            prefix, extra_fd = containment.zygote_command(
                c["program"], self.python, c["files"], c["kit"], c["scratch"]
            )
        try:
            with reaper.SPAWN_LOCK:  # registered before a sweep can take it for a leftover
                command = [self.python, "-I", "-m", "grader.forkserver", str(theirs.fileno())]
                if _WARM_UP and self.warm:
                    command.append(json.dumps(_WARM_UP))
                fds = (theirs.fileno(),) + (() if extra_fd is None else (extra_fd,))
                self._proc = subprocess.Popen(
                    [*prefix, *command],
                    cwd=self.cwd,
                    env=self.env,
                    stdin=subprocess.DEVNULL,
                    stdout=subprocess.DEVNULL,
                    stderr=self._log,
                    pass_fds=fds,
                    start_new_session=True,
                )
                reaper.register(self._proc.pid)
        except BaseException:
            ours.close()
            raise
        finally:
            theirs.close()
            if extra_fd is not None:
                os.close(extra_fd)
        self._ctl = ours
        ours.settimeout(timeout)
        try:
            data = ours.recv(_MSG)
        except (TimeoutError, OSError):
            data = b""
        ours.settimeout(None)
        message = _loads(data)
        if message.get("ready") is not True:
            why = "did not start in time" if not data else message.get("error", "no answer")
            tail = self._stderr_tail()
            self.close()
            raise ForkServerError(f"the fork server {why}" + (f":\n{tail}" if tail else ""))
        self.pid = int(message["pid"])

    def _stderr_tail(self) -> str:
        proc, log = self._proc, self._log
        if proc is None or log is None:
            return ""
        try:
            proc.kill()
            proc.wait(timeout=5)
            log.seek(0)
            return log.read()[-3000:].decode("utf-8", "replace")
        except Exception:
            return ""

    def close(self) -> None:
        """Stop the zygote; it kills any child still running on its way out."""
        with self._lock:
            ctl, self._ctl = self._ctl, None
            proc, self._proc = self._proc, None
        if ctl is not None:
            ctl.close()  # the zygote's lifeline
        if proc is not None:
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
            from .isolation import reaper

            reaper.unregister(proc.pid)
        log, self._log = self._log, None
        if log is not None:
            log.close()

    def alive(self) -> bool:
        return self._proc is not None and self._proc.poll() is None and self.broken is None

    # ------------------------------------------------------------ jobs

    def popen(
        self,
        args: list[str],
        *,
        cwd,
        env: dict[str, str],
        stdin=None,
        stdout=None,
        stderr=None,
        pass_fds: tuple[int, ...] = (),
        start_new_session: bool = True,
    ) -> ForkedProcess:
        """Fork a worker for ``python -I -m grader.grading.worker SPEC`` (what the runner starts).

        A command behind a network-namespace prefix (``unshare -rn --``, which the
        runner puts before a worker it starts as a subprocess) is taken as the bare
        command: the children are in the zygote's namespace, whatever it is (a runner
        that forks its workers starts the zygote itself behind that prefix).
        """
        args = list(args)
        if args and os.path.basename(args[0]) == "unshare" and "--" in args:
            args = args[args.index("--") + 1 :]
        if (
            len(args) != 5
            or args[0] != self.python
            or args[1:3] != ["-I", "-m"]
            or args[3] not in WORKER_MODULES
            or stdin is not subprocess.DEVNULL
            or stdout is not subprocess.PIPE
            or stderr is not subprocess.STDOUT
            or len(pass_fds) not in (1, 2)
            or not start_new_session
        ):
            raise ForkServerError("not a worker launch the fork server can take")
        if not self.alive():
            raise ForkServerError(self.broken or "the fork server is not running")
        result_fd = pass_fds[0]
        message = {
            "spec": str(args[4]),
            "cwd": str(cwd),
            "env": dict(env),
            "fd": result_fd,
            "fds": list(pass_fds),
            "module": args[3],
        }
        job_dir = None
        if self.contain is not None:
            # The child copies the job's folder (spec, module) through this descriptor
            # into its own tmpfs: the zygote's view holds none of the grader's folders.
            scratch = os.path.dirname(os.path.abspath(str(args[4])))
            if os.path.dirname(scratch) != os.path.dirname(self.contain["scratch"]):
                raise ForkServerError("the job's folder is outside the fork server's view")
            if not self._visible(str(args[4])):
                raise ForkServerError("the job's test files are outside the fork server's view")
            job_dir = os.open(scratch, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
            message["contain"] = {"scratch": scratch, "size": self.contain.get("size")}
        out_r, out_w = os.pipe()
        job, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        # The child says "started" on this socket: the kernel attaches its pid as the
        # grader sees it (the zygote's pids are those of its own PID namespace).
        job.setsockopt(socket.SOL_SOCKET, socket.SO_PASSCRED, 1)
        request = json.dumps(message).encode()
        fds = [theirs.fileno(), result_fd, out_w] + ([] if job_dir is None else [job_dir])
        fds += list(pass_fds[1:])  # the probe worker's socket, for a test runner
        try:
            with self._lock:
                if self._ctl is None:
                    raise ForkServerError("the fork server was closed")
                try:
                    socket.send_fds(self._ctl, [request], fds)
                except OSError as exc:  # the zygote died under us
                    self.broken = f"the fork server is gone ({exc})"
                    raise ForkServerError(self.broken) from None
            reply, pid = _replies(job)
            if "pid" not in reply or pid is None:
                why = reply.get("error") or "the fork server did not answer"
                if not reply:
                    self.broken = why
                raise ForkServerError(why)
        except BaseException:
            job.close()
            os.close(out_r)
            raise
        finally:
            theirs.close()
            os.close(out_w)
            if job_dir is not None:
                os.close(job_dir)
        return ForkedProcess(pid, job, os.fdopen(out_r, "rb"))

    def _visible(self, spec_path: str) -> bool:
        """Whether every test file the job runs is in the zygote's view."""
        try:
            with open(spec_path) as f:
                files = json.load(f).get("files", [])
        except (OSError, ValueError, AttributeError):
            return False
        assert self.contain is not None
        seen = {os.path.realpath(f) for f in self.contain["files"]}
        return all(os.path.realpath(f) in seen for f in files)


def _replies(job: socket.socket) -> tuple[dict, int | None]:
    """The zygote's answer to a job, and the child's pid as this process sees it."""
    import struct

    deadline = time.monotonic() + REPLY_TIMEOUT_S
    reply: dict = {}
    pid = None
    space = socket.CMSG_SPACE(struct.calcsize("3i"))
    try:
        while "error" not in reply and ("pid" not in reply or pid is None):
            left = deadline - time.monotonic()
            if left <= 0:
                break
            job.settimeout(left)
            try:
                data, ancillary, _, _ = job.recvmsg(_MSG, space)
            except (TimeoutError, OSError):
                break
            if not data:
                break
            message = _loads(data)
            if message.get("started") is True:
                for level, kind, value in ancillary:
                    if level == socket.SOL_SOCKET and kind == socket.SCM_CREDENTIALS:
                        pid = struct.unpack("3i", value[: struct.calcsize("3i")])[0]
            elif "pid" in message or "error" in message:
                reply = message
    finally:
        job.settimeout(None)
    return reply, pid


def _loads(data: bytes) -> dict:
    try:
        value = json.loads(data)
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


# A zygote per (interpreter, environment), started on first use, stopped at exit.
_SERVERS: dict[tuple, ForkServer] = {}
_SERVERS_LOCK = threading.Lock()
_FAILED: dict[tuple, str] = {}
# One lock per zygote: two kinds of zygote (the test runners', the probe workers') start
# at the same time, each once.
_KEY_LOCKS: dict[tuple, threading.Lock] = {}


def server_for(
    python: str,
    env: dict[str, str],
    cwd: str,
    prefix: list[str] | None = None,
    contain: dict | None = None,
    warm: bool = True,
) -> ForkServer:
    """The running zygote for this interpreter and environment (started if needed).

    ``env`` is the zygote's own environment: what the workers get minus their private
    ``HOME`` and ``TMPDIR`` (each child gets its own job's). ``contain``: start it in
    bubblewrap (:class:`ForkServer`); the test files it shows are those of the job
    that starts it (a later job that needs others is refused). Raises
    :class:`ForkServerError` if no zygote can run; the caller then uses subprocesses.
    """
    prefix = list(prefix or ())
    env_key = tuple(sorted((k, v) for k, v in env.items() if k not in _PER_JOB_ENV))
    # A zygote holds the test modules it was warmed with (plan_warm_up): one per plan.
    key = (python, env_key, tuple(prefix), json.dumps(_WARM_UP if warm else {}, sort_keys=True))
    if contain:
        key += (json.dumps({k: v for k, v in contain.items() if k != "files"}, sort_keys=True),)
    with _SERVERS_LOCK:
        lock = _KEY_LOCKS.setdefault(key, threading.Lock())
    with lock:
        if key in _FAILED:
            raise ForkServerError(_FAILED[key])
        server = _SERVERS.get(key)
        if server is not None and server.alive():
            return server
        if server is not None:
            server.close()
        server = ForkServer(python, env, cwd, prefix, contain, warm)
        try:
            server.start()
        except ForkServerError as exc:
            _FAILED[key] = str(exc)
            raise
        except OSError as exc:
            _FAILED[key] = f"the fork server could not start ({exc})"
            raise ForkServerError(_FAILED[key]) from None
        _SERVERS[key] = server
        return server


def shutdown() -> None:
    """Stop every zygote (the grader calls this when grading is done; also at exit)."""
    with _SERVERS_LOCK:
        servers = list(_SERVERS.values())
        _SERVERS.clear()
        _FAILED.clear()
    for server in servers:
        server.close()


_PER_JOB_ENV = frozenset({"HOME", "TMPDIR", "HYPOTHESIS_STORAGE_DIRECTORY"})

# The tests a zygote started from now on imports before it forks (warm_up_tests).
_WARM_UP: dict = {}
_WARM_UP_KEYS = ("files", "rootdir", "seed", "lang", "timeout")


def plan_warm_up(spec) -> None:
    """Have zygotes started from now on import these tests first (a collection spec:
    a :class:`grader.protocol.WorkerSpec`, or a dict of some of its fields).

    Speed only: a child imports whatever its zygote has not (grader/grading/collect.py calls
    this with the grading run's collection spec, before that starts the zygote).
    """
    given = spec.to_dict() if hasattr(spec, "to_dict") else dict(spec)
    _WARM_UP.clear()
    _WARM_UP.update({k: given[k] for k in _WARM_UP_KEYS if k in given})


# ====================================================================== zygote side


def _preload() -> None:
    one_torch_thread()
    preload_libraries()


def warm_up_tests(plan: dict) -> None:
    """Import the kit's test modules once, as every worker's pytest would, and ready them.

    A collection like the workers' (same command line, so the same module names, with
    pytest's assertion rewriting) against an empty implementation folder: no code under
    test is imported. The test modules stay in ``sys.modules``, where a child's pytest
    (import mode "importlib") finds them instead of importing them again; Hypothesis
    has checked the tests' strategies (``validate``) and read the modules' constants,
    work each child would repeat. Only speed depends on it: whatever fails here is
    imported anew, and fails, in the child.
    """
    import pytest

    from .grading import worker

    modules: dict[str, object] = {}

    class ReadyStrategies:
        def pytest_collection_finish(self, session: pytest.Session) -> None:
            for item in session.items:
                module = getattr(item, "module", None)
                if module is not None:
                    modules[module.__name__] = module
                handle = getattr(getattr(item, "obj", None), "hypothesis", None)
                strategies = getattr(handle, "_given_kwargs", None)
                for strategy in strategies.values() if isinstance(strategies, dict) else ():
                    try:
                        strategy.validate()
                    except (Exception, pytest.fail.Exception, pytest.skip.Exception):
                        pass  # the test itself will say so, in the child

    from .protocol import WorkerSpec

    with tempfile.TemporaryDirectory(prefix="grader-warm-") as empty:
        try:
            spec = WorkerSpec(
                **plan,  # what plan_warm_up kept of the collection's spec
                mode="collect",
                impl=empty,
                basetemp=os.path.join(empty, "basetemp"),
            )
            pytest.main(
                worker.pytest_args(spec), plugins=[ReadyStrategies(), *worker.loaded_plugins()]
            )
        except Exception:  # pragma: no cover - the children collect for themselves
            pass
    worker.remember_test_modules(modules.values())
    _settle()


def preload_libraries() -> None:
    """Import :data:`grader.startup.PRELOAD` and pytest's own plugins; hide them from the collector.

    Also used by watch mode (grader/warm.py), which forks a pytest run per save.
    """
    import importlib

    import_preload()
    from _pytest.config import default_plugins

    for name in default_plugins:
        try:
            importlib.import_module(f"_pytest.{name}")
        except Exception:  # pragma: no cover
            pass
    _settle()


def _settle() -> None:
    """After importing: Hypothesis's scan of the new modules, then a frozen heap."""
    import gc

    _warm_hypothesis()
    gc.collect()
    gc.freeze()  # children inherit a heap the collector never walks (nor copies)


def _warm_hypothesis() -> None:
    """Let Hypothesis scan what is loaded now, once, instead of in every child.

    Before its first example Hypothesis looks through every module in ``sys.modules``
    for "local" code and parses those files for constants (about 0.1 s with torch
    loaded); it remembers what it has seen, so a child scans only the modules it
    imports itself: the test module and the module under test.
    """
    import warnings

    try:
        from hypothesis.internal.conjecture.providers import _get_local_constants

        with warnings.catch_warnings():  # "slow code in plugin": here on purpose
            warnings.simplefilter("ignore")
            _get_local_constants()
    except Exception:  # pragma: no cover - another Hypothesis version
        pass


def single_threaded_problem() -> str | None:
    """Why forking now would be unsafe, or None."""
    if threading.active_count() != 1:
        return f"{threading.active_count()} Python threads are running"
    try:
        tasks = os.listdir("/proc/self/task")
    except OSError:  # pragma: no cover - no /proc
        tasks = ["?"]
    if len(tasks) != 1:
        return f"{len(tasks)} OS threads are running (an OpenMP or torch pool?)"
    return None


class _Zygote:
    def __init__(self, ctl: socket.socket) -> None:
        self.ctl = ctl
        self.jobs: dict[int, socket.socket] = {}  # pid -> job socket
        self.exited: set[int] = set()  # reported, not yet reaped
        self.mount_points: dict[int, str] = {}  # pid -> a contained child's scratch folder
        self.wake_r, self.wake_w = os.pipe()
        os.set_blocking(self.wake_r, False)
        os.set_blocking(self.wake_w, False)
        self.selector = selectors.DefaultSelector()

    def serve(self) -> None:
        signal.set_wakeup_fd(self.wake_w)
        signal.signal(signal.SIGCHLD, lambda signum, frame: None)
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        self.selector.register(self.ctl, selectors.EVENT_READ, "ctl")
        self.selector.register(self.wake_r, selectors.EVENT_READ, "wake")
        try:
            while True:
                for key, _ in self.selector.select():
                    if key.data == "ctl":
                        if not self.on_request():
                            return
                    elif key.data == "wake":
                        try:
                            while os.read(self.wake_r, 4096):
                                pass
                        except BlockingIOError:
                            pass
                        self.check_children()
                    else:
                        self.on_job_closed(key.data)
        finally:
            for pid in list(self.jobs):
                self.release(pid)

    def on_request(self) -> bool:
        try:
            data, fds, _, _ = socket.recv_fds(self.ctl, _MSG, 5)
        except OSError:
            data, fds = b"", []
        if not data:
            for fd in fds:
                os.close(fd)
            return False  # the grader is gone: stop, killing every child
        request = _loads(data)
        extra = len(request.get("fds") or [None]) - 1
        if len(fds) != 3 + ("contain" in request) + extra or extra not in (0, 1):
            for fd in fds:
                os.close(fd)
            return True
        conn_fd, result_fd, out_fd = fds[:3]
        job_dir = fds[3] if "contain" in request else None  # the job's folder (containment)
        extra_fd = fds[-1] if extra else None  # a test runner's socket to its probe worker
        request["_extra_fd"] = extra_fd
        conn = socket.socket(fileno=conn_fd)

        def close_job_fds() -> None:
            os.close(result_fd)
            os.close(out_fd)
            if job_dir is not None:
                os.close(job_dir)
            if extra_fd is not None:
                os.close(extra_fd)

        unsafe = single_threaded_problem()
        if unsafe is not None or not request.get("spec"):
            close_job_fds()
            _send(conn, error=unsafe or "a malformed request")
            conn.close()
            return True
        import gc

        gc.freeze()
        try:
            pid = os.fork()
        except OSError as exc:
            close_job_fds()
            _send(conn, error=f"fork failed ({exc})")
            conn.close()
            return True
        if pid == 0:  # pragma: no cover - the child; its coverage is its report
            self.child(request, conn, result_fd, out_fd, job_dir)
        close_job_fds()
        if job_dir is not None:
            self.mount_points[pid] = str(request["contain"].get("scratch", ""))
        self.jobs[pid] = conn
        self.selector.register(conn, selectors.EVENT_READ, pid)
        _send(conn, pid=pid)
        self.check_children()
        return True

    def check_children(self) -> None:
        for pid, conn in list(self.jobs.items()):
            if pid in self.exited:
                continue
            try:
                info = os.waitid(os.P_PID, pid, os.WEXITED | os.WNOHANG | os.WNOWAIT)
            except ChildProcessError:  # pragma: no cover
                info = None
                code = -signal.SIGKILL
            else:
                if info is None:
                    continue
                code = info.si_status if info.si_code == os.CLD_EXITED else -info.si_status
            self.exited.add(pid)
            _send(conn, exit=code)

    def on_job_closed(self, pid: int) -> None:
        conn = self.jobs.get(pid)
        if conn is None:
            return
        try:
            data = conn.recv(_MSG, socket.MSG_DONTWAIT)
        except BlockingIOError:
            return
        except OSError:
            data = b""
        if not data:  # the grader is done with this child
            self.release(pid)

    def release(self, pid: int) -> None:
        conn = self.jobs.pop(pid)
        self.selector.unregister(conn)
        conn.close()
        # The child is a zombie or still running (the grader gave up on it): its
        # group id is still ours to kill until the child is reaped.
        _killpg(pid)
        try:
            os.waitpid(pid, 0)
        except ChildProcessError:  # pragma: no cover
            pass
        self.exited.discard(pid)
        mount_point = self.mount_points.pop(pid, None)
        if mount_point:  # an empty folder here (the child's tmpfs was its own)
            try:
                os.rmdir(mount_point)
            except OSError:
                pass

    # ------------------------------------------------------------ the child

    def child(
        self,
        request: dict,
        conn: socket.socket,
        result_fd: int,
        out_fd: int,
        job_dir: int | None = None,
    ):
        code = 1
        _send(conn, started=True)  # first: the grader learns this child's pid from it
        try:
            os.setsid()
            signal.set_wakeup_fd(-1)
            for signum in range(1, signal.NSIG):
                try:
                    signal.signal(signum, signal.SIG_DFL)
                except (OSError, ValueError):
                    pass
            # As in a new interpreter: Ctrl-C raises KeyboardInterrupt (unless the
            # grader was started with SIGINT ignored, as under nohup: a new one keeps
            # that), SIGPIPE and SIGXFSZ are ignored (Python sets these up at startup).
            signal.signal(
                signal.SIGINT, signal.SIG_IGN if _SIGINT_IGNORED else signal.default_int_handler
            )
            signal.signal(signal.SIGPIPE, signal.SIG_IGN)
            signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
            signal.pthread_sigmask(signal.SIG_SETMASK, [])
            signal.setitimer(signal.ITIMER_REAL, 0)

            contain = request.get("contain")
            if isinstance(contain, dict) and job_dir is not None:
                # Namespaces and a scratch tmpfs of its own (grader/isolation/containment.py);
                # a worker that cannot have them does not run.
                from grader.isolation import containment

                size = contain.get("size") or containment.SCRATCH_BYTES
                kept = (result_fd, out_fd) + (
                    (request["_extra_fd"],) if request["_extra_fd"] else ()
                )
                containment.enter_worker(str(contain["scratch"]), job_dir, int(size), kept)
                job_dir = None

            # Descriptors: the output pipe on 1 and 2, /dev/null on 0, the result
            # pipe on the number the spec names; the zygote's own are closed.
            target = int(request["fd"])
            self.selector.close()
            self.ctl.close()
            conn.close()
            for other in self.jobs.values():
                other.close()
            os.close(self.wake_r)
            os.close(self.wake_w)
            devnull = os.open(os.devnull, os.O_RDWR)
            os.dup2(devnull, 0)
            os.dup2(out_fd, 1)
            os.dup2(out_fd, 2)
            moves = [(result_fd, target)]
            extra_fd, wanted = request.get("_extra_fd"), (request.get("fds") or [])[1:]
            if extra_fd is not None and wanted:
                moves.append((extra_fd, int(wanted[0])))
            # Each descriptor first above every target, then onto its target: a
            # received descriptor may carry the number another one must take.
            import fcntl

            above = max(number for _, number in moves) + 1
            moves = [(fcntl.fcntl(fd, fcntl.F_DUPFD, above), number) for fd, number in moves]
            for fd, number in moves:
                os.dup2(fd, number)
            _close_fds_except({0, 1, 2, *(number for _, number in moves)})

            # A clean environment, as the worker subprocess gets it.
            os.environ.clear()
            os.environ.update({str(k): str(v) for k, v in request["env"].items()})
            os.chdir(request["cwd"])
            _reset_process_state()
            import importlib

            name = request.get("module", "grader.grading.worker")
            if name not in WORKER_MODULES:
                name = "grader.grading.worker"
            worker = importlib.import_module(name)
            sys.argv = [str(worker.__file__), request["spec"]]

            import gc

            gc.enable()
            code = worker.main([request["spec"]])
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
            if not isinstance(exc.code, int) and exc.code is not None:
                print(exc.code, file=sys.stderr)
        except KeyboardInterrupt:  # as CPython does: die of SIGINT
            _finish()
            signal.signal(signal.SIGINT, signal.SIG_DFL)
            os.kill(os.getpid(), signal.SIGINT)
        except BaseException:
            import traceback

            traceback.print_exc()
            code = 1
        _finish()
        os._exit(int(code) & 0xFF)


def _close_fds_except(keep: set[int]) -> None:
    try:
        open_fds = sorted(int(fd) for fd in os.listdir("/proc/self/fd"))
    except OSError:  # pragma: no cover
        open_fds = list(range(3, 1024))
    for fd in open_fds:
        if fd not in keep:
            try:
                os.close(fd)
            except OSError:
                pass


def _reset_process_state() -> None:
    """What differs between a forked child and a new interpreter, put back."""
    import random
    import tempfile

    tempfile.tempdir = None  # TMPDIR is the job's now
    random.seed()  # (also done by the random module's at-fork hook)
    try:
        import hypothesis.configuration

        hypothesis.configuration.set_hypothesis_home_dir(None)
    except Exception:  # pragma: no cover
        pass
    numpy = sys.modules.get("numpy")
    if numpy is not None:
        try:
            numpy.random.seed()
        except Exception:  # pragma: no cover
            pass
    torch = sys.modules.get("torch")
    if torch is not None:
        torch.seed()  # a new process seeds torch's generator from the OS: so does a child


def _finish() -> None:
    """What interpreter shutdown does that matters here: exit functions, flushed output."""
    import atexit

    try:
        atexit._run_exitfuncs()
    except BaseException:  # pragma: no cover
        pass
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except BaseException:  # pragma: no cover
            pass


def _send(conn: socket.socket, **message) -> None:
    try:
        conn.send(json.dumps(message).encode())
    except OSError:
        pass


# Whether this zygote started with SIGINT ignored (so would a new worker).
_SIGINT_IGNORED = False


def main(argv: list[str]) -> int:
    global _SIGINT_IGNORED
    _SIGINT_IGNORED = signal.getsignal(signal.SIGINT) is signal.SIG_IGN
    if len(argv) not in (1, 2):
        print("usage: python -I -m grader.forkserver CONTROL_FD [WARM_UP_JSON]", file=sys.stderr)
        return 2
    ctl = socket.socket(fileno=int(argv[0]))
    try:
        _preload()
        if len(argv) == 2:
            warm_up_tests(_loads(argv[1].encode()))
    except BaseException as exc:  # pragma: no cover - torch cannot even be imported
        _send(ctl, ready=False, error=f"importing torch failed ({type(exc).__name__}: {exc})")
        return 1
    unsafe = single_threaded_problem()
    if unsafe is not None:
        _send(ctl, ready=False, error=f"cannot fork safely: {unsafe}")
        return 1
    zygote = _Zygote(ctl)
    _send(ctl, ready=True, pid=os.getpid())
    zygote.serve()
    return 0


if __name__ == "__main__":
    code = main(sys.argv[1:])
    # Every child is killed and reaped by now; tearing down torch's and pytest's
    # state (finalizers, a heap of a few hundred MiB) would keep the grader waiting
    # 0.15 s for nothing.
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)
