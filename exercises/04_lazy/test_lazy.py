"""Tests for exercise 4, lazy initialisation (lazy.py)."""

import pytest
import torch
from hypothesis import given
from hypothesis import strategies as st
from torch import nn
from torch.nn.functional import linear, relu
from torch.nn.parameter import is_lazy

from grader.strategies import batch_shapes, sizes, tensors, tolerance
from grader.testing import impl

lazy = impl("lazy")


def book_lazy_mlp(num_hiddens, num_outputs):
    """The net of the contract, built here so that materialize is tested on its own."""
    return nn.Sequential(nn.LazyLinear(num_hiddens), nn.ReLU(), nn.LazyLinear(num_outputs))


def lazy_names(net):
    return [name for name, p in net.named_parameters() if is_lazy(p)]


class ForwardLog:
    """Records every call of a module: was autograd recording, and the input's shape.

    Hooked on the net's first layer, so ``net(X)`` and ``net.forward(X)`` both count.
    """

    def __init__(self, module):
        self.calls = []
        self.handle = module.register_forward_pre_hook(self, with_kwargs=True)

    def __call__(self, module, args, kwargs):
        X = args[0] if args else next(iter(kwargs.values()))
        self.calls.append((torch.is_grad_enabled(), tuple(X.shape)))


# ---------------------------------------------------------------- lazy_mlp


@pytest.mark.points(2)
@given(num_hiddens=sizes(1, 64), num_outputs=sizes(1, 16))
def test_lazy_mlp_is_lazylinear_relu_lazylinear(num_hiddens, num_outputs):
    net = lazy.lazy_mlp(num_hiddens, num_outputs)
    assert isinstance(net, nn.Sequential), f"lazy_mlp returned {type(net).__name__}"
    kinds = [type(m).__name__ for m in net._modules.values()]
    assert len(kinds) == 3, f"lazy_mlp's modules are {kinds}; expected LazyLinear, ReLU, LazyLinear"
    assert isinstance(net[0], nn.LazyLinear) and isinstance(net[2], nn.LazyLinear), (
        f"lazy_mlp's modules are {kinds}: both linear layers must be nn.LazyLinear, "
        "which need no input size"
    )
    assert isinstance(net[1], nn.ReLU), (
        f"lazy_mlp's modules are {kinds}: put an nn.ReLU() between the two layers"
    )
    assert (net[0].out_features, net[2].out_features) == (num_hiddens, num_outputs), (
        f"lazy_mlp({num_hiddens}, {num_outputs}) has layers of {net[0].out_features} and "
        f"{net[2].out_features} outputs: use the arguments num_hiddens and num_outputs"
    )


@pytest.mark.points(2)
@given(num_hiddens=sizes(1, 64), num_outputs=sizes(1, 16))
def test_lazy_mlp_parameters_start_uninitialised(num_hiddens, num_outputs):
    net = lazy.lazy_mlp(num_hiddens, num_outputs)
    params = dict(net.named_parameters())
    assert len(params) == 4, (
        f"lazy_mlp has parameters {sorted(params)}; expected two weights and two biases"
    )
    eager = [name for name, p in params.items() if not is_lazy(p)]
    assert not eager, (
        f"{eager} already have shapes before any forward pass: build the layers with "
        "nn.LazyLinear(num_outputs), which leaves the input size open"
    )


@pytest.mark.points(1)
def test_lazy_mlp_defaults_match_the_book():
    net = lazy.lazy_mlp()
    assert net(torch.rand(2, 20)).shape == (2, 10)
    assert net[0].weight.shape == (256, 20) and net[2].weight.shape == (10, 256), (
        "lazy_mlp() should default to num_hiddens=256 and num_outputs=10"
    )


