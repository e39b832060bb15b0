"""Tests for exercise 2, parameter management and initialisation (parameters.py).

Each check is a probe and a verdict (grader/probing.py): a function marked
``@probe`` runs your code and returns plain data; the test that calls it decides,
from that data alone, whether your code is right.
"""

import math
import re
from itertools import pairwise

import pytest
import torch
from hypothesis import given
from hypothesis import strategies as st
from torch import nn

from grader.diagnoses import diagnose
from grader.probing import probes
from grader.strategies import batch_shapes, float_dtypes, sizes, tensors

probe = probes("parameters")

INITIALISERS = ("init_normal", "init_constant", "init_xavier", "init_42", "my_init")


@probe.helper
class Scale(nn.Module):
    """A custom layer with a ``weight`` (and ``bias``) of its own: not an nn.Linear."""

    def __init__(self, n):
        super().__init__()
        self.weight = nn.Parameter(torch.randn(n, n))
        self.bias = nn.Parameter(torch.randn(n))

    def forward(self, X):
        return X @ self.weight + self.bias


@probe.helper
def names_of(net):
    return [name for name, _ in net.named_parameters()]


@probe.helper
def applied(parameters, name, net):
    """``net.apply`` with the initialiser called ``name``; returns ``net``."""
    net.apply(getattr(parameters, name))
    return net


@probe.helper
def big_linear(parameters, name, in_features=1000, out_features=1000):
    """A Linear with 10^6 weights, initialised by ``name``: (layer, bias before)."""
    layer = nn.Linear(in_features, out_features)
    bias = layer.bias.detach().clone()
    applied(parameters, name, nn.Sequential(layer))
    return layer, bias


@probe.helper
def number(n):
    """A count as data: its value (None where it is not a number), the name of its
    type, and whether it is a Python int (a bool is not)."""
    is_int = isinstance(n, int) and not isinstance(n, bool)
    if is_int:
        value = int(n)
    else:
        try:
            value = float(n)
        except (TypeError, ValueError, RuntimeError):
            value = None
    return {"value": value, "type": type(n).__name__, "is_int": is_int}


@probe.helper
def sequential_facts(block):
    """What the verdicts need to know of a block: is it an nn.Sequential, the kinds of
    its steps, and (in, out, has a bias) of each nn.Linear step."""
    if not isinstance(block, nn.Sequential):
        return {"sequential": False, "type": type(block).__name__}
    steps = list(block._modules.values())
    return {
        "sequential": True,
        "type": type(block).__name__,
        "kinds": [type(m).__name__ for m in steps],
        "linear": [
            (int(m.in_features), int(m.out_features), m.bias is not None)
            if isinstance(m, nn.Linear)
            else None
            for m in steps
        ],
    }


# ---------------------------------------------------------------- count_parameters


@probe.helper
def count_variants(net, trainable_only):
    """What the usual wrong ways of counting give on ``net``, computed here from torch
    alone (never by the learner's code), so that a verdict can tell a mistake by its
    number: tensors instead of entries, buffers too, a shared Parameter at each place
    that holds it, all of ``state_dict()``, the flag ignored."""

    def total(ts, flag=trainable_only):
        return int(sum(t.numel() for t in ts if t.requires_grad or not flag))

    return {
        "tensors": sum(1 for p in net.parameters() if p.requires_grad or not trainable_only),
        "with_buffers": total([*net.parameters(), *net.buffers()]),
        "per_name": total([p for _, p in net.named_parameters(remove_duplicate=False)]),
        "over_modules": total([p for m in net.modules() for p in m.parameters(recurse=False)]),
        "state_dict": total(net.state_dict(keep_vars=True).values()),
        "all": total(net.parameters(), flag=False),
    }


@probe.helper
def telltale(parameters):
    """count_parameters on a small net where each usual mistake gives its own number
    (a weight tied into two layers, a BatchNorm1d with its buffers), with the numbers
    of ``count_variants`` there; the count is None where it did not give a number."""
    encoder, decoder = nn.Linear(3, 3), nn.Linear(3, 3)
    decoder.weight = encoder.weight  # 21 entries; 28 with buffers; 30 counted twice; 37 …
    net = nn.Sequential(encoder, nn.BatchNorm1d(3), decoder)
    try:
        value = number(parameters.count_parameters(net))["value"]
    except Exception:  # noqa: BLE001 - only evidence for a diagnosis, never a check
        value = None
    return {"value": value, **count_variants(net, False)}


