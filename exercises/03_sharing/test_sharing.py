"""Tests for exercise 3, tied parameters (sharing.py).

Each check is a probe and a verdict (grader/probing.py): a function marked
``@probe`` runs your code and returns plain data; the test that calls it decides,
from that data alone, whether your code is right.
"""

import copy

import pytest
import torch
from hypothesis import given
from hypothesis import strategies as st
from torch import nn

from grader.diagnoses import close, diagnose
from grader.probing import probes
from grader.strategies import batch_shapes, float_dtypes, sizes, tensors, tolerance

probe = probes("sharing")


@probe.helper
class WeightOnly(nn.Module):
    """A custom layer with a ``weight`` and no ``bias``."""

    def __init__(self, out_features, in_features):
        super().__init__()
        self.weight = nn.Parameter(torch.randn(out_features, in_features))

    def forward(self, X):
        return X @ self.weight.T


@probe.helper
class WeightAndBias(nn.Module):
    """A custom layer whose ``weight`` and ``bias`` shapes are chosen freely."""

    def __init__(self, weight_shape, bias_shape):
        super().__init__()
        self.weight = nn.Parameter(torch.randn(weight_shape))
        self.bias = nn.Parameter(torch.randn(bias_shape))


@probe.helper
class ScaleOnly(nn.Module):
    """A custom layer whose one parameter is called ``scale``."""

    def __init__(self, n):
        super().__init__()
        self.scale = nn.Parameter(torch.randn(n))


@probe.helper
def make(spec):
    """A module from its description: ("linear", in, out), ("weight_and_bias", w, b),
    ("weight_only", out, in), ("scale", n), ("relu",), ("sequential_linear", in, out)."""
    kind, *args = spec
    if kind == "linear":
        return nn.Linear(*args)
    if kind == "weight_and_bias":
        return WeightAndBias(*args)
    if kind == "weight_only":
        return WeightOnly(*args)
    if kind == "scale":
        return ScaleOnly(*args)
    if kind == "relu":
        return nn.ReLU()
    return nn.Sequential(nn.Linear(*args))


@probe.helper
def parameters_of(*modules):
    """Every direct and nested parameter of the modules, by (module index, name): the
    object's identity (its position among all distinct parameters) and a copy."""
    seen = {}
    out = {}
    for i, m in enumerate(modules):
        for name, p in m.named_parameters():
            ident = seen.setdefault(id(p), len(seen))
            out[f"{i}:{name}"] = (ident, p.detach().clone())
    return out


@probe.helper
def layers_of(net):
    """What the verdicts need to know of a Sequential's layers, at every position
    (``children()`` would skip a repeated one): kind, sizes, which position's
    instance it is."""
    mods = list(net._modules.values())
    first = {}
    return [
        {
            "kind": type(m).__name__,
            "sizes": (int(m.in_features), int(m.out_features))
            if isinstance(m, nn.Linear)
            else None,
            "same_as": first.setdefault(id(m), i),
        }
        for i, m in enumerate(mods)
    ]


@probe.helper
def shared_pair(net):
    """How the layers at positions 2 and 4 relate: one layer, or two whose weight and
    bias are each the same object or only equal in value (None where one is missing)."""
    mods = list(net._modules.values())
    if len(mods) < 5:
        return None
    a, b = mods[2], mods[4]
    facts = {"one_layer": a is b}
    for name in ("weight", "bias"):
        p, q = getattr(a, name, None), getattr(b, name, None)
        both = isinstance(p, torch.Tensor) and isinstance(q, torch.Tensor)
        facts[name] = (
            {"same": p is q, "equal": p.shape == q.shape and torch.equal(p.detach(), q.detach())}
            if both
            else None
        )
    return facts


def copied_layer(pair):
    """Positions 2 and 4 hold two layers with equal values but tensors of their own."""
    return not pair["one_layer"] and all(
        not pair[n]["same"] and pair[n]["equal"] for n in ("weight", "bias")
    )


