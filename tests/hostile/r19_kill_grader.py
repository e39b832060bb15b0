"""Row 19: kill the grader: the parent, every process named like the grader, the
parent's process group."""
import os
import signal


def act():
    for action in (
        lambda: os.kill(os.getppid(), signal.SIGKILL),
        lambda: os.killpg(os.getpgid(os.getppid()), signal.SIGKILL),
    ):
        try:
            action()
        except Exception:
            pass
    for name in os.listdir("/proc"):
        if name.isdigit() and int(name) != os.getpid():
            try:
                with open(f"/proc/{name}/cmdline", "rb") as f:
                    if b"grader" in f.read():
                        os.kill(int(name), signal.SIGKILL)
            except Exception:
                pass
