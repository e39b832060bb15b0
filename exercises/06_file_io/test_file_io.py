"""Tests for exercise 6, reading and writing files (file_io.py).

Each check is a probe and a verdict (grader/probing.py): a function marked
``@probe`` runs your code and returns plain data; the test that calls it decides,
from that data alone, whether your code is right. Every file is written and read
inside one probe, in a folder of its own that is removed when the probe ends.
"""

import contextlib
import os
import pathlib
import tempfile
from pickle import UnpicklingError
from unittest import mock

import pytest
import torch
from hypothesis import given
from hypothesis import strategies as st
from torch import nn

from grader.diagnoses import diagnose, raised
from grader.plain import key_data
from grader.probing import probes
from grader.strategies import sizes, tensors, texts

probe = probes("file_io")


@probe.helper
@contextlib.contextmanager
def torch_load_env(no_weights_only=False):
    """Neither of torch's switches for torch.load's default is set, unless asked for:
    ``no_weights_only`` sets TORCH_FORCE_NO_WEIGHTS_ONLY_LOAD=1, which turns the
    default to weights_only=False (it leaves an explicit weights_only=True alone)."""
    with mock.patch.dict(os.environ):
        os.environ.pop("TORCH_FORCE_WEIGHTS_ONLY_LOAD", None)
        os.environ.pop("TORCH_FORCE_NO_WEIGHTS_ONLY_LOAD", None)
        if no_weights_only:
            os.environ["TORCH_FORCE_NO_WEIGHTS_ONLY_LOAD"] = "1"
        yield


@probe.helper
def as_data(obj):
    """An object as data: ("torch.Tensor", a copy) for a tensor, (type name, items) for
    a list or a tuple, (type name, [[key, item], ...]) for a dict, in order, and (type
    name, its repr) for anything else."""
    if isinstance(obj, torch.Tensor):
        return ("torch.Tensor", obj.detach().clone())
    kind = type(obj).__name__
    if isinstance(obj, (list, tuple)):
        return (kind, [as_data(x) for x in obj])
    if isinstance(obj, dict):
        return (kind, [[key_data(k), as_data(v)] for k, v in obj.items()])
    return (kind, f"{obj!r:.200}")


@probe.helper
def build(data):
    """The object :func:`as_data` described (tensors, lists, tuples and dicts)."""
    kind, body = data
    if kind == "torch.Tensor":
        return body
    if kind == "dict":
        return {k: build(v) for k, v in body}
    items = [build(x) for x in body]
    return items if kind == "list" else tuple(items)


@probe.helper
def file_format(path):
    """What a file is, from its bytes: "torch.save" (torch's zip, or its legacy format),
    "numpy" (NumPy's .npy or .npz), "pickle" (a plain pickle stream), else "other"."""
    try:
        data = pathlib.Path(path).read_bytes()
    except OSError:
        return "missing"
    legacy_magic = (0x1950A86A20F9469CFC6C).to_bytes(10, "little")  # torch's old format
    if data.startswith(b"\x93NUMPY") or (data.startswith(b"PK") and b"data.pkl" not in data):
        return "numpy"  # .npz is a zip of .npy files; torch's zip holds data.pkl
    if data.startswith(b"PK") or legacy_magic in data[:32]:
        return "torch.save"
    return "pickle" if data.startswith(b"\x80") else "other"


@probe.helper
def state_of(module):
    """A copy of every entry of ``module.state_dict()``, in order."""
    return {str(k): v.detach().clone() for k, v in module.state_dict().items()}


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
    """got (as data) is want, rebuilt: same container types, key order, dtypes, shapes,
    values."""
    kind, body = got
    if isinstance(want, torch.Tensor):
        assert kind == "torch.Tensor", f"{where}: a tensor came back as {kind}"
        assert body.dtype == want.dtype, f"{where}: a {want.dtype} tensor came back as {body.dtype}"
        assert body.shape == want.shape, (
            f"{where}: a tensor of shape {tuple(want.shape)} came back with shape "
            f"{tuple(body.shape)}"
        )
        assert torch.equal(body, want), f"{where}: the values changed"
        return
    assert kind == type(want).__name__, (
        f"{where}: a {type(want).__name__} came back as "
        f"{'a tensor' if kind == 'torch.Tensor' else kind}: save the object "
        "as it is (torch.save keeps lists, tuples and dicts)"
    )
    if isinstance(want, dict):
        got_keys = [k for k, _ in body]
        assert got_keys == list(want), (
            f"{where}: the keys came back as {got_keys}; expected {list(want)}, in that order"
        )
        for (key, value), want_key in zip(body, want, strict=True):
            assert_same(value, want[want_key], f"{where}[{key!r}]")
    else:
        assert len(body) == len(want), f"{where}: {len(want)} items came back as {len(body)}"
        for i, (g, w) in enumerate(zip(body, want, strict=True)):
            assert_same(g, w, f"{where}[{i}]")


