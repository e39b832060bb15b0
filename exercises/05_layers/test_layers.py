"""Tests for exercise 5, custom layers (layers.py).

Each check is a probe and a verdict (grader/probing.py): a function marked
``@probe`` runs your code and returns plain data; the test that calls it decides,
from that data alone, whether your code is right.
"""

import pytest
import torch
from hypothesis import given
from hypothesis import strategies as st
from torch import nn

from grader.diagnoses import close, diagnose, raised
from grader.probing import probes
from grader.strategies import batch_shapes, float_dtypes, sizes, tensors, tolerance

probe = probes("layers")

any_shapes = st.lists(st.integers(1, 5), min_size=0, max_size=4).map(tuple)


@probe.helper
def grad_of(t):
    """A copy of ``t``'s gradient, or None where none reached it."""
    return None if t.grad is None else t.grad.detach().clone()


# ---------------------------------------------------------------- CenteredLayer


@probe
def centered_forward(layers, X):
    """CenteredLayer on X: what came out (when a tensor), and X as it is afterwards."""
    Y = layers.CenteredLayer()(X)
    is_tensor = isinstance(Y, torch.Tensor)
    return {
        "type": type(Y).__name__,
        "Y": Y.detach().clone() if is_tensor else None,
        "X_after": X,
    }


@pytest.mark.points(2)
@given(X=tensors(any_shapes, float_dtypes()))
def test_centered_subtracts_the_mean_of_all_entries(X):
    got = centered_forward(X)
    Y = got["Y"]
    assert Y is not None, f"forward returned {got['type']}, not a tensor"
    assert Y.shape == X.shape and Y.dtype == X.dtype
    expected = X - X.mean()
    atol = tolerance(X, X.numel())
    with diagnose(mean_along_one_axis=lambda: centred_along_one_axis(Y, X, atol)):
        torch.testing.assert_close(Y, expected, rtol=0, atol=atol)
    assert abs(float(Y.mean())) <= atol


def centred_along_one_axis(Y, X, atol):
    """Whether Y is X minus its mean along one axis (a signature)."""
    return any(close(Y, X - X.mean(dim=d, keepdim=True), rtol=0, atol=atol) for d in range(X.dim()))


@pytest.mark.points(1)
@given(X=tensors(batch_shapes(6), float_dtypes()))
def test_centered_leaves_its_input_unchanged(X):
    got = centered_forward(X)
    atol = tolerance(X, X.numel())
    with diagnose(in_place=lambda: close(got["X_after"], X - X.mean(), rtol=0, atol=atol)):
        assert torch.equal(got["X_after"], X), (
            "CenteredLayer changed its input in place; return a new tensor"
        )


@probe
def centered_registrations(layers, X):
    layer = layers.CenteredLayer()
    Y = layer(X)
    return {
        "Y": Y.detach().clone(),
        "parameters": len(list(layer.parameters())),
        "parameter_names": [name for name, _ in layer.named_parameters()],
        "state_dict": [str(key) for key in layer.state_dict()],
    }


@pytest.mark.points(1)
def test_centered_has_no_parameters():
    got = centered_registrations(torch.tensor([1.0, 2.0, 3.0]))
    torch.testing.assert_close(got["Y"], torch.tensor([-1.0, 0.0, 1.0]))
    with diagnose(registers_a_tensor=lambda: got["parameters"] or got["state_dict"]):
        assert got["parameters"] == 0 and got["parameter_names"] == [], (
            "CenteredLayer should have no parameters"
        )
        assert got["state_dict"] == []


@probe
def centered_input_gradient(layers, X, k):
    """Backward from one output entry, Y[k]: the gradient that reaches X."""
    X = X.detach().requires_grad_(True)
    layers.CenteredLayer()(X)[k].backward()
    return grad_of(X)


@pytest.mark.points(2)
@given(n=sizes(2, 12), k=st.integers(0, 11))
def test_centered_gradient_flows_through_the_mean(n, k):
    X = torch.randn(n, dtype=torch.float64)
    grad = centered_input_gradient(X, k % n)
    expected = torch.full((n,), -1.0 / n, dtype=torch.float64)
    expected[k % n] += 1
    assert grad is not None, "no gradient reached the input"
    one_hot = torch.zeros(n, dtype=torch.float64)
    one_hot[k % n] = 1
    with diagnose(mean_cut_from_autograd=lambda: close(grad, one_hot)):
        torch.testing.assert_close(grad, expected)


