"""Tests for exercise 7, devices (devices.py).

There is no GPU on most machines that run these tests: GPU discovery is checked
against simulated device counts (``torch.cuda.device_count`` and
``torch.cuda.is_available`` patched together), and moving things is checked on the
``meta`` device, which every build of torch has.

Each check is a probe and a verdict (grader/probing.py): a function marked
``@probe`` runs your code and returns plain data; the test that calls it decides,
from that data alone, whether your code is right.
"""

import contextlib
from collections import OrderedDict, namedtuple
from unittest import mock

import pytest
import torch
from hypothesis import given
from hypothesis import strategies as st
from torch import nn

from grader.diagnoses import diagnose, raised
from grader.plain import key_data
from grader.probing import probes
from grader.strategies import texts

probe = probes("devices")

META = torch.device("meta")


@probe.helper
class Pair(namedtuple("Pair", ["first", "second"])):
    """A named tuple of two fields."""

    __slots__ = ()


@probe.helper
@contextlib.contextmanager
def simulated_gpus(n):
    """torch.cuda.device_count and torch.cuda.is_available patched together: ``n`` GPUs."""
    with (
        mock.patch.object(torch.cuda, "device_count", lambda: n),
        mock.patch.object(torch.cuda, "is_available", lambda: n > 0),
    ):
        yield


@probe.helper
def device_data(found):
    """What try_gpu returned, as data: its type's name, its repr, and the device's name
    when it is a torch.device."""
    is_device = isinstance(found, torch.device)
    return {
        "type": type(found).__name__,
        "repr": f"{found!r:.200}",
        "device": str(found) if is_device else None,
    }


@probe.helper
def as_data(obj):
    """An object as data, as a pair (its type's name, its body): a tensor's body is its
    dtype, shape and device (a tensor on the meta device has no values); a list's or a
    tuple's (named ones too) its items; a dict's its [key, item] pairs, in order; None,
    a bool, an int, a float or a str is itself; anything else is its repr."""
    kind = type(obj).__name__
    if isinstance(obj, torch.Tensor):
        return (
            kind,
            {"dtype": str(obj.dtype), "shape": list(obj.shape), "device": str(obj.device)},
        )
    if isinstance(obj, (list, tuple)):
        return (kind, [as_data(x) for x in obj])
    if isinstance(obj, dict):
        return (kind, [[key_data(k), as_data(v)] for k, v in obj.items()])
    if obj is None or type(obj) in (bool, int, float, str):
        return (kind, obj)
    return (kind, f"{obj!r:.200}")


@probe.helper
def build(data):
    """The object :func:`as_data` described: zero tensors, lists, tuples, Pairs, dicts,
    OrderedDicts and plain values."""
    kind, body = data
    if kind == "Tensor":
        return torch.zeros(body["shape"], dtype=getattr(torch, body["dtype"][len("torch.") :]))
    if kind in ("dict", "OrderedDict"):
        items = [(k, build(v)) for k, v in body]
        return dict(items) if kind == "dict" else OrderedDict(items)
    if kind in ("list", "tuple", "Pair"):
        items = [build(x) for x in body]
        return {"list": list, "tuple": tuple, "Pair": lambda xs: Pair(*xs)}[kind](items)
    return body


gpu_counts = st.integers(0, 8)

# ---------------------------------------------------------------- discovery


@probe
def num_gpus_with(devices, n):
    with simulated_gpus(n):
        found = devices.num_gpus()
    return {
        "type": type(found).__name__,
        "repr": f"{found!r:.200}",
        "value": found if type(found) is int else None,
    }


@pytest.mark.points(1)
@given(n=gpu_counts)
def test_num_gpus_counts_cuda_devices(n):
    got = num_gpus_with(n)
    with diagnose(num_gpus_is_available=lambda: got["type"] == "bool"):
        assert got["type"] == "int", (
            f"num_gpus() returned {got['repr']} ({got['type']}), not an int"
        )
    with diagnose(num_gpus_counts_the_cpu=lambda: n == 0 and got["value"] == 1):
        assert got["value"] == n, f"with {n} GPUs, num_gpus() returned {got['value']}"


@probe
def try_gpu_with(devices, n, i=None):
    """try_gpu(i) (try_gpu() when i is None) with n simulated GPUs, as data; and, under
    "table", the device try_gpu(k) names for every k from 0 to 9 (None where it gives
    no torch.device)."""
    with simulated_gpus(n):
        found = devices.try_gpu() if i is None else devices.try_gpu(i)
        table = []
        for k in range(10):
            try:
                table.append(device_data(devices.try_gpu(k))["device"])
            except Exception:
                table.append(None)
    return {**device_data(found), "table": table}


