"""What teaching platforms need from the grader, beyond each format's shape.

Exercism: the slug ``run.sh`` passes (``file-io``) names a module, ``results.json`` is
written whatever happens, a module that does not import is an ``error``, tests link
to the task (contract item) they check, and a run fits Exercism's 20 seconds.
Merging: reports graded with other seeds or settings are refused unless asked for.
Gradebooks: a roster, Canvas's and Moodle's import columns, a byte order mark.
The report: a format version and a JSON Schema shipped in the package.

Most tests here are fast (hand-made reports, bad arguments); four grade one module.
"""

from __future__ import annotations

import csv
import io
import json
import shutil
import subprocess
import sys
import time
from pathlib import Path

import jsonschema
import pytest
from harness import report_exercise
from harness import report_submission as _submission

from grader import cli
from grader.catalog import BY_NAME, EXERCISES
from grader.formats import gradebook, render
from grader.grading.report import FORMAT_VERSION, MergeError, merge, report_schema, validate
from grader.tasks import task_of

ROOT = Path(__file__).resolve().parent.parent
EXERCISM_SCHEMA = json.loads(
    (ROOT / "tests" / "schemas" / "exercism-results-v3.schema.json").read_text(encoding="utf-8")
)


def run_cli(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "grader", *args], cwd=cwd, capture_output=True, text=True
    )


def _test(name, status="passed", points=2, message="", **extra):
    score = points if status == "passed" else 0
    return {
        "name": name,
        "status": status,
        "score": score,
        "max_score": points,
        "message": message,
        **extra,
    }


def _exercise(module, status, tests, message=""):
    return report_exercise(module, tests, status, message)


def _report(*subs, **grader):
    section = {
        "version": "0.1.0",
        "torch": "2.13.0",
        "hypothesis_profile": "grader",
        "seed": 7,
        "timeout": 30.0,
        "module_timeout": 300.0,
    }
    section.update(grader)
    return {"format_version": 1, "submissions": list(subs), "grader": section}


def _layers(name, passed=True):
    status = "passed" if passed else "failed"
    tests = [
        _test("test_centered_has_no_parameters", status, task="CenteredLayer"),
        _test("test_mylinear_is_affine", status, 3, task="MyLinear"),
    ]
    return _submission(name, [_exercise("layers", "passed" if passed else "failed", tests)])


# --- Exercism: slugs ------------------------------------------------------------------


@pytest.mark.parametrize("slug", ["file-io", "file_io", "06_file_io", "06-file-io", "File-IO"])
def test_modules_accept_the_exercise_slug(slug):
    assert cli.grade_parser().parse_args(["x", "--modules", slug]).modules == ("file_io",)


def test_modules_keep_teaching_order_and_refuse_unknown_names_in_one_sentence():
    parsed = cli.grade_parser().parse_args(["x", "--modules", "file-io,05_layers,blocks"])
    assert parsed.modules == ("blocks", "layers", "file_io")
    proc = run_cli("grade", "solutions", "--modules", "two-fer")
    assert proc.returncode == 2
    assert "unknown module two-fer" in proc.stderr and "Traceback" not in proc.stderr


# --- Exercism: results.json on every path -------------------------------------------------


def _results(path: Path) -> dict:
    results = json.loads(path.read_text(encoding="utf-8"))
    jsonschema.validate(results, EXERCISM_SCHEMA)
    return results


@pytest.mark.parametrize(
    ("extra", "says"),
    [
        (["--modules", "two-fer"], "unknown module two-fer"),
        (["--kit", "/"], "no exercises/ folder"),
        (["--jobs", "none"], "neither a number nor auto"),
    ],
)
def test_exercism_writes_results_json_when_the_grader_cannot_run(tmp_path, extra, says):
    out = tmp_path / "out"
    out.mkdir()
    proc = run_cli(
        "grade", "solutions", *extra, "--format", "exercism",
        "--output", str(out / "results.json"), "--quiet",
    )  # fmt: skip
    assert proc.returncode == 2 and says in proc.stderr
    results = _results(out / "results.json")
    assert results["status"] == "error" and says in results["message"]
    assert results["tests"] == []


