"""What runs in a grading subprocess: ``python -I -m grader.worker SPEC.json``.

The parent (grader/runner.py) writes a spec file into the worker's private scratch
folder and passes one end of a private socket pair; the worker reads the spec,
deletes it, and runs pytest on the grader's pristine test files with
:mod:`grader.report_plugin` reporting every test's outcome over it. Two modes:

* ``collect``: collect the tests (never imports code under test) and report each
  test's key, points and visibility;
* ``run``: run the given tests against the module file copied into ``impl``.

Before any code under test can run, the worker puts itself in the sandbox the spec
describes (grader/sandbox.py): Landlock first (before torch is even imported by a
new interpreter), resource limits and dropped capabilities once the libraries are
loaded, and, last, right before the module under test is imported, the audit hook
(armed by the reporting plugin, which also takes the tamper snapshot then).
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

INI = Path(__file__).resolve().parent / "grading.ini"

# Test modules the fork server imported before forking (grader/forkserver.py,
# warm_up_tests): module name -> (file, its size and modification time then).
WARMED: dict[str, tuple[str, int, int]] = {}


def remember_test_modules(modules) -> None:
    """Note the test modules the fork server collected, and their files as they are."""
    for module in modules:
        path = getattr(module, "__file__", None)
        if path:
            stat = os.stat(path)
            WARMED[module.__name__] = (os.path.realpath(path), stat.st_size, stat.st_mtime_ns)


def forget_other_test_modules(files: list[str]) -> None:
    """Drop the imported test modules this job does not run as they are on disk now.

    pytest's "importlib" mode takes a module of the same name from ``sys.modules``
    without looking at its file: a test module another kit's file (or an older
    version of this file) gave the fork server would stand in for the job's own.
    """
    wanted = {os.path.realpath(f) for f in files}
    for name, (path, size, mtime) in WARMED.items():
        try:
            stat = os.stat(path)
            same = path in wanted and (stat.st_size, stat.st_mtime_ns) == (size, mtime)
        except OSError:
            same = False
        if not same:
            sys.modules.pop(name, None)


def pytest_args(spec: dict) -> list[str]:
    """The pytest command line of a worker (also used by collection: same node IDs)."""
    args = [
        *spec["files"],
        "-c",
        str(INI),
        "--rootdir",
        spec["rootdir"],
        "--noconftest",
        "--import-mode=importlib",
        "-p",
        "no:cacheprovider",
        "-p",
        "no:stepwise",
        # pytest's plugins for options a worker never passes: 7 ms of every session
        *("-p", "no:doctest", "-p", "no:junitxml", "-p", "no:pastebin"),
        *("-p", "no:setuponly", "-p", "no:setupplan"),
        "-p",
        "grader.plugin",
        "-p",
        "_hypothesis_pytestplugin",
        "-p",
        "pytest_timeout",
        "--impl",
        spec["impl"],
        "--lang",
        spec.get("lang", "en"),
        "--kit-seed",
        str(spec["seed"]),
        "--hypothesis-profile",
        "grader",
        "--hypothesis-seed",
        str(spec["seed"]),
        "-o",
        f"timeout={spec['timeout']:g}",
        "-o",
        # A C-level watchdog thread: it ends a test stuck in a call no signal
        # interrupts, before the parent's watchdog has to (timeout + 15 s).
        f"faulthandler_timeout={spec['timeout'] + 6:g}",
        "-o",
        "faulthandler_exit_on_timeout=true",
        "--timeout-disable-debugger-detection",
        "--basetemp",
        spec["basetemp"],
        "--capture=no",  # what the code prints goes to the parent, which keeps a tail
        "-q",
        "--tb=no",
        "-rN",
        "--no-header",
        "--color=no",
    ]
    if spec["mode"] == "collect":
        args.append("--collect-only")
    return args


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print("usage: python -I -m grader.worker SPEC.json", file=sys.stderr)
        return 2
    spec_path = Path(argv[0])
    spec = json.loads(spec_path.read_text())
    spec_path.unlink()  # the code under test has no business reading it

    fd = int(spec["fd"])
    os.set_inheritable(fd, False)  # not handed on to processes the code under test starts
    forget_other_test_modules(spec["files"])

    from . import containment, sandbox

    policy = sandbox.Policy.from_spec(spec.get("sandbox"))
    layers: list[str] = list(containment.ENTERED)  # a forked worker's, in bubblewrap
    if policy is not None:
        layers += sandbox.restrict_filesystem(policy)

    import torch

    from .gpus import apply_memory_cap

    apply_memory_cap()  # --gpu: at most the share of its GPU the grader gave it
    torch.set_num_threads(1)
    try:
        torch.set_num_interop_threads(1)
    except RuntimeError:  # pragma: no cover - already set
        pass

    if spec["mode"] == "run":
        _preload()
    # The plugins pytest loads with -p, imported now: before the audit hook (the kit's
    # plugin registers torch's generator with Hypothesis, which walks the gc).
    import _hypothesis_pytestplugin  # noqa: F401
    import pytest
    import pytest_timeout  # noqa: F401

    from . import plugin as _kit_plugin  # noqa: F401
    from . import testing as _testing  # noqa: F401
    from .report_plugin import Channel, GradingPlugin, clean

    channel = Channel(fd, spec["token"])
    arm = None
    if policy is not None:
        layers += sandbox.limit_resources(policy)
        layers += sandbox.drop_capabilities()
        layers += _network_layer()
        sandbox.prepare_libraries()

    if policy is not None and policy.audit_hook:

        def arm(report):
            """Install the audit hook (called just before the module is imported)."""
            sys.dont_write_bytecode = True  # no .pyc written beside the kit or torch

            def denied(sentence: str) -> None:
                report(sentence)
                channel.send(ev="violation", message=clean(sentence, limit=300))

            return ["audit-hook"], sandbox.install_audit_hook(policy, denied)

    channel.send(ev="hello", torch=torch.__version__, pid=os.getpid(), sandbox=layers)
    plugin = GradingPlugin(
        channel,
        spec["mode"],
        keys=spec.get("keys"),
        impl_dir=spec["impl"] if spec["mode"] == "run" else None,
        module=spec.get("module"),
        lang=spec.get("lang", "en"),
        timeout=float(spec.get("timeout", 0)),
        arm=arm if spec["mode"] == "run" else None,
        gate=bool(spec.get("gate")) and spec["mode"] == "run",
    )
    code = pytest.main(pytest_args(spec), plugins=[plugin])
    sys.stdout.flush()
    sys.stderr.flush()
    if spec["mode"] == "run":
        # Done: threads, exit functions and finalizers the code under test left must
        # not keep the worker alive (the parent has every result already).
        os._exit(int(code) & 0xFF)
    return int(code)


def _preload() -> None:
    """Import now what torch would import lazily during the tests (the fork server's list).

    Parts of torch change torch when they load (``torch.distributed`` registers
    kernels; ``torch._dynamo`` would wrap ``torch.manual_seed``, which
    grader/lazy_torch.py does up front): loaded before the tamper snapshot, they are
    not mistaken for the module's doing. A forked worker has them already.
    """
    import importlib

    from .forkserver import PRELOAD

    environ = dict(os.environ)
    for name in PRELOAD:
        try:
            importlib.import_module(name)
        except Exception:  # optional parts (numpy, torch.distributed) may be missing
            pass
    if dict(os.environ) != environ:  # torch's compiler notes its cache folder: as forked
        os.environ.clear()
        os.environ.update(environ)


def _network_layer() -> list[str]:
    """``netns`` when the worker sees no network interface but the loopback."""
    import socket

    try:
        names = [name for _, name in socket.if_nameindex()]
    except OSError:
        return []
    return ["netns"] if names == ["lo"] else []


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
