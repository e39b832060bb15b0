"""The sandbox a grading worker puts itself in before any learner code loads.

A worker (grader/grading/worker.py) calls these in order, forked from the fork server or
started as ``python -I -m grader.grading.worker`` alike; each layer is optional, degrades to
nothing where the system lacks it, and is reported by name (the JSON report's
``grader.isolation.sandbox``):

1. :func:`restrict_filesystem` (``no-new-privs``, ``landlock-abi-N``): Landlock, the
   kernel's unprivileged sandbox, reached with raw syscalls. The worker may write,
   create and delete only inside its scratch folder (and write ``/dev/null``), may
   read only what Python, torch, the grader and the kit's tests need (never the
   kit's solutions, its self-tests, its git history nor other submissions), may
   execute no program at all, may not bind or connect TCP sockets (ABI 4) and may
   not signal, nor reach abstract Unix sockets of, any process outside its own
   sandbox: the grader, the fork server and other workers (ABI 6).
2. :func:`limit_resources` (``rlimits``): memory (data and address space, on top of
   what the grader itself has loaded), CPU time, file size, open files, no core
   dumps; processes per user where that limit binds (not for root).
3. :func:`drop_capabilities` (``no-capabilities``): a worker started as root keeps
   its user id but loses every capability (no ``CAP_DAC_OVERRIDE``,
   ``CAP_SYS_RESOURCE``, ``CAP_KILL``...); so does a worker forked in bubblewrap
   (grader/isolation/containment.py), which had ``CAP_SYS_ADMIN`` in its own user namespace.
4. :func:`install_audit_hook` (``audit-hook``), last, because the layers above need
   ``ctypes``: a PEP 578 hook that denies process creation, ``ctypes``, signals to
   other processes, sockets, writes and deletions outside the scratch folder, and
   changes of resource limits. It guards the machine, not verdicts: those are
   decided in a process that never imports the module (grader/probing.py). Every denial raises
   :class:`SandboxViolation` in the code that asked and is reported to the parent
   at once, in plain words ("tried to start a process (subprocess.Popen)"); the
   parent scores the module 0.

The audit hook runs in the same interpreter as the code it watches: it is a first
line, not a wall (docs/grader.md says what it cannot do). The kernel layers (1, 2)
and the parent's own guards (a process group killed as a whole, a subreaper that
finds every descendant, a wall-clock watchdog; grader/grading/runner.py, grader/isolation/reaper.py)
are what hold when it is bypassed.
"""

from __future__ import annotations

import os
import platform
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

GIB = 1024**3
MIB = 1024**2


class SandboxViolation(PermissionError):
    """The grader's sandbox denied what the code under test tried to do."""


@dataclass
class Policy:
    """What one worker may do: built by the parent (grader/grading/runner.py), sent in the spec."""

    scratch: str  # the worker's private folder: the only place it may write
    read: list[str] = field(default_factory=list)  # more folders or files it must read
    protected: list[str] = field(default_factory=list)  # named in messages: kit, grader
    memory: int = 2 * GIB  # bytes the worker may add to what it has loaded (0: no cap)
    cpu: int = 0  # CPU seconds (0: no cap)
    fsize: int = 128 * MIB  # the largest file it may write
    nofile: int = 512  # open file descriptors
    gpu: bool = False  # let it open its GPU's device nodes
    # With ``gpu``: the device files it may open (grader/isolation/gpus.py, device_nodes); empty:
    # all of /dev, where the GPU's own node could not be told.
    gpu_devices: list[str] = field(default_factory=list)
    audit_hook: bool = True  # off only in the grader's own tests of the kernel's layers

    def to_spec(self) -> dict:
        return dict(self.__dict__)

    @classmethod
    def from_spec(cls, spec: dict | None) -> Policy | None:
        if not isinstance(spec, dict) or not spec.get("scratch"):
            return None
        known = {k: v for k, v in spec.items() if k in cls.__dataclass_fields__}
        return cls(**known)


# ====================================================================== Landlock

_SYSCALLS = {"x86_64": (444, 445, 446), "aarch64": (444, 445, 446), "arm64": (444, 445, 446)}
_CREATE_RULESET_VERSION = 1
_RULE_PATH_BENEATH = 1
_PR_SET_NO_NEW_PRIVS = 38