@probe.helper
def counted(parameters, net, *flag, **keyword):
    """count_parameters(net, *flag, **keyword) as data (``number``), with what the usual
    mistakes give on this net and on the telltale net."""
    trainable_only = bool(flag[0] if flag else keyword.get("trainable_only", False))
    variants = count_variants(net, trainable_only)
    facts = number(parameters.count_parameters(net, *flag, **keyword))
    return {**facts, "variants": variants, "telltale": telltale(parameters)}


def miscounted(got, trainable_only=False):
    """``diagnose`` with the signatures of the usual ways to miscount: the count equals
    what the mistake gives on the checked net, and on the telltale net too."""
    value, variants, tell = got["value"], got["variants"], got["telltale"]

    def shows(variant):
        return value == variants[variant] and tell["value"] == tell[variant]

    return diagnose(
        counts_tensors=lambda: shows("tensors"),
        counts_state_dict=lambda: shows("state_dict"),
        counts_buffers=lambda: shows("with_buffers"),
        counted_twice=lambda: shows("per_name") or shows("over_modules"),
        ignores_trainable_only=lambda: trainable_only and value == variants["all"],
    )


@probe
def count_small_net(parameters, which):
    if which == "linear":
        net = nn.Linear(4, 8)
    elif which == "mlp":
        net = nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 1, bias=False))
    else:
        net = nn.ReLU()
    return counted(parameters, net)


@pytest.mark.points(1)
def test_count_parameters_of_small_nets():
    got = count_small_net("linear")
    with miscounted(got):
        assert got["value"] == 40, f"got {got['value']}; nn.Linear(4, 8) has 4 * 8 + 8 entries"
    got = count_small_net("mlp")
    n = got["value"]
    assert got["is_int"], (
        f"count_parameters returned {got['type']}; return a Python int (sum of p.numel())"
    )
    with miscounted(got):
        assert n == 48, (
            f"got {n}; the net has 40 + 8 scalar parameters (the last Linear has no bias)"
        )
    got = count_small_net("relu")
    with miscounted(got):
        assert got["value"] == 0, f"got {got['value']}; nn.ReLU() has no parameters"


@st.composite
def drawn_nets(draw):
    """(spec, number of parameter entries, number of trainable entries), drawn at random.

    The spec (plain data; the probe builds the net from it with ``drawn_net``) holds
    Linear layers (with or without bias), BatchNorm1d (2 * n parameters and three
    buffers), ReLU, a layer used again at a second position, a weight tied to an
    earlier layer's, and frozen layers. The expected counts come from the sizes.
    """
    spec, linears = [], []  # linears: (in, out) of each Linear layer, in order
    total = trainable = 0
    width = draw(sizes(1, 8))
    for _ in range(draw(st.integers(1, 6))):
        kind = draw(st.sampled_from(["linear", "linear", "batchnorm", "relu", "again", "tied"]))
        frozen = draw(st.booleans())
        if kind == "linear" or (kind in ("again", "tied") and not linears):
            out = draw(sizes(1, 8))
            bias = draw(st.booleans())
            entry = ("linear", width, out, bias)
            n = width * out + (out if bias else 0)
            linears.append((width, out))
            width = out
        elif kind == "batchnorm":
            entry, n = ("batchnorm", width), 2 * width
        elif kind == "relu":
            entry, n, frozen = ("relu",), 0, False
        else:  # a layer again ("again"), or a new one holding an earlier one's weight
            index = draw(st.sampled_from(range(len(linears))))
            earlier_in, earlier_out = linears[index]
            entry = (kind, width, index)
            n = width * earlier_in + earlier_in  # the adaptor, nn.Linear(width, earlier_in)
            if kind == "tied":  # only the bias of the new layer is new
                n += earlier_out
            frozen = False
            width = earlier_out
        total += n
        trainable += 0 if frozen else n
        spec.append((entry, frozen))
    return spec, total, trainable


