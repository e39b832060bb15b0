"""The kit's pytest plugin: options, markers, reproducible randomness, learner-friendly failures.

Loaded by ``exercises/conftest.py`` for learners and with ``-p grader.plugin`` by the
grader. Hooks only; the helpers tests call live in :mod:`grader.testing`.
"""

from __future__ import annotations

import gc
import shutil
import signal
import tempfile
import zlib
from pathlib import Path

import pytest
import torch
from hypothesis import register_random, settings

from . import causes, diagnoses, failures, lazy_torch, profiles, progress, testing
from .catalog import BY_NAME, module_of_test_file
from .i18n import current_lang, t


class _TorchRandom:
    """Lets Hypothesis seed and restore torch's global generator around every example."""

    def seed(self, n: int) -> None:
        # The CPU generator directly: ``torch.manual_seed`` also queues a lazy seeding of
        # CUDA, XPU and MTIA with a formatted stack trace each, once per example (about
        # a third of some tests' time); those are seeded only where CUDA is in use.
        torch.default_generator.manual_seed(n % 2**63)
        if torch.cuda.is_initialized():
            torch.cuda.manual_seed_all(n % 2**63)

    def getstate(self):
        return torch.get_rng_state()

    def setstate(self, state) -> None:
        torch.set_rng_state(state)


# Speed: torch imports its compiler on the first optimiser step, and sympy on the first
# "meta" operation, for nothing here (grader/lazy_torch.py).
lazy_torch.install()

# Speed: ``torch.testing.assert_close`` imports ``torch.distributed.tensor`` (half a
# second) on its first call, only to unwrap DTensors, which no exercise makes.
if getattr(torch.testing._comparison, "_HAS_DTENSOR", None) is True:
    torch.testing._comparison._HAS_DTENSOR = False

# Speed: move everything imported so far (torch, Hypothesis, pytest: a million
# objects) out of the cyclic garbage collector's sight. Every full collection, the
# automatic ones while Hypothesis allocates, register_random's own and the five
# pytest runs at exit, would otherwise walk torch's whole heap: about 1.5 s of a
# 5 s `pytest exercises/05_layers`. Objects created later are collected as usual.
gc.freeze()

# Hypothesis keeps only a weak reference: this module-level name keeps it alive.
# (The list, created after the freeze above, is what register_random's check that
# something refers to the object finds: frozen containers are invisible to it.)
_TORCH_RANDOM = _TorchRandom()
_KEEP_ALIVE = [_TORCH_RANDOM]
register_random(_TORCH_RANDOM)
settings.load_profile(profiles.DEFAULT_PROFILE)


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("kit", "d2l builders' kit")
    group.addoption(
        "--impl",
        metavar="DIR",
        default=None,
        help="folder holding the module files to test (exercises layout or flat), or a "
        "notebook (.ipynb) whose definitions are taken; default: the exercises/ folder",
    )
    group.addoption(
        "--lang",
        default=None,
        help="language of the kit's messages: en or zh (default: $KIT_LANG, else en)",
    )
    group.addoption(
        "--kit-seed",
        type=int,
        default=0,
        help="seed from which every test's torch seed is derived (default 0)",
    )


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "points(n): points the test is worth when graded")
    config.addinivalue_line("markers", "cuda: needs a real CUDA device")
    option = config.getoption("--impl", default=None)
    default = Path(config.rootpath) / "exercises"
    impl_dir = Path(option) if option else default
    if option and impl_dir.is_file() and impl_dir.name.lower().endswith(".ipynb"):
        impl_dir = _from_notebook(config, impl_dir)
    elif option and not impl_dir.is_dir():
        raise pytest.UsageError(f"--impl {option}: no such folder or notebook")
    testing.set_impl_dir(impl_dir)
    config.stash[_LANG] = current_lang(config.getoption("--lang", default=None))
    if getattr(config.option, "tbstyle", None) == "auto":
        # One line per frame, not the source of every function on the way: a failure
        # inside torch would otherwise print a page of torch's own code. --tb=long
        # still gives the full traceback.
        config.option.tbstyle = "short"
    config.stash[_TESTS] = {}
    config.stash[_OUTCOMES] = {}


