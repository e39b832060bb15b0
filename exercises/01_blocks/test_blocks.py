"""Tests for exercise 1, layers and blocks (blocks.py).

Each check is a probe and a verdict (grader/probing.py): a function marked
``@probe`` runs your code and returns plain data; the test that calls it decides,
from that data alone, whether your code is right.
"""

import pytest
import torch
from hypothesis import given
from hypothesis import strategies as st
from torch import nn
from torch.nn import functional as F

from grader.diagnoses import close as near
from grader.diagnoses import diagnose, raised
from grader.probing import probes
from grader.strategies import batch_shapes, float_dtypes, sizes, tensors

probe = probes("blocks")


def tol(dtype=torch.float32, scale=1.0):
    """The tolerance of float rounding, scaled with the size of the values involved."""
    return {"rtol": 1e-5, "atol": 64 * torch.finfo(dtype).eps * max(scale, 1.0)}


def close(actual, expected, dtype=torch.float32, scale=1.0):
    """Equal up to float rounding, scaled with the size of the values involved."""
    torch.testing.assert_close(actual, expected, **tol(dtype, scale))


@probe.helper
def linear_sizes(m):
    """(in_features, out_features) of an nn.Linear; None for anything else."""
    if isinstance(m, nn.Linear):
        return (int(m.in_features), int(m.out_features))
    return None


@probe.helper
def output_of(Y):
    """What a forward pass returned: its type, and the tensor itself (detached) if it is one."""
    is_tensor = isinstance(Y, torch.Tensor)
    return {
        "type": type(Y).__name__,
        "shape": tuple(Y.shape) if is_tensor else (),
        "Y": Y.detach().clone() if is_tensor else None,
    }


@probe.helper
def linear_params(m):
    return {"weight": m.weight.detach().clone(), "bias": m.bias.detach().clone()}


# ---------------------------------------------------------------- MLP


@probe
def mlp_layers(blocks, sizes_):
    """The sizes of MLP(*sizes_)'s layers hidden and out, before any forward pass."""
    net = blocks.MLP(*sizes_)
    return {name: linear_sizes(getattr(net, name, None)) for name in ("hidden", "out")}


@probe
def mlp_structure(blocks, sizes_, X):
    net = blocks.MLP(*sizes_)
    Y = net(X)
    return {
        "out_shape": tuple(Y.shape),
        "layers": {name: linear_sizes(getattr(net, name, None)) for name in ("hidden", "out")},
        "parameters": sorted(n for n, _ in net.named_parameters()),
    }


BOOK_SIZES = (20, 256, 10)


@pytest.mark.points(1)
@given(num_inputs=sizes(1, 12), num_hiddens=sizes(1, 12), num_outputs=sizes(1, 12))
def test_mlp_has_hidden_and_out_layers(num_inputs, num_hiddens, num_outputs):
    asked = (num_inputs, num_hiddens, num_outputs)
    # The layers first (a forward pass through layers of other sizes would fail first).
    layers = mlp_layers(asked)
    for name in ("hidden", "out"):
        assert layers[name] is not None, f"MLP.{name} should be an nn.Linear"
    sizes_ = (layers["hidden"][0], layers["hidden"][1], layers["out"][1])
    with diagnose(mlp_book_sizes=lambda: sizes_ == BOOK_SIZES != asked):
        assert sizes_ == asked, (
            f"MLP({num_inputs}, {num_hiddens}, {num_outputs}) built layers of sizes {sizes_}"
        )
    assert layers["out"][0] == num_hiddens
    got = mlp_structure(asked, torch.zeros(1, num_inputs))
    assert got["out_shape"] == (1, num_outputs)
    names = got["parameters"]
    assert names == ["hidden.bias", "hidden.weight", "out.bias", "out.weight"], (
        f"MLP's parameters are {names}: only the two Linear layers hidden and out hold any"
    )


@pytest.mark.points(1)
def test_mlp_defaults_are_the_books():
    got = mlp_structure((), torch.rand(2, 20))
    assert got["out_shape"] == (2, 10)
    layers = got["layers"]
    assert layers["hidden"] is not None and layers["out"] is not None
    assert (*layers["hidden"], layers["out"][1]) == (20, 256, 10)


@probe
def mlp_forward(blocks, num_inputs, num_hiddens, dtype, X):
    """MLP(num_inputs, num_hiddens, 3) in ``dtype`` on X: the output and the layers'
    weights and biases, from which the verdict recomputes it."""
    net = blocks.MLP(num_inputs, num_hiddens, 3).to(dtype)
    with torch.no_grad():
        Y = net(X)
    return {"Y": Y.clone(), "hidden": linear_params(net.hidden), "out": linear_params(net.out)}


