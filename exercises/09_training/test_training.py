"""Tests for exercise 9, training your own layers (training.py).

The tests of ``train`` build their own data and nets: they never call
``synthetic_data`` (nor any other exercise module), so each item is graded alone.

Each check is a probe and a verdict (grader/probing.py): a function marked
``@probe`` runs your code and returns plain data; the test that calls it decides,
from that data alone, whether your code is right.
"""

import copy
import inspect
import math

import pytest
import torch
from hypothesis import given
from hypothesis import strategies as st
from torch import nn

from grader.diagnoses import close, diagnose
from grader.plain import tensor_or_kind
from grader.probing import probes
from grader.strategies import float_dtypes, sizes

probe = probes("training")

NOISE = 0.01  # the standard deviation of synthetic_data's noise, fixed by the contract


def weights(d, dtype):
    """Drawn true weights: magnitudes in [0.5, 2], random signs."""
    magnitude = torch.rand(d, dtype=torch.float64) * 1.5 + 0.5
    sign = torch.randint(0, 2, (d,)) * 2 - 1
    return (magnitude * sign).to(dtype)


@probe.helper
def mlp(num_inputs, num_outputs=1, dtype=torch.float32):
    return nn.Sequential(nn.Linear(num_inputs, 32), nn.ReLU(), nn.Linear(32, num_outputs)).to(dtype)


@probe.helper
def build(spec):
    """A net from its description ``(kind, inputs, outputs, dtype, zero)``: kind
    "linear" (an nn.Linear, all zero when ``zero``) or "mlp" (:func:`mlp`)."""
    kind, num_inputs, num_outputs, dtype, zero = spec
    if kind == "mlp":
        return mlp(num_inputs, num_outputs, dtype)
    net = nn.Linear(num_inputs, num_outputs).to(dtype)
    if zero:
        with torch.no_grad():
            net.weight.zero_()
            net.bias.zero_()
    return net


@probe.helper
def params_of(net):
    """A copy of every parameter, by name, in order."""
    return {name: p.detach().clone() for name, p in net.named_parameters()}


@probe.helper
def loss_record(losses):
    """What train returned, as data: its type, its length, each item as a float, and
    which items were Python floats in the first place (and each item's type)."""
    try:
        size = len(losses)
    except TypeError:
        size = None
    try:
        values = [float(v) for v in losses]
        floats = [isinstance(v, float) for v in losses]
        kinds = [type(v).__name__ for v in losses]
    except (TypeError, ValueError, RuntimeError):
        values, floats, kinds = None, None, None
    return {
        "type": type(losses).__name__,
        "is_list": isinstance(losses, list),
        "len": size,
        "values": values,
        "floats": floats,
        "kinds": kinds,
    }


def net_from(spec, state):
    """The net ``spec`` describes, holding the parameters ``state`` (the verdict's copy)."""
    net = build(spec)
    net.load_state_dict(state)
    return net


# ---------------------------------------------------------------- synthetic_data


@probe
def synthetic(training, w, b, num_examples):
    X, y = training.synthetic_data(w, b, num_examples)
    return {"X": tensor_or_kind(X), "y": tensor_or_kind(y)}


@pytest.mark.points(2)
@given(d=sizes(1, 6), n=sizes(1, 50), dtype=float_dtypes(), b_as_tensor=st.booleans())
def test_synthetic_data_shapes_and_dtypes(d, n, dtype, b_as_tensor):
    w = weights(d, dtype)
    b = torch.tensor(1.5, dtype=dtype) if b_as_tensor else 1.5
    got = synthetic(w, b, n)
    X, y = got["X"], got["y"]
    assert isinstance(X, torch.Tensor) and isinstance(y, torch.Tensor)
    assert X.shape == (n, d), f"X has shape {tuple(X.shape)}; expected (num_examples, len(w))"
    with diagnose(labels_a_row=lambda: y.shape == (n,)):
        assert y.shape == (n, 1), (
            f"y has shape {tuple(y.shape)}; expected a column (num_examples, 1): y.reshape(-1, 1)"
        )
    with diagnose(
        features_in_the_default_dtype=lambda: X.dtype == torch.float32 != dtype,
        noise_in_the_default_dtype=lambda: X.dtype == dtype and y.dtype == torch.float32,
    ):
        assert X.dtype == dtype and y.dtype == dtype, (
            f"X is {X.dtype} and y {y.dtype}; both should have w's dtype {dtype}"
        )


