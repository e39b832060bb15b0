"""The grader's output formats, checked against each platform's documented format.

The JSON schemas in ``tests/schemas/`` were written from each platform's documentation
(their sources are in each schema's ``description``); the report's own schema ships
in the package (``grader/data/report.schema.json``). The JUnit output is checked
against its consumers' own XSDs, kept as they are published (with their licence
headers): Jenkins xUnit's ``junit-10.xsd`` (plugin path
``src/main/resources/org/jenkinsci/plugins/xunit/types/model/xsd/``) and Maven
Surefire's ``surefire-test-report.xsd`` (``maven-surefire-plugin/src/site/resources/xsd/``),
read with lxml. Every format is rendered from
hand-made reports (full marks, zero, every module status, hidden instructor tests,
hostile text: ANSI escapes, HTML, control characters, a 10 MB message, Chinese) and
validated. No torch, no subprocesses: these tests are fast.

A report is checked by ``grader.grading.report.validate`` (the packaged schema, and what a
schema cannot say); the platforms' JSON Schemas with ``jsonschema`` (a dev dependency),
by the draft each declares.
"""

from __future__ import annotations

import base64
import copy
import csv
import io
import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from grader import formats
from grader.catalog import BY_NAME, MODULE_NAMES
from grader.formats import EXTENSION, FORMATS, PER_SUBMISSION, render, render_table

SCHEMAS = Path(__file__).resolve().parent / "schemas"
SECRET = "SECRET-HIDDEN-7f3a"  # in hidden tests' names and messages only
BIG = 10_000_000


# --- schemas --------------------------------------------------------------------------------


def load_schema(name: str) -> dict:
    if name == "report.schema.json":  # the report's own schema ships in the package
        from grader.grading.report import report_schema

        return report_schema()
    return json.loads((SCHEMAS / name).read_text(encoding="utf-8"))


def assert_valid(instance, schema_name: str) -> None:
    """``instance`` meets the schema: a report through ``grader.grading.report.validate``, the
    platforms' formats with jsonschema."""
    # JSON numbers only (a JSON Schema validator takes NaN and infinities for numbers).
    json.dumps(instance, allow_nan=False)
    if schema_name == "report.schema.json":
        from grader.grading.report import validate

        problems = validate(instance)
        assert not problems, f"{schema_name}:\n" + "\n".join(problems[:20])
        return
    import jsonschema  # a dev dependency

    schema = load_schema(schema_name)
    checker = jsonschema.validators.validator_for(schema)(schema)
    errors = [
        "$" + "".join(f"[{part!r}]" for part in error.absolute_path) + f": {error.message}"
        for error in checker.iter_errors(instance)
    ]
    assert not errors, f"{schema_name}:\n" + "\n".join(errors[:20])


def xml_schema(name: str):
    """An XSD of ``tests/schemas/`` as lxml reads it (lxml: a dev dependency)."""
    from lxml import etree

    return etree.XMLSchema(etree.parse(str(SCHEMAS / name)))


def validate_junit(text: str) -> list[str]:
    """Errors of a JUnit document against the consumers' own XSDs: Jenkins xUnit's
    ``junit-10.xsd`` for the whole document, and Maven Surefire's
    ``surefire-test-report.xsd`` for each ``<testsuite>`` (a Surefire file holds one)."""
    from lxml import etree

    doc = etree.fromstring(text.encode("utf-8"))  # raises on XML that is not well-formed
    errors = []
    jenkins = xml_schema("junit-10.xsd")
    if not jenkins.validate(doc):
        errors += [f"junit-10.xsd: {e.message}" for e in jenkins.error_log]
    surefire = xml_schema("surefire-test-report.xsd")
    for suite in doc.findall("testsuite"):
        if not surefire.validate(etree.ElementTree(copy.deepcopy(suite))):
            errors += [f"surefire-test-report.xsd: {e.message}" for e in surefire.error_log]
    return errors


def validate_csv(text: str, schema: dict, modules: list[str]) -> list[str]:
    rows = list(csv.reader(io.StringIO(text, newline="")))
    errors: list[str] = []
    header = rows[0]
    expected = [schema["first_column"], *modules, *schema["last_columns"]]
    if header != expected:
        errors.append(f"header {header} is not {expected}")
    for r, row in enumerate(rows[1:], start=1):
        if len(row) != len(header):
            errors.append(f"row {r}: {len(row)} cells for {len(header)} columns")
            continue
        for col, cell in zip(header, row, strict=True):
            kind = col if col in schema["cells"] else "module"
            if col == schema["first_column"]:
                if cell.startswith(tuple(schema["text_cells_must_not_start_with"])):
                    errors.append(f"row {r}: {cell[:20]!r} could run as a formula")
            elif not re.fullmatch(schema["cells"][kind]["pattern"], cell):
                errors.append(f"row {r}: {col}={cell!r} is not a number")
    return errors