def test_exercism_error_file_goes_into_an_output_folder(tmp_path):
    proc = run_cli(
        "grade", "solutions", "--modules", "nope", "--format=exercism", "--output", str(tmp_path)
    )
    assert proc.returncode == 2
    assert _results(tmp_path / "results.json")["status"] == "error"


def test_exercism_status_is_error_when_the_module_does_not_import():
    """The tests of a module that does not import all fail; the run is still an error."""
    message = "file_io.py could not be imported: SyntaxError: invalid syntax (file_io.py, line 1)"
    tests = [_test(f"test_{i}", "failed", 2, "diagnosis: ...\n\n" + message) for i in range(3)]
    report = _report(_submission("s", [_exercise("file_io", "error", tests, message)]))
    results = json.loads(render("exercism", report))
    jsonschema.validate(results, EXERCISM_SCHEMA)
    assert results["status"] == "error"
    assert "SyntaxError" in results["message"] and results["message"].startswith("file_io: ")
    # A module that broke the grader's rules, or is missing, did not run either.
    for status in ("error", "missing", "rejected"):
        report = _report(_submission("s", [_exercise("layers", status, [], "why")]))
        assert json.loads(render("exercism", report))["status"] == "error"
    # One module that ran is enough for fail.
    ran = _exercise("layers", "failed", [_test("test_x", "failed")])
    report = _report(_submission("s", [ran, _exercise("file_io", "error", tests, message)]))
    assert json.loads(render("exercism", report))["status"] == "fail"


# --- Exercism: tasks ----------------------------------------------------------------------


def test_a_test_belongs_to_the_one_contract_item_it_checks():
    folder = ROOT / "exercises"
    assert task_of("blocks", "test_fixed_hidden_mlp_forward_follows_the_recipe") == (
        "FixedHiddenMLP"  # not also MLP: that is a word inside FixedHiddenMLP's
    )
    assert task_of("blocks", "test_empty_mysequential_returns_its_input") == "MySequential"
    assert task_of("parameters", "test_block2_has_four_blocks_by_default") == "block2"
    assert task_of("file_io", "test_load_params_is_strict[missing]") == "load_params"
    # The name does not tell: the test's body uses exactly one item, or no task at all.
    layers = folder / "05_layers" / "test_layers.py"
    assert task_of("layers", "test_centered_has_no_parameters", layers) == "CenteredLayer"
    file_io = folder / "06_file_io" / "test_file_io.py"
    assert task_of("file_io", "test_a_tensor_round_trips_exactly", file_io) is None
    assert task_of("nope", "test_x") is None


def test_every_kit_test_of_most_exercises_has_a_task():
    """The mapping is not vacuous: most kit tests link to one task (95% today)."""
    import re

    linked = total = 0
    for ex in EXERCISES:
        path = ROOT / "exercises" / ex.folder / ex.test_filename
        if not path.is_file():
            continue
        for name in re.findall(r"^def (test_\w+)", path.read_text(encoding="utf-8"), re.M):
            total += 1
            linked += task_of(ex.name, name, path) in ex.items
    assert total and linked >= 0.85 * total


# --- Exercism: the documented run.sh, end to end ---------------------------------------------


def _run_sh(tmp_path: Path, source: str, slug: str, *extra: str) -> tuple[dict, float, int]:
    solution = tmp_path / "solution"
    solution.mkdir()
    module = cli.module_named(slug)
    (solution / BY_NAME[module].filename).write_text(source, encoding="utf-8")
    output = tmp_path / "output"
    output.mkdir()
    started = time.monotonic()
    proc = run_cli(
        "grade", str(solution), "--modules", slug, "--format", "exercism",
        "--output", str(output / "results.json"), "--quiet", *extra,
    )  # fmt: skip
    took = time.monotonic() - started
    assert "Traceback" not in proc.stderr, proc.stderr[-2000:]
    return _results(output / "results.json"), took, proc.returncode


def test_run_sh_grades_a_slug_and_links_tests_to_tasks(tmp_path):
    source = (ROOT / "solutions" / "05_layers" / "layers.py").read_text(encoding="utf-8")
    results, _, rc = _run_sh(tmp_path, source, "05-layers")
    assert rc == 0 and results["status"] == "pass"
    for t in results["tests"]:  # task 1: CenteredLayer, task 2: MyLinear
        name = t["name"].removeprefix("layers: ")
        assert t["task_id"] == (1 if name.startswith("test_centered") else 2), name