def second_linear(pair):
    """Positions 2 and 4 hold two layers whose weights and biases differ."""
    return not pair["one_layer"] and all(
        not pair[n]["same"] and not pair[n]["equal"] for n in ("weight", "bias")
    )


def shares_only_weight(pair):
    """Positions 2 and 4 hold two layers that share the weight object, not the bias."""
    return not pair["one_layer"] and pair["weight"]["same"] and not pair["bias"]["same"]


def sizes_swapped(sizes_, num_inputs, num_hiddens):
    """The sizes of layers 0, 2 and 6 with num_inputs and num_hiddens swapped."""
    i, h = num_inputs, num_hiddens
    return i != h and list(sizes_) == [(h, i), (i, i), (i, 1)]


@probe.helper
def raised_on_purpose(exc, fn):
    """Whether ``exc`` came from a ``raise`` or ``assert`` statement in the file of the
    learner's function ``fn`` (not from a call that failed there)."""
    import dis

    tb = exc.__traceback__
    while tb is not None and tb.tb_next is not None:
        tb = tb.tb_next
    code = getattr(fn, "__code__", None)
    if tb is None or code is None or tb.tb_frame.f_code.co_filename != code.co_filename:
        return False
    return tb.tb_frame.f_code.co_code[tb.tb_lasti] == dis.opmap["RAISE_VARARGS"]


def tied_names(got):
    """The names dst holds as src's very Parameter after the call, and not before."""
    before, after = got["before"], got["after"]
    found = []
    for key, (ident, _) in after.items():
        twin = "0:" + key[2:]
        if key.startswith("1:") and twin in after and after[twin][0] == ident:
            if key not in before or twin not in before or before[key][0] != before[twin][0]:
                found.append(key[2:])
    return found


def nothing_changed(got):
    """Whether both modules hold the very parameters, with the values, they held before."""
    before, after = got["before"], got["after"]
    return list(after) == list(before) and all(
        after[k][0] == before[k][0] and torch.equal(after[k][1], before[k][1]) for k in after
    )


def tied_despite_equal_numel(got, name):
    """Whether ``name``'s shapes differ, with as many elements, and dst now holds src's."""
    src, dst = got["before"][f"0:{name}"][1], got["before"][f"1:{name}"][1]
    after = got["after"]
    return (
        src.shape != dst.shape
        and src.numel() == dst.numel()
        and after[f"1:{name}"][0] == after[f"0:{name}"][0]
    )


def unchanged(before, after, why):
    assert list(after) == list(before), f"{why}, yet the modules' parameters changed names"
    for key, (ident, value) in after.items():
        old_ident, old_value = before[key]
        which = "src" if key.startswith("0:") else "dst"
        assert ident == old_ident and torch.equal(value, old_value), (
            f"{why}, yet {key[2:]} of the {which} module changed: "
            "check every common name before tying any (leave both modules as they were)"
        )


# ---------------------------------------------------------------- shared_mlp


@probe
def shared_mlp_layers(sharing, num_inputs=None, num_hiddens=None):
    args = () if num_inputs is None else (num_inputs, num_hiddens)
    net = sharing.shared_mlp(*args)
    return {
        "sequential": isinstance(net, nn.Sequential),
        "layers": layers_of(net),
        "pair": shared_pair(net),
    }


