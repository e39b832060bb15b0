"""Tests for exercise 8, containers and module state (containers.py)."""

import pytest
import torch
from hypothesis import given
from hypothesis import strategies as st
from torch import nn
from torch.nn import functional as F

from grader.strategies import batch_shapes, float_dtypes, sizes, tensors, tolerance
from grader.testing import impl

containers = impl("containers")

widths_lists = st.lists(sizes(1, 8), min_size=2, max_size=5)
# Task names that are valid module names and clash with no nn.Module attribute.
TASKS = ("age", "digit", "colour", "price", "topic", "mood", "shape", "genre")
task_dicts = st.lists(st.sampled_from(TASKS), min_size=1, max_size=4, unique=True).flatmap(
    lambda names: st.tuples(*[sizes(1, 6) for _ in names]).map(
        lambda ss: dict(zip(names, ss, strict=True))
    )
)
# Shapes (…, n) with possibly no leading dimension, never an empty batch.
row_shapes = st.lists(st.integers(1, 4), max_size=3).map(tuple)


def close(actual, expected, X, terms, what):
    torch.testing.assert_close(
        actual, expected, rtol=0, atol=tolerance(X, terms) * 4, msg=lambda m: f"{what}\n{m}"
    )


# ---------------------------------------------------------------- LayerStack


@pytest.mark.points(3)
@given(widths=widths_lists)
def test_layerstack_registers_its_layers_in_a_modulelist(widths):
    stack = containers.LayerStack(widths)
    stack(torch.zeros(2, widths[0]))
    layers = getattr(stack, "layers", None)
    assert isinstance(layers, nn.ModuleList), (
        f"LayerStack.layers is {type(layers).__name__}; make it an nn.ModuleList so that "
        "parameters(), state_dict() and .to() see the layers"
    )
    assert len(layers) == len(widths) - 1, (
        f"{len(widths)} widths make {len(widths) - 1} Linear layers; layers holds {len(layers)} "
        "(put only the nn.Linear layers in it)"
    )
    for i, layer in enumerate(layers):
        assert isinstance(layer, nn.Linear), f"layers[{i}] is {type(layer).__name__}, not Linear"
        assert (layer.in_features, layer.out_features) == (widths[i], widths[i + 1]), (
            f"layers[{i}] maps {layer.in_features} -> {layer.out_features}; "
            f"expected {widths[i]} -> {widths[i + 1]}"
        )
    expected = [f"layers.{i}.{p}" for i in range(len(widths) - 1) for p in ("weight", "bias")]
    assert [name for name, _ in stack.named_parameters()] == expected
    assert list(stack.state_dict()) == expected


@pytest.mark.points(3)
@given(data=st.data(), widths=widths_lists, dtype=float_dtypes())
def test_layerstack_applies_relu_between_layers(data, widths, dtype):
    stack = containers.LayerStack(widths).to(dtype)
    X = data.draw(tensors(batch_shapes(widths[0]), dtype, bound=10.0))
    Y = stack(X)
    assert Y.shape == (*X.shape[:-1], widths[-1])
    expected = X
    with torch.no_grad():
        for i, layer in enumerate(stack.layers):
            expected = layer(expected)
            if i < len(widths) - 2:
                expected = F.relu(expected)
    torch.testing.assert_close(Y.detach(), expected, rtol=1e-5, atol=1e-4)


def _identity_then_negate(stack):
    with torch.no_grad():
        stack.layers[0].weight.copy_(torch.eye(3))
        stack.layers[1].weight.copy_(-torch.eye(3))
        for layer in stack.layers:
            layer.bias.zero_()


@pytest.mark.points(1)
def test_layerstack_has_no_relu_after_the_last_layer():
    stack = containers.LayerStack([3, 3, 3])
    stack(torch.zeros(1, 3))
    _identity_then_negate(stack)
    Y = stack(torch.tensor([[1.0, 2.0, 3.0]]))
    torch.testing.assert_close(
        Y.detach(),
        torch.tensor([[-1.0, -2.0, -3.0]]),
        msg="the output layer must have no activation: negative outputs came out clipped",
    )


