"""Tests for exercise 8, containers and module state (containers.py).

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

from grader.diagnoses import close as same
from grader.diagnoses import diagnose, raised
from grader.plain import tensor_or_kind
from grader.probing import probes
from grader.strategies import batch_shapes, float_dtypes, sizes, tensors, tolerance

probe = probes("containers")

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


@probe.helper
def kind_of(m):
    """A module's class name; one not from torch.nn is named with its module too."""
    cls = type(m)
    if cls.__module__.startswith("torch.nn."):
        return cls.__name__
    return f"{cls.__module__}.{cls.__qualname__}"


@probe.helper
def linear_facts(m):
    """What the verdicts need to know of a layer: its kind and, for a Linear, its sizes."""
    is_linear = isinstance(m, nn.Linear)
    return {
        "kind": kind_of(m),
        "is_linear": is_linear,
        "sizes": (int(m.in_features), int(m.out_features)) if is_linear else None,
    }


@probe.helper
def state_of(module):
    """A copy of every entry of ``module.state_dict()``, in order."""
    return {str(k): v.detach().clone() for k, v in module.state_dict().items()}


@probe.helper
def no_grad_names(module):
    """The names of the parameters no gradient reached."""
    return [name for name, p in module.named_parameters() if p.grad is None]


# ---------------------------------------------------------------- LayerStack


@probe
def layerstack_structure(containers, widths):
    stack = containers.LayerStack(widths)
    stack(torch.zeros(2, widths[0]))
    layers = getattr(stack, "layers", None)
    is_modulelist = isinstance(layers, nn.ModuleList)
    return {
        "type": type(layers).__name__,
        "is_modulelist": is_modulelist,
        "layers": [linear_facts(m) for m in layers] if is_modulelist else None,
        "names": [name for name, _ in stack.named_parameters()],
        "state": [str(k) for k in stack.state_dict()],
    }


@pytest.mark.points(3)
@given(widths=widths_lists)
def test_layerstack_registers_its_layers_in_a_modulelist(widths):
    got = layerstack_structure(widths)
    with diagnose(layers_not_registered=lambda: layers_hidden(got["type"], got["names"])):
        assert got["is_modulelist"], (
            f"LayerStack.layers is {got['type']}; make it an nn.ModuleList so that "
            "parameters(), state_dict() and .to() see the layers"
        )
    layers = got["layers"]
    assert len(layers) == len(widths) - 1, (
        f"{len(widths)} widths make {len(widths) - 1} Linear layers; layers holds {len(layers)} "
        "(put only the nn.Linear layers in it)"
    )
    for i, layer in enumerate(layers):
        assert layer["is_linear"], f"layers[{i}] is {layer['kind']}, not Linear"
        n_in, n_out = layer["sizes"]
        assert (n_in, n_out) == (widths[i], widths[i + 1]), (
            f"layers[{i}] maps {n_in} -> {n_out}; expected {widths[i]} -> {widths[i + 1]}"
        )
    expected = [f"layers.{i}.{p}" for i in range(len(widths) - 1) for p in ("weight", "bias")]
    assert got["names"] == expected
    assert got["state"] == expected


def layers_hidden(kind, names):
    """Whether the layers sit in a plain list or tuple that registered nothing (a signature)."""
    return kind in ("list", "tuple") and names == []


@probe
def layerstack_forward(containers, widths, dtype, X):
    """The stack's output on X and its layers' parameters, to recompute it from."""
    stack = containers.LayerStack(widths).to(dtype)
    Y = stack(X)
    params = [
        (layer.weight.detach().clone(), layer.bias.detach().clone()) for layer in stack.layers
    ]
    return {"Y": Y.detach(), "params": params}


@pytest.mark.points(3)
@given(data=st.data(), widths=widths_lists, dtype=float_dtypes())
def test_layerstack_applies_relu_between_layers(data, widths, dtype):
    X = data.draw(tensors(batch_shapes(widths[0]), dtype, bound=10.0))
    got = layerstack_forward(widths, dtype, X)
    Y = got["Y"]
    assert Y.shape == (*X.shape[:-1], widths[-1])
    # The verdict recomputes the forward pass from the stack's own parameters.
    expected = affine = X
    for i, (W, b) in enumerate(got["params"]):
        expected, affine = F.linear(expected, W, b), F.linear(affine, W, b)
        if i < len(widths) - 2:
            expected = F.relu(expected)
    with diagnose(
        relu_after_the_output=lambda: same(Y, F.relu(expected), rtol=1e-5, atol=1e-4),
        no_relu_between=lambda: same(Y, affine, rtol=1e-5, atol=1e-4),
    ):
        torch.testing.assert_close(
            Y,
            expected,
            rtol=1e-5,
            atol=1e-4,
            msg=lambda m: f"the output is not the layers applied in order, relu between\n{m}",
        )


