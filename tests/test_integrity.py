"""Hostile and broken submissions cannot crash the grader, stall it, or earn points.

One test per row of the catalogue of hostile submissions (docs/grader.md, "What the grader
guarantees and what it cannot"). The hostile modules live in ``tests/hostile/``: each
is appended to a small honest module (``honest_layers.py``), so that what the
hostile module earns can be compared, test by test, with what its honest tests earn.

To stay fast, the submissions are graded against a tiny kit (two modules, a handful
of tests) in three grading runs, shared by the tests below:

* ``run_a``: the command line, once, with every quick hostile submission (each a
  hostile ``layers.py`` beside an honest ``sharing.py``), tight limits
  and a check of the machine before and after (files, processes, memory);
* ``run_b``: the rows that hang, with short limits (in-process, to shorten the
  parent's grace period);
* ``run_real``: the tampering rows against the kit's real tests and solutions.

Every verdict is decided in the grading process, which never imports the module: a
module that patches torch, pytest or Hypothesis, or returns objects that agree with
everything, changes only its own process, and scores what its functions earn.

Every run asserts the five guarantees: the hostile module scores only what its honest
tests earn (0 with a plain-words reason when its sandbox denied an action), every
other module keeps its full score, grading completes within its limits with a
complete report, no process outlives it, no file outside the scratch folders
changes.
"""

from __future__ import annotations

import dataclasses
import hashlib
import io
import json
import os
import shutil
import site
import subprocess
import sys
import tarfile
import tempfile
import textwrap
import threading
import time
import xml.etree.ElementTree as ElementTree
import zipfile
from pathlib import Path

import pytest

from grader.cli import FORMATS, render
from grader.grading import engine, runner
from grader.grading.report import validate
from grader.grading.submission import open_submission
from grader.isolation import reaper, sandbox

pytestmark = pytest.mark.timeout(600)

ROOT = Path(__file__).resolve().parent.parent
HOSTILE = Path(__file__).resolve().parent / "hostile"
HONEST_LAYERS = (HOSTILE / "honest_layers.py").read_text()
HONEST_SHARING = "def answer():\n    return 42\n"
MARK = "HOSTILE-7f3a"

LAYERS_TESTS = """
import math

import pytest
import torch
from hypothesis import given
from hypothesis import strategies as st

from grader.probing import probes

probe = probes("layers")


@probe
def doubled(layers, x):
    return layers.double(x)


@probe
def mean_of(layers, values):
    return float(layers.mean(values))


@probe
def acted(layers):
    layers.act()


@probe
def counted(layers):
    return int(layers.count())


@pytest.mark.points(1)
def test_double_allclose():
    x = torch.arange(4.0)
    assert torch.allclose(doubled(x), 2 * x)


@pytest.mark.points(1)
def test_double_equal():
    assert torch.equal(doubled(torch.ones(3)), torch.full((3,), 2.0))


@pytest.mark.points(1)
def test_double_assert_close():
    torch.testing.assert_close(doubled(torch.ones(2)), torch.full((2,), 2.0))


@pytest.mark.points(1)
def test_double_eq():
    assert bool((doubled(torch.ones(2)) == torch.full((2,), 2.0)).all())


@pytest.mark.points(1)
def test_mean_isclose():
    assert math.isclose(mean_of([1.0, 2.0]), 1.5)


@pytest.mark.points(1)
@given(st.integers(1, 100))
def test_double_property(n):
    assert torch.equal(doubled(torch.tensor([n])), torch.tensor([2 * n]))


@pytest.mark.points(2)
def test_act():
    acted()


@pytest.mark.points(1)
def test_count():
    assert counted() == 3


@probe
def named(layers):
    return str(layers.double.__name__)


@pytest.mark.points(1)
def test_verdicts_run_where_the_module_never_did():
    import sys

    named()  # the module's worker answers
    assert "layers" not in sys.modules
    files = [str(getattr(m, "__file__", "") or "") for m in list(sys.modules.values())]
    assert not any("impl" in f.split("/") for f in files)
"""

SHARING_TESTS = """
import os

import pytest
import torch

from grader.probing import probes

probe = probes("sharing")


@probe
def answered(sharing):
    return int(sharing.answer())


@probe
def world(sharing):
    return {
        "dtype": torch.get_default_dtype(),
        "grad": torch.is_grad_enabled(),
        "environ": sorted(os.environ),
    }


@pytest.mark.points(1)
def test_answer():
    assert answered() == 42


@pytest.mark.points(1)
def test_nothing_leaked_in():
    seen = world()
    assert seen["dtype"] == torch.float32
    assert seen["grad"]
    assert "TORCH_FORCE_NO_WEIGHTS_ONLY_LOAD" not in seen["environ"]
    assert "HOSTILE_MARK" not in seen["environ"]
"""

LAYERS_FULL = 10
ACT_POINTS = 2
DOUBLE_TESTS = (
    "test_double_allclose",
    "test_double_equal",
    "test_double_assert_close",
    "test_double_eq",
    "test_double_property",
)


# ====================================================================== helpers


def hostile(slug: str) -> str:
    """The honest module with the hostile file appended (its definitions override)."""
    return HONEST_LAYERS + "\n\n" + (HOSTILE / f"{slug}.py").read_text()