def _from_notebook(config: pytest.Config, notebook: Path) -> Path:
    """The module files built from ``notebook`` (grader/notebook_source.py), in a
    temporary folder removed when the run ends."""
    from . import notebook_source

    try:
        cells = notebook_source.read_notebook_file(notebook)
    except (OSError, notebook_source.NotebookError) as exc:
        raise pytest.UsageError(f"--impl {notebook}: cannot read it: {exc}") from None
    folder = Path(tempfile.mkdtemp(prefix="kit-notebook-"))
    config.add_cleanup(lambda: shutil.rmtree(folder, ignore_errors=True))
    config.stash[_NOTEBOOK] = notebook_source.write_modules(cells, folder, origin=notebook.name)
    return folder


_NOTEBOOK = pytest.StashKey[dict]()  # module -> notebook_source.ModuleSource
_LANG = pytest.StashKey[str]()
_TESTS = pytest.StashKey[dict]()  # nodeid -> (exercise, points, items)
_OUTCOMES = pytest.StashKey[dict]()  # nodeid -> passed?
_NOT_WRITTEN = pytest.StashKey[set]()  # sentences already shown in full (_said_before)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    tests = config.stash[_TESTS]
    hidden = () if failures.grading(config) else _library_folders()
    for item in items:
        ex = exercise_of(item)
        if ex is not None:
            function = getattr(item, "function", None)
            used = progress.items_used(ex, function) if function else ()
            tests[item.nodeid] = (ex.name, failures.points_of(item), used)
            if hidden and hasattr(item, "_traceback_filter"):
                _hide_library_frames(item, hidden)


def _library_folders() -> tuple[Path, ...]:
    """Folders whose frames a learner's traceback never needs: torch's, Hypothesis's and
    the kit's own."""
    import hypothesis

    return tuple(Path(m.__file__).resolve().parent for m in (torch, hypothesis, testing))


def _hide_library_frames(item: pytest.Item, hidden: tuple[Path, ...]) -> None:
    """Show the test's and the learner's frames only (``--full-trace`` shows all)."""
    original = item._traceback_filter

    def learner_frames(excinfo):
        traceback = original(excinfo)
        if item.config.getoption("fulltrace", False):
            return traceback

        def wanted(entry) -> bool:
            try:
                path = Path(str(entry.path)).resolve()
            except (OSError, ValueError):
                return True
            return not any(path.is_relative_to(h) for h in hidden)

        kept = traceback.filter(wanted)
        return kept if len(kept) else traceback

    item._traceback_filter = learner_frames


def _said_before(item: pytest.Item, sentence: str) -> bool:
    """Whether the learner's terminal already showed ``sentence`` in this run (then a
    short pointer back to it is enough). Never in a grader's worker: each test's
    report there stands alone, on whatever platform shows it."""
    if failures.grading(item.config):
        return False
    shown = item.config.stash.setdefault(_NOT_WRITTEN, set())
    if sentence in shown:
        return True
    shown.add(sentence)
    return False


@pytest.hookimpl(tryfirst=True, optionalhook=True)
def pytest_timeout_set_timer(item: pytest.Item, settings):
    """pytest-timeout's timer, raising KitTimeout (grader/failures.py); in a grading run
    the grader's plugin sets it."""
    if failures.grading(item.config):
        return None
    if settings.method != "signal" or not hasattr(signal, "setitimer"):
        return None
    failures.set_timer(item, settings.timeout)
    return True


@pytest.hookimpl(tryfirst=True, optionalhook=True)
def pytest_timeout_cancel_timer(item: pytest.Item):
    return True if failures.cancel_timer(item) else None


def exercise_of(item: pytest.Item):
    """The exercise a test belongs to, by its file's folder or name, as the grader
    assigns an instructor's private test files (:func:`grader.catalog.module_of_test_file`;
    only the file's own folder is looked at)."""
    path = Path(str(item.fspath))
    return BY_NAME.get(module_of_test_file(Path(path.parent.name, path.name)) or "")


def pytest_runtest_setup(item: pytest.Item) -> None:
    if item.get_closest_marker("cuda") and not torch.cuda.is_available():
        pytest.skip("needs a CUDA device; none is present")


