"""Tests for exercise 1, layers and blocks (blocks.py)."""

import copy

import pytest
import torch
from hypothesis import given
from hypothesis import strategies as st
from torch import nn
from torch.nn import functional as F

from grader.strategies import batch_shapes, float_dtypes, sizes, tensors
from grader.testing import impl

blocks = impl("blocks")


def close(actual, expected, dtype=torch.float32, scale=1.0):
    """Equal up to float rounding, scaled with the size of the values involved."""
    atol = 64 * torch.finfo(dtype).eps * max(scale, 1.0)
    torch.testing.assert_close(actual, expected, rtol=1e-5, atol=atol)


# ---------------------------------------------------------------- MLP


@pytest.mark.points(1)
@given(num_inputs=sizes(1, 12), num_hiddens=sizes(1, 12), num_outputs=sizes(1, 12))
def test_mlp_has_hidden_and_out_layers(num_inputs, num_hiddens, num_outputs):
    net = blocks.MLP(num_inputs, num_hiddens, num_outputs)
    assert net(torch.zeros(1, num_inputs)).shape == (1, num_outputs)
    for name in ("hidden", "out"):
        assert isinstance(getattr(net, name, None), nn.Linear), f"MLP.{name} should be an nn.Linear"
    got = (net.hidden.in_features, net.hidden.out_features, net.out.out_features)
    assert got == (num_inputs, num_hiddens, num_outputs), (
        f"MLP({num_inputs}, {num_hiddens}, {num_outputs}) built layers of sizes {got}: use the "
        "arguments, not the book's 20, 256, 10"
    )
    assert net.out.in_features == num_hiddens
    names = sorted(n for n, _ in net.named_parameters())
    assert names == ["hidden.bias", "hidden.weight", "out.bias", "out.weight"], (
        f"MLP's parameters are {names}: only the two Linear layers hidden and out hold any"
    )


@pytest.mark.points(1)
def test_mlp_defaults_are_the_books():
    net = blocks.MLP()
    assert net(torch.rand(2, 20)).shape == (2, 10)
    assert (net.hidden.in_features, net.hidden.out_features, net.out.out_features) == (20, 256, 10)


@pytest.mark.points(2)
@given(data=st.data(), num_inputs=sizes(1, 8), num_hiddens=sizes(1, 8), dtype=float_dtypes())
def test_mlp_forward_is_out_of_relu_of_hidden(data, num_inputs, num_hiddens, dtype):
    net = blocks.MLP(num_inputs, num_hiddens, 3).to(dtype)
    X = data.draw(tensors(batch_shapes(num_inputs), dtype))
    with torch.no_grad():
        Y = net(X)
        expected = F.linear(
            F.relu(F.linear(X, net.hidden.weight, net.hidden.bias)), net.out.weight, net.out.bias
        )
    assert Y.shape == (*X.shape[:-1], 3), f"MLP mapped shape {tuple(X.shape)} to {tuple(Y.shape)}"
    close(Y, expected, dtype, float(X.abs().max()) * num_hiddens)


# ---------------------------------------------------------------- MySequential

widths = st.lists(sizes(1, 6), min_size=2, max_size=5)


def layers_for(ws):
    """Linear layers between the widths, a ReLU after each but the last."""
    mods = []
    for k, (a, b) in enumerate(zip(ws, ws[1:])):
        mods.append(nn.Linear(a, b))
        if k < len(ws) - 2:
            mods.append(nn.ReLU())
    return mods


@pytest.mark.points(3)
@given(ws=widths)
def test_mysequential_state_dict_keys_match_nn_sequential(ws):
    mods = layers_for(ws)
    mine, ref = blocks.MySequential(*mods), nn.Sequential(*mods)
    assert list(mine.state_dict()) == list(ref.state_dict()), (
        "MySequential's state_dict keys differ from nn.Sequential's: register each module "
        "with self.add_module(str(idx), module); a plain list registers nothing"
    )
    X = torch.rand(2, ws[0])
    close(mine(X), ref(X))


@pytest.mark.points(2)
@given(ws=widths)
def test_mysequential_state_dicts_load_both_ways(ws):
    mods = layers_for(ws)
    mine = blocks.MySequential(*mods)
    ref = nn.Sequential(*copy.deepcopy(mods))
    mine.load_state_dict(ref.state_dict())  # strict: keys must match exactly
    X = torch.rand(3, ws[0])
    close(mine(X), ref(X))
    other = blocks.MySequential(*copy.deepcopy(mods))
    ref.load_state_dict(other.state_dict())
    close(ref(X), other(X))


