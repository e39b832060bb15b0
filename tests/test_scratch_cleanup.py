"""Nothing a worker writes outlives its grading, even folders it made undeletable.

A worker owns its scratch folder, so it can take the write or search permission off
the folders it makes (``chmod 0500``, ``chmod 0``). Root ignores permission bits, so
only a grader run as an ordinary user shows whether it still deletes them: run as
root, these tests grade as ``nobody`` (``setpriv``), keeping only the right to read
and search folders (the interpreter and the kit may lie in root's home); deleting
obeys the permission bits as for any user.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from harness import solution_source

from grader.grading import runner

ROOT = Path(__file__).resolve().parent.parent
HOSTILE = Path(__file__).resolve().parent / "hostile"
NOBODY = 65534


def ordinary_user() -> list[str]:
    """The command prefix that runs a command as an ordinary user ([] if we are one)."""
    if os.geteuid() != 0:
        return []
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        pytest.skip("run as root and setpriv is missing: no ordinary user to grade as")
    prefix = [
        setpriv,
        f"--reuid={NOBODY}",
        f"--regid={NOBODY}",
        "--clear-groups",
        "--inh-caps=+dac_read_search",
        "--ambient-caps=+dac_read_search",
    ]
    if subprocess.run([*prefix, "true"], capture_output=True).returncode != 0:
        pytest.skip("setpriv cannot drop to an ordinary user here")
    return prefix


@pytest.fixture
def base(tmp_path):
    """A folder the ordinary user owns (under the system's temporary folder)."""
    prefix = ordinary_user()
    folder = Path(tempfile.mkdtemp(prefix="grader-cleanup-test-"))
    if prefix:
        os.chown(folder, NOBODY, NOBODY)
    yield prefix, folder
    runner.remove_scratch(folder)
    shutil.rmtree(folder, ignore_errors=True)


def run_as(prefix: list[str], base: Path, code: str) -> subprocess.CompletedProcess:
    for name in ("scratch", "home"):
        (base / name).mkdir(exist_ok=True)
        if prefix:
            os.chown(base / name, NOBODY, NOBODY)
    env = dict(os.environ, TMPDIR=str(base / "scratch"), HOME=str(base / "home"))
    return subprocess.run(
        [*prefix, *code],
        env=env,
        cwd=ROOT,  # the grader of this checkout
        capture_output=True,
        text=True,
        timeout=240,
    )


def test_remove_scratch_deletes_what_its_owner_locked(base):
    prefix, folder = base
    probe = """
import os, sys
from pathlib import Path
from grader.grading import runner
scratch = runner.make_scratch("grader-layers-")
locked = scratch / "work" / "locked"
locked.mkdir()
with open(locked / "big.bin", "wb") as f:
    f.truncate(64 * 1024 * 1024)
os.chmod(locked, 0o500)
(scratch / "tmp" / "closed" / "inner").mkdir(parents=True)
(scratch / "tmp" / "closed" / "inner" / "note.txt").write_text("x")
(scratch / "home" / "no-access.txt").write_text("x")
os.chmod(scratch / "home" / "no-access.txt", 0)
os.chmod(scratch / "tmp" / "closed" / "inner", 0)
os.chmod(scratch / "tmp" / "closed", 0)
(scratch / "impl" / "wx").mkdir()
(scratch / "impl" / "wx" / "f").write_text("x")
os.chmod(scratch / "impl" / "wx", 0o300)
os.symlink(sys.argv[1], scratch / "impl" / "link-out")
os.chmod(scratch / "impl", 0o500)
os.chmod(scratch, 0)
runner.remove_scratch(scratch)
print(os.path.lexists(scratch))
"""
    outside = folder / "outside"
    outside.mkdir(mode=0o750)
    if prefix:
        os.chown(outside, NOBODY, NOBODY)
    done = run_as(prefix, folder, [sys.executable, "-c", probe, str(outside)])
    assert done.returncode == 0, done.stderr[-3000:]
    assert done.stdout.split() == ["False"], done.stdout
    assert os.listdir(folder / "scratch") == []
    assert outside.stat().st_mode & 0o777 == 0o750  # a link is never followed


def test_nothing_a_worker_locked_survives_its_grading(base, tmp_path):
    """Graded by the command line as an ordinary user: a module that locks folders in
    its working folder, TMPDIR and HOME, one that does so and then kills its worker."""
    prefix, folder = base
    hostile = solution_source("layers") + "\n\n" + (HOSTILE / "r05_leftover_files.py").read_text()
    subs = []
    for name, source in (("locks", hostile), ("locks_and_dies", hostile + "\nos._exit(3)\n")):
        (tmp_path / name).mkdir()
        (tmp_path / name / "layers.py").write_text(source)
        subs.append(str(tmp_path / name))
    command = [sys.executable, "-m", "grader", "grade", *subs, "--modules", "layers"]
    command += ["--kit", str(ROOT), "--format", "json", "--seed", "1", "--jobs", "2", "--quiet"]
    done = run_as(prefix, folder, command)
    assert done.returncode == 0, done.stderr[-3000:]
    report = json.loads(done.stdout)
    locks, dies = (sub["exercises"][0] for sub in report["submissions"])
    assert locks["status"] == "passed" and locks["score"] == locks["max_score"], locks
    assert dies["status"] == "crashed" and "stopped the worker" in dies["message"], dies
    assert os.listdir(folder / "scratch") == []  # every scratch folder, the zygote's too
