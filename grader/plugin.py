"""The kit's pytest plugin: options, markers, reproducible randomness, learner-friendly failures.

Loaded by ``exercises/conftest.py`` for learners and with ``-p grader.plugin`` by the
grader. Hooks only; the helpers tests call live in :mod:`grader.testing`.
"""

from __future__ import annotations

import zlib
from pathlib import Path

import pytest
import torch
from hypothesis import register_random, settings

from . import profiles, testing
from .catalog import BY_NAME


class _TorchRandom:
    """Lets Hypothesis seed and restore torch's global generator around every example."""

    def seed(self, n: int) -> None:
        torch.manual_seed(n % 2**63)

    def getstate(self):
        return torch.get_rng_state()

    def setstate(self, state) -> None:
        torch.set_rng_state(state)


# Hypothesis keeps only a weak reference: this module-level name keeps it alive.
_TORCH_RANDOM = _TorchRandom()
register_random(_TORCH_RANDOM)
settings.load_profile(profiles.DEFAULT_PROFILE)


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("kit", "d2l builders' kit")
    group.addoption(
        "--impl",
        metavar="DIR",
        default=None,
        help="folder holding the module files to test (exercises layout or flat); "
        "default: the exercises/ folder",
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
    if option and not impl_dir.is_dir():
        raise pytest.UsageError(f"--impl {option}: no such folder")
    testing.set_impl_dir(impl_dir)


def exercise_of(item: pytest.Item):
    """The exercise a test belongs to, from its file name ``test_<module>.py``."""
    stem = Path(str(item.fspath)).stem
    return BY_NAME.get(stem.removeprefix("test_"))


def pytest_runtest_setup(item: pytest.Item) -> None:
    if item.get_closest_marker("cuda") and not torch.cuda.is_available():
        pytest.skip("needs a CUDA device; none is present")


@pytest.fixture(autouse=True)
def kit_reproducible(request: pytest.FixtureRequest):
    """Seed torch per test and undo global torch state a test may change."""
    base = request.config.getoption("--kit-seed", default=0) or 0
    torch.manual_seed(zlib.crc32(request.node.nodeid.encode()) ^ base)
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
    excinfo = call.excinfo
    if excinfo is not None and excinfo.errisinstance(NotImplementedError):
        # An unwritten stub: one sentence, not a traceback through the test.
        report.longrepr = f"not written yet: {excinfo.value}"
    report.sections.append(("read on", f"{ex.read_en}\n{ex.read_zh}"))
    return report