# --- hand-made reports ------------------------------------------------------------------


def _test(name, status="passed", points=2, message="", score=None, **extra):
    if score is None:
        score = points if status == "passed" else 0
    return {
        "name": name,
        "status": status,
        "score": score,
        "max_score": points,
        "message": message,
        **extra,
    }


def _exercise(module, status, tests, message="", max_score=None, score=None):
    return {
        "module": module,
        "score": sum(t["score"] for t in tests) if score is None else score,
        "max_score": sum(t["max_score"] for t in tests) if max_score is None else max_score,
        "status": status,
        "message": message,
        "tests": tests,
    }


def _submission(name, exercises, duration=3.25):
    return {
        "submission": name,
        "score": sum(e["score"] for e in exercises),
        "max_score": sum(e["max_score"] for e in exercises),
        "duration_s": duration,
        "exercises": exercises,
    }


def _report(*subs, **grader_extra):
    return {
        "format_version": 1,
        "submissions": list(subs),
        "grader": {
            "version": "0.1.0",
            "torch": "2.13.0",
            "hypothesis_profile": "grader",
            "seed": 1234,
            **grader_extra,
        },
    }


def full_marks():
    exercises = [
        _exercise(m, "passed", [_test(f"test_{m}_{k}", points=k) for k in (1, 2, 3)])
        for m in MODULE_NAMES
    ]
    return _report(_submission("alice", exercises))


def zero():
    exercises = [
        _exercise(
            m,
            "failed",
            [
                _test(f"test_{m}_{k}", "failed", k, f"not written yet: {m}.thing_{k}")
                for k in (1, 2, 3)
            ],
        )
        for m in MODULE_NAMES
    ]
    return _report(_submission("stub", exercises))


MODULE_CASES = ("passed", "failed", "timeout", "crashed", "missing", "rejected", "error")


def mixed():
    exercises = []
    for i, m in enumerate(MODULE_NAMES):
        status = MODULE_CASES[i % len(MODULE_CASES)]
        if status == "passed":
            ex = _exercise(m, status, [_test(f"test_{m}_a"), _test(f"test_{m}_b", points=3)])
        elif status == "failed":
            tests = [
                _test(f"test_{m}_ok"),
                _test(f"test_{m}_wrong", "failed", 3, "assert 1 == 2"),
                _test(f"test_{m}_raises", "error", 1, "RuntimeError: boom"),
                _test(f"test_{m}_cuda", "skipped", 0, "needs a CUDA device"),
                _test(f"test_{m}_never", "skipped", 2, "not reached"),
            ]
            ex = _exercise(m, status, tests, "3 of 5 tests failed")
        elif status == "timeout":
            tests = [_test(f"test_{m}_quick"), _test(f"test_{m}_slow", "timeout", 3, "")]
            # one more test of 2 points was never reached: the module's max covers it
            ex = _exercise(m, status, tests, "ran out of time after 60 s", max_score=7)
        else:
            messages = {
                "crashed": "the worker crashed: Segmentation fault (signal 11)",
                "missing": f"no {m}.py in the submission",
                "rejected": f"{m}.py imports a forbidden module: subprocess",
                "error": f"{m}.py cannot be imported: SyntaxError: invalid syntax (line 3)",
            }
            ex = _exercise(m, status, [], messages[status], max_score=10)
        exercises.append(ex)
    return _report(_submission("mixed", exercises))


def hidden():
    exercises = []
    for m in MODULE_NAMES:
        secret = f"test_{m}_{SECRET}"
        tests = [
            _test(f"test_{m}_visible"),
            _test(f"{secret}_a", "failed", 2, f"{SECRET}: expected 42", visibility="hidden"),
            _test(f"{secret}_b", "passed", 1, "", visibility="hidden"),
            _test(f"{secret}_c", "error", 1, f"boom {SECRET}", visibility="after_due_date"),
            _test(f"test_{m}_instructor", "failed", 1, "instructor test", visibility="visible"),
        ]
        exercises.append(_exercise(m, "failed", tests, "some tests failed"))
    return _report(_submission("hidden", exercises), hidden_tests=3 * len(MODULE_NAMES))


HOSTILE_NAME = '=HYPERLINK("http://evil.example","click"), "quoted"'
ANSI = "\x1b[31mred\x1b[0m \x1b]0;pwned title\x07 \x1b[2J\x1b[H"
HTML = "<script>alert('x')</script> &amp; <b>bold</b> ]]> <![CDATA[ x ]]>"
CONTROL = "nul\x00 bell\x07 bs\x08 vt\x0b ff\x0c esc\x1b del\x7f c1\x85\x9b bom\ufeff nonchar\ufffe"
CHINESE = "还没有实现：MyLinear.forward 应返回 X @ W + b（形状 (批量, 输出)）"