@pytest.mark.points(2)
@given(data=st.data(), num_inputs=sizes(1, 8), num_hiddens=sizes(1, 8), dtype=float_dtypes())
def test_mlp_forward_is_out_of_relu_of_hidden(data, num_inputs, num_hiddens, dtype):
    X = data.draw(tensors(batch_shapes(num_inputs), dtype))
    got = mlp_forward(num_inputs, num_hiddens, dtype, X)
    Y, hidden, out = got["Y"], got["hidden"], got["out"]
    expected = F.linear(F.relu(F.linear(X, hidden["weight"], hidden["bias"])), **out)
    assert Y.shape == (*X.shape[:-1], 3), f"MLP mapped shape {tuple(X.shape)} to {tuple(Y.shape)}"
    scale = float(X.abs().max()) * num_hiddens
    affine = F.linear(F.linear(X, hidden["weight"], hidden["bias"]), **out)
    with diagnose(
        relu_after_out=lambda: near(Y, F.relu(expected), **tol(dtype, scale)),
        no_hidden_relu=lambda: near(Y, affine, **tol(dtype, scale)),
    ):
        close(Y, expected, dtype, scale)


# ---------------------------------------------------------------- MySequential

widths = st.lists(sizes(1, 6), min_size=2, max_size=5)


@probe.helper
def layers_for(ws):
    """Linear layers between the widths, a ReLU after each but the last."""
    mods = []
    for k, (a, b) in enumerate(zip(ws, ws[1:])):
        mods.append(nn.Linear(a, b))
        if k < len(ws) - 2:
            mods.append(nn.ReLU())
    return mods


@probe.helper
def linears_of(mods):
    """The weights and biases of the Linear layers among ``mods``, in order."""
    return [linear_params(m) for m in mods if isinstance(m, nn.Linear)]


@probe.helper
class Tagged(nn.Module):
    """The identity, writing its tag into a shared log each time it runs."""

    def __init__(self, tag, log):
        super().__init__()
        self.tag, self.log = tag, log

    def forward(self, X):
        self.log.append(self.tag)
        return X


@probe.helper
def run_order(blocks):
    """The tags, in the order they ran, of one pass through MySequential(t0, t0, t1, t2):
    [0, 0, 1, 2] when every position runs, in order; None where the pass fails."""
    log = []
    t0, t1, t2 = (Tagged(k, log) for k in range(3))
    try:
        blocks.MySequential(t0, t0, t1, t2)(torch.zeros(1))
    except Exception:  # evidence only: the check itself reports what failed
        return None
    return [int(tag) for tag in log]


# What run_order gives for three mistakes in running the modules.
ORDER_REVERSED = [2, 1, 0, 0]  # reversed(...)
ORDER_LAST_SKIPPED = [0, 0, 1]  # a range one short
ORDER_FIRST_ONLY = [0]  # `return X` inside the loop


def repeat_ran_once(order):
    """Whether run_order's tags show each module once: t0, given twice, ran once
    (children(), set(), dict.fromkeys())."""
    return sorted(order) == [0, 1, 2]


def chain_of(linears, X):
    """The verdict's forward pass through layers_for's modules: Linear, ReLU, ..., Linear."""
    for k, p in enumerate(linears):
        X = F.linear(X, p["weight"], p["bias"])
        if k < len(linears) - 1:
            X = F.relu(X)
    return X


def sequential_keys(ws):
    """The state_dict keys nn.Sequential(*layers_for(ws)) has: Linears at even positions."""
    return [f"{2 * k}.{name}" for k in range(len(ws) - 1) for name in ("weight", "bias")]


def keys_behind_a_prefix(keys, expected):
    """Whether the keys are nn.Sequential's ``expected`` behind one prefix: net.0.weight."""
    prefix = keys[0][: len(keys[0]) - len(expected[0])]
    return prefix.endswith(".") and keys == [prefix + key for key in expected]


def keys_name_modules(keys, kinds):
    """Whether every key starts with a module's class name (``kinds``): Linear.weight,
    or str(module): Linear(in_features=2, ...).weight."""
    return bool(keys) and all(key.split(".")[0].startswith(tuple(kinds)) for key in keys)


def too_many_arguments(modules):
    """MySequential(m1, ..., mk), k = ``modules``, raising TypeError: its __init__ does not
    take k modules (nn.Module.__init__ given a list says "... but 2 were given")."""
    return raised(
        TypeError, "MySequential.__init__()", "positional argument", f"but {modules + 1} were given"
    )


@probe
def mysequential_of_layers(blocks, ws, X):
    mods = layers_for(ws)
    mine = blocks.MySequential(*mods)
    return {
        "keys": [str(k) for k in mine.state_dict()],
        "Y": mine(X).detach().clone(),
        "linears": linears_of(mods),
    }