def gpus_up_to(last):
    """try_gpu(k) for k = 0 … 9, as device names, when it offers cuda:k for k < last."""
    return [f"cuda:{k}" if k < last else "cpu" for k in range(10)]


@pytest.mark.points(2)
@given(n=gpu_counts, i=st.integers(0, 9))
def test_try_gpu_returns_gpu_i_when_it_exists(n, i):
    got = try_gpu_with(n, i)
    with diagnose(strings_not_devices=lambda: got["type"] == "str"):
        assert got["device"] is not None, (
            f"try_gpu({i}) returned {got['repr']} ({got['type']}); "
            "return a torch.device, not a string"
        )
    found = torch.device(got["device"])
    expected = torch.device(f"cuda:{i}") if i < n else torch.device("cpu")
    table = got["table"]
    with diagnose(
        claims_one_too_many=lambda: table == gpus_up_to(n + 1),
        never_the_last_gpu=lambda: n > 0 and table == gpus_up_to(n - 1),
        ignores_the_index=lambda: n > 0 and table == gpus_up_to(10),
    ):
        assert found == expected, f"with {n} GPUs, try_gpu({i}) should be {expected}, got {found}"


@pytest.mark.points(1)
@given(n=gpu_counts)
def test_try_gpu_defaults_to_the_first_gpu(n):
    got = try_gpu_with(n)
    expected = torch.device("cuda:0") if n else torch.device("cpu")
    table = got["table"]
    with diagnose(
        strings_not_devices=lambda: got["type"] == "str",
        claims_one_too_many=lambda: table == gpus_up_to(n + 1),
        never_the_last_gpu=lambda: n > 0 and table == gpus_up_to(n - 1),
    ):
        assert got["device"] == str(expected), (
            f"with {n} GPUs, try_gpu() should be {expected}, got {got['repr']}"
        )


@probe
def try_all_gpus_with(devices, n):
    with simulated_gpus(n):
        found = devices.try_all_gpus()
    is_list = isinstance(found, list)
    return {
        "type": type(found).__name__,
        "repr": f"{found!r:.300}",
        "entries": [device_data(d) for d in found] if is_list else None,
    }


@pytest.mark.points(2)
@given(n=gpu_counts)
def test_try_all_gpus_lists_every_gpu_or_the_cpu(n):
    got = try_all_gpus_with(n)
    assert got["entries"] is not None, f"try_all_gpus() returned a {got['type']}, not a list"
    with diagnose(strings_not_devices=lambda: any(d["type"] == "str" for d in got["entries"])):
        assert all(d["device"] is not None for d in got["entries"]), (
            f"try_all_gpus() returned {got['repr']}: every entry must be a torch.device, "
            "not a string"
        )
    found = [torch.device(d["device"]) for d in got["entries"]]
    expected = [torch.device(f"cuda:{k}") for k in range(n)] or [torch.device("cpu")]
    with diagnose(no_cpu_fallback=lambda: n == 0 and found == []):
        assert found == expected, f"with {n} GPUs expected {expected}, got {found}"


# ---------------------------------------------------------------- moving things

dtypes = st.sampled_from([torch.float32, torch.float64, torch.int64, torch.bool])
shapes = st.lists(st.integers(0, 3), max_size=3).map(tuple)
tensor_leaves = st.builds(lambda shape, dtype: torch.zeros(shape, dtype=dtype), shapes, dtypes)
plain_leaves = st.one_of(st.none(), st.integers(-5, 5), texts(3), st.floats(allow_nan=False))
keys = st.one_of(texts(3), st.integers(0, 9))


def containers(children):
    lists = st.lists(children, max_size=3)
    return st.one_of(
        lists,
        lists.map(tuple),
        st.tuples(children, children).map(lambda pair: Pair(*pair)),
        st.dictionaries(keys, children, max_size=3),
        st.dictionaries(keys, children, max_size=3).map(OrderedDict),
    )


structures = st.recursive(st.one_of(tensor_leaves, plain_leaves), containers, max_leaves=12)


