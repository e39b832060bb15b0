"""Tests for exercise 3, tied parameters (sharing.py)."""

import copy

import pytest
import torch
from hypothesis import given
from hypothesis import strategies as st
from torch import nn

from grader.strategies import batch_shapes, float_dtypes, sizes, tensors, tolerance
from grader.testing import impl

sharing = impl("sharing")


class WeightOnly(nn.Module):
    """A custom layer with a ``weight`` and no ``bias``."""

    def __init__(self, out_features, in_features):
        super().__init__()
        self.weight = nn.Parameter(torch.randn(out_features, in_features))

    def forward(self, X):
        return X @ self.weight.T


class WeightAndBias(nn.Module):
    """A custom layer whose ``weight`` and ``bias`` shapes are chosen freely."""

    def __init__(self, weight_shape, bias_shape):
        super().__init__()
        self.weight = nn.Parameter(torch.randn(weight_shape))
        self.bias = nn.Parameter(torch.randn(bias_shape))


class ScaleOnly(nn.Module):
    """A custom layer whose one parameter is called ``scale``."""

    def __init__(self, n):
        super().__init__()
        self.scale = nn.Parameter(torch.randn(n))


def steps(net):
    """The modules of a Sequential at every position (children() would skip a repeat)."""
    return list(net._modules.values())


def snapshot(*modules):
    """Every parameter of the modules, by (module, name): the object and a copy of it."""
    return {
        (i, name): (p, p.detach().clone())
        for i, m in enumerate(modules)
        for name, p in m.named_parameters()
    }


def assert_unchanged(before, *modules, why):
    after = snapshot(*modules)
    assert list(after) == list(before), f"{why}, yet the modules' parameters changed names"
    for key, (p, value) in after.items():
        old, old_value = before[key]
        assert p is old and torch.equal(value, old_value), (
            f"{why}, yet {key[1]} of the {'src' if key[0] == 0 else 'dst'} module changed: "
            "check every common name before tying any (leave both modules as they were)"
        )


# ---------------------------------------------------------------- shared_mlp


@pytest.mark.points(3)
@given(num_inputs=sizes(1, 10), num_hiddens=sizes(1, 10))
def test_shared_mlp_structure(num_inputs, num_hiddens):
    net = sharing.shared_mlp(num_inputs, num_hiddens)
    assert isinstance(net, nn.Sequential), "shared_mlp should return an nn.Sequential"
    mods = steps(net)
    kinds = [type(m).__name__ for m in mods]
    assert kinds == ["Linear", "ReLU", "Linear", "ReLU", "Linear", "ReLU", "Linear"], (
        f"shared_mlp is {kinds}; expected Linear, ReLU, shared, ReLU, shared, ReLU, Linear"
    )
    assert mods[2] is mods[4], (
        "net[2] and net[4] are two different layers: build one nn.Linear and put that same "
        "instance at both positions (no second nn.Linear, no copy.deepcopy)"
    )
    sizes_ = [(mods[i].in_features, mods[i].out_features) for i in (0, 2, 6)]
    want = [(num_inputs, num_hiddens), (num_hiddens, num_hiddens), (num_hiddens, 1)]
    assert sizes_ == want, f"shared_mlp({num_inputs}, {num_hiddens}): layer sizes {sizes_}"


@pytest.mark.points(1)
def test_shared_mlp_default_sizes():
    net = sharing.shared_mlp()
    assert (net[0].in_features, net[2].in_features, net[6].out_features) == (4, 8, 1)


@pytest.mark.points(2)
def test_shared_mlp_holds_one_set_of_shared_parameters():
    net = sharing.shared_mlp(3, 5)
    names = [name for name, _ in net.named_parameters()]
    assert names == ["0.weight", "0.bias", "2.weight", "2.bias", "6.weight", "6.bias"], (
        f"shared_mlp's parameters are {names}: the layer at positions 2 and 4 should be "
        "one layer, whose parameters parameters() yields once"
    )
    state = net.state_dict()  # lists the shared tensors under both names
    assert state["2.weight"].data_ptr() == state["4.weight"].data_ptr()
    with torch.no_grad():
        net[2].weight[0, 0] = 100.0
    assert net[4].weight[0, 0] == 100.0, "changing net[2].weight should change net[4].weight"


