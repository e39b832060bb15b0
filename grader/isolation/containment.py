"""Containment on bubblewrap: the fork server and its workers in namespaces of their own.

The in-worker layers (grader/isolation/sandbox.py) run in the same process as the code they
watch, and the kernel's Landlock does not cover every way out (``connect()`` to a Unix
socket, listing folders, System V IPC, ``memfd``). Where bubblewrap (``bwrap``, the
sandbox engine of Flatpak) can run, the fork server (grader/forkserver.py) starts
inside it, and every worker it forks adds namespaces of its own:

* the fork server, once (:func:`zygote_command`): new user, PID, IPC, UTS, network,
  cgroup and mount namespaces, killed with the grader (``--die-with-parent``), in a
  new session. Its filesystem is a read-only view of only what a worker needs: the
  system's libraries, the Python installation (torch, pytest, Hypothesis), the
  grader package, the kit's test files being graded and the exercises' manifests
  (``exercise.toml``, ``feedback.toml``: the catalogue), a minimal ``/dev`` and a
  private ``/proc``. Nothing else exists there: not the kit's solutions, its
  self-tests or its git history, not other submissions, not the host's ``/tmp``,
  ``/run`` or home folders (so no Unix socket of the host can be named), and the new
  network namespace has no interface but a loopback that is down (abstract Unix
  sockets are per network namespace). A seccomp filter (compiled by libseccomp)
  makes ``memfd_create``, ``shmget`` and ``msgget`` fail: their memory is counted by
  no resource limit.
* each worker, right after the fork (:func:`enter_worker`): a new mount namespace
  with its own size-capped tmpfs for its scratch folder (one worker that fills its
  disk fills only its own), new IPC and network namespaces (System V objects die
  with the worker; no socket is shared with another worker), and a new PID
  namespace that it runs in, with every process it starts. That namespace's init
  exits when the worker does: the kernel then kills every process in the
  namespace, however it detached itself (``setsid``, double forks, long chains).

The fork server gets ``CAP_SYS_ADMIN`` inside its own user namespace (no more), to
make these namespaces per worker; every worker drops it before its tests run
(grader/isolation/sandbox.py, :func:`~grader.isolation.sandbox.drop_capabilities`).

Where ``bwrap`` is missing, or refused (no unprivileged user namespaces: Ubuntu
24.04's AppArmor default, some containers), :func:`status` says why, the fork server
starts as before, and the report's ``grader.isolation.sandbox`` lists only the layers that held.
``GRADER_BWRAP`` names the program to use (``0`` turns containment off).
"""

from __future__ import annotations

import ctypes
import os
import shutil
import subprocess
import sys
import threading
from pathlib import Path

MIB = 1024**2
SCRATCH_BYTES = 256 * MIB  # a worker's scratch tmpfs (memory, counted once it is written)
ZYGOTE_SCRATCH_BYTES = 64 * MIB  # the fork server's own HOME and TMPDIR
MOUNT_POINTS_BYTES = 1 * MIB  # the folder of the workers' mount points (empty folders)
COPY_LIMIT = 64 * MIB  # what a worker copies of its job's folder into its tmpfs
DENIED_SYSCALLS = ("memfd_create", "shmget", "msgget")

# Layer names, as the report's ``grader.isolation.sandbox`` lists them.
LAYER_BWRAP = "bubblewrap"
LAYER_SECCOMP = "seccomp"
WORKER_LAYERS = ("pid-namespace", "ipc-namespace", "private-scratch")

_CLONE_NEWNS = 0x00020000
_CLONE_NEWIPC = 0x08000000
_CLONE_NEWPID = 0x20000000
_CLONE_NEWNET = 0x40000000
_MS_RDONLY = 1
_MS_NOSUID = 2
_MS_REMOUNT = 32
_MS_BIND = 4096
_MS_NODEV = 4
_MS_NOEXEC = 8
_MS_REC = 0x4000
_MS_PRIVATE = 0x40000

_STATE: dict[object, object] = {}
_LOCK = threading.Lock()


# ====================================================================== grader side


def bwrap_program() -> str | None:
    """The ``bwrap`` to use: ``GRADER_BWRAP`` if set (``0``: none), else the one on PATH."""
    chosen = os.environ.get("GRADER_BWRAP")
    if chosen is not None:
        if chosen.strip() in ("", "0"):
            return None
        return chosen if os.path.isfile(chosen) and os.access(chosen, os.X_OK) else None
    return shutil.which("bwrap")


