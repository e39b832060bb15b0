"""The fork server: a forked worker grades exactly like the worker subprocess.

One zygote serves the whole file (it takes a few seconds to import torch); each test
grades one module of a submission both ways, or checks what a forked child sees,
that nothing outlives a job or the server, and that the server steps aside cleanly.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import threading
import time
import types
from pathlib import Path

import pytest

from grader import forkserver
from grader.grading import collect, runner

pytestmark = [
    pytest.mark.timeout(300),
    pytest.mark.skipif(not forkserver.available(), reason="no fork server on this platform"),
]

KIT = Path(__file__).resolve().parent.parent
SEED = 4242
PYTHON = runner.WorkerConfig(KIT, SEED).python
# Once the runner forks its workers itself, the subprocess path is --no-fork-server.
INTEGRATED = "fork_server" in runner.WorkerConfig.__dataclass_fields__
NO_FORK = {"fork_server": False} if INTEGRATED else {}


@pytest.fixture(scope="module")
def server():
    scratch = runner.make_scratch("grader-zygote-test-")
    env = runner.clean_env(scratch, gpu=False)
    server = forkserver.ForkServer(PYTHON, env, str(scratch / "work"))
    server.start()
    yield server
    server.close()
    shutil.rmtree(scratch, ignore_errors=True)


@pytest.fixture(scope="module")
def plan():
    return collect.collect(KIT, ("layers",), None, runner.WorkerConfig(KIT, SEED))


def run_module(
    source: bytes, plan, server=None, limits: runner.Limits | None = None, sandbox: bool = True
):
    """Grade ``layers.py`` = ``source``; with ``server``, the workers are forked."""
    job = runner.ModuleJob(
        submission="s",
        module="layers",
        filename="layers.py",
        source=source,
        files=tuple(plan.files["layers"]),
        keys=tuple(t.key for t in plan.tests["layers"]),
    )
    extra = {"sandbox": sandbox} if "sandbox" in runner.WorkerConfig.__dataclass_fields__ else {}
    config = runner.WorkerConfig(KIT, SEED, limits or runner.Limits(), **NO_FORK, **extra)
    return run_job(job, config, server)


def run_job(job: runner.ModuleJob, config: runner.WorkerConfig, server=None):
    """``runner.run_module``; with ``server``, its workers are forked by that zygote."""
    if server is None:
        return runner.run_module(job, config)
    saved = runner.subprocess
    runner.subprocess = types.SimpleNamespace(
        Popen=server.popen,
        DEVNULL=subprocess.DEVNULL,
        PIPE=subprocess.PIPE,
        STDOUT=subprocess.STDOUT,
    )
    try:
        return runner.run_module(job, config)
    finally:
        runner.subprocess = saved


@pytest.mark.parametrize("folder", ["solutions", "exercises"])
def test_a_forked_worker_reports_like_the_worker_subprocess(folder, server, plan):
    source = (KIT / folder / "05_layers" / "layers.py").read_bytes()
    forked = run_module(source, plan, server)
    spawned = run_module(source, plan)
    assert forked.results == spawned.results
    assert len(forked.results) == len(plan.tests["layers"])
    statuses = {status for status, _ in forked.results.values()}
    assert statuses == ({"passed"} if folder == "solutions" else {"failed"})
    assert (forked.import_error, forked.crashes, forked.workers) == ("", [], 1)
    assert (spawned.import_error, spawned.crashes, spawned.workers) == ("", [], 1)


INTROSPECT = """
import json, os, signal, sys, tempfile, threading
import torch