@pytest.mark.points(1)
def test_layerstack_has_a_relu_after_each_hidden_layer():
    stack = containers.LayerStack([3, 3, 3])
    stack(torch.zeros(1, 3))
    _identity_then_negate(stack)
    Y = stack(torch.tensor([[-1.0, 2.0, -3.0]]))
    torch.testing.assert_close(
        Y.detach(),
        torch.tensor([[0.0, -2.0, 0.0]]),
        msg="a hidden layer's output must go through relu before the next layer",
    )


@pytest.mark.points(1)
def test_layerstack_moves_and_trains_as_a_whole():
    stack = containers.LayerStack([5, 7, 6, 2])
    stack(torch.zeros(1, 5))
    stack.to(torch.float64)
    for name, p in stack.named_parameters():
        assert p.dtype == torch.float64, f"{name} was not converted by .to(float64)"
    stack(torch.randn(4, 5, dtype=torch.float64)).sum().backward()
    missing = [name for name, p in stack.named_parameters() if p.grad is None]
    assert not missing, f"no gradient reached {missing}"
    assert len(list(stack.parameters())) == 6


# ---------------------------------------------------------------- MultiTaskHead


@pytest.mark.points(3)
@given(num_inputs=sizes(1, 8), task_sizes=task_dicts)
def test_multitaskhead_registers_one_head_per_task_in_a_moduledict(num_inputs, task_sizes):
    model = containers.MultiTaskHead(num_inputs, task_sizes)
    model(torch.zeros(1, num_inputs))
    heads = getattr(model, "heads", None)
    assert isinstance(heads, nn.ModuleDict), (
        f"MultiTaskHead.heads is {type(heads).__name__}; make it an nn.ModuleDict so the "
        "heads are registered"
    )
    assert list(heads.keys()) == list(task_sizes), (
        f"heads has keys {list(heads.keys())}; expected the tasks in the order given, "
        f"{list(task_sizes)}"
    )
    for task, size in task_sizes.items():
        head = heads[task]
        assert isinstance(head, nn.Linear), f"heads[{task!r}] is {type(head).__name__}"
        assert (head.in_features, head.out_features) == (num_inputs, size), (
            f"heads[{task!r}] maps {head.in_features} -> {head.out_features}; "
            f"expected {num_inputs} -> {size}"
        )
    expected = [f"heads.{t}.{p}" for t in task_sizes for p in ("weight", "bias")]
    assert [name for name, _ in model.named_parameters()] == expected
    assert list(model.state_dict()) == expected


@pytest.mark.points(3)
@given(data=st.data(), num_inputs=sizes(1, 8), task_sizes=task_dicts, dtype=float_dtypes())
def test_multitaskhead_returns_one_output_per_task(data, num_inputs, task_sizes, dtype):
    model = containers.MultiTaskHead(num_inputs, task_sizes).to(dtype)
    X = data.draw(tensors(batch_shapes(num_inputs), dtype))
    out = model(X)
    assert isinstance(out, dict), f"forward returned {type(out).__name__}; return a dict"
    assert list(out) == list(task_sizes), (
        f"forward's dict has keys {list(out)}; expected {list(task_sizes)}, in that order"
    )
    for task, size in task_sizes.items():
        assert out[task].shape == (*X.shape[:-1], size), f"output {task!r}: wrong shape"
        with torch.no_grad():
            expected = model.heads[task](X)
        close(out[task].detach(), expected, X, num_inputs + 1, f"output {task!r}")


@pytest.mark.points(1)
def test_multitaskhead_keeps_the_order_given_and_trains_every_head():
    model = containers.MultiTaskHead(4, {"topic": 3, "age": 1, "digit": 10})
    out = model(torch.randn(5, 4))
    assert list(out) == ["topic", "age", "digit"], "keep the tasks in the order given, unsorted"
    sum(y.sum() for y in out.values()).backward()
    missing = [name for name, p in model.named_parameters() if p.grad is None]
    assert not missing, f"no gradient reached {missing}"
    model.to(torch.float64)
    assert all(p.dtype == torch.float64 for p in model.parameters()), ".to() missed a head"


# ---------------------------------------------------------------- ResidualBlock


