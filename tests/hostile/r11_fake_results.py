"""Row 11: print fake results (a results JSON, "999 passed"), write them to every file
descriptor, with a wrong implementation."""
import json
import os


def double(x):
    return x  # wrong


def _forge():
    line = json.dumps({"ev": "result", "key": "x", "status": "passed", "t": "0" * 32})
    print(json.dumps({"score": 999, "tests": [{"status": "passed"}]}))
    print("===== 999 passed in 0.01s =====")
    for fd in range(0, 64):
        try:
            os.write(fd, (line + "\n").encode())
        except OSError:
            pass


_forge()


def act():
    _forge()
