"""Tests for exercise 6, reading and writing files (file_io.py)."""

import builtins
import pickle
from collections.abc import Mapping

import pytest
import torch
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from torch import nn

from grader.strategies import sizes, tensors, texts
from grader.testing import impl

file_io = impl("file_io")

# The Hypothesis examples of one test share its tmp_path: each writes its file anew.
shares_tmp_path = settings(
    suppress_health_check=[
        *settings.default.suppress_health_check,
        HealthCheck.function_scoped_fixture,
    ]
)


@pytest.fixture(autouse=True)
def torch_load_defaults(monkeypatch):
    """Neither of torch's switches for torch.load's default is set, unless a test sets it."""
    monkeypatch.delenv("TORCH_FORCE_WEIGHTS_ONLY_LOAD", raising=False)
    monkeypatch.delenv("TORCH_FORCE_NO_WEIGHTS_ONLY_LOAD", raising=False)


# ---------------------------------------------------------------- what is saved

DTYPES = (torch.float32, torch.float64, torch.int64, torch.bool)
# () is a 0-d tensor; a side of 0 makes an empty one.
shapes = st.lists(st.integers(0, 3), max_size=3).map(tuple)


@st.composite
def leaf_tensors(draw):
    dtype = draw(st.sampled_from(DTYPES), label="dtype")
    x = draw(tensors(shapes, torch.float64))
    if dtype == torch.bool:
        return x > 0
    return x.round().to(dtype) if dtype == torch.int64 else x.to(dtype)


keys = texts(4) | st.integers(-5, 5)


def containers_of(children):
    return (
        st.lists(children, max_size=3)
        | st.lists(children, max_size=3).map(tuple)
        | st.dictionaries(keys, children, max_size=3)
    )


nested = containers_of(st.recursive(leaf_tensors(), containers_of, max_leaves=6))


def assert_same(got, want, where="the loaded object"):
    """got is want, rebuilt: same container types, key order, dtypes, shapes, values."""
    if isinstance(want, torch.Tensor):
        assert isinstance(got, torch.Tensor), f"{where}: a tensor came back as {type(got).__name__}"
        assert got.dtype == want.dtype, f"{where}: a {want.dtype} tensor came back as {got.dtype}"
        assert got.shape == want.shape, (
            f"{where}: a tensor of shape {tuple(want.shape)} came back with shape "
            f"{tuple(got.shape)}"
        )
        assert torch.equal(got, want), f"{where}: the values changed"
        return
    assert type(got) is type(want), (
        f"{where}: a {type(want).__name__} came back as {type(got).__name__}: save the object "
        "as it is (torch.save keeps lists, tuples and dicts)"
    )
    if isinstance(want, dict):
        assert list(got) == list(want), (
            f"{where}: the keys came back as {list(got)}; expected {list(want)}, in that order"
        )
        for key in want:
            assert_same(got[key], want[key], f"{where}[{key!r}]")
    else:
        assert len(got) == len(want), f"{where}: {len(want)} items came back as {len(got)}"
        for i, (g, w) in enumerate(zip(got, want, strict=True)):
            assert_same(g, w, f"{where}[{i}]")


@pytest.mark.points(2)
@shares_tmp_path
@given(x=leaf_tensors())
def test_a_tensor_round_trips_exactly(tmp_path, x):
    path = tmp_path / "x.pt"
    file_io.save_tensors(x, path)
    assert_same(file_io.load_tensors(path), x)


@pytest.mark.points(3)
@shares_tmp_path
@given(obj=nested)
def test_nested_lists_tuples_and_dicts_round_trip_exactly(tmp_path, obj):
    path = tmp_path / "obj.pt"
    file_io.save_tensors(obj, path)
    assert_same(file_io.load_tensors(path), obj)


@pytest.mark.points(1)
def test_the_books_examples_round_trip(tmp_path):
    x, y = torch.arange(4), torch.zeros(4)
    for obj in (x, [x, y], {"x": x, "y": y}):
        file_io.save_tensors(obj, tmp_path / "x-file")
        assert_same(file_io.load_tensors(tmp_path / "x-file"), obj)


# ---------------------------------------------------------------- what is refused


class RunsCode:
    """Unpickling this runs code: it creates the file ``marker``."""

    def __init__(self, marker):
        self.marker = str(marker)

    def __reduce__(self):
        return builtins.exec, (f"open({self.marker!r}, 'w').close()",)


def write_malicious(path, marker, writer):
    obj = {"weight": torch.ones(2), "payload": RunsCode(marker)}
    if writer == "torch.save":
        torch.save(obj, path)
    else:  # a plain pickle file, as pickle.dump writes it
        with open(path, "wb") as f:
            pickle.dump(obj, f, protocol=2)