@pytest.fixture(autouse=True)
def kit_reproducible(request: pytest.FixtureRequest):
    """Seed torch per test and undo global torch state a test may change."""
    base = request.config.getoption("--kit-seed", default=0) or 0
    seed = zlib.crc32(request.node.nodeid.encode()) ^ base
    if torch.cuda.is_available():
        torch.manual_seed(seed)  # also seeds CUDA when the test first uses it
    else:  # the CPU generator is all there is: without the three formatted stack
        torch.default_generator.manual_seed(seed)  # traces of CUDA's, XPU's, MTIA's lazy seeding
    dtype = torch.get_default_dtype()
    grad = torch.is_grad_enabled()
    yield
    torch.set_default_dtype(dtype)
    torch.set_grad_enabled(grad)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item: pytest.Item):
    try:
        return (yield)
    finally:
        # Hypothesis would write a patch file with libcst (slow, and confusing for a
        # learner) for every failing example: the failure report says enough.
        item.__dict__.pop("_hypothesis_failing_examples", None)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo):
    report = yield
    ex = exercise_of(item)
    if ex is None or not report.failed:
        return report
    lang = item.config.stash[_LANG]
    excinfo = call.excinfo
    if excinfo is not None and (detail := _unwritten(item, ex, excinfo, lang)):
        # An unwritten stub: one sentence, not a traceback through the test; the same
        # sentence again (the next test of the same item) in a few words.
        if _said_before(item, detail):
            name = detail.split(":", 1)[0]
            report.longrepr = t("not_written", lang, detail=name) + t("as_above", lang)
            return report
        report.longrepr = t("not_written", lang, detail=detail)
    elif excinfo is not None and _is_timeout(excinfo):
        where = _learner_frame(excinfo, item.config)
        report.longrepr = failures.timeout_message(_timeout_of(item), lang, where)
    elif excinfo is not None and (cause := _evident_cause(excinfo, ex, lang)):
        # The exception shows what happened: say that, and nothing else.
        failure = _import_failure(excinfo, ex)
        if failure and _said_before(item, failure):  # the same import failure, test after test
            report.longrepr = f"{ex.filename}: {t('cause_import', lang)}{t('as_above', lang)}"
            return report
        name, sentence = cause
        item.user_properties.append(("diagnosis", name))
        _head(report, [f"{t('diagnosis', lang)}: {sentence}"])
    else:
        # A diagnosis only where the verdict's data showed its signature
        # (grader/diagnoses.py); always the property that failed, in plain words. First,
        # so that the learner reads them before the traceback (and so that they reach
        # every report format, which quotes the failure's text).
        head = []
        for name in diagnoses.named(excinfo.value if excinfo is not None else None):
            sentence = diagnoses.diagnosis(ex.name, name, lang)
            if sentence:
                item.user_properties.append(("diagnosis", name))
                head.append(f"{t('diagnosis', lang)}: {sentence}")
        checked = diagnoses.check(ex.name, getattr(item, "originalname", item.name), lang)
        if checked:
            head.append(f"{t('check', lang)}: {checked}")
        if head:
            _head(report, head)
    read = ex.read_zh if lang == "zh" else ex.read_en
    report.sections.append((t("read_on", lang), read))
    return report


def _head(report: pytest.TestReport, lines: list[str]) -> None:
    """Put the kit's ``lines`` (a diagnosis, what failed) above the failure's traceback,
    and keep them apart as ``report.kit_head``: a grading worker reports a hidden test
    with them but without the traceback, which quotes the test's code."""
    report.kit_head = "\n".join(lines)
    report.longrepr = f"{report.kit_head}\n\n{report.longreprtext}"


def _is_timeout(excinfo) -> bool:
    if excinfo.errisinstance(failures.KitTimeout):
        return True
    return excinfo.errisinstance(pytest.fail.Exception) and "pytest-timeout" in str(excinfo.value)


def _unwritten(item: pytest.Item, ex, excinfo, lang: str) -> str | None:
    """What is not written yet, when that is why the test failed: a stub's
    NotImplementedError, or a class the test uses whose ``__init__`` is still empty."""
    unwritten = testing.module_facts(ex.name)["unwritten_init"]
    found = item.config.stash[_TESTS].get(item.nodeid)
    used = [name for name in (found[2] if found else ()) if name in unwritten]
    if excinfo.errisinstance(NotImplementedError):
        text = str(excinfo.value)
        # A stub's method of a class whose __init__ is still empty: __init__ comes first.
        for name in used:
            if text.startswith(f"{name}."):
                return t("init_todo", lang, cls=name)
        return text
    return t("init_todo", lang, cls=used[0]) if used else None