@pytest.mark.points(2)
@given(data=st.data(), num_inputs=sizes(1, 8), num_hiddens=sizes(1, 8), dtype=float_dtypes())
def test_shared_mlp_forward(data, num_inputs, num_hiddens, dtype):
    net = sharing.shared_mlp(num_inputs, num_hiddens).to(dtype)
    X = data.draw(tensors(batch_shapes(num_inputs), dtype, bound=10.0))
    Y = net(X)
    assert Y.shape == (*X.shape[:-1], 1) and Y.dtype == dtype, (
        f"shared_mlp({num_inputs}, {num_hiddens}) maps {tuple(X.shape)} to {tuple(Y.shape)}"
    )
    first, shared, last = net[0], net[2], net[6]
    with torch.no_grad():
        H = torch.relu(shared(torch.relu(shared(torch.relu(first(X))))))
        expected = last(H)
    torch.testing.assert_close(Y.detach(), expected, rtol=0, atol=tolerance(H, num_hiddens + 1))


@pytest.mark.points(3)
@given(num_inputs=sizes(1, 6), num_hiddens=sizes(1, 6), batch=sizes(1, 5))
def test_shared_gradient_is_the_sum_of_both_uses(num_inputs, num_hiddens, batch):
    net = sharing.shared_mlp(num_inputs, num_hiddens).double()
    # The same net untied: every position holds its own copy (equal values, own tensors).
    untied = nn.Sequential(*[copy.deepcopy(m) for m in steps(net)])
    assert untied[2] is not untied[4]
    X = torch.randn(batch, num_inputs, dtype=torch.float64)
    net(X).square().sum().backward()
    untied(X).square().sum().backward()
    for name in ("weight", "bias"):
        grad = getattr(net[2], name).grad
        assert grad is not None, f"no gradient reached the shared layer's {name}"
        expected = getattr(untied[2], name).grad + getattr(untied[4], name).grad
        torch.testing.assert_close(
            grad,
            expected,
            msg=f"the shared {name}'s gradient should be the sum of the gradients of both uses",
        )


# ---------------------------------------------------------------- tie_weights


@pytest.mark.points(3)
@given(in_features=sizes(1, 8), out_features=sizes(1, 8))
def test_tie_weights_shares_the_very_same_parameters(in_features, out_features):
    src, dst = nn.Linear(in_features, out_features), nn.Linear(in_features, out_features)
    weight, bias = src.weight, src.bias
    assert sharing.tie_weights(src, dst) is None, "tie_weights should return None"
    assert src.weight is weight and src.bias is bias, (
        "tie_weights changed src's parameters: give dst src's Parameters, not the other way round"
    )
    for name in ("weight", "bias"):
        assert getattr(dst, name) is getattr(src, name), (
            f"dst.{name} is not src.{name}: give dst the very same Parameter object "
            f"(setattr(dst, '{name}', src.{name})), not a copy of its values"
        )
    assert len(list(nn.ModuleList([src, dst]).parameters())) == 2


@pytest.mark.points(2)
@given(in_features=sizes(1, 8), out_features=sizes(1, 8))
def test_tie_weights_ties_only_common_names(in_features, out_features):
    linear, custom = nn.Linear(in_features, out_features), WeightOnly(out_features, in_features)
    bias = linear.bias
    sharing.tie_weights(linear, custom)
    assert custom.weight is linear.weight, "tie a Linear's weight into a custom layer's weight"
    assert [n for n, _ in custom.named_parameters()] == ["weight"], (
        "tie_weights gave dst a parameter it did not have: tie only the names both hold"
    )
    assert linear.bias is bias
    # And the other way round: the Linear keeps its own bias.
    linear, custom = nn.Linear(in_features, out_features), WeightOnly(out_features, in_features)
    bias, bias_value = linear.bias, linear.bias.detach().clone()
    sharing.tie_weights(custom, linear)
    assert linear.weight is custom.weight, "tie a custom layer's weight into a Linear's weight"
    assert linear.bias is bias and torch.equal(linear.bias.detach(), bias_value), (
        "tie_weights changed dst's bias, which src does not have"
    )