@pytest.mark.points(3)
@given(d=sizes(1, 6), n=sizes(1, 50), dtype=float_dtypes(), b=st.floats(-5, 5))
def test_synthetic_data_labels_follow_the_linear_model(d, n, dtype, b):
    # Each residual is one N(0, 0.01²) draw; |noise| > 8 standard deviations has
    # probability 1.2e-15, so with at most 50 entries and 30 examples a false
    # failure has probability below 2e-12 per run. Rounding adds at most ~1e-5.
    w = weights(d, dtype)
    got = synthetic(w, b, n)
    X, y = got["X"], got["y"]
    residual = y.double().reshape(-1) - (X.double() @ w.double() + b)
    worst = float(residual.abs().max())
    assert worst <= 8 * NOISE, (
        f"y differs from X @ w + b by up to {worst:.3g}; the only difference should be "
        "noise of standard deviation 0.01"
    )


@pytest.mark.points(2)
def test_synthetic_data_noise_is_normal_with_std_0_01():
    # 20,000 residuals y - (X @ w + b) should be N(0, 0.01²) draws. The sample
    # mean has standard error 0.01 / sqrt(20,000) = 7.1e-5: the bound 1e-3 is 14
    # standard errors. The sample std has relative standard error 1 / sqrt(40,000)
    # = 0.5%: the bound of 5% is 10 standard errors. Together a false failure has
    # probability below 1e-20 per run (rounding errors are ~1e-6, negligible).
    w = torch.tensor([2.0, -3.4])
    got = synthetic(w, 4.2, 20_000)
    X, y = got["X"], got["y"]
    residual = y.reshape(-1).double() - (X.double() @ w.double() + 4.2)
    mean, std = float(residual.mean()), float(residual.std())
    with diagnose(
        no_noise=lambda: std < 0.1 * NOISE,
        noise_std_0_1=lambda: abs(std / (10 * NOISE) - 1) < 0.05,
    ):
        assert abs(mean) < 1e-3, f"the noise has mean {mean:.3g}; it should have mean 0"
        assert abs(std / NOISE - 1) < 0.05, (
            f"the noise has standard deviation {std:.3g}; it should be 0.01 "
            "(torch.normal takes the standard deviation, not the variance)"
        )


@pytest.mark.points(2)
def test_synthetic_data_features_are_standard_normal():
    # 60,000 entries of N(0, 1): the mean has standard error 0.0041 and the std
    # 0.0029, so the bounds of 0.05 are 12 and 17 standard errors. The share beyond
    # ±2 (4.55% for N(0, 1); it tells a normal from, say, a uniform draw) has
    # standard error 0.00085: its bound 0.014 is 16 of them. A false failure has
    # probability below 1e-30 per run.
    X = synthetic(torch.tensor([1.0, -1.0, 0.5]), 0.0, 20_000)["X"]
    mean, std = float(X.mean()), float(X.std())
    # All of X in [0, 1): torch.rand's uniform draw.
    with diagnose(uniform_features=lambda: float(X.min()) >= 0 and float(X.max()) < 1):
        assert abs(mean) < 0.05 and abs(std - 1) < 0.05, (
            f"X has mean {mean:.3f} and standard deviation {std:.3f}; draw it from N(0, 1) "
            "(torch.normal(0, 1, ...) or torch.randn)"
        )
        tails = float((X.abs() > 2).double().mean())
        expected = math.erfc(2 / math.sqrt(2))  # P(|Z| > 2) = 0.0455
        assert abs(tails - expected) < 0.014, (
            f"{tails:.2%} of X lies beyond ±2 where N(0, 1) puts {expected:.2%}: draw from N(0, 1)"
        )


@pytest.mark.points(1)
@pytest.mark.parametrize("dtype", [torch.float16, torch.bfloat16])
def test_synthetic_data_keeps_a_half_precision_dtype(dtype):
    w = torch.tensor([2.0, -3.4], dtype=dtype)
    got = synthetic(w, 4.2, 20)
    X, y = got["X"], got["y"]
    # X, or only the noise (so y), drawn in float32, the default dtype.
    with diagnose(
        features_in_the_default_dtype=lambda: X.dtype == torch.float32,
        noise_in_the_default_dtype=lambda: X.dtype == dtype and y.dtype == torch.float32,
    ):
        assert X.dtype == dtype and y.dtype == dtype, (
            f"for a {dtype} w, X is {X.dtype} and y {y.dtype}: draw X and the noise with "
            "dtype=w.dtype (a float32 noise term promotes y to float32)"
        )