@pytest.mark.points(2)
@given(n=sizes(1, 10))
def test_residualblock_holds_linear_relu_linear(n):
    block = containers.ResidualBlock(n)
    block(torch.zeros(1, n))
    net = getattr(block, "net", None)
    assert isinstance(net, nn.Sequential), f"ResidualBlock.net is {type(net).__name__}"
    kinds = [type(m) for m in net]
    assert kinds == [nn.Linear, nn.ReLU, nn.Linear], f"net holds {[k.__name__ for k in kinds]}"
    for i in (0, 2):
        assert (net[i].in_features, net[i].out_features) == (n, n), f"net[{i}] is not {n} -> {n}"
    assert list(block.state_dict()) == ["net.0.weight", "net.0.bias", "net.2.weight", "net.2.bias"]


@pytest.mark.points(3)
@given(data=st.data(), n=sizes(1, 10), dtype=float_dtypes())
def test_residualblock_adds_the_input_before_the_relu(data, n, dtype):
    block = containers.ResidualBlock(n).to(dtype)
    X = data.draw(tensors(batch_shapes(n), dtype, bound=10.0))
    Y = block(X)
    assert Y.shape == X.shape
    with torch.no_grad():
        expected = F.relu(X + block.net(X))
    torch.testing.assert_close(
        Y.detach(), expected, rtol=1e-5, atol=1e-4, msg="forward must return relu(X + net(X))"
    )


@pytest.mark.points(2)
@given(X=tensors(batch_shapes(6), float_dtypes()))
def test_residualblock_with_a_zero_net_is_relu_of_its_input(X):
    # The skip connection: when net(X) == 0 the block must still pass relu(X) on.
    block = containers.ResidualBlock(6).to(X.dtype)
    with torch.no_grad():
        for p in block.parameters():
            p.zero_()
    Y = block(X)
    torch.testing.assert_close(
        Y.detach(),
        F.relu(X),
        msg="with net's parameters all zero the block should return relu(X): add X back "
        "(the skip connection), then apply relu to the sum",
    )


@pytest.mark.points(2)
@given(n=sizes(1, 6), batch=sizes(1, 4))
def test_residualblock_gradient_flows_through_the_skip_and_the_net(n, batch):
    block = containers.ResidualBlock(n).double()
    with torch.no_grad():
        block.net[2].weight.zero_()
        block.net[2].bias.zero_()
    X = torch.randn(batch, n, dtype=torch.float64, requires_grad=True)
    block(X).sum().backward()
    # net(X) == 0 here, so d relu(X + net(X)) / dX is 1 where X > 0, through the skip alone.
    assert X.grad is not None, "no gradient reached the input"
    torch.testing.assert_close(
        X.grad,
        (X > 0).double(),
        msg="the gradient must flow through the skip connection X + net(X) (no detach)",
    )
    missing = [name for name, p in block.named_parameters() if p.grad is None]
    assert not missing, f"no gradient reached {missing}"


# ---------------------------------------------------------------- RunningMean


@pytest.mark.points(3)
@given(n=sizes(1, 10))
def test_runningmean_state_is_two_buffers_and_no_parameters(n):
    layer = containers.RunningMean(n)
    layer.eval()
    layer(torch.zeros(2, n))
    assert list(layer.parameters()) == [], (
        "RunningMean must have no parameters: register mean with register_buffer, "
        "not as an nn.Parameter"
    )
    state = layer.state_dict()
    assert list(state) == ["mean", "num_batches"], (
        f"state_dict() has keys {list(state)}; register the buffers mean and num_batches "
        "(persistent, in that order) with register_buffer"
    )
    buffers = dict(layer.named_buffers())
    assert buffers["mean"] is layer.mean and buffers["num_batches"] is layer.num_batches
    assert layer.mean.shape == (n,) and layer.mean.dtype == torch.get_default_dtype()
    assert torch.equal(layer.mean, torch.zeros(n)), "mean must start at zero"
    assert layer.num_batches.shape == () and layer.num_batches.dtype == torch.int64, (
        "num_batches must be a 0-d int64 tensor: torch.tensor(0, dtype=torch.long)"
    )
    assert int(layer.num_batches) == 0