@probe.helper
def drawn_net(spec):
    """The net a spec of ``drawn_nets`` describes."""
    modules, linears = [], []
    for entry, frozen in spec:
        kind = entry[0]
        if kind == "linear":
            _, in_features, out_features, bias = entry
            layer = nn.Linear(in_features, out_features, bias=bias)
            linears.append(layer)
        elif kind == "batchnorm":
            layer = nn.BatchNorm1d(entry[1])
        elif kind == "relu":
            layer = nn.ReLU()
        else:
            _, width, index = entry
            earlier = linears[index]
            adaptor = nn.Linear(width, earlier.in_features)
            if kind == "again":  # the same instance at a second position: nothing new
                second = earlier
            else:  # tied: a new layer holding the earlier one's weight
                second = nn.Linear(earlier.in_features, earlier.out_features)
                second.weight = earlier.weight
            layer = nn.Sequential(adaptor, second)
        if frozen:
            for p in layer.parameters():
                p.requires_grad_(False)
        modules.append(layer)
    return nn.Sequential(*modules)


@probe
def count_drawn_net(parameters, spec, trainable_only):
    net = drawn_net(spec)
    if trainable_only is None:
        return counted(parameters, net)
    return counted(parameters, net, trainable_only=trainable_only)


@pytest.mark.points(3)
@given(drawn=drawn_nets())
def test_count_parameters_of_drawn_nets(drawn):
    spec, total, trainable = drawn
    got = count_drawn_net(spec, None)
    n = got["value"]
    with miscounted(got):
        assert n == total, (
            f"count_parameters gave {n}, expected {total}: count every parameter entry once "
            "(a shared layer or a tied weight once), and never buffers"
        )
    got = count_drawn_net(spec, True)
    n = got["value"]
    with miscounted(got, trainable_only=True):
        assert n == trainable, (
            f"count_parameters(net, trainable_only=True) gave {n}, expected {trainable}: "
            "skip the parameters with requires_grad=False"
        )


@probe
def count_shared_layer_net(parameters):
    shared = nn.Linear(8, 8)
    net = nn.Sequential(nn.Linear(4, 8), shared, nn.ReLU(), shared, nn.Linear(8, 1))
    return counted(parameters, net)


@pytest.mark.points(2)
def test_count_parameters_counts_a_shared_layer_once():
    got = count_shared_layer_net()
    n = got["value"]
    with miscounted(got):
        assert n == 40 + 72 + 9, (
            f"got {n}, expected 121: the layer at positions 1 and 3 is one layer, its 72 "
            "entries count once (net.parameters() yields a shared Parameter once)"
        )


@probe
def count_tied_weight_net(parameters):
    encoder, decoder = nn.Linear(6, 6), nn.Linear(6, 6)
    decoder.weight = encoder.weight  # one Parameter object held by two modules
    return counted(parameters, nn.Sequential(encoder, nn.ReLU(), decoder))


@pytest.mark.points(2)
def test_count_parameters_counts_a_tied_weight_once():
    got = count_tied_weight_net()
    n = got["value"]
    with miscounted(got):
        assert n == 36 + 6 + 6, (
            f"got {n}, expected 48: decoder.weight is encoder.weight, one tensor of 36 "
            "entries; count each Parameter object once"
        )


@probe
def count_batchnorm_net(parameters):
    net = nn.Sequential(nn.Linear(3, 5), nn.BatchNorm1d(5))
    return counted(parameters, net)


@pytest.mark.points(2)
def test_count_parameters_never_counts_buffers():
    got = count_batchnorm_net()
    n = got["value"]
    with miscounted(got):
        assert n == 20 + 10, (
            f"got {n}, expected 30: BatchNorm1d(5) has 10 parameters (weight, bias); its "
            "running_mean, running_var and num_batches_tracked are buffers, not parameters"
        )


@probe
def count_partly_frozen_net(parameters, how):
    """count_parameters of a net whose first weight is frozen: called as ``how`` says
    (no flag, ``trainable_only=True``, or True as the second positional argument)."""
    net = nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 2))
    net[0].weight.requires_grad_(False)
    if how == "all":
        return counted(parameters, net)
    if how == "keyword":
        return counted(parameters, net, trainable_only=True)
    return counted(parameters, net, True)