def hostile(size=BIG):
    m = MODULE_NAMES
    big = "A" * size
    exercises = [
        _exercise(
            m[0],
            "failed",
            [
                _test("test_ansi", "failed", 2, ANSI),
                _test("test_html<b>", "failed", 2, HTML),
                _test("test_control\x1b[1m", "error", 1, CONTROL),
                _test("test_big", "failed", 3, big),
                _test("test_chinese[批量-3]", "failed", 2, CHINESE),
                _test("test_surrogate", "failed", 1, "lone \ud800 surrogate"),
                _test(f"exercises/{m[0]}/test_x.py::test_nodeid[a-b]", "passed", 1, ""),
            ],
            message=ANSI + CHINESE,
        ),
        _exercise(m[1], "crashed", [], big, max_score=5),
        _exercise(m[2], "passed", [_test("测试_中文名称", "passed", 2, CHINESE)]),
    ]
    return _report(_submission(HOSTILE_NAME, exercises, duration=0.5))


REPORTS = {
    "full": full_marks,
    "zero": zero,
    "mixed": mixed,
    "hidden": hidden,
    "hostile": hostile,
}


@pytest.fixture(scope="module")
def reports():
    return {name: make() for name, make in REPORTS.items()}


def cohort():
    subs = [
        full_marks()["submissions"][0],
        zero()["submissions"][0],
        mixed()["submissions"][0],
    ]
    names = ["bob, jr.", 'carol "cc" c', "+1 dave"]
    for sub, name in zip(subs, names, strict=True):
        sub["submission"] = name
    odd = _submission("-eve\nnewline", [_exercise("extra_module", "passed", [_test("test_x")])])
    return _report(*subs, odd, _submission("@frank", []))


# --- the interface ------------------------------------------------------------------------


def test_interface():
    assert FORMATS == ("table", "json", "gradescope", "classroom", "exercism", "junit", "csv")
    assert set(PER_SUBMISSION) == {"gradescope", "classroom", "exercism"}
    assert set(EXTENSION) == set(FORMATS)
    assert EXTENSION["junit"] == "xml" and EXTENSION["csv"] == "csv"
    assert EXTENSION["json"] == EXTENSION["gradescope"] == EXTENSION["exercism"] == "json"
    assert all(not ext.startswith(".") for ext in EXTENSION.values())


def test_unknown_format_is_a_value_error():
    with pytest.raises(ValueError, match="unknown format"):
        render("yaml", full_marks())


@pytest.mark.parametrize("fmt", sorted(PER_SUBMISSION))
def test_one_submission_formats_refuse_other_counts(fmt):
    with pytest.raises(ValueError, match="exactly one submission"):
        render(fmt, cohort())
    with pytest.raises(ValueError, match="exactly one submission"):
        render(fmt, _report())


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("bad", [None, [], {"grader": {}}, {"submissions": [1]}])
def test_malformed_reports_are_value_errors(fmt, bad):
    with pytest.raises(ValueError):
        render(fmt, bad)


@pytest.mark.parametrize("name", REPORTS)
def test_hand_made_reports_are_valid_reports(name, reports):
    report = copy.deepcopy(reports[name])
    for sub in report["submissions"]:  # the schema's only quarrel: a 10 MB message is fine
        for ex in sub["exercises"]:
            ex["message"] = ex["message"][:100]
    assert_valid(report, "report.schema.json")


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("name", REPORTS)
def test_rendering_is_pure_and_deterministic(fmt, name, reports):
    report = reports[name]
    before = copy.deepcopy(report)
    first = render(fmt, report)
    assert render(fmt, report) == first
    assert report == before, "render must not change the report"
    assert isinstance(first, str)
    first.encode("utf-8")  # writable as UTF-8, lone surrogates included
    if fmt != "json":  # only the report itself may hold the 10 MB message
        assert len(first) < 1_000_000


# --- json ----------------------------------------------------------------------------------


@pytest.mark.parametrize("name", REPORTS)
def test_json_is_the_report_itself(name, reports):
    report = reports[name]
    text = render("json", report)
    assert text.endswith("}\n") and text.startswith("{\n  ")
    assert json.loads(text) == report


