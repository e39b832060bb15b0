"""The test runner of a grading job: ``python -I -m grader.grading.worker SPEC.json``.

The parent (grader/grading/runner.py) writes a spec file into the runner's private scratch
folder and passes one end of a private socket pair; the runner reads the spec,
deletes it, and runs pytest on the grader's pristine test files with
:mod:`grader.grading.report_plugin` reporting every test's outcome over it. Two modes:

* ``collect``: collect the tests and report each test's key, points and visibility;
* ``run``: run the given tests. The runner never imports the module under test:
  every probe the tests call goes to its probe worker (grader/grading/probe_worker.py) over
  a second socket the spec names, and comes back as data. Hypothesis, the verdicts
  and the messages are all here.
"""

from __future__ import annotations

import os
import socket
import sys
from pathlib import Path

from ..protocol import EXIT_PROBE_UNBORN, Event, WorkerSpec, read_spec

INI = Path(__file__).resolve().parents[1] / "grading.ini"

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


# The plugins the command line names with ``-p``. Handed to pytest as the modules
# themselves where they are loaded already (a forked worker's are): pytest then takes
# each as registered, where a ``-p`` name alone makes it search every installed
# package's entry points first (15 ms a session, once per module graded).
COMMAND_LINE_PLUGINS = ("grader.plugin", "_hypothesis_pytestplugin", "pytest_timeout")


def loaded_plugins() -> list:
    """The modules of :data:`COMMAND_LINE_PLUGINS` that are loaded, in that order."""
    return [sys.modules[name] for name in COMMAND_LINE_PLUGINS if name in sys.modules]


def pytest_args(spec: WorkerSpec) -> list[str]:
    """The pytest command line of a worker (also used by collection: same node IDs)."""
    args = [
        *spec.files,
        "-c",
        str(INI),
        "--rootdir",
        spec.rootdir,
        "--noconftest",
        "--import-mode=importlib",
        "-p",
        "no:cacheprovider",
        "-p",
        "no:stepwise",
        # pytest's plugins for options a worker never passes: 7 ms of every session
        *("-p", "no:doctest", "-p", "no:junitxml", "-p", "no:pastebin"),
        *("-p", "no:setuponly", "-p", "no:setupplan"),
        *(arg for name in COMMAND_LINE_PLUGINS for arg in ("-p", name)),
        "--impl",
        spec.impl,
        "--lang",
        spec.lang,
        "--kit-seed",
        str(spec.seed),
        "--hypothesis-profile",
        "grader",
        "--hypothesis-seed",
        str(spec.seed),
        "-o",
        f"timeout={spec.timeout:g}",
        "-o",
        # A C-level watchdog thread: it ends a test stuck in a call no signal
        # interrupts, before the parent's watchdog has to (timeout + 15 s).
        f"faulthandler_timeout={spec.timeout + 6:g}",
        "-o",
        "faulthandler_exit_on_timeout=true",
        "--timeout-disable-debugger-detection",
        "--basetemp",
        spec.basetemp,
        "--capture=no",  # what the code prints goes to the parent, which keeps a tail
        "-q",
        "--tb=no",
        "-rN",
        "--no-header",
        "--color=no",
    ]
    if spec.mode == "collect":
        args.append("--collect-only")
    return args


def main(argv: list[str]) -> int:
    spec = read_spec(argv, "grader.grading.worker", WorkerSpec)
    if spec is None:
        return 2

    fd = int(spec.fd)
    os.set_inheritable(fd, False)  # not handed on to processes the code under test starts
    forget_other_test_modules(spec.files)

    from ..isolation import containment

    layers: list[str] = list(containment.ENTERED)  # a forked runner's, in bubblewrap

    import torch

    from ..startup import one_torch_thread

    one_torch_thread()

    # The plugins pytest loads with -p, imported now.
    import _hypothesis_pytestplugin  # noqa: F401
    import pytest
    import pytest_timeout  # noqa: F401

    from .. import plugin as _kit_plugin  # noqa: F401
    from .. import probing
    from .. import testing as _testing  # noqa: F401
    from .report_plugin import Channel, GradingPlugin, clean

    channel = Channel(fd, spec.token)
    remote = None
    if spec.mode == "run":
        # The probe worker (grader/grading/probe_worker.py): the only process that imports the
        # module. Its sandbox layers are the ones that count for the report.
        probe_sock = socket.socket(fileno=int(spec.probe_fd))
        os.set_inheritable(probe_sock.fileno(), False)

        def denied(sentence: str) -> None:
            channel.send(Event.VIOLATION, message=clean(sentence, limit=300))

        remote = probing.Remote(probe_sock, bytes.fromhex(spec.magic), denied)
        try:
            hello = remote.start(float(spec.startup))
        except probing.ProbeLost:
            # No hello: the layers of a worker that never started say nothing.
            os._exit(EXIT_PROBE_UNBORN)
        found = hello.get("sandbox")
        layers = [str(x) for x in found][:20] if isinstance(found, list) else []
        probing.use(remote)

    channel.send(Event.HELLO, torch=torch.__version__, pid=os.getpid(), sandbox=layers)
    plugin = GradingPlugin(
        channel,
        spec.mode,
        keys=spec.keys,
        module=spec.module,
        lang=spec.lang,
        timeout=float(spec.timeout),
        remote=remote,
        gate=bool(spec.gate) and spec.mode == "run",
    )
    code = pytest.main(pytest_args(spec), plugins=[plugin, *loaded_plugins()])
    sys.stdout.flush()
    sys.stderr.flush()
    if spec.mode == "run":
        # Done: threads, exit functions and finalizers the code under test left must
        # not keep the worker alive (the parent has every result already).
        os._exit(int(code) & 0xFF)
    return int(code)


def preload() -> None:
    """Import now what torch would import lazily during the tests (the fork server's list).

    Parts of torch change torch when they load (``torch.distributed`` registers
    kernels; ``torch._dynamo`` would wrap ``torch.manual_seed``, which
    grader/lazy_torch.py does up front): loaded before the module under test, they are
    never its doing. A forked worker has them already.
    """
    from ..startup import import_preload

    environ = dict(os.environ)
    import_preload()
    if dict(os.environ) != environ:  # torch's compiler notes its cache folder: as forked
        os.environ.clear()
        os.environ.update(environ)


def network_layer() -> list[str]:
    """``netns`` when the worker sees no network interface but the loopback."""
    import socket

    try:
        names = [name for _, name in socket.if_nameindex()]
    except OSError:
        return []
    return ["netns"] if names == ["lo"] else []


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
