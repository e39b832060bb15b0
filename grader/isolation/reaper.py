"""The grading parent's side of containment: no process a submission starts outlives it.

Every worker runs in its own session, and the runner kills its process group when
the worker ends. A process that left the group (``setsid``, ``setpgid``) would
survive that, so the grading parent also:

* becomes a *child subreaper* (``prctl(PR_SET_CHILD_SUBREAPER)``, Linux): whatever a
  worker leaves behind, however it detached itself, is re-parented to the grader
  rather than to init when its own parent dies;
* after every worker, :func:`sweep` kills (and reaps) every process still in the
  worker's session or process group, and every child of the grader it did not start
  itself that appeared after the worker did, until none is left.

The runner and the fork server register the processes they start (the workers,
the zygote) under :data:`SPAWN_LOCK`, so a sweep never mistakes one for a leftover.
:func:`network_prefix` is the optional network namespace: ``unshare -rn`` where an
unprivileged user namespace can be made.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import threading
import time

_PR_SET_CHILD_SUBREAPER = 36

SPAWN_LOCK = threading.RLock()
_KNOWN: set[int] = set()
_STATE: dict[str, object] = {}


def register(pid: int) -> None:
    """A process the grader started on purpose (never swept)."""
    with SPAWN_LOCK:
        _KNOWN.add(pid)


def unregister(pid: int) -> None:
    with SPAWN_LOCK:
        _KNOWN.discard(pid)


def become_subreaper() -> bool:
    """Make this process the subreaper of its descendants (once; False where impossible)."""
    with SPAWN_LOCK:
        if "subreaper" not in _STATE:
            _STATE["subreaper"] = _prctl_subreaper()
        return bool(_STATE["subreaper"])


def _prctl_subreaper() -> bool:
    if not sys.platform.startswith("linux"):
        return False
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        return libc.prctl(_PR_SET_CHILD_SUBREAPER, ctypes.c_ulong(1), 0, 0, 0) == 0
    except (OSError, AttributeError):  # pragma: no cover
        return False


def start_time(pid: int) -> int:
    """When ``pid`` started, in clock ticks since boot (0 if unknown)."""
    info = _stat(pid)
    return info[4] if info else 0


def _stat(pid: int) -> tuple[int, str, int, int, int, int] | None:
    """(ppid, state, pgid, sid, start time, pid) of a process, from /proc."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as f:
            data = f.read().decode("ascii", "replace")
    except OSError:
        return None
    # The command name (field 2) may hold spaces and parentheses: cut at the last ')'.
    rest = data[data.rfind(")") + 2 :].split()
    try:
        state, ppid, pgid, sid = rest[0], int(rest[1]), int(rest[2]), int(rest[3])
        started = int(rest[19])
    except (IndexError, ValueError):
        return None
    return ppid, state, pgid, sid, started, pid


def processes() -> list[tuple[int, str, int, int, int, int]]:
    if not os.path.isdir("/proc"):
        return []
    found = []
    for name in os.listdir("/proc"):
        if name.isdigit():
            info = _stat(int(name))
            if info is not None:
                found.append(info)
    return found


def leftovers(leader: int, since: int) -> list[tuple[int, bool, bool]]:
    """(pid, is a zombie, is our child) of what a worker led by ``leader`` left behind.

    Call it holding :data:`SPAWN_LOCK`, so that no process is being started meanwhile.
    """
    me = os.getpid()
    found = []
    for ppid, state, pgid, sid, started, pid in processes():
        if pid == me or pid in _KNOWN:
            continue
        ours = ppid == me
        if sid == leader or pgid == leader or (ours and started >= since):
            found.append((pid, state == "Z", ours))
    return found


def sweep(leader: int, since: int, rounds: int = 100) -> int:
    """Kill and reap what worker ``leader`` (started at ``since``) left; how many."""
    if not os.path.isdir("/proc"):
        return 0
    killed: set[int] = set()
    for _ in range(rounds):
        with SPAWN_LOCK:  # nothing is started while the grader's children are judged
            found = leftovers(leader, since)
            alive = [pid for pid, zombie, _ in found if not zombie]
            for pid, zombie, ours in found:
                if not zombie:
                    try:
                        os.kill(pid, signal.SIGKILL)
                        killed.add(pid)
                    except (ProcessLookupError, PermissionError):
                        pass
                if ours:
                    try:
                        os.waitpid(pid, 0 if zombie else os.WNOHANG)
                    except ChildProcessError:
                        pass
        if not alive:
            break
        time.sleep(0.01)
    return len(killed)


def sweep_all_orphans(since: int) -> int:
    """At the end of grading: every unregistered child that appeared after ``since``."""
    return sweep(-1, since)


def boot_ticks_now() -> int:
    """The current time in the clock ticks of /proc's start times."""
    try:
        with open("/proc/uptime") as f:
            uptime = float(f.read().split()[0])
    except (OSError, ValueError, IndexError):
        return 0
    return int(uptime * os.sysconf("SC_CLK_TCK"))


def network_prefix() -> list[str]:
    """``["unshare", "-rn", "--"]`` where that works here (checked once), else ``[]``.

    ``GRADER_NETNS=0`` turns it off.
    """
    with SPAWN_LOCK:
        if "netns" not in _STATE:
            _STATE["netns"] = _try_unshare()
        return list(_STATE["netns"])  # type: ignore[arg-type]


def _try_unshare() -> list[str]:
    if os.environ.get("GRADER_NETNS", "1") == "0" or not sys.platform.startswith("linux"):
        return []
    unshare = shutil.which("unshare")
    if unshare is None:
        return []
    prefix = [unshare, "-rn", "--"]
    try:
        done = subprocess.run(
            [*prefix, sys.executable, "-I", "-c", "import socket; print(socket.if_nameindex())"],
            capture_output=True,
            timeout=20,
            text=True,
        )
    except (OSError, subprocess.SubprocessError):
        return []
    if done.returncode != 0 or done.stdout.strip() != "[(1, 'lo')]":  # the loopback alone
        return []
    return prefix
