"""Row 5: start child processes in a new session, by every route, and leave them sleeping."""
import importlib.machinery
import importlib.util
import multiprocessing
import os
import subprocess
import sys
import time

MARK = "HOSTILE-7f3a-sleeper"


def _sleep_forever():
    os.setsid()
    time.sleep(300)


SLEEPER = [sys.executable, "-c", "import time; time.sleep(300)", MARK]
attempts = [
    lambda: subprocess.Popen(SLEEPER, start_new_session=True),
    lambda: os.system(" ".join(SLEEPER[:2]) + ' "import time; time.sleep(300)" ' + MARK + " &"),
    lambda: os.posix_spawn(sys.executable, SLEEPER, dict(os.environ)),
    lambda: multiprocessing.Process(target=_sleep_forever, daemon=False).start(),
    lambda: os.fork(),
]


def _reload_posixsubprocess():
    # fork_exec raises no audit event: load a fresh copy of the extension module.
    folder = os.path.join(os.path.dirname(os.__file__), "lib-dynload")
    for suffix in importlib.machinery.EXTENSION_SUFFIXES:
        path = os.path.join(folder, "_posixsubprocess" + suffix)
        if os.path.exists(path):
            break
    loader = importlib.machinery.ExtensionFileLoader("_posixsubprocess", path)
    spec = importlib.util.spec_from_file_location("_posixsubprocess", path, loader=loader)
    fresh = importlib.util.module_from_spec(spec)
    args = [os.fsencode(a) for a in SLEEPER]
    fresh.fork_exec(args, [os.fsencode(sys.executable)], True, (), None, None, -1, -1, -1, -1,
                    -1, -1, -1, -1, True, True, -1, None, None, None, -1, None, False)


attempts.append(_reload_posixsubprocess)
for attempt in attempts:
    try:
        pid = attempt()
        if pid == 0:  # a forked child: sleep on in a session of its own
            _sleep_forever()
            os._exit(0)
    except Exception:
        pass