@pytest.mark.points(3)
@given(
    data=st.data(),
    n=sizes(1, 6),
    momentum=st.sampled_from([0.1, 0.5, 1.0, 0.01, 0.3]),
    dtype=float_dtypes(),
    steps=st.integers(1, 4),
)
def test_runningmean_updates_in_training_mode(data, n, momentum, dtype, steps):
    layer = containers.RunningMean(n, momentum=momentum).to(dtype)
    layer.train()
    mean = torch.zeros(n, dtype=torch.float64)
    for step in range(1, steps + 1):
        X = data.draw(tensors(row_shapes.map(lambda s: (*s, n)), dtype, bound=10.0))
        Y = layer(X)
        batch_mean = X.double().reshape(-1, n).mean(0)
        mean = (1 - momentum) * mean + momentum * batch_mean
        atol = 64 * torch.finfo(dtype).eps * 10.0
        torch.testing.assert_close(
            layer.mean.double(),
            mean,
            rtol=0,
            atol=atol,
            msg=lambda m: (
                f"after {step} batch(es) mean is wrong: mean = (1 - momentum) * mean "
                f"+ momentum * (X averaged over all leading dims)\n{m}"
            ),
        )
        assert int(layer.num_batches) == step, "num_batches must count the training batches"
        assert Y.shape == X.shape
        torch.testing.assert_close(
            Y.double(),
            X.double() - mean,
            rtol=0,
            atol=2 * atol,
            msg="in training mode return X minus the mean just updated",
        )


@pytest.mark.points(1)
def test_runningmean_momentum_defaults_to_0_1():
    layer = containers.RunningMean(2)
    layer.train()
    layer(torch.tensor([[10.0, -20.0]]))
    torch.testing.assert_close(
        layer.mean,
        torch.tensor([1.0, -2.0]),
        msg=lambda m: (
            "RunningMean(2) without a momentum moved its mean from 0 towards a batch mean "
            f"of (10, -20) by the wrong fraction: the default momentum is 0.1\n{m}"
        ),
    )


@pytest.mark.points(3)
@given(data=st.data(), n=sizes(1, 6), dtype=float_dtypes())
def test_runningmean_in_eval_mode_only_uses_the_stored_mean(data, n, dtype):
    layer = containers.RunningMean(n).to(dtype)
    layer.train()
    layer(torch.randn(4, n, dtype=dtype))
    before = {k: v.clone() for k, v in layer.state_dict().items()}
    layer.eval()
    X = data.draw(tensors(batch_shapes(n), dtype))
    Y = layer(X)
    after = layer.state_dict()
    assert torch.equal(after["mean"], before["mean"]), "eval mode must not update mean"
    assert torch.equal(after["num_batches"], before["num_batches"]), (
        "eval mode must not count batches"
    )
    torch.testing.assert_close(Y, X - before["mean"], rtol=0, atol=tolerance(X))


@pytest.mark.points(2)
@given(n=sizes(1, 6))
def test_runningmean_records_no_gradient_into_its_buffers(n):
    layer = containers.RunningMean(n)
    layer.train()
    for _ in range(2):  # a second step would backward through the first one's graph
        X = torch.randn(3, n, requires_grad=True)
        Y = layer(X)
        assert layer.mean.grad_fn is None and not layer.mean.requires_grad, (
            "the mean buffer got a grad_fn: update it under torch.no_grad()"
        )
        Y.sum().backward()
        torch.testing.assert_close(
            X.grad, torch.ones(3, n), msg="d(X - mean)/dX must be 1: the mean is a constant"
        )


@pytest.mark.points(1)
def test_runningmean_state_moves_and_round_trips():
    layer = containers.RunningMean(3, momentum=0.5)
    layer(torch.tensor([[2.0, 4.0, 6.0]]))
    layer.double()
    assert layer.mean.dtype == torch.float64, "mean must follow .to(dtype): make it a buffer"
    assert layer.num_batches.dtype == torch.int64
    layer.to("meta")
    assert layer.mean.device.type == "meta", "mean must follow .to(device): make it a buffer"
    fresh = containers.RunningMean(3)
    source = containers.RunningMean(3, momentum=0.5)
    source(torch.tensor([[2.0, 4.0, 6.0]]))
    fresh.load_state_dict(source.state_dict())
    torch.testing.assert_close(fresh.mean, torch.tensor([1.0, 2.0, 3.0]))
    assert int(fresh.num_batches) == 1