FS_EXECUTE = 1 << 0
FS_WRITE_FILE = 1 << 1
FS_READ_FILE = 1 << 2
FS_READ_DIR = 1 << 3
FS_REMOVE_DIR = 1 << 4
FS_REMOVE_FILE = 1 << 5
FS_MAKE_CHAR = 1 << 6
FS_MAKE_DIR = 1 << 7
FS_MAKE_REG = 1 << 8
FS_MAKE_SOCK = 1 << 9
FS_MAKE_FIFO = 1 << 10
FS_MAKE_BLOCK = 1 << 11
FS_MAKE_SYM = 1 << 12
FS_REFER = 1 << 13  # ABI 2
FS_TRUNCATE = 1 << 14  # ABI 3
NET_BIND_TCP = 1 << 0  # ABI 4
NET_CONNECT_TCP = 1 << 1
SCOPE_ABSTRACT_UNIX_SOCKET = 1 << 0  # ABI 6
SCOPE_SIGNAL = 1 << 1

_FILE_RIGHTS = FS_EXECUTE | FS_WRITE_FILE | FS_READ_FILE | FS_TRUNCATE
# What a worker may do in its scratch folder: everything but devices and execution.
_SCRATCH_RIGHTS = (
    FS_READ_FILE
    | FS_WRITE_FILE
    | FS_REMOVE_DIR
    | FS_REMOVE_FILE
    | FS_MAKE_DIR
    | FS_MAKE_REG
    | FS_MAKE_SYM
    | FS_MAKE_SOCK
    | FS_MAKE_FIFO
    | FS_REFER
    | FS_TRUNCATE
)
# System folders a Python process with torch reads from (only those that exist).
_SYSTEM_READ = ("/usr", "/lib", "/lib64", "/lib32", "/libx32", "/bin", "/sbin", "/proc", "/sys")
_ETC_READ = (
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
    "host.conf",
    "gai.conf",
    "mime.types",
)
_DEV_READ = ("/dev/null", "/dev/zero", "/dev/urandom", "/dev/random", "/dev/full")


def _libc():
    import ctypes

    return ctypes.CDLL(None, use_errno=True)


def landlock_abi() -> int:
    """The kernel's Landlock ABI version; 0 where Landlock is missing or disabled."""
    numbers = _SYSCALLS.get(platform.machine())
    if not numbers or not sys.platform.startswith("linux"):
        return 0
    import ctypes

    try:
        libc = _libc()
        libc.syscall.restype = ctypes.c_long
        abi = libc.syscall(
            ctypes.c_long(numbers[0]),
            None,
            ctypes.c_size_t(0),
            ctypes.c_uint32(_CREATE_RULESET_VERSION),
        )
    except (OSError, AttributeError):  # pragma: no cover - no libc
        return 0
    return int(abi) if abi > 0 else 0


def _no_new_privs() -> bool:
    import ctypes

    try:
        libc = _libc()
        return libc.prctl(_PR_SET_NO_NEW_PRIVS, ctypes.c_ulong(1), 0, 0, 0) == 0
    except (OSError, AttributeError):  # pragma: no cover
        return False


def read_roots(policy: Policy) -> list[str]:
    """Every folder or file the worker must be able to read (what exists of it)."""
    roots: list[str] = []
    for prefix in {sys.prefix, sys.base_prefix, sys.exec_prefix}:
        roots.append(prefix)
    roots += [p for p in sys.path if p]
    roots.append(os.path.dirname(os.path.realpath(sys.executable)))
    roots.append(str(Path(__file__).resolve().parents[1]))  # the grader package
    roots += list(policy.read)
    roots += list(_SYSTEM_READ) + [f"/etc/{name}" for name in _ETC_READ] + list(_DEV_READ)
    roots += _mapped_folders()
    seen, found = set(), []
    for root in roots:
        try:
            real = os.path.realpath(root)
        except (OSError, ValueError):
            continue
        if real not in seen and os.path.exists(real):
            seen.add(real)
            found.append(real)
    return found