@pytest.mark.points(2)
def test_count_parameters_trainable_only():
    got = count_partly_frozen_net("all")
    with miscounted(got):
        assert got["value"] == 40 + 18, f"got {got['value']}, expected 58 (every entry)"
    got = count_partly_frozen_net("keyword")
    n = got["value"]
    with miscounted(got, trainable_only=True):
        assert n == 8 + 18, (
            f"trainable_only=True gave {n}, expected 26: net[0].weight (32 entries) has "
            "requires_grad=False"
        )
    got = count_partly_frozen_net("positional")
    with miscounted(got, trainable_only=True):
        assert got["value"] == 26, (
            f"count_parameters(net, True) gave {got['value']}, expected 26: take "
            "trainable_only as the 2nd argument"
        )


# ---------------------------------------------------------------- block1, block2, rgnet


def check_block1(block, where="block1()"):
    """The verdict on a block's facts (``sequential_facts``)."""
    assert block["sequential"], f"{where} should be an nn.Sequential"
    kinds = block["kinds"]
    with diagnose(block1_no_final_relu=lambda: kinds == ["Linear", "ReLU", "Linear"]):
        assert kinds == ["Linear", "ReLU", "Linear", "ReLU"], (
            f"{where} is {kinds}; expected Linear(4, 8), ReLU, Linear(8, 4), ReLU"
        )
    first, second = block["linear"][0], block["linear"][2]
    assert first is not None and first[:2] == (4, 8), f"{where}[0] is not (4, 8)"
    assert second is not None and second[:2] == (8, 4), f"{where}[2] is not (8, 4)"
    assert first[2] and second[2]


@probe
def block1_facts(parameters):
    block = parameters.block1()
    facts = sequential_facts(block)
    facts["names"] = names_of(block) if isinstance(block, nn.Module) else None
    return facts


@pytest.mark.points(1)
def test_block1_structure():
    block = block1_facts()
    check_block1(block)
    assert block["names"] == ["0.weight", "0.bias", "2.weight", "2.bias"]


@probe
def block2_facts(parameters, num_blocks):
    net = parameters.block2(num_blocks)
    if not isinstance(net, nn.Sequential):
        return {"sequential": False}
    blocks = list(net._modules.values())
    return {
        "sequential": True,
        "names": list(net._modules),
        "blocks": [sequential_facts(b) for b in blocks],
        "distinct": len({id(b) for b in blocks}),
    }


@pytest.mark.points(2)
@given(num_blocks=st.integers(0, 6))
def test_block2_names_its_blocks(num_blocks):
    net = block2_facts(num_blocks)
    assert net["sequential"], "block2 should return an nn.Sequential"
    names = net["names"]
    expected = [f"block{i}" for i in range(num_blocks)]
    with misnamed_blocks(names, expected):
        assert names == expected, (
            f"block2({num_blocks}) names its children {names}; expected {expected}: "
            "use net.add_module(f'block{i}', block1()) (no space in the name)"
        )
    for name, block in zip(names, net["blocks"], strict=True):
        check_block1(block, f"block2().{name}")
    with diagnose(one_shared_block=lambda: net["distinct"] == 1 < num_blocks):
        assert net["distinct"] == num_blocks, (
            f"block2({num_blocks}) holds {net['distinct']} distinct module(s): its blocks are "
            "one and the same module; call block1() once per block"
        )


def misnamed_blocks(names, expected):
    """``diagnose`` with the signatures of block2's usual naming mistakes, given the
    names it gave (of its children, or of rgnet's parameters) and the expected ones."""
    return diagnose(
        space_in_block_names=lambda: names == [n.replace("block", "block ") for n in expected],
        numbered_blocks=lambda: names == [re.sub(r"block(\d+)", r"\1", n) for n in expected],
    )


@probe
def block2_default_children(parameters):
    return list(parameters.block2()._modules)


@pytest.mark.points(1)
def test_block2_has_four_blocks_by_default():
    names = block2_default_children()
    expected = ["block0", "block1", "block2", "block3"]
    with misnamed_blocks(names, expected):
        assert names == expected, f"block2() names its children {names}; expected {expected}"


RGNET_NAMES = [
    f"0.block{i}.{j}.{kind}" for i in range(4) for j in (0, 2) for kind in ("weight", "bias")
] + ["1.weight", "1.bias"]


@probe
def rgnet_parameters(parameters, expected_names):
    net = parameters.rgnet()
    params = dict(net.named_parameters())
    names = names_of(net)
    # The book's way in (outer net, then block, then layer) is looked at only where the
    # names are right, as the check before it says.
    indexed = None
    if names == expected_names:
        indexed = net[0][1][0].bias is params["0.block1.0.bias"]
    return {
        "names": names,
        "state": list(net.state_dict()),
        "shapes": {name: tuple(p.shape) for name, p in params.items()},
        "indexed_is_named": indexed,
    }