class Affine(nn.Module):
    """x * a + b with fixed a, b: modules whose order matters."""

    def __init__(self, a, b):
        super().__init__()
        self.a, self.b = a, b

    def forward(self, X):
        return X * self.a + self.b


@pytest.mark.points(2)
@given(coefs=st.lists(st.tuples(st.integers(-3, 3), st.integers(-3, 3)), min_size=1, max_size=6))
def test_mysequential_applies_modules_in_the_order_given(coefs):
    net = blocks.MySequential(*(Affine(a, b) for a, b in coefs))
    X = torch.arange(4.0)
    expected = X.clone()
    for a, b in coefs:
        expected = expected * a + b
    assert torch.equal(net(X), expected), "modules must run in the order they were given"


class Counter(nn.Module):
    def __init__(self):
        super().__init__()
        self.calls = 0

    def forward(self, X):
        self.calls += 1
        return X + 1


@pytest.mark.points(3)
@given(repeats=st.integers(2, 4))
def test_mysequential_runs_a_repeated_module_at_each_position(repeats):
    counter = Counter()
    net = blocks.MySequential(*([counter] * repeats))
    out = net(torch.zeros(1))
    assert counter.calls == repeats and out.item() == repeats, (
        f"a module given {repeats} times ran {counter.calls} times: children() and modules() "
        "skip repeats; iterate self._modules.values()"
    )
    shared = nn.Linear(3, 3)
    mine = blocks.MySequential(shared, nn.ReLU(), shared)
    ref = nn.Sequential(shared, nn.ReLU(), shared)
    X = torch.rand(2, 3)
    close(mine(X), ref(X))
    assert list(mine.state_dict()) == list(ref.state_dict())


@pytest.mark.points(2)
def test_mysequential_is_written_on_nn_module():
    mods = [nn.Linear(2, 3), nn.ReLU(), nn.Linear(3, 1)]
    net = blocks.MySequential(*mods)
    assert net(torch.zeros(4, 2)).shape == (4, 1)
    assert not isinstance(net, (nn.Sequential, nn.ModuleList, nn.ModuleDict)), (
        "write MySequential on nn.Module directly, not by subclassing nn.Sequential"
    )
    children = list(net._modules.items())
    assert [k for k, _ in children] == ["0", "1", "2"], (
        f"MySequential's direct children are {[k for k, _ in children]}; store each module "
        "itself under str(index), not inside a wrapper"
    )
    assert all(m is orig for (_, m), orig in zip(children, mods, strict=True)), (
        "store the very module objects you were given, not copies"
    )
    hidden = [
        name
        for name, value in vars(net).items()
        if isinstance(value, (nn.Sequential, nn.ModuleList, nn.ModuleDict))
    ]
    assert not hidden, (
        f"MySequential keeps a container in {hidden}: do not delegate to nn.Sequential or "
        "nn.ModuleList, loop over self._modules.values() yourself"
    )


@pytest.mark.points(1)
def test_mysequential_parameters_move_with_to_device():
    net = blocks.MySequential(nn.Linear(3, 4), nn.BatchNorm1d(4), nn.Linear(4, 2))
    assert net(torch.rand(5, 3)).shape == (5, 2)
    assert len(list(net.parameters())) == 6
    net.to("meta")
    for name, t in [*net.named_parameters(), *net.named_buffers()]:
        assert t.device.type == "meta", f"{name} did not move with .to('meta')"


@pytest.mark.points(1)
def test_empty_mysequential_returns_its_input():
    X = torch.rand(2, 3)
    assert torch.equal(blocks.MySequential()(X), X)


# ---------------------------------------------------------------- FixedHiddenMLP


@pytest.mark.points(2)
@given(n=sizes(1, 16))
def test_fixed_hidden_mlp_parameters_are_only_linears(n):
    net = blocks.FixedHiddenMLP(n)
    net(torch.rand(2, n))
    names = [name for name, _ in net.named_parameters()]
    assert names == ["linear.weight", "linear.bias"], (
        f"FixedHiddenMLP's parameters are {names}; rand_weight must not be a parameter "
        "(register it as a buffer) and there is only one Linear"
    )
    assert isinstance(net.linear, nn.Linear), "FixedHiddenMLP.linear should be an nn.Linear"
    assert net.linear.weight.shape == (n, n), f"linear should be nn.Linear({n}, {n})"