# ---------------------------------------------------------------- predict


def _net():
    return nn.Sequential(
        nn.Linear(4, 8), nn.BatchNorm1d(8), nn.ReLU(), nn.Dropout(0.5), nn.Linear(8, 2)
    )


@pytest.mark.points(3)
@given(X=tensors(st.integers(1, 6).map(lambda b: (b, 4)), float_dtypes(), bound=10.0))
def test_predict_computes_in_eval_mode(X):
    net = _net().to(X.dtype)
    net.train()
    net(torch.randn(16, 4, dtype=X.dtype))  # running statistics away from their start
    with torch.no_grad():
        net.eval()
        expected = net(X)
        net.train()
    Y = containers.predict(net, X)
    torch.testing.assert_close(
        Y,
        expected,
        msg="predict must compute in eval mode (dropout off, batch norm's running statistics)",
    )
    torch.testing.assert_close(containers.predict(net, X), Y, rtol=0, atol=0)


@pytest.mark.points(2)
def test_predict_changes_no_state():
    net = _net()
    net.train()
    net(torch.randn(16, 4))
    before = {k: v.clone() for k, v in net.state_dict().items()}
    containers.predict(net, torch.randn(5, 4))
    for key, value in net.state_dict().items():
        assert torch.equal(value, before[key]), (
            f"predict changed {key}: batch norm updates its running statistics in training mode"
        )


@pytest.mark.points(3)
@pytest.mark.parametrize("mode", ["train", "eval"])
def test_predict_restores_the_previous_mode(mode):
    net = _net()
    net.train(mode == "train")
    containers.predict(net, torch.randn(3, 4))
    modes = {name or "net": m.training for name, m in net.named_modules()}
    assert all(t == (mode == "train") for t in modes.values()), (
        f"the net was in {mode} mode before predict and is not afterwards ({modes}): "
        "remember net.training and restore it with net.train(was_training)"
    )


@pytest.mark.points(2)
def test_predict_records_no_gradient():
    net = _net()
    Y = containers.predict(net, torch.randn(3, 4))
    assert not Y.requires_grad, "predict's result requires grad: compute it under torch.no_grad()"
    assert torch.is_grad_enabled(), "predict left gradient recording switched off"
    assert all(p.grad is None for p in net.parameters())


class Boom(Exception):
    pass


class Explodes(nn.Module):
    def forward(self, X):
        raise Boom("forward failed")


@pytest.mark.points(2)
@pytest.mark.parametrize("mode", ["train", "eval"])
def test_predict_restores_the_mode_when_forward_raises(mode):
    net = nn.Sequential(nn.Linear(4, 4), nn.Dropout(0.5), Explodes())
    net.train(mode == "train")
    with pytest.raises(Boom):
        containers.predict(net, torch.randn(3, 4))
    assert net.training == (mode == "train") and net[1].training == (mode == "train"), (
        "forward raised and the net stayed in the wrong mode: restore it in a finally block"
    )
    assert torch.is_grad_enabled()


# ---------------------------------------------------------------- a real GPU
# Points 0: a grade must not depend on whether the grading machine has a GPU. These run
# where one is present (a course's GPU machine, or `grade --gpu`), and skip elsewhere.


@pytest.mark.cuda
@pytest.mark.points(0)
def test_cuda_containers_run_on_the_gpu():
    gpu = torch.device("cuda")
    X = torch.randn(5, 3, device=gpu)
    stack = containers.LayerStack([3, 4, 2]).to(gpu)
    assert stack(X).device.type == "cuda"
    head = containers.MultiTaskHead(3, {"age": 1, "digit": 4}).to(gpu)
    assert all(out.device.type == "cuda" for out in head(X).values())
    assert containers.ResidualBlock(3).to(gpu)(X).device.type == "cuda"
    layer = containers.RunningMean(3).to(gpu)
    layer.train()
    layer(X)
    assert layer.mean.device.type == "cuda" and layer.num_batches.device.type == "cuda", (
        "RunningMean's state stayed on the CPU: register mean and num_batches as buffers"
    )
    torch.testing.assert_close(layer.mean, 0.1 * X.mean(0))
    assert int(layer.num_batches) == 1
    assert containers.predict(stack, X).device.type == "cuda"