@pytest.mark.points(3)
@given(in_features=sizes(1, 6), out_features=sizes(1, 6), batch=sizes(1, 4))
def test_tied_modules_train_together(in_features, out_features, batch):
    src, dst = nn.Linear(in_features, out_features), nn.Linear(in_features, out_features)
    sharing.tie_weights(src, dst)
    X = torch.randn(batch, in_features)
    # Both uses of the tied parameters add to one gradient ...
    (src(X) + dst(X)).sum().backward()
    torch.testing.assert_close(
        src.weight.grad,
        2 * X.sum(0).expand(out_features, in_features),
        msg="the uses of src and dst should add up in one gradient: tie the Parameter objects",
    )
    # ... and training dst alone updates src too.
    dst.zero_grad()
    before = src.weight.detach().clone()
    dst(X).sum().backward()
    with torch.no_grad():  # one step of gradient descent on dst's parameters
        for p in dst.parameters():
            p -= 0.5 * p.grad
    assert not torch.equal(src.weight.detach(), before), "training dst should update src"
    assert torch.equal(src.weight, dst.weight) and torch.equal(src.bias, dst.bias)


MISMATCHES = [  # (src, dst, the name whose shapes differ)
    (lambda: nn.Linear(3, 4), lambda: nn.Linear(4, 4), "weight"),
    (lambda: nn.Linear(6, 2), lambda: WeightAndBias((3, 4), (2,)), "weight"),  # same numel
    (lambda: nn.Linear(3, 4), lambda: WeightAndBias((4, 3), (5,)), "bias"),  # weight fits
    (lambda: WeightAndBias((4, 3), (1, 4)), lambda: nn.Linear(3, 4), "bias"),
]


@pytest.mark.points(2)
@pytest.mark.parametrize(
    ("make_src", "make_dst", "name"), MISMATCHES, ids=["weight", "same-numel", "bias", "bias-2d"]
)
def test_tie_weights_rejects_a_shape_mismatch(make_src, make_dst, name):
    src, dst = make_src(), make_dst()
    before = snapshot(src, dst)
    with pytest.raises(ValueError) as excinfo:
        sharing.tie_weights(src, dst)
    assert name in str(excinfo.value), (
        f"the ValueError says {str(excinfo.value)!r}; name the parameter whose shapes differ "
        f"({name!r})"
    )
    assert_unchanged(before, src, dst, why=f"the shapes of {name!r} differ")


NO_COMMON_NAME = [
    (lambda: nn.Linear(3, 3), lambda: ScaleOnly(3)),
    (lambda: ScaleOnly(3), lambda: WeightOnly(3, 3)),
    (lambda: nn.Linear(3, 3), lambda: nn.ReLU()),
    (lambda: nn.ReLU(), lambda: nn.Linear(3, 3)),
]


@pytest.mark.points(2)
@pytest.mark.parametrize(
    ("make_src", "make_dst"), NO_COMMON_NAME, ids=["scale", "scale-weight", "relu", "relu-src"]
)
def test_tie_weights_rejects_modules_without_a_common_name(make_src, make_dst):
    src, dst = make_src(), make_dst()
    before = snapshot(src, dst)
    with pytest.raises(ValueError):
        sharing.tie_weights(src, dst)
    assert_unchanged(before, src, dst, why="the modules share no parameter name")


@pytest.mark.points(1)
def test_tie_weights_looks_only_at_direct_parameters():
    # A container holds no parameter of its own: its layers' are its children's.
    src, dst = nn.Sequential(nn.Linear(2, 2)), nn.Sequential(nn.Linear(2, 2))
    before = snapshot(src, dst)
    with pytest.raises(ValueError):
        sharing.tie_weights(src, dst)
    assert_unchanged(before, src, dst, why="containers hold no parameter directly")