@probe
def synthetic_after_seeding(training, w, b, num_examples, seed):
    """Two calls after torch.manual_seed(seed), then one more after seeding again."""
    torch.manual_seed(seed)
    X1, y1 = training.synthetic_data(w, b, num_examples)
    X2, y2 = training.synthetic_data(w, b, num_examples)
    torch.manual_seed(seed)
    X3, y3 = training.synthetic_data(w, b, num_examples)
    return [tensor_or_kind(t) for t in (X1, y1, X2, y2, X3, y3)]


@pytest.mark.points(1)
def test_synthetic_data_draws_from_torchs_generator():
    X1, y1, X2, y2, X3, y3 = synthetic_after_seeding(torch.tensor([1.0, 2.0]), 0.5, 10, 7)
    assert torch.equal(X1, X3) and torch.equal(y1, y3), (
        "the same torch.manual_seed should give the same data: draw with torch's generator"
    )
    with diagnose(reseeds_inside=lambda: torch.equal(X1, X2)):
        assert not torch.equal(X1, X2), "two calls returned the same X: do not reseed inside"


# ---------------------------------------------------------------- train


def whitened_problem(n, d, dtype):
    """Features with X.T @ X / n == I and zero column means, and true weights and bias.

    A drawn, yet perfectly conditioned, regression problem: centred Gaussian columns
    orthonormalised (QR) and scaled by sqrt(n).
    """
    A = torch.randn(n, d, dtype=torch.float64)
    Q, _ = torch.linalg.qr(A - A.mean(0))
    X = (Q * math.sqrt(n)).to(dtype)
    true = weights(d + 1, dtype)
    w, b = true[:d], true[d]
    y = (X @ w + b + NOISE * torch.randn(n, dtype=dtype)).reshape(-1, 1)
    return X, y, w, b


@probe.helper
def reseed(n):
    """Seed every generator a shuffle might draw from: torch's, Python's and NumPy's."""
    import random

    torch.manual_seed(n)
    random.seed(n)
    try:
        import numpy as np
    except ImportError:  # no NumPy: no shuffle can draw from it
        return
    np.random.seed(n)


@probe
def defaults_and_explicit(training, X, y, seed):
    """One net trained twice from the same start and the same seeds: with train's
    defaults, and with num_epochs=3, lr=0.03, batch_size=10 spelled out."""
    net = nn.Linear(2, 1)
    explicit = copy.deepcopy(net)
    reseed(seed)
    losses = training.train(net, X, y)
    reseed(seed)
    expected = training.train(explicit, X, y, num_epochs=3, lr=0.03, batch_size=10)
    return {
        "losses": loss_record(losses),
        "expected": loss_record(expected),
        "net": params_of(net),
        "explicit": params_of(explicit),
        "defaults": declared_defaults(training.train),
    }


@probe.helper
def declared_defaults(fn):
    """The number defaults ``fn``'s signature declares, by parameter name."""
    try:
        parameters = inspect.signature(fn).parameters
    except (TypeError, ValueError):
        return {}
    return {
        str(name): p.default for name, p in parameters.items() if type(p.default) in (int, float)
    }


@pytest.mark.points(1)
def test_train_defaults_are_the_books():
    # Same data, same net, same seeds: train with its defaults must do exactly what
    # train with num_epochs=3, lr=0.03, batch_size=10 does. 25 examples: batches of
    # 10, 10 and 5 (another batch size splits them otherwise).
    X = torch.randn(25, 2)
    y = X @ torch.tensor([[2.0], [-3.4]]) + 4.2
    got = defaults_and_explicit(X, y, 11)
    losses, expected = got["losses"], got["expected"]
    book = {"num_epochs": 3, "lr": 0.03, "batch_size": 10}
    declared = got["defaults"]
    with diagnose(other_defaults=lambda: any(declared.get(k, v) != v for k, v in book.items())):
        assert losses["is_list"] and losses["len"] == 3, (
            f"train(net, X, y) returned {losses['len']} losses: num_epochs defaults to 3"
        )
        assert_same_params(
            got["net"],
            got["explicit"],
            "train(net, X, y) trained differently from train(net, X, y, num_epochs=3, lr=0.03, "
            "batch_size=10): keep the book's defaults",
        )
        assert losses["values"] == pytest.approx(expected["values"], rel=1e-9)