@pytest.mark.points(3)
@given(ws=widths)
def test_mysequential_state_dict_keys_match_nn_sequential(ws):
    X = torch.rand(2, ws[0])
    got = mysequential_of_layers(ws, X)
    keys, expected = got["keys"], sequential_keys(ws)
    with diagnose(
        not_registered=lambda: keys == [],
        wrapped_container=lambda: keys_behind_a_prefix(keys, expected),
        keyed_by_module=lambda: keys_name_modules(keys, ("Linear", "ReLU")),
    ):
        assert keys == expected, (
            f"MySequential's state_dict keys are {keys}; nn.Sequential's are {expected}"
        )
    close(got["Y"], chain_of(got["linears"], X))


@probe
def mysequential_loads(blocks, ws, X):
    """Load an nn.Sequential's state dict into a MySequential, and a MySequential's into an
    nn.Sequential (strict: the keys must match exactly), each holding other values first."""
    mine = blocks.MySequential(*layers_for(ws))
    mine(X)  # a first pass with its own values
    ref_mods = layers_for(ws)
    ref = nn.Sequential(*ref_mods)
    ref_linears = linears_of(ref_mods)
    mine.load_state_dict(ref.state_dict())
    mine_Y = mine(X).detach().clone()
    other_mods = layers_for(ws)
    other = blocks.MySequential(*other_mods)
    other_linears = linears_of(other_mods)
    ref.load_state_dict(other.state_dict())
    return {
        "mine_Y": mine_Y,
        "ref_linears": ref_linears,
        "ref_Y": ref(X).detach().clone(),
        "other_Y": other(X).detach().clone(),
        "other_linears": other_linears,
    }


@pytest.mark.points(2)
@given(ws=widths)
def test_mysequential_state_dicts_load_both_ways(ws):
    X = torch.rand(3, ws[0])
    got = mysequential_loads(ws, X)
    # After each load, the loaded module computes with the other's values.
    close(got["mine_Y"], chain_of(got["ref_linears"], X))
    close(got["ref_Y"], chain_of(got["other_linears"], X))
    close(got["ref_Y"], got["other_Y"])


@probe.helper
class Affine(nn.Module):
    """x * a + b with fixed a, b: modules whose order matters."""

    def __init__(self, a, b):
        super().__init__()
        self.a, self.b = a, b

    def forward(self, X):
        return X * self.a + self.b


@probe
def mysequential_of_affines(blocks, coefs, X):
    net = blocks.MySequential(*(Affine(a, b) for a, b in coefs))
    return {"Y": net(X).detach().clone(), "order": run_order(blocks)}


@pytest.mark.points(2)
@given(coefs=st.lists(st.tuples(st.integers(-3, 3), st.integers(-3, 3)), min_size=1, max_size=6))
def test_mysequential_applies_modules_in_the_order_given(coefs):
    X = torch.arange(4.0)
    expected = X.clone()
    for a, b in coefs:
        expected = expected * a + b
    got = mysequential_of_affines(coefs, X)
    order = got["order"]
    with diagnose(
        reversed_order=lambda: order == ORDER_REVERSED,
        last_module_skipped=lambda: order == ORDER_LAST_SKIPPED,
        returns_inside_loop=lambda: order == ORDER_FIRST_ONLY,
        repeats_run_once=lambda: repeat_ran_once(order),
    ):
        assert torch.equal(got["Y"], expected), "modules must run in the order they were given"


@probe.helper
class Counter(nn.Module):
    def __init__(self):
        super().__init__()
        self.calls = 0

    def forward(self, X):
        self.calls += 1
        return X + 1


@probe
def mysequential_repeats(blocks, repeats, X0, X):
    """One Counter given ``repeats`` times, run on X0; then one Linear at positions 0 and 2
    (a ReLU between), run on X: the outputs, the calls and the shared layer's values."""
    counter = Counter()
    out = blocks.MySequential(*([counter] * repeats))(X0)
    shared = nn.Linear(3, 3)
    mine = blocks.MySequential(shared, nn.ReLU(), shared)
    positions = list(mine._modules.values())
    first = {}
    return {
        "calls": int(counter.calls),
        "out": out.detach().clone(),
        "shared_Y": mine(X).detach().clone(),
        "shared": linear_params(shared),
        "keys": [str(k) for k in mine.state_dict()],
        "same_as": [first.setdefault(id(m), i) for i, m in enumerate(positions)],
        "order": run_order(blocks),
    }