def _mapped_folders() -> list[str]:
    """The folders of the shared libraries already mapped (conda, nix, CUDA...)."""
    folders = set()
    try:
        with open("/proc/self/maps") as maps:
            for line in maps:
                parts = line.split(None, 5)
                if len(parts) == 6 and parts[5].startswith("/"):
                    folders.add(os.path.dirname(parts[5].strip()))
    except OSError:
        pass
    return sorted(folders)


def restrict_filesystem(policy: Policy) -> list[str]:
    """Landlock the calling thread and every process it starts; the layers applied."""
    layers = ["no-new-privs"] if _no_new_privs() else []
    abi = landlock_abi()
    if abi < 1 or not layers:  # Landlock needs no_new_privs (or CAP_SYS_ADMIN)
        return layers
    import ctypes

    class RulesetAttr(ctypes.Structure):
        _fields_ = [
            ("handled_access_fs", ctypes.c_uint64),
            ("handled_access_net", ctypes.c_uint64),
            ("scoped", ctypes.c_uint64),
        ]

    class PathBeneath(ctypes.Structure):
        _pack_ = 1
        _fields_ = [("allowed_access", ctypes.c_uint64), ("parent_fd", ctypes.c_int32)]

    handled = (
        FS_EXECUTE
        | FS_WRITE_FILE
        | FS_READ_FILE
        | FS_REMOVE_DIR
        | FS_REMOVE_FILE
        | FS_MAKE_CHAR
        | FS_MAKE_DIR
        | FS_MAKE_REG
        | FS_MAKE_SOCK
        | FS_MAKE_FIFO
        | FS_MAKE_BLOCK
        | FS_MAKE_SYM
    )
    if abi >= 2:
        handled |= FS_REFER
    if abi >= 3:
        handled |= FS_TRUNCATE
    attr = RulesetAttr(handled, 0, 0)
    size = 8
    if abi >= 4:
        attr.handled_access_net = NET_BIND_TCP | NET_CONNECT_TCP
        size = 16
    if abi >= 6:
        attr.scoped = SCOPE_ABSTRACT_UNIX_SOCKET | SCOPE_SIGNAL
        size = 24
    create, add_rule, restrict = _SYSCALLS[platform.machine()]
    libc = _libc()
    libc.syscall.restype = ctypes.c_long
    ruleset = libc.syscall(
        ctypes.c_long(create), ctypes.byref(attr), ctypes.c_size_t(size), ctypes.c_uint32(0)
    )
    if ruleset < 0:
        return layers
    try:

        def allow(path: str, rights: int) -> None:
            try:
                fd = os.open(path, os.O_PATH | os.O_CLOEXEC)
            except OSError:
                return
            try:
                if not os.path.isdir(path):
                    rights &= _FILE_RIGHTS
                rule = PathBeneath(rights & handled, fd)
                libc.syscall(
                    ctypes.c_long(add_rule),
                    ctypes.c_int(ruleset),
                    ctypes.c_int(_RULE_PATH_BENEATH),
                    ctypes.byref(rule),
                    ctypes.c_uint32(0),
                )
            finally:
                os.close(fd)

        for root in read_roots(policy):
            allow(root, FS_READ_FILE)
        allow(policy.scratch, _SCRATCH_RIGHTS)
        allow("/dev/null", FS_READ_FILE | FS_WRITE_FILE | FS_TRUNCATE)
        if policy.gpu:  # the CUDA driver opens its device nodes read-write
            for node in policy.gpu_devices or ["/dev"]:
                allow(node, FS_READ_FILE | FS_WRITE_FILE)
        if libc.syscall(ctypes.c_long(restrict), ctypes.c_int(ruleset), ctypes.c_uint32(0)) != 0:
            return layers
    finally:
        os.close(ruleset)
    return layers + [f"landlock-abi-{abi}"]


# ====================================================================== rlimits


def _status_kib(field_name: str) -> int:
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith(field_name + ":"):
                    return int(line.split()[1])
    except (OSError, ValueError, IndexError):
        pass
    return 0


def _tasks_of_user(uid: int) -> int:
    count = 0
    try:
        pids = [p for p in os.listdir("/proc") if p.isdigit()]
    except OSError:
        return 0
    for pid in pids:
        try:
            if os.stat(f"/proc/{pid}").st_uid == uid:
                count += len(os.listdir(f"/proc/{pid}/task"))
        except OSError:
            continue
    return count


