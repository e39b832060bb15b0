"""What runs in a grading subprocess: ``python -I -m grader.worker SPEC.json``.

The parent (grader/runner.py) writes a spec file into the worker's private scratch
folder and passes the write end of a pipe; the worker reads the spec, deletes it,
and runs pytest on the grader's pristine test files with :mod:`grader.report_plugin`
reporting every test's outcome over the pipe. Two modes:

* ``collect``: collect the tests (never imports code under test) and report each
  test's key, points and visibility;
* ``run``: run the given tests against the module file copied into ``impl``.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

INI = Path(__file__).resolve().parent / "grading.ini"


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
        "--basetemp",
        spec["basetemp"],
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

    import torch

    torch.set_num_threads(1)
    try:
        torch.set_num_interop_threads(1)
    except RuntimeError:  # pragma: no cover - already set
        pass

    import pytest

    from .report_plugin import Channel, GradingPlugin

    channel = Channel(fd, spec["token"])
    channel.send(ev="hello", torch=torch.__version__, pid=os.getpid())
    plugin = GradingPlugin(
        channel,
        spec["mode"],
        keys=spec.get("keys"),
        impl_dir=spec["impl"] if spec["mode"] == "run" else None,
        module=spec.get("module"),
        lang=spec.get("lang", "en"),
        timeout=float(spec.get("timeout", 0)),
    )
    code = pytest.main(pytest_args(spec), plugins=[plugin])
    sys.stdout.flush()
    sys.stderr.flush()
    return int(code)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