@pytest.mark.points(3)
@given(repeats=st.integers(2, 4))
def test_mysequential_runs_a_repeated_module_at_each_position(repeats):
    X = torch.rand(2, 3)
    with diagnose(takes_a_list=too_many_arguments(repeats)):
        got = mysequential_repeats(repeats, torch.zeros(1), X)
    calls, keys, order = got["calls"], got["keys"], got["order"]
    expected_keys = ["0.weight", "0.bias", "2.weight", "2.bias"]
    with diagnose(
        repeats_run_once=lambda: repeat_ran_once(order),
        last_module_skipped=lambda: order == ORDER_LAST_SKIPPED,
        returns_inside_loop=lambda: order == ORDER_FIRST_ONLY,
        keyed_by_module=lambda: keys_name_modules(keys, ("Linear", "ReLU")),
    ):
        assert calls == repeats and got["out"].item() == repeats, (
            f"a module given {repeats} times ran {calls} times"
        )
        # nn.Sequential(shared, nn.ReLU(), shared): the shared layer runs at 0 and at 2.
        p = got["shared"]
        close(got["shared_Y"], F.linear(F.relu(F.linear(X, **p)), **p))
    with diagnose(
        not_registered=lambda: keys == [],
        wrapped_container=lambda: keys_behind_a_prefix(keys, expected_keys),
        keyed_by_module=lambda: keys_name_modules(keys, ("Linear", "ReLU")),
    ):
        assert keys == expected_keys, (
            f"MySequential(shared, nn.ReLU(), shared) has the state_dict keys {keys}"
        )
    assert got["same_as"] == [0, 1, 0], (
        "MySequential should hold the shared layer itself at positions 0 and 2"
    )


@probe
def mysequential_children(blocks, X):
    mods = [nn.Linear(2, 3), nn.ReLU(), nn.Linear(3, 1)]
    net = blocks.MySequential(*mods)
    Y = net(X)
    children = list(net._modules.items())
    return {
        "out_shape": tuple(Y.shape),
        "container": isinstance(net, (nn.Sequential, nn.ModuleList, nn.ModuleDict)),
        "keys": [str(k) for k, _ in children],
        # The children that are containers themselves (a wrapped nn.Sequential, say).
        "containers": [
            str(k)
            for k, m in children
            if isinstance(m, (nn.Sequential, nn.ModuleList, nn.ModuleDict))
        ],
        "same": [m is orig for (_, m), orig in zip(children, mods)],
        "hidden": [
            str(name)
            for name, value in vars(net).items()
            if isinstance(value, (nn.Sequential, nn.ModuleList, nn.ModuleDict))
        ],
    }


@pytest.mark.points(2)
def test_mysequential_is_written_on_nn_module():
    with diagnose(takes_a_list=too_many_arguments(3)):
        got = mysequential_children(torch.zeros(4, 2))
    assert got["out_shape"] == (4, 1)
    with diagnose(subclasses_container=lambda: got["container"]):
        assert not got["container"], (
            "MySequential is a subclass of nn.Sequential, nn.ModuleList or nn.ModuleDict"
        )
    keys = got["keys"]
    with diagnose(
        not_registered=lambda: keys == [],
        wrapped_container=lambda: bool(keys) and keys == got["containers"],
        keyed_by_module=lambda: keys_name_modules(keys, ("Linear", "ReLU")),
    ):
        assert keys == ["0", "1", "2"], (
            f"MySequential's direct children are {keys}; expected the keys 0, 1, 2"
        )
    assert got["same"] == [True, True, True], (
        "store the very module objects you were given, not copies"
    )
    hidden = got["hidden"]
    assert not hidden, f"MySequential keeps a container in {hidden}"


@probe
def mysequential_on_meta(blocks, X):
    """Parameters and buffers of a MySequential after ``.to("meta")``: their devices."""
    net = blocks.MySequential(nn.Linear(3, 4), nn.BatchNorm1d(4), nn.Linear(4, 2))
    Y = net(X)
    count = len(list(net.parameters()))
    net.to("meta")
    tensors_ = [*net.named_parameters(), *net.named_buffers()]
    return {
        "out_shape": tuple(Y.shape),
        "parameters": count,
        "devices": [[str(name), str(t.device)] for name, t in tensors_],
    }


@pytest.mark.points(1)
def test_mysequential_parameters_move_with_to_device():
    with diagnose(takes_a_list=too_many_arguments(3)):
        got = mysequential_on_meta(torch.rand(5, 3))
    assert got["out_shape"] == (5, 2)
    with diagnose(not_registered=lambda: got["parameters"] == 0):
        assert got["parameters"] == 6, f"MySequential has {got['parameters']} parameters, not 6"
    for name, device in got["devices"]:
        assert device == "meta", f"{name} did not move with .to('meta')"


@probe
def empty_mysequential(blocks, X):
    return blocks.MySequential()(X)


@pytest.mark.points(1)
def test_empty_mysequential_returns_its_input():
    X = torch.rand(2, 3)
    assert torch.equal(empty_mysequential(X), X)


# ---------------------------------------------------------------- FixedHiddenMLP