@pytest.mark.points(3)
@given(data=st.data(), num_inputs=sizes(1, 16), num_hiddens=sizes(1, 32), num_outputs=sizes(1, 8))
def test_first_forward_pass_infers_every_shape(data, num_inputs, num_hiddens, num_outputs):
    net = lazy.lazy_mlp(num_hiddens, num_outputs)
    X = data.draw(tensors(batch_shapes(num_inputs)), label="X")
    Y = net(X)
    assert Y.shape == (*X.shape[:-1], num_outputs), (
        f"input {tuple(X.shape)} gave output {tuple(Y.shape)}; expected "
        f"{(*X.shape[:-1], num_outputs)}"
    )
    assert not lazy_names(net), f"{lazy_names(net)} are still lazy after a forward pass"
    shapes = {name: tuple(p.shape) for name, p in net.named_parameters()}
    expected = {
        "0.weight": (num_hiddens, num_inputs),
        "0.bias": (num_hiddens,),
        "2.weight": (num_outputs, num_hiddens),
        "2.bias": (num_outputs,),
    }
    assert shapes == expected, f"after a forward pass the shapes are {shapes}; expected {expected}"
    W1, b1, W2, b2 = (p.detach() for p in (net[0].weight, net[0].bias, net[2].weight, net[2].bias))
    H = relu(linear(X, W1, b1))
    want = linear(H, W2, b2)
    # The same float operations as the net's: any difference is rounding at most.
    big_w = max(float(W1.abs().max()), float(W2.abs().max()), 1.0)
    atol = (tolerance(X, num_inputs) * num_hiddens + tolerance(H, num_hiddens)) * big_w
    err = float((Y.detach() - want).abs().max()) if want.numel() else 0.0
    assert err <= atol, (
        f"the output is off by {err:.3g} from LazyLinear -> ReLU -> LazyLinear of the input"
    )


# ---------------------------------------------------------------- materialize


@pytest.mark.points(2)
@given(num_inputs=sizes(1, 16), num_hiddens=sizes(1, 32), num_outputs=sizes(1, 8))
def test_materialize_returns_the_same_net(num_inputs, num_hiddens, num_outputs):
    net = book_lazy_mlp(num_hiddens, num_outputs)
    out = lazy.materialize(net, num_inputs)
    assert out is net, (
        f"materialize returned {type(out).__name__}, not the net it was given: "
        "return net itself (not the output of the forward pass, not a copy)"
    )


@pytest.mark.points(3)
@given(num_inputs=sizes(1, 16), num_hiddens=sizes(1, 32), num_outputs=sizes(1, 8))
def test_materialize_gives_every_weight_its_shape(num_inputs, num_hiddens, num_outputs):
    net = book_lazy_mlp(num_hiddens, num_outputs)
    lazy.materialize(net, num_inputs)
    assert not lazy_names(net), (
        f"{lazy_names(net)} are still lazy after materialize: run net on the dummy batch"
    )
    assert net[0].weight.shape == (num_hiddens, num_inputs), (
        f"materialize(net, {num_inputs}) gave the first weight the shape "
        f"{tuple(net[0].weight.shape)}; expected {(num_hiddens, num_inputs)}: the dummy batch "
        f"must have shape (1, num_inputs)"
    )
    assert net[2].weight.shape == (num_outputs, num_hiddens)
    assert net[0].bias.shape == (num_hiddens,) and net[2].bias.shape == (num_outputs,)


@pytest.mark.points(3)
@given(num_inputs=sizes(2, 16), num_hiddens=sizes(1, 16))
def test_materialize_runs_one_forward_on_one_example_without_grad(num_inputs, num_hiddens):
    net = book_lazy_mlp(num_hiddens, 3)
    log = ForwardLog(net[0])
    lazy.materialize(net, num_inputs)
    assert len(log.calls) == 1, (
        f"materialize ran {len(log.calls)} forward passes; it should run exactly one"
    )
    grad_enabled, shape = log.calls[0]
    assert shape == (1, num_inputs), (
        f"the dummy batch had shape {shape}; expected (1, num_inputs) = {(1, num_inputs)}: "
        "one example with num_inputs features"
    )
    assert not grad_enabled, (
        "the forward pass recorded a computational graph: run it inside `with torch.no_grad():`"
    )