def test_json_key_order_is_stable():
    report = mixed()
    shuffled = json.loads(json.dumps(report, sort_keys=True))
    assert render("json", shuffled) == render("json", report)
    data = json.loads(render("json", shuffled))
    assert list(data) == ["format_version", "submissions", "grader"]
    sub = data["submissions"][0]
    assert list(sub) == ["submission", "score", "max_score", "duration_s", "exercises"]
    exercise = ["module", "score", "max_score", "status", "message", "tests"]
    assert list(sub["exercises"][0]) == exercise
    assert list(data["grader"])[:3] == ["version", "torch", "hypothesis_profile"]


def test_json_keeps_chinese_readable():
    report = hostile(size=100)
    tests = report["submissions"][0]["exercises"][0]["tests"]
    tests[:] = [t for t in tests if t["name"] != "test_surrogate"]
    assert CHINESE in render("json", report)
    # a lone surrogate cannot be UTF-8: then ASCII escapes keep the report lossless
    report = hostile(size=100)
    text = render("json", report)
    assert CHINESE not in text
    text.encode("utf-8")
    assert json.loads(text) == report


# --- gradescope ------------------------------------------------------------------------------


def gradescope(report) -> dict:
    return json.loads(render("gradescope", report))


@pytest.mark.parametrize("name", REPORTS)
def test_gradescope_results_follow_the_spec(name, reports):
    report = reports[name]
    results = gradescope(report)
    assert_valid(results, "gradescope-results.schema.json")
    sub = report["submissions"][0]
    assert results["score"] == sub["score"]
    assert isinstance(results["execution_time"], (int, float))
    assert results["execution_time"] == sub["duration_s"]
    cases = results["tests"]
    assert sum(c["score"] for c in cases) == pytest.approx(sub["score"])
    assert sum(c["max_score"] for c in cases) == pytest.approx(sub["max_score"])
    assert len({c["number"] for c in cases}) == len(cases)
    # text, never HTML: a learner's <script> is shown, not run
    assert results["output_format"] == results["test_output_format"] == "text"
    assert results["test_name_format"] == "text"
    for c in cases:
        assert c["status"] == ("passed" if c["score"] >= c["max_score"] else "failed") or (
            c["max_score"] == 0
        )
        assert "\x1b" not in c["output"] and "\x00" not in c["output"]


def test_gradescope_full_marks_and_zero():
    full = gradescope(full_marks())
    assert all(c["status"] == "passed" for c in full["tests"])
    assert full["score"] == sum(c["max_score"] for c in full["tests"]) > 0
    nothing = gradescope(zero())
    assert nothing["score"] == 0
    assert all(c["status"] == "failed" for c in nothing["tests"])
    assert nothing["tests"][0]["output"].startswith("not written yet")


def test_gradescope_numbers_follow_the_catalogue():
    results = gradescope(full_marks())
    first = {c["tags"][0]: c["number"] for c in reversed(results["tests"])}
    for i, module in enumerate(MODULE_NAMES, start=1):
        assert first[module] == f"{i}.1"


def test_gradescope_module_statuses_are_cases():
    results = gradescope(mixed())
    by_name = {c["name"]: c for c in results["tests"]}
    for i, module in enumerate(MODULE_NAMES):
        status = MODULE_CASES[i % len(MODULE_CASES)]
        if status in ("crashed", "missing", "rejected", "error"):
            case = by_name[f"{module}: {status}"]
            assert case["status"] == "failed" and case["max_score"] == 10
            assert case["number"].endswith(".0")
            assert module in results["output"] and status in results["output"]
        if status == "timeout":
            # the never-reached test's 2 points are a module case, failed
            case = by_name[f"{module}: timeout"]
            assert (case["score"], case["max_score"]) == (0, 2)
            assert "ran out of time" in case["output"]
        if status == "failed":
            assert by_name[f"{module}: test_{module}_cuda"]["status"] == "passed"  # 0 of 0
            assert by_name[f"{module}: test_{module}_never"]["status"] == "failed"


def test_gradescope_hidden_tests_keep_their_visibility():
    results = gradescope(hidden())
    hidden_cases = [c for c in results["tests"] if SECRET in c["name"]]
    assert len(hidden_cases) == 3 * len(MODULE_NAMES)
    assert {c["visibility"] for c in hidden_cases} == {"hidden", "after_due_date"}
    others = [c for c in results["tests"] if SECRET not in c["name"]]
    assert {c["visibility"] for c in others} == {"visible"}
    assert SECRET not in results["output"]  # the top-level output is always shown
    assert "hidden tests ran" in results["output"]


