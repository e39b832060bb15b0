"""Tests for exercise 5, custom layers (layers.py)."""

import pytest
import torch
from hypothesis import given
from hypothesis import strategies as st
from torch import nn

from grader.strategies import batch_shapes, float_dtypes, sizes, tensors, tolerance
from grader.testing import impl

layers = impl("layers")

any_shapes = st.lists(st.integers(1, 5), min_size=0, max_size=4).map(tuple)


# ---------------------------------------------------------------- CenteredLayer


@pytest.mark.points(2)
@given(X=tensors(any_shapes, float_dtypes()))
def test_centered_subtracts_the_mean_of_all_entries(X):
    Y = layers.CenteredLayer()(X)
    assert isinstance(Y, torch.Tensor), f"forward returned {type(Y).__name__}, not a tensor"
    assert Y.shape == X.shape and Y.dtype == X.dtype
    expected = X - X.mean()
    torch.testing.assert_close(Y, expected, rtol=0, atol=tolerance(X, X.numel()))
    assert abs(float(Y.mean())) <= tolerance(X, X.numel())


@pytest.mark.points(1)
@given(X=tensors(batch_shapes(6), float_dtypes()))
def test_centered_leaves_its_input_unchanged(X):
    before = X.clone()
    layers.CenteredLayer()(X)
    assert torch.equal(X, before), "CenteredLayer changed its input in place; return a new tensor"


@pytest.mark.points(1)
def test_centered_has_no_parameters():
    layer = layers.CenteredLayer()
    torch.testing.assert_close(layer(torch.tensor([1.0, 2.0, 3.0])), torch.tensor([-1.0, 0.0, 1.0]))
    assert list(layer.parameters()) == [], "CenteredLayer should have no parameters"
    assert list(layer.state_dict()) == []


@pytest.mark.points(2)
@given(n=sizes(2, 12), k=st.integers(0, 11))
def test_centered_gradient_flows_through_the_mean(n, k):
    X = torch.randn(n, dtype=torch.float64, requires_grad=True)
    layers.CenteredLayer()(X)[k % n].backward()
    expected = torch.full((n,), -1.0 / n, dtype=torch.float64)
    expected[k % n] += 1
    assert X.grad is not None, "no gradient reached the input"
    torch.testing.assert_close(X.grad, expected)


@pytest.mark.points(2)
@given(shape=batch_shapes(3, max_dims=2))
def test_centered_gradcheck(shape):
    X = torch.randn(shape, dtype=torch.float64, requires_grad=True)
    assert torch.autograd.gradcheck(layers.CenteredLayer(), (X,))


@pytest.mark.points(1)
def test_centered_inside_a_network():
    net = nn.Sequential(nn.Linear(8, 128), layers.CenteredLayer())
    Y = net(torch.rand(4, 8))
    assert Y.shape == (4, 128)
    assert abs(float(Y.detach().mean())) < 1e-5


# ---------------------------------------------------------------- MyLinear


@pytest.mark.points(2)
@given(in_units=sizes(1, 12), units=sizes(1, 12))
def test_mylinear_registers_weight_and_bias(in_units, units):
    layer = layers.MyLinear(in_units, units)
    layer(torch.zeros(1, in_units))
    params = dict(layer.named_parameters())
    assert sorted(params) == ["bias", "weight"], (
        f"MyLinear's parameters are {sorted(params)}; expected exactly weight and bias "
        "(wrap each in nn.Parameter)"
    )
    assert params["weight"].shape == (in_units, units)
    assert params["bias"].shape == (units,)
    assert all(p.requires_grad for p in params.values())


@pytest.mark.points(3)
@given(data=st.data(), in_units=sizes(1, 10), units=sizes(1, 10), dtype=float_dtypes())
def test_mylinear_is_affine(data, in_units, units, dtype):
    layer = layers.MyLinear(in_units, units).to(dtype)
    X = data.draw(tensors(batch_shapes(in_units), dtype))
    Y = layer(X)
    assert Y.shape == (*X.shape[:-1], units)
    expected = X @ layer.weight.detach() + layer.bias.detach()
    scale = max(float(X.abs().max()), 1.0) * max(float(layer.weight.detach().abs().max()), 1.0)
    atol = 8 * torch.finfo(dtype).eps * scale * (in_units + 1)
    torch.testing.assert_close(Y.detach(), expected, rtol=0, atol=atol)


