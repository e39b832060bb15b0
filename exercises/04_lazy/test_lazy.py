"""Tests for exercise 4, lazy initialisation (lazy.py).

Each check is a probe and a verdict (grader/probing.py): a function marked
``@probe`` runs your code and returns plain data; the test that calls it decides,
from that data alone, whether your code is right. An uninitialised parameter is not
data: the probes say which parameters are still lazy (with their dtype and device),
and give the shapes of the others.
"""

import pytest
import torch
from hypothesis import given
from hypothesis import strategies as st
from torch import nn
from torch.nn.functional import linear, relu

from grader.diagnoses import diagnose, raised
from grader.probing import probes
from grader.strategies import batch_shapes, sizes, tensors, tolerance

probe = probes("lazy")


@probe.helper
def book_lazy_mlp(num_hiddens, num_outputs):
    """The net of the contract, built here so that materialize is tested on its own."""
    return nn.Sequential(nn.LazyLinear(num_hiddens), nn.ReLU(), nn.LazyLinear(num_outputs))


@probe.helper
def lazy_names(net):
    return [name for name, p in net.named_parameters() if nn.parameter.is_lazy(p)]


@probe.helper
def parameter_facts(net):
    """Every parameter by name: is it still lazy (an UninitializedParameter), its dtype
    and device, and its shape once it has one (None while it is lazy)."""
    facts = {}
    for name, p in net.named_parameters():
        lazy = nn.parameter.is_lazy(p)
        facts[name] = {
            "lazy": lazy,
            "uninitialized": isinstance(p, nn.parameter.UninitializedParameter),
            "dtype": p.dtype,
            "device": str(p.device),
            "shape": None if lazy else tuple(p.shape),
        }
    return facts


@probe.helper
def shapes_of(net):
    """The shapes of the parameters that have one."""
    return {
        name: tuple(p.shape) for name, p in net.named_parameters() if not nn.parameter.is_lazy(p)
    }


@probe.helper
class ForwardLog:
    """Records every call of a module: was autograd recording, and the input's shape.

    Hooked on the net's first layer, so ``net(X)`` and ``net.forward(X)`` both count.
    """

    def __init__(self, module):
        self.calls = []
        self.dtypes = []  # the input's dtype, call by call
        self.inference = []  # was inference mode on, call by call
        self.handle = module.register_forward_pre_hook(self, with_kwargs=True)

    def __call__(self, module, args, kwargs):
        X = args[0] if args else next(iter(kwargs.values()))
        self.calls.append((torch.is_grad_enabled(), tuple(X.shape)))
        self.dtypes.append(X.dtype)
        self.inference.append(torch.is_inference_mode_enabled())


@probe.helper
def came_back(out, net):
    """What materialize returned: "net" (the net it was given), "tensor", "module"
    (another module than the net), or the type's name."""
    if out is net:
        return "net"
    if isinstance(out, torch.Tensor):
        return "tensor"
    if isinstance(out, nn.Module):
        return "module"
    return type(out).__name__


@probe.helper
def called_forward_directly(exc, fn):
    """Whether, in the traceback of ``exc``, code in the file of the learner's function
    ``fn`` called a module's ``forward`` itself (not the module, whose call runs the
    hooks that infer a lazy layer's shape)."""
    learner = getattr(getattr(fn, "__code__", None), "co_filename", None)
    tb, after_learner = exc.__traceback__, False
    while tb is not None:
        code = tb.tb_frame.f_code
        if after_learner and code.co_name == "forward" and code.co_filename != learner:
            return True
        after_learner = learner is not None and code.co_filename == learner
        tb = tb.tb_next
    return False


@probe.helper
def float32_control(materialize, num_inputs=3, num_hiddens=4, num_outputs=2):
    """materialize on a float32 lazy net, where a batch of the default dtype fits: what
    it did, to tell a wrong dtype from other mistakes (None where it failed)."""
    grad, dtype = torch.is_grad_enabled(), torch.get_default_dtype()
    net = book_lazy_mlp(num_hiddens, num_outputs)
    log = ForwardLog(net)
    try:
        out = materialize(net, num_inputs)
        shaped = [p for p in net.parameters() if not nn.parameter.is_lazy(p)]
        return {
            "came_back": came_back(out, net),
            "calls": log.calls,
            "inference": any(log.inference) or any(p.is_inference() for p in shaped),
            "lazy": lazy_names(net),
            "with_grad": [name for name, p in net.named_parameters() if p.grad is not None],
            "grad_enabled": torch.is_grad_enabled(),
        }
    except Exception:
        return None
    finally:  # the run that follows starts as this one did
        torch.set_grad_enabled(grad)
        torch.set_default_dtype(dtype)