@pytest.mark.points(1)
@given(num_inputs=sizes(1, 16))
def test_materialize_leaves_no_grad_and_autograd_on(num_inputs):
    net = book_lazy_mlp(8, 2)
    lazy.materialize(net, num_inputs)
    with_grad = [name for name, p in net.named_parameters() if p.grad is not None]
    assert not with_grad, f"materialize left a .grad on {with_grad}: run no backward pass"
    assert torch.is_grad_enabled(), (
        "materialize turned gradient recording off for good: use `with torch.no_grad():`, "
        "which switches it back on when the block ends"
    )


@pytest.mark.points(2)
@given(num_inputs=sizes(1, 16), batch=sizes(1, 4))
def test_materialized_net_can_be_trained(num_inputs, batch):
    net = book_lazy_mlp(8, 2)
    lazy.materialize(net, num_inputs)
    try:
        net(torch.randn(batch, num_inputs)).square().sum().backward()
    except RuntimeError as exc:
        pytest.fail(
            f"the materialized net cannot be trained ({exc}): run the dummy pass inside "
            "`with torch.no_grad():` (not torch.inference_mode(), whose tensors can never "
            "be trained, and not a torch.set_grad_enabled(False) that stays switched off)",
            pytrace=False,
        )
    missing = [name for name, p in net.named_parameters() if p.grad is None]
    assert not missing, f"{missing} got no gradient from a backward pass after materialize"


@pytest.mark.points(2)
@given(num_inputs=sizes(1, 16), num_hiddens=sizes(1, 16), num_outputs=sizes(1, 8))
def test_materialize_works_on_other_lazy_nets(num_inputs, num_hiddens, num_outputs):
    net = nn.Sequential(nn.LazyLinear(num_hiddens), nn.Linear(num_hiddens, num_outputs))
    assert lazy.materialize(net, num_inputs) is net
    assert not lazy_names(net), f"{lazy_names(net)} are still lazy after materialize"
    assert net[0].weight.shape == (num_hiddens, num_inputs)
    assert net(torch.zeros(2, num_inputs)).shape == (2, num_outputs)

    layer = nn.LazyLinear(num_outputs)
    assert lazy.materialize(layer, num_inputs) is layer
    assert layer.weight.shape == (num_outputs, num_inputs), (
        "materialize should work on a single lazy layer too: run it on the dummy batch"
    )


@pytest.mark.points(1)
@given(num_inputs=sizes(1, 8), num_hiddens=sizes(1, 8), num_outputs=sizes(1, 4))
def test_materialize_follows_the_dtype_of_the_net(num_inputs, num_hiddens, num_outputs):
    net = book_lazy_mlp(num_hiddens, num_outputs).to(torch.float64)
    assert lazy.materialize(net, num_inputs) is net
    assert not lazy_names(net), f"{lazy_names(net)} are still lazy after materialize"
    wrong = {name: p.dtype for name, p in net.named_parameters() if p.dtype != torch.float64}
    assert not wrong, (
        f"a lazy net moved to float64 came out with {wrong}: make the dummy batch with the "
        "dtype (and device) of the net's parameters"
    )
    assert net(torch.zeros(2, num_inputs, dtype=torch.float64)).dtype == torch.float64


@pytest.mark.points(1)
def test_materialize_accepts_a_net_without_parameters():
    net = nn.Sequential(nn.ReLU())
    assert lazy.materialize(net, 3) is net, (
        "a net without parameters has nothing to infer: run the dummy batch of the default "
        "dtype through it and return it (next(net.parameters(), None) is None here)"
    )


@pytest.mark.cuda
@pytest.mark.points(0)
def test_cuda_materialize_on_the_gpu():
    net = book_lazy_mlp(6, 2).to("cuda")
    assert lazy.materialize(net, 5) is net
    assert all(p.device.type == "cuda" for p in net.parameters()), (
        "a lazy net moved to the GPU must be materialized there: put the dummy batch on the "
        "device of the net's parameters"
    )