@probe.helper
def identity_then_negate(stack):
    with torch.no_grad():
        stack.layers[0].weight.copy_(torch.eye(3))
        stack.layers[1].weight.copy_(-torch.eye(3))
        for layer in stack.layers:
            layer.bias.zero_()


@probe
def layerstack_identity_then_negate(containers, X):
    """LayerStack([3, 3, 3]) with weights I and -I and zero biases, on X."""
    stack = containers.LayerStack([3, 3, 3])
    stack(torch.zeros(1, 3))
    identity_then_negate(stack)
    return stack(X).detach()


@pytest.mark.points(1)
def test_layerstack_has_no_relu_after_the_last_layer():
    Y = layerstack_identity_then_negate(torch.tensor([[1.0, 2.0, 3.0]]))
    with diagnose(relu_after_the_output=lambda: same(Y, torch.zeros(1, 3))):
        torch.testing.assert_close(
            Y,
            torch.tensor([[-1.0, -2.0, -3.0]]),
            msg="the output layer must have no activation: negative outputs came out clipped",
        )


@pytest.mark.points(1)
def test_layerstack_has_a_relu_after_each_hidden_layer():
    Y = layerstack_identity_then_negate(torch.tensor([[-1.0, 2.0, -3.0]]))
    with diagnose(
        # relu after both layers: relu(-relu(X)) is all zero
        relu_after_the_output=lambda: same(Y, torch.zeros(1, 3)),
        # no relu at all: -X
        no_relu_between=lambda: same(Y, torch.tensor([[1.0, -2.0, 3.0]])),
    ):
        torch.testing.assert_close(
            Y,
            torch.tensor([[0.0, -2.0, 0.0]]),
            msg="a hidden layer's output must go through relu before the next layer",
        )


@probe
def layerstack_moved(containers):
    """LayerStack([5, 7, 6, 2]) converted to float64: its parameters' dtypes, how many
    parameters it has, and what its ``layers`` attribute is."""
    stack = containers.LayerStack([5, 7, 6, 2])
    stack(torch.zeros(1, 5))
    stack.to(torch.float64)
    return {
        "dtypes": {name: p.dtype for name, p in stack.named_parameters()},
        "count": len(list(stack.parameters())),
        "type": type(getattr(stack, "layers", None)).__name__,
    }


@probe
def layerstack_trained(containers, X):
    """LayerStack([5, 7, 6, 2]) converted to float64, then one backward on X."""
    stack = containers.LayerStack([5, 7, 6, 2])
    stack(torch.zeros(1, 5))
    stack.to(torch.float64)
    stack(X).sum().backward()
    return no_grad_names(stack)


@pytest.mark.points(1)
def test_layerstack_moves_and_trains_as_a_whole():
    got = layerstack_moved()
    for name, dtype in got["dtypes"].items():
        assert dtype == torch.float64, f"{name} was not converted by .to(float64)"
    names = list(got["dtypes"])
    with diagnose(layers_not_registered=lambda: layers_hidden(got["type"], names)):
        assert got["count"] == 6, (
            f"LayerStack([5, 7, 6, 2]) has {got['count']} parameters; its 3 Linear layers have 6"
        )
    missing = layerstack_trained(torch.randn(4, 5, dtype=torch.float64))
    assert not missing, f"no gradient reached {missing}"


# ---------------------------------------------------------------- MultiTaskHead


@probe
def multitaskhead_structure(containers, num_inputs, task_sizes):
    model = containers.MultiTaskHead(num_inputs, task_sizes)
    model(torch.zeros(1, num_inputs))
    heads = getattr(model, "heads", None)
    is_moduledict = isinstance(heads, nn.ModuleDict)
    return {
        "type": type(heads).__name__,
        "is_moduledict": is_moduledict,
        "keys": [str(k) for k in heads.keys()] if is_moduledict else None,
        "heads": {str(k): linear_facts(m) for k, m in heads.items()} if is_moduledict else None,
        "names": [name for name, _ in model.named_parameters()],
        "state": [str(k) for k in model.state_dict()],
    }


@pytest.mark.points(3)
@given(num_inputs=sizes(1, 8), task_sizes=task_dicts)
def test_multitaskhead_registers_one_head_per_task_in_a_moduledict(num_inputs, task_sizes):
    got = multitaskhead_structure(num_inputs, task_sizes)
    with diagnose(heads_not_registered=lambda: got["type"] == "dict" and got["names"] == []):
        assert got["is_moduledict"], (
            f"MultiTaskHead.heads is {got['type']}; make it an nn.ModuleDict so the "
            "heads are registered"
        )
    with diagnose(tasks_sorted=lambda: got["keys"] == sorted(task_sizes)):
        assert got["keys"] == list(task_sizes), (
            f"heads has keys {got['keys']}; expected the tasks in the order given, "
            f"{list(task_sizes)}"
        )
    for task, size in task_sizes.items():
        head = got["heads"][task]
        assert head["is_linear"], f"heads[{task!r}] is {head['kind']}"
        n_in, n_out = head["sizes"]
        assert (n_in, n_out) == (num_inputs, size), (
            f"heads[{task!r}] maps {n_in} -> {n_out}; expected {num_inputs} -> {size}"
        )
    expected = [f"heads.{t}.{p}" for t in task_sizes for p in ("weight", "bias")]
    assert got["names"] == expected
    assert got["state"] == expected


