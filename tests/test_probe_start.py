"""A probe worker that ends before it says hello (grader/grading/runner.py, ``EXIT_PROBE_UNBORN``).

Before its hello a probe worker has not imported the module: no code of the module
ran, so such an end is never the module's doing. The grader starts a fresh pair for
the same tests (twice at most), blames no test, and counts no sandbox layers of the
pair that never started. These tests grade the reference solution in this process
through ``runner.run_module``, with the first probe workers replaced by a process
that exits at once.
"""

from __future__ import annotations

import subprocess
import sys

import pytest
from test_staging import KIT, SEED, job

from grader.grading import collect, runner
from grader.protocol import TestStatus

pytestmark = pytest.mark.timeout(300)


@pytest.fixture(scope="module")
def plan():
    return collect.collect(KIT, ("sharing",), None, runner.WorkerConfig(KIT, SEED))


def dying_first(monkeypatch, times: int) -> list[int]:
    """The first ``times`` probe workers exit with status 3 before their hello."""
    real = runner._start_probe_worker
    started: list[int] = []

    def start(side, config, fd, cpu, magic):
        started.append(1)
        if len(started) > times:
            return real(side, config, fd, cpu, magic)
        return subprocess.Popen(
            [sys.executable, "-c", "raise SystemExit(3)"],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    monkeypatch.setattr(runner, "_start_probe_worker", start)
    return started


def test_a_probe_worker_that_never_started_is_retried_and_blames_nothing(plan, monkeypatch):
    started = dying_first(monkeypatch, runner.UNBORN_RETRIES)
    run = runner.run_module(job(plan, "sharing"), runner.WorkerConfig(KIT, SEED))
    assert len(started) == runner.UNBORN_RETRIES + 1
    assert run.crashes == []
    assert {status for status, _ in run.results.values()} == {TestStatus.PASSED}
    assert len(run.results) == len(plan.tests["sharing"])
    # Only the pair that started counts for the report's layers.
    assert run.layers is not None
    if sys.platform.startswith("linux"):
        assert "audit-hook" in run.layers


def test_a_probe_worker_that_never_starts_is_a_crash_of_the_grader_not_of_a_test(plan, monkeypatch):
    started = dying_first(monkeypatch, 99)
    run = runner.run_module(job(plan, "sharing"), runner.WorkerConfig(KIT, SEED))
    assert len(started) == runner.UNBORN_RETRIES + 1
    # Its exit status as the grader saw it (a reaper of orphans may collect it first).
    assert [c.split(" (")[0] for c in run.crashes] == ["the sandboxed worker did not start"]
    assert run.results == {}  # no test is blamed: each is reported as never reached
    assert run.layers is None