def make_kit(root: Path) -> Path:
    kit = root / "kit"
    for folder, name, text in (
        ("05_layers", "test_layers.py", LAYERS_TESTS),
        ("03_sharing", "test_sharing.py", SHARING_TESTS),
    ):
        (kit / "exercises" / folder).mkdir(parents=True)
        (kit / "exercises" / folder / name).write_text(textwrap.dedent(text))
    (kit / "solutions").mkdir()
    (kit / "solutions" / "secret.txt").write_text("the reference solutions\n")
    return kit


def make_submission(root: Path, name: str, layers: str | bytes | None, **extra) -> Path:
    folder = root / name
    folder.mkdir(parents=True)
    (folder / "sharing.py").write_text(HONEST_SHARING)
    if isinstance(layers, bytes):
        (folder / "layers.py").write_bytes(layers)
    elif layers is not None:
        (folder / "layers.py").write_text(layers)
    for rel, content in extra.items():
        path = folder / rel.replace("__", "/")
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(content)
    return folder


def fingerprint(*roots: Path) -> dict[str, str]:
    """A hash of every file under ``roots`` (no caches): what must not change."""
    found = {}
    for root in roots:
        paths = [root] if root.is_file() else sorted(root.rglob("*"))
        for path in paths:
            if path.is_file() and "__pycache__" not in path.parts and not path.is_symlink():
                found[str(path)] = hashlib.sha256(path.read_bytes()).hexdigest()
    return found


def grader_files() -> list[Path]:
    """The grader's files the hostile modules aim at (the rest of grader/ may be edited
    by people while this test runs: the sandbox denies writes to all of it alike)."""
    grader = ROOT / "grader"
    return [grader / "__init__.py", grader / "grading.ini", grader / "grading" / "worker.py"]


def pth_files() -> set[str]:
    """Every .pth file of the installation and of the real user's site-packages."""
    folders = list(site.getsitepackages()) + [site.getusersitepackages()]
    found = set()
    for folder in map(Path, folders):
        if folder.is_dir():
            found |= {str(p) for p in folder.glob("*.pth")}
    return found


def leftovers(scratch_root: Path) -> list[str]:
    """Processes that still run from a grading scratch folder or carry the marker."""
    found = []
    for name in os.listdir("/proc"):
        if not name.isdigit() or int(name) == os.getpid():
            continue
        try:
            cwd = os.readlink(f"/proc/{name}/cwd")
            with open(f"/proc/{name}/cmdline", "rb") as f:
                cmdline = f.read().replace(b"\0", b" ").decode("utf-8", "replace")
            with open(f"/proc/{name}/stat") as f:
                state = f.read().rsplit(")", 1)[1].split()[0]
        except OSError:
            continue
        if state != "Z" and (cwd.startswith(str(scratch_root)) or MARK in cmdline):
            found.append(f"{name}: {cmdline} (in {cwd})")
    return found


def exercise(report: dict, submission: str, module: str) -> dict:
    for sub in report["submissions"]:
        if sub["submission"] == submission:
            for ex in sub["exercises"]:
                if ex["module"] == module:
                    return ex
    raise KeyError((submission, module))


def statuses(ex: dict) -> dict[str, str]:
    return {t["name"]: t["status"] for t in ex["tests"]}


def message_of(ex: dict, name: str) -> str:
    return next(t["message"] for t in ex["tests"] if t["name"] == name)


def assert_zero_for(ex: dict, *words: str) -> None:
    """Tampering: 0 points, every test not counted, the reason in plain words."""
    assert ex["score"] == 0, ex
    assert ex["status"] == "error", ex
    assert "broke the grader's rules" in ex["message"], ex["message"]
    for word in words:
        assert word in ex["message"], ex["message"]
    assert {t["status"] for t in ex["tests"]} == {"error"}
    assert all(t["message"].startswith("not counted") for t in ex["tests"])


# double is wrong in a way these checks see (the others use ones, where x + 1 == 2x).
WRONG_DOUBLE_SEEN = {"test_double_allclose", "test_double_property"}


def assert_earns(ex: dict, failing: set[str]) -> None:
    """A module that also tried a trick scores what its own functions earn: exactly the
    checks in ``failing`` fail, every other passes."""
    got = statuses(ex)
    assert {name for name, status in got.items() if status != "passed"} == failing, ex
    assert all(status in ("passed", "failed") for status in got.values()), ex
    points = {"test_act": ACT_POINTS}
    assert ex["score"] == LAYERS_FULL - sum(points.get(name, 1) for name in failing), ex


def assert_only_act_lost(ex: dict, status: str, *words: str) -> None:
    """Every honest test passes; the one that called the hostile code scores 0."""
    got = statuses(ex)
    expected = {name: "passed" for name in got}
    expected["test_act"] = status
    assert got == expected, ex
    assert ex["score"] == LAYERS_FULL - ACT_POINTS, ex
    for word in words:
        assert word in message_of(ex, "test_act"), message_of(ex, "test_act")


def assert_guarantees(run: dict, hostile_module: str = "layers") -> None:
    """What holds for every submission of a run."""
    report = run["report"]
    assert validate(report) == []
    for sub in report["submissions"]:
        for ex in sub["exercises"]:
            if ex["module"] != hostile_module and ex["status"] not in ("missing",):
                assert ex["score"] == ex["max_score"], (sub["submission"], ex)
            for text in [ex["message"]] + [t["message"] for t in ex["tests"]]:
                assert len(text) <= 2000
                assert "\x1b" not in text and "\x07" not in text
    assert run["leftovers"] == []
    assert run["files_after"] == run["files_before"]
    assert run["pth_after"] == run["pth_before"]