@probe
def trained(training, spec, X, y, settings, stale=None, record=False):
    """A net built from ``spec``, trained on X, y with ``settings`` (train's keyword
    arguments); with ``stale`` in every .grad beforehand when given. Its parameters
    before and after, whether they are the same objects, and what train returned; with
    ``record``, also the inputs of every forward pass made with gradients, in order."""
    net = build(spec)
    batches = []
    if record:

        def keep(module, args):
            if torch.is_grad_enabled() and args and isinstance(args[0], torch.Tensor):
                batches.append(args[0].detach().clone())

        net.register_forward_pre_hook(keep)
    before = dict(net.named_parameters())
    initial = params_of(net)
    if stale is not None:
        for p in net.parameters():
            p.grad = torch.full_like(p, stale)  # stale gradients from some earlier backward()
    losses = training.train(net, X, y, **settings)
    after = dict(net.named_parameters())
    return {
        "initial": initial,
        "final": params_of(net),
        "names_before": list(before),
        "names_after": list(after),
        "same_objects": {name: p is before.get(name) for name, p in after.items()},
        "trainable": {name: p.is_leaf and p.requires_grad for name, p in after.items()},
        "losses": loss_record(losses),
        "batches": batches,
    }


def unchanged(got):
    """Whether training left every parameter exactly as it was (a signature)."""
    return all(torch.equal(got["final"][name], p) for name, p in got["initial"].items())


def floats_were_tensors(record):
    """Whether train returned tensors where Python floats belong (a signature)."""
    return "Tensor" in (record["kinds"] or []) or "Parameter" in (record["kinds"] or [])


@pytest.mark.points(3)
@pytest.mark.parametrize("batch_size", [10, 8])
@pytest.mark.parametrize("dtype", [torch.float32, torch.float64])
def test_train_fits_a_linear_model(dtype, batch_size):
    # n = 50 examples of d <= 4 features with X.T @ X / n = I (no ill-conditioned
    # draw possible), true weights of magnitude 0.5-2, the net starting at zero,
    # lr = 0.1, 8 epochs of 5-7 steps: each step shrinks the parameter error by
    # about 1 - 2 * lr = 0.8, so after 40+ steps it is ~1e-4 of where it started,
    # down at the noise floor (0.01 / sqrt(50) = 1.4e-3 per parameter). Over 1,500
    # seeds (both batch sizes and dtypes) the worst final / first-epoch loss ratio
    # measured was 4.5e-4 (bound 0.1: 200x) and the worst parameter error 0.011
    # (bound 0.05); falling short needs the error to shrink 5x less than in the
    # worst of those draws, i.e. SGD's contraction to fail over dozens of steps.
    # The test itself passed on 3,000 further seeds.
    d = int(torch.randint(1, 5, ()))
    X, y, w, b = whitened_problem(50, d, dtype)
    settings = {"num_epochs": 8, "lr": 0.1, "batch_size": batch_size}
    got = trained(("linear", d, 1, dtype, True), X, y, settings)
    record = got["losses"]
    assert record["is_list"] and record["len"] == 8, (
        f"train returned {record['type']} of length "
        f"{record['len'] if record['len'] is not None else '?'}; expected a list, one loss per "
        "epoch"
    )
    with diagnose(losses_are_tensors=lambda: floats_were_tensors(record)):
        assert all(record["floats"]), "the losses must be Python floats (loss.item()), not tensors"
    losses = record["values"]
    assert all(math.isfinite(v) for v in losses), f"the loss diverged: {losses}"
    with diagnose(parameters_never_change=lambda: unchanged(got)):
        assert losses[-1] < 0.1 * losses[0], (
            f"the loss did not fall enough: epoch losses {[round(v, 5) for v in losses]}"
        )
        learned_w, learned_b = got["final"]["weight"].reshape(-1), got["final"]["bias"][0]
        error = max(float((learned_w - w).abs().max()), float((learned_b - b).abs()))
        assert error < 0.05, (
            f"learned w = {learned_w.tolist()}, b = {float(learned_b):.4f}; the true ones are "
            f"w = {w.tolist()}, b = {float(b):.4f}"
        )