@probe
def fixed_hidden_registrations(blocks, n, X):
    net = blocks.FixedHiddenMLP(n)
    net(X)
    buffers = dict(net.named_buffers())
    rand_weight = buffers.get("rand_weight")
    linear = getattr(net, "linear", None)
    return {
        "parameters": [str(name) for name, _ in net.named_parameters()],
        "parameter_shapes": {str(name): tuple(p.shape) for name, p in net.named_parameters()},
        "linear": linear_sizes(linear),
        "linear_weight_shape": tuple(linear.weight.shape) if linear_sizes(linear) else None,
        "buffers": [str(name) for name in buffers],
        "state_dict": [str(key) for key in net.state_dict()],
        "rand_weight_shape": None if rand_weight is None else tuple(rand_weight.shape),
        "rand_weight_requires_grad": None if rand_weight is None else rand_weight.requires_grad,
        # A tensor kept as a plain attribute: neither a parameter nor a buffer.
        "rand_weight_plain": isinstance(vars(net).get("rand_weight"), torch.Tensor),
    }


def a_second_linear(shapes, n):
    """Whether, besides linear.*, the parameters are one more Linear(n, n)'s weight and bias."""
    others = {name: shape for name, shape in shapes.items() if not name.startswith("linear.")}
    owners = {name.rsplit(".", 1)[0] for name in others}
    if len(owners) != 1:
        return False
    (owner,) = owners
    return others == {f"{owner}.weight": (n, n), f"{owner}.bias": (n,)}


@pytest.mark.points(2)
@given(n=sizes(1, 16))
def test_fixed_hidden_mlp_parameters_are_only_linears(n):
    got = fixed_hidden_registrations(n, torch.rand(2, n))
    names = got["parameters"]
    with diagnose(
        rand_weight_a_parameter=lambda: "rand_weight" in names,
        second_linear=lambda: a_second_linear(got["parameter_shapes"], n),
    ):
        assert names == ["linear.weight", "linear.bias"], (
            f"FixedHiddenMLP's parameters are {names}; expected linear.weight and linear.bias only"
        )
    assert got["linear"] is not None, "FixedHiddenMLP.linear should be an nn.Linear"
    assert got["linear_weight_shape"] == (n, n), f"linear should be nn.Linear({n}, {n})"


@pytest.mark.points(2)
@given(n=sizes(1, 16))
def test_rand_weight_is_a_persistent_buffer(n):
    got = fixed_hidden_registrations(n, torch.rand(1, n))
    with diagnose(
        rand_weight_a_parameter=lambda: "rand_weight" in got["parameters"],
        plain_tensor_attribute=lambda: got["rand_weight_plain"],
    ):
        assert "rand_weight" in got["buffers"], "rand_weight is not a buffer of FixedHiddenMLP"
    with diagnose(
        not_persistent=lambda: (
            "rand_weight" in got["buffers"] and "rand_weight" not in got["state_dict"]
        )
    ):
        assert "rand_weight" in got["state_dict"], "rand_weight is missing from state_dict()"
    shape = got["rand_weight_shape"]
    assert shape == (n, n), f"rand_weight has shape {shape}, not ({n}, {n})"
    with diagnose(rand_weight_requires_grad=lambda: got["rand_weight_requires_grad"] is True):
        assert not got["rand_weight_requires_grad"], "rand_weight requires a gradient"


@probe
def fixed_hidden_rand_weight(blocks, n, X):
    net = blocks.FixedHiddenMLP(n)
    net(X)
    return net.rand_weight.detach().clone()


@pytest.mark.points(2)
def test_rand_weight_is_drawn_from_uniform_0_1():
    # 40,000 draws of U[0, 1): mean 1/2 (standard error 0.0014) and standard deviation
    # sqrt(1/12) ~ 0.2887 (standard error ~ 0.00065). Bounds of 0.015 and 0.01 are more
    # than 10 standard errors: a false failure is below 1e-20 per run, seed or no seed.
    w = fixed_hidden_rand_weight(200, torch.rand(1, 200))
    mean, std = float(w.mean()), float(w.std())
    # N(0, 1) (torch.randn): negative values, mean 0 and standard deviation 1, each to
    # within 10 standard errors (0.005 and 0.0035).
    normal = float(w.min()) < 0 and abs(mean) < 0.05 and abs(std - 1) < 0.05
    with diagnose(randn_not_rand=lambda: normal):
        assert float(w.min()) >= 0 and float(w.max()) < 1, (
            f"rand_weight has values outside [0, 1): from {float(w.min())} to {float(w.max())}"
        )
        assert abs(mean - 0.5) < 0.015 and abs(std - 12**-0.5) < 0.01, (
            f"rand_weight has mean {mean} and standard deviation {std}; U[0, 1) has 0.5 and 0.289"
        )


@probe
def fixed_hidden_backward(blocks, X1, X2):
    """Backward from the output on X1, then another forward pass on X2: what rand_weight
    is before and after, and where gradients went."""
    net = blocks.FixedHiddenMLP(6)
    before = getattr(net, "rand_weight", None)  # as __init__ left it
    before = None if before is None else before.detach().clone()
    out = net(X1)
    out.backward()
    net(X2)
    return {
        "rand_weight_grad": net.rand_weight.grad is not None,
        "rand_weight_requires_grad": bool(net.rand_weight.requires_grad),
        "before": before,
        "after": net.rand_weight.detach().clone(),
        "linear_grad": net.linear.weight.grad is not None,
    }


