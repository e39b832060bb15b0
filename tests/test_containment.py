"""The workers' containment on bubblewrap holds the machine (grader/isolation/containment.py).

Each test grades a hostile module of ``tests/hostile/`` (appended to the honest tiny
module, as tests/test_integrity.py does) beside an honest one, and checks the machine
afterwards. Some tricks need a process, a socket or ``ctypes``, which the audit hook
denies: those modules are graded with the audit hook off, as if a module had
outwitted it (docs/grader.md says it can in principle), to show what the kernel's
layers hold on their own. Every test needs bubblewrap (CI installs it); the last one
shows what the grader says and does without it.
"""

from __future__ import annotations

import dataclasses
import json
import os
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import textwrap
import threading
import time
from pathlib import Path

import pytest
from test_integrity import (
    HONEST_LAYERS,
    HONEST_SHARING,
    LAYERS_FULL,
    LAYERS_TESTS,
    exercise,
    hostile,
    make_kit,
    statuses,
)

from grader.grading import engine, runner
from grader.isolation import containment, sandbox

pytestmark = [
    pytest.mark.timeout(300),
    pytest.mark.skipif(
        containment.status()[0] is None,
        reason=f"no bubblewrap here ({containment.status()[1]})",
    ),
]

ROOT = Path(__file__).resolve().parent.parent
LIMITS = runner.Limits(timeout=20, module_timeout=120)
WORKER_LAYERS = {"bubblewrap", "pid-namespace", "ipc-namespace", "private-scratch"}


@pytest.fixture
def scratch_root(tmp_path):
    """Every scratch folder of the test lies here (tempfile's folder, for the grader)."""
    root = tmp_path / "scratch"
    root.mkdir()
    saved = tempfile.tempdir
    tempfile.tempdir = str(root)
    try:
        yield root
    finally:
        tempfile.tempdir = saved
        runner.shutdown()


def grade(tmp_path: Path, layers: str, *, audit_hook: bool = True, **limits) -> dict:
    """Grade ``layers`` and the honest ``sharing`` module: module -> ModuleRun."""
    kit = make_kit(tmp_path)
    settings = engine.Settings(
        kit=kit,
        modules=("sharing", "layers"),
        seed=4,
        limits=dataclasses.replace(LIMITS, **limits),
    )
    config = dataclasses.replace(settings.worker_config(), audit_hook=audit_hook)
    plan = engine.make_plan(settings)
    runs = {}
    for module, source in (("layers", layers), ("sharing", HONEST_SHARING)):
        job = runner.ModuleJob(
            submission="s",
            module=module,
            filename=f"{module}.py",
            source=source.encode(),
            files=tuple(plan.files[module]),
            keys=tuple(t.key for t in plan.tests[module]),
        )
        runs[module] = runner.run_module(job, config)
    return runs


def outcomes(run: runner.ModuleRun) -> dict[str, str]:
    return {key.rsplit("::", 1)[-1]: status for key, (status, _) in run.results.items()}


def message(run: runner.ModuleRun, name: str) -> str:
    return next(msg for key, (_, msg) in run.results.items() if key.endswith("::" + name))


def assert_honest(runs: dict, act: str = "passed") -> None:
    """Every honest test passes (the hostile one as ``act`` says); nothing flagged."""
    for module, run in runs.items():
        expected = {name: "passed" for name in outcomes(run)}
        if module == "layers":
            expected["test_act"] = act
        assert outcomes(run) == expected, (module, run.results, run.output_tail[-2000:])
        assert run.integrity == [] and run.crashes == [], (run.integrity, run.crashes)


def assert_contained(runs: dict) -> None:
    for run in runs.values():
        assert WORKER_LAYERS <= set(run.layers or ()), run.layers


def named(comm: str) -> list[int]:
    found = []
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            with open(f"/proc/{pid}/comm") as f:
                if f.read().strip() == comm:
                    found.append(int(pid))
        except OSError:
            pass
    return found