def status() -> tuple[str | None, str]:
    """(the ``bwrap`` that works here, "") or (None, why not): checked once."""
    with _LOCK:
        if "status" not in _STATE:
            _STATE["status"] = _probe()
        return _STATE["status"]  # type: ignore[return-value]


def statement() -> str | None:
    """The sentence the grader prints once when containment is off, else None."""
    program, why = status()
    if program is not None:
        return None
    return (
        f"the workers' containment is off ({why}): grading goes on with the layers that "
        "hold (the report's grader.isolation.sandbox lists them); docs/grader.md, 'Containment', "
        "says how to turn it on"
    )


def _probe() -> tuple[str | None, str]:
    if not sys.platform.startswith("linux"):
        return None, "bubblewrap needs Linux"
    if os.environ.get("GRADER_BWRAP", "").strip() == "0":
        return None, "GRADER_BWRAP=0"
    program = bwrap_program()
    if program is None:
        where = os.environ.get("GRADER_BWRAP")
        return None, f"no bubblewrap at {where}" if where else "bubblewrap is not installed"
    command = [program, *_NAMESPACES, "--ro-bind", "/", "/", "--proc", "/proc", "true"]
    try:
        done = subprocess.run(command, capture_output=True, timeout=20)
    except (OSError, subprocess.SubprocessError) as exc:
        return None, f"bubblewrap could not run ({exc})"
    if done.returncode != 0:
        why = done.stderr.decode("utf-8", "replace").strip().splitlines()
        return None, f"bubblewrap was refused ({why[-1] if why else done.returncode})"
    return program, ""


_NAMESPACES = (
    "--unshare-user",
    "--unshare-pid",
    "--unshare-ipc",
    "--unshare-uts",
    "--unshare-net",
    "--unshare-cgroup-try",
    "--die-with-parent",
    "--new-session",
)

_SYSTEM = ("/usr", "/lib", "/lib64", "/lib32", "/libx32", "/bin", "/sbin")
_ETC = (
    "ld.so.cache",
    "ld.so.conf",
    "ld.so.conf.d",
    "localtime",
    "timezone",
    "passwd",
    "group",
    "nsswitch.conf",
    "os-release",
    "hosts",
    "mime.types",
    "ssl",
    "alternatives",
)
_SYS = ("/sys/devices/system/cpu", "/sys/devices/system/node")


def python_roots(python: str) -> list[str]:
    """What ``python -I`` reads: its prefixes and ``sys.path``, and the grader package.

    Asked of the interpreter itself, isolated as the fork server runs (this process's
    own ``sys.path`` may hold the current folder: the kit's root).
    """
    with _LOCK:
        cached = _STATE.get(("roots", python))
    if cached is None:
        import json

        code = "import sys, json; print(json.dumps([sys.prefix, sys.base_prefix] + sys.path))"
        try:
            done = subprocess.run(
                [python, "-I", "-c", code], capture_output=True, text=True, timeout=60
            )
            cached = [str(r) for r in json.loads(done.stdout)]
        except (OSError, ValueError, subprocess.SubprocessError):
            cached = [sys.prefix, sys.base_prefix]
        with _LOCK:
            _STATE[("roots", python)] = cached
    roots = list(cached)
    roots.append(os.path.dirname(os.path.realpath(python)))
    roots.append(str(Path(__file__).resolve().parents[1]))  # the grader package
    return [r for r in roots if r and os.path.isabs(r)]