@pytest.mark.points(3)
@given(num_inputs=sizes(1, 10), num_hiddens=sizes(1, 10))
def test_shared_mlp_structure(num_inputs, num_hiddens):
    got = shared_mlp_layers(num_inputs, num_hiddens)
    assert got["sequential"], "shared_mlp should return an nn.Sequential"
    layers = got["layers"]
    kinds = [m["kind"] for m in layers]
    assert kinds == ["Linear", "ReLU", "Linear", "ReLU", "Linear", "ReLU", "Linear"], (
        f"shared_mlp is {kinds}; expected Linear, ReLU, shared, ReLU, shared, ReLU, Linear"
    )
    pair = got["pair"]
    with diagnose(
        copied_layer=lambda: copied_layer(pair),
        second_linear=lambda: second_linear(pair),
        layer_shares_only_weight=lambda: shares_only_weight(pair),
    ):
        assert layers[4]["same_as"] == 2, (
            "net[2] and net[4] are two different layers: build one nn.Linear and put that "
            "same instance at both positions (no second nn.Linear, no copy.deepcopy)"
        )
    sizes_ = [layers[i]["sizes"] for i in (0, 2, 6)]
    want = [(num_inputs, num_hiddens), (num_hiddens, num_hiddens), (num_hiddens, 1)]
    with diagnose(sizes_swapped=lambda: sizes_swapped(sizes_, num_inputs, num_hiddens)):
        assert sizes_ == want, (
            f"shared_mlp({num_inputs}, {num_hiddens}): layers 0, 2 and 6 have sizes {sizes_}; "
            f"expected {want}"
        )


@pytest.mark.points(1)
def test_shared_mlp_default_sizes():
    layers = shared_mlp_layers()["layers"]
    got = [m["sizes"] for m in layers]
    with diagnose(sizes_swapped=lambda: sizes_swapped([got[0], got[2], got[6]], 4, 8)):
        assert (got[0][0], got[2][0], got[6][1]) == (4, 8, 1), f"shared_mlp() has layer sizes {got}"


@probe
def shared_mlp_parameters(sharing, num_inputs, num_hiddens, value):
    net = sharing.shared_mlp(num_inputs, num_hiddens)
    names = [name for name, _ in net.named_parameters()]
    state = net.state_dict()  # lists the shared tensors under both names
    same_storage = state["2.weight"].data_ptr() == state["4.weight"].data_ptr()
    pair = shared_pair(net)
    with torch.no_grad():
        net[2].weight[0, 0] = value
    return {
        "names": names,
        "same_storage": same_storage,
        "seen_at_4": net[4].weight[0, 0],
        "pair": pair,
    }


@pytest.mark.points(2)
def test_shared_mlp_holds_one_set_of_shared_parameters():
    got = shared_mlp_parameters(3, 5, 100.0)
    names, pair = got["names"], got["pair"]
    with diagnose(
        copied_layer=lambda: copied_layer(pair),
        second_linear=lambda: second_linear(pair),
        layer_shares_only_weight=lambda: shares_only_weight(pair),
    ):
        assert names == ["0.weight", "0.bias", "2.weight", "2.bias", "6.weight", "6.bias"], (
            f"shared_mlp's parameters are {names}: the layer at positions 2 and 4 should be "
            "one layer, whose parameters parameters() yields once"
        )
        assert got["same_storage"], "net[2].weight and net[4].weight should be one tensor"
        assert got["seen_at_4"] == 100.0, "changing net[2].weight should change net[4].weight"


@probe
def shared_mlp_forward(sharing, num_inputs, num_hiddens, dtype, X):
    net = sharing.shared_mlp(num_inputs, num_hiddens).to(dtype)
    Y = net(X)
    params = {name: p.detach().clone() for name, p in net.state_dict().items()}
    return {"Y": Y.detach(), "params": params}