# ====================================================================== run A: the CLI

# Every quick row: submission name -> the layers.py it holds (None: no file).
QUICK = {
    "honest": HONEST_LAYERS,
    "r01_sys_exit_at_import": hostile("r01_sys_exit_at_import"),
    "r01_os_exit_at_import": hostile("r01_os_exit_at_import"),
    "r01_os_exit_in_call": hostile("r01_os_exit_in_call"),
    "r01_sys_exit_in_call": hostile("r01_sys_exit_in_call"),
    "r03_frozen_clock": hostile("r03_frozen_clock"),
    "r04_memory_bomb_at_import": hostile("r04_memory_bomb_at_import"),
    "r04_memory_bomb_in_call": hostile("r04_memory_bomb_in_call"),
    "r05_processes": hostile("r05_processes"),
    "r05_threads": hostile("r05_threads"),
    "r06_output_flood": hostile("r06_output_flood"),
    "r07_neutered_helpers": hostile("r07_neutered_helpers"),
    "r08_config_files": HONEST_LAYERS,
    "r09_pytest_internals": hostile("r09_pytest_internals"),
    "r10_weak_hypothesis": hostile("r10_weak_hypothesis"),
    "r10_fake_hypothesis_module": hostile("r10_fake_hypothesis_module"),
    "r11_fake_results": hostile("r11_fake_results"),
    "r12_interrupt_in_call": hostile("r12_interrupt_in_call"),
    "r12_base_exception_in_call": hostile("r12_base_exception_in_call"),
    "r12_interrupt_at_import": hostile("r12_interrupt_at_import"),
    "r13_ctypes_segfault": hostile("r13_ctypes_segfault"),
    "r13_segfault": hostile("r13_segfault"),
    "r13_c_stack_overflow": hostile("r13_c_stack_overflow"),
    "r14_syntax_error": "def double(x)\n    return 2 * x\n",
    "r14_missing_package": hostile("r14_missing_package"),
    "r14_non_utf8": HONEST_LAYERS.encode() + b'\nNAME = "\xff\xfe\xfa not UTF-8"\n',
    "r14_no_module_file": None,
    "r14_huge_module_file": None,  # a sparse 300 MB file, made below
    "r15_symlink_out": None,  # a link to the honest submission's file, made below
    "r16_write_kit": None,  # needs the paths of this run, made below
    "r17_skip_in_call": hostile("r17_skip_in_call"),
    "r17_xfail_in_call": hostile("r17_xfail_in_call"),
    "r17_exit_in_call": hostile("r17_exit_in_call"),
    "r17_skip_at_import": hostile("r17_skip_at_import"),
    "r18_tensor_subclass": hostile("r18_tensor_subclass"),
    "r18_always_equal": hostile("r18_always_equal"),
    "r18_spoofed_module": hostile("r18_spoofed_module"),
    "r18_spoofed_in_call": hostile("r18_spoofed_in_call"),
    "r19_kill_grader": hostile("r19_kill_grader"),
    "r19_killpg_self": hostile("r19_killpg_self"),
    "r20_pth_files": hostile("r20_pth_files"),
    "r20_environment": hostile("r20_environment"),
    "r20_torch_state": hostile("r20_torch_state"),
    "r21_timeout_off": hostile("r21_timeout_off"),
    "r22_hostile_messages": hostile("r22_hostile_messages"),
    "r25_reach_the_plugin": hostile("r25_reach_the_plugin"),
    "r26_hook_off_from_inside": hostile("r26_hook_off_from_inside"),
    "r27_comparison_internals": hostile("r27_comparison_internals"),
    "r28_selective_equal": hostile("r28_selective_equal"),
    "r29_guard_off": hostile("r29_guard_off"),
    "r30_patch_everything": hostile("r30_patch_everything"),
}
CONFIG_FILES = {
    "conftest.py": "raise SystemExit('a conftest ran')\n",
    "pytest.ini": "[pytest]\naddopts = -p no:grader.plugin --deselect test_act\n",
    "tox.ini": "[pytest]\naddopts = -x\n",
    "setup.cfg": "[tool:pytest]\naddopts = -x\n",
    "pyproject.toml": "[tool.pytest.ini_options]\naddopts = '-p no:randomly'\n",
    "test_layers.py": "def test_double_allclose():\n    pass\n",
    "05_layers__test_layers.py": "def test_double_allclose():\n    pass\n",
    "sitecustomize.py": "raise SystemExit('sitecustomize ran')\n",
}
TIMEOUT_A = 5.0
MODULE_TIMEOUT_A = 30.0


def _peak_memory(pid: int, peak: list[int], stop: threading.Event) -> None:
    while not stop.is_set():
        try:
            with open(f"/proc/{pid}/status") as f:
                for line in f:
                    if line.startswith("VmHWM:"):
                        peak[0] = max(peak[0], int(line.split()[1]))
        except (OSError, ValueError):
            pass
        stop.wait(0.1)