def zygote_command(
    program: str, python: str, files: list[str], kit: str, scratch: str
) -> tuple[list[str], int | None]:
    """The ``bwrap`` command line before the fork server's own, and the seccomp descriptor.

    ``files``: the test files the workers run (each visible, read-only, nothing else
    of the kit); ``scratch``: the fork server's HOME and TMPDIR, a tmpfs. The folder
    that holds ``scratch`` (where the workers' scratch folders lie too) is an empty
    folder in the view: each worker mounts its own tmpfs there.
    """
    args = [program, *_NAMESPACES, "--cap-drop", "ALL", "--cap-add", "CAP_SYS_ADMIN"]
    # The workers' folder (tempfile's folder): a tmpfs where each worker makes its
    # mount point, first, so that test files under it are bound on top of it.
    parent = os.path.dirname(scratch)
    args += ["--size", str(MOUNT_POINTS_BYTES), "--tmpfs", parent]
    seen: set[str] = set()

    def bind(path: str) -> None:
        if not os.path.exists(path):
            return
        real = os.path.realpath(path)
        if path in seen:
            return
        seen.add(path)
        if os.path.islink(path) and os.path.dirname(path) == "/":
            args.extend(["--symlink", os.readlink(path), path])  # /bin -> usr/bin
        else:
            args.extend(["--ro-bind", real, path])

    for path in _SYSTEM:
        bind(path)
    for name in _ETC:
        bind(f"/etc/{name}")
    for path in _SYS:
        bind(path)
    roots = sorted({os.path.realpath(r) for r in python_roots(python) if os.path.exists(r)})
    for root in roots:  # a folder once, not again under another one
        if not any(root.startswith(other + os.sep) for other in roots if other != root):
            bind(root)
    args += ["--dir", os.path.realpath(kit)]
    for path in sorted({os.path.realpath(f) for f in files}):
        bind(path)
    for folder in _pycache_folders(files):
        # pytest's cache of the test modules it has rewritten: read, and written where
        # it may be, as any pytest run does; without it every zygote rewrites them all.
        writable = os.access(folder, os.W_OK)
        args.extend(["--bind" if writable else "--ro-bind", folder, folder])
    args += ["--proc", "/proc", "--dev", "/dev"]
    args += ["--size", str(ZYGOTE_SCRATCH_BYTES), "--tmpfs", scratch]
    for sub in ("home", "tmp", "work"):
        args += ["--dir", os.path.join(scratch, sub)]
    args += ["--remount-ro", "/dev", "--remount-ro", "/", "--chdir", os.path.join(scratch, "work")]
    fd = seccomp_fd()
    if fd is not None:
        args += ["--seccomp", str(fd)]
    return [*args, "--"], fd


def _pycache_folders(files: list[str]) -> list[str]:
    """The ``__pycache__`` folder beside each test file (``test_*.py``), made if it can
    be: where pytest keeps the test modules it has rewritten (keyed by size and mtime)."""
    found = []
    tests = [f for f in files if os.path.basename(f).startswith("test_") and f.endswith(".py")]
    for folder in sorted(
        {os.path.join(os.path.dirname(os.path.realpath(f)), "__pycache__") for f in tests}
    ):
        try:
            os.makedirs(folder, exist_ok=True)
        except OSError:
            continue
        if os.path.isdir(folder) and not os.path.islink(folder):
            found.append(folder)
    return found


def seccomp_program() -> bytes | None:
    """A BPF program that makes :data:`DENIED_SYSCALLS` fail with EPERM (libseccomp)."""
    with _LOCK:
        if "bpf" not in _STATE:
            _STATE["bpf"] = _compile_seccomp()
        return _STATE["bpf"]  # type: ignore[return-value]


def _compile_seccomp() -> bytes | None:
    import ctypes.util
    import errno
    import tempfile

    name = ctypes.util.find_library("seccomp") or "libseccomp.so.2"
    try:
        lib = ctypes.CDLL(name, use_errno=True)
    except OSError:
        return None
    lib.seccomp_init.restype = ctypes.c_void_p
    lib.seccomp_init.argtypes = [ctypes.c_uint32]
    lib.seccomp_release.argtypes = [ctypes.c_void_p]
    lib.seccomp_syscall_resolve_name.argtypes = [ctypes.c_char_p]
    lib.seccomp_syscall_resolve_name.restype = ctypes.c_int
    lib.seccomp_rule_add.argtypes = [ctypes.c_void_p, ctypes.c_uint32, ctypes.c_int, ctypes.c_uint]
    lib.seccomp_export_bpf.argtypes = [ctypes.c_void_p, ctypes.c_int]
    allow, deny = 0x7FFF0000, 0x00050000 | errno.EPERM  # SCMP_ACT_ALLOW, SCMP_ACT_ERRNO
    ctx = lib.seccomp_init(allow)
    if not ctx:
        return None
    try:
        for syscall in DENIED_SYSCALLS:
            number = lib.seccomp_syscall_resolve_name(syscall.encode())
            if number < 0 or lib.seccomp_rule_add(ctx, deny, number, 0) != 0:
                return None
        with tempfile.TemporaryFile() as out:
            if lib.seccomp_export_bpf(ctx, out.fileno()) != 0:
                return None
            out.seek(0)
            return out.read() or None
    finally:
        lib.seccomp_release(ctx)


