"""Tests for exercise 7, devices (devices.py).

There is no GPU on most machines that run these tests: GPU discovery is checked
against simulated device counts (``torch.cuda.device_count`` and
``torch.cuda.is_available`` patched together), and moving things is checked on the
``meta`` device, which every build of torch has.
"""

from collections import OrderedDict, namedtuple

import pytest
import torch
from hypothesis import given
from hypothesis import strategies as st
from torch import nn

from grader.strategies import texts
from grader.testing import impl

devices = impl("devices")

Pair = namedtuple("Pair", ["first", "second"])
META = torch.device("meta")


def simulate_gpus(mp: pytest.MonkeyPatch, n: int) -> None:
    mp.setattr(torch.cuda, "device_count", lambda: n)
    mp.setattr(torch.cuda, "is_available", lambda: n > 0)


gpu_counts = st.integers(0, 8)

# ---------------------------------------------------------------- discovery


@pytest.mark.points(1)
@given(n=gpu_counts)
def test_num_gpus_counts_cuda_devices(n):
    with pytest.MonkeyPatch.context() as mp:
        simulate_gpus(mp, n)
        found = devices.num_gpus()
    assert type(found) is int, f"num_gpus() returned {found!r} ({type(found).__name__}), not an int"
    assert found == n, f"with {n} GPUs, num_gpus() returned {found}"


@pytest.mark.points(2)
@given(n=gpu_counts, i=st.integers(0, 9))
def test_try_gpu_returns_gpu_i_when_it_exists(n, i):
    with pytest.MonkeyPatch.context() as mp:
        simulate_gpus(mp, n)
        found = devices.try_gpu(i)
    assert isinstance(found, torch.device), (
        f"try_gpu({i}) returned {found!r} ({type(found).__name__}); return a torch.device, "
        "not a string"
    )
    expected = torch.device(f"cuda:{i}") if i < n else torch.device("cpu")
    assert found == expected, f"with {n} GPUs, try_gpu({i}) should be {expected}, got {found}"


@pytest.mark.points(1)
@given(n=gpu_counts)
def test_try_gpu_defaults_to_the_first_gpu(n):
    with pytest.MonkeyPatch.context() as mp:
        simulate_gpus(mp, n)
        found = devices.try_gpu()
    assert found == (torch.device("cuda:0") if n else torch.device("cpu"))
    assert isinstance(found, torch.device)


@pytest.mark.points(2)
@given(n=gpu_counts)
def test_try_all_gpus_lists_every_gpu_or_the_cpu(n):
    with pytest.MonkeyPatch.context() as mp:
        simulate_gpus(mp, n)
        found = devices.try_all_gpus()
    assert isinstance(found, list), f"try_all_gpus() returned a {type(found).__name__}, not a list"
    assert all(isinstance(d, torch.device) for d in found), (
        f"try_all_gpus() returned {found!r}: every entry must be a torch.device, not a string"
    )
    expected = [torch.device(f"cuda:{k}") for k in range(n)] or [torch.device("cpu")]
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
    """``after`` mirrors ``before`` exactly, with every tensor on the meta device."""
    assert type(after) is type(before), (
        f"{path}: a {type(before).__name__} came back as a {type(after).__name__}; "
        "rebuild each container with its own type (type(obj)(...))"
    )
    if isinstance(before, torch.Tensor):
        assert after.device == META, f"{path}: a tensor stayed on {after.device}"
        assert after.shape == before.shape and after.dtype == before.dtype
    elif isinstance(before, dict):
        assert list(after) == list(before), f"{path}: keys or their order changed"
        for key in before:
            assert_moved(before[key], after[key], f"{path}[{key!r}]")
    elif isinstance(before, (list, tuple)):
        assert len(after) == len(before), f"{path}: length changed"
        for k, (b, a) in enumerate(zip(before, after, strict=True)):
            assert_moved(b, a, f"{path}[{k}]")
    else:
        assert after == before, f"{path}: {before!r} should come back unchanged, got {after!r}"


@pytest.mark.points(1)
@given(tensor=tensor_leaves, as_string=st.booleans())
def test_to_device_moves_a_tensor(tensor, as_string):
    moved = devices.to_device(tensor, "meta" if as_string else META)
    assert isinstance(moved, torch.Tensor)
    assert moved.device == META, f"the tensor stayed on {moved.device}"
    assert moved.shape == tensor.shape and moved.dtype == tensor.dtype