def gone(comm: str, within: float = 5.0) -> list[int]:
    """The processes named ``comm`` still there after ``within`` seconds: the kernel
    kills a PID namespace's processes when its init ends, and a loaded machine takes a
    moment to tear down hundreds of them."""
    deadline = time.monotonic() + within
    while (left := named(comm)) and time.monotonic() < deadline:
        time.sleep(0.05)
    return left


def test_a_chain_of_processes_in_their_own_sessions_is_gone_after_grading(tmp_path, scratch_root):
    assert gone("hostile-chain") == []
    runs = grade(tmp_path, hostile("r05_session_chain"), audit_hook=False)
    assert gone("hostile-chain") == []
    assert_honest(runs)
    assert_contained(runs)


def test_no_unix_socket_outside_the_sandbox_can_be_reached(tmp_path, scratch_root):
    path = tmp_path / "listener.sock"
    abstract = f"grader-test-{secrets.token_hex(6)}"
    received: list[bytes] = []
    listeners = []
    for address in (str(path), "\0" + abstract):
        server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        server.bind(address)
        server.listen()
        server.settimeout(0.2)
        listeners.append(server)
    stop = threading.Event()

    def serve() -> None:
        while not stop.is_set():
            for server in listeners:
                try:
                    conn, _ = server.accept()
                except OSError:
                    continue
                with conn:
                    conn.settimeout(2)
                    try:
                        received.append(conn.recv(4096) or b"(connected)")
                    except OSError:
                        received.append(b"(connected)")

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    source = hostile("r23_unix_sockets")
    source = source.replace("__SOCKET_PATH__", str(path)).replace("__ABSTRACT_NAME__", abstract)
    try:
        runs = grade(tmp_path, source, audit_hook=False)
    finally:
        stop.set()
        thread.join()
        for server in listeners:
            server.close()
    assert received == []
    assert_honest(runs)
    assert_contained(runs)


def shm_segments(key: int) -> list[str]:
    with open("/proc/sysvipc/shm") as f:
        return [line for line in f.readlines()[1:] if line.split()[0] == str(key)]


def test_a_system_v_segment_does_not_survive_grading(tmp_path, scratch_root):
    key = 0x7F3A0516
    assert shm_segments(key) == []
    try:
        runs = grade(tmp_path, hostile("r24_sysv_shm"), audit_hook=False)
        assert shm_segments(key) == []
    finally:
        if shm_segments(key) and shutil.which("ipcrm"):
            subprocess.run(["ipcrm", "-M", str(key)], check=False)
    assert_honest(runs)
    assert_contained(runs)


def test_memfd_cannot_hold_memory_past_the_limit(tmp_path, scratch_root):
    memory = 256 << 20
    runs = grade(tmp_path, hostile("r04_memfd"), memory=memory)
    said = message(runs["layers"], "test_act")
    assert "memfd: 0 MiB written (Operation not permitted)" in said, said
    assert_honest(runs, act="failed")
    assert_contained(runs)
    assert "seccomp" in runs["layers"].layers


def test_the_kit_s_solutions_tests_and_history_cannot_be_listed(tmp_path, scratch_root):
    kit = tmp_path / "kit"
    targets = [
        str(kit / "solutions"),
        str(kit / "solutions" / "secret.txt"),
        str(ROOT / "tests"),
        str(ROOT / ".git"),
        str(ROOT / "solutions"),
    ]
    source = hostile("r16_list_kit").replace("__TARGETS__", repr(targets))
    runs = grade(tmp_path, source)
    said = message(runs["layers"], "test_act")
    assert "saw 0: []" in said, said
    assert_honest(runs, act="failed")
    assert_contained(runs)


# ====================================================================== a full disk

DISK_TEST = """

@pytest.mark.points(1)
def test_scratch(tmp_path):
    import time

    time.sleep(2)  # while the hostile neighbour holds its disk full
    data = b"0123456789abcdef" * (1 << 19)  # 8 MiB
    (tmp_path / "data.bin").write_bytes(data)
    assert (tmp_path / "data.bin").read_bytes() == data
"""