# ---------------------------------------------------------------- lazy_mlp


@probe
def lazy_mlp_structure(lazy, num_hiddens, num_outputs):
    net = lazy.lazy_mlp(num_hiddens, num_outputs)
    if not isinstance(net, nn.Sequential):
        return {"sequential": False, "type": type(net).__name__}
    mods = list(net._modules.values())
    return {
        "sequential": True,
        "type": type(net).__name__,
        "kinds": [type(m).__name__ for m in mods],
        "lazy_linear": [isinstance(m, nn.LazyLinear) for m in mods],
        "relu": [isinstance(m, nn.ReLU) for m in mods],
        "out_features": [
            int(m.out_features) if isinstance(m, nn.LazyLinear) else None for m in mods
        ],
    }


@pytest.mark.points(2)
@given(num_hiddens=sizes(1, 64), num_outputs=sizes(1, 16))
def test_lazy_mlp_is_lazylinear_relu_lazylinear(num_hiddens, num_outputs):
    got = lazy_mlp_structure(num_hiddens, num_outputs)
    assert got["sequential"], f"lazy_mlp returned {got['type']}"
    kinds = got["kinds"]
    with diagnose(relu_missing=lambda: kinds == ["LazyLinear", "LazyLinear"]):
        assert len(kinds) == 3, (
            f"lazy_mlp's modules are {kinds}; expected LazyLinear, ReLU, LazyLinear"
        )
    with diagnose(plain_linear=lambda: "Linear" in (kinds[0], kinds[2])):
        assert got["lazy_linear"][0] and got["lazy_linear"][2], (
            f"lazy_mlp's modules are {kinds}: both linear layers must be nn.LazyLinear, "
            "which need no input size"
        )
    assert got["relu"][1], (
        f"lazy_mlp's modules are {kinds}: put an nn.ReLU() between the two layers"
    )
    sizes_ = (got["out_features"][0], got["out_features"][2])
    with diagnose(sizes_hardcoded=lambda: sizes_ == (256, 10)):
        assert sizes_ == (num_hiddens, num_outputs), (
            f"lazy_mlp({num_hiddens}, {num_outputs}) has layers of {sizes_[0]} and "
            f"{sizes_[1]} outputs: use the arguments num_hiddens and num_outputs"
        )


@probe
def lazy_mlp_parameters(lazy, num_hiddens, num_outputs):
    return parameter_facts(lazy.lazy_mlp(num_hiddens, num_outputs))


@pytest.mark.points(2)
@given(num_hiddens=sizes(1, 64), num_outputs=sizes(1, 16))
def test_lazy_mlp_parameters_start_uninitialised(num_hiddens, num_outputs):
    params = lazy_mlp_parameters(num_hiddens, num_outputs)
    assert len(params) == 4, (
        f"lazy_mlp has parameters {sorted(params)}; expected two weights and two biases"
    )
    eager = [name for name, p in params.items() if not (p["lazy"] and p["uninitialized"])]
    shaped = [name for name in eager if params[name]["shape"] is not None]
    with diagnose(plain_linear=lambda: shaped and shaped == eager):
        assert not eager, (
            f"{eager} already have shapes before any forward pass: build the layers with "
            "nn.LazyLinear(num_outputs), which leaves the input size open"
        )


@probe
def lazy_mlp_defaults(lazy, X):
    net = lazy.lazy_mlp()
    kinds = [type(m).__name__ for m in net._modules.values()]
    Y = net(X)
    return {
        "Y_shape": tuple(Y.shape),
        "kinds": kinds,
        "weights": (tuple(net[0].weight.shape), tuple(net[2].weight.shape))
        if len(kinds) > 2
        else None,
    }


@pytest.mark.points(1)
def test_lazy_mlp_defaults_match_the_book():
    got = lazy_mlp_defaults(torch.rand(2, 20))
    with diagnose(relu_missing=lambda: got["kinds"] == ["LazyLinear", "LazyLinear"]):
        assert got["Y_shape"] == (2, 10)
        assert got["weights"] is not None, (
            f"lazy_mlp()'s modules are {got['kinds']}: there is no net[2]"
        )
        assert got["weights"] == ((256, 20), (10, 256)), (
            "lazy_mlp() should default to num_hiddens=256 and num_outputs=10"
        )