@probe
def multitaskhead_forward(containers, num_inputs, task_sizes, dtype, X):
    """The model's outputs on X and each head's parameters, to recompute them from."""
    model = containers.MultiTaskHead(num_inputs, task_sizes).to(dtype)
    out = model(X)
    is_dict = isinstance(out, dict)
    return {
        "type": type(out).__name__,
        "out": {str(k): v.detach() for k, v in out.items()} if is_dict else None,
        "heads": {
            str(task): (head.weight.detach().clone(), head.bias.detach().clone())
            for task, head in model.heads.items()
        },
    }


@pytest.mark.points(3)
@given(data=st.data(), num_inputs=sizes(1, 8), task_sizes=task_dicts, dtype=float_dtypes())
def test_multitaskhead_returns_one_output_per_task(data, num_inputs, task_sizes, dtype):
    X = data.draw(tensors(batch_shapes(num_inputs), dtype))
    got = multitaskhead_forward(num_inputs, task_sizes, dtype, X)
    out = got["out"]
    assert out is not None, f"forward returned {got['type']}; return a dict"
    with diagnose(tasks_sorted=lambda: list(out) == sorted(task_sizes)):
        assert list(out) == list(task_sizes), (
            f"forward's dict has keys {list(out)}; expected {list(task_sizes)}, in that order"
        )
    for task, size in task_sizes.items():
        assert out[task].shape == (*X.shape[:-1], size), f"output {task!r}: wrong shape"
        # The verdict recomputes heads[task](X) from that head's own parameters.
        W, b = got["heads"][task]
        close(out[task], F.linear(X, W, b), X, num_inputs + 1, f"output {task!r}")


@probe
def multitaskhead_trained(containers, X):
    """MultiTaskHead(4, topic/age/digit): the output's keys, one backward, then .to(float64)."""
    model = containers.MultiTaskHead(4, {"topic": 3, "age": 1, "digit": 10})
    out = model(X)
    keys = [str(k) for k in out]
    sum(y.sum() for y in out.values()).backward()
    missing = no_grad_names(model)
    model.to(torch.float64)
    return {"keys": keys, "no_grad": missing, "dtypes": [p.dtype for p in model.parameters()]}


@pytest.mark.points(1)
def test_multitaskhead_keeps_the_order_given_and_trains_every_head():
    got = multitaskhead_trained(torch.randn(5, 4))
    with diagnose(tasks_sorted=lambda: got["keys"] == ["age", "digit", "topic"]):
        assert got["keys"] == ["topic", "age", "digit"], (
            f"the output's keys are {got['keys']}: keep the tasks in the order given, unsorted"
        )
    missing = got["no_grad"]
    assert not missing, f"no gradient reached {missing}"
    assert all(d == torch.float64 for d in got["dtypes"]), ".to() missed a head"


# ---------------------------------------------------------------- ResidualBlock


@probe
def residualblock_structure(containers, n):
    block = containers.ResidualBlock(n)
    block(torch.zeros(1, n))
    net = getattr(block, "net", None)
    is_sequential = isinstance(net, nn.Sequential)
    return {
        "type": type(net).__name__,
        "is_sequential": is_sequential,
        "layers": [linear_facts(m) for m in net] if is_sequential else None,
        "state": [str(k) for k in block.state_dict()],
    }


@pytest.mark.points(2)
@given(n=sizes(1, 10))
def test_residualblock_holds_linear_relu_linear(n):
    got = residualblock_structure(n)
    assert got["is_sequential"], f"ResidualBlock.net is {got['type']}"
    kinds = [m["kind"] for m in got["layers"]]
    assert kinds == ["Linear", "ReLU", "Linear"], f"net holds {kinds}"
    for i in (0, 2):
        assert got["layers"][i]["sizes"] == (n, n), f"net[{i}] is not {n} -> {n}"
    assert got["state"] == ["net.0.weight", "net.0.bias", "net.2.weight", "net.2.bias"]


@probe
def residualblock_forward(containers, n, dtype, X):
    """The block's output on X and its state, to recompute it from."""
    block = containers.ResidualBlock(n).to(dtype)
    Y = block(X)
    return {"Y": Y.detach(), "state": state_of(block)}