def test_run_sh_reports_a_syntax_error_as_error(tmp_path):
    results, _, rc = _run_sh(tmp_path, "class CenteredLayer(:\n", "layers")
    assert rc == 0
    assert results["status"] == "error" and "SyntaxError" in results["message"]


def test_time_budget_holds_when_a_test_hangs(tmp_path):
    """A module that hangs is cut so that the whole run, report written, fits the budget."""
    source = (ROOT / "solutions" / "05_layers" / "layers.py").read_text(encoding="utf-8")
    source += (
        "\n\ndef _hang(self, X):\n    while True:\n        pass\n\n\n"
        "CenteredLayer.forward = _hang\n"
    )
    results, took, rc = _run_sh(tmp_path, source, "layers", "--time-budget", "7")
    assert rc == 0 and results["status"] in ("fail", "error")
    # The budget counts from the grader's start; allow for starting Python itself.
    assert took < 7 + 2, f"the run took {took:.1f} s for a budget of 7 s"
    assert any(t["status"] == "pass" for t in results["tests"]) or results["status"] == "error"


def test_exercism_gets_a_time_budget_by_default():
    args = cli.grade_parser().parse_args(["s", "--format", "exercism"])
    assert cli._budget(args, 1) == cli.EXERCISM_BUDGET < 20
    assert cli._budget(args, 30) is None  # a cohort graded locally: no budget
    assert cli._budget(cli.grade_parser().parse_args(["s"]), 1) is None
    from grader.grading.runner import Limits

    fitted = cli._fit_budget(Limits(timeout=30, module_timeout=300), 18, 3.0, 1, 2)
    assert fitted.module_timeout == 14.0 and fitted.timeout == 14.0
    fitted = cli._fit_budget(Limits(timeout=30, module_timeout=300), 18, 3.0, 4, 2)
    assert fitted.module_timeout == 7.0  # two rounds of two modules


# --- merge: seeds and settings ------------------------------------------------------------


def test_merge_refuses_reports_graded_with_other_settings():
    a = ("a.json", _report(_layers("ann"), seed=1))
    for change in ({"seed": 2}, {"timeout": 60.0}, {"module_timeout": 100.0}, {"version": "0.2"}):
        b = ("b.json", _report(_layers("bob"), **{"seed": 1, **change}))
        with pytest.raises(MergeError, match="different settings") as caught:
            merge([a, b])
        assert "a.json and b.json" in str(caught.value) and "--allow-mixed" in str(caught.value)
    same = merge([a, ("b.json", _report(_layers("bob"), seed=1))])
    assert same["grader"]["seed"] == 1
    assert all("graded_with" not in s for s in same["submissions"])


def test_merge_allow_mixed_keeps_each_submissions_own_seed():
    a = ("a.json", _report(_layers("ann"), _layers("cid"), seed=1))
    b = ("b.json", _report(_layers("bob"), seed=2, timeout=60.0))
    merged = merge([a, b], allow_mixed=True)
    assert validate(merged) == []  # the packaged schema, through jsonschema
    seeds = {s["submission"]: s["graded_with"]["seed"] for s in merged["submissions"]}
    assert seeds == {"ann": 1, "bob": 2, "cid": 1}
    assert merged["submissions"][1]["graded_with"]["timeout"] == 60.0
    assert merged["grader"]["seed"] is None
    assert merged["grader"]["mixed_settings"] == ["seed", "timeout"]
    # Merged again (with another shard of seed 1): each keeps its own, still refused without.
    c = ("c.json", _report(_layers("dan"), seed=1))
    with pytest.raises(MergeError, match="different settings"):
        merge([("m.json", merged), c])
    again = merge([("m.json", merged), c], allow_mixed=True)
    seeds = {s["submission"]: s["graded_with"]["seed"] for s in again["submissions"]}
    assert seeds == {"ann": 1, "bob": 2, "cid": 1, "dan": 1}
    # The seed-2 submission alone: uniform again, its seed back at the top.
    only = merge([("m.json", {**merged, "submissions": merged["submissions"][1:2]})])
    assert only["grader"]["seed"] == 2 and "graded_with" not in only["submissions"][0]