@pytest.fixture(scope="module")
def run_a(tmp_path_factory):
    root = tmp_path_factory.mktemp("integrity-a")
    kit = make_kit(root)
    subs_root = root / "subs"
    paths = []
    honest = make_submission(subs_root, "honest", HONEST_LAYERS)
    for name, source in QUICK.items():
        if name == "honest":
            paths.append(honest)
            continue
        extra = CONFIG_FILES if name == "r08_config_files" else {}
        if name == "r16_write_kit":
            source = (
                hostile("r16_write_kit")
                .replace("__KIT_TEST__", str(kit / "exercises" / "05_layers" / "test_layers.py"))
                .replace("__GRADER_FILE__", str(ROOT / "grader" / "__init__.py"))
                .replace("__OTHER__", str(honest / "sharing.py"))
            )
        folder = make_submission(subs_root, name, source, **extra)
        if name == "r14_huge_module_file":
            with open(folder / "layers.py", "wb") as f:
                f.truncate(300 * 1024 * 1024)  # sparse: costs no disk
        if name == "r15_symlink_out":
            os.symlink(honest / "layers.py", folder / "layers.py")
        paths.append(folder)
    scratch_root = root / "scratch"
    scratch_root.mkdir()
    watched = [kit, honest, *grader_files()]
    files_before, pth_before = fingerprint(*watched), pth_files()
    out = root / "report.json"
    command = [
        sys.executable,
        "-m",
        "grader",
        "grade",
        *map(str, paths),
        "--kit",
        str(kit),
        "--modules",
        "sharing,layers",
        "--timeout",
        str(TIMEOUT_A),
        "--module-timeout",
        str(MODULE_TIMEOUT_A),
        "--jobs",
        "2",
        "--seed",
        "1",
        "--format",
        "json",
        "--output",
        str(out),
        "--quiet",
    ]
    env = dict(os.environ, TMPDIR=str(scratch_root))
    started = time.monotonic()
    proc = subprocess.Popen(
        command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=root
    )
    peak, stop = [0], threading.Event()
    watcher = threading.Thread(target=_peak_memory, args=(proc.pid, peak, stop), daemon=True)
    watcher.start()
    stdout, stderr = proc.communicate(timeout=500)
    stop.set()
    watcher.join()
    elapsed = time.monotonic() - started
    time.sleep(0.2)
    return {
        "returncode": proc.returncode,
        "stderr": stderr.decode("utf-8", "replace"),
        "stdout": stdout,
        "report": json.loads(out.read_text()) if out.exists() else {},
        "elapsed": elapsed,
        "peak_kib": peak[0],
        "leftovers": leftovers(scratch_root),
        "files_before": files_before,
        "files_after": fingerprint(*watched),
        "pth_before": pth_before,
        "pth_after": pth_files(),
        "kit": kit,
    }


def a(run_a, name: str, module: str = "layers") -> dict:
    return exercise(run_a["report"], name, module)


def test_the_cli_completes_with_a_full_report_within_its_limits(run_a):
    assert run_a["returncode"] == 0, run_a["stderr"][-3000:]
    assert_guarantees(run_a)
    report = run_a["report"]
    assert [s["submission"] for s in report["submissions"]] == list(QUICK)
    modules = len(report["grader"]["modules"])
    for sub in report["submissions"]:  # each module stays within its limit, plus a margin
        assert sub["duration_s"] <= modules * (MODULE_TIMEOUT_A + 5), sub["submission"]
    assert run_a["elapsed"] < 400
    assert exercise(report, "honest", "layers")["score"] == LAYERS_FULL


def test_the_report_names_the_sandbox_layers_that_were_active(run_a):
    layers = run_a["report"]["grader"]["sandbox"]
    for layer in ("process-group", "clean-env", "watchdog", "private-channel", "verdict-process"):
        assert layer in layers
    if sys.platform.startswith("linux"):
        assert {"subreaper", "rlimits", "audit-hook", "no-new-privs"} <= set(layers)
    abi = sandbox.landlock_abi()
    if abi:
        assert f"landlock-abi-{abi}" in layers


def test_row01_exits_at_import_and_in_a_call(run_a):
    ex = a(run_a, "r01_sys_exit_at_import")
    assert (ex["score"], ex["status"]) == (0, "error") and "SystemExit" in ex["message"]
    ex = a(run_a, "r01_os_exit_at_import")
    assert (ex["score"], ex["status"]) == (0, "crashed")
    assert "importing layers.py stopped the worker" in ex["message"]
    assert_only_act_lost(a(run_a, "r01_os_exit_in_call"), "error", "the worker died")
    assert_only_act_lost(a(run_a, "r01_sys_exit_in_call"), "failed", "SystemExit")


def test_row03_a_frozen_clock_changes_nothing(run_a):
    # The clocks that count run in the grading process, which never imports the module.
    assert a(run_a, "r03_frozen_clock")["score"] == LAYERS_FULL


def test_row04_memory_bombs_hit_the_memory_limit(run_a):
    ex = a(run_a, "r04_memory_bomb_at_import")
    assert ex["score"] == 0 and "MemoryError" in ex["message"], ex["message"]
    assert_only_act_lost(a(run_a, "r04_memory_bomb_in_call"), "failed", "allocate")


def test_row05_no_process_can_be_started_and_threads_do_not_hold_the_worker(run_a):
    assert_zero_for(a(run_a, "r05_processes"), "tried to start a process")
    ex = a(run_a, "r05_threads")
    assert ex["score"] == LAYERS_FULL, ex
    assert run_a["leftovers"] == []


def test_row06_floods_of_output_are_truncated_not_hoarded(run_a):
    ex = a(run_a, "r06_output_flood")
    assert ex["score"] == LAYERS_FULL, ex
    # 200 MB went through the grader, which kept 64 KiB of it.
    assert 0 < run_a["peak_kib"] < 250 * 1024, run_a["peak_kib"]