def test_a_full_scratch_disk_fails_no_neighbour(tmp_path):
    """Graded by the command line with ``--jobs 2``, its TMPDIR a 200 MiB tmpfs (in a
    user and mount namespace of the test's own): one module fills its disk while the
    other submission's module writes 8 MiB."""
    unshare = shutil.which("unshare")
    if unshare is None:
        pytest.skip("no unshare to make a size-limited TMPDIR with")
    kit = make_kit(tmp_path)
    test_file = kit / "exercises" / "05_layers" / "test_layers.py"
    test_file.write_text(textwrap.dedent(LAYERS_TESTS) + DISK_TEST)
    subs = []
    for name, source in (("fills", hostile("r05_full_scratch")), ("honest", HONEST_LAYERS)):
        (tmp_path / name).mkdir()
        (tmp_path / name / "layers.py").write_text(source)
        subs.append(str(tmp_path / name))
    tmpdir = tmp_path / "tmpfs"
    tmpdir.mkdir()
    out = tmp_path / "report.json"
    command = [sys.executable, "-m", "grader", "grade", *subs, "--kit", str(kit)]
    command += ["--modules", "layers", "--jobs", "2", "--seed", "1", "--quiet"]
    command += ["--format", "json", "--output", str(out)]
    script = 'mount -t tmpfs -o size=200m tmpfs "$TMPDIR" && exec "$@"'
    done = subprocess.run(
        [unshare, "-rm", "sh", "-c", script, "sh", *command],
        env=dict(os.environ, TMPDIR=str(tmpdir)),
        capture_output=True,
        text=True,
        timeout=240,
        cwd=tmp_path,
    )
    if done.returncode != 0 and not out.exists():
        if "mount" in done.stderr or "unshare" in done.stderr:
            pytest.skip(f"no user and mount namespace for the test: {done.stderr[-300:]}")
    assert done.returncode == 0, done.stderr[-3000:]
    report = json.loads(out.read_text())
    honest = exercise(report, "honest", "layers")
    assert honest["score"] == LAYERS_FULL + 1, honest
    fills = statuses(exercise(report, "fills", "layers"))
    assert {name for name, status in fills.items() if status != "passed"} <= {"test_scratch"}
    assert {"bubblewrap", "private-scratch"} <= set(report["grader"]["sandbox"])


# ====================================================================== without it


def test_without_bubblewrap_grading_goes_on_and_says_so_once(tmp_path):
    kit = make_kit(tmp_path)
    subs = []
    for name in ("one", "two"):
        (tmp_path / name).mkdir()
        (tmp_path / name / "layers.py").write_text(HONEST_LAYERS)
        subs.append(str(tmp_path / name))
    missing = tmp_path / "no-such-bwrap"
    out = tmp_path / "report.json"
    command = [sys.executable, "-m", "grader", "grade", *subs, "--kit", str(kit)]
    command += ["--modules", "layers", "--seed", "1", "--format", "json", "--output", str(out)]
    done = subprocess.run(
        command,
        env=dict(os.environ, GRADER_BWRAP=str(missing)),
        capture_output=True,
        text=True,
        timeout=240,
        cwd=tmp_path,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    said = f"containment is off (no bubblewrap at {missing})"
    assert done.stderr.count(said) == 1, done.stderr
    assert "docs/grader.md" in done.stderr
    report = json.loads(out.read_text())
    for sub in report["submissions"]:
        assert sub["exercises"][0]["score"] == LAYERS_FULL
    layers = report["grader"]["sandbox"]
    assert not WORKER_LAYERS & set(layers), layers
    assert {"rlimits", "audit-hook", "no-new-privs"} <= set(layers)
    if sandbox.landlock_abi():
        assert f"landlock-abi-{sandbox.landlock_abi()}" in layers
