"""``python -m grader watch``: finds saved files, runs their exercise, shows the first
failure and the progress line, and moves on when an exercise passes."""

import os
import shutil
import subprocess
import sys

from harness import ROOT, SOLUTIONS_DIR

from grader import watch
from grader.catalog import BY_NAME

OUTPUT = """\
....F
=================================== FAILURES ===================================
___________________________ test_mylinear_shapes ___________________________
diagnosis: MyLinear.weight has the wrong shape
E   AssertionError: boom
___________________________ test_mylinear_gradients ___________________________
E   AssertionError: second failure
=================================== progress ===================================
05_layers  Custom layers  in progress   4 / 20
next: MyLinear in exercises/05_layers/layers.py  (pytest exercises/05_layers)
========================= 1 failed, 4 passed in 1.00s ==========================
"""


def test_condense_keeps_the_first_failure_and_the_progress_lines():
    text = watch.condense(OUTPUT, "en")
    assert "diagnosis: MyLinear.weight has the wrong shape" in text
    assert "next: MyLinear in exercises/05_layers/layers.py" in text
    assert "second failure" not in text and "1 failed, 4 passed" not in text
    assert not text.startswith("....F")


def test_condense_shows_the_end_of_a_run_that_reported_nothing():
    output = "ERROR: usage: pytest [options]\npytest: error: unrecognized arguments: --bogus\n"
    assert watch.condense(output, "en").endswith("unrecognized arguments: --bogus")


def test_saved_files_are_found_and_mapped_to_their_exercise(tmp_path):
    folder = tmp_path / "exercises" / "05_layers"
    folder.mkdir(parents=True)
    stub = folder / "layers.py"
    stub.write_text("x = 1\n")
    before = watch.snapshot(tmp_path / "exercises")
    assert watch.changed(before, watch.snapshot(tmp_path / "exercises")) == []
    os.utime(stub, ns=(1, before[stub] + 10**9))
    after = watch.snapshot(tmp_path / "exercises")
    assert watch.changed(before, after) == [stub]
    assert watch.exercise_of_path(stub, tmp_path / "exercises") is BY_NAME["layers"]
    assert watch.exercise_of_path(tmp_path / "elsewhere.py", tmp_path / "exercises") is None
    assert watch.most_recent(after, tmp_path / "exercises") is BY_NAME["layers"]


def test_watch_once_runs_the_last_edited_exercise_and_moves_on(tmp_path):
    """layers is solved, file_io (next in order) is a stub: watch shows file_io's failure."""
    shutil.copytree(ROOT / "exercises", tmp_path / "exercises")
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    layers = BY_NAME["layers"]
    shutil.copy(
        SOLUTIONS_DIR / layers.folder / layers.filename,
        tmp_path / "exercises" / layers.folder / layers.filename,
    )
    proc = subprocess.run(
        [sys.executable, "-m", "grader", "watch", "--once", "--root", str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=300,
        env=dict(os.environ, KIT_LANG="en"),
    )
    assert proc.returncode == 0, proc.stderr
    out = proc.stdout
    assert "05_layers: every test passes" in out
    assert "running 06_file_io" in out
    assert "not written yet" in out and "next: save_tensors" in out
    assert "python -m grader hint" in out


def test_a_file_saved_while_a_run_goes_on_is_run_next(tmp_path):
    exercises = tmp_path / "exercises"
    for ex in (BY_NAME["layers"], BY_NAME["lazy"]):
        (exercises / ex.folder).mkdir(parents=True)
        (exercises / ex.folder / ex.filename).write_text("# stub\n")
    files = watch.snapshot(exercises)
    layers_file = exercises / "05_layers" / "layers.py"
    lazy_file = exercises / "04_lazy" / "lazy.py"
    runs = []

    def run(ex):
        runs.append(ex.name)
        if len(runs) == 1:  # the learner saves lazy.py while layers' tests run
            lazy_file.write_text("# edited during the run\n")
            os.utime(lazy_file, ns=(1, 10**18))

    layers_file.write_text("# edited\n")
    os.utime(layers_file, ns=(1, 2 * 10**18))
    files, current = watch.poll(files, exercises, BY_NAME["layers"], run)
    files, current = watch.poll(files, exercises, current, run)
    assert runs == ["layers", "lazy"] and current.name == "lazy"