@pytest.mark.points(3)
@given(data=st.data(), n=sizes(1, 10), dtype=float_dtypes())
def test_residualblock_adds_the_input_before_the_relu(data, n, dtype):
    X = data.draw(tensors(batch_shapes(n), dtype, bound=10.0))
    got = residualblock_forward(n, dtype, X)
    Y, p = got["Y"], got["state"]
    assert Y.shape == X.shape
    # The verdict recomputes net(X) = linear(relu(linear(X))) from the block's own state.
    hidden = F.relu(F.linear(X, p["net.0.weight"], p["net.0.bias"]))
    net_X = F.linear(hidden, p["net.2.weight"], p["net.2.bias"])
    expected = F.relu(X + net_X)
    with diagnose(
        no_skip=lambda: same(Y, F.relu(net_X), rtol=1e-5, atol=1e-4),
        relu_before_the_addition=lambda: same(Y, X + F.relu(net_X), rtol=1e-5, atol=1e-4),
    ):
        torch.testing.assert_close(
            Y, expected, rtol=1e-5, atol=1e-4, msg="forward must return relu(X + net(X))"
        )


@probe
def residualblock_with_a_zero_net(containers, X):
    block = containers.ResidualBlock(6).to(X.dtype)
    with torch.no_grad():
        for p in block.parameters():
            p.zero_()
    return block(X).detach()


@pytest.mark.points(2)
@given(X=tensors(batch_shapes(6), float_dtypes()))
def test_residualblock_with_a_zero_net_is_relu_of_its_input(X):
    # The skip connection: when net(X) == 0 the block must still pass relu(X) on.
    Y = residualblock_with_a_zero_net(X)
    with diagnose(
        no_skip=lambda: same(Y, torch.zeros_like(X)),  # relu(net(X)) = relu(0)
        relu_before_the_addition=lambda: same(Y, X),  # X + relu(net(X)) = X + relu(0)
    ):
        torch.testing.assert_close(
            Y,
            F.relu(X),
            msg="with net's parameters all zero the block should return relu(X): add X back "
            "(the skip connection), then apply relu to the sum",
        )


@probe
def residualblock_gradients(containers, X, upstream):
    """Backward through a float64 block whose last layer is zero, with ``upstream`` as
    the gradient of the output: the input's gradient, and which parameters got none."""
    block = containers.ResidualBlock(X.shape[-1]).double()
    with torch.no_grad():
        block.net[2].weight.zero_()
        block.net[2].bias.zero_()
    X = X.clone().requires_grad_(True)
    Y = block(X)
    Y.backward(upstream)
    return {
        "Y": Y.detach().clone(),
        "X_grad": None if X.grad is None else X.grad.detach().clone(),
        "no_grad": no_grad_names(block),
    }


@pytest.mark.points(2)
@given(n=sizes(1, 6), batch=sizes(1, 4))
def test_residualblock_gradient_flows_through_the_skip_and_the_net(n, batch):
    X = torch.randn(batch, n, dtype=torch.float64)
    upstream = torch.randn(batch, n, dtype=torch.float64)
    got = residualblock_gradients(X, upstream)
    # net(X) == 0 here, so d relu(X + net(X)) / dX is 1 where X > 0, through the skip alone.
    assert got["X_grad"] is not None, "no gradient reached the input"
    Y, X_grad, nothing = got["Y"], got["X_grad"], torch.zeros_like(X)
    # With net(X) == 0: the skip detached gives relu(X) and no gradient; no skip gives
    # relu(0) = 0 and no gradient; the relu before the addition gives X + relu(0) = X.
    with diagnose(
        skip_detached=lambda: same(Y, F.relu(X)) and same(X_grad, nothing),
        no_skip=lambda: same(Y, nothing) and same(X_grad, nothing),
        relu_before_the_addition=lambda: same(Y, X),
    ):
        torch.testing.assert_close(
            X_grad,
            upstream * (X > 0).double(),
            msg="the gradient must flow through the skip connection X + net(X) (no detach)",
        )
    missing = got["no_grad"]
    assert not missing, f"no gradient reached {missing}"


# ---------------------------------------------------------------- RunningMean


@probe
def runningmean_state(containers, n):
    layer = containers.RunningMean(n)
    layer.eval()
    layer(torch.zeros(2, n))
    buffers = dict(layer.named_buffers())
    mean, num_batches = getattr(layer, "mean", None), getattr(layer, "num_batches", None)
    return {
        "parameters": [name for name, _ in layer.named_parameters()],
        "state": [str(k) for k in layer.state_dict()],
        "buffers_are_attributes": buffers.get("mean") is mean
        and buffers.get("num_batches") is num_batches,
        "mean": tensor_or_kind(mean),
        "num_batches": tensor_or_kind(num_batches),
        "default_dtype": torch.get_default_dtype(),
    }