@probe
def lazy_mlp_first_forward(lazy, num_hiddens, num_outputs, X):
    net = lazy.lazy_mlp(num_hiddens, num_outputs)
    Y = net(X)
    params = {
        name: p.detach().clone()
        for name, p in net.named_parameters()
        if not nn.parameter.is_lazy(p)
    }
    return {"Y": Y.detach(), "lazy": lazy_names(net), "shapes": shapes_of(net), "params": params}


@pytest.mark.points(3)
@given(data=st.data(), num_inputs=sizes(1, 16), num_hiddens=sizes(1, 32), num_outputs=sizes(1, 8))
def test_first_forward_pass_infers_every_shape(data, num_inputs, num_hiddens, num_outputs):
    X = data.draw(tensors(batch_shapes(num_inputs)), label="X")
    got = lazy_mlp_first_forward(num_hiddens, num_outputs, X)
    Y, shapes = got["Y"], got["shapes"]
    expected = {
        "0.weight": (num_hiddens, num_inputs),
        "0.bias": (num_hiddens,),
        "2.weight": (num_outputs, num_hiddens),
        "2.bias": (num_outputs,),
    }
    without_relu = {
        "0.weight": (num_hiddens, num_inputs),
        "0.bias": (num_hiddens,),
        "1.weight": (num_outputs, num_hiddens),
        "1.bias": (num_outputs,),
    }
    with diagnose(
        sizes_hardcoded=lambda: (
            shapes["0.weight"] == (256, num_inputs) and shapes["2.weight"] == (10, 256)
        ),
        relu_missing=lambda: shapes == without_relu,
    ):
        assert Y.shape == (*X.shape[:-1], num_outputs), (
            f"input {tuple(X.shape)} gave output {tuple(Y.shape)}; expected "
            f"{(*X.shape[:-1], num_outputs)}"
        )
        assert not got["lazy"], f"{got['lazy']} are still lazy after a forward pass"
        assert shapes == expected, (
            f"after a forward pass the shapes are {shapes}; expected {expected}"
        )
    p = got["params"]
    W1, b1, W2, b2 = p["0.weight"], p["0.bias"], p["2.weight"], p["2.bias"]
    H = relu(linear(X, W1, b1))
    want = linear(H, W2, b2)
    # The same float operations as the net's: any difference is rounding at most.
    big_w = max(float(W1.abs().max()), float(W2.abs().max()), 1.0)
    atol = (tolerance(X, num_inputs) * num_hiddens + tolerance(H, num_hiddens)) * big_w
    err = float((Y - want).abs().max()) if want.numel() else 0.0
    assert err <= atol, (
        f"the output is off by {err:.3g} from LazyLinear -> ReLU -> LazyLinear of the input"
    )


# ---------------------------------------------------------------- materialize


@probe
def materialize_returns(lazy, num_inputs, num_hiddens, num_outputs):
    net = book_lazy_mlp(num_hiddens, num_outputs)
    out = lazy.materialize(net, num_inputs)
    return {
        "same": out is net,
        "type": type(out).__name__,
        "came_back": came_back(out, net),
        "net_lazy": lazy_names(net),
    }


@pytest.mark.points(2)
@given(num_inputs=sizes(1, 16), num_hiddens=sizes(1, 32), num_outputs=sizes(1, 8))
def test_materialize_returns_the_same_net(num_inputs, num_hiddens, num_outputs):
    got = materialize_returns(num_inputs, num_hiddens, num_outputs)
    with diagnose(
        returns_a_copy=lambda: got["came_back"] == "module" and bool(got["net_lazy"]),
        returns_the_output=lambda: got["came_back"] == "tensor",
    ):
        assert got["same"], (
            f"materialize returned {got['type']}, not the net it was given: "
            "return net itself (not the output of the forward pass, not a copy)"
        )


@probe
def materialized_parameters(lazy, num_inputs, num_hiddens, num_outputs):
    net = book_lazy_mlp(num_hiddens, num_outputs)
    log = ForwardLog(net)  # the net's own calls (not its layers')
    out = lazy.materialize(net, num_inputs)
    return {
        "lazy": lazy_names(net),
        "shapes": shapes_of(net),
        "came_back": came_back(out, net),
        "net_calls": len(log.calls),
    }