def assert_refused(load, path, marker, what):
    try:
        load(path)
    except NotImplementedError:
        raise
    except Exception:
        pass
    else:
        pytest.fail(
            f"{what} loaded a file that runs code when unpickled; load it with "
            "torch.load(..., weights_only=True), which refuses such a file",
            pytrace=False,
        )
    assert not marker.exists(), (
        f"{what} ran the code hidden in the file before failing: load with "
        "torch.load(..., weights_only=True), never pickle.load or weights_only=False"
    )


WRITERS = ["torch.save", "pickle.dump"]


@pytest.mark.points(3)
@pytest.mark.parametrize("writer", WRITERS)
def test_load_tensors_refuses_a_file_that_would_run_code(tmp_path, writer):
    file_io.save_tensors([torch.arange(3)], tmp_path / "good.pt")
    assert_same(file_io.load_tensors(tmp_path / "good.pt"), [torch.arange(3)])
    marker = tmp_path / "code-ran"
    write_malicious(tmp_path / "bad.pt", marker, writer)
    assert_refused(file_io.load_tensors, tmp_path / "bad.pt", marker, "load_tensors")


@pytest.mark.points(2)
def test_load_tensors_says_weights_only_itself(tmp_path, monkeypatch):
    # This variable turns torch.load's default to weights_only=False (it leaves an
    # explicit weights_only=True alone): relying on the default is not enough.
    monkeypatch.setenv("TORCH_FORCE_NO_WEIGHTS_ONLY_LOAD", "1")
    file_io.save_tensors((torch.ones(2),), tmp_path / "good.pt")
    assert_same(file_io.load_tensors(tmp_path / "good.pt"), (torch.ones(2),))
    marker = tmp_path / "code-ran"
    write_malicious(tmp_path / "bad.pt", marker, "torch.save")
    assert_refused(file_io.load_tensors, tmp_path / "bad.pt", marker, "load_tensors")


# ---------------------------------------------------------------- model parameters


class MLP(nn.Module):
    """The book's MLP for the clone example (20 -> 256 -> 10)."""

    def __init__(self):
        super().__init__()
        self.hidden = nn.Linear(20, 256)
        self.output = nn.Linear(256, 10)

    def forward(self, X):
        return self.output(torch.relu(self.hidden(X)))


def bn_net(num_inputs, num_hiddens, statistics=True):
    """A net with buffers: BatchNorm's running statistics, as if it had been trained."""
    net = nn.Sequential(
        nn.Linear(num_inputs, num_hiddens),
        nn.BatchNorm1d(num_hiddens),
        nn.ReLU(),
        nn.Linear(num_hiddens, 2),
    )
    if statistics:  # set by hand: a forward pass through BatchNorm is slow on small CPUs
        bn = net[1]
        bn.running_mean.normal_()
        bn.running_var.uniform_(0.5, 2.0)
        bn.num_batches_tracked.fill_(7)
    return net


def assert_same_state(got: Mapping, want: Mapping, what: str):
    assert set(got) == set(want) and len(got) == len(want), (
        f"{what} holds the keys {sorted(got)}; expected exactly those of state_dict(): "
        f"{sorted(want)}"
    )
    for key, value in want.items():
        assert got[key].dtype == value.dtype and torch.equal(got[key], value), (
            f"{what}: {key} differs from the model's"
        )


def read_state(path):
    try:
        return torch.load(path, map_location="cpu", weights_only=True)
    except Exception as exc:
        pytest.fail(
            f"torch.load(path, weights_only=True) cannot read what save_params wrote ({exc!s:.200}"
            "…): save model.state_dict(), not the model object",
            pytrace=False,
        )


@pytest.mark.points(3)
@shares_tmp_path
@given(num_inputs=sizes(1, 8), num_hiddens=sizes(1, 8))
def test_save_params_writes_the_state_dict_only(tmp_path, num_inputs, num_hiddens):
    net = bn_net(num_inputs, num_hiddens)
    path = tmp_path / "net.params"
    file_io.save_params(net, path)
    state = read_state(path)
    assert isinstance(state, Mapping), (
        f"save_params wrote a {type(state).__name__}; expected the state dict, a mapping"
    )
    assert_same_state(state, net.state_dict(), "the saved file")


@pytest.mark.points(3)
def test_load_params_clones_the_books_mlp(tmp_path):
    net = MLP()
    X = torch.randn(2, 20)
    Y = net(X)
    torch.save(net.state_dict(), tmp_path / "mlp.params")
    clone = MLP()
    loaded = file_io.load_params(clone, tmp_path / "mlp.params")
    assert loaded is clone, (
        f"load_params returned {type(loaded).__name__}, not the model it was given: "
        "load into that model and return it"
    )
    assert_same_state(clone.state_dict(), net.state_dict(), "the clone")
    assert torch.equal(clone(X), Y), "the clone computes a different output"