def same(got, want):
    """Whether got (as data) is want, rebuilt (for a signature)."""
    try:
        assert_same(got, want)
    except AssertionError:
        return False
    return True


def tuples_as_lists(obj):
    """``obj`` with every tuple in it turned into a list."""
    if isinstance(obj, (list, tuple)):
        return [tuples_as_lists(x) for x in obj]
    if isinstance(obj, dict):
        return {k: tuples_as_lists(v) for k, v in obj.items()}
    return obj


def dicts_as_lists(obj, deep):
    """``obj`` with its dict (every dict in it, when ``deep``) turned into the list of its
    values."""
    if isinstance(obj, dict):
        return [dicts_as_lists(v, deep) if deep else v for v in obj.values()]
    if deep and isinstance(obj, (list, tuple)):
        return type(obj)(dicts_as_lists(x, deep) for x in obj)
    return obj


def round_trip_mistakes(got, obj, written):
    """The signatures of a round trip of ``obj`` that came back as ``got`` (as data) from
    a file of format ``written``."""
    return diagnose(
        numpy_arrays=lambda: written == "numpy",
        dicts_to_lists=lambda: (
            same(got, dicts_as_lists(obj, False)) or same(got, dicts_as_lists(obj, True))
        ),
        tuples_to_lists=lambda: same(got, tuples_as_lists(obj)),
    )


@probe
def round_trips(file_io, objs, name):
    """Save each object (as data) with save_tensors to one file, in turn, and load it
    back with load_tensors: for each, the format of the file written and what came
    back, as data."""
    out = []
    with torch_load_env(), tempfile.TemporaryDirectory() as folder:
        path = pathlib.Path(folder) / name
        for obj in objs:
            file_io.save_tensors(build(obj), path)
            written = file_format(path)
            out.append([written, as_data(file_io.load_tensors(path))])
    return out


@pytest.mark.points(2)
@given(x=leaf_tensors())
def test_a_tensor_round_trips_exactly(x):
    ((written, got),) = round_trips([as_data(x)], "x.pt")
    with round_trip_mistakes(got, x, written):
        assert_same(got, x)


@pytest.mark.points(3)
@given(obj=nested)
def test_nested_lists_tuples_and_dicts_round_trip_exactly(obj):
    # Converting through NumPy calls .numpy() on a nested list, tuple or dict too.
    with diagnose(numpy_arrays=raised(AttributeError, "has no attribute 'numpy'")):
        ((written, got),) = round_trips([as_data(obj)], "obj.pt")
    with round_trip_mistakes(got, obj, written):
        assert_same(got, obj)


@pytest.mark.points(1)
def test_the_books_examples_round_trip():
    x, y = torch.arange(4), torch.zeros(4)
    objs = (x, [x, y], {"x": x, "y": y})
    got = round_trips([as_data(obj) for obj in objs], "x-file")
    for (written, loaded), obj in zip(got, objs, strict=True):
        with round_trip_mistakes(loaded, obj, written):
            assert_same(loaded, obj)


# ---------------------------------------------------------------- what is refused


@probe.helper
class RunsCode:
    """Unpickling this runs code: it creates the file ``marker``."""

    def __init__(self, marker):
        self.marker = str(marker)

    def __reduce__(self):
        return exec, (f"open({self.marker!r}, 'w').close()",)


@probe.helper
def write_malicious(path, marker, writer):
    obj = {"weight": torch.ones(2), "payload": RunsCode(marker)}
    if writer == "torch.save":
        torch.save(obj, path)
    else:  # a plain pickle file, as pickle.dump writes it
        import pickle

        with open(path, "wb") as f:
            pickle.dump(obj, f, protocol=2)