@pytest.mark.points(3)
@given(num_inputs=sizes(1, 16), num_hiddens=sizes(1, 32), num_outputs=sizes(1, 8))
def test_materialize_gives_every_weight_its_shape(num_inputs, num_hiddens, num_outputs):
    got = materialized_parameters(num_inputs, num_hiddens, num_outputs)
    still_lazy = got["lazy"]
    with diagnose(
        returns_a_copy=lambda: got["came_back"] == "module" and "0.weight" in still_lazy,
        only_first_layer_run=lambda: (
            got["net_calls"] == 0 and "0.weight" not in still_lazy and "2.weight" in still_lazy
        ),
    ):
        assert not still_lazy, (
            f"{still_lazy} are still lazy after materialize: run net on the dummy batch"
        )
    shapes = got["shapes"]
    with diagnose(
        batch_transposed=lambda: num_inputs != 1 and shapes["0.weight"] == (num_hiddens, 1)
    ):
        assert shapes["0.weight"] == (num_hiddens, num_inputs), (
            f"materialize(net, {num_inputs}) gave the first weight the shape "
            f"{shapes['0.weight']}; expected {(num_hiddens, num_inputs)}: the dummy batch "
            f"must have shape (1, num_inputs)"
        )
    assert shapes["2.weight"] == (num_outputs, num_hiddens)
    assert shapes["0.bias"] == (num_hiddens,) and shapes["2.bias"] == (num_outputs,)


@probe
def materialize_forward_calls(lazy, num_inputs, num_hiddens):
    net = book_lazy_mlp(num_hiddens, 3)
    log = ForwardLog(net[0])
    out = lazy.materialize(net, num_inputs)
    return {
        "calls": log.calls,
        "came_back": came_back(out, net),
        "with_grad": [name for name, p in net.named_parameters() if p.grad is not None],
    }


@pytest.mark.points(3)
@given(num_inputs=sizes(2, 16), num_hiddens=sizes(1, 16))
def test_materialize_runs_one_forward_on_one_example_without_grad(num_inputs, num_hiddens):
    got = materialize_forward_calls(num_inputs, num_hiddens)
    calls, with_grad = got["calls"], got["with_grad"]
    with diagnose(
        two_forward_passes=lambda: len(calls) > 1,
        returns_a_copy=lambda: not calls and got["came_back"] == "module",
    ):
        assert len(calls) == 1, (
            f"materialize ran {len(calls)} forward passes; it should run exactly one"
        )
    grad_enabled, shape = calls[0]
    with diagnose(
        batch_transposed=lambda: shape == (num_inputs, 1),
        batch_is_a_vector=lambda: shape == (num_inputs,),
        batch_of_two=lambda: shape == (2, num_inputs),
    ):
        assert shape == (1, num_inputs), (
            f"the dummy batch had shape {shape}; expected (1, num_inputs) = {(1, num_inputs)}: "
            "one example with num_inputs features"
        )
    with diagnose(
        backward_in_materialize=lambda: grad_enabled and bool(with_grad),
        graph_recorded=lambda: grad_enabled and not with_grad,
    ):
        assert not grad_enabled, (
            "the forward pass recorded a computational graph: run it inside `with torch.no_grad():`"
        )


@probe
def materialize_leftovers(lazy, num_inputs):
    net = book_lazy_mlp(8, 2)
    lazy.materialize(net, num_inputs)
    return {
        "with_grad": [name for name, p in net.named_parameters() if p.grad is not None],
        "grad_enabled": torch.is_grad_enabled(),
    }


@pytest.mark.points(1)
@given(num_inputs=sizes(1, 16))
def test_materialize_leaves_no_grad_and_autograd_on(num_inputs):
    got = materialize_leftovers(num_inputs)
    with_grad = got["with_grad"]
    with diagnose(backward_in_materialize=lambda: bool(with_grad)):
        assert not with_grad, f"materialize left a .grad on {with_grad}: run no backward pass"
    with diagnose(grad_switched_off_for_good=lambda: not got["grad_enabled"]):
        assert got["grad_enabled"], (
            "materialize turned gradient recording off for good: use `with torch.no_grad():`, "
            "which switches it back on when the block ends"
        )


