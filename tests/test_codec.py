"""The data codec between a probe worker and the grading process (grader/codec.py).

The grading process decodes what a sandboxed worker sent: the decoder must build only
plain values, refuse anything else with one sentence, and stay bounded. The learner's
run copies a probe's data with :func:`codec.copy`, which must give exactly what a trip
through the bytes gives.
"""

from __future__ import annotations

import json
import math
import socket

import pytest
import torch
from hypothesis import given
from hypothesis import strategies as st

from grader import codec

DTYPES = list(codec.DTYPES.values())


def tensors_of_any_dtype():
    @st.composite
    def build(draw):
        dtype = draw(st.sampled_from(DTYPES))
        shape = draw(st.lists(st.integers(0, 4), max_size=3))
        t = torch.randint(0, 2, shape) if dtype == torch.bool else torch.randn(shape) * 100
        t = t.to(dtype)
        if draw(st.booleans()) and t.dim() >= 2:
            t = t.transpose(0, 1)  # not contiguous
        return t

    return build()


scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(2**70), 2**70),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=20),
    st.binary(max_size=20),
    st.sampled_from(DTYPES),
    st.sampled_from([torch.device("cpu"), torch.device("meta"), torch.device("cuda:1")]),
    tensors_of_any_dtype(),
)
plain = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.tuples(inner, inner),
        st.dictionaries(st.text(max_size=8), inner, max_size=4),
    ),
    max_leaves=12,
)


def same(a, b) -> bool:
    if isinstance(a, torch.Tensor):
        return (
            type(b) is torch.Tensor
            and (a.dtype, a.shape) == (b.dtype, b.shape)
            and torch.equal(a.contiguous(), b)
            and b.is_contiguous()
        )
    if isinstance(a, float) and math.isnan(a):
        return isinstance(b, float) and math.isnan(b)
    if isinstance(a, (list, tuple)):
        return type(a) is type(b) and len(a) == len(b) and all(map(same, a, b))
    if isinstance(a, dict):
        return type(b) is dict and list(a) == list(b) and all(same(a[k], b[k]) for k in a)
    return type(a) is type(b) and a == b


@given(plain)
def test_plain_data_comes_back_exactly(value):
    assert same(value, codec.loads(codec.dumps(value)))


@given(plain)
def test_the_learners_copy_is_what_the_bytes_give(value):
    assert same(codec.loads(codec.dumps(value)), codec.copy(value))


class Sly(int):
    def __eq__(self, other):
        return True

    __hash__ = int.__hash__


class Agreeable(torch.Tensor):
    pass


def test_subclasses_arrive_as_their_plain_values():
    back = codec.loads(codec.dumps({"n": Sly(4), "t": torch.zeros(2).as_subclass(Agreeable)}))
    assert type(back["n"]) is int and back["n"] == 4
    assert type(back["t"]) is torch.Tensor
    assert type(codec.copy(Sly(4))) is int


@pytest.mark.parametrize(
    "value, words",
    [
        (object(), "a object is not plain data"),
        ({1: 2}, "a dict key is a int"),
        (torch.empty(2, device="meta"), "meta device"),
        (torch.zeros(2, dtype=torch.complex64), "dtype torch.complex64"),
        (torch.nn.Linear(2, 2), "a Linear is not plain data"),
    ],
)
def test_what_is_not_plain_data_is_refused_alike_both_ways(value, words):
    with pytest.raises(codec.CodecError) as sent:
        codec.dumps(value)
    with pytest.raises(codec.CodecError) as copied:
        codec.copy(value)
    assert words in str(sent.value) and str(sent.value) == str(copied.value)


def frame(document: bytes, tail: bytes = b"") -> bytes:
    """A message as :func:`codec.dumps` lays it out: the document's length, the
    document, then the bytes it names."""
    return len(document).to_bytes(4, "big") + document + tail


def raw(obj, tail: bytes = b"") -> bytes:
    return frame(json.dumps(obj).encode(), tail)


@pytest.mark.parametrize(
    "data, words",
    [
        (frame(b"{not json"), "not valid JSON"),
        (b"\x00\x00\x01\x00[]", "cut short"),
        (b"\x00", "cut short"),
        (raw({"$x": ["float32", [2]]}, b"\x00" * 4), "run past the end"),
        (raw({"$x": ["float32", [1]]}, b"\x00" * 8), "bytes that no value names"),
        (raw([1, 2], b"stowaway"), "bytes that no value names"),
        (raw({"$x": ["object", [1]]}, b"\x00" * 4), "dtype 'object' is not allowed"),
        (raw({"$x": ["float32", [-1]]}), "shape is malformed"),
        (raw({"$x": ["float32", [1] * 9]}, b"\x00" * 4), "shape is malformed"),
        (raw({"$x": ["float32", [1], "AAAA"]}), "malformed tensor"),
        (raw({"$x": ["float64", [2**40, 2**40]]}), "do not match its shape"),
        (raw({"$b": "AAAA"}), "unknown tag"),
        (raw({"$b": 5}, b"abc"), "run past the end"),
        (raw({"$pickle": "gASV"}), "unknown tag"),
        (raw({"a": 1, "b": 2}), "unknown form"),
        (raw({"$d": [["a", 1], ["a", 2]]}), "the key 'a' twice"),
        (raw({"$d": [[1, 2]]}), "malformed dict"),
        (raw({"$f": "nope"}), "unknown tag"),
        (frame(b"NaN"), "bare NaN"),
        (frame(b"[" * 30 + b"]" * 30), "nested more than"),
        (raw([0] * (codec.MAX_ITEMS + 1)), "more than"),
    ],
)
def test_the_decoder_refuses_anything_else_with_one_sentence(data, words):
    with pytest.raises(codec.CodecError) as refused:
        codec.loads(data)
    assert words in str(refused.value), str(refused.value)
    assert "\n" not in str(refused.value)


def test_a_message_larger_than_the_limit_is_refused_unread(monkeypatch):
    monkeypatch.setattr(codec, "MAX_BYTES", 1000)
    with pytest.raises(codec.CodecError, match="larger than"):
        codec.loads(frame(b"[" + b"0," * 600 + b"0]"))
    with pytest.raises(codec.CodecError, match="larger than"):
        codec.dumps(torch.zeros(1000))


def test_a_stream_skips_bytes_written_between_its_messages():
    """The probe worker's socket is a descriptor of the learner's process: what the
    learner's code writes into it is skipped up to the next token."""
    left, right = socket.socketpair()
    try:
        writer, reader = codec.Stream(left, b"TOKEN123"), codec.Stream(right, b"TOKEN123")
        left.sendall(b'{"ev": "result", "status": "passed"}\n' * 3)
        writer.send({"reply": [1, torch.ones(2)]})
        left.sendall(b"garbage TOKEN12 almost a token")
        writer.send("second")
        first = reader.receive()
        assert first["reply"][0] == 1 and torch.equal(first["reply"][1], torch.ones(2))
        assert reader.receive() == "second"
        left.close()
        with pytest.raises(EOFError):
            reader.receive()
    finally:
        right.close()