@pytest.mark.points(3)
def test_rgnet_parameter_names():
    got = rgnet_parameters(RGNET_NAMES)
    names = got["names"]
    with (
        diagnose(
            rgnet_no_final_linear=lambda: names == RGNET_NAMES[:-2],
            one_shared_block=lambda: names == RGNET_NAMES[:4] + RGNET_NAMES[-2:],
        ),
        misnamed_blocks(names, RGNET_NAMES),
    ):
        assert names == RGNET_NAMES, (
            f"rgnet's parameter names are {names}; expected {RGNET_NAMES[:2]} … "
            f"{RGNET_NAMES[-2:]}: rgnet = nn.Sequential(block2(), nn.Linear(4, 1))"
        )
    assert got["state"] == RGNET_NAMES, "rgnet should hold no buffers"
    shapes = got["shapes"]
    for i in range(4):
        assert shapes[f"0.block{i}.0.weight"] == (8, 4)
        assert shapes[f"0.block{i}.2.bias"] == (4,)
    assert shapes["1.weight"] == (1, 4) and shapes["1.bias"] == (1,)
    # The book's way in: index the outer net, then the block, then the layer.
    assert got["indexed_is_named"]


@probe
def forward_shape(parameters, which, num_blocks, dtype, X):
    if which == "block1":
        net = parameters.block1()
    elif which == "block2":
        net = parameters.block2(num_blocks)
    else:
        net = parameters.rgnet()
    Y = net.to(dtype)(X)
    return {"shape": tuple(Y.shape), "dtype": Y.dtype}


@pytest.mark.points(2)
@given(data=st.data(), dtype=float_dtypes(), num_blocks=st.integers(0, 5))
def test_forward_shapes(data, dtype, num_blocks):
    X = data.draw(tensors(batch_shapes(4), dtype))
    lead = X.shape[:-1]
    Y = forward_shape("block1", num_blocks, dtype, X)
    assert Y["shape"] == (*lead, 4) and Y["dtype"] == dtype, (
        f"block1 maps {tuple(X.shape)} to {Y['shape']}"
    )
    Y = forward_shape("block2", num_blocks, dtype, X)
    assert Y["shape"] == (*lead, 4), f"block2({num_blocks}) maps {tuple(X.shape)} to {Y['shape']}"
    Y = forward_shape("rgnet", num_blocks, dtype, X)
    with diagnose(rgnet_no_final_linear=lambda: Y["shape"] == (*lead, 4)):
        assert Y["shape"] == (*lead, 1) and Y["dtype"] == dtype, (
            f"rgnet maps {tuple(X.shape)} to {Y['shape']}"
        )


# ---------------------------------------------------------------- initialisers: in place


@probe
def initialise_in_place(parameters, name, widths, dtype, X):
    layers = [nn.Linear(a, b) for a, b in pairwise(widths)]
    net = nn.Sequential(nn.Sequential(layers[0], nn.ReLU()), *layers[1:]).to(dtype)
    before = {n: (p, p.data_ptr()) for n, p in net.named_parameters()}
    applied(parameters, name, net)
    after = dict(net.named_parameters())
    facts = {}
    for n, p in after.items():
        old, ptr = before.get(n, (None, None))
        facts[n] = {
            "same": p is old,
            "parameter": isinstance(p, nn.Parameter),
            "leaf": p.is_leaf,
            "requires_grad": p.requires_grad,
            "same_storage": p.data_ptr() == ptr,
            "dtype": p.dtype,
        }
    # A backward pass on the verdict's X, once the checks before it hold (so that a
    # parameter without requires_grad, or of another dtype, reads as that check, not
    # as a crash).
    ready = list(after) == list(before) and all(
        f["same"]
        and f["parameter"]
        and f["leaf"]
        and f["requires_grad"]
        and f["same_storage"]
        and f["dtype"] == dtype
        for f in facts.values()
    )
    grads = None
    if ready:
        net(X).sum().backward()
        grads = {n: p.grad is not None for n, p in after.items()}
    return {"before": list(before), "after": list(after), "params": facts, "grads": grads}


