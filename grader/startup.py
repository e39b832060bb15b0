"""What a process that runs the kit's tests does before the first one.

The fork server's zygote (grader/forkserver.py), a grading worker started without it
(grader/grading/worker.py), a probe worker (grader/grading/probe_worker.py) and watch mode's runs
(grader/warm.py) share these. They sit below all of those modules, so that none of
them imports another only for them (the fork server imports the worker for its
warm-up; a worker that took these from the fork server would close a cycle).
"""

from __future__ import annotations

# What a worker imports sooner or later, imported once in the zygote. Derived from
# the modules a worker holds after grading the solutions of every exercise (neither
# torch._dynamo nor sympy is needed: grader/lazy_torch.py answers the imports torch's
# optimisers and "meta" kernels make of them; nor is torch.distributed.tensor, which
# torch.testing would import too, since grader/plugin.py tells torch.testing that no
# DTensor is compared).
PRELOAD = (
    "torch",
    "numpy",
    "numpy.random",  # Hypothesis seeds it around every example: else 15 ms per worker
    "pytest",
    "_pytest.config",
    "hypothesis",
    "hypothesis.strategies",
    "hypothesis.internal.conjecture.optimiser",
    "hypothesis.strategies._internal.flatmapped",
    "_hypothesis_pytestplugin",
    "pytest_timeout",
    "grader.plugin",
    "grader.profiles",
    "grader.strategies",
    "grader.testing",
    "grader.grading.report_plugin",
    "grader.grading.worker",
    "grader.grading.probe_worker",
    "grader.probing",
    "grader.plain",
    "grader.codec",
    "grader.isolation.sandbox",
    "grader.forkserver",  # the zygote runs as __main__; a worker imports it by name
    "grader.isolation.containment",
    "grader.i18n",
    "torch.testing",
    "torch.utils.serialization",
    "pdb",
    "faulthandler",
)


def one_torch_thread() -> None:
    """torch with one intra-op and one inter-op thread (a worker, the zygote)."""
    import torch

    torch.set_num_threads(1)
    try:
        torch.set_num_interop_threads(1)
    except RuntimeError:  # pragma: no cover - already set
        pass


def import_preload() -> None:
    """Import every module of :data:`PRELOAD` there is (numpy or torch.distributed may
    be missing)."""
    import importlib

    for name in PRELOAD:
        try:
            importlib.import_module(name)
        except Exception:  # optional parts (numpy, torch.distributed) may be missing
            pass
