"""Staged workers (grader/grading/runner.py ``launch(slots=...)``,
grader/grading/engine.py ``STAGED``).

With ``--jobs N`` the engine lets N workers run tests while one more forks (with its
probe worker), sets pytest up and collects, then waits for a slot. These tests
grade real modules of the reference solutions through ``runner.run_module`` and check
that the slots bound what runs, that the wait costs the module nothing (no limit, no
time in its duration), and that a cancel reaches a waiting worker.
"""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest
from harness import solution_source

from grader.grading import collect, engine, runner

pytestmark = pytest.mark.timeout(300)

KIT = Path(__file__).resolve().parent.parent
SEED = 4242


@pytest.fixture(scope="module")
def plan():
    return collect.collect(KIT, ("layers", "sharing"), None, runner.WorkerConfig(KIT, SEED))


def job(plan, module: str) -> runner.ModuleJob:
    return runner.ModuleJob(
        "s",
        module,
        f"{module}.py",
        solution_source(module).encode(),
        tuple(plan.files[module]),
        tuple(t.key for t in plan.tests[module]),
    )


class Log:
    """Wraps ``runner.launch``: when each worker was let go, began its module, left its slot."""

    def __init__(self, monkeypatch) -> None:
        self.lock = threading.Lock()
        self.rows: list[dict] = []
        real = runner.launch

        def launch(spec, scratch, config, on_event, watchdog, slots=None, on_open=None, probe=None):
            if spec.mode != "run":  # the collection
                return real(spec, scratch, config, on_event, watchdog, slots, on_open, probe)
            row = {"module": spec.module, "waited": None}
            with self.lock:
                self.rows.append(row)

            def event(e):
                if e.get("ev") == "importing":
                    row.setdefault("importing", time.monotonic())
                on_event(e)

            def opened(seconds):
                row["waited"] = seconds
                if on_open is not None:
                    on_open(seconds)

            class Slots:  # the caller's, noting when this worker gave its slot back
                def acquire(self, timeout):
                    return slots.acquire(timeout=timeout)

                def release(self):
                    row["released"] = time.monotonic()
                    slots.release()

            theirs = None if slots is None else Slots()
            try:
                return real(spec, scratch, config, event, watchdog, theirs, opened, probe)
            finally:
                row["ended"] = time.monotonic()

        monkeypatch.setattr(runner, "launch", launch)


def passed(run: runner.ModuleRun) -> set[str]:
    return {status for status, _ in run.results.values()}


def in_thread(target, *args) -> tuple[threading.Thread, dict]:
    box: dict = {}
    thread = threading.Thread(target=lambda: box.setdefault("run", target(*args)))
    thread.start()
    return thread, box


def assert_one_at_a_time(rows: list[dict]) -> None:
    """No worker began its module before the one before it had given its slot back
    (which ``launch`` does once it is gone); all but the first were set up and
    waiting by then."""
    assert rows and all("importing" in row for row in rows)
    rows = sorted(rows, key=lambda row: row["importing"])
    for before, after in zip(rows, rows[1:], strict=False):
        assert after["importing"] >= before["released"]
        assert after["waited"] is not None and after["waited"] > 0.05


def test_one_slot_runs_one_module_at_a_time_while_the_next_sets_up(plan, monkeypatch):
    log = Log(monkeypatch)
    slots = threading.Semaphore(1)
    config = runner.WorkerConfig(KIT, SEED)
    threads = [in_thread(runner.run_module, job(plan, m), config, slots) for m in plan.tests]
    for thread, _ in threads:
        thread.join(timeout=240)
    runs = [box["run"] for _, box in threads]
    assert all(passed(run) == {"passed"} for run in runs)
    assert len(log.rows) == 2 and all(run.workers == 1 for run in runs)
    assert_one_at_a_time(log.rows)


def test_the_engine_with_one_job_stages_one_worker(monkeypatch):
    log = Log(monkeypatch)
    modules = ("layers", "sharing", "blocks")
    settings = engine.Settings(kit=KIT, modules=modules, seed=SEED, jobs=1)
    report = engine.grade([KIT / "solutions"], ["ref"], settings, engine.make_plan(settings))
    (sub,) = report["submissions"]
    assert sub["score"] == sub["max_score"] > 0
    assert sorted(row["module"] for row in log.rows) == sorted(modules)
    assert_one_at_a_time(log.rows)


def test_the_wait_for_a_slot_counts_against_no_limit_and_not_in_the_duration(plan, monkeypatch):
    log = Log(monkeypatch)
    limits = runner.Limits(timeout=10, module_timeout=6, startup=6, stall_grace=1)
    slots = threading.Semaphore(1)
    slots.acquire()  # another module's worker holds the only slot
    held = 9.0  # past the module's time limit and its start-up limit
    thread, box = in_thread(
        runner.run_module, job(plan, "layers"), runner.WorkerConfig(KIT, SEED, limits), slots
    )
    time.sleep(held)
    slots.release()
    thread.join(timeout=120)
    run = box["run"]
    assert passed(run) == {"passed"}, run.results
    assert run.workers == 1 and not run.crashes and not run.import_error
    (row,) = log.rows
    assert row["waited"] is not None and row["waited"] > held - 2  # set up in under 2 s
    assert run.duration_s < row["ended"] - row["importing"] + 2
    assert slots.acquire(blocking=False)  # the worker gave its slot back


def test_a_cancel_reaches_a_worker_waiting_for_a_slot(plan, monkeypatch):
    log = Log(monkeypatch)
    slots = threading.Semaphore(0)  # never a slot
    thread, box = in_thread(
        runner.run_module, job(plan, "layers"), runner.WorkerConfig(KIT, SEED), slots
    )
    try:
        time.sleep(3)  # ready by now: waiting
        assert thread.is_alive() and len(log.rows) == 1
        cancelled = time.monotonic()
        runner.cancel_all()
        thread.join(timeout=30)
        assert not thread.is_alive() and time.monotonic() - cancelled < 5
    finally:
        runner._CANCELLED.clear()
    run = box["run"]
    assert "importing" not in log.rows[0]  # it never began the module
    assert "passed" not in passed(run)