@pytest.mark.points(2)
@pytest.mark.parametrize("name", INITIALISERS)
@given(widths=st.lists(sizes(1, 8), min_size=2, max_size=4), dtype=float_dtypes())
def test_initialiser_changes_values_in_place(name, widths, dtype):
    X = torch.randn(3, widths[0], dtype=dtype)
    got = initialise_in_place(name, widths, dtype, X)
    after = got["after"]
    assert after == got["before"], f"{name} changed the parameter names to {after}"
    for n, p in got["params"].items():
        with diagnose(
            replaced_parameter=lambda p=p: p["parameter"] and p["leaf"] and not p["same"],
            non_leaf_weight=lambda p=p: not p["leaf"],
            requires_grad_off=lambda p=p: p["parameter"] and not p["requires_grad"],
            new_data_tensor=lambda p=p: p["same"] and not p["same_storage"],
        ):
            assert p["same"], (
                f"after {name}, {n} is a new object: change the values in place (nn.init.*_ "
                "or under torch.no_grad()), never assign a new nn.Parameter: an optimiser "
                "made before would keep training the old one"
            )
            assert p["parameter"] and p["leaf"] and p["requires_grad"], (
                f"after {name}, {n} is no longer a leaf Parameter that requires grad: change "
                "its values under torch.no_grad() (or on .data), and leave requires_grad on"
            )
            assert p["same_storage"] and p["dtype"] == dtype, (
                f"after {name}, {n} lives in a new tensor ({p['dtype']}): write into the "
                "existing one (nn.init.*_, fill_, mul_ …) instead of assigning .data a new "
                "tensor"
            )
    for n, has_grad in got["grads"].items():
        assert has_grad, f"after {name}, no gradient reaches {n}"


@probe
def initialise_mixed_net(parameters, name):
    # Modules with a weight that later d2l chapters initialise too (Conv1d/2d, LSTM):
    # this exercise's initialisers leave them alone.
    others = nn.ModuleList([nn.Conv2d(2, 3, kernel_size=3), nn.BatchNorm1d(4), nn.LayerNorm(4)])
    others.extend([Scale(4), nn.Conv1d(2, 3, kernel_size=2), nn.LSTM(4, 3)])
    linear = nn.Linear(4, 4)
    net = nn.Sequential(
        nn.Sequential(others[0], others[1]), others[2], others[3], others[4], others[5], linear
    )
    with torch.no_grad():  # values no initialiser would give, so that any change shows
        for t in others.state_dict().values():
            if t.is_floating_point():
                t.uniform_(0.5, 3.0)
    before = {n: (t, t.detach().clone()) for n, t in others.state_dict(keep_vars=True).items()}
    linear_weight = linear.weight.detach().clone()
    applied(parameters, name, net)
    entries = {}
    for n, t in others.state_dict(keep_vars=True).items():
        old, value = before[n]
        entries[n] = {
            "kind": type(others[int(n.split(".")[0])]).__name__,
            "same": t is old,
            "before": value,
            "after": t.detach().clone(),
        }
    return {
        "others": entries,
        "linear_before": linear_weight,
        "linear_after": linear.weight.detach().clone(),
    }


@pytest.mark.points(2)
@pytest.mark.parametrize("name", INITIALISERS)
def test_initialiser_acts_on_linear_only(name):
    got = initialise_mixed_net(name)
    for n, e in got["others"].items():
        changed = not (e["same"] and torch.equal(e["after"], e["before"]))
        with diagnose(not_only_linear=lambda changed=changed: changed):
            assert not changed, (
                f"{name} changed the {n.split('.', 1)[1]} of a {e['kind']}: act on nn.Linear "
                "only (if isinstance(m, nn.Linear): …), not on every module with a weight"
            )
    assert not torch.equal(got["linear_after"], got["linear_before"]), (
        f"{name} left the nn.Linear untouched"
    )


# ---------------------------------------------------------------- initialisers: values
# The statistical checks below draw 10^6 weights. Each bound is at least 10 standard
# errors wide; the sample statistics of 10^6 independent draws are normal to a very
# good approximation, so each check fails a correct solution with probability below
# 1e-22, and the whole module below 1e-20 per run, whatever the seed. The probe
# returns the initialised tensors; the statistics are the verdict's.