@pytest.mark.points(2)
def test_train_fits_a_small_mlp():
    # A 3-32-1 ReLU network learning a linear target (n = 100, lr = 0.05, batches
    # of 10, 10 epochs). Over 6,000 seeds the loss after training, and the last
    # epoch's loss, were at worst 0.0125 of the untrained net's loss (99th
    # percentile 0.0075, the five worst all within 0.009-0.0125: a thin tail);
    # the bound 0.1 is 8x that worst. (With 16 hidden units, dead ReLUs made the
    # tail heavy: that is why the net is 32 wide.) The test itself passed on 2,500
    # further seeds.
    X = torch.randn(100, 3)
    y = (X @ torch.tensor([1.5, -2.0, 1.0]) + 1.0 + NOISE * torch.randn(100)).reshape(-1, 1)
    spec = ("mlp", 3, 1, torch.float32, False)
    got = trained(spec, X, y, {"num_epochs": 10, "lr": 0.05, "batch_size": 10})
    # The verdict measures the loss of the net before and after training itself.
    with torch.no_grad():
        initial = float(((net_from(spec, got["initial"])(X) - y) ** 2).mean())
        final = float(((net_from(spec, got["final"])(X) - y) ** 2).mean())
    record = got["losses"]
    losses = record["values"]
    assert record["len"] == 10 and all(math.isfinite(v) for v in losses), losses
    with diagnose(parameters_never_change=lambda: unchanged(got)):
        assert final < 0.1 * initial and losses[-1] < 0.1 * initial, (
            f"the loss fell from {initial:.4g} to only {final:.4g} (epoch losses "
            f"{[round(v, 4) for v in losses]})"
        )
        for name, old in got["initial"].items():
            assert not torch.equal(got["final"][name], old), f"{name} was never updated"


def reference_steps(net, X, y, lr, steps, piled_from=None):
    """``steps`` full-batch gradient steps on the mean squared error, on a copy of net.

    With ``piled_from`` (a number), the steps of code that never clears the gradients:
    each step follows the sum of all gradients so far, on top of ``piled_from`` in every
    entry (what .grad held before the first step).
    """
    net = copy.deepcopy(net)
    params = list(net.parameters())
    piles = [torch.full_like(p, piled_from or 0.0) for p in params]
    losses = []
    for _ in range(steps):
        loss = ((net(X) - y) ** 2).mean()
        grads = torch.autograd.grad(loss, params)
        with torch.no_grad():
            for p, g, pile in zip(params, grads, piles, strict=True):
                if piled_from is None:
                    p -= lr * g
                else:
                    pile += g
                    p -= lr * pile
        losses.append(float(loss.detach()))
    return net, losses


def same_params(params, net):
    """Whether ``params`` (name -> tensor) are close to ``net``'s, in order (a signature)."""
    expected = params_of(net).values()
    return len(params) == len(expected) and all(
        close(p, q, rtol=1e-7, atol=1e-10) for p, q in zip(params.values(), expected, strict=True)
    )


def losses_after_each_step(losses, start, X, y, lr):
    """Whether ``losses`` are the mean squared errors measured after each full-batch step
    from ``start``, not before it: a loss taken once the epoch is over (a signature)."""
    after = reference_steps(start, X, y, lr, len(losses) + 1)[1][1:]
    return losses == pytest.approx(after, rel=1e-9)


def stepped_as(got, spec, X, y, lr, steps, piled_from=None):
    """Whether the parameters after training are those ``steps`` full-batch steps with
    ``lr`` (and ``piled_from``: see :func:`reference_steps`) give (a signature)."""
    start = net_from(spec, got["initial"])
    return same_params(got["final"], reference_steps(start, X, y, lr, steps, piled_from)[0])


full_batch_problems = st.fixed_dictionaries(
    {
        "n": sizes(2, 12),
        "d": sizes(1, 4),
        "outputs": sizes(1, 2),
        "lr": st.sampled_from([0.01, 0.05, 0.1, 0.3]),
        "deep": st.booleans(),
    }
)


def make_problem(n, d, outputs, deep, lr):
    """The net's description, and drawn data X, y for it."""
    spec = ("mlp" if deep else "linear", d, outputs, torch.float64, False)
    X = torch.randn(n, d, dtype=torch.float64)
    y = torch.randn(n, outputs, dtype=torch.float64)
    return spec, X, y, lr