@probe.helper
def load_malicious(load, folder, writer, name):
    """Write a file that runs code when unpickled, then ``load(path)`` it: the name of
    the exception that refused it (None: it loaded), and whether its code ran."""
    marker = pathlib.Path(folder) / "code-ran"
    path = pathlib.Path(folder) / name
    write_malicious(path, marker, writer)
    try:
        load(path)
    except NotImplementedError:
        raise
    except Exception as exc:
        refused = type(exc).__name__
    else:
        refused = None
    return {"refused": refused, "code_ran": marker.exists()}


def assert_refused(got, what):
    assert got["refused"] is not None, (
        f"{what} loaded a file that runs code when unpickled; load it with "
        "torch.load(..., weights_only=True), which refuses such a file"
    )
    assert not got["code_ran"], (
        f"{what} ran the code hidden in the file before failing: load with "
        "torch.load(..., weights_only=True), never pickle.load or weights_only=False"
    )


@probe
def load_tensors_on_malicious(file_io, good, writer, no_weights_only):
    """Round-trip ``good`` (as data) through the two functions (what came back, and the
    format of the file written), then give load_tensors a file that runs code. With
    ``no_weights_only``, that file is given to it under torch's default too."""
    with torch_load_env(no_weights_only), tempfile.TemporaryDirectory() as folder:
        path = pathlib.Path(folder) / "good.pt"
        file_io.save_tensors(build(good), path)
        written = file_format(path)
        loaded = as_data(file_io.load_tensors(path))
        found = {
            "good": loaded,
            "format": written,
            **load_malicious(file_io.load_tensors, folder, writer, "bad.pt"),
        }
    if no_weights_only:
        with torch_load_env(), tempfile.TemporaryDirectory() as folder:
            found["under_default"] = load_malicious(file_io.load_tensors, folder, writer, "bad.pt")
    return found


def unsafe_loads(got):
    """The signatures of a malicious file loaded, from ``got`` (a load_malicious result,
    with "under_default" where it ran under TORCH_FORCE_NO_WEIGHTS_ONLY_LOAD=1)."""
    default = got.get("under_default", got)
    return diagnose(
        pickle_module=lambda: got.get("format") == "pickle" and got["code_ran"],
        weights_only_false=lambda: default["code_ran"],
        relies_on_default=lambda: (
            default["refused"] and not default["code_ran"] and got["code_ran"]
        ),
    )


WRITERS = ["torch.save", "pickle.dump"]


@pytest.mark.points(3)
@pytest.mark.parametrize("writer", WRITERS)
def test_load_tensors_refuses_a_file_that_would_run_code(writer):
    good = [torch.arange(3)]
    got = load_tensors_on_malicious(as_data(good), writer, False)
    with round_trip_mistakes(got["good"], good, got["format"]):
        assert_same(got["good"], good)
    with unsafe_loads(got):
        assert_refused(got, "load_tensors")


@pytest.mark.points(2)
def test_load_tensors_says_weights_only_itself():
    # This variable turns torch.load's default to weights_only=False (it leaves an
    # explicit weights_only=True alone): relying on the default is not enough.
    good = (torch.ones(2),)
    got = load_tensors_on_malicious(as_data(good), "torch.save", True)
    with round_trip_mistakes(got["good"], good, got["format"]):
        assert_same(got["good"], good)
    with unsafe_loads(got):
        assert_refused(got, "load_tensors")


# ---------------------------------------------------------------- model parameters


@probe.helper
class MLP(nn.Module):
    """The book's MLP for the clone example (20 -> 256 -> 10)."""

    def __init__(self):
        super().__init__()
        self.hidden = nn.Linear(20, 256)
        self.output = nn.Linear(256, 10)

    def forward(self, X):
        return self.output(torch.relu(self.hidden(X)))


@probe.helper
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


@probe.helper
def loaded_state(state):
    """A state dict as it came back (as data): a dict's [key, value] pairs, each value a
    tensor or the name of its type."""
    return [
        [key_data(k), v.detach().clone() if isinstance(v, torch.Tensor) else type(v).__name__]
        for k, v in state.items()
    ]