def test_gradescope_hostile_text():
    results = gradescope(hostile())
    text = json.dumps(results, ensure_ascii=False)
    assert "\x1b" not in text and "\\u001b" not in text
    assert "\ud800" not in text
    outputs = {c["name"]: c["output"] for c in results["tests"]}
    module = MODULE_NAMES[0]
    assert "<script>" in outputs[f"{module}: test_html<b>"]  # shown as text (output_format)
    assert outputs[f"{module}: test_ansi"].startswith("red")
    assert CHINESE in outputs[f"{module}: test_chinese[批量-3]"]
    big = outputs[f"{module}: test_big"]
    assert len(big) <= 20_000 and "truncated" in big
    assert results["extra_data"]["submission"] == HOSTILE_NAME


# --- classroom ------------------------------------------------------------------------------


def classroom(report) -> dict:
    text = render("classroom", report)
    assert re.fullmatch(r"[A-Za-z0-9+/]+=*", text), "plain base64, nothing else"
    return json.loads(base64.b64decode(text, validate=True).decode("utf-8"))


@pytest.mark.parametrize("name", REPORTS)
def test_classroom_result_is_what_the_reporter_reads(name, reports):
    report = reports[name]
    encoded = render("classroom", report)
    assert len(encoded) < 128 * 1024, "the reporter reads it from one environment variable"
    result = classroom(report)
    assert_valid(result, "classroom-result.schema.json")
    sub = report["submissions"][0]
    assert result["max_score"] == sub["max_score"]
    # notify-classroom.js: the points are the sum of the tests' scores
    assert sum(t["score"] for t in result["tests"]) == pytest.approx(sub["score"])
    passed = all(t["status"] == "pass" for t in result["tests"])
    assert (result["status"] == "pass") == passed


def classroom_rows(result) -> dict:
    """Rows by title: the first line of the name, without "(part i of n)"."""
    rows: dict[str, list[dict]] = {}
    for t in result["tests"]:
        title = re.sub(r" \(part \d+ of \d+\)$", "", t["name"].split("\n", 1)[0])
        rows.setdefault(title, []).append(t)
    return rows


def test_classroom_statuses():
    assert classroom(full_marks())["status"] == "pass"
    assert classroom(zero())["status"] == "fail"
    result = classroom(mixed())
    assert result["status"] == "fail"
    by_name = {title: rows[0] for title, rows in classroom_rows(result).items()}
    for i, module in enumerate(MODULE_NAMES):
        status = MODULE_CASES[i % len(MODULE_CASES)]
        if status in ("crashed", "error", "timeout"):
            assert by_name[f"{module}: {status}"]["status"] == "error"
        if status in ("missing", "rejected"):
            assert by_name[f"{module}: {status}"]["status"] == "fail"
        if status == "failed":
            assert f"{module}: test_{module}_cuda" not in by_name  # nothing at stake
            assert by_name[f"{module}: test_{module}_never"]["status"] == "fail"
            assert by_name[f"{module}: test_{module}_raises"]["status"] == "error"


def test_classroom_lists_one_row_per_point():
    """A test worth 3 points is 3 rows of 1 point: the reporter's two totals agree."""
    result = classroom(mixed())
    for title, rows in classroom_rows(result).items():
        assert {t["max_score"] for t in rows} == {1}, title
        if len(rows) > 1:
            assert rows[-1]["name"].endswith(f"(part {len(rows)} of {len(rows)})")
    passed = sum(t["status"] == "pass" for t in result["tests"])
    total = result["max_score"] * passed / len(result["tests"])
    assert total == pytest.approx(sum(t["score"] for t in result["tests"]))


def test_classroom_error_when_nothing_ran():
    crashed = [_exercise(m, "crashed", [], "worker crashed", max_score=4) for m in MODULE_NAMES]
    result = classroom(_report(_submission("x", crashed)))
    assert result["status"] == "error"
    assert len(classroom_rows(result)) == len(MODULE_NAMES)  # always a tests array


def test_classroom_always_has_a_tests_array():
    result = classroom(_report(_submission("empty", [])))
    assert result["tests"] == [] and result["status"] == "pass"


def test_classroom_hides_hidden_tests():
    report = hidden()
    result = classroom(report)
    decoded = json.dumps(result, ensure_ascii=False)
    assert SECRET not in decoded
    rows = classroom_rows(result)
    hidden_tests = [title for title in rows if "hidden test" in title]
    assert len(hidden_tests) == 3 * len(MODULE_NAMES)
    for title in hidden_tests:  # the reason shown is "hidden test", nothing more
        shown = {t["name"] for t in rows[title] if t["status"] != "pass"}
        assert all(n.split("\n")[1:] in ([], ["   hidden test"]) for n in shown), shown
    assert sum(t["score"] for t in result["tests"]) == report["submissions"][0]["score"]


def test_classroom_hostile_text_is_short_and_clean():
    result = classroom(hostile())
    decoded = json.dumps(result, ensure_ascii=False)
    assert "\x1b" not in decoded and "\\u001b" not in decoded
    assert any(CHINESE in t["message"] for t in result["tests"])