def assert_same_params(params, expected, what):
    """``params`` (name -> tensor, in order) equal to ``expected``'s parameters (a net,
    or another such dict), in order."""
    if isinstance(expected, nn.Module):
        expected = params_of(expected)
    for (name, p), q in zip(params.items(), expected.values(), strict=True):
        torch.testing.assert_close(
            p,
            q,
            rtol=1e-9,
            atol=1e-12,
            msg=lambda m, name=name: f"{name}: {what}\n{m}",
        )


@pytest.mark.points(3)
@given(problem=full_batch_problems)
def test_train_one_full_batch_epoch_is_one_sgd_step(problem):
    # With batch_size == len(X) an epoch is a single step on all the data, whatever
    # the order: p <- p - lr * grad of the mean squared error. Exact, no statistics.
    spec, X, y, lr = make_problem(**problem)
    got = trained(spec, X, y, {"num_epochs": 1, "lr": lr, "batch_size": len(X)})
    start = net_from(spec, got["initial"])
    expected, expected_losses = reference_steps(start, X, y, lr, 1)
    with diagnose(
        parameters_never_change=lambda: unchanged(got),
        # The gradient of the sum is y.numel() times that of the mean.
        summed_loss=lambda: stepped_as(got, spec, X, y, lr * y.numel(), 1),
        halved_loss=lambda: stepped_as(got, spec, X, y, lr / 2, 1),
    ):
        assert_same_params(
            got["final"],
            expected,
            "one step must be p -= lr * p.grad with the gradient of "
            "((net(X) - y) ** 2).mean(): the mean, not the sum or half of it",
        )
    losses = got["losses"]["values"]
    assert got["losses"]["len"] == 1
    with diagnose(
        losses_are_tensors=lambda: floats_were_tensors(got["losses"]),
        loss_after_the_epoch=lambda: losses_after_each_step(losses, start, X, y, lr),
    ):
        assert math.isclose(losses[0], expected_losses[0], rel_tol=1e-9), (
            f"the epoch's loss is {losses[0]}; the mean squared error before the step is "
            f"{expected_losses[0]}"
        )


@pytest.mark.points(3)
@given(problem=full_batch_problems, epochs=st.integers(2, 3))
def test_train_clears_gradients_between_steps(problem, epochs):
    spec, X, y, lr = make_problem(**problem)
    got = trained(spec, X, y, {"num_epochs": epochs, "lr": lr, "batch_size": len(X)})
    start = net_from(spec, got["initial"])
    expected, expected_losses = reference_steps(start, X, y, lr, epochs)
    with diagnose(
        parameters_never_change=lambda: unchanged(got),
        gradients_pile_up=lambda: stepped_as(got, spec, X, y, lr, epochs, piled_from=0.0),
        summed_loss=lambda: stepped_as(got, spec, X, y, lr * y.numel(), epochs),
        halved_loss=lambda: stepped_as(got, spec, X, y, lr / 2, epochs),
    ):
        assert_same_params(
            got["final"],
            expected,
            f"after {epochs} steps the parameters are off: backward() adds into .grad, so "
            "clear the gradients (optimizer.zero_grad()) before every backward()",
        )
    losses = got["losses"]["values"]
    with diagnose(
        losses_are_tensors=lambda: floats_were_tensors(got["losses"]),
        loss_after_the_epoch=lambda: losses_after_each_step(losses, start, X, y, lr),
    ):
        assert losses == pytest.approx(expected_losses, rel=1e-9), (
            f"the epoch losses are {losses}; the mean squared errors before each step are "
            f"{expected_losses}"
        )


@pytest.mark.points(2)
@given(problem=full_batch_problems)
def test_train_ignores_gradients_left_from_before_the_call(problem):
    spec, X, y, lr = make_problem(**problem)
    settings = {"num_epochs": 1, "lr": lr, "batch_size": len(X)}
    got = trained(spec, X, y, settings, stale=100.0)
    expected, _ = reference_steps(net_from(spec, got["initial"]), X, y, lr, 1)
    with diagnose(
        parameters_never_change=lambda: unchanged(got),
        # The first step followed the stale 100.0 in .grad plus the gradient.
        gradients_pile_up=lambda: stepped_as(got, spec, X, y, lr, 1, piled_from=100.0),
        summed_loss=lambda: stepped_as(got, spec, X, y, lr * y.numel(), 1),
        halved_loss=lambda: stepped_as(got, spec, X, y, lr / 2, 1),
    ):
        assert_same_params(
            got["final"],
            expected,
            "gradients already in .grad before train was called leaked into the first step: "
            "zero the gradients before backward(), not only after the update",
        )