def limit_resources(policy: Policy) -> list[str]:
    """Lower (never raise) this process's resource limits; the layers applied."""
    try:
        import resource
    except ImportError:  # pragma: no cover - not Unix
        return []

    def lower(which: int, soft: int, hard: int | None = None) -> bool:
        old_soft, old_hard = resource.getrlimit(which)
        hard = soft if hard is None else hard
        if old_hard != resource.RLIM_INFINITY:
            hard = min(hard, old_hard)
        soft = min(soft, hard)
        try:
            resource.setrlimit(which, (soft, hard))
        except (ValueError, OSError):
            return False
        return True

    done = []
    if policy.memory > 0:
        # On top of what is loaded already (torch, pytest, Hypothesis: ~0.5 GiB).
        data = _status_kib("VmData") * 1024 + policy.memory
        done.append(lower(resource.RLIMIT_DATA, data))
        if not policy.gpu:  # CUDA reserves terabytes of address space
            size = _status_kib("VmSize") * 1024 + policy.memory
            done.append(lower(resource.RLIMIT_AS, size))
    if policy.cpu > 0:
        done.append(lower(resource.RLIMIT_CPU, int(policy.cpu), int(policy.cpu) + 5))
    if policy.fsize > 0:
        done.append(lower(resource.RLIMIT_FSIZE, int(policy.fsize)))
    if policy.nofile > 0:
        done.append(lower(resource.RLIMIT_NOFILE, int(policy.nofile)))
    done.append(lower(resource.RLIMIT_CORE, 0))
    layers = ["rlimits"] if done and all(done) else []
    # RLIMIT_NPROC counts every task of the user, and root ignores it: set it only
    # where it binds, with room for what the user already runs.
    uid = os.getuid()
    if uid != 0 and hasattr(resource, "RLIMIT_NPROC"):
        if lower(resource.RLIMIT_NPROC, _tasks_of_user(uid) + 256):
            layers.append("rlimit-nproc")
    return layers


# ====================================================================== capabilities


def _effective_capabilities() -> int:
    """This process's effective capabilities (CapEff), 0 where unknown."""
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("CapEff:"):
                    return int(line.split()[1], 16)
    except (OSError, ValueError, IndexError):
        pass
    return 0


def drop_capabilities() -> list[str]:
    """Drop every capability: as root (the user id stays 0), or in bubblewrap's user
    namespace (grader/isolation/containment.py gives the fork server one); the layers applied."""
    if os.geteuid() != 0 and not _effective_capabilities():
        return []
    import ctypes

    class Header(ctypes.Structure):
        _fields_ = [("version", ctypes.c_uint32), ("pid", ctypes.c_int)]

    class Data(ctypes.Structure):
        _fields_ = [
            ("effective", ctypes.c_uint32),
            ("permitted", ctypes.c_uint32),
            ("inheritable", ctypes.c_uint32),
        ]

    try:
        libc = _libc()
        for cap in range(64):  # the bounding set: no capability comes back through exec
            libc.prctl(24, ctypes.c_ulong(cap), 0, 0, 0)  # PR_CAPBSET_DROP
        header = Header(0x20080522, 0)  # _LINUX_CAPABILITY_VERSION_3
        data = (Data * 2)()
        if libc.capset(ctypes.byref(header), data) != 0:
            return []
    except (OSError, AttributeError):  # pragma: no cover
        return []
    return ["no-capabilities"]


# ====================================================================== the audit hook

