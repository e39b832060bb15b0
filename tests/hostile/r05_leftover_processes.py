"""Row 5 (graded with the sandbox off): a child in a new session and a forked grandchild
that detaches itself, both left sleeping; only the parent's reaper can find them."""
import os
import subprocess
import sys
import time

MARK = "HOSTILE-7f3a-sleeper"


def act():
    sleeper = [sys.executable, "-c", "import time; time.sleep(300)", MARK]
    subprocess.Popen(sleeper, start_new_session=True)
    pid = os.fork()
    if pid == 0:
        os.setsid()
        if os.fork() == 0:  # double fork: the grandchild is nobody's child
            time.sleep(300)
        os._exit(0)
    os.waitpid(pid, 0)
