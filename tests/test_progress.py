"""The learner's progress table: a test skipped for want of a GPU counts for nothing."""

import subprocess
import sys

from harness import ROOT


def test_a_cuda_check_skipped_without_a_gpu_does_not_hold_an_exercise_back():
    run = subprocess.run(
        [sys.executable, "-m", "pytest", "exercises/07_devices", "--impl", "solutions"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    rows = [line for line in run.stdout.splitlines() if line.startswith("07_devices")]
    assert run.returncode == 0 and rows, run.stdout[-3000:]
    if "skipped" in run.stdout.splitlines()[-1]:  # no GPU here: the CUDA check skipped
        assert " done " in rows[0], rows[0]


def test_one_exercise_done_is_not_all_exercises_done():
    from grader.catalog import BY_NAME
    from grader.progress import ExerciseProgress, next_step

    done = ExerciseProgress(BY_NAME["layers"], earned=3, total=3, passed=2, ran=2)
    line = next_step([done])
    assert "all exercises done" not in line and " 8 did not run" in line, line


def test_a_fresh_exercise_reads_short_even_with_q():
    run = subprocess.run(
        [sys.executable, "-m", "pytest", "exercises/05_layers", "-q", "-p", "no:cacheprovider"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    out = run.stdout
    assert run.returncode == 1, out[-3000:]
    # Each unwritten item is explained once; its other tests point back to it. A class
    # whose __init__ is still the stub's is named by its __init__: it comes first.
    assert out.count("not written yet: MyLinear.__init__: ") == 1, out
    assert "not written yet: MyLinear.__init__ (as above)" in out, out
    # -q keeps the progress table and the next step; no list of failed tests above them.
    assert "next: CenteredLayer in exercises/05_layers/layers.py" in out, out[-2000:]
    assert "short test summary info" not in out, out[-2000:]
    assert len(out.splitlines()) < 80, out


def test_a_failure_inside_torch_shows_no_page_of_torchs_source(tmp_path):
    impl = tmp_path / "impl"
    impl.mkdir()
    source = (ROOT / "solutions" / "01_blocks" / "blocks.py").read_text()
    # MySequential keeps its modules in a plain list: load_state_dict fails inside torch.
    source += (
        "\n\nclass MySequential(nn.Module):\n"
        "    def __init__(self, *modules):\n"
        "        super().__init__()\n"
        "        self.mods = list(modules)\n\n"
        "    def forward(self, X):\n"
        "        for m in self.mods:\n"
        "            X = m(X)\n"
        "        return X\n"
    )
    (impl / "blocks.py").write_text(source)
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "exercises/01_blocks",
            "--impl",
            str(impl),
            "-p",
            "no:cacheprovider",
            "-k",
            "load_both_ways",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert "Unexpected key(s) in state_dict" in run.stdout, run.stdout[-3000:]
    assert "def load_state_dict(" not in run.stdout, run.stdout[-3000:]
    # torch's own frames are left out; the test's and the learner's remain.
    assert "torch/nn/modules" not in run.stdout, run.stdout[-3000:]
    assert "test_blocks.py:" in run.stdout


def test_the_pristine_stubs_get_no_diagnosis_and_one_sentence_per_item():
    run = subprocess.run(
        [sys.executable, "-m", "pytest", "exercises/", "-p", "no:cacheprovider"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    out = run.stdout
    assert run.returncode == 1, out[-3000:]
    # Nothing is written yet, so no mistake can be seen: no diagnosis names one.
    assert "diagnosis:" not in out, [line for line in out.splitlines() if "diagnosis:" in line]
    # Each unwritten item is said once in full; every other failure points back to it.
    full = [
        line
        for line in out.splitlines()
        if line.startswith("not written yet: ") and not line.endswith("(as above)")
    ]
    assert len(full) == len(set(full)), "an unwritten item was explained twice"
    assert "MySequential.__init__: it creates nothing yet" in out
    # The first line says where to start (no exercise of the kit is done).
    assert "start here: MLP in exercises/01_blocks/blocks.py" in out.split("FAILURES")[0]


def test_progress_is_kept_between_runs_and_shown_for_every_exercise(tmp_path):
    import shutil

    from harness import SOLUTIONS_DIR

    kit = tmp_path / "kit"
    shutil.copytree(ROOT / "exercises", kit / "exercises")
    shutil.copy(ROOT / "pyproject.toml", kit / "pyproject.toml")

    def pytest_on(folder):
        subprocess.run(
            [sys.executable, "-m", "pytest", f"exercises/{folder}", "-q", "-p", "no:cacheprovider"],
            cwd=kit,
            capture_output=True,
            timeout=300,
        )

    def shown():
        run = subprocess.run(
            [sys.executable, "-m", "grader", "progress", "--root", str(kit), "--lang", "en"],
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert run.returncode == 0, run.stderr
        return run.stdout

    pytest_on("04_lazy")
    shutil.copy(SOLUTIONS_DIR / "05_layers" / "layers.py", kit / "exercises/05_layers/layers.py")
    pytest_on("05_layers")
    out = shown()
    rows = {line.split()[0]: line for line in out.splitlines() if line[:2].isdigit()}
    assert len(rows) == 9, out
    assert "not started" in rows["04_lazy"] and "done" in rows["05_layers"], out
    assert "not run yet" in rows["01_blocks"], out
    # The next step is the exercise a run left unfinished, not "all done".
    assert "next: lazy_mlp in exercises/04_lazy/lazy.py" in out, out
