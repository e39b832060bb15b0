"""The Gradescope bundle's ``run_autograder`` in a fake ``/autograder`` tree.

The tree lives under a temporary root (``AUTOGRADER_ROOT``). Where the tests run as
root, ``run_autograder`` drops to ``nobody`` (``AUTOGRADER_USER``), as it drops to its
own ``grader`` user on Gradescope; the interpreter is a stand-in shell script that
``nobody`` can run, which records who ran it and with what. Each case checks
``results/results.json``: a normal run, a grader that cannot start, an archive left
packed in the submission folder. One more case runs the real grader with bad
arguments.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

import pytest
from test_formats import assert_valid
from test_formats_bundle import build, run_autograder, unpack

NOBODY = "nobody"

# Stands in for the interpreter (a shell script: the real one may sit where nobody
# cannot reach it). It records who ran it, where, with what, then writes results.
FAKE = """\
#!/bin/sh
shared="{shared}"
{{
  echo "uid=$(id -u)"
  echo "home=$HOME"
  echo "cwd=$(pwd)"
  for a in "$@"; do echo "arg=$a"; done
  if [ -d "$4" ]; then ls -A "$4" | sed 's/^/file=/'; fi
  if [ -f "$4" ]; then echo "archive=$4"; fi
  echo "owner=$(stat -c %u "$4")"
  if touch "$(dirname "$shared")/source/poke" 2>/dev/null; then echo "wrote=source"; fi
}} > "$shared/call.txt"
if [ -n "${{FAKE_FAIL:-}}" ]; then
  echo "ModuleNotFoundError: No module named 'grader'" >&2
  exit 1
fi
while [ "$#" -gt 0 ]; do
  if [ "$1" = "--output" ]; then
    echo '{{"score": 7, "execution_time": 1, "tests": []}}' > "$2"
  fi
  shift