@probe
def centered_jacobian(layers, X, points):
    """CenteredLayer's output at X and its Jacobian there (autograd's, of shape
    Y.shape + X.shape); and its outputs at the verdict's other points."""
    layer = layers.CenteredLayer()
    X = X.detach().requires_grad_(True)
    Y = layer(X)
    rows = []
    for i in range(Y.numel()):  # one backward pass per output entry
        upstream = torch.zeros(Y.numel(), dtype=Y.dtype)
        upstream[i] = 1.0
        grad = None
        if Y.requires_grad:
            (grad,) = torch.autograd.grad(
                Y, X, upstream.view_as(Y), retain_graph=True, allow_unused=True
            )
        rows.append(torch.zeros_like(X) if grad is None else grad.detach().clone())
    jacobian = torch.stack(rows).view(*Y.shape, *X.shape)
    with torch.no_grad():
        at = [layer(P).clone() for P in points]
    return {"Y": Y.detach().clone(), "jacobian": jacobian, "at": at}


@pytest.mark.points(2)
@given(shape=batch_shapes(3, max_dims=2))
def test_centered_gradcheck(shape):
    # What torch.autograd.gradcheck does, with the verdict doing the comparing: autograd's
    # Jacobian against central differences of the layer's own outputs (float64).
    X = torch.randn(shape, dtype=torch.float64)
    n, eps = X.numel(), 1e-6
    steps = torch.eye(n, dtype=torch.float64).view(n, *shape) * eps
    points = [X + step for step in steps] + [X - step for step in steps]
    got = centered_jacobian(X, points)
    at = [P.reshape(-1) for P in got["at"]]
    numerical = torch.stack([(at[j] - at[n + j]) / (2 * eps) for j in range(n)], dim=1)
    analytical = got["jacobian"].reshape(-1, n)
    # The mean cut from autograd: each output depends on its own input only.
    identity = torch.eye(n, dtype=torch.float64)
    with diagnose(mean_cut_from_autograd=lambda: n > 1 and close(analytical, identity)):
        torch.testing.assert_close(
            analytical,
            numerical,
            rtol=1e-3,
            atol=1e-5,
            msg="CenteredLayer's gradient (autograd's) does not match its numerical gradient",
        )


@probe
def centered_in_a_network(layers, X):
    net = nn.Sequential(nn.Linear(8, 128), layers.CenteredLayer())
    Y = net(X)
    return {
        "Y": Y.detach().clone(),
        "weight": net[0].weight.detach().clone(),
        "bias": net[0].bias.detach().clone(),
    }


@pytest.mark.points(1)
def test_centered_inside_a_network():
    X = torch.rand(4, 8)
    got = centered_in_a_network(X)
    Y = got["Y"]
    assert Y.shape == (4, 128)
    assert abs(float(Y.mean())) < 1e-5
    H = X @ got["weight"].T + got["bias"]
    with diagnose(mean_along_one_axis=lambda: centred_along_one_axis(Y, H, 1e-5)):
        torch.testing.assert_close(Y, H - H.mean())


# ---------------------------------------------------------------- MyLinear


@probe
def mylinear_parameters(layers, in_units, units, X):
    layer = layers.MyLinear(in_units, units)
    layer(X)
    return {
        name: {"shape": tuple(p.shape), "requires_grad": bool(p.requires_grad)}
        for name, p in layer.named_parameters()
    }


@pytest.mark.points(2)
@given(in_units=sizes(1, 12), units=sizes(1, 12))
def test_mylinear_registers_weight_and_bias(in_units, units):
    params = mylinear_parameters(in_units, units, torch.zeros(1, in_units))
    with diagnose(not_parameters=lambda: params == {}):
        assert sorted(params) == ["bias", "weight"], (
            f"MyLinear's parameters are {sorted(params)}; expected exactly weight and bias "
            "(wrap each in nn.Parameter)"
        )
    with diagnose(weight_transposed=lambda: params["weight"]["shape"] == (units, in_units)):
        assert params["weight"]["shape"] == (in_units, units)
    with diagnose(bias_a_row=lambda: params["bias"]["shape"] == (1, units)):
        assert params["bias"]["shape"] == (units,)
    with diagnose(frozen_parameters=lambda: not all(p["requires_grad"] for p in params.values())):
        assert all(p["requires_grad"] for p in params.values())