@pytest.mark.points(2)
@given(data=st.data(), num_inputs=sizes(1, 8), num_hiddens=sizes(1, 8), dtype=float_dtypes())
def test_shared_mlp_forward(data, num_inputs, num_hiddens, dtype):
    X = data.draw(tensors(batch_shapes(num_inputs), dtype, bound=10.0))
    got = shared_mlp_forward(num_inputs, num_hiddens, dtype, X)
    Y, p = got["Y"], got["params"]
    assert Y.shape == (*X.shape[:-1], 1) and Y.dtype == dtype, (
        f"shared_mlp({num_inputs}, {num_hiddens}) maps {tuple(X.shape)} to {tuple(Y.shape)}"
    )

    # The verdict recomputes the forward pass from the net's own parameters, using the
    # weights at position 2 for both shared uses.
    def linear(H, i):
        return H @ p[f"{i}.weight"].T + p[f"{i}.bias"]

    H = torch.relu(linear(torch.relu(linear(torch.relu(linear(X, 0)), 2)), 2))
    expected = linear(H, 6)
    atol = tolerance(H, num_hiddens + 1)

    def own_parameters_at_4():
        """Whether Y is what the net computes with its own parameters at position 4."""
        H4 = torch.relu(linear(torch.relu(linear(torch.relu(linear(X, 0)), 2)), 4))
        return close(Y, linear(H4, 6), rtol=0, atol=max(atol, tolerance(H4, num_hiddens + 1)))

    def same(name):
        return torch.equal(p[f"4.{name}"], p[f"2.{name}"])

    with diagnose(
        second_linear=lambda: not same("weight") and not same("bias") and own_parameters_at_4(),
        layer_shares_only_weight=lambda: (
            same("weight") and not same("bias") and own_parameters_at_4()
        ),
    ):
        torch.testing.assert_close(
            Y,
            expected,
            rtol=0,
            atol=atol,
            msg="shared_mlp's output is not net[6](relu(net[2](relu(net[2](relu(net[0](X)))))))",
        )
    torch.testing.assert_close(
        p["4.weight"],
        p["2.weight"],
        rtol=0,
        atol=0,
        msg="net[4] should be the layer at net[2], with the same weight",
    )


@probe
def shared_mlp_gradients(sharing, num_inputs, num_hiddens, X):
    net = sharing.shared_mlp(num_inputs, num_hiddens).double()
    pair = shared_pair(net)
    # The same net untied: every position holds its own copy (equal values, own tensors).
    untied = nn.Sequential(*[copy.deepcopy(m) for m in net._modules.values()])
    net(X).square().sum().backward()
    untied(X).square().sum().backward()
    out = {}
    for name in ("weight", "bias"):
        grad = getattr(net[2], name).grad
        out[name] = {
            "shared": None if grad is None else grad.clone(),
            "uses": [getattr(untied[i], name).grad.clone() for i in (2, 4)],
            "untied_copies": untied[2] is not untied[4],
        }
    out["pair"] = pair
    return out


@pytest.mark.points(3)
@given(data=st.data(), num_inputs=sizes(1, 6), num_hiddens=sizes(1, 6), batch=sizes(1, 5))
def test_shared_gradient_is_the_sum_of_both_uses(data, num_inputs, num_hiddens, batch):
    X = data.draw(tensors(st.just((batch, num_inputs)), torch.float64, bound=3.0))
    got = shared_mlp_gradients(num_inputs, num_hiddens, X)
    pair = got["pair"]
    for name in ("weight", "bias"):
        grad = got[name]["shared"]
        assert grad is not None, f"no gradient reached the shared layer's {name}"
        assert got[name]["untied_copies"]
        first_use, second_use = got[name]["uses"]
        expected = first_use + second_use
        with diagnose(  # net[2] got the gradient of its own use only
            copied_layer=lambda: copied_layer(pair) and close(grad, first_use),
            second_linear=lambda: second_linear(pair) and close(grad, first_use),
            layer_shares_only_weight=lambda: shares_only_weight(pair) and close(grad, first_use),
        ):
            torch.testing.assert_close(
                grad,
                expected,
                msg=f"the shared {name}'s gradient should be the sum of the gradients of both uses",
            )


# ---------------------------------------------------------------- tie_weights