@probe
def train_after_materialize(lazy, num_inputs, X):
    net = book_lazy_mlp(8, 2)
    lazy.materialize(net, num_inputs)
    shaped = [p for p in net.parameters() if not nn.parameter.is_lazy(p)]
    facts = {
        "first_weight": None if lazy_names(net) else tuple(net[0].weight.shape),
        "grad_enabled": torch.is_grad_enabled(),
        "inference": any(p.is_inference() for p in shaped),
    }
    try:
        net(X).square().sum().backward()
    except RuntimeError as exc:
        return {"error": str(exc), "missing": None, **facts}
    return {
        "error": None,
        "missing": [name for name, p in net.named_parameters() if p.grad is None],
        **facts,
    }


@pytest.mark.points(2)
@given(num_inputs=sizes(1, 16), batch=sizes(1, 4))
def test_materialized_net_can_be_trained(num_inputs, batch):
    got = train_after_materialize(num_inputs, torch.randn(batch, num_inputs))
    with diagnose(
        batch_transposed=lambda: num_inputs != 1 and got["first_weight"] == (8, 1),
        grad_switched_off_for_good=lambda: not got["grad_enabled"],
        inference_mode=lambda: got["inference"],
    ):
        assert got["error"] is None, (
            f"the materialized net cannot be trained ({got['error']}): run the dummy pass "
            "inside `with torch.no_grad():` (not torch.inference_mode(), whose tensors can "
            "never be trained, and not a torch.set_grad_enabled(False) that stays switched off)"
        )
        missing = got["missing"]
        assert not missing, f"{missing} got no gradient from a backward pass after materialize"


@probe
def materialize_other_net(lazy, num_inputs, num_hiddens, num_outputs, X):
    net = nn.Sequential(nn.LazyLinear(num_hiddens), nn.Linear(num_hiddens, num_outputs))
    out = lazy.materialize(net, num_inputs)
    same = out is net
    still_lazy = lazy_names(net)
    first = None if still_lazy else tuple(net[0].weight.shape)
    # The net runs on a batch of its own only once its shapes are right (as the checks
    # before say), so that a wrong shape reads as that check, not as a crash.
    ready = same and not still_lazy and first == (num_hiddens, num_inputs)
    return {
        "same": same,
        "came_back": came_back(out, net),
        "lazy": still_lazy,
        "first_weight": first,
        "Y_shape": tuple(net(X).shape) if ready else None,
    }


@probe
def materialize_one_layer(lazy, num_inputs, num_outputs):
    layer = nn.LazyLinear(num_outputs)
    materialize = lazy.materialize
    try:
        out = materialize(layer, num_inputs)
    except Exception as exc:
        # A failure the traceback explains: the layer's forward was called directly.
        if not called_forward_directly(exc, materialize):
            raise
        return {"error": f"{type(exc).__name__}: {exc}", "forward_directly": True}
    return {
        "error": None,
        "forward_directly": False,
        "same": out is layer,
        "came_back": came_back(out, layer),
        "shape": None if lazy_names(layer) else tuple(layer.weight.shape),
    }


@pytest.mark.points(2)
@given(num_inputs=sizes(1, 16), num_hiddens=sizes(1, 16), num_outputs=sizes(1, 8))
def test_materialize_works_on_other_lazy_nets(num_inputs, num_hiddens, num_outputs):
    got = materialize_other_net(num_inputs, num_hiddens, num_outputs, torch.zeros(2, num_inputs))
    with diagnose(
        returns_a_copy=lambda: got["came_back"] == "module" and bool(got["lazy"]),
        returns_the_output=lambda: got["came_back"] == "tensor",
    ):
        assert got["same"], f"materialize returned a {got['came_back']}, not the net it was given"
    assert not got["lazy"], f"{got['lazy']} are still lazy after materialize"
    with diagnose(
        batch_transposed=lambda: num_inputs != 1 and got["first_weight"] == (num_hiddens, 1)
    ):
        assert got["first_weight"] == (num_hiddens, num_inputs), (
            f"the first weight has shape {got['first_weight']}; expected "
            f"{(num_hiddens, num_inputs)}"
        )
    assert got["Y_shape"] == (2, num_outputs)

    got = materialize_one_layer(num_inputs, num_outputs)
    with diagnose(forward_called_directly=lambda: got["forward_directly"]):
        assert got["error"] is None, f"materialize failed on a single nn.LazyLinear: {got['error']}"
    assert got["same"]
    assert got["shape"] == (num_outputs, num_inputs), (
        "materialize should work on a single lazy layer too: run it on the dummy batch"
    )


