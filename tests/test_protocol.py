"""What the grading parent and its workers agree on (grader/protocol.py): the statuses and
event kinds as enums, the workers' specs and the events as one JSON codec each, and the
parent's table of event handlers (fast: no worker starts).
"""

from __future__ import annotations

import ast
import inspect
import json
import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from grader import formats, protocol
from grader.grading import collect, report, runner
from grader.grading.collect import ExpectedTest
from grader.grading.submission import ModuleFile
from grader.protocol import Event, ExerciseStatus, ProbeSpec, WorkerSpec, parse_event

ROOT = Path(__file__).resolve().parent.parent
GRADER = ROOT / "grader"
TOKEN = "ab" * 16

# --- statuses and event kinds ---------------------------------------------------------------


@pytest.mark.parametrize("enum", [protocol.TestStatus, ExerciseStatus, Event])
def test_enums_are_their_values_wherever_text_is_made(enum):
    for member in enum:
        value = member.value
        assert type(value) is str and member == value and hash(member) == hash(value)
        assert json.dumps(member) == json.dumps(value)
        assert json.dumps({member: [member]}) == json.dumps({value: [value]})
        assert str(member) == f"{member}" == " ".join([member]) == value
        assert type(str(member)) is str
        assert f"{member:>12}" == f"{value:>12}" and format(member, "<9") == format(value, "<9")
        assert enum.of(value) is member and enum(value) is member
    assert enum.of("no such thing") is None and enum.of(None) is None and enum.of([1]) is None


def test_statuses_are_the_schemas():
    """The values are the strings the report always had: the packaged schema's enums."""
    schema = report.report_schema()["$defs"]
    assert [s.value for s in protocol.TestStatus] == schema["test"]["properties"]["status"]["enum"]
    assert [s.value for s in ExerciseStatus] == schema["exercise"]["properties"]["status"]["enum"]


def graded_report() -> dict:
    """A report built from a run whose statuses are enum members, as the runner keeps them."""
    tests = [
        ExpectedTest(f"/k/test_layers.py::test_{i}", "layers", f"test_{i}", 1.0) for i in range(5)
    ]
    statuses = list(protocol.TestStatus)
    run = runner.ModuleRun(
        results={t.key: (s, f"said {s}") for t, s in zip(tests, statuses, strict=True)},
        durations={t.key: 0.5 for t in tests},
    )
    found = ModuleFile("layers", "found", source=b"")
    exercises = [
        report.exercise_entry("layers", tests, found, run, module_timeout=60),
        report.exercise_entry("blocks", tests, ModuleFile("blocks", "missing", "none"), None),
    ]
    submission = report.submission_entry("ann", exercises, 1.0)
    grader = {"version": "0", "torch": "2", "hypothesis_profile": "grader"}
    return {"format_version": 1, "submissions": [submission], "grader": grader}


def test_no_output_names_an_enum():
    """Nothing the grader writes says ``TestStatus.passed``: the report holds plain
    strings, and every format renders them as they are."""
    made = graded_report()
    assert report.validate(made) == []
    for ex in made["submissions"][0]["exercises"]:
        assert type(ex["status"]) is str
        assert all(type(t["status"]) is str for t in ex["tests"])
    assert made["submissions"][0]["exercises"][1]["status"] == "missing"
    written = [json.dumps(made), repr(made)]
    written += [formats.render(fmt, made) for fmt in formats.FORMATS]
    for text in written:
        for enum in ("TestStatus", "ExerciseStatus", "Event"):
            assert f"{enum}." not in text


# --- the workers' specs ---------------------------------------------------------------------


def worker_spec(**changes) -> WorkerSpec:
    fields = dict(
        mode="run",
        files=("/k/exercises/05_layers/test_layers.py",),
        rootdir="/k",
        impl="/s/impl",
        basetemp="/s/tmp/pytest",
        seed=3,
        timeout=2.5,
        lang="zh",
        module="layers",
        keys=("/k/t.py::test_a", "/k/t.py::test_b"),
        cpu=42,
        fd=7,
        token=TOKEN,
        gate=True,
        probe_fd=9,
        magic="00ff",
        startup=30.0,
    )
    return WorkerSpec(**{**fields, **changes})