@probe
def tie_linear_pair(sharing, in_features, out_features, delta):
    """Tie two Linears; then change src's tensors in place by ``delta`` and look at dst."""
    src, dst = nn.Linear(in_features, out_features), nn.Linear(in_features, out_features)
    weight, bias = src.weight, src.bias
    dst_own = {"weight": dst.weight, "bias": dst.bias}
    returned = sharing.tie_weights(src, dst)
    kept = src.weight is weight and src.bias is bias
    same = {n: getattr(dst, n) is getattr(src, n) for n in ("weight", "bias")}
    names = ("weight", "bias")
    facts = {
        "dst_kept": {n: getattr(dst, n) is dst_own[n] for n in names},
        "src_holds_dsts": {n: getattr(src, n) is dst_own[n] for n in names},
        "equal_at_tie": {n: torch.equal(getattr(dst, n), getattr(src, n)) for n in names},
    }
    count = len(list(nn.ModuleList([src, dst]).parameters()))
    with torch.no_grad():
        src.weight.add_(delta)
        src.bias.add_(delta)
    return {
        "returned_none": returned is None,
        "src_kept": kept,
        "same": same,
        **facts,
        "count": count,
        "src": {n: getattr(src, n).detach().clone() for n in ("weight", "bias")},
        "dst": {n: getattr(dst, n).detach().clone() for n in ("weight", "bias")},
    }


@pytest.mark.points(3)
@given(in_features=sizes(1, 8), out_features=sizes(1, 8), delta=st.sampled_from([0.5, -3.0]))
def test_tie_weights_shares_the_very_same_parameters(in_features, out_features, delta):
    got = tie_linear_pair(in_features, out_features, delta)
    assert got["returned_none"], "tie_weights should return None"
    with diagnose(tied_backwards=lambda: any(got["src_holds_dsts"].values())):
        assert got["src_kept"], (
            "tie_weights changed src's parameters: give dst src's Parameters, not the other "
            "way round"
        )
    for name in ("weight", "bias"):
        # Behaviour first: a change to src's tensor shows at dst; then identity.
        with diagnose(
            values_copied=lambda: got["dst_kept"][name] and got["equal_at_tie"][name],
            new_parameter=lambda: (
                not got["same"][name] and not got["dst_kept"][name] and got["equal_at_tie"][name]
            ),
            ties_only_weight=lambda: (
                name == "bias"
                and got["same"]["weight"]
                and got["dst_kept"]["bias"]
                and not got["equal_at_tie"]["bias"]
            ),
        ):
            assert torch.equal(got["dst"][name], got["src"][name]) and got["same"][name], (
                f"dst.{name} is not src.{name}: give dst the very same Parameter object "
                f"(setattr(dst, '{name}', src.{name})), not a copy of its values"
            )
    assert got["count"] == 2


@probe
def tie_linear_and_custom(sharing, in_features, out_features, linear_first):
    linear, custom = nn.Linear(in_features, out_features), WeightOnly(out_features, in_features)
    bias, bias_value = linear.bias, linear.bias.detach().clone()
    src, dst = (linear, custom) if linear_first else (custom, linear)
    dst_weight = dst.weight
    sharing.tie_weights(src, dst)
    return {
        "weight_tied": custom.weight is linear.weight,
        "dst_weight_kept": dst.weight is dst_weight,
        "weight_equal": torch.equal(dst.weight, src.weight),
        "custom_names": [n for n, _ in custom.named_parameters()],
        "bias_kept": linear.bias is bias and torch.equal(linear.bias.detach(), bias_value),
    }


