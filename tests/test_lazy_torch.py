"""grader/lazy_torch.py: torch's compiler imports answered by stand-ins, torch's behaviour kept."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap

import pytest
import torch
from hypothesis import given
from hypothesis import strategies as st

from grader import lazy_torch

# One fresh interpreter does, in order, what the kit's tests do, then loads the real
# compiler, and reports what it saw (a module-scoped run: torch starts once).
SCRIPT = r"""
import json, sys
import torch
from pathlib import Path
from grader import lazy_torch
out = {"installed": lazy_torch.install(), "again": lazy_torch.install()}

net = torch.nn.Linear(3, 2)
opt = torch.optim.SGD(net.parameters(), lr=0.1)
net(torch.randn(4, 3)).sum().backward()
opt.step()
X = torch.randn(3, dtype=torch.float64, requires_grad=True)
out["gradcheck"] = torch.autograd.gradcheck(lambda x: x - x.mean(), (X,))
out["sympy_after_gradcheck"] = "sympy" in sys.modules
out["meta"] = str((torch.zeros(2, 3, device="meta") + torch.zeros(3, device="meta")).device)
try:
    torch.autograd.grad(net(torch.randn(4, 3)).sum(), net.weight, torch.ones(2))
except RuntimeError as exc:  # a gradient of the wrong shape: torch's own message
    out["shape_message"] = "Mismatch in shape" in str(exc)
torch.manual_seed(3)
out["seeded"] = torch.randn(2).tolist() == (torch.manual_seed(3), torch.randn(2).tolist())[1]
out["dynamo_before"] = "torch._dynamo" in sys.modules

from grader import tamper
guard = tamper.Guard("nothing", Path("."))
calls = []
def f(x):
    return x + 1
deferred = lazy_torch.disable(f)
out["deferred_before"] = deferred(1)
import torch._dynamo  # what torch.compile would do
real = torch._dynamo.disable
def spy(fn, *a, **k):
    calls.append((fn.__name__, a, k))
    return real(fn, *a, **k)
torch._dynamo.disable = spy
out["deferred_after"] = deferred(1)
out["real_disable_called"] = calls
out["tamper_after_compiler"] = guard.check(full=True)
opt.step()
out["compiled"] = torch.compile(lambda x: x * 2, backend="eager")(torch.ones(2)).tolist()
print(json.dumps(out))
"""


@pytest.fixture(scope="module")
def fresh() -> dict:
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT], capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_exercise_work_never_loads_the_compiler(fresh):
    assert fresh["installed"] and fresh["again"]
    assert fresh["gradcheck"] is True
    assert fresh["meta"] == "meta"
    assert fresh["seeded"] is True
    assert fresh["dynamo_before"] is False, "an optimiser step or a meta op loaded torch._dynamo"


def test_gradcheck_does_not_load_sympy(fresh):
    assert fresh["sympy_after_gradcheck"] is False


def test_a_gradient_of_the_wrong_shape_gets_torchs_own_error(fresh):
    assert fresh["shape_message"] is True


def test_once_the_compiler_is_loaded_the_real_disable_takes_over(fresh):
    assert fresh["deferred_before"] == 2 and fresh["deferred_after"] == 2
    assert fresh["real_disable_called"][0] == ["f", [True], {"reason": None, "wrapping": True}]
    assert fresh["compiled"] == [2.0, 2.0]


def test_loading_the_compiler_later_changes_nothing_the_tamper_checks_compare(fresh):
    # torch._dynamo marks torch.manual_seed "do not compile" when it loads:
    # install() did that up front, so a module that compiles is not taken for a cheat.
    assert fresh["tamper_after_compiler"] == []


def test_kit_eager_torch_turns_it_off():
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            "import torch; from grader import lazy_torch; print(lazy_torch.install())",
        ],
        capture_output=True,
        text=True,
        timeout=120,
        env={**__import__("os").environ, "KIT_EAGER_TORCH": "1"},
    )
    assert done.stdout.strip() == "False", done.stderr[-2000:]


def test_other_importers_get_the_real_module():
    code = textwrap.dedent(
        """
        import sys, torch
        from grader import lazy_torch
        lazy_torch.install()
        exec("import torch._dynamo", {"__name__": "learner"})
        print(type(sys.modules["torch._dynamo"]).__name__)
        """
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300)
    assert done.stdout.strip() == "module", done.stderr[-2000:]


shapes = st.lists(st.integers(0, 4), max_size=4)


@pytest.fixture(scope="module")
def real():
    return pytest.importorskip(lazy_torch.SHAPES)


@given(x=shapes, y=shapes, x_list=st.booleans(), y_list=st.booleans())
def test_sym_eq_stand_in_agrees_with_torch_on_shapes_of_ints(real, x, y, x_list, y_list):
    a = x if x_list else torch.Size(x)
    b = y if y_list else tuple(y)
    assert lazy_torch.sym_eq(a, b) == real.sym_eq(a, b)
    assert lazy_torch.expect_true(lazy_torch.sym_eq(a, b)) == real.expect_true(real.sym_eq(a, b))


@given(x=st.integers(-3, 3), y=st.integers(-3, 3))
def test_sym_eq_stand_in_agrees_with_torch_on_ints(real, x, y):
    assert lazy_torch.sym_eq(x, y) is real.sym_eq(x, y)


@pytest.mark.parametrize("args", [(1.5, 1), ((1, 2), 3), ([True], [True])])
def test_anything_else_goes_to_the_real_module(real, args):
    try:
        expected = real.sym_eq(*args)
    except AssertionError as exc:
        with pytest.raises(AssertionError, match=str(exc)[:20]):
            lazy_torch.sym_eq(*args)
    else:
        assert lazy_torch.sym_eq(*args) == expected
    with pytest.raises(AssertionError):
        lazy_torch.expect_true(1)