def assert_moved(before, after, path="obj"):
    """``after`` (as data) mirrors ``before`` exactly, with every tensor on the meta
    device."""
    kind, body = after
    assert kind == type(before).__name__, (
        f"{path}: a {type(before).__name__} came back as a {kind}; "
        "rebuild each container with its own type (type(obj)(...))"
    )
    if isinstance(before, torch.Tensor):
        assert body["device"] == str(META), f"{path}: a tensor stayed on {body['device']}"
        assert tuple(body["shape"]) == tuple(before.shape) and body["dtype"] == str(before.dtype)
    elif isinstance(before, dict):
        got_keys = [k for k, _ in body]
        assert got_keys == list(before), f"{path}: keys or their order changed"
        for (_, value), key in zip(body, before, strict=True):
            assert_moved(before[key], value, f"{path}[{key!r}]")
    elif isinstance(before, (list, tuple)):
        assert len(body) == len(before), f"{path}: length changed"
        for k, (b, a) in enumerate(zip(before, body, strict=True)):
            assert_moved(b, a, f"{path}[{k}]")
    else:
        shown = repr(body) if kind in ("NoneType", "bool", "int", "float", "str") else body
        assert body == before, f"{path}: {before!r} should come back unchanged, got {shown}"


GENERATOR = "<generator object"


def shown(data):
    """``data`` (what as_data gives) with every string that is the repr of a generator
    shown as "<generator>" (its address differs from run to run)."""
    kind, body = data
    if kind == "str" and isinstance(body, str) and body.startswith(GENERATOR):
        return ("str", "<generator>")
    if isinstance(body, list):
        return (kind, [[x[0], shown(x[1])] if isinstance(x, list) else shown(x) for x in body])
    return data


def moved_as(obj, mistake, depth=0):
    """What to_device(obj, META) gives, as data, when it makes ``mistake`` (a signature's
    name): the right result but for that one mistake."""

    def inner(x):
        return moved_as(x, mistake, depth + 1)

    if isinstance(obj, torch.Tensor):
        return ("Tensor", {"dtype": str(obj.dtype), "shape": list(obj.shape), "device": "meta"})
    if isinstance(obj, (list, tuple, dict)):
        if mistake == "not_recursive" and depth > 0:
            return as_data(obj)  # a nested container comes back as it was, tensors unmoved
        kind = type(obj).__name__
        if isinstance(obj, dict):
            if mistake == "ordered_dict_became_dict":
                kind = "dict"
            return (kind, [[key_data(k), inner(v)] for k, v in obj.items()])
        if isinstance(obj, tuple) and mistake == "tuples_became_lists":
            kind = "list"
        if hasattr(obj, "_fields") and mistake == "named_tuple_lost":
            kind = "tuple"
        return (kind, [inner(x) for x in obj])
    if mistake == "other_values_dropped":
        return ("NoneType", None)
    if mistake == "strings_recursed" and isinstance(obj, str):
        return ("str", "<generator>")  # str(a generator): the generator's repr
    return as_data(obj)


@probe
def moved(devices, obj, device):
    """``obj`` (as data) built and moved with to_device: the result, as data."""
    return as_data(devices.to_device(build(obj), device))


@pytest.mark.points(1)
@given(tensor=tensor_leaves, as_string=st.booleans())
def test_to_device_moves_a_tensor(tensor, as_string):
    kind, body = moved(as_data(tensor), "meta" if as_string else META)
    assert isinstance(body, dict), f"to_device returned a {kind}, not a tensor"
    assert body["device"] == str(META), f"the tensor stayed on {body['device']}"
    assert tuple(body["shape"]) == tuple(tensor.shape) and body["dtype"] == str(tensor.dtype)


@pytest.mark.points(3)
@given(obj=structures)
def test_to_device_moves_nested_structures_keeping_their_types(obj):
    with diagnose(named_tuple_from_one_iterable=raised(TypeError, "__new__() missing")):
        after = moved(as_data(obj), META)
    with diagnose(
        ordered_dict_became_dict=lambda: shown(after) == moved_as(obj, "ordered_dict_became_dict"),
        named_tuple_lost=lambda: shown(after) == moved_as(obj, "named_tuple_lost"),
        tuples_became_lists=lambda: shown(after) == moved_as(obj, "tuples_became_lists"),
        not_recursive=lambda: shown(after) == moved_as(obj, "not_recursive"),
        other_values_dropped=lambda: shown(after) == moved_as(obj, "other_values_dropped"),
        strings_recursed=lambda: shown(after) == moved_as(obj, "strings_recursed"),
    ):
        assert_moved(obj, after)