def test_classroom_shrinks_messages_to_fit_an_environment_variable():
    tests = [_test(f"test_{k}", "failed", 1, "x" * 5_000) for k in range(200)]
    report = _report(_submission("many", [_exercise(MODULE_NAMES[0], "failed", tests)]))
    encoded = render("classroom", report)
    assert len(encoded) <= 120_000
    assert len(classroom(report)["tests"]) == 200


# --- exercism -------------------------------------------------------------------------------


def exercism(report) -> dict:
    return json.loads(render("exercism", report))


@pytest.mark.parametrize("name", REPORTS)
def test_exercism_results_follow_interface_v3(name, reports):
    results = exercism(reports[name])
    assert_valid(results, "exercism-results-v3.schema.json")
    if results["message"] is not None:
        assert len(results["message"].encode("utf-8")) <= 65_535
    for t in results["tests"]:
        if t["status"] != "pass":
            assert t["message"], "a failing test says why"
        else:
            assert t["message"] is None
        if t["message"]:
            assert len(t["message"].encode("utf-8")) <= 65_535
    expected = "pass" if all(t["status"] == "pass" for t in results["tests"]) else "fail"
    assert results["status"] == expected


def test_exercism_tasks_are_the_contract_items_a_test_checks():
    """A test links to the task of the one contract item it checks: the report's
    ``task``, else the item its name spells; tasks of later exercises are numbered on."""
    items = {m: BY_NAME[m].items for m in ("layers", "file_io")}
    layers = [
        _test("test_centered_subtracts_the_mean", task="CenteredLayer"),
        _test("test_mylinear_is_affine"),  # no task in the report: the name tells
        _test("test_uses_both", task=None),  # the report says: no single task
    ]
    file_io = [
        _test("test_load_params_is_strict", task="load_params"),
        _test("test_a_tensor_round_trips_exactly"),
    ]
    report = _report(
        _submission(
            "s", [_exercise("layers", "passed", layers), _exercise("file_io", "passed", file_io)]
        )
    )
    results = exercism(report)
    ids = [t.get("task_id") for t in results["tests"]]
    first = len(items["layers"])
    assert ids == [1, 2, None, first + items["file_io"].index("load_params") + 1, None]
    assert results["tests"][0]["test_code"] == (
        "pytest exercises/05_layers/test_layers.py::test_centered_subtracts_the_mean"
    )
    assert results["status"] == "pass" and results["message"] is None
    assert_valid(results, "exercism-results-v3.schema.json")


def test_exercism_error_when_nothing_ran():
    broken = [_exercise(m, "error", [], f"{m}.py: SyntaxError", max_score=3) for m in MODULE_NAMES]
    results = exercism(_report(_submission("x", broken)))
    assert results["status"] == "error"
    assert "SyntaxError" in results["message"]
    assert_valid(results, "exercism-results-v3.schema.json")


def test_exercism_hides_hidden_tests():
    results = exercism(hidden())
    assert SECRET not in json.dumps(results, ensure_ascii=False)
    hidden_tests = [t for t in results["tests"] if "hidden test" in t["name"]]
    assert len(hidden_tests) == 3 * len(MODULE_NAMES)
    for t in hidden_tests:
        assert t["test_code"] == ""
        assert t["message"] in (None, "hidden test")
    instructor = [t for t in results["tests"] if t["name"].endswith("_instructor")]
    assert instructor and all(t["test_code"] == "" for t in instructor)


def test_exercism_output_is_limited_to_500_characters():
    report = _report(
        _submission("p", [_exercise(MODULE_NAMES[0], "passed", [_test("t", output="y" * 900)])])
    )
    out = exercism(report)["tests"][0]["output"]
    assert len(out) <= 500 and out.endswith("Please limit to 500 chars")


def test_exercism_hostile_text():
    results = exercism(hostile())
    text = json.dumps(results, ensure_ascii=False)
    assert "\x1b" not in text and "\\u001b" not in text
    nodeid = [t for t in results["tests"] if "::" in t["name"]][0]
    assert nodeid["test_code"].startswith("pytest exercises/")


# --- junit ----------------------------------------------------------------------------------