@pytest.mark.points(2)
def test_rand_weight_is_constant_and_gets_no_gradient():
    got = fixed_hidden_backward(torch.rand(3, 6), torch.rand(3, 6))
    before, after = got["before"], got["after"]
    assert before is not None, (
        "FixedHiddenMLP has no rand_weight until forward runs: register it in __init__"
    )
    with diagnose(rand_weight_requires_grad=lambda: got["rand_weight_requires_grad"]):
        assert not got["rand_weight_grad"] and not got["rand_weight_requires_grad"], (
            "rand_weight requires or received a gradient"
        )
    # Redrawn: every entry changed between the two forward calls.
    with diagnose(rand_weight_redrawn=lambda: bool((after != before).all())):
        assert torch.equal(after, before), "rand_weight changed between forward calls"
    assert got["linear_grad"], "no gradient reached linear.weight"


@probe
def fixed_hidden_on_meta(blocks, X):
    net = blocks.FixedHiddenMLP(5)
    net(X)
    net.to("meta")
    return {
        "rand_weight": str(net.rand_weight.device),
        "linear_weight": str(net.linear.weight.device),
        "rand_weight_plain": isinstance(vars(net).get("rand_weight"), torch.Tensor),
    }


@pytest.mark.points(2)
def test_rand_weight_moves_with_to_device():
    got = fixed_hidden_on_meta(torch.rand(1, 5))
    with diagnose(plain_tensor_attribute=lambda: got["rand_weight_plain"]):
        assert got["rand_weight"] == "meta", (
            f"rand_weight stayed on {got['rand_weight']} after .to('meta')"
        )
    assert got["linear_weight"] == "meta"


def fixed_hidden_halved(p, X, plus=1):
    """The contract's forward up to its final sum (``plus``: what is added inside the
    relu), computed from the module's own linear and rand_weight."""
    X = F.linear(X, p["weight"], p["bias"])
    X = F.relu(X @ p["rand_weight"] + plus)
    X = F.linear(X, p["weight"], p["bias"])
    while X.abs().sum() > 1:
        X = X / 2
    return X


def fixed_hidden_reference(p, X, plus=1):
    """The contract's forward, computed from the module's own linear and rand_weight."""
    return fixed_hidden_halved(p, X, plus).sum()


@probe.helper
def fixed_hidden_values(net):
    """FixedHiddenMLP's own linear weight and bias and its rand_weight."""
    return {**linear_params(net.linear), "rand_weight": net.rand_weight.detach().clone()}


@probe.helper
def halving_runs(blocks):
    """FixedHiddenMLP(2) with linear's weight set to 0 and its bias to b, so that the
    halving loop starts from X = b: the outputs for b = (-6, 0) and b = (3, -1) (the
    recipe gives -0.75 and 0.5). None for a run that fails or gives no single number."""
    found = []
    for b in ([-6.0, 0.0], [3.0, -1.0]):
        try:
            net = blocks.FixedHiddenMLP(2)
            with torch.no_grad():
                net.linear.weight.zero_()
                net.linear.bias.copy_(torch.tensor(b))
                Y = net(torch.zeros(1, 2))
            found.append(float(Y) if isinstance(Y, torch.Tensor) and Y.numel() == 1 else None)
        except Exception:  # evidence only: the check itself reports what failed
            found.append(None)
    return found


@probe
def fixed_hidden_forward(blocks, n, dtype, X):
    net = blocks.FixedHiddenMLP(n).to(dtype)
    with torch.no_grad():
        Y = net(X)
    return {
        "out": output_of(Y),
        "values": fixed_hidden_values(net),
        "halving": halving_runs(blocks),
    }


# torch.mm(X, rand_weight) on an input with more than one batch dimension.
MM_TWO_DIMS_ONLY = raised(RuntimeError, "must be a matrix")


@pytest.mark.points(3)
@given(data=st.data(), n=sizes(1, 12), dtype=float_dtypes())
def test_fixed_hidden_mlp_forward_follows_the_recipe(data, n, dtype):
    X = data.draw(tensors(batch_shapes(n), dtype, bound=10.0))
    with diagnose(mm_two_dims_only=MM_TWO_DIMS_ONLY):
        got = fixed_hidden_forward(n, dtype, X)
    Y, values, halving = got["out"]["Y"], got["values"], got["halving"]
    with diagnose(returns_x_not_sum=lambda: near(Y, fixed_hidden_halved(values, X), **tol(dtype))):
        assert Y is not None and Y.dim() == 0, (
            f"forward should return X.sum(), a 0-d tensor; got shape {got['out']['shape']}"
        )
    with diagnose(
        halves_once=lambda: halving == [-3.0, 1.0],
        sum_without_abs=lambda: halving == [-6.0, 1.0],
        missing_plus_one=lambda: near(Y, fixed_hidden_reference(values, X, plus=0), **tol(dtype)),
    ):
        assert abs(float(Y)) <= 1, f"|output| = {abs(float(Y))} > 1"
        expected = fixed_hidden_reference(values, X)
        # Halving is exact, and it leaves X.abs().sum() <= 1: rounding errors shrink with X,
        # so a tolerance of a few dozen eps needs no further scaling.
        close(Y, expected, dtype)