def test_merge_cli_refuses_mixed_shards_and_writes_nothing(tmp_path):
    a, b = tmp_path / "a.json", tmp_path / "b.json"
    a.write_text(json.dumps(_report(_layers("ann"), seed=1)))
    b.write_text(json.dumps(_report(_layers("bob"), seed=2)))
    out = tmp_path / "merged.json"
    proc = run_cli("merge", str(a), str(b), "--output", str(out))
    assert proc.returncode == 2 and not out.exists()
    assert "different settings" in proc.stderr and "Traceback" not in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1
    proc = run_cli("merge", str(a), str(b), "--allow-mixed", "--output", str(out), "--quiet")
    assert proc.returncode == 0
    seeds = [s["graded_with"]["seed"] for s in json.loads(out.read_text())["submissions"]]
    assert seeds == [1, 2]


# --- gradebooks: roster, Canvas, Moodle, BOM -----------------------------------------------

ROSTER = (
    "Submission,Name,SIS ID,Login,Email,Section,ID,notes\n"
    'ann,"Lee, Ann",S001,ann1,ann@uni.example,A1,101,ignored\n'
    "bob,张伟,S002,bob2,bob@uni.example,A2,102,\n"
    "zoe,Zoe Z,S003,zoe3,zoe@uni.example,A1,103,\n"
)


def _rows(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text.removeprefix("\ufeff"), newline="")))


def _cohort():
    return _report(_layers("ann"), _layers("bob", passed=False), _layers("=eve"))


def test_roster_columns_and_errors():
    roster = gradebook.read_roster("\ufeff" + ROSTER)
    assert roster.fields == ("name", "id", "sis_id", "login", "email", "section")
    assert roster.students["ann"] == {
        "name": "Lee, Ann",
        "id": "101",
        "sis_id": "S001",
        "login": "ann1",
        "email": "ann@uni.example",
        "section": "A1",
    }
    canvas_export = "Student,ID,SIS User ID,SIS Login ID,Section,submission\nAnn,1,S1,a,A,ann\n"
    assert gradebook.read_roster(canvas_export).students["ann"]["sis_id"] == "S1"
    for bad, says in (
        ("name,email\nAnn,a@x\n", "no submission column"),
        ("submission,name\nann,A\nann,B\n", "listed twice"),
        ("submission,name\n,A\n", "no submission name"),
        ("", "empty"),
    ):
        with pytest.raises(ValueError, match=says):
            gradebook.read_roster(bad, "roster.csv")


def test_csv_default_is_unchanged_without_the_new_options():
    report = _cohort()
    assert gradebook.render(report) == render("csv", report)
    assert _rows(render("csv", report))[0] == ["submission", "layers", "total", "max"]


def test_canvas_layout_is_what_the_canvas_importer_reads():
    roster = gradebook.read_roster(ROSTER)
    rows = _rows(gradebook.render(_cohort(), roster, layout="canvas"))
    header = rows[0]
    # Canvas: Student, ID, then SIS User ID and SIS Login ID, Section last of the student
    # columns, then only assignment columns (any other column would become an assignment).
    assert header == ["Student", "ID", "SIS User ID", "SIS Login ID", "Section", "layers"]
    assert rows[1] == ["Points Possible", "", "", "", "", "5"]
    assert rows[2] == ["Lee, Ann", "101", "S001", "ann1", "A1", "5"]
    assert rows[3] == ["张伟", "102", "S002", "bob2", "A2", "0"]
    assert rows[4] == ["'=eve", "", "", "", "", "5"]  # not in the roster: its name stands in
    assert rows[5] == ["Zoe Z", "103", "S003", "zoe3", "A1", ""]  # no submission: left as is
    assert len(rows) == 6


def test_moodle_layout_maps_by_username_email_or_id_number():
    roster = gradebook.read_roster(ROSTER)
    rows = _rows(gradebook.render(_cohort(), roster, layout="moodle"))
    assert rows[0] == ["Username", "Email address", "ID number", "Full name", "layers"]
    assert rows[1] == ["ann1", "ann@uni.example", "S001", "Lee, Ann", "5"]
    assert rows[3] == ["'=eve", "", "", "", "5"]
    assert rows[4] == ["zoe3", "zoe@uni.example", "S003", "Zoe Z", ""]