@pytest.mark.points(1)
def test_mylinear_has_no_activation():
    layer = layers.MyLinear(3, 3)
    with torch.no_grad():
        layer.weight.copy_(-torch.eye(3))
        layer.bias.zero_()
    Y = layer(torch.ones(2, 3))
    torch.testing.assert_close(
        Y.detach(),
        -torch.ones(2, 3),
        msg=(
            "MyLinear must be purely affine (X @ weight + bias); negative outputs came out "
            "changed, as by a ReLU"
        ),
    )


@pytest.mark.points(3)
@given(in_units=sizes(1, 5), units=sizes(1, 5), batch=sizes(1, 4))
def test_mylinear_gradcheck(in_units, units, batch):
    layer = layers.MyLinear(in_units, units).double()
    X = torch.randn(batch, in_units, dtype=torch.float64, requires_grad=True)
    W = torch.randn(in_units, units, dtype=torch.float64, requires_grad=True)
    b = torch.randn(units, dtype=torch.float64, requires_grad=True)

    def call(X, W, b):
        return torch.func.functional_call(layer, {"weight": W, "bias": b}, (X,))

    assert torch.autograd.gradcheck(call, (X, W, b))


@pytest.mark.points(2)
@given(in_units=sizes(1, 8), units=sizes(1, 8), batch=sizes(1, 5))
def test_mylinear_gradients_reach_weight_and_bias(in_units, units, batch):
    layer = layers.MyLinear(in_units, units)
    X = torch.randn(batch, in_units)
    layer(X).sum().backward()
    assert layer.weight.grad is not None and layer.bias.grad is not None, (
        "weight or bias received no gradient: use the parameters themselves in forward, not .data"
    )
    torch.testing.assert_close(layer.weight.grad, X.sum(0, keepdim=True).T.expand(in_units, units))
    torch.testing.assert_close(layer.bias.grad, torch.full((units,), float(batch)))


@pytest.mark.points(2)
def test_mylinear_initialised_from_standard_normal():
    # Sample mean and std of N(0, 1) draws. With n = 90,000 weight entries the
    # standard errors are 1/300 (mean) and 1/sqrt(2n) ~ 0.0024 (std): a bound of
    # 0.05 is 15 and 21 standard errors; with 20,000 bias entries it is 7 and 10.
    # The chance of a false failure is below 1e-11 per run, seed or no seed.
    layer = layers.MyLinear(300, 300)
    layer(torch.zeros(1, 300))
    w = layer.weight.detach()
    assert abs(float(w.mean())) < 0.05 and abs(float(w.std()) - 1) < 0.05, (
        f"weight mean {float(w.mean()):.3f}, std {float(w.std()):.3f}: draw it with torch.randn"
    )
    b = layers.MyLinear(1, 20_000).bias.detach()
    assert abs(float(b.mean())) < 0.05 and abs(float(b.std()) - 1) < 0.05, (
        f"bias mean {float(b.mean()):.3f}, std {float(b.std()):.3f}: draw it with torch.randn"
    )


@pytest.mark.points(1)
def test_mylinear_moves_with_to_device():
    layer = layers.MyLinear(5, 3)
    layer(torch.zeros(1, 5))
    layer.to("meta")
    for name, p in layer.named_parameters():
        assert p.device.type == "meta", f"{name} stayed on {p.device}"
    assert layer(torch.zeros(2, 5, device="meta")).device.type == "meta"


@pytest.mark.points(1)
def test_mylinear_builds_a_network():
    net = nn.Sequential(layers.MyLinear(64, 8), nn.ReLU(), layers.MyLinear(8, 1))
    assert net(torch.rand(2, 64)).shape == (2, 1)
    assert sorted(net.state_dict()) == ["0.bias", "0.weight", "2.bias", "2.weight"]