@probe
def mylinear_forward(layers, in_units, units, dtype, X):
    """MyLinear(in_units, units) in ``dtype`` on X: the output and the layer's own
    weight and bias, from which the verdict recomputes the output."""
    layer = layers.MyLinear(in_units, units).to(dtype)
    Y = layer(X)
    return {
        "Y": Y.detach().clone(),
        "weight": layer.weight.detach().clone(),
        "bias": layer.bias.detach().clone(),
    }


@pytest.mark.points(3)
@given(data=st.data(), in_units=sizes(1, 10), units=sizes(1, 10), dtype=float_dtypes())
def test_mylinear_is_affine(data, in_units, units, dtype):
    X = data.draw(tensors(batch_shapes(in_units), dtype))
    with diagnose(mm_two_dims_only=raised(RuntimeError, "must be a matrix")):
        got = mylinear_forward(in_units, units, dtype, X)
    Y, weight, bias = got["Y"], got["weight"], got["bias"]
    scale = max(float(X.abs().max()), 1.0) * max(float(weight.abs().max()), 1.0)
    atol = 8 * torch.finfo(dtype).eps * scale * (in_units + 1)
    with diagnose(
        not_parameters=lambda: weight.dtype != dtype,  # .to(dtype) left a plain tensor alone
        weight_transposed=lambda: close(Y, X @ weight.T + bias, rtol=0, atol=atol),
        bias_a_row=lambda: bias.shape == (1, units),
        relu_inside=lambda: close(Y, torch.relu(X @ weight + bias), rtol=0, atol=atol),
    ):
        assert Y.shape == (*X.shape[:-1], units)
        expected = X @ weight + bias
        torch.testing.assert_close(Y, expected, rtol=0, atol=atol)


@probe
def mylinear_with(layers, weight, bias, X):
    """MyLinear with the verdict's weight and bias copied in, on X."""
    in_units, units = weight.shape
    layer = layers.MyLinear(int(in_units), int(units))
    layer(X)
    with torch.no_grad():
        layer.weight.copy_(weight)
        layer.bias.copy_(bias)
    return layer(X).detach().clone()


@pytest.mark.points(1)
def test_mylinear_has_no_activation():
    Y = mylinear_with(-torch.eye(3), torch.zeros(3), torch.ones(2, 3))
    with diagnose(relu_inside=lambda: close(Y, torch.zeros(2, 3))):
        torch.testing.assert_close(
            Y,
            -torch.ones(2, 3),
            msg=(
                "MyLinear must be purely affine (X @ weight + bias); negative outputs came "
                "out changed"
            ),
        )


@probe
def mylinear_functional_grads(layers, in_units, units, X, W, b, upstream):
    """MyLinear called with W and b in place of its parameters (torch.func.functional_call);
    backward from ``upstream``: the output and the gradients that reach X, W and b."""
    layer = layers.MyLinear(in_units, units).double()
    X, W, b = (t.detach().requires_grad_(True) for t in (X, W, b))
    Y = torch.func.functional_call(layer, {"weight": W, "bias": b}, (X,))
    if Y.requires_grad:
        Y.backward(upstream)
    return {"Y": Y.detach().clone(), "X": grad_of(X), "W": grad_of(W), "b": grad_of(b)}


@pytest.mark.points(3)
@given(in_units=sizes(1, 5), units=sizes(1, 5), batch=sizes(1, 4))
def test_mylinear_gradcheck(in_units, units, batch):
    # The verdict compares the output and autograd's gradients with the closed form of
    # Y = X @ W + b, for an upstream gradient G: dX = G @ W.T, dW = X.T @ G, db = sum(G).
    X = torch.randn(batch, in_units, dtype=torch.float64)
    W = torch.randn(in_units, units, dtype=torch.float64)
    b = torch.randn(units, dtype=torch.float64)
    G = torch.randn(batch, units, dtype=torch.float64)
    got = mylinear_functional_grads(in_units, units, X, W, b, G)
    with diagnose(relu_inside=lambda: close(got["Y"], torch.relu(X @ W + b))):
        torch.testing.assert_close(got["Y"], X @ W + b)
    expected = {"X": G @ W.T, "W": X.T @ G, "b": G.sum(0)}
    with diagnose(parameters_bypassed=lambda: got["W"] is None and got["b"] is None):
        for name, want in expected.items():
            assert got[name] is not None, f"no gradient reached {name}"
            torch.testing.assert_close(
                got[name], want, msg=f"MyLinear's gradient with respect to {name} is wrong"
            )