def seccomp_fd() -> int | None:
    """A descriptor to read the seccomp program from (the caller passes it on, then closes it)."""
    program = seccomp_program()
    if not program:
        return None
    read, write = os.pipe()
    try:
        os.write(write, program)  # a few hundred bytes: within a pipe's buffer
    finally:
        os.close(write)
    return read


# ====================================================================== worker side

# The layers :func:`enter_worker` set up in this process (a forked worker reports them).
ENTERED: list[str] = []


def _libc():
    libc = ctypes.CDLL(None, use_errno=True)
    libc.mount.argtypes = [
        ctypes.c_char_p,
        ctypes.c_char_p,
        ctypes.c_char_p,
        ctypes.c_ulong,
        ctypes.c_char_p,
    ]
    return libc


def _check(result: int, what: str) -> None:
    if result != 0:
        code = ctypes.get_errno()
        raise OSError(code, f"{what}: {os.strerror(code)}")


def enter_worker(
    scratch: str, job_fd: int, size: int = SCRATCH_BYTES, pipes: tuple[int, ...] = ()
) -> list[str]:
    """In a worker forked inside bubblewrap: its own namespaces and scratch tmpfs.

    ``job_fd`` is the grader's scratch folder of the job (spec file, module file),
    opened by the grader: it is copied into a new tmpfs mounted on the folder that
    holds ``scratch`` (the same paths, nothing else there), then closed. ``pipes``:
    the worker's result and output descriptors, which the process the grader knows
    keeps open until it exits (:func:`_split`). Raises OSError if a step fails (the
    worker then must not run).
    """
    libc = _libc()
    flags = _CLONE_NEWNS | _CLONE_NEWIPC | _CLONE_NEWNET | _CLONE_NEWPID
    _check(libc.unshare(flags), "unshare")
    _check(libc.mount(None, b"/", None, _MS_REC | _MS_PRIVATE, None), "mount --make-rprivate")
    entries = _read_tree(job_fd)
    os.close(job_fd)
    # The mount point, in the folder every worker shares (the fork server removes it
    # when the job is done), then read-only in this worker's view: nothing it writes
    # there could reach another worker.
    parent = os.path.dirname(scratch)
    os.mkdir(scratch, 0o700)
    options = f"size={int(size)},mode=0700".encode()
    flags = _MS_NOSUID | _MS_NODEV | _MS_NOEXEC
    _check(libc.mount(b"tmpfs", scratch.encode(), b"tmpfs", flags, options), "mount tmpfs")
    flags = _MS_REMOUNT | _MS_BIND | _MS_RDONLY | _MS_NOSUID | _MS_NODEV
    _check(libc.mount(None, parent.encode(), None, flags, None), "remount read-only")
    for rel, data in entries:
        path = os.path.join(scratch, rel)
        if data is None:
            os.makedirs(path, exist_ok=True)
        else:
            with open(path, "wb") as f:
                f.write(data)
    _limit_ipc()
    _split(pipes)  # returns in the worker only
    ENTERED[:] = [LAYER_BWRAP] + ([LAYER_SECCOMP] if _seccomp_on() else []) + list(WORKER_LAYERS)
    return list(ENTERED)


def _seccomp_on() -> bool:
    """Whether a seccomp filter holds this process (bubblewrap's ``--seccomp``)."""
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("Seccomp:"):
                    return line.split()[1] == "2"
    except (OSError, IndexError):
        pass
    return False


