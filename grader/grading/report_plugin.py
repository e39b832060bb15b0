"""The pytest plugin inside a grading worker: it tells the parent what each test did.

Outcomes travel as JSON lines over a private socket (never stdout/stderr, which the
code under test can write to), one line per event:

* collect mode: ``test`` (key, points, visibility) and ``collect_error`` lines;
* run mode: ``start`` before a test, ``result`` after it (passed, failed, error,
  timeout or skipped, with a short message), ``import_error`` when the module under
  test could not be imported, ``done`` when the session ends.

The parent decides every verdict from its own list of expected tests: this plugin
only reports. It also owns the per-test timer (grader/failures.py, through
pytest-timeout's ``pytest_timeout_set_timer`` hook, so pytest-timeout's settings and
markers apply): the timer raises :class:`grader.failures.KitTimeout`, a
``BaseException`` that Hypothesis lets through, and ends a worker whose test does not
unwind.

The tests run here, in the grading process's own test runner, which never imports
the learner's module: each probe a test calls goes to the sandboxed probe worker
(grader/grading/probe_worker.py) through :class:`grader.probing.Remote`, and comes back as
data. The verdicts, the messages and Hypothesis live here. A probe worker that dies
during a test ends this runner without that test's result (the parent names the
worker's exit); one still busy with a probe that ran out of time ends it after the
result (the parent starts a fresh pair for the tests left).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from .. import failures
from ..failures import KitTimeout, learner_frame, points_of, timeout_message
from ..protocol import (
    EXIT_HUNG,
    EXIT_PROBE_BUSY,
    EXIT_PROBE_LOST,
    MESSAGE_LIMIT,
    VISIBILITIES,
    Event,
    TestStatus,
    clean,
    encode_event,
)

# After the per-test timer fired, how long the test may take to unwind before the
# worker gives up on it and exits (the parent then resumes with the next test).
UNWIND_GRACE_S = 5.0


def test_key(item: pytest.Item) -> str:
    """A test's identity, the same in collection and in every worker.

    Node IDs of files outside the rootdir lose their path (``::test_x``), so the key
    is the resolved file path plus the node ID's part after the file.
    """
    suffix = item.nodeid.split("::", 1)[1] if "::" in item.nodeid else item.name
    return f"{Path(str(item.path)).resolve()}::{suffix}"


def visibility_of(item: pytest.Item) -> str:
    marker = item.get_closest_marker("visibility")
    if marker is None:
        return "visible"
    value = marker.args[0] if marker.args else marker.kwargs.get("visibility", "")
    if value not in VISIBILITIES:
        raise ValueError(
            f"{item.nodeid}: visibility must be one of {', '.join(VISIBILITIES)}, not {value!r}"
        )
    return value


class Channel:
    """JSON lines to the parent over an inherited socket, each tagged with a token.

    The parent writes one byte down it: the go for a staged worker (:meth:`wait`).
    """

    def __init__(self, fd: int, token: str) -> None:
        self.fd = fd
        self.token = token

    def send(self, kind: Event, **fields) -> None:
        """One event (grader/protocol.py :func:`encode_event`, read by the parent's
        :func:`grader.protocol.parse_event`)."""
        data = encode_event(kind, self.token, **fields)
        while data:
            try:
                written = os.write(self.fd, data)
            except InterruptedError:  # pragma: no cover - PEP 475 retries already
                continue
            except OSError:  # the parent is gone: nothing left to tell
                return
            data = data[written:]

    def wait(self) -> bool:
        """Block until the parent lets this worker go on (a "g"); False: it never will."""
        try:
            return os.read(self.fd, 1) == b"g"
        except OSError:
            return False


class GradingPlugin:
    def __init__(
        self,
        channel: Channel,
        mode: str,
        keys: list[str] | None = None,
        module: str | None = None,
        lang: str = "en",
        timeout: float = 0.0,
        remote=None,
        gate: bool = False,
    ) -> None:
        self.channel = channel
        self.mode = mode
        self.keys = set(keys) if keys is not None else None
        self.module = module
        self.lang = lang
        self.timeout = timeout
        self.visibility: dict[str, str] = {}
        self.current: dict | None = None
        # The probe worker's client (grader/probing.py): run mode only.
        self.remote = remote
        # Staged (grader/grading/runner.py): made ready, wait for the parent's go before the
        # module is imported.
        self.gate = gate
        self.results_sent = 0

    @pytest.hookimpl(tryfirst=True)
    def pytest_configure(self, config: pytest.Config) -> None:
        failures.mark_grading(config)  # the kit's plugin leaves the timer and more to us

    # ------------------------------------------------------------------ collection

    def pytest_collectreport(self, report: pytest.CollectReport) -> None:
        if report.failed:
            self.channel.send(
                Event.COLLECT_ERROR, file=str(report.fspath), message=clean(report.longreprtext)
            )

    @pytest.hookimpl(trylast=True)
    def pytest_collection_modifyitems(
        self, session: pytest.Session, config: pytest.Config, items: list[pytest.Item]
    ) -> None:
        if self.keys is not None:
            keep = [item for item in items if test_key(item) in self.keys]
            dropped = [item for item in items if test_key(item) not in self.keys]
            if dropped:
                config.hook.pytest_deselected(items=dropped)
            items[:] = keep
        for item in items:
            try:
                visibility = visibility_of(item)
            except ValueError as exc:
                self.channel.send(Event.COLLECT_ERROR, file=str(item.path), message=clean(exc))
                continue
            self.visibility[test_key(item)] = visibility
            if self.mode == "collect":
                self.channel.send(
                    Event.TEST,
                    key=test_key(item),
                    file=str(Path(str(item.path)).resolve()),
                    name=item.nodeid.split("::", 1)[-1],
                    points=points_of(item),
                    visibility=visibility,
                )

    # ------------------------------------------------------------------ running

    def pytest_collection_finish(self, session: pytest.Session) -> None:
        """Have the probe worker import the module once, before any test, under its own
        timer: a module that kills or hangs its worker on import (every test lost, no
        point in restarting) is told from a test that does."""
        if self.mode != "run" or not self.module or not session.items or self.remote is None:
            return
        from .. import probing, testing

        if self.gate:
            # Set up and collected while another module's tests ran: wait for a free
            # slot. Nothing of the module has run yet.
            self.channel.send(Event.READY)
            if not self.channel.wait():
                os._exit(0)
        self.channel.send(Event.IMPORTING)
        cancel = failures.start_timer(max(self.timeout, 0.0))  # 0: no timer
        try:
            failure = self.remote.import_module()
        except KitTimeout:
            self.channel.send(Event.IMPORT_TIMEOUT)
            os._exit(EXIT_HUNG)
        except probing.ProbeLost:
            os._exit(EXIT_PROBE_LOST)  # still "importing": every test is lost
        finally:
            cancel()
        testing.set_remote(self.module, failure if failure is not None else self.remote.facts)
        self.channel.send(Event.IMPORTED)

    @pytest.hookimpl(wrapper=True, tryfirst=True)
    def pytest_runtest_protocol(self, item: pytest.Item, nextitem):
        key = test_key(item)
        self.current = {"key": key, "status": None, "message": ""}
        self.channel.send(Event.START, key=key)
        try:
            return (yield)
        finally:
            state, self.current = self.current, None
            remote = self.remote
            if remote is not None and remote.lost:
                os._exit(EXIT_PROBE_LOST)  # no result: the parent names the worker's end
            self.channel.send(
                Event.RESULT,
                key=key,
                status=state["status"] or TestStatus.ERROR,
                message=clean(state["message"] or ("" if state["status"] else "no outcome")),
            )
            self.results_sent += 1
            if remote is not None and (remote.busy or remote.refused):
                # Still busy with a probe that ran out of time, or no longer trusted to
                # be in step: a fresh pair takes the tests left.
                os._exit(EXIT_PROBE_BUSY)

    @pytest.hookimpl(wrapper=True, tryfirst=True)
    def pytest_runtest_makereport(self, item: pytest.Item, call: pytest.CallInfo):
        report = yield  # outermost: the kit plugin's friendlier longrepr is already in
        state = self.current
        if state is None:
            return report
        hidden = self.visibility.get(state["key"], "visible") != "visible"
        if report.skipped:
            if state["status"] in (None, TestStatus.PASSED):
                state["status"] = TestStatus.SKIPPED
                state["message"] = _skip_reason(report)
        elif report.failed:
            if state.get("timed_out"):  # whatever the timer's exception turned into
                if state["status"] != TestStatus.TIMEOUT:
                    state["status"] = TestStatus.TIMEOUT
                    state["message"] = self._timeout_message(state["timed_out"], call.excinfo)
            elif call.when == "call":
                timeout = call.excinfo is not None and call.excinfo.errisinstance(KitTimeout)
                state["status"] = TestStatus.TIMEOUT if timeout else TestStatus.FAILED
            elif state["status"] in (None, TestStatus.PASSED):
                state["status"] = TestStatus.ERROR
            if not state["message"]:
                state["message"] = self._failure_message(report, call, hidden)
        elif call.when == "call":
            if hasattr(report, "wasxfail"):  # an unexpected pass of an xfail: not a pass
                state["status"] = TestStatus.FAILED
                state["message"] = "passed although marked xfail"
            elif call.excinfo is not None:  # pytest's report says passed, yet it raised
                state["status"] = TestStatus.FAILED
                state["message"] = "the test raised, but its report said it passed"
            else:
                state["status"] = TestStatus.PASSED
        return report

    def _failure_message(self, report, call: pytest.CallInfo, hidden: bool) -> str:
        where = f" ({call.when})" if call.when != "call" else ""
        try:
            return self._describe_failure(report, call, hidden, where)
        except Exception:  # the exception's own __str__ or __repr__ failed
            typename = getattr(call.excinfo, "typename", "an exception")
            return f"{typename} (its message could not be read)" + where

    def _describe_failure(self, report, call: pytest.CallInfo, hidden: bool, where: str) -> str:
        head = ""
        if isinstance(report.longrepr, str):
            if not hidden:
                return report.longrepr + where
            # A hidden test's report keeps the kit's lines above the traceback (its
            # diagnosis), never the traceback, which quotes the test's code.
            head = getattr(report, "kit_head", "")
            head = f"{head}\n\n" if head else ""
        excinfo = call.excinfo
        if excinfo is None:
            return "failed" + where
        if excinfo.errisinstance(KitTimeout):
            return self._timeout_message(excinfo.value.seconds, excinfo)
        value = excinfo.value
        text = clean(str(value), limit=4 * MESSAGE_LIMIT)
        if excinfo.errisinstance(pytest.fail.Exception):  # the kit's own sentences
            return text + where
        if hidden:
            # Never show a hidden test's code: pytest's assertion rewriting puts the
            # assert expression into the message; keep only an explicit message.
            lines = text.splitlines()
            kept = []
            for line in lines:
                if line.startswith(("assert ", "where ", "+", "-", " ")):
                    break
                kept.append(line)
            text = "\n".join(kept)
            return head + (f"{excinfo.typename}: {text}" if text else excinfo.typename)
        notes = getattr(value, "__notes__", None) or []
        message = f"{excinfo.typename}: {text}" if text else excinfo.typename
        notes = [n for n in notes if not n.startswith("You can reproduce")]
        if notes:
            message += "\n" + "\n".join(str(n) for n in notes)
        frame = learner_frame(excinfo)  # as the probe worker reported it
        if frame:
            message += f"\n  at {frame}"
        return message + where

    def _timeout_message(self, seconds: float, excinfo) -> str:
        return timeout_message(seconds, self.lang, learner_frame(excinfo))

    # ------------------------------------------------------------------ the timer

    @pytest.hookimpl(tryfirst=True)
    def pytest_timeout_set_timer(self, item: pytest.Item, settings) -> bool:
        seconds = float(settings.timeout)
        key = test_key(item)

        def give_up():  # the test swallowed KitTimeout: leave
            if self.current is not None and self.current["key"] == key:
                self.channel.send(
                    Event.RESULT,
                    key=key,
                    status=TestStatus.TIMEOUT,
                    message=clean(timeout_message(seconds, self.lang)),
                )
            os._exit(EXIT_HUNG)

        def expired():
            if self.current is not None and self.current["key"] == key:
                self.current["timed_out"] = seconds

        failures.set_timer(item, seconds, expired=expired, grace=UNWIND_GRACE_S, stuck=give_up)
        return True

    @pytest.hookimpl(tryfirst=True)
    def pytest_timeout_cancel_timer(self, item: pytest.Item) -> bool:
        failures.cancel_timer(item)
        return True

    # ------------------------------------------------------------------ the end

    def pytest_sessionfinish(self, session: pytest.Session, exitstatus) -> None:
        if self.mode == "run" and self.remote is not None and self.remote.import_error:
            self.channel.send(Event.IMPORT_ERROR, message=clean(self.remote.import_error))
        self.channel.send(Event.DONE, exit=int(exitstatus), results=self.results_sent)
        if self.mode == "run":
            # Every result is with the parent: pytest's summary and unconfigure (five
            # garbage collections) would only keep it waiting, 20 ms per module.
            sys.stdout.flush()
            sys.stderr.flush()
            os._exit(int(exitstatus) & 0xFF)


def _skip_reason(report) -> str:
    if hasattr(report, "wasxfail"):
        return "xfailed" + (f": {report.wasxfail}" if report.wasxfail else "")
    longrepr = report.longrepr
    if isinstance(longrepr, tuple) and len(longrepr) == 3:
        return "skipped: " + str(longrepr[2]).removeprefix("Skipped: ")
    return "skipped"
