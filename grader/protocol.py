"""What a worker and the grading parent agree on, without pytest.

The parent (grader/grading/runner.py, grader/grading/report.py) needs these before it
starts the fork server; taking them from grader/grading/report_plugin.py would import
pytest first (80 ms on the way to the first worker).
"""

from __future__ import annotations

import json
import re
import sys
from dataclasses import asdict, dataclass, fields
from enum import Enum
from pathlib import Path
from typing import Any, TypeVar

VISIBILITIES = ("visible", "hidden", "after_due_date")
MESSAGE_LIMIT = 2000
EXIT_HUNG = 75  # a worker's exit status when the module under test hung on import


def read_spec(argv: list[str], program: str, kind: type[_Spec]) -> _Spec | None:
    """A worker's spec file (``python -I -m PROGRAM SPEC.json``), read, then deleted:
    the code under test has no business reading it. ``kind``: :class:`WorkerSpec`
    (the test runner) or :class:`ProbeSpec` (the probe worker). None (and a usage
    line) if the command line is not one spec file."""
    if len(argv) != 1:
        print(f"usage: python -I -m {program} SPEC.json", file=sys.stderr)
        return None
    path = Path(argv[0])
    text = path.read_text()
    path.unlink()
    return kind.from_json(text)


# Written out in the record style: C0 and C1 controls but tab and newline, DEL, and the
# bidirectional embeddings, overrides and isolates (they reorder what a reader sees).
_WRITTEN_OUT = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
# Removed whole in the display style: ANSI escape sequences: CSI (ESC [ ... final), OSC
# (ESC ] ... BEL or ESC \), other two-character escapes, and the 8-bit CSI.
_ANSI = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]"
    r"|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?"
    r"|\x1b[@-Z\\-_]"
    r"|\x9b[0-?]*[ -/]*[@-~]"
)
# Replaced by U+FFFD in the display style: C0 and C1 controls but tab and newline, DEL,
# lone surrogates, and the two non-characters XML forbids.
_UNSHOWABLE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


def clean(text: object, limit: int | None = MESSAGE_LIMIT, *, display: bool = False) -> str:
    """``text`` safe to keep and to show, at most ``limit`` characters long (None: no limit).

    A 10 MB message costs no more than a short one: it is cut before it is cleaned.
    None is the empty text; an object whose ``__str__`` fails gets a sentence saying so.
    Two styles, on purpose:

    * the record (the default): what a worker tells its parent and what the grader's
      report keeps (grader/grading/report_plugin.py, grader/grading/worker.py,
      grader/grading/runner.py, grader/grading/report.py). Nothing is lost: every
      control character (the ESC of an ANSI escape included) and bidirectional
      override is written out (``\\x1b``), so the report shows what the code under
      test wrote, and none of it can act on a terminal or reorder the text. A cut ends
      in `` ... (truncated)``.
    * ``display=True``: text for a learner's screen, a JSON file or XML (the renderers,
      through ``grader.formats._common.clean``). ANSI escape sequences are removed whole;
      ``\\r\\n`` and a lone ``\\r`` become ``\\n``; other control characters, lone
      surrogates and U+FFFE/U+FFFF (which XML refuses) become U+FFFD. A cut says how
      many characters it left out (:func:`truncate`).
    """
    if text is None:
        return ""
    try:
        text = str.__str__(text) if isinstance(text, str) else str(text)
    except Exception:  # an object whose __str__ fails
        text = "(a message that could not be turned into text)"
    length = len(text)
    cut = limit is not None and length > 4 * limit + 64
    if cut:
        text = text[: 4 * limit + 64]
    if display:
        text = _ANSI.sub("", text).replace("\r\n", "\n").replace("\r", "\n")
        text = _UNSHOWABLE.sub("\ufffd", text)
        return text if limit is None else truncate(text, limit, length if cut else None)
    text = _WRITTEN_OUT.sub(lambda m: f"\\x{ord(m.group()):02x}", text)
    if limit is not None and (cut or len(text) > limit):
        text = text[: limit - 16] + " ... (truncated)"
    return text