@pytest.mark.points(2)
@given(in_features=sizes(1, 8), out_features=sizes(1, 8))
def test_tie_weights_ties_only_common_names(in_features, out_features):
    got = tie_linear_and_custom(in_features, out_features, True)
    with diagnose(
        values_copied=lambda: got["dst_weight_kept"] and got["weight_equal"],
        new_parameter=lambda: not got["dst_weight_kept"] and got["weight_equal"],
    ):
        assert got["weight_tied"], "tie a Linear's weight into a custom layer's weight"
    with diagnose(gives_dst_new_names=lambda: set(got["custom_names"]) - {"weight"}):
        assert got["custom_names"] == ["weight"], (
            f"after the tie the custom layer holds {got['custom_names']}: tie_weights gave dst "
            "a parameter it did not have; tie only the names both hold"
        )
    assert got["bias_kept"]
    # And the other way round: the Linear keeps its own bias.
    got = tie_linear_and_custom(in_features, out_features, False)
    with diagnose(
        values_copied=lambda: got["dst_weight_kept"] and got["weight_equal"],
        new_parameter=lambda: not got["dst_weight_kept"] and got["weight_equal"],
    ):
        assert got["weight_tied"], "tie a custom layer's weight into a Linear's weight"
    assert got["bias_kept"], "tie_weights changed dst's bias, which src does not have"


@probe
def tied_training(sharing, in_features, out_features, X):
    src, dst = nn.Linear(in_features, out_features), nn.Linear(in_features, out_features)
    dst_own = {"weight": dst.weight, "bias": dst.bias}
    sharing.tie_weights(src, dst)
    names = ("weight", "bias")
    facts = {
        "same": {n: getattr(dst, n) is getattr(src, n) for n in names},
        "dst_kept": {n: getattr(dst, n) is dst_own[n] for n in names},
        "equal_at_tie": {n: torch.equal(getattr(dst, n), getattr(src, n)) for n in names},
    }
    # Both uses of the tied parameters add to one gradient ...
    (src(X) + dst(X)).sum().backward()
    grad = src.weight.grad.clone()
    # ... and training dst alone updates src too.
    dst.zero_grad()
    before = src.weight.detach().clone()
    dst(X).sum().backward()
    with torch.no_grad():  # one step of gradient descent on dst's parameters
        for p in dst.parameters():
            p -= 0.5 * p.grad
    return {
        "grad": grad,
        "src_before": before,
        **facts,
        "src": {n: getattr(src, n).detach().clone() for n in ("weight", "bias")},
        "dst": {n: getattr(dst, n).detach().clone() for n in ("weight", "bias")},
    }


@pytest.mark.points(3)
@given(data=st.data(), in_features=sizes(1, 6), out_features=sizes(1, 6), batch=sizes(1, 4))
def test_tied_modules_train_together(data, in_features, out_features, batch):
    X = data.draw(tensors(st.just((batch, in_features)), torch.float32, bound=3.0))
    got = tied_training(in_features, out_features, X)
    with diagnose(
        values_copied=lambda: got["dst_kept"]["weight"] and got["equal_at_tie"]["weight"],
        new_parameter=lambda: (
            not got["same"]["weight"]
            and not got["dst_kept"]["weight"]
            and got["equal_at_tie"]["weight"]
        ),
    ):
        torch.testing.assert_close(
            got["grad"],
            2 * X.sum(0).expand(out_features, in_features),
            msg="the uses of src and dst should add up in one gradient: tie the Parameter objects",
        )
        # One step on dst: src moved by exactly dst's step (0.5 times the sum of X per row).
        step = 0.5 * X.sum(0).expand(out_features, in_features)
        torch.testing.assert_close(
            got["src"]["weight"],
            got["src_before"] - step,
            msg="training dst should update src: tie the Parameter objects",
        )
        assert torch.equal(got["src"]["weight"], got["dst"]["weight"])
    with diagnose(
        ties_only_weight=lambda: (
            got["same"]["weight"] and got["dst_kept"]["bias"] and not got["equal_at_tie"]["bias"]
        )
    ):
        assert torch.equal(got["src"]["bias"], got["dst"]["bias"]), (
            "after a step on dst, src.bias and dst.bias differ: tie the bias too"
        )