@pytest.mark.points(3)
@given(n=sizes(1, 10))
def test_runningmean_state_is_two_buffers_and_no_parameters(n):
    got = runningmean_state(n)
    mean, num_batches = got["mean"], got["num_batches"]
    with diagnose(mean_a_parameter=lambda: "mean" in got["parameters"]):
        assert got["parameters"] == [], (
            "RunningMean must have no parameters: register mean with register_buffer, "
            "not as an nn.Parameter"
        )
    with diagnose(
        mean_not_a_buffer=lambda: "mean" not in got["state"] and isinstance(mean, torch.Tensor),
        count_not_a_buffer=lambda: "num_batches" not in got["state"] and num_batches == "int",
    ):
        assert got["state"] == ["mean", "num_batches"], (
            f"state_dict() has keys {got['state']}; register the buffers mean and num_batches "
            "(persistent, in that order) with register_buffer"
        )
    assert got["buffers_are_attributes"]
    assert isinstance(mean, torch.Tensor)
    assert mean.shape == (n,) and mean.dtype == got["default_dtype"]
    assert torch.equal(mean, torch.zeros(n)), "mean must start at zero"
    assert (
        isinstance(num_batches, torch.Tensor)
        and num_batches.shape == ()
        and num_batches.dtype == torch.int64
    ), "num_batches must be a 0-d int64 tensor: torch.tensor(0, dtype=torch.long)"
    # The probe ran one batch in eval mode: a count of 1 is that batch, counted.
    with diagnose(updates_in_eval=lambda: int(num_batches) == 1):
        assert int(num_batches) == 0, (
            f"num_batches is {int(num_batches)} after one batch in eval mode; expected 0"
        )


@probe
def runningmean_training_steps(containers, n, momentum, dtype, batches):
    """One training-mode step per batch: the mean, the count and the output after each."""
    layer = containers.RunningMean(n, momentum=momentum).to(dtype)
    layer.train()
    steps = []
    for X in batches:
        Y = layer(X)
        steps.append(
            {
                "mean": tensor_or_kind(layer.mean),
                "mean_is_a_buffer": any(name == "mean" for name, _ in layer.named_buffers()),
                "num_batches": int(layer.num_batches),
                "Y": Y.detach(),
            }
        )
    return steps


@pytest.mark.points(3)
@given(
    data=st.data(),
    n=sizes(1, 6),
    momentum=st.sampled_from([0.1, 0.5, 1.0, 0.01, 0.3]),
    dtype=float_dtypes(),
    steps=st.integers(1, 4),
)
def test_runningmean_updates_in_training_mode(data, n, momentum, dtype, steps):
    batches = [
        data.draw(tensors(row_shapes.map(lambda s: (*s, n)), dtype, bound=10.0))
        for _ in range(steps)
    ]
    got = runningmean_training_steps(n, momentum, dtype, batches)
    mean = torch.zeros(n, dtype=torch.float64)
    atol = 64 * torch.finfo(dtype).eps * 10.0
    for step, (X, seen) in enumerate(zip(batches, got, strict=True), start=1):
        previous = mean
        batch_mean = X.double().reshape(-1, n).mean(0)
        mean = (1 - momentum) * mean + momentum * batch_mean
        assert isinstance(seen["mean"], torch.Tensor), f"mean is a {seen['mean']}, not a tensor"
        with diagnose(
            mean_not_a_buffer=lambda s=seen: s["mean"].dtype != dtype and not s["mean_is_a_buffer"],
            mean_over_the_first_dim=lambda s=seen, step=step: same(
                s["mean"].double(),
                mean_over_the_first_dim(batches[:step], n, momentum),
                rtol=0,
                atol=atol,
            ),
        ):
            torch.testing.assert_close(
                seen["mean"].double(),
                mean,
                rtol=0,
                atol=atol,
                msg=lambda m, step=step: (
                    f"after {step} batch(es) mean is wrong: mean = (1 - momentum) * mean "
                    f"+ momentum * (X averaged over all leading dims)\n{m}"
                ),
            )
        assert seen["num_batches"] == step, "num_batches must count the training batches"
        Y = seen["Y"]
        assert Y.shape == X.shape
        with diagnose(
            old_mean=lambda Y=Y, X=X, old=previous: same(
                Y.double(), X.double() - old, rtol=0, atol=2 * atol
            )
        ):
            torch.testing.assert_close(
                Y.double(),
                X.double() - mean,
                rtol=0,
                atol=2 * atol,
                msg="in training mode return X minus the mean just updated",
            )


def mean_over_the_first_dim(batches, n, momentum):
    """The running mean that X.mean(dim=0), in place of the mean over all leading dims,
    gives after ``batches`` (its shape may change on the way, as such code's does)."""
    mean = torch.zeros(n, dtype=torch.float64)
    for X in batches:
        mean = (1 - momentum) * mean + momentum * X.double().mean(0)
    return mean


