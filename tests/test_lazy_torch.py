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
meta_net = torch.nn.Sequential(torch.nn.Linear(5, 3), torch.nn.ReLU()).to("meta")
out["meta_net"] = list(meta_net(torch.zeros(2, 5, device="meta")).shape)
out["sympy_after_meta"] = "sympy" in sys.modules or lazy_torch.SHAPES in sys.modules
try:
    torch.autograd.grad(net(torch.randn(4, 3)).sum(), net.weight, torch.ones(2))
except RuntimeError as exc:  # a gradient of the wrong shape: torch's own message
    out["shape_message"] = "Mismatch in shape" in str(exc)
torch.manual_seed(3)
out["seeded"] = torch.randn(2).tolist() == (torch.manual_seed(3), torch.randn(2).tolist())[1]
out["dynamo_before"] = "torch._dynamo" in sys.modules

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


def test_meta_operations_do_not_load_sympy(fresh):
    assert fresh["meta_net"] == [2, 3]
    assert fresh["sympy_after_meta"] is False


# What the exercises do on "meta" and the mistakes a learner makes there: each line's
# result or error must be the same with the stand-ins as with torch's own modules.
META_SCRIPT = r"""
import sys, torch
from grader import lazy_torch
lazy_torch.install()
x = torch.zeros(2, 5, device="meta")
cases = [
    lambda: torch.nn.Sequential(torch.nn.Linear(5, 3), torch.nn.ReLU()).to("meta")(x).shape,
    lambda: torch.nn.LazyLinear(2).to("meta")(x).shape,
    lambda: ((x.sum(0) * 2).mean().shape, torch.cat([x, x]).shape, x.view(5, 2).shape),
    lambda: (x.reshape(-1).shape, torch.stack([x, x]).shape, x.expand(3, 2, 5).shape),
    lambda: torch.nn.functional.cross_entropy(
        torch.zeros(4, 3, device="meta"), torch.zeros(4, dtype=torch.long, device="meta")
    ).shape,
    lambda: ((x + 1.5).dtype, (x.int() + 2).dtype, (x > 0).dtype),
    lambda: x.mean(dtype=torch.float64).dtype,
    lambda: (torch.where(x > 0, x, 0.0).shape, torch.softmax(x, 1).shape),
    lambda: torch.nn.Conv2d(1, 2, 3).to("meta")(torch.zeros(1, 1, 5, 5, device="meta")).shape,
    lambda: torch.zeros(2, 3, device="meta") @ torch.zeros(4, 5, device="meta"),
    lambda: x.view(3, 3),
    lambda: x.to("cpu"),
    lambda: torch.nn.Linear(5, 3).to("meta")(torch.zeros(2, 5)),
    lambda: x.item(),
]
for case in cases:
    try:
        print(case())
    except Exception as exc:
        print(type(exc).__name__, str(exc).splitlines()[0][:200])
"""


def test_meta_results_and_errors_are_torchs_own():
    def run(eager: bool) -> str:
        env = {**__import__("os").environ, "KIT_EAGER_TORCH": "1" if eager else "0"}
        argv = [sys.executable, "-c", META_SCRIPT]
        done = subprocess.run(argv, capture_output=True, text=True, timeout=300, env=env)
        assert done.returncode == 0, done.stderr[-3000:]
        return done.stdout

    assert run(eager=False) == run(eager=True)


def test_a_gradient_of_the_wrong_shape_gets_torchs_own_error(fresh):
    assert fresh["shape_message"] is True


def test_once_the_compiler_is_loaded_the_real_disable_takes_over(fresh):
    assert fresh["deferred_before"] == 2 and fresh["deferred_after"] == 2
    assert fresh["real_disable_called"][0] == ["f", [True], {"reason": None, "wrapping": True}]
    assert fresh["compiled"] == [2.0, 2.0]


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


bool_tests = ["guard_or_false", "guard_or_true", "statically_known_true"]


@pytest.mark.parametrize("name", bool_tests)
@given(a=st.booleans())
def test_bool_tests_agree_with_torch_on_bools(real, name, a):
    assert lazy_torch._SHAPES_STAND_IN.__dict__[name](a) is getattr(real, name)(a)


@pytest.mark.parametrize("name", bool_tests)
def test_bool_tests_send_anything_else_to_the_real_module(real, name):
    with pytest.raises(AssertionError):
        getattr(real, name)(1)
    with pytest.raises(AssertionError):
        lazy_torch._SHAPES_STAND_IN.__dict__[name](1)


@pytest.mark.parametrize("name", ["sym_and", "sym_or"])
@given(values=st.lists(st.booleans(), min_size=1, max_size=4))
def test_sym_and_or_agree_with_torch_on_bools(real, name, values):
    assert lazy_torch._SHAPES_STAND_IN.__dict__[name](*values) is getattr(real, name)(*values)


@given(a=st.one_of(st.booleans(), st.integers(-5, 5), st.floats(-2, 2)))
def test_hints_and_nested_ints_agree_with_torch_on_plain_numbers(real, a):
    stand_in = lazy_torch._SHAPES_STAND_IN
    assert stand_in.has_guarding_hint(a) is real.has_guarding_hint(a)
    assert stand_in.is_nested_int(a) is real.is_nested_int(a)
    if not isinstance(a, float):
        assert stand_in.guarding_hint_or_throw(a) is real.guarding_hint_or_throw(a)


def test_symbolic_values_go_to_the_real_module(real):
    from torch.fx.experimental.symbolic_shapes import ShapeEnv

    stand_in = lazy_torch._SHAPES_STAND_IN
    size = ShapeEnv().create_unbacked_symint()
    assert stand_in.has_guarding_hint(size) is real.has_guarding_hint(size) is False
    assert stand_in.is_nested_int(size) is False
    assert stand_in.guard_or_false(size == 3) is real.guard_or_false(size == 3)


def test_a_function_imported_but_seldom_called_is_torchs_own(real):
    with pytest.warns(FutureWarning, match="guard_size_oblivious will be removed"):
        assert lazy_torch._SHAPES_STAND_IN.guard_size_oblivious(True) is True


def test_nothing_is_a_sympy_expression_while_sympy_is_not_loaded():
    basic = lazy_torch._SYMPY_STAND_IN.Basic
    assert not any(isinstance(v, basic) for v in (1, 1.5, True, torch.zeros(1), basic))
    with pytest.raises(TypeError):
        basic()
    sympy = pytest.importorskip("sympy")
    assert lazy_torch._SYMPY_STAND_IN.Integer is sympy.Integer  # any other name: the real one