def _read_tree(dir_fd: int) -> list[tuple[str, bytes | None]]:
    """Every folder (None) and file (its bytes) under a folder descriptor; links skipped."""
    import stat

    found: list[tuple[str, bytes | None]] = []
    total = 0

    def walk(fd: int, prefix: str) -> None:
        nonlocal total
        for name in sorted(os.listdir(fd)):
            rel = os.path.join(prefix, name)
            info = os.stat(name, dir_fd=fd, follow_symlinks=False)
            if stat.S_ISDIR(info.st_mode):
                found.append((rel, None))
                sub = os.open(name, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW, dir_fd=fd)
                try:
                    walk(sub, rel)
                finally:
                    os.close(sub)
            elif stat.S_ISREG(info.st_mode):
                total += info.st_size
                if total > COPY_LIMIT:
                    raise OSError(f"the job's folder holds more than {COPY_LIMIT // MIB} MiB")
                file_fd = os.open(name, os.O_RDONLY | os.O_NOFOLLOW, dir_fd=fd)
                with os.fdopen(file_fd, "rb") as f:
                    found.append((rel, f.read()))

    walk(dir_fd, "")
    return found


def _limit_ipc() -> None:
    """No System V segments, queues or semaphores in this IPC namespace (where writable)."""
    for name in ("shmmni", "msgmni"):
        try:
            with open(f"/proc/sys/kernel/{name}", "w") as f:
                f.write("0\n")
        except OSError:
            pass  # the seccomp filter and the namespace's lifetime still hold


def _split(pipes: tuple[int, ...] = ()) -> None:
    """Become three processes; only the last one returns: the worker.

    The caller (the zygote's child, whose pid the grader knows) has unshared a PID
    namespace: its first child is that namespace's init, and the init's child is the
    worker. A process cannot start threads while its children go to another PID
    namespace than its own, and an init ignores the signals it has no handler for
    (a worker must die of its own ``os.kill(os.getpid(), SIGKILL)`` as any process
    does): hence a worker that is neither. The init reaps whatever is orphaned in the
    namespace and, once the worker has exited, passes its wait status up and exits;
    the kernel then kills every process left in the namespace, however it detached
    itself (``setsid``, double forks, long chains). The first process exits as the
    worker did (the same status, or the same signal). All three are in the worker's
    process group: the grader's ``killpg`` ends them together. The first one holds
    ``pipes`` open until it exits, so that the grader, which waits for them to close,
    never takes it for gone before it has passed the worker's status on.
    """
    read, write = os.pipe()
    init = os.fork()
    if init == 0:
        os.close(read)
        worker = os.fork()
        if worker == 0:
            os.close(write)
            return
        _be_init(worker, write)  # pragma: no cover - never returns
    os.close(write)
    _relay(init, read, pipes)  # pragma: no cover - never returns


def _close_all_but(*keep: int) -> None:
    for fd in _open_fds():
        if fd not in keep:
            try:
                os.close(fd)
            except OSError:
                pass


def _be_init(worker: int, status_fd: int):  # pragma: no cover - a process of its own
    import signal
    import struct

    code = 0
    try:
        signal.signal(signal.SIGPIPE, signal.SIG_IGN)
        _close_all_but(status_fd)
        while True:
            try:
                pid, status = os.waitpid(-1, 0)
            except ChildProcessError:
                break
            except InterruptedError:
                continue
            if pid == worker:
                try:
                    os.write(status_fd, struct.pack("i", status))
                except OSError:
                    pass
                break
    except BaseException:
        code = 1
    finally:
        os._exit(code)


def _relay(init: int, status_fd: int, pipes: tuple[int, ...]):  # pragma: no cover
    import resource
    import signal
    import struct

    code = 1
    try:
        _close_all_but(status_fd, *pipes)
        data = b""
        while len(data) < 4:
            chunk = os.read(status_fd, 4 - len(data))
            if not chunk:
                break
            data += chunk
        try:
            os.waitpid(init, 0)
        except ChildProcessError:
            pass
        if len(data) == 4:
            status = struct.unpack("i", data)[0]
            if os.WIFSIGNALED(status):
                signum = os.WTERMSIG(status)
                code = 128 + signum
                resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
                if signum not in (signal.SIGKILL, signal.SIGSTOP):
                    signal.signal(signum, signal.SIG_DFL)
                    signal.pthread_sigmask(signal.SIG_UNBLOCK, [signum])
                os.kill(os.getpid(), signum)
            else:
                code = os.waitstatus_to_exitcode(status)
    except BaseException:
        code = 1
    finally:
        os._exit(code & 0xFF)


def _open_fds() -> list[int]:
    try:
        return [int(fd) for fd in os.listdir("/proc/self/fd")]
    except OSError:  # pragma: no cover
        return list(range(1024))