@pytest.mark.points(1)
def test_to_device_keeps_named_tuples():
    pair = Pair(torch.ones(2), [torch.zeros(1), "label"])
    with diagnose(named_tuple_from_one_iterable=raised(TypeError, "__new__() missing")):
        after = moved(as_data(pair), "meta")
    with diagnose(
        named_tuple_lost=lambda: shown(after) == moved_as(pair, "named_tuple_lost"),
        tuples_became_lists=lambda: shown(after) == moved_as(pair, "tuples_became_lists"),
        not_recursive=lambda: shown(after) == moved_as(pair, "not_recursive"),
        other_values_dropped=lambda: shown(after) == moved_as(pair, "other_values_dropped"),
        strings_recursed=lambda: shown(after) == moved_as(pair, "strings_recursed"),
    ):
        kind, body = after
        assert kind == "Pair", f"a named tuple came back as {kind}"
        first, second = body
        assert first[1]["device"] == str(META) and second[1][0][1]["device"] == str(META)
        assert second[1][1] == ("str", "label")


@probe
def other_value_moved(devices, value, device):
    """``value`` moved alone, and inside a list: both results, as data."""
    return {
        "in_list": as_data(devices.to_device([value], device)[0]),
        "alone": as_data(devices.to_device(value, device)),
    }


@pytest.mark.points(1)
@given(value=plain_leaves)
def test_to_device_returns_other_values_unchanged(value):
    got = other_value_moved(value, META)

    def both_are(mistake):
        """Whether the value came back, alone and in a list, as ``mistake`` gives it."""
        return shown(got["in_list"]) == shown(got["alone"]) == moved_as(value, mistake)

    with diagnose(
        other_values_dropped=lambda: both_are("other_values_dropped"),
        strings_recursed=lambda: both_are("strings_recursed"),
    ):
        assert_moved(value, got["in_list"], "to_device([value])[0]")
        kind, body = got["alone"]
        assert body == value and kind == type(value).__name__, (
            f"to_device(value): {value!r} should come back unchanged, got {body!r} ({kind})"
        )


@probe.helper
class WithState(nn.Module):
    def __init__(self):
        super().__init__()
        self.net = nn.Sequential(nn.Linear(4, 3), nn.BatchNorm1d(3))
        self.register_buffer("scale", torch.ones(3))

    def forward(self, X):
        return self.net(X) * self.scale


@probe
def module_moved(devices, device):
    """WithState moved with to_device: whether it came back itself (else the type of what
    did), where each of its parameters and buffers now is, and where its output is."""
    net = WithState()
    found = devices.to_device(net, device)
    try:
        output = str(net(torch.zeros(2, 4, device=device)).device)
    except RuntimeError as exc:  # a part of the net on another device
        output = f"an error: {exc!s:.200}"
    return {
        "same": found is net,
        "returned": type(found).__name__,
        "devices": [
            [name, str(t.device)] for name, t in [*net.named_parameters(), *net.named_buffers()]
        ],
        "output": output,
    }


@pytest.mark.points(2)
def test_to_device_moves_a_module_with_its_parameters_and_buffers():
    with diagnose(parameters_one_by_one=raised(RuntimeError, "set_data", "incompatible")):
        got = module_moved(META)
    with diagnose(module_copied=lambda: got["returned"] == "WithState"):
        assert got["same"], (
            f"to_device returned a {got['returned']}, not the module it was given: "
            "move the module itself (module.to) and return it"
        )
    with diagnose(module_not_moved=lambda: all(d == "cpu" for _, d in got["devices"])):
        for name, device in got["devices"]:
            assert device == str(META), f"{name} stayed on {device}"
    assert got["output"] == str(META), f"the moved module's output is on {got['output']}"


@probe
def module_in_container_moved(devices, device, inputs):
    net = nn.Linear(2, 2)
    batch = {"model": net, "inputs": inputs, "step": 7}
    found = devices.to_device(batch, device)
    return {
        "model_same": found["model"] is net,
        "model_returned": type(found["model"]).__name__,
        "weight": str(net.weight.device),
        "inputs": as_data(found["inputs"]),
        "step": as_data(found["step"]),
    }