@probe
def materialize_float64(lazy, num_inputs, num_hiddens, num_outputs, X):
    materialize = lazy.materialize
    control = float32_control(materialize)
    net = book_lazy_mlp(num_hiddens, num_outputs).to(torch.float64)
    log = ForwardLog(net)
    error = None
    try:
        same = materialize(net, num_inputs) is net
    except Exception as exc:
        # A failure the data explain (the dummy batch was not float64) is data; any
        # other is the learner's to see as it is.
        if all(dtype == torch.float64 for dtype in log.dtypes):
            raise
        same, error = False, f"{type(exc).__name__}: {exc}"
    facts = parameter_facts(net)
    ready = same and all(not f["lazy"] and f["dtype"] == torch.float64 for f in facts.values())
    # As above: the net runs on a float64 batch only once the checks before hold.
    return {
        "same": same,
        "error": error,
        "batch_dtypes": log.dtypes,
        "control": control,
        "params": facts,
        "Y_dtype": net(X).dtype if ready else None,
    }


def right_but_for_the_dtype(control, batch_dtypes):
    """Whether materialize did everything right on a float32 net (one pass of a (1, 3)
    batch without grad, the net returned, nothing lazy, no .grad, no inference tensors,
    autograd on afterwards), and on the float64 net fed one float32 batch."""
    return (
        control is not None
        and control["came_back"] == "net"
        and [(bool(g), tuple(shape)) for g, shape in control["calls"]] == [(False, (1, 3))]
        and not control["lazy"]
        and not control["with_grad"]
        and not control["inference"]
        and control["grad_enabled"]
        and list(batch_dtypes) == [torch.float32]
    )


@pytest.mark.points(1)
@given(num_inputs=sizes(1, 8), num_hiddens=sizes(1, 8), num_outputs=sizes(1, 4))
def test_materialize_follows_the_dtype_of_the_net(num_inputs, num_hiddens, num_outputs):
    X = torch.zeros(2, num_inputs, dtype=torch.float64)
    got = materialize_float64(num_inputs, num_hiddens, num_outputs, X)
    with diagnose(
        batch_in_default_dtype=lambda: right_but_for_the_dtype(got["control"], got["batch_dtypes"])
    ):
        assert got["error"] is None, (
            f"materialize failed on a lazy net moved to float64 ({got['error']}): its dummy "
            f"batch was {got['batch_dtypes']}"
        )
        assert got["same"]
        still_lazy = [name for name, f in got["params"].items() if f["lazy"]]
        assert not still_lazy, f"{still_lazy} are still lazy after materialize"
        wrong = {
            name: f["dtype"] for name, f in got["params"].items() if f["dtype"] != torch.float64
        }
        assert not wrong, (
            f"a lazy net moved to float64 came out with {wrong}: make the dummy batch with the "
            "dtype (and device) of the net's parameters"
        )
        assert got["Y_dtype"] == torch.float64


@probe
def materialize_without_parameters(lazy, num_inputs):
    net = nn.Sequential(nn.ReLU())
    out = lazy.materialize(net, num_inputs)
    return {"same": out is net, "came_back": came_back(out, net)}


@pytest.mark.points(1)
def test_materialize_accepts_a_net_without_parameters():
    with diagnose(
        first_parameter_without_default=raised(StopIteration),
        returns_the_output=lambda: got["came_back"] == "tensor",
    ):
        got = materialize_without_parameters(3)
        assert got["same"], (
            "a net without parameters has nothing to infer: run the dummy batch of the default "
            "dtype through it and return it (next(net.parameters(), None) is None here)"
        )


@probe
def materialize_on_cuda(lazy, num_inputs, num_hiddens, num_outputs):
    net = book_lazy_mlp(num_hiddens, num_outputs).to("cuda")
    same = lazy.materialize(net, num_inputs) is net
    return {"same": same, "params": parameter_facts(net)}


@pytest.mark.cuda
@pytest.mark.points(0)
def test_cuda_materialize_on_the_gpu():
    got = materialize_on_cuda(5, 6, 2)
    assert got["same"]
    assert all(f["device"].startswith("cuda") for f in got["params"].values()), (
        "a lazy net moved to the GPU must be materialized there: put the dummy batch on the "
        "device of the net's parameters"
    )