@probe
def fixed_hidden_gradients(blocks, n, X):
    net = blocks.FixedHiddenMLP(n).double()
    net(X).backward()
    grad = net.linear.weight.grad
    return {
        "weight": None if grad is None else grad.clone(),
        "bias": None if net.linear.bias.grad is None else net.linear.bias.grad.clone(),
        "values": fixed_hidden_values(net),
    }


@pytest.mark.points(1)
@given(data=st.data(), n=sizes(1, 8))
def test_fixed_hidden_mlp_gradients_flow_through_both_uses_of_linear(data, n):
    X = data.draw(tensors(batch_shapes(n), torch.float64, bound=10.0))
    with diagnose(mm_two_dims_only=MM_TWO_DIMS_ONLY):
        got = fixed_hidden_gradients(n, X)
    assert got["weight"] is not None, "no gradient reached linear.weight"
    # The verdict differentiates the contract's forward itself, with the module's values.
    values = dict(got["values"])
    weight = values["weight"].clone().requires_grad_(True)
    bias = values["bias"].clone().requires_grad_(True)
    values.update(weight=weight, bias=bias)
    fixed_hidden_reference(values, X).backward()
    # float64: the two computations agree to rounding; the output is halved to |.| <= 1,
    # so gradients stay of the size of the layer's inputs.
    scale = float(X.abs().max()) * n
    close(got["weight"], weight.grad, torch.float64, scale)
    assert got["bias"] is not None, "no gradient reached linear.bias"
    close(got["bias"], bias.grad, torch.float64, scale)


@probe
def fixed_hidden_with(blocks, weight, bias, X):
    """FixedHiddenMLP(4) with the verdict's linear weight and bias copied in, on X."""
    net = blocks.FixedHiddenMLP(4)
    net(X)  # a first pass with its own values
    with torch.no_grad():
        net.linear.weight.copy_(weight)
        net.linear.bias.copy_(bias)
        Y = net(X)
    return Y.clone()


@pytest.mark.points(1)
def test_fixed_hidden_mlp_stops_halving_at_exactly_one():
    # linear maps everything to its bias (2, 0, 0, 0): the loop sees |X| summing to 2,
    # halves once to 1 and must stop there, as "while X.abs().sum() > 1" does.
    Y = fixed_hidden_with(torch.zeros(4, 4), torch.tensor([2.0, 0.0, 0.0, 0.0]), torch.rand(1, 4))
    # Halved once more: the loop ran while the sum was >= 1.
    with diagnose(halves_at_one=lambda: float(Y) == 0.5):
        assert float(Y) == 1.0, (
            f"forward returned {float(Y)} where halving (2, 0, 0, 0) once gives a sum of 1.0"
        )


# ---------------------------------------------------------------- NestMLP and chimera


@probe.helper
def kinds_of(container):
    return [type(m).__name__ for m in container._modules.values()]


@probe
def nestmlp_structure(blocks, X):
    net = blocks.NestMLP()
    inner = getattr(net, "net", None)
    linear = getattr(net, "linear", None)
    is_sequential = isinstance(inner, nn.Sequential)
    mods = list(inner._modules.values()) if is_sequential else []
    Y = net(X)
    return {
        "net": is_sequential,
        "linear": isinstance(linear, nn.Linear),
        "kinds": kinds_of(inner) if is_sequential else None,
        "sizes": [
            linear_sizes(mods[0]) if len(mods) > 0 else None,
            linear_sizes(mods[2]) if len(mods) > 2 else None,
            linear_sizes(linear),
        ],
        "out_shape": tuple(Y.shape),
        "keys": [str(k) for k in net.state_dict()],
    }


def other_widths(sizes_):
    """Whether NestMLP's three Linear layers chain 20 -> a -> b -> 16 with hidden widths
    other than 64 and 32."""
    (i, a), (a2, b), (b2, o) = sizes_
    return (i, o) == (20, 16) and a == a2 and b == b2 and (a, b) != (64, 32)