def test_row07_neutered_assertion_helpers_change_nothing(run_a):
    # double is x + 1 and mean 0: the checks that see it fail, whatever the module did
    # to torch.allclose and friends in its own process.
    assert_earns(
        a(run_a, "r07_neutered_helpers"), failing=WRONG_DOUBLE_SEEN | {"test_mean_isclose"}
    )


def test_row08_configuration_and_tests_in_a_submission_are_ignored(run_a):
    ex = a(run_a, "r08_config_files")
    assert ex["score"] == LAYERS_FULL and ex["status"] == "passed", ex


def test_row09_patched_pytest_internals_change_nothing(run_a):
    assert_earns(a(run_a, "r09_pytest_internals"), failing=set(DOUBLE_TESTS))


def test_row10_weakened_or_replaced_hypothesis_change_nothing(run_a):
    assert_earns(a(run_a, "r10_weak_hypothesis"), failing=set(DOUBLE_TESTS))
    assert a(run_a, "r10_fake_hypothesis_module")["score"] == LAYERS_FULL


def test_row11_printed_results_count_for_nothing(run_a):
    ex = a(run_a, "r11_fake_results")
    got = statuses(ex)
    assert {name for name, status in got.items() if status != "passed"} == set(DOUBLE_TESTS)
    assert ex["score"] == LAYERS_FULL - len(DOUBLE_TESTS)


def test_row12_interrupts_and_base_exceptions_fail_their_test(run_a):
    assert_only_act_lost(a(run_a, "r12_interrupt_in_call"), "failed", "KeyboardInterrupt")
    assert_only_act_lost(a(run_a, "r12_base_exception_in_call"), "failed", "Escape")
    ex = a(run_a, "r12_interrupt_at_import")
    assert ex["score"] == 0 and set(statuses(ex).values()) <= {"failed", "error"}


def test_row13_segfaults_and_c_stack_overflows_crash_their_test_only(run_a):
    # ctypes is still denied: it protects the machine, not a verdict.
    assert_zero_for(a(run_a, "r13_ctypes_segfault"), "tried to use ctypes")
    assert_only_act_lost(a(run_a, "r13_segfault"), "error", "SIGSEGV")
    assert_only_act_lost(a(run_a, "r13_c_stack_overflow"), "error", "SIGSEGV")


def test_row14_broken_module_files(run_a):
    for name, words in (
        ("r14_syntax_error", "SyntaxError"),
        ("r14_missing_package", "ModuleNotFoundError"),
        ("r14_non_utf8", "SyntaxError"),
    ):
        ex = a(run_a, name)
        assert ex["score"] == 0 and ex["status"] == "error" and words in ex["message"], ex
    assert a(run_a, "r14_no_module_file")["status"] == "missing"
    ex = a(run_a, "r14_huge_module_file")
    assert ex["status"] == "rejected" and "larger than" in ex["message"]


def test_row15_a_module_file_that_links_out_is_rejected(run_a):
    ex = a(run_a, "r15_symlink_out")
    assert ex["status"] == "rejected" and "link" in ex["message"]


def test_row15_archives_never_write_and_bombs_are_refused(tmp_path, monkeypatch):
    from grader.grading import submission

    zipped = tmp_path / "escape.zip"
    with zipfile.ZipFile(zipped, "w") as zf:
        zf.writestr("../../layers.py", HONEST_LAYERS)
        zf.writestr("/abs/sharing.py", HONEST_SHARING)
        zf.writestr("lazy.py", b"\0" * (50 * 1024 * 1024))  # 50 MB of zeros: 50 KB zipped
        link = zipfile.ZipInfo("blocks.py")
        link.external_attr = 0o120777 << 16
        zf.writestr(link, "/etc/passwd")
    before = set(tmp_path.rglob("*"))
    sub = open_submission(zipped, ("layers", "sharing", "lazy", "blocks"))
    assert set(tmp_path.rglob("*")) == before
    assert sub.modules["layers"].status == "missing"  # a ../ path is only a name
    assert sub.modules["sharing"].source == HONEST_SHARING.encode()
    assert sub.modules["lazy"].status == "rejected"  # the bomb is never inflated
    assert sub.modules["blocks"].status == "rejected"

    bomb = tmp_path / "bomb.tar.gz"
    with tarfile.open(bomb, "w:gz") as tf:
        for i in range(3):
            info = tarfile.TarInfo(f"big{i}.bin")
            info.size = 8 * 1024 * 1024
            tf.addfile(info, io.BytesIO(b"\0" * info.size))
        hard = tarfile.TarInfo("layers.py")
        hard.type = tarfile.LNKTYPE
        hard.linkname = "/etc/passwd"
        tf.addfile(hard)
    monkeypatch.setattr(submission, "MAX_ARCHIVE_BYTES", 16 * 1024 * 1024)
    sub = open_submission(bomb, ("layers",))
    assert sub.modules["layers"].status == "rejected"
    assert "MiB" in sub.modules["layers"].message
    monkeypatch.setattr(submission, "MAX_ARCHIVE_BYTES", 1024**3)
    sub = open_submission(bomb, ("layers",))
    assert sub.modules["layers"].status == "rejected"  # a hard link is no module file


def test_row16_the_kit_the_grader_and_other_submissions_cannot_be_changed(run_a):
    assert_zero_for(a(run_a, "r16_write_kit"), "tried to change the grader's or the kit's files")
    assert run_a["files_after"] == run_a["files_before"]
    assert exercise(run_a["report"], "honest", "sharing")["score"] == 2