@probe
def runningmean_default_step(containers, X):
    """RunningMean(2), without a momentum, after one training step on X."""
    layer = containers.RunningMean(2)
    layer.train()
    layer(X)
    return tensor_or_kind(layer.mean)


@pytest.mark.points(1)
def test_runningmean_momentum_defaults_to_0_1():
    mean = runningmean_default_step(torch.tensor([[10.0, -20.0]]))
    with diagnose(other_default_momentum=lambda: moved_by_another_fraction(mean)):
        torch.testing.assert_close(
            mean,
            torch.tensor([1.0, -2.0]),
            msg=lambda m: (
                "RunningMean(2) without a momentum moved its mean from 0 towards a batch mean "
                f"of (10, -20) by the wrong fraction: the default momentum is 0.1\n{m}"
            ),
        )


def moved_by_another_fraction(mean):
    """Whether ``mean`` is f * (10, -20) for one fraction f other than 0.1: the update
    was right, with another momentum (a signature)."""
    f = float(mean[0]) / 10.0
    return abs(f - 0.1) > 1e-3 and same(mean, f * torch.tensor([10.0, -20.0]), atol=1e-5)


@probe
def runningmean_in_eval_mode(containers, n, dtype, first, X):
    """One training step on ``first``, then eval mode on X: the state before and after."""
    layer = containers.RunningMean(n).to(dtype)
    layer.train()
    layer(first)
    before = state_of(layer)
    layer.eval()
    Y = layer(X)
    return {"before": before, "after": state_of(layer), "Y": Y.detach()}


@pytest.mark.points(3)
@given(data=st.data(), n=sizes(1, 6), dtype=float_dtypes())
def test_runningmean_in_eval_mode_only_uses_the_stored_mean(data, n, dtype):
    first = torch.randn(4, n, dtype=dtype)
    X = data.draw(tensors(batch_shapes(n), dtype))
    got = runningmean_in_eval_mode(n, dtype, first, X)
    before, after, Y = got["before"], got["after"], got["Y"]
    with diagnose(
        mean_not_a_buffer=lambda: "mean" not in before,
        count_not_a_buffer=lambda: "num_batches" not in before,
    ):
        assert "mean" in before and "num_batches" in before, (
            f"state_dict() has keys {list(before)}; expected mean and num_batches"
        )
    with diagnose(
        updates_in_eval=lambda: int(after["num_batches"]) == int(before["num_batches"]) + 1
    ):
        assert torch.equal(after["mean"], before["mean"]), "eval mode must not update mean"
        assert torch.equal(after["num_batches"], before["num_batches"]), (
            "eval mode must not count batches"
        )
    torch.testing.assert_close(Y, X - before["mean"], rtol=0, atol=tolerance(X))


@probe
def runningmean_gradients(containers, n, batches, upstreams):
    """Training steps on inputs that require grad, each followed by a backward of
    ``upstream``: whether the buffer recorded a graph, and the inputs' gradients."""
    layer = containers.RunningMean(n)
    layer.train()
    steps = []
    for X, upstream in zip(batches, upstreams, strict=True):
        X = X.clone().requires_grad_(True)
        Y = layer(X)
        graph = layer.mean.grad_fn is not None or layer.mean.requires_grad
        steps.append({"graph": graph, "X_grad": None})
        if graph:  # a second step would backward through the first one's graph
            break
        Y.backward(upstream)
        steps[-1]["X_grad"] = None if X.grad is None else X.grad.detach().clone()
    return steps


@pytest.mark.points(2)
@given(n=sizes(1, 6))
def test_runningmean_records_no_gradient_into_its_buffers(n):
    batches = [torch.randn(3, n) for _ in range(2)]
    upstreams = [torch.randn(3, n) for _ in range(2)]
    got = runningmean_gradients(n, batches, upstreams)
    for step, upstream in zip(got, upstreams, strict=False):
        with diagnose(update_in_the_graph=lambda step=step: step["graph"]):
            assert not step["graph"], (
                "the mean buffer got a grad_fn: update it under torch.no_grad()"
            )
        assert step["X_grad"] is not None, "no gradient reached the input"
        torch.testing.assert_close(
            step["X_grad"], upstream, msg="d(X - mean)/dX must be 1: the mean is a constant"
        )
    assert len(got) == 2