def _import_failure(excinfo, ex) -> str | None:
    """Why ``ex``'s module could not be imported, when that is why the test failed."""
    if not excinfo.errisinstance(pytest.fail.Exception):
        return None
    return testing.import_failure(testing.impl_dir(), ex.name)


def _evident_cause(excinfo, ex, lang: str) -> tuple[str, str] | None:
    """(name, sentence) from the exception itself (grader/causes.py), for the module of
    ``ex``."""
    failure = _import_failure(excinfo, ex)
    if failure:
        if "No module named 'd2l'" in failure:
            return "cause_d2l", t("cause_d2l", lang)
        return "cause_import", t("cause_import", lang)  # the sentence below says why
    classes = set(testing.module_facts(ex.name)["classes"])
    return causes.evident_cause(excinfo, testing.impl_dir(), classes, lang)


def _timeout_of(item: pytest.Item) -> float:
    marker = item.get_closest_marker("timeout")
    if marker and marker.args:
        return float(marker.args[0])
    try:
        return float(item.config.getini("timeout") or 0)
    except (ValueError, KeyError):
        return 0.0


def _learner_frame(excinfo, config: pytest.Config) -> str:
    """The failure's innermost frame in the code under test (grader/failures.py), in
    its notebook's cells when the code came from one."""
    notebook = config.stash.get(_NOTEBOOK, {})
    return failures.learner_frame(excinfo, testing.impl_dir(), notebook)


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    outcomes = _CONFIG_OUTCOMES.get("current")
    if outcomes is None or (report.when != "call" and not report.failed and not report.skipped):
        return
    if report.skipped and not report.failed:
        # Skipped (a CUDA check without a GPU): it did not run, so it counts for nothing.
        outcomes[report.nodeid] = None
    elif outcomes.get(report.nodeid, True) is not None:
        # A test counts as passed only if its call passed (setup/teardown failures fail it).
        outcomes[report.nodeid] = outcomes.get(report.nodeid, True) and report.passed


_CONFIG_OUTCOMES: dict = {}


def _own_kit(config: pytest.Config) -> Path | None:
    """The root of the learner's kit when this run tests its own ``exercises/`` (not an
    ``--impl`` elsewhere, not a grader's worker): where their progress is kept."""
    kit = Path(config.rootpath) / "exercises"
    if failures.grading(config) or testing.impl_dir() != kit.resolve():
        return None
    return kit.parent


def pytest_report_header(config: pytest.Config) -> list[str]:
    """A learner's first line: where to start, or go on (from the progress kept so far)."""
    root = _own_kit(config)
    line = progress.start_here(progress.load(root), config.stash[_LANG]) if root else None
    return [line] if line else []


@pytest.hookimpl(trylast=True)
def pytest_sessionstart(session: pytest.Session) -> None:
    _CONFIG_OUTCOMES["current"] = session.config.stash[_OUTCOMES]
    config = session.config
    reporter = config.pluginmanager.get_plugin("terminalreporter")
    if reporter is not None and config.getoption("verbose") >= -1:
        if config.option.reportchars == "fE":  # pytest's default, not the learner's -r
            # The progress table at the end sums the failures up: a line per failed
            # test on top of it only buries it.
            reporter.reportchars = reporter.reportchars.replace("f", "").replace("E", "")


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_terminal_summary(terminalreporter, exitstatus, config: pytest.Config):
    yield  # after pytest's own summary, just above its final line
    if config.getoption("verbose") < -1:  # -qq: the learner asked for silence
        return
    tests, outcomes = config.stash[_TESTS], config.stash[_OUTCOMES]
    ran = [
        progress.TestOutcome(ex, bool(outcomes.get(nodeid)), pts, used)
        for nodeid, (ex, pts, used) in tests.items()
        if outcomes.get(nodeid, None) is not None
    ]
    rows = progress.summarize(ran)
    if not rows:
        return
    lang = config.stash[_LANG]
    colours = {"done": {"green": True}, "progress": {"yellow": True}, "new": {"red": True}}

    def markup(text: str, state: str) -> str:
        return terminalreporter._tw.markup(text, **colours[state])

    root = _own_kit(config)
    kept = progress.save(root, rows) if root else None
    terminalreporter.section(t("progress_title", lang), sep="=")
    for line in progress.render(rows, lang, markup=markup, kept=kept):
        terminalreporter.write_line(line)
