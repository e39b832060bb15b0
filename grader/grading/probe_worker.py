"""The sandboxed worker of a grading run: ``python -I -m grader.grading.probe_worker SPEC.json``.

It is the only process that imports the learner's module. It holds that module, the
probes of the module's test files (their probe source only, grader/probing.py), and a
data codec (grader/codec.py); it has no test, no verdict and no expected value. The
grading process's test runner (grader/grading/worker.py, which never imports the learner's
module) sends it requests over a socket: import the module, or run one probe on
given arguments with a given seed. Each reply is plain data.

Before the learner's module is imported the worker puts itself in the sandbox the spec
describes (grader/isolation/sandbox.py): Landlock first, then resource limits, no capabilities,
and an audit hook that protects the machine (files, processes, the network). Nothing
it does can change a verdict: at worst its data are wrong, and then its checks fail.
"""

from __future__ import annotations

import os
import socket
import sys
from pathlib import Path

from ..protocol import ProbeSpec, read_spec


def main(argv: list[str]) -> int:
    spec = read_spec(argv, "grader.grading.probe_worker", ProbeSpec)
    if spec is None:
        return 2

    fd = int(spec.fd)
    os.set_inheritable(fd, False)

    from ..isolation import containment, sandbox

    policy = sandbox.Policy.from_spec(spec.sandbox)
    layers: list[str] = list(containment.ENTERED)
    if policy is not None:
        layers += sandbox.restrict_filesystem(policy)

    import torch

    from .. import codec, probing
    from ..isolation.gpus import apply_memory_cap

    apply_memory_cap()  # --gpu: at most the share of its GPU the grader gave it
    from ..startup import one_torch_thread
    from .worker import network_layer, preload

    one_torch_thread()

    preload()

    path = spec.path
    dispatcher = probing.Dispatcher(spec.module, Path(path) if path else None)
    for file, source in spec.probes:
        dispatcher.add_probes(file, source)

    violations: list[str] = []
    if policy is not None:
        layers += sandbox.limit_resources(policy)
        layers += sandbox.drop_capabilities()
        layers += network_layer()
        if policy.audit_hook:
            sys.dont_write_bytecode = True  # no .pyc written beside the kit or torch
            sandbox.install_audit_hook(policy, violations.append)
            layers.append("audit-hook")

    stream = codec.Stream(socket.socket(fileno=fd), bytes.fromhex(spec.magic))
    stream.send({"hello": {"sandbox": layers, "torch": torch.__version__}})
    while True:
        try:
            request = stream.receive()
        except (EOFError, OSError, codec.CodecError):
            break
        op = request.get("op") if isinstance(request, dict) else None
        if op == "import":
            reply = dispatcher.import_module()
        elif op == "call":
            reply = dispatcher.call(request)
        else:
            break
        found, violations[:] = violations[:10], []
        try:
            stream.send({"reply": reply, "violations": found})
        except codec.CodecError as exc:  # not plain data: said as the learner's run says it
            name = str(request.get("name", "?"))
            stream.send({"reply": probing.not_data(name, exc), "violations": found})
        except OSError:
            break
    sys.stdout.flush()
    sys.stderr.flush()
    # Done: threads, exit functions and finalizers the code under test left must not
    # keep the worker alive.
    os._exit(0)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