@probe
def runningmean_moved_and_loaded(containers, X):
    """RunningMean(3, momentum=0.5) after a step on X: converted to float64, moved to
    the meta device; and a fresh RunningMean(3) loading the state of such a layer."""
    layer = containers.RunningMean(3, momentum=0.5)
    layer(X)
    buffers = [str(name) for name, _ in layer.named_buffers()]
    num_batches_kind = type(getattr(layer, "num_batches", None)).__name__
    layer.double()
    mean_dtype = layer.mean.dtype
    num_batches = layer.num_batches
    count_dtype = num_batches.dtype if isinstance(num_batches, torch.Tensor) else None
    layer.to("meta")
    mean_device = str(layer.mean.device.type)
    fresh = containers.RunningMean(3)
    source = containers.RunningMean(3, momentum=0.5)
    source(X)
    fresh.load_state_dict(source.state_dict())
    return {
        "buffers": buffers,
        "num_batches_kind": num_batches_kind,
        "mean_dtype": mean_dtype,
        "num_batches_dtype": count_dtype,
        "mean_device": mean_device,
        "loaded_mean": tensor_or_kind(fresh.mean),
        "loaded_num_batches": int(fresh.num_batches),
    }


@pytest.mark.points(1)
def test_runningmean_state_moves_and_round_trips():
    got = runningmean_moved_and_loaded(torch.tensor([[2.0, 4.0, 6.0]]))
    with diagnose(mean_not_a_buffer=lambda: "mean" not in got["buffers"]):
        assert got["mean_dtype"] == torch.float64, "mean must follow .to(dtype): make it a buffer"
    with diagnose(
        count_not_a_buffer=lambda: (
            "num_batches" not in got["buffers"] and got["num_batches_kind"] == "int"
        )
    ):
        assert got["num_batches_dtype"] == torch.int64, (
            "num_batches must be a 0-d int64 tensor that follows .to(): make it a buffer"
        )
    with diagnose(mean_not_a_buffer=lambda: "mean" not in got["buffers"]):
        assert got["mean_device"] == "meta", "mean must follow .to(device): make it a buffer"
    torch.testing.assert_close(got["loaded_mean"], torch.tensor([1.0, 2.0, 3.0]))
    assert got["loaded_num_batches"] == 1


# ---------------------------------------------------------------- predict


@probe.helper
def make_net():
    return nn.Sequential(
        nn.Linear(4, 8), nn.BatchNorm1d(8), nn.ReLU(), nn.Dropout(0.5), nn.Linear(8, 2)
    )


@probe.helper
def modes_of_forward(net):
    """A list that gets net.training appended at each of net's forward passes from now on."""
    modes = []
    net.register_forward_pre_hook(lambda module, args: modes.append(bool(module.training)))
    return modes


@probe
def predicted_after_warming_up(containers, warm, X):
    """A net in training mode, run once on ``warm`` (its running statistics away from
    their start): its state, then predict(net, X) twice, and the net's mode in each
    forward pass predict made."""
    net = make_net().to(X.dtype)
    net.train()
    net(warm)
    state = state_of(net)
    modes = modes_of_forward(net)
    Y = containers.predict(net, X)
    again = containers.predict(net, X)
    return {"state": state, "Y": Y.detach(), "again": again.detach(), "modes": modes}


@pytest.mark.points(3)
@given(X=tensors(st.integers(1, 6).map(lambda b: (b, 4)), float_dtypes(), bound=10.0))
def test_predict_computes_in_eval_mode(X):
    # Batch norm refuses a batch of one in training mode, with this error.
    with diagnose(computes_in_training_mode=raised(ValueError, "per channel when training")):
        got = predicted_after_warming_up(torch.randn(16, 4, dtype=X.dtype), X)
    # The verdict rebuilds the same net from its state and runs it in eval mode.
    net = make_net().to(X.dtype)
    net.load_state_dict(got["state"])
    with torch.no_grad():
        net.eval()
        expected = net(X)
    Y = got["Y"]
    with diagnose(computes_in_training_mode=lambda: any(got["modes"])):
        torch.testing.assert_close(
            Y,
            expected,
            msg="predict must compute in eval mode (dropout off, batch norm's running statistics)",
        )
        torch.testing.assert_close(got["again"], Y, rtol=0, atol=0)


@probe
def predict_state_change(containers, warm, X):
    net = make_net()
    net.train()
    net(warm)
    before = state_of(net)
    modes = modes_of_forward(net)
    containers.predict(net, X)
    return {"before": before, "after": state_of(net), "modes": modes}


@pytest.mark.points(2)
def test_predict_changes_no_state():
    got = predict_state_change(torch.randn(16, 4), torch.randn(5, 4))
    before = got["before"]
    with diagnose(computes_in_training_mode=lambda: any(got["modes"])):
        for key, value in got["after"].items():
            assert torch.equal(value, before[key]), (
                f"predict changed {key}: batch norm updates its running statistics in training mode"
            )


@probe
def modes_after_predict(containers, training, X):
    net = make_net()
    net.train(training)
    containers.predict(net, X)
    return {name or "net": m.training for name, m in net.named_modules()}