@pytest.mark.points(2)
@given(n=sizes(1, 16))
def test_rand_weight_is_a_persistent_buffer(n):
    net = blocks.FixedHiddenMLP(n)
    net(torch.rand(1, n))
    buffers = dict(net.named_buffers())
    assert "rand_weight" in buffers, (
        "rand_weight is not a buffer: use self.register_buffer('rand_weight', torch.rand(n, n))"
    )
    assert "rand_weight" in net.state_dict(), (
        "rand_weight is missing from state_dict(): register it as a persistent buffer"
    )
    w = buffers["rand_weight"]
    assert w.shape == (n, n), f"rand_weight has shape {tuple(w.shape)}, not ({n}, {n})"
    assert not w.requires_grad, (
        "rand_weight requires a gradient: it is a constant, draw it with plain torch.rand"
    )


@pytest.mark.points(2)
def test_rand_weight_is_drawn_from_uniform_0_1():
    # 40,000 draws of U[0, 1): mean 1/2 (standard error 0.0014) and standard deviation
    # sqrt(1/12) ~ 0.2887 (standard error ~ 0.00065). Bounds of 0.015 and 0.01 are more
    # than 10 standard errors: a false failure is below 1e-20 per run, seed or no seed.
    net = blocks.FixedHiddenMLP(200)
    net(torch.rand(1, 200))
    w = net.rand_weight
    assert float(w.min()) >= 0 and float(w.max()) < 1, (
        "rand_weight has values outside [0, 1): draw it with torch.rand, not torch.randn"
    )
    assert abs(float(w.mean()) - 0.5) < 0.015 and abs(float(w.std()) - 12**-0.5) < 0.01


@pytest.mark.points(2)
def test_rand_weight_is_constant_and_gets_no_gradient():
    net = blocks.FixedHiddenMLP(6)
    before = net.rand_weight.clone()
    out = net(torch.rand(3, 6))
    out.backward()
    net(torch.rand(3, 6))
    assert net.rand_weight.grad is None and not net.rand_weight.requires_grad, (
        "rand_weight received a gradient: it is a constant, not something to train"
    )
    assert torch.equal(net.rand_weight, before), "rand_weight changed between forward calls"
    assert net.linear.weight.grad is not None, "no gradient reached linear.weight"


@pytest.mark.points(2)
def test_rand_weight_moves_with_to_device():
    net = blocks.FixedHiddenMLP(5)
    net(torch.rand(1, 5))
    net.to("meta")
    assert net.rand_weight.device.type == "meta", (
        f"rand_weight stayed on {net.rand_weight.device} after .to('meta'): a plain tensor "
        "attribute does not move; register it as a buffer"
    )
    assert net.linear.weight.device.type == "meta"


def fixed_hidden_reference(net, X):
    """The contract's forward, computed from the module's own linear and rand_weight."""
    X = net.linear(X)
    X = F.relu(X @ net.rand_weight + 1)
    X = net.linear(X)
    while X.abs().sum() > 1:
        X = X / 2
    return X.sum()


@pytest.mark.points(3)
@given(data=st.data(), n=sizes(1, 12), dtype=float_dtypes())
def test_fixed_hidden_mlp_forward_follows_the_recipe(data, n, dtype):
    net = blocks.FixedHiddenMLP(n).to(dtype)
    X = data.draw(tensors(batch_shapes(n), dtype, bound=10.0))
    with torch.no_grad():
        Y = net(X)
        expected = fixed_hidden_reference(net, X)
    assert isinstance(Y, torch.Tensor) and Y.dim() == 0, (
        f"forward should return X.sum(), a 0-d tensor; got shape {tuple(getattr(Y, 'shape', ()))}"
    )
    assert abs(float(Y)) <= 1, (
        f"|output| = {abs(float(Y))} > 1: keep halving while X.abs().sum() > 1 (a while loop)"
    )
    # Halving is exact, and it leaves X.abs().sum() <= 1: rounding errors shrink with X,
    # so a tolerance of a few dozen eps needs no further scaling.
    close(Y, expected, dtype)