@pytest.mark.points(1)
def test_to_device_moves_modules_inside_containers():
    inputs = [torch.zeros(3, 2)]
    with diagnose(parameters_one_by_one=raised(RuntimeError, "set_data", "incompatible")):
        got = module_in_container_moved(META, inputs)
    with diagnose(
        module_copied=lambda: not got["model_same"] and got["model_returned"] == "Linear",
        module_not_moved=lambda: got["model_same"] and got["weight"] == "cpu",
    ):
        assert got["model_same"] and got["weight"] == str(META), (
            f"batch['model'] came back as {'itself' if got['model_same'] else 'another object'}, "
            f"its weight on {got['weight']}: move the module itself and keep it in its place"
        )
    with diagnose(
        not_recursive=lambda: got["inputs"] == as_data(inputs),  # the nested tensor unmoved
        other_values_dropped=lambda: got["step"] == ("NoneType", None),
    ):
        assert got["inputs"][1][0][1]["device"] == str(META), (
            "the tensor in batch['inputs'] was not moved"
        )
        assert got["step"] == ("int", 7), f"batch['step'] came back as {got['step']}"


# ---------------------------------------------------------------- a real GPU
# Points 0: a grade must not depend on whether the grading machine has a GPU.


@probe
def cuda_round_trip(devices, x):
    gpu = devices.try_gpu()
    batch = {"x": x, "net": nn.Linear(3, 1)}
    on_gpu = devices.to_device(batch, gpu)
    back = devices.to_device(on_gpu, "cpu")
    return {
        "gpu": device_data(gpu),
        "x_on_gpu": str(on_gpu["x"].device),
        "net_on_gpu": str(on_gpu["net"].weight.device),
        "back_x": back["x"].detach().cpu(),
        "back_x_device": str(back["x"].device),
    }


@pytest.mark.cuda
@pytest.mark.points(0)
def test_cuda_round_trip():
    x = torch.arange(6.0).reshape(2, 3)
    got = cuda_round_trip(x)
    assert got["gpu"]["device"] is not None and got["gpu"]["device"].startswith("cuda")
    assert got["x_on_gpu"].startswith("cuda") and got["net_on_gpu"].startswith("cuda")
    assert got["back_x_device"] == "cpu" and torch.equal(got["back_x"], x)


@probe
def real_gpus(devices):
    n = torch.cuda.device_count()
    found = devices.try_all_gpus()
    return {
        "n": n,
        "type": type(found).__name__,
        "num_gpus": count if isinstance(count := devices.num_gpus(), int) else f"{count!r:.100}",
        "found": [device_data(d) for d in found],
        "usable": [str(torch.ones(1, device=d).device) for d in found],
        "past_the_last": device_data(devices.try_gpu(n)),
    }


@pytest.mark.cuda
@pytest.mark.points(0)
def test_cuda_try_all_gpus_lists_every_real_device():
    got = real_gpus()
    n = got["n"]
    assert got["num_gpus"] == n
    assert got["type"] == "list", f"try_all_gpus() returned a {got['type']}, not a list"
    found = [d["device"] for d in got["found"]]
    assert found == [f"cuda:{i}" for i in range(n)], found
    # each one is a device torch can use
    assert got["usable"] == found
    assert got["past_the_last"]["device"] == "cpu", "try_gpu(i) past the last GPU is the CPU"


@probe
def cuda_nested(devices):
    gpu = devices.try_gpu()
    net = nn.Linear(3, 2)
    batch = {
        "inputs": [torch.ones(2, 3), (torch.zeros(1), Pair(torch.ones(1), 5))],
        "net": net,
        "name": "batch 1",
    }
    found = devices.to_device(batch, gpu)
    return {
        "inputs": as_data(found["inputs"]),
        "net_same": found["net"] is net,
        "net_device": str(net.weight.device),
        "name": as_data(found["name"]),
    }


@pytest.mark.cuda
@pytest.mark.points(0)
def test_cuda_to_device_moves_nested_containers_and_modules():
    got = cuda_nested()
    kind, inputs = got["inputs"]
    assert kind == "list" and inputs[1][0] == "tuple"
    pair_kind, pair = inputs[1][1][1]
    assert pair_kind == "Pair" and pair[1] == ("int", 5)
    assert inputs[0][1]["device"].startswith("cuda")
    assert inputs[1][1][0][1]["device"].startswith("cuda")
    assert pair[0][1]["device"].startswith("cuda")
    assert got["net_same"] and got["net_device"].startswith("cuda"), "a module moves in place"
    assert got["name"] == ("str", "batch 1")