@probe
def tie_refused(sharing, src_spec, dst_spec):
    """Call tie_weights on two modules it must refuse; what it raised and what changed."""
    src, dst = make(src_spec), make(dst_spec)
    before = parameters_of(src, dst)
    tie_weights = sharing.tie_weights
    raised = other = None
    try:
        tie_weights(src, dst)
    except ValueError as exc:
        raised = ["ValueError", str(exc)]
    except Exception as exc:
        # An exception of another type that the learner's code raised on purpose is data
        # (what it raised instead); any other error is the learner's to see as it is.
        if isinstance(exc, NotImplementedError) or not raised_on_purpose(exc, tie_weights):
            raise
        other = [type(exc).__name__, str(exc)]
    return {
        "raised": raised,
        "other": other,
        "before": before,
        "after": parameters_of(src, dst),
    }


def refusal(got, why):
    """What the call did instead of raising ValueError, said for an assertion."""
    if got["other"] is not None:
        return f"tie_weights raised {got['other'][0]}({got['other'][1]!r}); {why}"
    return f"tie_weights returned without raising; {why}"


MISMATCHES = [  # (src, dst, the name whose shapes differ)
    (("linear", 3, 4), ("linear", 4, 4), "weight"),
    (("linear", 6, 2), ("weight_and_bias", (3, 4), (2,)), "weight"),  # same numel
    (("linear", 3, 4), ("weight_and_bias", (4, 3), (5,)), "bias"),  # weight fits
    (("weight_and_bias", (4, 3), (1, 4)), ("linear", 3, 4), "bias"),
]


@pytest.mark.points(2)
@pytest.mark.parametrize(
    ("src", "dst", "name"), MISMATCHES, ids=["weight", "same-numel", "bias", "bias-2d"]
)
def test_tie_weights_rejects_a_shape_mismatch(src, dst, name):
    got = tie_refused(src, dst)
    other = got["other"]
    with diagnose(
        assert_instead_of_raise=lambda: other is not None and other[0] == "AssertionError",
        wrong_exception_type=lambda: other is not None and other[0] != "AssertionError",
        compares_numel=lambda: other is None and tied_despite_equal_numel(got, name),
    ):
        assert got["raised"], refusal(
            got, f"it should raise ValueError: the shapes of {name!r} differ"
        )
    message = got["raised"][1]
    with diagnose(message_without_name=lambda: name not in message):
        assert name in message, (
            f"the ValueError says {message!r}; name the parameter whose shapes differ ({name!r})"
        )
    with diagnose(tied_before_checking=lambda: tied_names(got)):
        unchanged(got["before"], got["after"], why=f"the shapes of {name!r} differ")


NO_COMMON_NAME = [
    (("linear", 3, 3), ("scale", 3)),
    (("scale", 3), ("weight_only", 3, 3)),
    (("linear", 3, 3), ("relu",)),
    (("relu",), ("linear", 3, 3)),
]


@pytest.mark.points(2)
@pytest.mark.parametrize(
    ("src", "dst"), NO_COMMON_NAME, ids=["scale", "scale-weight", "relu", "relu-src"]
)
def test_tie_weights_rejects_modules_without_a_common_name(src, dst):
    got = tie_refused(src, dst)
    silent = got["other"] is None and nothing_changed(got)
    with diagnose(silent_without_common_name=lambda: silent):
        assert got["raised"], refusal(got, "it should raise ValueError: the modules share no name")
    unchanged(got["before"], got["after"], why="the modules share no parameter name")


@pytest.mark.points(1)
def test_tie_weights_looks_only_at_direct_parameters():
    # A container holds no parameter of its own: its layers' are its children's.
    got = tie_refused(("sequential_linear", 2, 2), ("sequential_linear", 2, 2))
    silent = got["other"] is None and nothing_changed(got)
    with diagnose(
        recursive_names=lambda: got["other"] is None and any("." in n for n in tied_names(got)),
        silent_without_common_name=lambda: silent,
    ):
        assert got["raised"], refusal(
            got, "it should raise ValueError: containers hold no parameter of their own"
        )
    unchanged(got["before"], got["after"], why="containers hold no parameter directly")