_PROCESS_EVENTS = frozenset(
    {
        "subprocess.Popen",
        "os.system",
        "os.posix_spawn",
        "os.spawn",
        "os.fork",
        "os.forkpty",
        "os.exec",
        "pty.spawn",
        "webbrowser.open",
        "os.startfile",
    }
)
_NETWORK_EVENTS = frozenset({"socket.connect", "socket.bind", "socket.sendto", "socket.sendmsg"})
_LIMIT_EVENTS = frozenset({"resource.setrlimit", "resource.prlimit"})
# Extension modules that bypass the events above (fork_exec raises none) or crash.
DENIED_IMPORTS = frozenset(
    {
        "_posixsubprocess",
        "_ctypes",
        "_testcapi",
        "_testinternalcapi",
        "_testbuffer",
        "_testmultiphase",
        "_testimportmultiple",
        "_testclinic",
        "_ctypes_test",
        "_xxtestfuzz",
        "_xxsubinterpreters",
    }
)
# Events that change a path: (event, indexes of the path arguments, index of dir_fd).
_PATH_EVENTS = {
    "os.remove": ((0,), 1),
    "os.rmdir": ((0,), 1),
    "os.mkdir": ((0,), 2),
    "os.rename": ((0, 1), 2),
    "os.link": ((0, 1), 2),
    "os.symlink": ((1,), 2),
    "os.chmod": ((0,), 2),
    "os.chown": ((0,), 3),
    "os.truncate": ((0,), None),
    "os.utime": ((0,), 3),
    "os.chflags": ((0,), None),
    "os.lchflags": ((0,), None),
    "os.setxattr": ((0,), None),
    "os.removexattr": ((0,), None),
    "shutil.rmtree": ((0,), 1),
}

# Every event the audit hook looks at (besides ``ctypes.*``).
_HOOKED_EVENTS = frozenset(
    {
        "open",
        "import",
        "os.kill",
        "os.killpg",
        "socket.__new__",
    }
).union(
    _PATH_EVENTS,
    _PROCESS_EVENTS,
    _NETWORK_EVENTS,
    _LIMIT_EVENTS,
)
_WRITE_FLAGS = os.O_WRONLY | os.O_RDWR | os.O_APPEND | os.O_CREAT | os.O_TRUNC


def disarm_process_creation() -> None:
    """Take ``_posixsubprocess`` (whose fork_exec raises no audit event) out of reach.

    What imports it anew raises an ``import`` event the hook denies; the module the
    subprocess module holds is replaced by one that refuses.
    """
    import types

    def refuse(*args, **kwargs):
        raise SandboxViolation("starting processes is not allowed while grading")

    stub = types.ModuleType("_posixsubprocess", "process creation is disabled while grading")
    stub.fork_exec = refuse
    for holder in ("subprocess", "multiprocessing.util"):
        module = sys.modules.get(holder)
        if module is not None and hasattr(module, "_posixsubprocess"):
            module._posixsubprocess = stub
    sys.modules["_posixsubprocess"] = stub