def test_plain_layout_with_a_roster_and_a_bom():
    roster = gradebook.read_roster(ROSTER)
    text = gradebook.render(_cohort(), roster, bom=True)
    assert text.startswith("\ufeff") and not text.startswith("\ufeff\ufeff")
    rows = _rows(text)
    assert rows[0] == [
        "submission", "name", "id", "sis_id", "login", "email", "section", "layers", "total", "max",
    ]  # fmt: skip
    assert rows[1][:2] == ["ann", "Lee, Ann"] and rows[1][-3:] == ["5", "5", "5"]
    assert rows[-1] == ["zoe", "Zoe Z", "103", "S003", "zoe3", "zoe@uni.example", "A1", "", "", ""]


def test_csv_options_on_the_command_line(tmp_path):
    report = tmp_path / "cohort.json"
    report.write_text(json.dumps(_cohort()), encoding="utf-8")
    roster = tmp_path / "roster.csv"
    roster.write_bytes(("\ufeff" + ROSTER).encode("utf-8"))  # as Excel saves "CSV UTF-8"
    out = tmp_path / "canvas.csv"
    proc = run_cli(
        "merge", str(report), "--format", "csv", "--roster", str(roster),
        "--csv-layout", "canvas", "--csv-bom", "--output", str(out),
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    data = out.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf") and "张伟".encode() in data
    assert _rows(data.decode("utf-8"))[0][0] == "Student"
    assert "not in the roster" in proc.stderr and "=eve" in proc.stderr
    plain = run_cli("merge", str(report), "--format", "csv", "--quiet")
    assert plain.stdout == render("csv", merge([("cohort.json", _cohort())]))
    for args, says in (
        (["--format", "json", "--roster", str(roster)], "apply to --format csv"),
        (["--format", "csv", "--roster", str(tmp_path / "none.csv")], "cannot be read"),
        (["--format", "csv", "--csv-layout", "excel"], "invalid choice"),
    ):
        proc = run_cli("merge", str(report), *args)
        assert proc.returncode == 2 and says in proc.stderr and "Traceback" not in proc.stderr


# --- the report: format version and schema ------------------------------------------------


def test_the_report_schema_ships_in_the_package_once():
    schema = report_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    assert schema["properties"]["format_version"] == {"const": FORMAT_VERSION}
    assert not (ROOT / "tests" / "schemas" / "report.schema.json").exists()  # one source
    assert "grader/data/report.schema.json" in (ROOT / "docs" / "grader.md").read_text("utf-8")
    assert '"data/*"' in (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    # docs/ holds a copy for readers of the docs alone; it must be the packaged one.
    docs_copy = (ROOT / "docs" / "report.schema.json").read_text(encoding="utf-8")
    packaged = (ROOT / "grader" / "data" / "report.schema.json").read_text(encoding="utf-8")
    assert docs_copy == packaged, "copy grader/data/report.schema.json to docs/"


def test_reports_of_other_format_versions():
    report = _report(_layers("ann"))
    assert validate(report) == []
    del report["format_version"]  # an older grader's report: version 1
    assert validate(report) == [] and merge([("old.json", report)])["format_version"] == 1
    report["format_version"] = FORMAT_VERSION + 1
    assert any("newer" in p for p in validate(report))


def test_a_real_report_meets_the_packaged_schema(tmp_path):
    """One module graded for real: the report has its format version, meets its schema,
    records its time budget, and links each kit test to its task."""
    shutil.copyfile(ROOT / "solutions" / "05_layers" / "layers.py", tmp_path / "layers.py")
    out = tmp_path / "report.json"
    proc = run_cli(
        "grade", str(tmp_path), "--modules", "layers", "--seed", "3", "--time-budget", "60",
        "--format", "json", "--output", str(out), "--quiet",
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr[-2000:]
    report = json.loads(out.read_text(encoding="utf-8"))
    assert report["format_version"] == FORMAT_VERSION
    assert validate(report) == []
    assert report["grader"]["time_budget"] == 60 and report["grader"]["module_timeout"] <= 59
    tasks = {t["task"] for t in report["submissions"][0]["exercises"][0]["tests"]}
    assert tasks == {"CenteredLayer", "MyLinear"}
