"""End to end: ``python -m grader`` grades real submission folders and archives.

Solutions get full marks, the pristine stubs zero, a mix of the two exactly the
per-module scores of its parts; archives grade like folders; the same seed gives
the same report; shards merge back into one report. Only modules whose exercise
tests exist are graded (the grader warns about the others), so these tests work
while the kit grows.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path

import pytest

from grader.catalog import EXERCISES
from grader.grading.report import validate

pytestmark = [pytest.mark.slow, pytest.mark.timeout(900)]

ROOT = Path(__file__).resolve().parent.parent
SCHEMA = ROOT / "grader" / "data" / "report.schema.json"
SEED = "20240605"

# Modules with pristine tests, a stub and a solution: what these tests can grade.
READY = [
    ex
    for ex in EXERCISES
    if (ROOT / "exercises" / ex.folder / ex.test_filename).is_file()
    and (ROOT / "exercises" / ex.folder / ex.filename).is_file()
    and (ROOT / "solutions" / ex.folder / ex.filename).is_file()
]
MIX_SOLVED = {ex.name for i, ex in enumerate(READY) if i % 2 == 0}


def cli(*args: str) -> subprocess.CompletedProcess:
    proc = subprocess.run(
        [sys.executable, "-m", "grader", *args], cwd=ROOT, capture_output=True, text=True
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert "Traceback" not in proc.stderr
    return proc


def check_report(report: dict) -> None:
    assert validate(report) == []
    import jsonschema  # a dev dependency: the report must meet its schema

    if SCHEMA.is_file():
        jsonschema.validate(report, json.loads(SCHEMA.read_text()))


def make_mix(dest: Path) -> Path:
    """A flat folder: the solution of every other module, the stub of the rest."""
    dest.mkdir(parents=True)
    for ex in READY:
        origin = "solutions" if ex.name in MIX_SOLVED else "exercises"
        shutil.copyfile(ROOT / origin / ex.folder / ex.filename, dest / ex.filename)
    return dest


def by_module(sub: dict) -> dict[str, dict]:
    """The exercises by module, without their durations (which vary run to run)."""

    def timeless(entry: dict) -> dict:
        return {k: v for k, v in entry.items() if k != "duration_s"}

    return {
        ex["module"]: {**timeless(ex), "tests": [timeless(t) for t in ex["tests"]]}
        for ex in sub["exercises"]
    }


@pytest.fixture(scope="module")
def cohort(tmp_path_factory):
    if not READY:
        pytest.skip("no exercise has its tests yet")
    tmp = tmp_path_factory.mktemp("cohort")
    mix = make_mix(tmp / "mix")
    out = tmp / "cohort.json"
    proc = cli(
        "grade", "solutions", "exercises", str(mix),
        "--jobs", "2", "--seed", SEED, "--format", "json", "--output", str(out),
    )  # fmt: skip
    report = json.loads(out.read_text())
    return {"report": report, "stderr": proc.stderr, "tmp": tmp, "mix": mix}


def test_solutions_get_full_marks(cohort):
    report = cohort["report"]
    check_report(report)
    solutions = report["submissions"][0]
    assert solutions["submission"] == "solutions"
    modules = by_module(solutions)
    assert set(modules) == {ex.name for ex in READY}
    for name, ex in modules.items():
        assert ex["status"] == "passed", (name, ex["message"])
        assert ex["score"] == ex["max_score"] > 0
    assert solutions["score"] == solutions["max_score"] > 0


def test_stubs_get_zero(cohort):
    stubs = cohort["report"]["submissions"][1]
    assert stubs["submission"] == "exercises"
    assert stubs["score"] == 0
    for name, ex in by_module(stubs).items():
        assert ex["status"] == "failed", (name, ex["message"])
        assert all(t["score"] == 0 for t in ex["tests"])


def test_a_mix_gets_exactly_the_scores_of_its_parts(cohort):
    solutions, _, mix = cohort["report"]["submissions"]
    full = by_module(solutions)
    for name, ex in by_module(mix).items():
        expected = full[name]["max_score"] if name in MIX_SOLVED else 0
        assert ex["score"] == expected, (name, ex["message"])
    assert mix["score"] == sum(full[n]["max_score"] for n in MIX_SOLVED)


def test_the_report_records_the_run(cohort):
    grader = cohort["report"]["grader"]
    assert grader["hypothesis_profile"] == "grader"
    assert grader["seed"] == int(SEED)
    assert grader["torch"] and grader["version"]
    assert grader["hidden_tests"] == 0
    assert "cohort: 3 submissions" in cohort["stderr"]  # the summary, on stderr


def test_archives_grade_like_folders_and_a_seed_reproduces_the_grades(cohort):
    """A kit copy zipped or tarred (with its solutions/ in it, to be ignored) grades
    exactly as the flat folder did in another run with the same seed."""
    tmp = cohort["tmp"]
    names = [ex.name for ex in READY][:2]
    kit_copy = tmp / "archive-src" / "alice-kit"
    for ex in READY:
        if ex.name in names:
            target = kit_copy / "exercises" / ex.folder / ex.filename
            target.parent.mkdir(parents=True)
            shutil.copyfile(cohort["mix"] / ex.filename, target)
            reference = kit_copy / "solutions" / ex.folder / ex.filename
            reference.parent.mkdir(parents=True)
            shutil.copyfile(ROOT / "solutions" / ex.folder / ex.filename, reference)
    (kit_copy / "exercises" / "conftest.py").write_text("raise SystemExit('not run')\n")
    (kit_copy / "pytest.ini").write_text("[pytest]\naddopts = --this-breaks-pytest\n")
    zipped = tmp / "alice.zip"
    with zipfile.ZipFile(zipped, "w") as zf:
        for path in kit_copy.rglob("*"):
            zf.write(path, path.relative_to(kit_copy.parent).as_posix())
    tarred = tmp / "bob.tar.gz"
    with tarfile.open(tarred, "w:gz") as tf:
        tf.add(kit_copy, arcname="bob-kit")
    out = tmp / "archives.json"
    cli(
        "grade", str(zipped), str(tarred), "--modules", ",".join(names),
        "--seed", SEED, "--format", "json", "--output", str(out), "--quiet",
    )  # fmt: skip
    report = json.loads(out.read_text())
    check_report(report)
    assert [s["submission"] for s in report["submissions"]] == ["alice", "bob"]
    mix = by_module(cohort["report"]["submissions"][2])
    for sub in report["submissions"]:
        for name, ex in by_module(sub).items():
            assert ex == mix[name]  # the same verdicts, messages and scores


def test_shards_merge_back_into_one_report(tmp_path):
    if not any(ex.name == "layers" for ex in READY):
        pytest.skip("the layers exercise is not ready")
    empty = tmp_path / "empty"
    empty.mkdir()
    twice = tmp_path / "twice"
    for sub in ("a", "b"):
        (twice / sub).mkdir(parents=True)
        (twice / sub / "layers.py").write_text("")
    subs = ["exercises", str(empty), str(twice)]
    shards = []
    for i in (1, 2):
        out = tmp_path / f"shard{i}.json"
        cli("grade", *subs, "--modules", "layers", "--shard", f"{i}/2", "--seed", "1",
            "--format", "json", "--output", str(out), "--quiet")  # fmt: skip
        shards.append(out)
    first = json.loads(shards[0].read_text())
    assert [s["submission"] for s in first["submissions"]] == ["exercises", "twice"]
    assert first["grader"]["shard"] == "1/2"

    merged_path = tmp_path / "merged.json"
    cli("merge", *map(str, shards), "--output", str(merged_path), "--quiet")
    merged = json.loads(merged_path.read_text())
    check_report(merged)
    assert [s["submission"] for s in merged["submissions"]] == ["empty", "exercises", "twice"]
    status = {s["submission"]: s["exercises"][0]["status"] for s in merged["submissions"]}
    assert status == {"empty": "missing", "exercises": "failed", "twice": "rejected"}
    assert "2 files could be layers.py" in merged["submissions"][2]["exercises"][0]["message"]

    # One file per submission for the per-submission formats; one file for the others.
    formats = pytest.importorskip("grader.formats")
    per_sub = tmp_path / "gradescope"
    cli("merge", str(merged_path), "--format", "gradescope", "--output", str(per_sub))
    ext = formats.EXTENSION["gradescope"].lstrip(".")
    assert sorted(p.name for p in per_sub.iterdir()) == [
        f"{n}.{ext}" for n in ("empty", "exercises", "twice")
    ]
    csv_text = cli("merge", str(merged_path), "--format", "csv", "--quiet").stdout
    assert len(csv_text.strip().splitlines()) >= 4  # a header and a row per submission
    table = cli("merge", str(merged_path), "--quiet").stdout  # json by default
    assert json.loads(table) == merged