@pytest.mark.parametrize("name", [*REPORTS, "cohort"])
def test_junit_is_valid(name, reports):
    report = reports[name] if name in reports else cohort()
    text = render("junit", report)
    assert text.startswith('<?xml version="1.0" encoding="UTF-8"?>\n<testsuites')
    errors = validate_junit(text)
    assert not errors, "\n".join(errors[:20])
    root = ET.fromstring(text.encode("utf-8"))
    subs = report["submissions"]
    suites = root.findall("testsuite")
    assert len(suites) == sum(len(s["exercises"]) for s in subs)
    assert int(root.get("tests")) == len(list(root.iter("testcase")))
    for suite in suites:
        assert int(suite.get("tests")) == len(suite.findall("testcase"))
        for tag, attr in (("failure", "failures"), ("error", "errors"), ("skipped", "skipped")):
            assert int(suite.get(attr)) == len(suite.findall(f"testcase/{tag}"))
    for sub in subs:
        for ex in sub["exercises"]:
            name_ = ex["module"] if len(subs) == 1 else f"{sub['submission']}/{ex['module']}"
            matching = [s for s in suites if s.get("name") == name_.replace("\n", "\ufffd")]
            if "\n" in name_:
                continue  # a name with a line break is cleaned; checked elsewhere
            assert matching, name_
            props = {p.get("name"): p.get("value") for p in matching[0].find("properties")}
            assert float(props["score"]) == ex["score"]
            assert float(props["max_score"]) == ex["max_score"]
            assert props["status"] == ex["status"]
            for case, test in zip(matching[0].findall("testcase"), ex["tests"], strict=False):
                out = dict(line.split(": ", 1) for line in case.find("system-out").text.split("\n"))
                assert float(out["score"]) == test["score"]
                assert float(out["max_score"]) == test["max_score"]


def test_junit_the_real_consumers_schemas_reject_what_they_forbid():
    """The XSDs do bite: what the old output had is refused."""
    text = render("junit", mixed())
    bad = text.replace("<testsuites ", '<testsuites skipped="1" ', 1)
    assert any("skipped" in e for e in validate_junit(bad))
    bad = re.sub(r'(<testcase [^>]*) time="[0-9.]+"', r"\1", text, count=1)
    assert any("time" in e for e in validate_junit(bad))


def test_junit_times_are_the_reports():
    tests = [
        _test("test_fast", duration_s=0.25),
        _test("test_slow", "failed", 1, "wrong", duration_s=1.5),
    ]
    ex = _exercise(MODULE_NAMES[0], "failed", tests)
    ex["duration_s"] = 2.0
    old = _exercise(MODULE_NAMES[1], "passed", [_test("test_a"), _test("test_b")])
    old["duration_s"] = 3.0  # no per-test times: the module's time is shared
    root = ET.fromstring(render("junit", _report(_submission("t", [ex, old]))).encode("utf-8"))
    first, second = root.findall("testsuite")
    assert first.get("time") == "2.000"
    assert [c.get("time") for c in first.findall("testcase")] == ["0.250", "1.500"]
    assert second.get("time") == "3.000"
    assert [c.get("time") for c in second.findall("testcase")] == ["1.500", "1.500"]
    assert root.get("time") == "3.250"


def test_junit_outcomes():
    root = ET.fromstring(render("junit", mixed()).encode("utf-8"))
    kinds = {}
    for case in root.iter("testcase"):
        outcome = [c.tag for c in case if c.tag in ("failure", "error", "skipped")]
        kinds[case.get("name")] = (outcome[0] if outcome else "passed", case)
    for i, module in enumerate(MODULE_NAMES):
        status = MODULE_CASES[i % len(MODULE_CASES)]
        if status == "failed":
            assert kinds[f"test_{module}_wrong"][0] == "failure"
            assert kinds[f"test_{module}_raises"][0] == "error"
            assert kinds[f"test_{module}_cuda"][0] == "skipped"
            assert kinds[f"test_{module}_ok"][0] == "passed"
        if status in ("crashed", "error"):
            assert kinds[f"{module}: {status}"][0] == "error"
        if status in ("missing", "rejected"):
            kind, case = kinds[f"{module}: {status}"]
            assert kind == "failure"
            assert case.find("failure").get("type") == status


def test_junit_hostile_text_is_escaped_and_cut():
    text = render("junit", hostile())
    assert "\x1b" not in text and "\x00" not in text and "\x07" not in text
    assert "<script>" not in text and "&lt;script&gt;" in text
    assert len(text) < 1_000_000
    root = ET.fromstring(text.encode("utf-8"))
    bodies = {c.get("name"): c for c in root.iter("testcase")}
    html = bodies["test_html<b>"].find("failure")
    assert "]]>" in html.text and "<script>" in html.text  # round-trips once parsed
    assert "\n" not in html.get("message")
    assert CHINESE in bodies["test_chinese[批量-3]"].find("failure").text
    big = bodies["test_big"].find("failure").text
    assert len(big) <= 64_000 and "truncated" in big
    assert bodies["test_surrogate"].find("failure").text == "lone \ufffd surrogate"