fds = sorted(int(fd) for fd in os.listdir("/proc/self/fd"))
state = {
    "env": dict(os.environ),
    "cwd": os.getcwd(),
    "fds": len(fds),
    "session_leader": os.getsid(0) == os.getpid(),
    "group_leader": os.getpgid(0) == os.getpid(),
    "threads": threading.active_count(),
    "os_threads": len(os.listdir("/proc/self/task")),
    "isolated": sys.flags.isolated,
    "tempdir": tempfile.gettempdir(),
    "torch_threads": torch.get_num_threads(),
    "handlers": {
        name: str(signal.getsignal(getattr(signal, name))).split(" at 0x")[0]
        for name in ("SIGINT", "SIGTERM", "SIGCHLD", "SIGPIPE", "SIGALRM", "SIGHUP")
    },
    "blocked": sorted(int(s) for s in signal.pthread_sigmask(signal.SIG_BLOCK, [])),
    "stdin": os.read(0, 10).decode(),
}
print("STATE " + json.dumps(state, sort_keys=True), flush=True)
"""


def _state(run: runner.ModuleRun) -> dict:
    for line in run.output_tail.splitlines():
        if line.startswith("STATE "):
            return json.loads(line[6:])
    raise AssertionError(f"no state printed:\n{run.output_tail}")


def test_a_forked_child_starts_like_a_new_worker(server, plan):
    source = INTROSPECT.encode()
    forked, spawned = _state(run_module(source, plan, server)), _state(run_module(source, plan))
    assert forked == spawned
    assert forked["session_leader"] and forked["threads"] == forked["os_threads"] == 1
    assert forked["env"]["HOME"] == "<scratch>/home" and forked["cwd"] == "<scratch>/work"
    assert forked["stdin"] == "" and forked["blocked"] == []


LEAVES_A_PROCESS = """
import subprocess
subprocess.Popen(["sleep", "{marker}"])  # in the worker's process group
from pathlib import Path
exec(Path({solution!r}).read_text())
"""


def test_a_grader_started_with_sigint_ignored_forks_workers_that_ignore_it_too(plan):
    # As under nohup, or a CI job in the background: a new worker inherits SIGINT
    # ignored, so a forked one must not get Ctrl-C's KeyboardInterrupt instead.
    before = signal.signal(signal.SIGINT, signal.SIG_IGN)
    scratch = runner.make_scratch("grader-zygote-test-")
    ignoring = forkserver.ForkServer(
        PYTHON, runner.clean_env(scratch, gpu=False), str(scratch / "work")
    )
    try:
        ignoring.start()
        source = INTROSPECT.encode()
        forked = _state(run_module(source, plan, ignoring))
        spawned = _state(run_module(source, plan))
    finally:
        signal.signal(signal.SIGINT, before)
        ignoring.close()
        shutil.rmtree(scratch, ignore_errors=True)
    assert forked["handlers"]["SIGINT"] == spawned["handlers"]["SIGINT"] == str(int(signal.SIG_IGN))


def _processes_with(marker: str) -> list[int]:
    found = []
    for entry in os.scandir("/proc"):
        if entry.name.isdigit():
            try:
                cmdline = Path(entry.path, "cmdline").read_bytes().split(b"\0")
            except OSError:
                continue
            if marker.encode() in cmdline:
                found.append(int(entry.name))
    return found


def _alive(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat[stat.rindex(")") + 2] != "Z"


def test_nothing_outlives_a_forked_job(server, plan):
    marker = f"{977 + os.getpid() % 1000}.25"
    solution = str(KIT / "solutions" / "05_layers" / "layers.py")
    source = LEAVES_A_PROCESS.format(marker=marker, solution=solution).encode()
    # The sandbox would deny both the process and reading the solution (and score the
    # module 0, tests/test_integrity.py): this checks the fork server's own cleanup.
    run = run_module(source, plan, server, sandbox=False)
    assert {status for status, _ in run.results.values()} == {"passed"}
    deadline = time.monotonic() + 5
    while any(_alive(pid) for pid in _processes_with(marker)) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not [pid for pid in _processes_with(marker) if _alive(pid)]
    assert _children_of(server.pid) == []  # every child reaped


def _children_of(pid: int) -> list[int]:
    try:
        text = Path(f"/proc/{pid}/task/{pid}/children").read_text()
    except OSError:
        return []
    return [int(x) for x in text.split()]


def test_closing_the_server_kills_a_running_child(plan):
    scratch = runner.make_scratch("grader-zygote-test-")
    env = runner.clean_env(scratch, gpu=False)
    server = forkserver.ForkServer(PYTHON, env, str(scratch / "work"))
    server.start()
    zygote = server.pid
    box: dict = {}

    def grade():
        box["run"] = run_module(b"import time\ntime.sleep(600)\n", plan, server)

    thread = threading.Thread(target=grade)
    thread.start()
    deadline = time.monotonic() + 30
    while not _children_of(zygote) and time.monotonic() < deadline:
        time.sleep(0.05)
    children = _children_of(zygote)  # the probe worker, and the test runner
    assert children
    server.close()
    thread.join(timeout=30)
    assert not thread.is_alive()
    assert not any(map(_alive, children)) and not _alive(zygote)
    run = box["run"]  # the module lost its tests; nothing hung
    assert run.crashes or run.import_error
    assert "passed" not in {status for status, _ in run.results.values()}
    shutil.rmtree(scratch, ignore_errors=True)


def test_no_fork_server_where_fork_is_missing(monkeypatch, tmp_path):
    monkeypatch.setattr(forkserver, "available", lambda: False)
    with pytest.raises(forkserver.ForkServerError):
        forkserver.ForkServer("python", {}, str(tmp_path)).start()


def test_a_zygote_that_cannot_start_is_an_error_not_a_hang(tmp_path):
    server = forkserver.ForkServer("/bin/false", {"PATH": "/usr/bin:/bin"}, str(tmp_path))
    started = time.monotonic()
    with pytest.raises(forkserver.ForkServerError):
        server.start()
    assert time.monotonic() - started < 30


def test_it_takes_only_worker_launches(server):
    with pytest.raises(forkserver.ForkServerError):
        server.popen(
            [server.python, "-c", "print(1)"],
            cwd="/",
            env={},
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            pass_fds=(1,),
        )


needs_integration = pytest.mark.skipif(
    not INTEGRATED, reason="the runner does not use the fork server yet"
)


@needs_integration
def test_the_runner_falls_back_to_subprocesses_where_fork_is_missing(monkeypatch, plan):
    source = (KIT / "solutions" / "05_layers" / "layers.py").read_bytes()
    monkeypatch.setattr(forkserver, "available", lambda: False)
    monkeypatch.setattr(runner, "FORK_SERVER_NOTES", [])
    job = runner.ModuleJob(
        "s",
        "layers",
        "layers.py",
        source,
        tuple(plan.files["layers"]),
        tuple(t.key for t in plan.tests["layers"]),
    )
    run = runner.run_module(job, runner.WorkerConfig(KIT, SEED))  # fork_server on
    assert {status for status, _ in run.results.values()} == {"passed"}
    assert run.results == run_module(source, plan).results
    assert runner.FORK_SERVER_NOTES and "not available" in runner.FORK_SERVER_NOTES[0]


@needs_integration
def test_the_cli_grades_alike_with_and_without_the_fork_server(tmp_path):
    sub = tmp_path / "sub"
    sub.mkdir()
    for name in ("layers.py", "sharing.py"):
        folder = "solutions" if name == "layers.py" else "exercises"
        source = next((KIT / folder).glob(f"*/{name}"))
        (sub / name).write_bytes(source.read_bytes())
    reports = []
    for extra in ([], ["--no-fork-server"]):
        out = tmp_path / f"report{len(reports)}.json"
        done = subprocess.run(
            [
                PYTHON,
                "-m",
                "grader",
                "grade",
                str(sub),
                "--modules",
                "layers,sharing",
                "--seed",
                str(SEED),
                "--format",
                "json",
                "--output",
                str(out),
                *extra,
            ],
            capture_output=True,
            text=True,
            cwd=KIT,
            timeout=240,
        )
        assert done.returncode == 0, done.stderr
        assert "note: workers were started as new processes" not in done.stderr
        reports.append(json.loads(out.read_text()))
    forked, spawned = (
        [
            (t["name"], t["status"], t["message"])
            for ex in r["submissions"][0]["exercises"]
            for t in ex["tests"]
        ]
        for r in reports
    )
    assert forked == spawned
    assert {status for _, status, _ in forked} == {"passed", "failed"}


# ------------------------------------------------------------ warmed with the tests


def warmed_server(files: list[str], rootdir: Path):
    """A zygote that imported ``files`` first (as grader/grading/collect.py has it do)."""
    saved = dict(forkserver._WARM_UP)
    forkserver.plan_warm_up({"files": files, "rootdir": str(rootdir)})
    scratch = runner.make_scratch("grader-zygote-test-")
    try:
        server = forkserver.ForkServer(
            PYTHON, runner.clean_env(scratch, False), str(scratch / "work")
        )
        server.start()
    finally:
        forkserver._WARM_UP.clear()
        forkserver._WARM_UP.update(saved)
    return server, scratch


@pytest.fixture(scope="module")
def warm_server(plan):
    server, scratch = warmed_server(list(plan.files["layers"]), KIT)
    yield server
    server.close()
    shutil.rmtree(scratch, ignore_errors=True)


WARMED_STATE = """
import json, sys
worker = sys.modules["grader.grading.worker"]
name = "exercises.05_layers.test_layers"
print("WARMED " + json.dumps({"warmed": sorted(worker.WARMED), "imported": name in sys.modules}))
"""


@pytest.mark.parametrize("folder", ["solutions", "exercises"])
def test_a_zygote_warmed_with_the_tests_grades_like_the_worker_subprocess(
    folder, warm_server, plan
):
    source = (KIT / folder / "05_layers" / "layers.py").read_bytes()
    forked = run_module(source, plan, warm_server)
    spawned = run_module(source, plan)
    assert forked.results == spawned.results
    assert len(forked.results) == len(plan.tests["layers"])
    assert (forked.import_error, forked.crashes, forked.workers) == ("", [], 1)


def test_the_probe_worker_holds_no_test_module(plan):
    """The test runners' zygote is warmed with the tests; the probe workers' zygote is
    not: the learner's module finds no test (an instructor's hidden ones included) in
    the memory it runs in."""
    job = runner.ModuleJob(
        "s",
        "layers",
        "layers.py",
        WARMED_STATE.encode(),
        tuple(plan.files["layers"]),
        tuple(t.key for t in plan.tests["layers"]),
    )
    try:
        run = runner.run_module(job, runner.WorkerConfig(KIT, SEED))  # forked, as grading is
    finally:
        runner.shutdown()
    line = next(x for x in run.output_tail.splitlines() if "WARMED " in x)
    state = json.loads(line.split("WARMED ", 1)[1])
    assert state == {"warmed": [], "imported": False}


OTHER_TESTS = """
import pytest
from grader.probing import functions