@probe
def big_initialised_linear(parameters, name, in_features, out_features):
    layer, bias = big_linear(parameters, name, in_features, out_features)
    return {
        "weight": layer.weight.detach().clone(),
        "bias_before": bias,
        "bias": layer.bias.detach().clone(),
    }


@pytest.mark.points(3)
def test_init_normal_statistics():
    # n = 10^6 draws of N(0, 0.01²): the sample mean has standard error 1e-5 (bound 1e-4:
    # 10 SE); the sample std ~ 0.01 / sqrt(2n) = 7.1e-6 (bound 2e-4: 28 SE); the share of
    # |w| > 0.02 (two std) is 0.0455 with standard error 2.1e-4 (bound 0.003: 14 SE).
    got = big_initialised_linear("init_normal", 1000, 1000)
    w = got["weight"].double()
    mean, std = float(w.mean()), float(w.std())
    # std 0.1 = sqrt(0.01) or 0.0001 = 0.01²: the variance read for the std (2e-4 and
    # 2e-6 are 28 standard errors of the sample std).
    with diagnose(std_vs_variance=lambda: abs(std - 0.1) < 2e-3 or abs(std - 1e-4) < 2e-6):
        assert abs(mean) < 1e-4 and abs(std - 0.01) < 2e-4, (
            f"weight mean {mean:.2g}, std {std:.3g}; expected 0 and 0.01: "
            "nn.init.normal_(m.weight, mean=0, std=0.01) (std, not variance)"
        )
    tails = float((w.abs() > 0.02).double().mean())
    # A bounded draw: no weight beyond 1.8 std, where a normal puts 7% of its 10^6 draws.
    with diagnose(uniform_not_normal=lambda: float(w.abs().max()) < 1.8 * std):
        assert abs(tails - 0.0455) < 0.003, (
            f"{tails:.4f} of the weights lie beyond two std (normal: 0.0455); draw from a normal"
        )
    with diagnose(bias_not_zeroed=lambda: torch.equal(got["bias"], got["bias_before"])):
        assert torch.all(got["bias"] == 0), "init_normal should set every bias entry to 0"


@probe
def constant_initialised_net(parameters, widths):
    net = nn.Sequential(*[nn.Linear(a, b) for a, b in pairwise(widths)])
    applied(parameters, "init_constant", net)
    return {n: p.detach().clone() for n, p in net.named_parameters()}


@pytest.mark.points(2)
@given(widths=st.lists(sizes(1, 8), min_size=2, max_size=4))
def test_init_constant_values(widths):
    for n, p in constant_initialised_net(widths).items():
        want = 1.0 if n.endswith("weight") else 0.0
        assert torch.all(p == want), f"init_constant: every entry of {n} should be {want:g}"


@pytest.mark.points(3)
def test_init_xavier_statistics():
    # Xavier uniform for fan_in 1200, fan_out 800: U(-a, a), a = sqrt(6 / 2000) = 0.0548,
    # variance a² / 3 = 1e-3. With n = 960,000 draws the sample variance has relative
    # standard error sqrt(4/5 / n) = 9.1e-4 (bound 1%: 11 SE); the share of |w| < a/2 is 1/2
    # with standard error 5.1e-4 (bound 0.01: 19 SE); the mean has standard error 3.2e-5
    # (bound 5.5e-4: 17 SE). No draw of U(-a, a) lies outside [-a, a].
    got = big_initialised_linear("init_xavier", 1200, 800)
    w = got["weight"].double()
    a = math.sqrt(6 / 2000)
    big = float(w.abs().max())
    var = float(w.square().mean())
    fan_in_a = math.sqrt(6 / 1200)  # U(-a, a) with fan_out left out
    with diagnose(
        # Xavier's variance 2 / (fan_in + fan_out), but values beyond ±a: a normal.
        xavier_normal=lambda: abs(var / (a * a / 3) - 1) < 0.01,
        # Uniform on ±sqrt(6 / fan_in), with the variance of that uniform.
        xavier_fan_in_only=lambda: (
            big <= fan_in_a * (1 + 1e-6) and abs(var / (fan_in_a**2 / 3) - 1) < 0.01
        ),
    ):
        assert big <= a * (1 + 1e-6), (
            f"a weight of absolute value {big:.4f} lies outside ±sqrt(6 / (fan_in + fan_out)) "
            f"= ±{a:.4f}: use nn.init.xavier_uniform_ (uniform, not normal)"
        )
    assert abs(var / (a * a / 3) - 1) < 0.01, (
        f"weight variance {var:.3g}; Xavier gives 2 / (fan_in + fan_out) = {2 / 2000:.3g}"
    )
    inner = float((w.abs() < a / 2).double().mean())
    assert abs(inner - 0.5) < 0.01, f"{inner:.3f} of |w| lie below a/2 (uniform: 1/2)"
    assert abs(float(w.mean())) < a / 100, f"weight mean {float(w.mean()):.2g}, expected 0"
    with diagnose(bias_overwritten=lambda: overwritten(got)):
        assert torch.equal(got["bias"], got["bias_before"]), (
            "init_xavier should leave the bias unchanged"
        )