@pytest.mark.points(2)
def test_nestmlp_structure():
    got = nestmlp_structure(torch.rand(2, 20))
    for name, kind in (("net", "Sequential"), ("linear", "Linear")):
        assert got[name], f"NestMLP.{name} should be an nn.{kind}"
    kinds = got["kinds"]
    with diagnose(nest_relus_missing=lambda: "Linear" in kinds and "ReLU" not in kinds):
        assert kinds == ["Linear", "ReLU", "Linear", "ReLU"], (
            f"NestMLP.net holds {kinds}; expected Linear, ReLU, Linear, ReLU"
        )
    sizes_ = got["sizes"]
    with diagnose(nest_widths=lambda: other_widths(sizes_)):
        assert sizes_ == [(20, 64), (64, 32), (32, 16)], (
            f"NestMLP's Linear layers have sizes {sizes_}; expected 20->64, 64->32, then 32->16"
        )
    assert got["out_shape"] == (2, 16)
    assert got["keys"] == [
        "net.0.weight",
        "net.0.bias",
        "net.2.weight",
        "net.2.bias",
        "linear.weight",
        "linear.bias",
    ], "NestMLP's state_dict keys should read net.0.*, net.2.*, linear.*"


@probe.helper
def layer_data(m):
    """One layer as data: its kind, and a Linear's weight and bias."""
    found = {"kind": type(m).__name__}
    if isinstance(m, nn.Linear):
        found.update(linear_params(m))
    return found


@probe
def nestmlp_forward(blocks, X):
    """NestMLP on X: the output, and its layers as data (net's, in order, then linear)."""
    net = blocks.NestMLP()
    with torch.no_grad():
        Y = net(X)
    return {
        "Y": Y.clone(),
        "net": [layer_data(m) for m in net.net._modules.values()],
        "linear": layer_data(net.linear),
    }


def run_layers(layers, X):
    """The verdict's forward pass through Linear and ReLU layers given as data."""
    for layer in layers:
        assert layer["kind"] in ("Linear", "ReLU"), (
            f"NestMLP holds a {layer['kind']}; expected only Linear and ReLU layers"
        )
        X = F.linear(X, layer["weight"], layer["bias"]) if layer["kind"] == "Linear" else F.relu(X)
    return X


@pytest.mark.points(1)
@given(X=tensors(batch_shapes(20), bound=10.0))
def test_nestmlp_forward_is_linear_of_net(X):
    got = nestmlp_forward(X)
    Y = got["Y"]
    assert Y.shape == (*X.shape[:-1], 16), f"NestMLP mapped {tuple(X.shape)} to {tuple(Y.shape)}"
    # linear(net(X)), with the module's own layers
    close(Y, run_layers([*got["net"], got["linear"]], X), scale=float(X.abs().max()) * 20)


@probe
def chimera_structure(blocks):
    net = blocks.chimera()
    is_sequential = isinstance(net, nn.Sequential)
    mods = list(net._modules.values()) if is_sequential else []

    def at(i):
        return mods[i] if len(mods) > i else None

    fixed = at(2)
    fixed_linear = getattr(fixed, "linear", None) if fixed is not None else None
    return {
        "type": type(net).__name__,
        "sequential": is_sequential,
        "kinds": [type(m).__name__ for m in mods],
        "nest": isinstance(at(0), blocks.NestMLP),
        "linear": linear_sizes(at(1)),
        "fixed": isinstance(fixed, blocks.FixedHiddenMLP),
        "fixed_in": linear_sizes(fixed_linear)[0] if linear_sizes(fixed_linear) else None,
    }


@pytest.mark.points(2)
def test_chimera_structure():
    got = chimera_structure()
    assert got["sequential"], f"chimera() returned {got['type']}"
    kinds, expected = got["kinds"], ["NestMLP", "Linear", "FixedHiddenMLP"]
    with diagnose(
        chimera_no_linear=lambda: kinds == ["NestMLP", "FixedHiddenMLP"],
        chimera_order=lambda: sorted(kinds) == sorted(expected),
    ):
        assert kinds == expected, (
            f"chimera() holds {kinds}; expected NestMLP, Linear(16, 20), FixedHiddenMLP, in order"
        )
    assert got["nest"], "chimera()[0] should be a NestMLP"
    assert got["linear"] == (16, 20), "chimera()[1]: nn.Linear(16, 20)"
    assert got["fixed"], "chimera()[2] should be a FixedHiddenMLP"
    assert got["fixed_in"] == 20, "chimera()[2] should be FixedHiddenMLP() (20 features)"


@probe
def chimera_forward(blocks, X):
    net = blocks.chimera()
    with torch.no_grad():
        Y = net(X)
    return output_of(Y)


@pytest.mark.points(1)
@given(X=tensors(batch_shapes(20), bound=10.0))
def test_chimera_maps_batches_to_a_scalar(X):
    got = chimera_forward(X)
    Y = got["Y"]
    assert Y is not None and Y.dim() == 0, (
        f"chimera() mapped {tuple(X.shape)} to shape {got['shape']}, not 0-d"
    )
    assert abs(float(Y)) <= 1