done
"""


def _can_drop() -> str | None:
    """Why this machine cannot run a command as nobody (None: it can)."""
    if os.geteuid() != 0:
        return "not root here: run_autograder grades as the caller"
    if shutil.which("setpriv") is None and shutil.which("runuser") is None:
        return "neither setpriv nor runuser is installed"
    try:
        import pwd

        pwd.getpwnam(NOBODY)
    except KeyError:
        return "no user nobody"
    return None


@pytest.fixture
def tree(tmp_path):
    """A fake /autograder (ROOT) in a folder nobody can reach, and the stand-in."""
    if shutil.which("bash") is None:
        pytest.skip("run_autograder is a bash script")
    base = Path(tempfile.mkdtemp(prefix="autograder-test-"))
    base.chmod(0o755)
    try:
        root = base / "autograder"
        unpack(build(tmp_path, "--grade-arg=--seed=7"), root)
        for folder in (root, *root.rglob("*")):
            if folder.is_dir():
                folder.chmod(0o755)
        shared = base / "shared"
        shared.mkdir()
        shared.chmod(0o1777)
        fake = base / "python"
        fake.write_text(FAKE.format(shared=shared))
        fake.chmod(0o755)
        yield root, fake, shared
    finally:
        shutil.rmtree(base, ignore_errors=True)


def _call(shared: Path) -> dict[str, list[str]]:
    seen: dict[str, list[str]] = {}
    for line in (shared / "call.txt").read_text().splitlines():
        key, _, value = line.partition("=")
        seen.setdefault(key, []).append(value)
    return seen


def _results(root: Path) -> dict:
    path = root / "results" / "results.json"
    results = json.loads(path.read_text(encoding="utf-8"))
    assert_valid(results, "gradescope-results.schema.json")
    assert path.stat().st_uid == os.geteuid(), "results.json belongs to the harness"
    return results


def _drop_env() -> dict[str, str]:
    why = _can_drop()
    if why is not None:
        pytest.skip(f"cannot grade as an unprivileged user here: {why}")
    return {"AUTOGRADER_USER": NOBODY}


def test_a_normal_run_grades_as_nobody(tree):
    root, fake, shared = tree
    (root / "submission" / "blocks.py").write_text("# mine\n")
    done = run_autograder(root, str(fake), **_drop_env())
    assert done.returncode == 0, done.stderr
    call = _call(shared)
    import pwd

    assert call["uid"] == [str(pwd.getpwnam(NOBODY).pw_uid)], "the grader ran as root"
    assert call["file"] == ["blocks.py"]  # a copy of the submission ...
    assert call["owner"] == call["uid"]  # ... that the grader owns
    assert call["home"][0].startswith(call["cwd"][0])
    assert "wrote" not in call, "the unprivileged grader could write into the kit"
    assert "--seed=7" in call["arg"] and "--submission-timeout" in call["arg"]
    assert _results(root)["score"] == 7
    assert not Path(call["cwd"][0]).exists(), "the work folder is removed"


def test_a_grader_that_cannot_start_still_gives_results(tree):
    root, fake, shared = tree
    (root / "submission" / "blocks.py").write_text("")
    env = {} if _can_drop() else {"AUTOGRADER_USER": NOBODY}
    done = run_autograder(root, str(fake), FAKE_FAIL="1", **env)
    assert done.returncode == 0, done.stderr
    results = _results(root)
    assert results["score"] == 0 and results["tests"] == []
    assert "could not grade this submission" in results["output"]
    assert "exit status 1" in results["output"]
    assert "No module named 'grader'" in results["output"]  # what the grader said


def test_no_interpreter_at_all_still_gives_results(tree):
    root, _, _ = tree
    done = run_autograder(root, str(root / "no-such-python"))
    assert done.returncode == 0, done.stderr
    results = _results(root)
    assert results["score"] == 0 and "exit status 127" in results["output"]


@pytest.mark.parametrize("name", ["alice.zip", "alice.tar.gz"])
def test_an_archive_left_packed_is_the_submission(tree, name):
    root, fake, shared = tree
    archive = root / "submission" / name
    if name.endswith(".zip"):
        with zipfile.ZipFile(archive, "w") as zf:
            zf.writestr("blocks.py", "# mine\n")
    else:
        import tarfile

        src = root / "blocks.py"
        src.write_text("# mine\n")
        with tarfile.open(archive, "w:gz") as tf:
            tf.add(src, arcname="blocks.py")
        src.unlink()
    env = {} if _can_drop() else {"AUTOGRADER_USER": NOBODY}
    done = run_autograder(root, str(fake), **env)
    assert done.returncode == 0, done.stderr
    call = _call(shared)
    assert call["archive"][0].endswith("/" + name)
    assert _results(root)["score"] == 7


def test_a_submission_with_code_and_an_archive_grades_the_code(tree):
    root, fake, shared = tree
    (root / "submission" / "blocks.py").write_text("")
    with zipfile.ZipFile(root / "submission" / "old.zip", "w") as zf:
        zf.writestr("blocks.py", "")
    assert run_autograder(root, str(fake)).returncode == 0
    call = _call(shared)
    assert "archive" not in call and sorted(call["file"]) == ["blocks.py", "old.zip"]


def test_the_real_grader_with_bad_arguments_still_gives_results(tmp_path):
    root = tmp_path / "autograder"
    unpack(build(tmp_path, "--grade-arg=--no-such-option"), root)
    (root / "submission" / "blocks.py").write_text("")
    done = run_autograder(root, sys.executable, timeout=120)
    assert done.returncode == 0, done.stderr
    results = _results(root)
    assert results["score"] == 0
    assert "exit status 2" in results["output"] and "--no-such-option" in results["output"]


def test_setup_creates_the_unprivileged_user(tmp_path):
    script = zipfile.ZipFile(build(tmp_path)).read("setup.sh").decode()
    assert "useradd --system" in script and " grader" in script
    subprocess.run(["bash", "-n"], input=script, text=True, check=True)