@pytest.mark.points(3)
@pytest.mark.parametrize("mode", ["train", "eval"])
def test_predict_restores_the_previous_mode(mode):
    modes = modes_after_predict(mode == "train", torch.randn(3, 4))
    with diagnose(
        always_back_to_training=lambda: mode == "eval" and all(modes.values()),
        left_in_eval_mode=lambda: mode == "train" and not any(modes.values()),
    ):
        assert all(t == (mode == "train") for t in modes.values()), (
            f"the net was in {mode} mode before predict and is not afterwards ({modes}): "
            "remember net.training and restore it with net.train(was_training)"
        )


@probe
def predict_gradients(containers, X):
    net = make_net()
    Y = containers.predict(net, X)
    return {
        "requires_grad": bool(Y.requires_grad),
        "grad_enabled": torch.is_grad_enabled(),
        "no_grads": all(p.grad is None for p in net.parameters()),
    }


@pytest.mark.points(2)
def test_predict_records_no_gradient():
    got = predict_gradients(torch.randn(3, 4))
    with diagnose(records_a_graph=lambda: got["requires_grad"] and got["grad_enabled"]):
        assert not got["requires_grad"], (
            "predict's result requires grad: compute it under torch.no_grad()"
        )
    assert got["grad_enabled"], "predict left gradient recording switched off"
    assert got["no_grads"]


@probe.helper
class Boom(Exception):
    pass


@probe.helper
class Explodes(nn.Module):
    def forward(self, X):
        raise Boom("forward failed")


@probe
def predict_when_forward_raises(containers, training, X):
    """predict on a net whose forward raises Boom: what reached the caller, the modes after.
    And, for comparison, whether predict restores the mode of the same net without the
    failing module (None when that raised)."""
    net = nn.Sequential(nn.Linear(4, 4), nn.Dropout(0.5), Explodes())
    net.train(training)
    try:
        containers.predict(net, X)
    except Boom as exc:
        raised = ["Boom", str(exc)]
    else:
        raised = None
    found = {
        "raised": raised,
        "training": net.training,
        "dropout_training": net[1].training,
        "grad_enabled": torch.is_grad_enabled(),
        "restored_without_raising": None,
    }
    calm = nn.Sequential(nn.Linear(4, 4), nn.Dropout(0.5))
    calm.train(training)
    try:
        containers.predict(calm, X)
    except Exception:  # noqa: BLE001 - only a comparison; the checks above decide
        return found
    found["restored_without_raising"] = calm.training == training
    return found


@pytest.mark.points(2)
@pytest.mark.parametrize("mode", ["train", "eval"])
def test_predict_restores_the_mode_when_forward_raises(mode):
    got = predict_when_forward_raises(mode == "train", torch.randn(3, 4))
    assert got["raised"] is not None, "predict should let the exception from forward through"
    with diagnose(
        restored_only_after_success=lambda: got["restored_without_raising"] is True,
        always_back_to_training=lambda: mode == "eval" and got["training"],
        left_in_eval_mode=lambda: mode == "train" and not got["training"],
    ):
        assert got["training"] == (mode == "train") and got["dropout_training"] == (
            mode == "train"
        ), "forward raised and the net stayed in the wrong mode: restore it in a finally block"
    assert got["grad_enabled"]


# ---------------------------------------------------------------- a real GPU
# Points 0: a grade must not depend on whether the grading machine has a GPU. These run
# where one is present (a course's GPU machine, or `grade --gpu`), and skip elsewhere.


@probe
def containers_on_the_gpu(containers, X):
    gpu = torch.device("cuda")
    X = X.to(gpu)
    stack = containers.LayerStack([3, 4, 2]).to(gpu)
    head = containers.MultiTaskHead(3, {"age": 1, "digit": 4}).to(gpu)
    layer = containers.RunningMean(3).to(gpu)
    layer.train()
    layer(X)
    return {
        "stack": str(stack(X).device.type),
        "heads": [str(out.device.type) for out in head(X).values()],
        "residual": str(containers.ResidualBlock(3).to(gpu)(X).device.type),
        "mean_device": str(layer.mean.device.type),
        "num_batches_device": str(layer.num_batches.device.type),
        "mean": layer.mean.detach().cpu(),
        "num_batches": int(layer.num_batches),
        "predict": str(containers.predict(stack, X).device.type),
    }


@pytest.mark.cuda
@pytest.mark.points(0)
def test_cuda_containers_run_on_the_gpu():
    X = torch.randn(5, 3)
    got = containers_on_the_gpu(X)
    assert got["stack"] == "cuda"
    assert all(device == "cuda" for device in got["heads"])
    assert got["residual"] == "cuda"
    assert got["mean_device"] == "cuda" and got["num_batches_device"] == "cuda", (
        "RunningMean's state stayed on the CPU: register mean and num_batches as buffers"
    )
    torch.testing.assert_close(got["mean"], 0.1 * X.mean(0))
    assert got["num_batches"] == 1
    assert got["predict"] == "cuda"