@pytest.mark.points(2)
@given(d=sizes(1, 4), deep=st.booleans(), epochs=st.integers(1, 3), dtype=float_dtypes())
def test_train_returns_the_mean_loss_of_each_epoch(d, deep, epochs, dtype):
    # With lr = 0 nothing changes, so every minibatch loss is measured with the
    # same net and each epoch's mean is the mean squared error over all of X.
    spec = ("mlp" if deep else "linear", d, 1, dtype, False)
    X = torch.randn(40, d, dtype=dtype)
    y = torch.randn(40, 1, dtype=dtype)
    got = trained(spec, X, y, {"num_epochs": epochs, "lr": 0.0, "batch_size": 10}, record=True)
    net = net_from(spec, got["initial"])
    with torch.no_grad():
        full = float(((net(X) - y) ** 2).mean())
    record = got["losses"]
    assert record["is_list"] and record["len"] == epochs, (
        f"train returned a {record['type']} of {record['values']!r}; expected a list of "
        f"{epochs} losses, one per epoch"
    )
    with diagnose(losses_are_tensors=lambda: floats_were_tensors(record)):
        assert all(record["floats"]), "the losses must be Python floats"
    rel = 1e-5 if dtype == torch.float32 else 1e-9
    # The minibatch losses of each epoch, 4 batches of 10 (lr = 0: all measured with the
    # initial net), from the inputs train gave the net.
    batches = got["batches"]
    for epoch, value in enumerate(record["values"]):
        with diagnose(
            last_batch_loss=lambda e=epoch, v=value: math.isclose(
                v, batch_losses(net, X, y, batches, e, epochs)[-1], rel_tol=rel
            ),
            sum_of_batch_losses=lambda e=epoch, v=value: math.isclose(
                v, sum(batch_losses(net, X, y, batches, e, epochs)), rel_tol=rel
            ),
        ):
            assert math.isclose(value, full, rel_tol=rel), (
                f"epoch {epoch}'s loss is {value:.6g}; the mean of its minibatch losses is "
                f"{full:.6g} (average over the epoch, not the last minibatch, not a sum)"
            )


def batch_losses(net, X, y, batches, epoch, epochs):
    """The mean squared error of ``net`` on each minibatch of ``epoch`` (of ``epochs``, 4
    minibatches each; their rows of X found by value, with their labels)."""
    if len(batches) != 4 * epochs:
        raise ValueError(f"{len(batches)} minibatches, not 4 per epoch")
    losses = []
    for Xb in batches[4 * epoch : 4 * (epoch + 1)]:
        rows = [(X == row).all(dim=1).nonzero().reshape(-1) for row in Xb]
        if any(len(found) != 1 for found in rows):
            raise ValueError("a minibatch row is not exactly one row of X")
        yb = y[torch.cat(rows)]
        with torch.no_grad():
            losses.append(float(((net(Xb) - yb) ** 2).mean()))
    return losses


@pytest.mark.points(2)
def test_train_updates_the_same_parameter_objects():
    X, y = torch.randn(20, 3), torch.randn(20, 1)
    spec = ("mlp", 3, 1, torch.float32, False)
    got = trained(spec, X, y, {"num_epochs": 2, "lr": 0.1, "batch_size": 5})
    assert got["names_after"] == got["names_before"]
    for name in got["names_after"]:
        with diagnose(new_parameter_objects=lambda name=name: got["same_objects"][name] is False):
            assert got["same_objects"][name], (
                f"{name} is a new object after training: update the parameters in place "
                "(p -= lr * p.grad under torch.no_grad(), or optimizer.step())"
            )
        assert got["trainable"][name], f"{name} is no longer a trainable leaf"
        with diagnose(parameters_never_change=lambda: unchanged(got)):
            assert not torch.equal(got["final"][name], got["initial"][name]), (
                f"{name} was never updated"
            )


@probe.helper
class Recorder(nn.Module):
    """Wraps a net and records the inputs of every forward pass made with gradients."""

    def __init__(self, inner):
        super().__init__()
        self.inner = inner
        self.batches = []

    def forward(self, X):
        if torch.is_grad_enabled():
            self.batches.append(X.detach().clone())
        return self.inner(X)