def test_junit_several_submissions_prefix_suite_names():
    report = cohort()
    root = ET.fromstring(render("junit", report).encode("utf-8"))
    names = [s.get("name") for s in root.findall("testsuite")]
    assert f"bob, jr./{MODULE_NAMES[0]}" in names
    assert int(root.get("tests")) == len(list(root.iter("testcase")))


# --- csv ------------------------------------------------------------------------------------


def _csv_modules(report):
    seen = [ex["module"] for s in report["submissions"] for ex in s["exercises"]]
    known = [m for m in MODULE_NAMES if m in seen]
    return known + [m for m in dict.fromkeys(seen) if m not in MODULE_NAMES]


@pytest.mark.parametrize("name", [*REPORTS, "cohort"])
def test_csv_gradebook_is_valid(name, reports):
    report = reports[name] if name in reports else cohort()
    text = render("csv", report)
    errors = validate_csv(text, load_schema("gradebook-csv.schema.json"), _csv_modules(report))
    assert not errors, "\n".join(errors)
    rows = list(csv.reader(io.StringIO(text, newline="")))
    assert len(rows) == 1 + len(report["submissions"])
    for row, sub in zip(rows[1:], report["submissions"], strict=True):
        assert float(row[-2]) == sub["score"] and float(row[-1]) == sub["max_score"]


def test_csv_quotes_and_defuses_names():
    text = render("csv", cohort())
    rows = list(csv.reader(io.StringIO(text, newline="")))
    names = [r[0] for r in rows[1:]]
    assert names == ["bob, jr.", 'carol "cc" c', "'+1 dave", "'-eve newline", "'@frank"]
    header = rows[0]
    assert header[: 1 + len(MODULE_NAMES)] == ["submission", *MODULE_NAMES]
    assert header[-3:] == ["extra_module", "total", "max"]
    eve = rows[4]
    assert eve[1 : 1 + len(MODULE_NAMES)] == [""] * len(MODULE_NAMES)  # not graded: empty
    hostile_row = list(csv.reader(io.StringIO(render("csv", hostile()), newline="")))[1]
    assert hostile_row[0] == "'" + HOSTILE_NAME


# --- table ----------------------------------------------------------------------------------


@pytest.mark.parametrize("name", [*REPORTS, "cohort"])
def test_table_is_plain_text(name, reports):
    report = reports[name] if name in reports else cohort()
    text = render("table", report)
    assert text == render_table(report) == render_table(report, color=False)
    assert "\x1b" not in text
    assert not re.search("[\x00-\x08\x0b-\x1f\x7f]", text)
    for sub in report["submissions"]:
        for ex in sub["exercises"]:
            assert ex["module"] in text
    assert max(len(line) for line in text.splitlines()) < 400


def test_table_rows_and_colour():
    report = mixed()
    text = render_table(report)
    lines = text.splitlines()
    for i, module in enumerate(MODULE_NAMES):
        row = next(line for line in lines if line.strip().startswith(module + " "))
        assert MODULE_CASES[i % len(MODULE_CASES)] in row
    assert any(line.strip().startswith("total") for line in lines)
    assert f"test_{MODULE_NAMES[1]}_wrong" in text  # failing tests under their module
    coloured = render_table(report, color=True)
    assert "\x1b[" in coloured
    assert re.sub(r"\x1b\[[0-9;]*m", "", coloured) == text


def test_table_neutralises_hostile_messages():
    text = render_table(hostile(), color=True)
    stripped = re.sub(r"\x1b\[[0-9;]*m", "", text)
    assert "\x1b" not in stripped  # only our own colour codes
    assert "pwned" not in stripped or "\x07" not in stripped
    assert CHINESE[:10] in stripped


def test_formats_package_exports():
    assert formats.render is render
    assert callable(formats.render_table)


def test_classroom_workflow_example_wires_the_result_to_the_reporter():
    import yaml  # pyyaml, a dev dependency

    path = Path(__file__).resolve().parents[1] / "docs" / "classroom-workflow.yml"
    workflow = yaml.safe_load(path.read_text(encoding="utf-8"))
    steps = workflow["jobs"]["run-autograding-tests"]["steps"]
    grade = next(s for s in steps if "--format classroom" in s.get("run", ""))
    assert 'echo "result=' in grade["run"] and "$GITHUB_OUTPUT" in grade["run"]
    reporter = next(s for s in steps if "autograding-grading-reporter" in s.get("uses", ""))
    runner = reporter["with"]["runners"]
    assert runner == grade["id"]
    variable = f"{runner.upper()}_RESULTS"  # how the reporter finds each runner's result
    assert reporter["env"][variable] == "${{ steps." + grade["id"] + ".outputs.result }}"