def assert_same_state(got, want, what):
    """got: [key, value] pairs (or a dict); want: the model's state dict."""
    pairs = list(got.items()) if isinstance(got, dict) else [tuple(kv) for kv in got]
    names = [k for k, _ in pairs]
    assert set(names) == set(want) and len(names) == len(want), (
        f"{what} holds the keys {sorted(map(str, names))}; expected exactly those of "
        f"state_dict(): {sorted(want)}"
    )
    found = dict(pairs)
    for key, value in want.items():
        assert (
            isinstance(found[key], torch.Tensor)
            and found[key].dtype == value.dtype
            and torch.equal(found[key], value)
        ), f"{what}: {key} differs from the model's"


@probe
def saved_params(file_io, num_inputs, num_hiddens, state):
    """A net holding ``state``, saved with save_params; the file read back with
    torch.load(..., weights_only=True)."""
    net = bn_net(num_inputs, num_hiddens, statistics=False)
    net.load_state_dict(state)
    with torch_load_env(), tempfile.TemporaryDirectory() as folder:
        path = pathlib.Path(folder) / "net.params"
        file_io.save_params(net, path)
        try:
            saved = torch.load(path, map_location="cpu", weights_only=True)
        except Exception as exc:
            # The class the restricted unpickler refused, named in its message.
            refused = str(exc).partition("Unsupported global: GLOBAL ")[2].split(" ")[0]
            return {"error": f"{exc!s:.200}", "refused_global": refused}
    if not isinstance(saved, dict):
        return {"kind": type(saved).__name__}
    return {"kind": type(saved).__name__, "state": loaded_state(saved)}


@pytest.mark.points(3)
@given(num_inputs=sizes(1, 8), num_hiddens=sizes(1, 8))
def test_save_params_writes_the_state_dict_only(num_inputs, num_hiddens):
    want = state_of(bn_net(num_inputs, num_hiddens))
    got = saved_params(num_inputs, num_hiddens, want)
    with diagnose(whole_model=lambda: got["refused_global"].startswith("torch.nn.modules.")):
        assert "error" not in got, (
            f"torch.load(path, weights_only=True) cannot read what save_params wrote "
            f"({got.get('error')}…): save model.state_dict(), not the model object"
        )
    assert "state" in got, f"save_params wrote a {got['kind']}; expected the state dict, a mapping"
    parameters = {k for k in want if k.rsplit(".", 1)[-1] in ("weight", "bias")}
    with diagnose(parameters_only=lambda: {k for k, _ in got["state"]} == parameters):
        assert_same_state(got["state"], want, "the saved file")


@probe
def cloned_mlp(file_io, state, X):
    """``state`` saved with torch.save, loaded with load_params into a fresh MLP."""
    with torch_load_env(), tempfile.TemporaryDirectory() as folder:
        path = pathlib.Path(folder) / "mlp.params"
        torch.save(state, path)
        clone = MLP()
        loaded = file_io.load_params(clone, path)
    return {
        "same": loaded is clone,
        "returned": type(loaded).__name__,
        "state": state_of(clone),
        "Y": clone(X).detach(),
    }


def returns_another(got, model_class):
    """The signatures of load_params returning what ``got["returned"]`` names, not the
    model (of class ``model_class``) it was given."""
    return diagnose(
        returns_none=lambda: got["returned"] == "NoneType",
        returns_load_result=lambda: got["returned"] == "_IncompatibleKeys",
        returns_a_copy=lambda: got["returned"] == model_class,  # not the same object
    )


@pytest.mark.points(3)
def test_load_params_clones_the_books_mlp():
    state = state_of(MLP())
    X = torch.randn(2, 20)
    got = cloned_mlp(state, X)
    with returns_another(got, "MLP"):
        assert got["same"], (
            f"load_params returned {got['returned']}, not the model it was given: "
            "load into that model and return it"
        )
    assert_same_state(got["state"], state, "the clone")
    hidden = torch.relu(X @ state["hidden.weight"].T + state["hidden.bias"])
    Y = hidden @ state["output.weight"].T + state["output.bias"]
    torch.testing.assert_close(got["Y"], Y, msg="the clone computes a different output")