def test_row17_skip_xfail_and_exit_from_learner_code_earn_nothing(run_a):
    # pytest's outcomes raised in the learner's process are only exceptions here.
    assert_only_act_lost(a(run_a, "r17_skip_in_call"), "failed", "Skipped: nothing to see")
    assert_only_act_lost(a(run_a, "r17_xfail_in_call"), "failed", "XFailed")
    assert_only_act_lost(a(run_a, "r17_exit_in_call"), "failed", "Exit: all done")
    ex = a(run_a, "r17_skip_at_import")
    assert ex["score"] == 0 and set(statuses(ex).values()) == {"error"}
    assert "Skipped: skip me whole" in ex["message"]


def test_row18_objects_that_agree_with_everything_earn_nothing(run_a):
    # A probe returns plain data: a tensor subclass arrives as its values, an object
    # that equals everything cannot be sent at all, an int subclass arrives as its int.
    assert_earns(a(run_a, "r18_tensor_subclass"), failing=set(DOUBLE_TESTS))
    assert_earns(a(run_a, "r18_always_equal"), failing={"test_count"})
    assert_earns(a(run_a, "r18_spoofed_module"), failing={"test_count"})
    assert a(run_a, "r18_spoofed_in_call")["score"] == LAYERS_FULL  # it is 3


def test_row19_the_grader_cannot_be_killed(run_a):
    # Its own PID namespace holds nothing but itself: its signals end its own test.
    assert_only_act_lost(a(run_a, "r19_kill_grader"), "error", "SIGKILL")
    assert run_a["returncode"] == 0
    assert_only_act_lost(a(run_a, "r19_killpg_self"), "error", "SIGKILL")


def test_row20_nothing_persists_into_other_modules_or_submissions(run_a):
    assert_zero_for(a(run_a, "r20_pth_files"), "tried to change the Python installation")
    assert run_a["pth_after"] == run_a["pth_before"]
    # Its environment is its own process's: the bystander's worker never sees it.
    assert a(run_a, "r20_environment")["score"] == LAYERS_FULL
    # Torch settings changed at import are put back before each test.
    assert a(run_a, "r20_torch_state")["score"] == LAYERS_FULL
    # The bystander checks the world it runs in, in every submission.
    for sub in run_a["report"]["submissions"]:
        assert exercise(run_a["report"], sub["submission"], "sharing")["score"] == 2


def test_row21_the_timeout_cannot_be_turned_off_from_inside(run_a):
    # The timer runs in the grading process: switched off in the module's, it still runs.
    assert a(run_a, "r21_timeout_off")["score"] == LAYERS_FULL


def test_row22_hostile_messages_are_escaped_and_truncated_in_every_format(run_a):
    ex = a(run_a, "r22_hostile_messages")
    assert_only_act_lost(ex, "failed", "ValueError")
    message = message_of(ex, "test_act")
    assert len(message) <= 2000 and "\x1b" not in message and "truncated" in message
    subs = run_a["report"]["submissions"]
    sub = next(s for s in subs if s["submission"] == "r22_hostile_messages")
    report = {"submissions": [sub], "grader": run_a["report"]["grader"]}
    for fmt in FORMATS:
        text = render(fmt, report)
        assert "\x1b" not in text and "\x07" not in text, fmt
        assert "x" * 20_000 not in text, fmt
        if fmt == "junit":
            root = ElementTree.fromstring(text)  # well-formed: the HTML is escaped
            assert "<script>" not in text
            assert any("<script>" in (el.text or "") for el in root.iter())


def test_row25_a_module_cannot_reach_the_grading_process_through_frames(run_a):
    assert_earns(a(run_a, "r25_reach_the_plugin"), failing=set(DOUBLE_TESTS))


def test_row26_the_audit_hook_switched_off_from_inside_changes_no_verdict(run_a):
    failing = WRONG_DOUBLE_SEEN | {"test_mean_isclose"}
    assert_earns(a(run_a, "r26_hook_off_from_inside"), failing=failing)


def test_row27_patched_comparison_internals_change_no_verdict(run_a):
    assert_earns(a(run_a, "r27_comparison_internals"), failing=set(DOUBLE_TESTS))


def test_row28_a_selectively_equal_int_is_only_its_value(run_a):
    assert_earns(a(run_a, "r28_selective_equal"), failing={"test_count"})


def test_row29_guards_turned_off_inside_change_no_verdict(run_a):
    assert_earns(a(run_a, "r29_guard_off"), failing=set(DOUBLE_TESTS))


def test_row30_every_trick_at_once_changes_no_verdict(run_a):
    """Torch, pytest, Hypothesis and the worker's own code patched every way this
    folder knows: the verdicts are those of the wrong functions alone, because the
    process that decides them never imported the module (its own test says so)."""
    failing = set(DOUBLE_TESTS) | {"test_mean_isclose", "test_count"}
    ex = a(run_a, "r30_patch_everything")
    assert_earns(ex, failing=failing)
    assert statuses(ex)["test_verdicts_run_where_the_module_never_did"] == "passed"
    for sub in run_a["report"]["submissions"]:  # in every submission, whatever it did
        got = statuses(exercise(run_a["report"], sub["submission"], "layers"))
        assert got.get("test_verdicts_run_where_the_module_never_did", "passed") in (
            "passed",
            "error",  # not run: the module could not be imported or broke a rule
        ), sub["submission"]


# ====================================================================== run B: hangs