def test_worker_spec_round_trip():
    spec = worker_spec()
    assert spec.files == ["/k/exercises/05_layers/test_layers.py"]  # lists, as JSON has them
    again = WorkerSpec.from_json(spec.to_json())
    assert again == spec and again.to_json() == spec.to_json()
    assert json.loads(spec.to_json()) == spec.to_dict()
    collect_spec = WorkerSpec(mode="collect", files=[], rootdir="/k", impl="/i", basetemp="/b")
    assert WorkerSpec.from_json(collect_spec.to_json()) == collect_spec
    assert collect_spec.keys is None and collect_spec.probe_fd is None


def test_probe_spec_round_trip():
    spec = ProbeSpec(
        fd=4,
        magic="00ff",
        module="layers",
        path="/p/impl/layers.py",
        probes=[("/k/t.py", "def probe(): ...")],
        timeout=30.0,
        sandbox={"scratch": "/p", "cpu": 12},
    )
    assert spec.probes == [["/k/t.py", "def probe(): ..."]]
    assert ProbeSpec.from_json(spec.to_json()) == spec


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("[]", "JSON object"),
        ('{"mode": "run"}', "missing"),
        (json.dumps({**worker_spec().to_dict(), "extra": 1}), "unknown fields extra"),
        (json.dumps({**worker_spec().to_dict(), "mode": "both"}), "mode"),
    ],
)
def test_a_spec_that_is_not_one_is_refused(text, says):
    with pytest.raises(ValueError, match=says):
        WorkerSpec.from_json(text)


def test_read_spec_reads_then_deletes_the_file(tmp_path, capsys):
    path = tmp_path / "spec.json"
    path.write_text(worker_spec().to_json())
    assert protocol.read_spec([str(path)], "grader.grading.worker", WorkerSpec) == worker_spec()
    assert not path.exists()
    assert protocol.read_spec([], "grader.grading.worker", WorkerSpec) is None
    assert "usage: python -I -m grader.grading.worker SPEC.json" in capsys.readouterr().err


# --- events ---------------------------------------------------------------------------------


def sent_events(path: Path) -> list[Event]:
    """The kind of every event ``path`` sends (``channel.send(Event.X, ...)``); fails on
    an event built any other way."""
    kinds = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
            continue
        if node.func.attr != "send" or "channel" not in ast.unparse(node.func.value):
            continue
        where = f"{path.name}:{node.lineno}"
        assert not any(k.arg == "ev" for k in node.keywords), f"{where}: ev= instead of an Event"
        first = node.args[0] if node.args else None
        assert (
            isinstance(first, ast.Attribute)
            and isinstance(first.value, ast.Name)
            and first.value.id == "Event"
        ), f"{where}: the kind is not an Event member"
        kinds.append(Event[first.attr])
    return kinds


def test_every_event_the_workers_send_is_an_event():
    sent = set(sent_events(GRADER / "grading" / "report_plugin.py"))
    sent |= set(sent_events(GRADER / "grading" / "worker.py"))
    assert sent == set(Event)
    for path in GRADER.glob("*.py"):  # no event built by hand anywhere
        assert '"ev":' not in path.read_text(encoding="utf-8").replace('{"ev": Event', "")


COLLECT_ONLY = {Event.TEST, Event.COLLECT_ERROR}  # grader/grading/collect.py reads them


def test_the_handler_table_covers_every_event_the_parent_must_handle():
    handlers = runner._WorkerState.HANDLERS
    assert all(isinstance(kind, Event) and callable(h) for kind, h in handlers.items())
    # Run mode: every event but the go's "ready" (launch waits for it) and those of
    # collect mode has its handler; the table holds nothing else.
    assert set(handlers) == set(Event) - COLLECT_ONLY - {Event.READY}
    assert "Event.READY" in inspect.getsource(runner._Loop.take)
    source = inspect.getsource(collect.collect)
    for kind in COLLECT_ONLY | {Event.HELLO, Event.DONE}:
        assert f"Event.{kind.name}" in source


def channel_pair():
    from grader.grading.report_plugin import Channel

    ours, theirs = socket.socketpair()
    return ours, Channel(theirs.detach(), TOKEN)


def test_an_event_sent_is_the_event_parsed():
    ours, channel = channel_pair()
    try:
        channel.send(Event.RESULT, key="k", status=protocol.TestStatus.PASSED, message="ok")
        channel.send(Event.DONE, exit=0, results=1)
        lines = ours.recv(65536).split(b"\n")
    finally:
        ours.close()
        os.close(channel.fd)
    assert lines[-1] == b""
    first, second = (parse_event(line, TOKEN) for line in lines[:2])
    assert first == {"ev": "result", "key": "k", "status": "passed", "message": "ok"}
    assert first["ev"] is Event.RESULT and second == {"ev": Event.DONE, "exit": 0, "results": 1}
    assert json.loads(lines[0])["t"] == TOKEN