@probe
def params_round_trip(file_io, num_inputs, num_hiddens, state):
    """A net holding ``state``, saved with save_params and loaded with load_params into
    a fresh one."""
    net = bn_net(num_inputs, num_hiddens, statistics=False)
    net.load_state_dict(state)
    with torch_load_env(), tempfile.TemporaryDirectory() as folder:
        path = pathlib.Path(folder) / "net.params"
        file_io.save_params(net, path)
        clone = bn_net(num_inputs, num_hiddens, statistics=False)
        loaded = file_io.load_params(clone, path)
    return {"same": loaded is clone, "returned": type(loaded).__name__, "state": state_of(clone)}


@pytest.mark.points(2)
@given(num_inputs=sizes(1, 8), num_hiddens=sizes(1, 8))
def test_save_then_load_params_keeps_buffers(num_inputs, num_hiddens):
    state = state_of(bn_net(num_inputs, num_hiddens))
    # Exactly BatchNorm's running statistics missing (it fills in num_batches_tracked).
    buffers_missing = '"1.running_mean", "1.running_var".'
    with diagnose(
        whole_model=raised(UnpicklingError, "Unsupported global: GLOBAL torch.nn.modules."),
        parameters_only=raised(RuntimeError, f"Missing key(s) in state_dict: {buffers_missing}"),
    ):
        got = params_round_trip(num_inputs, num_hiddens, state)
    with returns_another(got, "Sequential"):
        assert got["same"], (
            f"load_params returned {got['returned']}, not the model it was given: "
            "load into that model and return it"
        )
    assert_same_state(got["state"], state, "the loaded model")


@probe.helper
def broken_state(kind):
    state = nn.Linear(3, 2).state_dict()
    if kind == "missing":
        del state["bias"]
    elif kind == "unexpected":
        state["scale"] = torch.ones(1)
    else:
        state["weight"] = torch.zeros(2, 4)
    return state


@probe.helper
def refuses(load_params, folder, kind):
    """The RuntimeError load_params raised on a state dict with a ``kind`` key, as data
    (None: it loaded)."""
    bad = pathlib.Path(folder) / f"{kind}.params"
    torch.save(broken_state(kind), bad)
    try:
        load_params(nn.Linear(3, 2), bad)
    except RuntimeError as exc:  # what load_state_dict raises
        return ["RuntimeError", str(exc)]
    return None


@probe
def strict_load(file_io, kind):
    """A good state dict loaded with load_params, then one with a ``kind`` key: the
    RuntimeError that refused it, as data (None: it loaded); and, when it loaded,
    whether a tensor of the wrong shape is refused (strict=False still refuses it)."""
    with torch_load_env(), tempfile.TemporaryDirectory() as folder:
        good = pathlib.Path(folder) / "good.params"
        torch.save(nn.Linear(3, 2).state_dict(), good)
        file_io.load_params(nn.Linear(3, 2), good)
        refused = refuses(file_io.load_params, folder, kind)
        misshaped_refused = None
        if refused is None and kind != "misshaped":
            misshaped_refused = refuses(file_io.load_params, folder, "misshaped") is not None
    return {"refused": refused, "misshaped_refused": misshaped_refused}


@pytest.mark.points(2)
@pytest.mark.parametrize("kind", ["missing", "unexpected", "misshaped"])
def test_load_params_is_strict(kind):
    got = strict_load(kind)
    with diagnose(strict_false=lambda: got["misshaped_refused"] is True):
        assert got["refused"] is not None, (
            f"load_params accepted a state dict with {'an' if kind[0] == 'u' else 'a'} {kind} "
            "key without an error: "
            "load strictly (load_state_dict's default, strict=True)"
        )