def truncate(text: str, limit: int, length: int | None = None) -> str:
    """``text`` cut to at most ``limit`` characters, saying how much was left out
    (of ``length`` characters, when ``text`` is already a cut of a longer text)."""
    length = max(length or 0, len(text))
    if length <= limit:
        return text

    def note(n: int) -> str:
        return f"\n... [truncated: {n:,} more characters]"

    room = limit - len(note(length))  # the longest the note can be
    if room <= 0:
        return text[:limit]
    return text[:room] + note(length - room)


# The test runner's exit statuses when its probe worker (grader/grading/probe_worker.py) cannot
# go on: it died during a probe (the runner then names the worker's own exit), or it
# is still busy with a probe that ran out of time (a fresh pair takes the next tests),
# or it ended before it said hello: before the module was imported, so no code of the
# module ran, and the grader starts a fresh pair for the same tests.
EXIT_PROBE_LOST = 76
EXIT_PROBE_BUSY = 77
EXIT_PROBE_UNBORN = 78


# ---------------------------------------------------------------- statuses and events


class _Text(str, Enum):
    """A str enum whose members are their value wherever text is made of them: json,
    ``str()``, f-strings and ``format()`` all give ``passed``, never
    ``TestStatus.PASSED``; a member compares and hashes as its value."""

    __test__ = False  # TestStatus is not a pytest test class

    def __str__(self) -> str:
        return str.__str__(self)

    def __format__(self, spec: str) -> str:
        return format(str.__str__(self), spec)

    @classmethod
    def of(cls: type[_T], value: object) -> _T | None:
        """The member whose value is ``value``, or None (whatever ``value`` is)."""
        return cls._value2member_map_.get(value) if isinstance(value, str) else None


_T = TypeVar("_T", bound=_Text)


class TestStatus(_Text):
    """A test's status: what its test runner reports (grader/grading/report_plugin.py),
    what the parent accepts (grader/grading/runner.py) and what the report says
    (grader/grading/report.py)."""

    PASSED = "passed"
    FAILED = "failed"
    ERROR = "error"
    TIMEOUT = "timeout"
    SKIPPED = "skipped"


class ExerciseStatus(_Text):
    """A module's status in the report (grader/grading/report.py)."""

    PASSED = "passed"  # every test that counts passed
    FAILED = "failed"
    ERROR = "error"  # it could not be imported, or broke the grader's rules
    TIMEOUT = "timeout"
    CRASHED = "crashed"  # its worker died
    MISSING = "missing"  # no module file in the submission
    REJECTED = "rejected"  # a module file the grader would not take (grader/grading/submission.py)


class Event(_Text):
    """The kind (``"ev"``) of an event a test runner sends its parent."""

    # grader/grading/worker.py
    HELLO = "hello"  # started: torch's version, its pid, its probe worker's sandbox layers
    VIOLATION = "violation"  # the probe worker's sandbox denied an action: the module scores 0
    # grader/grading/report_plugin.py, collect mode
    TEST = "test"  # one test: key, file, name, points, visibility
    COLLECT_ERROR = "collect_error"  # a test file that could not be collected
    # grader/grading/report_plugin.py, run mode
    READY = "ready"  # staged: set up and collected, waiting for the parent's go
    IMPORTING = "importing"  # the probe worker imports the module (under the test timer)
    IMPORTED = "imported"
    IMPORT_TIMEOUT = "import_timeout"  # the import ran past the time limit
    START = "start"  # a test starts: key
    RESULT = "result"  # a test's outcome: key, status (a TestStatus), message
    IMPORT_ERROR = "import_error"  # the module could not be imported: message
    DONE = "done"  # the session ended (both modes): exit status, results sent


def encode_event(kind: Event, token: str, **fields: Any) -> bytes:
    """One event as a worker writes it: a JSON line (ASCII), tagged with the job's token."""
    event = {"ev": Event(kind).value, **fields, "t": token}
    return (json.dumps(event, ensure_ascii=True) + "\n").encode()


