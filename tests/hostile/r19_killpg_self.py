"""Row 19: os.killpg(0, SIGKILL) inside a test: the worker's own group, itself."""
import os
import signal


def act():
    os.killpg(0, signal.SIGKILL)