@probe
def recorded_batches(training, X, y, num_epochs, batch_size):
    """The inputs of every forward pass train made with gradients, in order."""
    net = Recorder(nn.Linear(2, 1))
    training.train(net, X, y, num_epochs=num_epochs, lr=0.0, batch_size=batch_size)
    return net.batches


@pytest.mark.points(2)
@given(n=sizes(1, 30), batch_size=sizes(1, 12), epochs=st.integers(1, 3))
def test_train_minibatches_cover_every_example_once_per_epoch(n, batch_size, epochs):
    X = torch.randn(n, 2)
    X[:, 0] = torch.arange(n, dtype=X.dtype)  # column 0 names the example
    recorded = recorded_batches(X, torch.randn(n, 1), epochs, batch_size)
    per_epoch = math.ceil(n / batch_size)
    # Only full batches, as many as fit: the last, smaller batch dropped.
    with diagnose(
        drops_the_last_batch=lambda: (
            n % batch_size != 0
            and len(recorded) == epochs * (n // batch_size)
            and all(len(b) == batch_size for b in recorded)
        )
    ):
        assert len(recorded) == epochs * per_epoch, (
            f"{epochs} epoch(s) over {n} examples in batches of {batch_size} make "
            f"{epochs * per_epoch} steps; net was called with gradients {len(recorded)} times"
        )
    expected_sizes = sorted(
        [batch_size] * (n // batch_size) + ([n % batch_size] if n % batch_size else [])
    )
    for epoch in range(epochs):
        batches = recorded[epoch * per_epoch : (epoch + 1) * per_epoch]
        assert sorted(len(b) for b in batches) == expected_sizes, (
            f"epoch {epoch}: minibatch sizes {[len(b) for b in batches]}; expected batches of "
            f"{batch_size}, only the last one smaller"
        )
        seen = torch.cat(batches)[:, 0].sort().values
        # An example used twice in one epoch: drawn with replacement.
        with diagnose(with_replacement=lambda seen=seen: seen.unique().numel() < seen.numel()):
            assert torch.equal(seen, torch.arange(n, dtype=X.dtype)), (
                f"epoch {epoch} did not use every example exactly once"
            )


@probe
def modes_after_training(training, X, y):
    """A net with dropout, handed over in eval mode: each module's mode after train."""
    net = nn.Sequential(nn.Linear(3, 8), nn.Dropout(0.2), nn.ReLU(), nn.Linear(8, 1))
    net.eval()
    training.train(net, X, y, num_epochs=1, lr=0.01)
    return {name or "net": m.training for name, m in net.named_modules()}


@pytest.mark.points(1)
def test_train_leaves_the_net_in_training_mode():
    modes = modes_after_training(torch.randn(20, 3), torch.randn(20, 1))
    # The net was handed over in eval mode: still all in eval mode, it never switched.
    with diagnose(eval_mode_kept=lambda: not any(modes.values())):
        assert all(modes.values()), (
            f"after train some modules are in eval mode ({modes}): call net.train() before "
            "training and leave the net in that mode"
        )


# ---------------------------------------------------------------- a real GPU
# Points 0: a grade must not depend on whether the grading machine has a GPU. These run
# where one is present (a course's GPU machine, or `grade --gpu`), and skip elsewhere.


@probe
def trained_on_the_gpu(training, X, y):
    gpu = torch.device("cuda")
    net = nn.Linear(2, 1).to(gpu)
    before = list(net.parameters())
    losses = training.train(net, X.to(gpu), y.to(gpu), num_epochs=5, lr=0.1, batch_size=10)
    after = list(net.parameters())
    return {
        "losses": loss_record(losses),
        "same_objects": len(before) == len(after)
        and all(p is q for p, q in zip(before, after, strict=False)),
        "devices": [str(p.device.type) for p in after],
    }


@pytest.mark.cuda
@pytest.mark.points(0)
def test_cuda_train_on_the_gpu():
    X = torch.randn(40, 2)
    y = X @ torch.tensor([[2.0], [-3.4]]) + 4.2
    got = trained_on_the_gpu(X, y)
    record = got["losses"]
    losses = record["values"]
    assert record["len"] == 5 and all(record["floats"]), losses
    assert losses[-1] < losses[0] / 10, f"training on the GPU did not fit: {losses}"
    assert got["same_objects"]
    assert all(device == "cuda" for device in got["devices"]), "the parameters left the GPU"