@pytest.mark.parametrize(
    "line",
    [
        b"not json",
        b"\xff\xfe",
        b"[1, 2]",
        b'"result"',
        json.dumps({"ev": "result", "key": "k"}).encode(),  # no token
        json.dumps({"ev": "result", "t": "0" * 32}).encode(),  # another token
        json.dumps({"ev": "armed!", "t": TOKEN}).encode(),  # no such kind
        json.dumps({"ev": ["result"], "t": TOKEN}).encode(),
        json.dumps({"t": TOKEN}).encode(),
    ],
)
def test_what_is_not_an_event_is_dropped(line):
    assert parse_event(line, TOKEN) is None


# --- the handlers ---------------------------------------------------------------------------

KEYS = ["/k/t.py::test_a", "/k/t.py::test_b", "/k/t.py::test_c"]


def feed(*events: dict, scratch: Path = Path("/tmp/scratch-x")):
    run, state = runner.ModuleRun(), runner._WorkerState(KEYS)
    for event in events:
        state.on_event(event, run, set(KEYS), scratch)
    return run, state


def ev(kind: Event, **fields) -> dict:
    return {"ev": kind, **fields}


def test_results_arrive_in_order():
    run, state = feed(
        ev(Event.HELLO, sandbox=["landlock", 3]),
        ev(Event.IMPORTING),
        ev(Event.IMPORTED),
        ev(Event.START, key=KEYS[0]),
        ev(Event.RESULT, key=KEYS[0], status="passed", message="at /tmp/scratch-x/impl"),
        ev(Event.START, key=KEYS[2]),  # a test deselected in between: fine
        ev(Event.RESULT, key=KEYS[2], status="timeout", message=""),
        ev(Event.DONE, results=2),
    )
    assert run.integrity == [] and state.done and state.accepted == 2
    assert run.results == {KEYS[0]: ("passed", "at <scratch>/impl"), KEYS[2]: ("timeout", "")}
    assert run.results[KEYS[0]][0] is protocol.TestStatus.PASSED
    assert state.layers == ["landlock", "3"] and not state.importing


@pytest.mark.parametrize(
    "events",
    [
        [ev(Event.START, key=KEYS[1]), ev(Event.START, key=KEYS[0])],  # out of order
        [ev(Event.RESULT, key=KEYS[0], status="passed")],  # not started
        [
            ev(Event.START, key=KEYS[0]),
            ev(Event.RESULT, key=KEYS[0], status="passed"),
            ev(Event.RESULT, key=KEYS[0], status="passed"),  # twice
        ],
        [ev(Event.START, key=KEYS[0]), ev(Event.DONE, results=1)],  # a result it never sent
    ],
)
def test_forgeries_are_flagged(events):
    run, _ = feed(*events)
    assert run.integrity == [runner.FORGED]


def test_ill_formed_events_change_nothing():
    run, state = feed(
        ev(Event.START, key="/k/t.py::not_expected"),
        ev(Event.START, key=7),
        {"ev": "no such kind", "key": KEYS[0]},
        {"key": KEYS[0]},
        ev(Event.START, key=KEYS[0]),
        ev(Event.RESULT, key=KEYS[0], status="great"),  # no such status: no result
        ev(Event.DONE, results="1"),
    )
    assert run.integrity == [] and run.results == {} and state.current is None
    assert state.accepted == 0 and state.done


def test_violations_and_import_errors_are_kept_once():
    run, _ = feed(
        ev(Event.IMPORT_ERROR, message="SyntaxError in /tmp/scratch-x/impl/layers.py"),
        ev(Event.IMPORT_ERROR, message="a second one"),
        ev(Event.VIOLATION, message="opened /etc/passwd"),
        ev(Event.VIOLATION, message=""),
    )
    assert run.import_error == "SyntaxError in <scratch>/impl/layers.py"
    assert run.integrity == ["opened /etc/passwd"]


# --- no pytest, no torch --------------------------------------------------------------------


def test_the_protocol_imports_neither_pytest_nor_torch():
    code = "import sys, grader.protocol; print(sorted({'pytest', 'torch'} & set(sys.modules)))"
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == "[]"