@probe
def mylinear_sum_grads(layers, in_units, units, X):
    layer = layers.MyLinear(in_units, units)
    Y = layer(X)
    if Y.requires_grad:
        Y.sum().backward()
    return {
        "weight": grad_of(layer.weight),
        "bias": grad_of(layer.bias),
        "requires_grad": [bool(layer.weight.requires_grad), bool(layer.bias.requires_grad)],
        "bias_shape": tuple(layer.bias.shape),
    }


@pytest.mark.points(2)
@given(in_units=sizes(1, 8), units=sizes(1, 8), batch=sizes(1, 5))
def test_mylinear_gradients_reach_weight_and_bias(in_units, units, batch):
    X = torch.randn(batch, in_units)
    got = mylinear_sum_grads(in_units, units, X)
    with diagnose(
        frozen_parameters=lambda: not all(got["requires_grad"]),
        parameters_bypassed=lambda: got["weight"] is None and got["bias"] is None,
    ):
        assert got["weight"] is not None and got["bias"] is not None, (
            "weight or bias received no gradient"
        )
    with diagnose(bias_a_row=lambda: got["bias_shape"] == (1, units)):
        torch.testing.assert_close(got["weight"], X.sum(0, keepdim=True).T.expand(in_units, units))
        torch.testing.assert_close(got["bias"], torch.full((units,), float(batch)))


@probe
def mylinear_initial_values(layers, in_units, units, X):
    """A fresh MyLinear's weight and bias (after one forward pass on X)."""
    layer = layers.MyLinear(in_units, units)
    layer(X)
    return {"weight": layer.weight.detach().clone(), "bias": layer.bias.detach().clone()}


@pytest.mark.points(2)
def test_mylinear_initialised_from_standard_normal():
    # Sample mean and std of N(0, 1) draws. With n = 90,000 weight entries the
    # standard errors are 1/300 (mean) and 1/sqrt(2n) ~ 0.0024 (std): a bound of
    # 0.05 is 15 and 21 standard errors; with 20,000 bias entries it is 7 and 10.
    # The chance of a false failure is below 1e-11 per run, seed or no seed.
    w = mylinear_initial_values(300, 300, torch.zeros(1, 300))["weight"]
    b = mylinear_initial_values(1, 20_000, torch.zeros(1, 1))["bias"]
    for name, values in (("weight", w), ("bias", b)):
        mean, std = float(values.mean()), float(values.std())
        with diagnose(
            zero_init=lambda: not values.any(),
            uniform_init=lambda: float(values.min()) >= 0 and float(values.max()) < 1,
            scaled_init=lambda: abs(mean) < 0.05 and 0 < std < 0.5,
        ):
            assert abs(mean) < 0.05 and abs(std - 1) < 0.05, (
                f"{name} mean {mean:.3f}, std {std:.3f}: expected draws from N(0, 1)"
            )


@probe
def mylinear_on_meta(layers, in_units, units, X, batch):
    """Where MyLinear's parameters are after ``.to("meta")``, and where its output on a
    meta input is (meta tensors have no values: their devices come back as strings)."""
    layer = layers.MyLinear(in_units, units)
    layer(X)
    layer.to("meta")
    devices = {name: str(p.device) for name, p in layer.named_parameters()}
    Y = layer(torch.zeros(batch, in_units, device="meta"))
    return {"parameters": devices, "output": str(Y.device)}


@pytest.mark.points(1)
def test_mylinear_moves_with_to_device():
    got = mylinear_on_meta(5, 3, torch.zeros(1, 5), 2)
    with diagnose(not_parameters=lambda: got["parameters"] == {}):
        for name, device in got["parameters"].items():
            assert device == "meta", f"{name} stayed on {device}"
        assert got["output"] == "meta", f"the output is on {got['output']}, not on meta"


@probe
def mylinear_network(layers, X):
    net = nn.Sequential(layers.MyLinear(64, 8), nn.ReLU(), layers.MyLinear(8, 1))
    Y = net(X)
    state = {str(k): v.detach().clone() for k, v in net.state_dict().items()}
    return {"Y": Y.detach().clone(), "state": state}


@pytest.mark.points(1)
def test_mylinear_builds_a_network():
    X = torch.rand(2, 64)
    got = mylinear_network(X)
    assert got["Y"].shape == (2, 1)
    state = got["state"]
    with diagnose(not_parameters=lambda: state == {}):
        assert sorted(state) == ["0.bias", "0.weight", "2.bias", "2.weight"]
    H = torch.relu(X @ state["0.weight"] + state["0.bias"])
    torch.testing.assert_close(got["Y"], H @ state["2.weight"] + state["2.bias"])