@pytest.mark.points(3)
@given(obj=structures)
def test_to_device_moves_nested_structures_keeping_their_types(obj):
    assert_moved(obj, devices.to_device(obj, META))


@pytest.mark.points(1)
def test_to_device_keeps_named_tuples():
    pair = Pair(torch.ones(2), [torch.zeros(1), "label"])
    moved = devices.to_device(pair, "meta")
    assert type(moved) is Pair, f"a named tuple came back as {type(moved).__name__}"
    assert moved.first.device == META and moved.second[0].device == META
    assert moved.second[1] == "label"


@pytest.mark.points(1)
@given(value=plain_leaves)
def test_to_device_returns_other_values_unchanged(value):
    assert_moved(value, devices.to_device([value], META)[0])
    moved = devices.to_device(value, META)
    assert moved == value and type(moved) is type(value)


class WithState(nn.Module):
    def __init__(self):
        super().__init__()
        self.net = nn.Sequential(nn.Linear(4, 3), nn.BatchNorm1d(3))
        self.register_buffer("scale", torch.ones(3))

    def forward(self, X):
        return self.net(X) * self.scale


@pytest.mark.points(2)
def test_to_device_moves_a_module_with_its_parameters_and_buffers():
    net = WithState()
    moved = devices.to_device(net, META)
    assert moved is net, "to_device should move the module itself (module.to) and return it"
    for name, tensor in [*net.named_parameters(), *net.named_buffers()]:
        assert tensor.device == META, f"{name} stayed on {tensor.device}"
    assert net(torch.zeros(2, 4, device=META)).device == META


@pytest.mark.points(1)
def test_to_device_moves_modules_inside_containers():
    net = nn.Linear(2, 2)
    batch = {"model": net, "inputs": [torch.zeros(3, 2)], "step": 7}
    moved = devices.to_device(batch, META)
    assert moved["model"] is net and net.weight.device == META
    assert moved["inputs"][0].device == META and moved["step"] == 7


# ---------------------------------------------------------------- a real GPU
# Points 0: a grade must not depend on whether the grading machine has a GPU.


@pytest.mark.cuda
@pytest.mark.points(0)
def test_cuda_round_trip():
    gpu = devices.try_gpu()
    assert gpu.type == "cuda"
    batch = {"x": torch.arange(6.0).reshape(2, 3), "net": nn.Linear(3, 1)}
    on_gpu = devices.to_device(batch, gpu)
    assert on_gpu["x"].device.type == "cuda" and on_gpu["net"].weight.device.type == "cuda"
    back = devices.to_device(on_gpu, "cpu")
    assert torch.equal(back["x"], batch["x"].cpu())


@pytest.mark.cuda
@pytest.mark.points(0)
def test_cuda_try_all_gpus_lists_every_real_device():
    n = torch.cuda.device_count()
    assert devices.num_gpus() == n
    found = devices.try_all_gpus()
    assert found == [torch.device(f"cuda:{i}") for i in range(n)], found
    for device in found:  # each one is a device torch can use
        assert torch.ones(1, device=device).device == device
    assert devices.try_gpu(n) == torch.device("cpu"), "try_gpu(i) past the last GPU is the CPU"


@pytest.mark.cuda
@pytest.mark.points(0)
def test_cuda_to_device_moves_nested_containers_and_modules():
    gpu = devices.try_gpu()
    net = nn.Linear(3, 2)
    batch = {
        "inputs": [torch.ones(2, 3), (torch.zeros(1), Pair(torch.ones(1), 5))],
        "net": net,
        "name": "batch 1",
    }
    moved = devices.to_device(batch, gpu)
    inputs = moved["inputs"]
    assert isinstance(inputs, list) and isinstance(inputs[1], tuple)
    assert isinstance(inputs[1][1], Pair) and inputs[1][1].second == 5
    assert inputs[0].device.type == "cuda" and inputs[1][0].device.type == "cuda"
    assert inputs[1][1].first.device.type == "cuda"
    assert moved["net"] is net and net.weight.device.type == "cuda", "a module moves in place"
    assert moved["name"] == "batch 1"