SLOW = {
    "r02_loop_at_import": hostile("r02_loop_at_import"),
    "r02_loop_in_call": hostile("r02_loop_in_call"),
    "r02_sleep_in_call": hostile("r02_sleep_in_call"),
    "r03_ignore_signals": hostile("r03_ignore_signals"),
    "r21_long_c_call": hostile("r21_long_c_call"),
}
LIMITS_B = runner.Limits(timeout=1.5, module_timeout=25, stall_grace=2)


@pytest.fixture(scope="module")
def run_b(tmp_path_factory):
    root = tmp_path_factory.mktemp("integrity-b")
    kit = make_kit(root)
    paths = [make_submission(root / "subs", name, source) for name, source in SLOW.items()]
    scratch_root = root / "scratch"
    scratch_root.mkdir()
    watched = [kit, *paths, *grader_files()]
    files_before, pth_before = fingerprint(*watched), pth_files()
    settings = engine.Settings(
        kit=kit, modules=("sharing", "layers"), seed=2, limits=LIMITS_B, jobs=2
    )
    saved = tempfile.tempdir
    tempfile.tempdir = str(scratch_root)  # every scratch folder of this run lies here
    try:
        started = time.monotonic()
        plan = engine.make_plan(settings)
        report = engine.grade(paths, list(SLOW), settings, plan)
        elapsed = time.monotonic() - started
    finally:
        tempfile.tempdir = saved
        runner.shutdown()
    return {
        "report": report,
        "elapsed": elapsed,
        "leftovers": leftovers(scratch_root),
        "files_before": files_before,
        "files_after": fingerprint(*watched),
        "pth_before": pth_before,
        "pth_after": pth_files(),
    }


def test_row02_endless_loops_and_sleeps_time_out_alone(run_b):
    assert_guarantees(run_b)
    report = run_b["report"]
    ex = exercise(report, "r02_loop_at_import", "layers")
    assert (ex["score"], ex["status"]) == (0, "timeout")
    assert "importing layers.py ran past" in ex["message"]
    for name in ("r02_loop_in_call", "r02_sleep_in_call"):
        assert_only_act_lost(exercise(report, name, "layers"), "timeout", "ran past")
    for sub in report["submissions"]:
        assert sub["duration_s"] <= 2 * (LIMITS_B.module_timeout + 5)


def test_row03_ignored_and_blocked_signals_still_time_out(run_b):
    ex = exercise(run_b["report"], "r03_ignore_signals", "layers")
    assert_only_act_lost(ex, "timeout", "ran past")


def test_row21_a_long_call_in_c_is_stopped_by_the_parent(run_b):
    ex = exercise(run_b["report"], "r21_long_c_call", "layers")
    assert_only_act_lost(ex, "timeout")
    # The whole run: a few seconds per hang, not the minutes the matmul would take.
    assert run_b["elapsed"] < 150


# ====================================================================== the reaper


def test_row05_the_parent_reaps_processes_that_left_the_worker(tmp_path):
    """With the in-worker sandbox off, a module's processes do start: a child in a new
    session and a double-forked grandchild. The grader kills and reaps them."""
    kit = make_kit(tmp_path)
    settings = engine.Settings(kit=kit, modules=("layers",), seed=3, limits=LIMITS_B)
    config = dataclasses.replace(settings.worker_config(), sandbox=False)
    plan = engine.make_plan(settings)
    job = runner.ModuleJob(
        submission="s",
        module="layers",
        filename="layers.py",
        source=hostile("r05_leftover_processes").encode(),
        files=tuple(plan.files["layers"]),
        keys=tuple(t.key for t in plan.tests["layers"]),
    )
    scratch_root = tmp_path / "scratch"
    scratch_root.mkdir()
    saved = tempfile.tempdir
    tempfile.tempdir = str(scratch_root)
    try:
        run = runner.run_module(job, config)
    finally:
        tempfile.tempdir = saved
        runner.shutdown()
    assert run.results and all(status == "passed" for status, _ in run.results.values())
    assert run.swept >= 2  # the sleeper and the grandchild
    time.sleep(0.2)
    assert leftovers(scratch_root) == []


def test_the_sweep_finds_what_left_the_session(tmp_path):
    """reaper.sweep alone: a worker-like process whose grandchild detached itself."""
    assert reaper.become_subreaper() or not sys.platform.startswith("linux")
    script = textwrap.dedent(
        f"""
        import os, sys, time
        if os.fork() == 0:
            os.setsid()
            if os.fork() == 0:
                nap = "import time; time.sleep(300)"
                os.execv(sys.executable, [sys.executable, "-c", nap, "{MARK}-sweep"])
            os._exit(0)
        time.sleep(0.5)
        """
    )
    proc = subprocess.Popen([sys.executable, "-c", script], start_new_session=True)
    born = reaper.start_time(proc.pid)
    proc.wait()
    time.sleep(0.3)

    def marked():
        return [line for line in leftovers(tmp_path) if f"{MARK}-sweep" in line]

    assert marked(), "the test's own sleeper did not start"
    assert reaper.sweep(proc.pid, born) >= 1
    assert marked() == []


# ====================================================================== run C: real tests

REAL_HOSTILE = ("r07_neutered_helpers", "r09_pytest_internals", "r10_weak_hypothesis")
REAL_HOSTILE += ("r18_tensor_subclass",)