def parse_event(line: bytes, token: str) -> dict[str, Any] | None:
    """An event a worker sent, its ``"ev"`` an :class:`Event`; None for a line that is
    not one: not JSON, not a JSON object, not tagged with this job's token, or of a kind
    no worker sends. Its other fields are as sent: each handler checks what it reads."""
    try:
        event = json.loads(line)
    except ValueError:
        return None
    if not isinstance(event, dict) or event.pop("t", None) != token:
        return None
    kind = Event.of(event.get("ev"))
    if kind is None:
        return None
    event["ev"] = kind
    return event


# ---------------------------------------------------------------- the workers' specs


class _JsonSpec:
    """The JSON codec of a spec dataclass: every field by its name; a field unknown or
    missing is refused (the parent and the workers are the same grader)."""

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    def to_json(self) -> str:
        return json.dumps(self.to_dict())

    @classmethod
    def from_dict(cls: type[_Spec], data: object) -> _Spec:
        if not isinstance(data, dict):
            raise ValueError(f"a {cls.__name__} is a JSON object, not {type(data).__name__}")
        unknown = sorted(set(data) - {f.name for f in fields(cls)})
        if unknown:
            raise ValueError(f"{cls.__name__}: unknown fields {', '.join(map(str, unknown))}")
        try:
            return cls(**data)
        except TypeError as exc:  # a field missing
            raise ValueError(f"{cls.__name__}: {exc}") from None

    @classmethod
    def from_json(cls: type[_Spec], text: str | bytes) -> _Spec:
        return cls.from_dict(json.loads(text))


_Spec = TypeVar("_Spec", bound=_JsonSpec)

WORKER_MODES = ("collect", "run")


@dataclass
class WorkerSpec(_JsonSpec):
    """What one test runner (``python -I -m grader.grading.worker SPEC.json``) is to do.

    grader/grading/collect.py (collect mode) and grader/grading/runner.py
    :func:`run_module` (run mode) make one; :func:`grader.grading.runner.launch` fills in
    the channel's fields and writes it into the runner's scratch folder; the fork
    server's warm-up makes one to collect the tests the same way (grader/forkserver.py).
    """

    mode: str  # "collect": report each test; "run": run ``keys``
    files: list[str]  # the test files
    rootdir: str  # the kit: pytest's rootdir
    impl: str  # --impl (the runner's own folder: the module is never in it)
    basetemp: str  # pytest's --basetemp
    seed: int = 0  # --kit-seed and Hypothesis' seed
    timeout: float = 60.0  # per test, seconds
    lang: str = "en"
    module: str | None = None  # run: the module under test
    keys: list[str] | None = None  # run: the tests to run, in this order (None: every one)
    cpu: int = 0  # run: CPU seconds for the probe worker's limit (0: none given)
    # Filled in by grader.grading.runner.launch:
    fd: int = -1  # the runner's end of the events socket
    token: str = ""  # tags every event (grader/grading/report_plugin.py, Channel)
    gate: bool = False  # staged: say "ready", then wait for the go before the import
    probe_fd: int | None = None  # run: the socket to its probe worker
    magic: str = ""  # run: the probe codec's magic, in hex
    startup: float = 120.0  # run: seconds the probe worker may take to say hello

    def __post_init__(self) -> None:
        if self.mode not in WORKER_MODES:
            raise ValueError(f"WorkerSpec: mode {self.mode!r} is not one of {WORKER_MODES}")
        self.files = [str(f) for f in self.files]
        if self.keys is not None:
            self.keys = [str(k) for k in self.keys]


@dataclass
class ProbeSpec(_JsonSpec):
    """What one probe worker (``python -I -m grader.grading.probe_worker SPEC.json``) is to do;
    grader/grading/runner.py writes it into the probe worker's scratch folder."""

    fd: int  # its end of the socket to its test runner
    magic: str  # the probe codec's magic, in hex
    module: str  # the module under test
    path: str | None  # the module's file (in the probe worker's impl/ folder)
    probes: list[list[str]]  # [test file, its probe source] of each test file
    timeout: float  # per test, seconds
    sandbox: dict[str, Any] | None = None  # grader.isolation.sandbox.Policy.to_spec(); None: none

    def __post_init__(self) -> None:
        self.probes = [[str(file), str(source)] for file, source in self.probes]
