"""Run pytest in a child forked from a process that has torch, pytest and Hypothesis loaded.

``python -m grader watch`` re-runs an exercise on every save. A fresh ``python -m
pytest`` pays two to three seconds before its first test: torch, pytest and Hypothesis,
then the parts of torch that tests load on first use (``torch.testing``). A :class:`Warm`
runner pays for them once, when watch mode starts, and forks a child per run: the
child is a new process in which the learner's module and the kit's test modules are
imported for the first time (the parent never imports them), so every run sees the
files as they were saved, as a fresh process would.

Where fork is missing (not Linux) or unsafe (the parent runs more than one thread),
:meth:`Warm.run` starts ``python -m pytest`` instead: the same output, only slower.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import traceback
from pathlib import Path

from . import forkserver


class Warm:
    """Runs ``pytest ARGS`` in ``cwd``, forked from this (preloaded) process where it can."""

    def __init__(self, fork: bool = True) -> None:
        self.fork = fork and forkserver.available()
        self.why_not: str | None = None
        if not self.fork:
            self.why_not = "asked not to fork" if not fork else "fork is not available here"
        else:
            saved = os.environ.get("OMP_NUM_THREADS")
            if "torch" not in sys.modules:
                # OpenMP starts a pool of threads when torch loads, unless told to use
                # one thread; a process with such a pool cannot fork safely. The runs
                # then compute on one thread, which for the kit's small tensors is
                # as fast. The variable itself is put back as it was.
                os.environ["OMP_NUM_THREADS"] = "1"
            try:
                forkserver.preload_libraries()
            finally:
                if saved is None:
                    os.environ.pop("OMP_NUM_THREADS", None)
                else:
                    os.environ["OMP_NUM_THREADS"] = saved

    def run(self, args: list[str], cwd: Path, env: dict[str, str]) -> tuple[int, str]:
        """(pytest's exit code, everything it printed)."""
        if self.fork:
            self.why_not = forkserver.single_threaded_problem()
            if self.why_not is None:
                return _forked(args, Path(cwd), env)
        proc = subprocess.run(
            [sys.executable, "-m", "pytest", *args],
            cwd=cwd,
            env=dict(os.environ, **env),
            capture_output=True,
            text=True,
        )
        return proc.returncode, proc.stdout + proc.stderr


def _forked(args: list[str], cwd: Path, env: dict[str, str]) -> tuple[int, str]:
    read_fd, write_fd = os.pipe()
    sys.stdout.flush()
    sys.stderr.flush()
    pid = os.fork()
    if pid == 0:  # the child: never returns
        os.close(read_fd)
        _child(args, cwd, env, write_fd)
    os.close(write_fd)
    chunks = []
    try:
        while chunk := os.read(read_fd, 65536):
            chunks.append(chunk)
        _, status = os.waitpid(pid, 0)
    except BaseException:  # Ctrl-C while the tests run: the child goes too
        try:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
        except OSError:
            pass
        raise
    finally:
        os.close(read_fd)
    return os.waitstatus_to_exitcode(status), b"".join(chunks).decode("utf-8", "replace")


def _child(args: list[str], cwd: Path, env: dict[str, str], write_fd: int) -> None:
    code = 3  # pytest's "internal error"
    try:
        os.dup2(write_fd, 1)
        os.dup2(write_fd, 2)
        os.close(write_fd)
        os.chdir(cwd)
        os.environ.update(env)
        sys.path.insert(0, str(cwd))  # as ``python -m pytest`` run in ``cwd``
        # What the variable means to a new interpreter (the fallback's ``python -m pytest``).
        sys.dont_write_bytecode = bool(os.environ.get("PYTHONDONTWRITEBYTECODE"))
        sys.argv = [sys.executable, "-m", "pytest", *args]
        import pytest

        # pytest cannot rewrite the asserts of plugins loaded before it started (here:
        # in the parent), and says so once per plugin: noise for a learner.
        quiet = ["-W", "ignore::pytest.PytestAssertRewriteWarning"]
        code = int(pytest.main([*quiet, *args]))
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else 1
    except BaseException:
        traceback.print_exc()
    finally:
        try:
            sys.stdout.flush()
            sys.stderr.flush()
        finally:
            os._exit(code & 0xFF)