@pytest.fixture(scope="module")
def run_real(tmp_path_factory):
    root = tmp_path_factory.mktemp("integrity-real")
    solution = (ROOT / "solutions" / "05_layers" / "layers.py").read_text()
    sharing = (ROOT / "solutions" / "03_sharing" / "sharing.py").read_text()
    paths, names = [], []
    honest = root / "honest"
    honest.mkdir()
    (honest / "layers.py").write_text(solution)
    (honest / "sharing.py").write_text(sharing)
    paths.append(honest)
    names.append("honest")
    for slug in REAL_HOSTILE:
        folder = root / slug
        folder.mkdir()
        (folder / "layers.py").write_text(solution + "\n\n" + (HOSTILE / f"{slug}.py").read_text())
        paths.append(folder)
        names.append(slug)
    watched = [ROOT / "exercises" / "05_layers", honest, *grader_files()]
    files_before, pth_before = fingerprint(*watched), pth_files()
    settings = engine.Settings(
        kit=ROOT,
        modules=("sharing", "layers"),
        seed=5,
        limits=runner.Limits(timeout=10, module_timeout=120),
        jobs=2,
    )
    scratch_root = root / "scratch"
    scratch_root.mkdir()
    saved = tempfile.tempdir
    tempfile.tempdir = str(scratch_root)
    try:
        plan = engine.make_plan(settings)
        report = engine.grade(paths, names, settings, plan)
    finally:
        tempfile.tempdir = saved
        runner.shutdown()
    return {
        "report": report,
        "leftovers": leftovers(scratch_root),
        "files_before": files_before,
        "files_after": fingerprint(*watched),
        "pth_before": pth_before,
        "pth_after": pth_files(),
    }


@pytest.mark.parametrize(
    "slug, words",
    [
        ("r07_neutered_helpers", "torch.allclose"),
        ("r09_pytest_internals", "_pytest."),
        ("r10_weak_hypothesis", "settings"),
        ("r18_tensor_subclass", "torch.Tensor subclass"),
    ],
)
def test_rows_7_9_10_18_against_the_kits_real_tests(run_real, slug, words):
    """Appended to the real solution, the tricks change nothing: every real check
    still passes (the functions they redefine are not the exercise's)."""
    report = run_real["report"]
    honest = exercise(report, "honest", "layers")
    assert honest["score"] == honest["max_score"] > 0
    assert exercise(report, "honest", "sharing")["score"] > 0
    ex = exercise(report, slug, "layers")
    assert ex["score"] == honest["score"], ex
    assert exercise(report, slug, "sharing")["status"] == "missing"
    assert_guarantees(run_real)


def test_a_sandboxed_worker_reads_no_solution_and_writes_nowhere_else(tmp_path):
    """Landlock (where the kernel has it): what a worker may read and write."""
    if not sandbox.landlock_abi():
        pytest.skip("no Landlock on this kernel")
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    paths = {
        "scratch": str(scratch),
        "exercises": str(ROOT / "exercises"),
        "test": str(ROOT / "exercises" / "05_layers" / "test_layers.py"),
        "solution": str(ROOT / "solutions" / "05_layers" / "layers.py"),
        "kit_file": str(ROOT / "integrity-probe.txt"),
    }
    probe = textwrap.dedent(
        """
        import json, os, sys
        from grader.isolation import sandbox
        p = json.loads(sys.argv[1])
        policy = sandbox.Policy(scratch=p["scratch"], read=[p["exercises"]])
        layers = sandbox.restrict_filesystem(policy)
        def can(action):
            try:
                action()
                return True
            except OSError:
                return False
        print(json.dumps({
            "layers": layers,
            "read_test": can(lambda: open(p["test"]).read()),
            "read_solution": can(lambda: open(p["solution"]).read()),
            "write_kit": can(lambda: open(p["kit_file"], "w")),
            "write_scratch": can(lambda: open(os.path.join(p["scratch"], "ok"), "w").close()),
            "exec": can(lambda: os.execv("/bin/true", ["true"])),
        }))
        """
    )
    done = subprocess.run(
        [sys.executable, "-c", probe, json.dumps(paths)],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=scratch,
    )
    found = json.loads(done.stdout)
    assert found == {
        "layers": found["layers"],
        "read_test": True,
        "read_solution": False,
        "write_kit": False,
        "write_scratch": True,
        "exec": False,
    }
    assert any(layer.startswith("landlock-abi-") for layer in found["layers"])
    assert not (ROOT / "integrity-probe.txt").exists()
    shutil.rmtree(scratch, ignore_errors=True)


def test_torch_may_load_c_libraries_the_module_may_not(tmp_path):
    """The audit hook tells torch's own ctypes use (NVML, to count GPUs) from the module's."""
    probe = textwrap.dedent(
        """
        import json, sys, ctypes, torch
        from grader.isolation import sandbox
        seen = []
        sandbox.install_audit_hook(sandbox.Policy(scratch=sys.argv[1]), seen.append)
        try:
            torch.cuda._raw_device_count_nvml()  # CDLL("libnvidia-ml.so.1"), from torch
        except (OSError, AttributeError):
            pass
        by_torch = list(seen)
        try:
            ctypes.CDLL("libc.so.6")
            denied = False
        except sandbox.SandboxViolation:
            denied = True
        print(json.dumps({"by_torch": by_torch, "denied": denied, "seen": seen}))
        """
    )
    done = subprocess.run(
        [sys.executable, "-c", probe, str(tmp_path)], capture_output=True, text=True, timeout=60
    )
    found = json.loads(done.stdout)
    assert found["by_torch"] == [] and found["denied"] is True
    assert found["seen"] == ["tried to use ctypes (ctypes.dlopen)"]