def overwritten(got):
    """Whether the bias was set to a constant, 0 or 42 (a signature): its initial values,
    drawn by nn.Linear, are neither."""
    bias = got["bias"]
    return not torch.equal(bias, got["bias_before"]) and any(
        bool(torch.all(bias == c)) for c in (0.0, 42.0)
    )


@probe
def init_42_linear(parameters, in_features, out_features):
    layer = nn.Linear(in_features, out_features)
    bias = layer.bias.detach().clone()
    applied(parameters, "init_42", nn.Sequential(layer, nn.ReLU()))
    return {
        "weight": layer.weight.detach().clone(),
        "bias_before": bias,
        "bias": layer.bias.detach().clone(),
    }


@pytest.mark.points(2)
@given(in_features=sizes(1, 8), out_features=sizes(1, 8))
def test_init_42_values(in_features, out_features):
    got = init_42_linear(in_features, out_features)
    assert torch.all(got["weight"] == 42), "init_42: every weight entry should be 42"
    with diagnose(bias_overwritten=lambda: overwritten(got)):
        assert torch.equal(got["bias"], got["bias_before"]), (
            "init_42 should leave the bias unchanged"
        )


@pytest.mark.points(3)
def test_my_init_statistics():
    # U(-10, 10) puts mass 1/2 below 5 in absolute value: with n = 10^6 draws the share
    # of zeros has standard error 5e-4 (bound 0.01: 20 SE). The ~5e5 survivors are
    # uniform on 5..10 in absolute value: mean |w| 7.5 with standard error 2e-3 (bound
    # 0.05: 25 SE), share below 7.5 and share positive both 1/2 with standard error
    # 7.1e-4 (bound 0.01: 14 SE). Bounds on the support are exact.
    got = big_initialised_linear("my_init", 1000, 1000)
    w = got["weight"].double()
    assert float(w.abs().max()) <= 10, "my_init: weights should come from U(-10, 10)"
    small = (w != 0) & (w.abs() < 5)
    zeros = float((w == 0).double().mean())
    with diagnose(
        my_init_no_zeroing=lambda: zeros < 0.01,
        # About half zeroed, as it should be, but every survivor below 5: the wrong half.
        my_init_zeroes_large=lambda: zeros > 0.4 and float(w.abs().max()) < 5,
    ):
        assert not small.any(), (
            f"{int(small.sum())} weights have 0 < |w| < 5: set every entry with |w| < 5 to 0 "
            "(m.weight *= m.weight.abs() >= 5, under torch.no_grad())"
        )
    assert abs(zeros - 0.5) < 0.01, (
        f"{zeros:.3f} of the weights are 0; U(-10, 10) has half its mass below 5 in "
        "absolute value, so about half should be zeroed"
    )
    kept = w[w != 0]
    assert abs(float(kept.abs().mean()) - 7.5) < 0.05, (
        f"the nonzero weights have mean |w| {float(kept.abs().mean()):.3f}; expected 7.5 "
        "(uniform on 5..10 in absolute value)"
    )
    assert abs(float((kept.abs() < 7.5).double().mean()) - 0.5) < 0.01
    positive = float((kept > 0).double().mean())
    with diagnose(my_init_positive_only=lambda: float(w.min()) >= 0):
        assert abs(positive - 0.5) < 0.01, (
            f"{positive:.3f} of the nonzero weights are positive (expected 1/2): draw from "
            "U(-10, 10), both signs"
        )
    assert torch.equal(got["bias"], got["bias_before"]), "my_init should leave the bias unchanged"