def install_audit_hook(policy: Policy, report: Callable[[str], None]) -> None:
    """Install the hook (it cannot be removed) in the probe worker (grader/grading/probe_worker.py).

    ``report(sentence)`` is called once per distinct denial, as it happens. Only what
    protects the machine is denied (writing outside the scratch folder, processes,
    ctypes, the network, signals to others, resource limits): no verdict is decided in
    that process, so patching torch or inspecting frames there changes nothing.
    """
    scratch = os.path.realpath(policy.scratch)
    allowed_dirs = [scratch]
    allowed_files = {"/dev/null"}
    if policy.gpu and policy.gpu_devices:
        allowed_files |= {os.path.realpath(node) for node in policy.gpu_devices}
    elif policy.gpu:
        allowed_dirs.append("/dev")
    protected_paths = [os.path.realpath(p) for p in policy.protected if p]
    pid = os.getpid()
    pgid = os.getpgid(0)
    reported: set[str] = set()
    busy = [False]
    # torch itself loads C libraries with ctypes at run time (NVML, to count GPUs):
    # ctypes called from torch's own files is torch's business.
    torch = sys.modules.get("torch")
    trusted = [os.path.dirname(os.path.realpath(torch.__file__)) + os.sep] if torch else []
    import ctypes

    ctypes_dir = os.path.dirname(os.path.realpath(ctypes.__file__)) + os.sep

    def torch_asked() -> bool:
        frame = sys._getframe(3)  # _hook <- hook <- the C code's Python caller
        while frame is not None:
            name = os.path.realpath(frame.f_code.co_filename)
            if not name.startswith(ctypes_dir):
                return any(name.startswith(t) for t in trusted)
            frame = frame.f_back
        return False

    def deny(sentence: str):
        if sentence not in reported and len(reported) < 50:
            reported.add(sentence)
            try:
                report(sentence)
            except Exception:  # pragma: no cover - the channel is gone
                pass
        raise SandboxViolation(f"the grader's sandbox denied this: {sentence}")

    def where(path, dir_fd=None) -> str | None:
        if isinstance(path, int) or path is None:
            return None
        try:
            text = os.fsdecode(os.fspath(path))
        except TypeError:
            return None
        if not os.path.isabs(text):
            base = os.getcwd()
            if isinstance(dir_fd, int) and dir_fd >= 0:
                try:
                    base = os.readlink(f"/proc/self/fd/{dir_fd}")
                except OSError:
                    pass
            text = os.path.join(base, text)
        return os.path.realpath(text)

    def inside(real: str) -> bool:
        if real in allowed_files:
            return True
        return any(real == d or real.startswith(d + os.sep) for d in allowed_dirs)

    def check_path(event: str, path, dir_fd=None) -> None:
        real = where(path, dir_fd)
        if real is None or inside(real):
            return
        if any(real == p or real.startswith(p + os.sep) for p in protected_paths):
            deny(f"tried to change the grader's or the kit's files ({event} {real})")
        if real.endswith(".pth") or "site-packages" in real:
            deny(f"tried to change the Python installation ({event} {real})")
        deny(f"tried to write outside its sandbox ({event} {real})")

    def hook(event: str, args: tuple) -> None:
        # Most events (``object.__getattr__`` on every ``f.__code__``...) concern no
        # check: they leave at once, for speed.
        if busy[0] or (event not in _HOOKED_EVENTS and not event.startswith("ctypes.")):
            return
        busy[0] = True
        try:
            _hook(event, args)
        finally:
            busy[0] = False

    def _hook(event: str, args: tuple) -> None:
        if event == "open":
            path, mode, flags = (tuple(args) + (None, None, 0))[:3]
            writes = isinstance(flags, int) and flags & _WRITE_FLAGS
            if isinstance(mode, str) and any(c in mode for c in "wax+"):
                writes = True
            if writes:
                check_path("open", path)
        elif event in _PATH_EVENTS:
            indexes, fd_index = _PATH_EVENTS[event]
            dir_fd = args[fd_index] if fd_index is not None and fd_index < len(args) else None
            for i in indexes:
                if i < len(args):
                    check_path(event, args[i], dir_fd)
        elif event in _PROCESS_EVENTS:
            deny(f"tried to start a process ({event})")
        elif event.startswith("ctypes.") and not torch_asked():
            deny(f"tried to use ctypes ({event})")
        elif event == "import":
            name = str(args[0]) if args else ""
            if name in DENIED_IMPORTS:
                deny(f"tried to import {name}")
        elif event == "os.kill":
            target, sig = args[0], args[1]
            if sig != 0 and target not in (pid, 0, -pgid):
                deny(f"tried to send a signal to another process (os.kill {target})")
        elif event == "os.killpg":
            target, sig = args[0], args[1]
            if sig != 0 and target not in (0, pgid):
                deny(f"tried to send a signal to another process group (os.killpg {target})")
        elif event == "socket.__new__":
            import socket

            family = args[1] if len(args) > 1 else None
            if family not in (socket.AF_UNIX, -1, None):
                deny(f"tried to use the network (a socket of family {family})")
        elif event in _NETWORK_EVENTS:
            deny(f"tried to use the network ({event})")
        elif event in _LIMIT_EVENTS:
            deny(f"tried to change its resource limits ({event})")

    disarm_process_creation()
    sys.addaudithook(hook)


def prepare_libraries() -> None:
    """Do, before the hook is in, what libraries would otherwise try under it.

    Hypothesis registers its own random generator (checking its referrers with
    ``gc``) the first time a test runs, and looks for the project's git root (running
    ``git``; the answer is cached) when it first reports on local code. In a worker,
    whose folder is no repository and which may run no program, that root is the
    filesystem's: asked now, both are done and never tried under the hook.
    """
    try:
        from hypothesis.internal.entropy import deterministic_PRNG

        with deterministic_PRNG():
            pass
    except Exception:  # pragma: no cover - another Hypothesis version
        pass
    try:
        from hypothesis.internal import scrutineer

        root = getattr(scrutineer, "_get_git_repo_root", None)
        if root is not None and hasattr(root, "cache_clear"):
            root.cache_clear()
            root()
    except Exception:  # pragma: no cover - another Hypothesis version
        pass