layers = functions("layers")


@pytest.mark.points(1)
def test_only_this_one():
    assert layers.answer() == 42
"""


def test_a_zygote_warmed_with_other_tests_runs_the_jobs_own(warm_server, tmp_path):
    # Same module name (exercises.05_layers.test_layers), another kit's file: pytest's
    # importlib mode would take the zygote's module; the child drops it first.
    kit = tmp_path / "kit"
    (kit / "exercises" / "05_layers").mkdir(parents=True)
    (kit / "exercises" / "05_layers" / "test_layers.py").write_text(OTHER_TESTS)
    config = runner.WorkerConfig(kit, SEED, **NO_FORK)
    other = collect.collect(kit, ("layers",), None, config)
    job = runner.ModuleJob(
        "s",
        "layers",
        "layers.py",
        b"def answer():\n    return 42\n",
        tuple(other.files["layers"]),
        tuple(t.key for t in other.tests["layers"]),
    )
    run = run_job(job, config, warm_server)
    assert {key.split("::")[-1]: status for key, (status, _) in run.results.items()} == {
        "test_only_this_one": "passed"
    }


def test_a_test_module_changed_on_disk_is_imported_afresh(tmp_path, monkeypatch):
    from grader.grading import worker

    test_file = tmp_path / "test_x.py"
    test_file.write_text("A = 1\n")
    module = types.ModuleType("warm_test_x")
    module.__file__ = str(test_file)
    monkeypatch.setitem(__import__("sys").modules, "warm_test_x", module)
    monkeypatch.setattr(worker, "WARMED", {})
    worker.remember_test_modules([module])
    assert list(worker.WARMED) == ["warm_test_x"]
    worker.forget_other_test_modules([str(test_file)])
    assert __import__("sys").modules.get("warm_test_x") is module  # same file: kept
    test_file.write_text("A = 22\n")
    os.utime(test_file, ns=(1, 1))
    worker.forget_other_test_modules([str(test_file)])
    assert "warm_test_x" not in __import__("sys").modules  # changed: dropped


@needs_integration
def test_collection_is_forked_by_the_fork_server_too(monkeypatch, tmp_path):
    """No second Python importing torch beside the zygote: collection waits for it."""
    modes = []
    popen = forkserver.ForkServer.popen

    def spy(self, args, **kwargs):
        modes.append(json.loads(Path(args[-1]).read_text())["mode"])
        return popen(self, args, **kwargs)

    monkeypatch.setattr(forkserver.ForkServer, "popen", spy)
    plan = collect.collect(KIT, ("layers", "sharing"), None, runner.WorkerConfig(KIT, SEED))
    assert modes == ["collect"]
    assert plan.tests["layers"] and plan.tests["sharing"]


def test_a_worker_leaves_once_every_result_is_sent(server, plan):
    """After "done" the worker exits: no summary, no unconfigure, nothing to wait for."""
    source = (KIT / "solutions" / "05_layers" / "layers.py").read_bytes()
    run = run_module(source, plan, server)
    assert {status for status, _ in run.results.values()} == {"passed"}
    assert not re.search(r"\d+ passed", run.output_tail), run.output_tail[-500:]
