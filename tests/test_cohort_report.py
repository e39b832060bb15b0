"""The cohort report: ``--format html`` and ``python -m grader report GRADES.json --html OUT``.

Reports are made by hand (as in tests/test_formats.py), so these tests are fast; one
test grades a real submission to see the kit's diagnoses reach the page. The page is
opened in headless Chromium (Debian's ``chromium``) where it is installed.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest
from harness import report_exercise as _exercise
from harness import report_submission as _submission

from grader.formats import html
from grader.grading.cohort import diagnosis_of, histogram, summary

ROOT = Path(__file__).resolve().parent.parent

SCRIPT_NAME = "<script>alert('name')</script>"
SCRIPT_MESSAGE = "</script><script>alert('msg')</script><img src=x onerror=alert(1)>"
DIAG_GRAD = "MyLinear.weight or .bias receives no gradient: forward uses `.data`"
DIAG_MEAN = "CenteredLayer subtracts the mean of the wrong dimension"
DIAG_ZH = "CenteredLayer 减去了错误维度的均值"


def _test(name, status="passed", points=2, message=""):
    return {
        "name": name,
        "status": status,
        "score": points if status == "passed" else 0,
        "max_score": points,
        "message": message,
    }


def _report(*subs):
    return {
        "format_version": 1,
        "submissions": list(subs),
        "grader": {"version": "0.1.0", "torch": "2.13.0", "hypothesis_profile": "grading"},
    }


def layers(affine="passed", grads="passed", centred="passed", message=""):
    def said(status):
        return message if status != "passed" else ""

    return _exercise(
        "layers",
        [
            _test("test_centered_layer_has_zero_mean", centred, 2, said(centred)),
            _test("test_mylinear_is_affine[float32]", affine, 3, said(affine)),
            _test("test_mylinear_gradients_reach_weight_and_bias", grads, 3, said(grads)),
            _test("test_cuda_round_trip", "skipped", 0, "needs a CUDA device"),
        ],
    )


def sharing(status="passed"):
    message = "not written yet: shared_mlp: ..." if status != "passed" else ""
    return _exercise("sharing", [_test("test_shared_mlp_shares_one_layer", status, 2, message)])


def cohort() -> dict:
    grad = f"diagnosis: {DIAG_GRAD}\n\nE   RuntimeError: element 0 of tensors does not require grad"
    mean = f"diagnosis: {DIAG_MEAN}\n\nAssertionError: mean is 3.0"
    mean_zh = f"诊断: {DIAG_ZH}\n\nAssertionError: mean is 3.0"
    return _report(
        _submission("alice", [layers(), sharing()]),  # full marks: 10 / 10
        _submission("bob", [layers(grads="failed", message=grad), sharing("failed")]),  # 5
        _submission(
            "carol",
            [
                _exercise(
                    "layers",
                    [
                        _test("test_centered_layer_has_zero_mean", "failed", 2, mean),
                        _test("test_mylinear_is_affine[float32]", "error", 3, "RuntimeError: boom"),
                        _test("test_mylinear_gradients_reach_weight_and_bias", "failed", 3, grad),
                        _test("test_cuda_round_trip", "skipped", 0, "needs a CUDA device"),
                    ],
                ),
                _exercise("sharing", [], status="missing", message="no sharing.py", max_score=2),
            ],
        ),  # 0 / 10
        _submission(SCRIPT_NAME, [layers(centred="failed", message=mean_zh), sharing()]),  # 8
        _submission("dave", [layers(affine="timeout", message=SCRIPT_MESSAGE), sharing()]),  # 7
    )


# ---------------------------------------------------------------- reading the page


class Page(HTMLParser):
    """Elements with their attributes, the text, script blocks and external references."""

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict]] = []
        self.scripts: list[tuple[dict, str]] = []
        self.text: list[str] = []
        self.stats: dict[str, str] = {}
        self._script: dict | None = None
        self._stat: str | None = None
        self.feed(text)
        self.close()

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.elements.append((tag, attrs))
        if tag == "script":
            self._script = attrs
            self.scripts.append((attrs, ""))
        if "data-stat" in attrs:
            self._stat = attrs["data-stat"]

    def handle_endtag(self, tag):
        if tag == "script":
            self._script = None
        if tag == "span":
            self._stat = None

    def handle_data(self, data):
        if self._script is not None:
            attrs, body = self.scripts[-1]
            self.scripts[-1] = (attrs, body + data)
            return
        if self._stat is not None:
            self.stats[self._stat] = self.stats.get(self._stat, "") + data
        self.text.append(data)

    def with_class(self, cls: str) -> list[dict]:
        return [a for _, a in self.elements if cls in (a.get("class") or "").split()]

    def data(self) -> dict:
        [(attrs, body)] = self.scripts
        assert attrs == {"type": "application/json", "id": "cohort-data"}
        return json.loads(body)


@pytest.fixture(scope="module")
def page() -> tuple[str, Page]:
    text = html.render(cohort())
    return text, Page(text)


# ---------------------------------------------------------------- the numbers


def test_numbers_match_the_report(page):
    text, p = page
    report = cohort()
    subs = report["submissions"]
    scores = sorted(s["score"] for s in subs)
    assert scores == [0, 5, 7, 8, 10]
    data = p.data()
    assert data["submissions"] == 5 and data["max_score"] == 10
    assert data["mean"] == 6 and data["median"] == 7
    assert p.stats == {"submissions": "5", "mean": "6", "median": "7", "max_score": "10"}

    # histogram: 0 % -> first bin, 50 % -> 50-60, 70 % -> 70-80, 80 % -> 80-90, 100 % -> last
    counts = [b["count"] for b in data["histogram"]]
    assert counts == [1, 0, 0, 0, 0, 1, 0, 1, 1, 1]
    bins = p.with_class("bin")
    assert [int(b["data-count"]) for b in bins] == counts
    assert [b["data-from"] for b in bins][:3] == ["0", "10", "20"]

    # exercises: mean score and how many passed every test
    modules = {m["module"]: m for m in data["modules"]}
    assert modules["layers"] == {
        "module": "layers",
        "mean": 4.8,  # (8 + 5 + 0 + 6 + 5) / 5
        "max_score": 8,
        "passed": 1,
        "of": 5,
        "rate": 0.2,
    }
    assert modules["sharing"]["passed"] == 3 and modules["sharing"]["of"] == 5
    rows = {r["data-module"]: r for r in p.with_class("module")}
    assert rows["layers"]["data-mean"] == "4.8" and rows["layers"]["data-passed"] == "1"
    assert rows["sharing"]["data-passed"] == "3" and rows["sharing"]["data-of"] == "5"
    assert "1 / 5" in p.text and "3 / 5" in p.text

    # tests: passes over the learners the test ran for; a 0-point skip is not counted
    tests = {(t["module"], t["name"]): t for t in data["tests"]}
    assert ("layers", "test_cuda_round_trip") not in tests
    grads = tests[("layers", "test_mylinear_gradients_reach_weight_and_bias")]
    assert (grads["passed"], grads["of"]) == (3, 5)
    shared = tests[("sharing", "test_shared_mlp_shares_one_layer")]
    assert (shared["passed"], shared["of"]) == (3, 4)  # carol's module was missing
    test_rows = {r["data-test"]: r for r in p.with_class("test")}
    row = test_rows["test_mylinear_gradients_reach_weight_and_bias"]
    assert (row["data-passed"], row["data-of"]) == ("3", "5")
    assert "3 / 5" in p.text and "60%" in p.text

    # diagnoses: how many learners made each mistake, most frequent first
    found = [(d["diagnosis"], d["learners"]) for d in data["diagnoses"]]
    assert found[0] == (DIAG_GRAD, 2)
    assert sorted(found[1:]) == sorted([(DIAG_MEAN, 1), (DIAG_ZH, 1)])
    assert [int(r["data-learners"]) for r in p.with_class("diagnosis")] == [2, 1, 1]
    assert data["diagnoses"][0]["tests"] == ["test_mylinear_gradients_reach_weight_and_bias"]
    assert DIAG_GRAD in "".join(p.text)

    # one row per learner, in the report's order, with their scores
    learners = p.with_class("learner")
    assert [r["data-score"] for r in learners] == [str(s["score"]) for s in subs]
    assert [d["failed_tests"] for d in data["learners"]] == [0, 2, 3, 1, 1]
    body = "".join(p.text)
    assert "not written yet (1 test)" in body  # bob's sharing
    assert "no sharing.py" in body  # carol's missing module


def test_diagnosis_lines_in_both_languages():
    assert diagnosis_of("diagnosis: wrong axis\n\nE  assert") == "wrong axis"
    assert diagnosis_of("诊断: 维度错了\n...") == "维度错了"
    assert diagnosis_of("诊断：维度错了") == "维度错了"
    assert diagnosis_of("AssertionError: diagnosis: not at the start") is None
    assert diagnosis_of("") is None


def test_histogram_bins_hold_their_edges():
    bins = histogram([0, 9.99, 10, 55, 99.9, 100, 100])
    assert [b["count"] for b in bins] == [2, 1, 0, 0, 0, 1, 0, 0, 0, 3]
    assert bins[-1] == {"from": 90, "to": 100, "count": 3}


def test_an_empty_cohort_renders():
    p = Page(html.render(_report()))
    assert p.data()["submissions"] == 0
    assert "No submissions." in "".join(p.text)


# ---------------------------------------------------------------- safety


def test_learner_text_is_escaped(page):
    text, p = page
    # The only script element is the JSON data block; no learner text makes another.
    assert [attrs.get("type") for attrs, _ in p.scripts] == ["application/json"]
    assert text.count("<script") == 1 and text.count("</script>") == 1
    assert "<img" not in text
    assert not any(tag in ("img", "iframe", "object", "embed") for tag, _ in p.elements)
    assert not any(k.startswith("on") for _, attrs in p.elements for k in attrs)
    # ...and the text reads as the learner wrote it.
    body = "".join(p.text)
    assert SCRIPT_NAME in body
    assert "</script><script>alert('msg')</script>" in body
    assert [d["submission"] for d in p.data()["learners"]][3] == SCRIPT_NAME


def test_nothing_is_loaded_from_anywhere(page):
    text, p = page
    for tag, attrs in p.elements:
        assert tag not in ("link", "img", "iframe"), tag
        assert "src" not in attrs, (tag, attrs)
        if "href" in attrs:
            assert attrs["href"].startswith("#"), attrs
    assert "@import" not in text and "url(" not in text
    [csp] = [a for t, a in p.elements if t == "meta" and a.get("http-equiv")]
    assert "default-src 'none'" in csp["content"]


def test_control_characters_and_huge_messages_are_tamed():
    long = "A" * 5_000_000
    report = _report(
        _submission("esc\x1b[31m\x00name", [layers(affine="failed", message="\x1b]0;t\x07" + long)])
    )
    text = html.render(report)
    assert len(text) < 200_000
    assert "\x1b" not in text and "\x00" not in text and "\x07" not in text


# ---------------------------------------------------------------- the commands


def cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "grader", *args], cwd=ROOT, capture_output=True, text=True
    )


def test_report_command_writes_the_page(tmp_path):
    saved = tmp_path / "grades.json"
    saved.write_text(json.dumps(cohort()), encoding="utf-8")
    out = tmp_path / "site" / "cohort.html"
    proc = cli("report", str(saved), "--html", str(out))
    assert proc.returncode == 0, proc.stderr
    assert out.read_text(encoding="utf-8") == html.render(cohort())
    text = cli("report", str(saved))
    assert text.returncode == 0 and text.stdout.startswith("cohort: 5 submissions")


@pytest.mark.parametrize(
    "content, says",
    [
        (None, "cannot be read"),
        ("{not json", "not JSON"),
        ('{"submissions": 3}', "not a grader report"),
    ],
)
def test_report_command_refuses_what_is_not_a_report(tmp_path, content, says):
    saved = tmp_path / "grades.json"
    if content is not None:
        saved.write_text(content, encoding="utf-8")
    proc = cli("report", str(saved), "--html", str(tmp_path / "out.html"))
    assert proc.returncode == 2
    assert says in proc.stderr and proc.stderr.count("\n") == 1
    assert not (tmp_path / "out.html").exists()


@pytest.mark.timeout(120)
def test_grade_format_html_shows_the_kits_diagnoses(tmp_path):
    """A real grade: the diagnosis the kit's plugin gives reaches the cohort page."""
    mutant = ROOT / "tests" / "mutants" / "layers" / "data_in_forward.py"
    solution = ROOT / "solutions" / "05_layers" / "layers.py"
    if not (mutant.is_file() and solution.is_file()):
        pytest.skip("needs the layers solution and its data_in_forward mutant")
    for name, extra in (("alice", ""), ("bob", mutant.read_text(encoding="utf-8"))):
        (tmp_path / name).mkdir()
        (tmp_path / name / "layers.py").write_text(
            solution.read_text(encoding="utf-8") + "\n" + extra, encoding="utf-8"
        )
    out = tmp_path / "cohort.html"
    proc = cli(
        "grade", str(tmp_path / "alice"), str(tmp_path / "bob"), "--modules", "layers",
        "--format", "html", "--output", str(out), "--seed", "1", "--jobs", "1", "-q",
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    data = Page(out.read_text(encoding="utf-8")).data()
    assert data["submissions"] == 2
    assert data["diagnoses"], "no diagnosis reached the page"
    assert all(d["learners"] == 1 and d["module"] == "layers" for d in data["diagnoses"])
    assert any("gradient" in d["diagnosis"] for d in data["diagnoses"])


# ---------------------------------------------------------------- in a browser


def test_the_page_renders_in_chromium_without_console_errors(tmp_path, page):
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    if browser is None:
        pytest.skip("chromium is not installed (Debian: apt-get install chromium)")
    text, _ = page
    target = tmp_path / "cohort.html"
    target.write_text(text, encoding="utf-8")
    shot = tmp_path / "cohort.png"
    proc = subprocess.run(
        [
            browser, "--headless", "--no-sandbox", "--disable-gpu",
            "--disable-background-networking", "--disable-component-update",
            "--disable-sync", "--no-first-run", f"--user-data-dir={tmp_path / 'profile'}",
            "--enable-logging=stderr", "--v=0", f"--screenshot={shot}",
            "--window-size=1200,2000", target.as_uri(),
        ],
        capture_output=True,
        text=True,
        timeout=90,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr[-3000:]
    console = [
        line for line in proc.stderr.splitlines() if ":CONSOLE" in line or "Uncaught" in line
    ]
    assert not console, "\n".join(console)
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and shot.stat().st_size > 10_000


def test_summary_is_json_ready():
    data = summary(cohort())
    assert json.loads(json.dumps(data)) == data