@probe
def gpu_checkpoint_on_the_cpu(file_io, state):
    """``state`` saved as if on a GPU (every storage tagged 'cuda:0'), then loaded with
    load_params into a fresh MLP on a machine that has no GPU (simulated)."""
    with torch_load_env(), tempfile.TemporaryDirectory() as folder:
        path = pathlib.Path(folder) / "gpu.params"
        with mock.patch.object(torch.serialization, "location_tag", lambda storage: "cuda:0"):
            torch.save(state, path)
        with mock.patch.object(torch.cuda, "is_available", lambda: False):
            try:  # the simulation works: torch wants a GPU for it
                torch.load(path, weights_only=True)
            except RuntimeError:
                simulated = True
            else:
                simulated = False
            clone = MLP()
            try:
                loaded = file_io.load_params(clone, path)
            except RuntimeError as exc:
                if "CUDA" not in str(exc):
                    raise
                return {"simulated": simulated, "cuda_error": str(exc)}
    return {
        "simulated": simulated,
        "same": loaded is clone,
        "returned": type(loaded).__name__,
        "devices": [str(p.device) for p in clone.parameters()],
        "state": state_of(clone),
    }


@pytest.mark.points(2)
def test_load_params_loads_a_gpu_checkpoint_on_the_cpu():
    state = state_of(MLP())
    got = gpu_checkpoint_on_the_cpu(state)
    assert got["simulated"]
    with diagnose(no_map_location=lambda: "deserialize" in got["cuda_error"]):
        assert "cuda_error" not in got, (
            "load_params cannot load a checkpoint saved on a GPU on a machine without one: "
            f"torch.load said {got.get('cuda_error', '')[:200]!r}"
        )
    with returns_another(got, "MLP"):
        assert got["same"], (
            f"load_params returned {got['returned']}, not the model it was given: "
            "load into that model and return it"
        )
    assert all(d == "cpu" for d in got["devices"])
    assert_same_state(got["state"], state, "the loaded model")


@probe
def load_params_on_malicious(file_io, no_weights_only):
    """load_params on a good checkpoint, then on a file that runs code. With
    ``no_weights_only``, that file is given to it under torch's default too."""

    def load(p):
        return file_io.load_params(nn.Linear(2, 1), p)

    with torch_load_env(no_weights_only), tempfile.TemporaryDirectory() as folder:
        path = pathlib.Path(folder) / "good.params"
        torch.save(nn.Linear(2, 1).state_dict(), path)
        file_io.load_params(nn.Linear(2, 1), path)
        found = load_malicious(load, folder, "torch.save", "bad.params")
    if no_weights_only:
        with torch_load_env(), tempfile.TemporaryDirectory() as folder:
            found["under_default"] = load_malicious(load, folder, "torch.save", "bad.params")
    return found


@pytest.mark.points(2)
@pytest.mark.parametrize("env", ["torch's default", "TORCH_FORCE_NO_WEIGHTS_ONLY_LOAD=1"])
def test_load_params_refuses_a_file_that_would_run_code(env):
    got = load_params_on_malicious("=" in env)
    with unsafe_loads(got):
        assert_refused(got, "load_params")


# ---------------------------------------------------------------- a real GPU
# Points 0: a grade must not depend on whether the grading machine has a GPU. These run
# where one is present (a course's GPU machine, or `grade --gpu`), and skip elsewhere.


@probe.helper
def small_mlp():
    return nn.Sequential(nn.Linear(4, 3), nn.ReLU(), nn.Linear(3, 2))


@probe
def gpu_saved_cpu_loaded(file_io, state):
    """A net holding ``state`` moved to the GPU and saved with save_params, then loaded
    with load_params into a fresh net on the CPU."""
    net = small_mlp()
    net.load_state_dict(state)
    net = net.to("cuda")
    with torch_load_env(), tempfile.TemporaryDirectory() as folder:
        path = pathlib.Path(folder) / "gpu.params"
        file_io.save_params(net, path)
        clone = small_mlp()
        loaded = file_io.load_params(clone, path)
    return {
        "same": loaded is clone,
        "devices": {str(k): str(v.device) for k, v in clone.state_dict().items()},
        "state": state_of(clone),
    }


@pytest.mark.cuda
@pytest.mark.points(0)
def test_cuda_a_checkpoint_saved_on_the_gpu_loads_on_the_cpu():
    state = state_of(small_mlp())
    got = gpu_saved_cpu_loaded(state)
    assert got["same"]
    assert list(got["state"]) == list(state)
    for name, q in state.items():
        p = got["state"][name]
        assert got["devices"][name] == "cpu", f"{name} came back on {got['devices'][name]}"
        assert torch.equal(p, q), f"{name} changed on its way from the GPU"