@pytest.mark.points(1)
@given(data=st.data(), n=sizes(1, 8))
def test_fixed_hidden_mlp_gradients_flow_through_both_uses_of_linear(data, n):
    net = blocks.FixedHiddenMLP(n).double()
    X = data.draw(tensors(batch_shapes(n), torch.float64, bound=10.0))
    net(X).backward()
    assert net.linear.weight.grad is not None, "no gradient reached linear.weight"
    mine = (net.linear.weight.grad.clone(), net.linear.bias.grad.clone())
    net.zero_grad()
    fixed_hidden_reference(net, X).backward()
    # float64: the two computations agree to rounding; the output is halved to |.| <= 1,
    # so gradients stay of the size of the layer's inputs.
    scale = float(X.abs().max()) * n
    close(mine[0], net.linear.weight.grad, torch.float64, scale)
    close(mine[1], net.linear.bias.grad, torch.float64, scale)


@pytest.mark.points(1)
def test_fixed_hidden_mlp_stops_halving_at_exactly_one():
    # linear maps everything to its bias (2, 0, 0, 0): the loop sees |X| summing to 2,
    # halves once to 1 and must stop there, as "while X.abs().sum() > 1" does.
    net = blocks.FixedHiddenMLP(4)
    with torch.no_grad():
        net.linear.weight.zero_()
        net.linear.bias.copy_(torch.tensor([2.0, 0.0, 0.0, 0.0]))
        Y = net(torch.rand(1, 4))
    assert float(Y) == 1.0, (
        f"forward returned {float(Y)} where halving (2, 0, 0, 0) once gives a sum of 1.0: "
        "halve only while X.abs().sum() > 1, strictly greater"
    )


# ---------------------------------------------------------------- NestMLP and chimera


@pytest.mark.points(2)
def test_nestmlp_structure():
    net = blocks.NestMLP()
    for name, kind in (("net", nn.Sequential), ("linear", nn.Linear)):
        assert isinstance(getattr(net, name, None), kind), (
            f"NestMLP.{name} should be an nn.{kind.__name__}"
        )
    kinds = [type(m).__name__ for m in net.net]
    assert kinds == ["Linear", "ReLU", "Linear", "ReLU"], (
        f"NestMLP.net holds {kinds}; expected Linear, ReLU, Linear, ReLU"
    )
    got = [(m.in_features, m.out_features) for m in (net.net[0], net.net[2], net.linear)]
    assert got == [(20, 64), (64, 32), (32, 16)], (
        f"NestMLP's Linear layers have sizes {got}; expected 20->64, 64->32, then 32->16"
    )
    assert net(torch.rand(2, 20)).shape == (2, 16)
    assert list(net.state_dict()) == [
        "net.0.weight",
        "net.0.bias",
        "net.2.weight",
        "net.2.bias",
        "linear.weight",
        "linear.bias",
    ], "NestMLP's state_dict keys should read net.0.*, net.2.*, linear.*"


@pytest.mark.points(1)
@given(X=tensors(batch_shapes(20), bound=10.0))
def test_nestmlp_forward_is_linear_of_net(X):
    net = blocks.NestMLP()
    with torch.no_grad():
        Y = net(X)
        assert Y.shape == (*X.shape[:-1], 16), (
            f"NestMLP mapped {tuple(X.shape)} to {tuple(Y.shape)}"
        )
        close(Y, net.linear(net.net(X)), scale=float(X.abs().max()) * 20)


@pytest.mark.points(2)
def test_chimera_structure():
    net = blocks.chimera()
    assert isinstance(net, nn.Sequential), f"chimera() returned {type(net).__name__}"
    kinds = [type(m).__name__ for m in net]
    assert kinds == ["NestMLP", "Linear", "FixedHiddenMLP"], (
        f"chimera() holds {kinds}; expected NestMLP, Linear(16, 20), FixedHiddenMLP, in order"
    )
    assert isinstance(net[0], blocks.NestMLP), "chimera()[0] should be a NestMLP"
    assert (net[1].in_features, net[1].out_features) == (16, 20), "chimera()[1]: nn.Linear(16, 20)"
    assert isinstance(net[2], blocks.FixedHiddenMLP), "chimera()[2] should be a FixedHiddenMLP"
    assert net[2].linear.in_features == 20, "chimera()[2] should be FixedHiddenMLP() (20 features)"


@pytest.mark.points(1)
@given(X=tensors(batch_shapes(20), bound=10.0))
def test_chimera_maps_batches_to_a_scalar(X):
    net = blocks.chimera()
    with torch.no_grad():
        Y = net(X)
    assert isinstance(Y, torch.Tensor) and Y.dim() == 0, (
        f"chimera() mapped {tuple(X.shape)} to shape {tuple(getattr(Y, 'shape', ()))}, not 0-d"
    )
    assert abs(float(Y)) <= 1