@pytest.mark.points(2)
@shares_tmp_path
@given(num_inputs=sizes(1, 8), num_hiddens=sizes(1, 8))
def test_save_then_load_params_keeps_buffers(tmp_path, num_inputs, num_hiddens):
    net = bn_net(num_inputs, num_hiddens)
    file_io.save_params(net, tmp_path / "net.params")
    clone = bn_net(num_inputs, num_hiddens, statistics=False)
    assert file_io.load_params(clone, tmp_path / "net.params") is clone
    assert_same_state(clone.state_dict(), net.state_dict(), "the loaded model")


def broken_state(kind):
    state = nn.Linear(3, 2).state_dict()
    if kind == "missing":
        del state["bias"]
    elif kind == "unexpected":
        state["scale"] = torch.ones(1)
    else:
        state["weight"] = torch.zeros(2, 4)
    return state


@pytest.mark.points(2)
@pytest.mark.parametrize("kind", ["missing", "unexpected", "misshaped"])
def test_load_params_is_strict(tmp_path, kind):
    torch.save(nn.Linear(3, 2).state_dict(), tmp_path / "good.params")
    file_io.load_params(nn.Linear(3, 2), tmp_path / "good.params")
    torch.save(broken_state(kind), tmp_path / "bad.params")
    try:
        file_io.load_params(nn.Linear(3, 2), tmp_path / "bad.params")
    except RuntimeError:  # what load_state_dict raises
        return
    pytest.fail(
        f"load_params accepted a state dict with a {kind} key without an error: "
        "load strictly (load_state_dict's default, strict=True)",
        pytrace=False,
    )


@pytest.mark.points(2)
def test_load_params_loads_a_gpu_checkpoint_on_the_cpu(tmp_path, monkeypatch):
    net = MLP()
    path = tmp_path / "gpu.params"
    # Simulate a checkpoint saved on a GPU: every storage is tagged 'cuda:0'.
    with monkeypatch.context() as m:
        m.setattr(torch.serialization, "location_tag", lambda storage: "cuda:0")
        torch.save(net.state_dict(), path)
    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)
    with pytest.raises(RuntimeError):  # the simulation works: torch wants a GPU for it
        torch.load(path, weights_only=True)
    clone = MLP()
    try:
        loaded = file_io.load_params(clone, path)
    except RuntimeError as exc:
        if "CUDA" not in str(exc):
            raise
        pytest.fail(
            "load_params cannot load a checkpoint saved on a GPU on a machine without one: "
            "pass map_location='cpu' to torch.load",
            pytrace=False,
        )
    assert loaded is clone
    assert all(p.device.type == "cpu" for p in clone.parameters())
    assert_same_state(clone.state_dict(), net.state_dict(), "the loaded model")


@pytest.mark.points(2)
@pytest.mark.parametrize("env", ["torch's default", "TORCH_FORCE_NO_WEIGHTS_ONLY_LOAD=1"])
def test_load_params_refuses_a_file_that_would_run_code(tmp_path, monkeypatch, env):
    if "=" in env:
        monkeypatch.setenv("TORCH_FORCE_NO_WEIGHTS_ONLY_LOAD", "1")
    torch.save(nn.Linear(2, 1).state_dict(), tmp_path / "good.params")
    file_io.load_params(nn.Linear(2, 1), tmp_path / "good.params")
    marker = tmp_path / "code-ran"
    write_malicious(tmp_path / "bad.params", marker, "torch.save")
    assert_refused(
        lambda path: file_io.load_params(nn.Linear(2, 1), path),
        tmp_path / "bad.params",
        marker,
        "load_params",
    )


# ---------------------------------------------------------------- a real GPU
# Points 0: a grade must not depend on whether the grading machine has a GPU. These run
# where one is present (a course's GPU machine, or `grade --gpu`), and skip elsewhere.


@pytest.mark.cuda
@pytest.mark.points(0)
def test_cuda_a_checkpoint_saved_on_the_gpu_loads_on_the_cpu(tmp_path):
    def mlp():
        return nn.Sequential(nn.Linear(4, 3), nn.ReLU(), nn.Linear(3, 2))

    net = mlp().to("cuda")
    path = tmp_path / "gpu.params"
    file_io.save_params(net, path)
    clone = mlp()
    assert file_io.load_params(clone, path) is clone
    for (name, p), q in zip(clone.state_dict().items(), net.state_dict().values(), strict=True):
        assert p.device.type == "cpu", f"{name} came back on {p.device}"
        assert torch.equal(p, q.cpu()), f"{name} changed on its way from the GPU"
