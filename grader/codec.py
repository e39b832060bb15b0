"""The plain data a probe returns, as bytes, and back: strict, small, no pickle.

A probe (grader/probing.py) runs the learner's code and returns plain data only:
``None``, bools, ints, floats, strings, bytes, tensors, dtypes, devices, and lists,
tuples and dicts (string keys) of those. :func:`dumps` turns such a value into one
message: a JSON document that describes it, then the raw bytes of its tensors and
byte strings, in the order the document names them. :func:`loads` turns a message
back into the same value, or raises :class:`CodecError` with one sentence.

The grading process decodes what a sandboxed worker sent, so :func:`loads` trusts
nothing: it builds only the built-in types above and plain ``torch.Tensor`` objects
of an allowed dtype, checks every shape against its bytes, and bounds the size, the
nesting depth and the number of items. The learner's own run round-trips every
probe's result through the same pair, so a probe that returns anything else fails
in the kit's tests too, not only when grading.
"""

from __future__ import annotations

import json
import math
import operator
import re

import torch

MAX_BYTES = 64 * 1024 * 1024  # one encoded message
MAX_DEPTH = 24
MAX_ITEMS = 200_000  # values of every kind, all levels together
MAX_DIMS = 8

# dtype name <-> dtype: what a tensor may be. Anything else is refused both ways.
DTYPES: dict[str, torch.dtype] = {
    str(d).removeprefix("torch."): d
    for d in (
        torch.float16,
        torch.bfloat16,
        torch.float32,
        torch.float64,
        torch.uint8,
        torch.int8,
        torch.int16,
        torch.int32,
        torch.int64,
        torch.bool,
    )
}
_NAMES = {d: name for name, d in DTYPES.items()}
_ITEMSIZE = {d: torch.empty((), dtype=d).element_size() for d in DTYPES.values()}

# The tags of the values JSON has no type for. A dict is always tagged, so a learner's
# dict key can never be mistaken for a tag. A tensor is [dtype, shape] and a byte string
# its length: their bytes follow the document, in the order the document names them.
_TUPLE, _DICT, _TENSOR, _BYTES, _FLOAT = "$t", "$d", "$x", "$b", "$f"
_DTYPE, _DEVICE = "$dt", "$dev"
_DEVICE_FORM = re.compile(r"^(cpu|meta|cuda(:[0-9]{1,2})?)$")


class CodecError(ValueError):
    """Data that is not plain, too large, or malformed; the message is one sentence."""


def _floatish(value: float):
    if math.isfinite(value):
        return value
    return {_FLOAT: "nan" if math.isnan(value) else ("inf" if value > 0 else "-inf")}


def _counted(depth: int, count: list | None) -> list:
    """One more value, ``depth`` levels deep: the running count, or a CodecError."""
    count = count if count is not None else [0]
    count[0] += 1
    if count[0] > MAX_ITEMS:
        raise CodecError(f"the data has more than {MAX_ITEMS} values")
    if depth > MAX_DEPTH:
        raise CodecError(f"the data is nested more than {MAX_DEPTH} levels deep")
    return count


def encode(value, blobs: list, _depth: int = 0, _count: list | None = None):
    """``value`` as JSON-ready data, the raw bytes of its tensors and byte strings
    appended to ``blobs``; :class:`CodecError` for anything not plain."""
    count = _counted(_depth, _count)
    if value is None or isinstance(value, bool):
        return bool(value) if value is not None else None
    if isinstance(value, int):
        return operator.index(value).__int__()
    if isinstance(value, float):
        return _floatish(float(value))
    if isinstance(value, str):
        return str.__str__(value)
    if isinstance(value, (bytes, bytearray)):
        blobs.append(bytes(value))
        return {_BYTES: len(value)}
    if isinstance(value, torch.Tensor):
        return {_TENSOR: _tensor(value, blobs)}
    if isinstance(value, torch.dtype):
        if value not in _NAMES:
            raise CodecError(f"the dtype {value} cannot be sent")
        return {_DTYPE: _NAMES[value]}
    if isinstance(value, torch.device):
        return {_DEVICE: str(value)}
    if isinstance(value, tuple):
        return {_TUPLE: [encode(v, blobs, _depth + 1, count) for v in value]}
    if isinstance(value, list):
        return [encode(v, blobs, _depth + 1, count) for v in value]
    if isinstance(value, dict):
        items = []
        for k, v in value.items():
            if not isinstance(k, str):
                raise CodecError(f"a dict key is a {type(k).__name__}, not a string")
            items.append([str.__str__(k), encode(v, blobs, _depth + 1, count)])
        return {_DICT: items}
    raise CodecError(f"a {type(value).__name__} is not plain data (a probe returns only data)")


def copy(value, _depth: int = 0, _count: list | None = None):
    """What ``loads(dumps(value))`` gives, without the bytes: the learner's run (one
    process) checks and copies a probe's data exactly as the codec would, at a fraction
    of the cost. The same values are refused, with the same sentences."""
    count = _counted(_depth, _count)
    if value is None or isinstance(value, (bool, str, torch.dtype, torch.device)):
        return decode(encode(value, [])) if isinstance(value, torch.device) else _scalar(value)
    if isinstance(value, int):
        return operator.index(value).__int__()
    if isinstance(value, float):
        return float(value)
    if isinstance(value, (bytes, bytearray)):
        return bytes(value)
    if isinstance(value, torch.Tensor):
        t = torch.Tensor.as_subclass(value.detach(), torch.Tensor)
        if t.dtype not in _NAMES:
            raise CodecError(f"a tensor of dtype {t.dtype} cannot be sent")
        if t.is_meta:
            raise CodecError("a tensor on the meta device has no values to send")
        if t.dim() > MAX_DIMS:
            raise CodecError("a tensor's shape is malformed")
        return t.cpu().clone(memory_format=torch.contiguous_format)
    if isinstance(value, tuple):
        return tuple(copy(v, _depth + 1, count) for v in value)
    if isinstance(value, list):
        return [copy(v, _depth + 1, count) for v in value]
    if isinstance(value, dict):
        out = {}
        for k, v in value.items():
            if not isinstance(k, str):
                raise CodecError(f"a dict key is a {type(k).__name__}, not a string")
            out[str.__str__(k)] = copy(v, _depth + 1, count)
        return out
    raise CodecError(f"a {type(value).__name__} is not plain data (a probe returns only data)")


def _scalar(value):
    """None, a bool, a string or a dtype, as the codec gives it back."""
    if value is None or isinstance(value, torch.dtype):
        if isinstance(value, torch.dtype) and value not in _NAMES:
            raise CodecError(f"the dtype {value} cannot be sent")
        return value
    if isinstance(value, bool):
        return bool(value)
    return str.__str__(value)


def _tensor(t: torch.Tensor, blobs: list) -> list:
    t = torch.Tensor.as_subclass(t.detach(), torch.Tensor)
    if t.dtype not in _NAMES:
        raise CodecError(f"a tensor of dtype {t.dtype} cannot be sent")
    if t.is_meta:
        raise CodecError("a tensor on the meta device has no values to send")
    t = t.cpu().contiguous()
    blobs.append(t.reshape(-1).view(torch.uint8).numpy().tobytes() if t.numel() else b"")
    return [_NAMES[t.dtype], list(t.shape)]


def dumps(value) -> bytes:
    """One message: the document's length (4 bytes, big-endian), the JSON document,
    then the bytes it names."""
    blobs: list[bytes] = []
    document = json.dumps(encode(value, blobs), separators=(",", ":"), allow_nan=False)
    head = document.encode()
    if len(head) + sum(map(len, blobs)) + 4 > MAX_BYTES:
        raise CodecError(f"the data is larger than {MAX_BYTES // 2**20} MiB")
    return b"".join([len(head).to_bytes(4, "big"), head, *blobs])


def loads(data: bytes):
    """The value :func:`dumps` encoded; anything else is a :class:`CodecError`."""
    if len(data) > MAX_BYTES:
        raise CodecError(f"the data is larger than {MAX_BYTES // 2**20} MiB")
    size = int.from_bytes(data[:4], "big")
    if len(data) < 4 or size > len(data) - 4:
        raise CodecError("the data is cut short")
    try:
        raw = json.loads(data[4 : 4 + size], parse_constant=_no_constant)
    except CodecError:
        raise
    except (ValueError, RecursionError) as exc:
        raise CodecError(f"the data is not valid JSON ({type(exc).__name__})") from None
    blobs = _Blobs(memoryview(data)[4 + size :])
    value = decode(raw, blobs)
    if blobs.left():
        raise CodecError("the data has bytes that no value names")
    return value


class _Blobs:
    """The bytes after a message's document, handed out in order, each exactly once."""

    def __init__(self, view: memoryview) -> None:
        self.view, self.at = view, 0

    def take(self, size: int) -> bytearray:
        if self.at + size > len(self.view):
            raise CodecError("a value's bytes run past the end of the data")
        out = bytearray(self.view[self.at : self.at + size])
        self.at += size
        return out

    def left(self) -> int:
        return len(self.view) - self.at


def _no_constant(name: str):
    raise CodecError(f"the data holds a bare {name}")


def decode(raw, blobs: _Blobs | None = None, _depth: int = 0, _count: list | None = None):
    """The value a document (and the bytes after it) describes."""
    blobs = blobs if blobs is not None else _Blobs(memoryview(b""))
    count = _counted(_depth, _count)
    kind = type(raw)
    if raw is None or kind in (bool, int, float, str):
        return raw
    if kind is list:
        return [decode(v, blobs, _depth + 1, count) for v in raw]
    if kind is not dict or len(raw) != 1:
        raise CodecError("the data holds an object of an unknown form")
    ((tag, body),) = raw.items()
    if tag == _TUPLE and type(body) is list:
        return tuple(decode(v, blobs, _depth + 1, count) for v in body)
    if tag == _DICT and type(body) is list:
        out = {}
        for pair in body:
            if type(pair) is not list or len(pair) != 2 or type(pair[0]) is not str:
                raise CodecError("the data holds a malformed dict")
            if pair[0] in out:
                raise CodecError(f"the data holds a dict with the key {pair[0]!r} twice")
            out[pair[0]] = decode(pair[1], blobs, _depth + 1, count)
        return out
    if tag == _TENSOR:
        return _decode_tensor(body, blobs)
    if tag == _BYTES and type(body) is int and 0 <= body <= MAX_BYTES:
        return bytes(blobs.take(body))
    if tag == _DTYPE and type(body) is str and body in DTYPES:
        return DTYPES[body]
    if tag == _DEVICE and type(body) is str and _DEVICE_FORM.match(body):
        return torch.device(body)
    if tag == _FLOAT and body in ("nan", "inf", "-inf"):
        return float(body)
    raise CodecError(f"the data holds an unknown tag {str(tag)[:20]!r}")


def _decode_tensor(body, blobs: _Blobs) -> torch.Tensor:
    if type(body) is not list or len(body) != 2:
        raise CodecError("the data holds a malformed tensor")
    name, shape = body
    if type(name) is not str or name not in DTYPES:
        raise CodecError(f"a tensor's dtype {str(name)[:20]!r} is not allowed")
    if (
        type(shape) is not list
        or len(shape) > MAX_DIMS
        or any(type(n) is not int or n < 0 for n in shape)
    ):
        raise CodecError("a tensor's shape is malformed")
    dtype = DTYPES[name]
    size = math.prod(shape) * _ITEMSIZE[dtype]
    if size > MAX_BYTES:
        raise CodecError("a tensor's values do not match its shape")
    if not size:
        return torch.empty(shape, dtype=dtype)
    raw = blobs.take(size)  # a fresh buffer, which the tensor keeps
    return torch.frombuffer(raw, dtype=torch.uint8).view(dtype).reshape(shape)


# ------------------------------------------------------------------ framing


_CHUNK = 1 << 18


class Stream:
    """Messages over a socket: ``magic``, a 4-byte big-endian length, :func:`dumps`.

    The probe worker's socket is a descriptor in the learner's process: code that
    writes bytes into every descriptor it finds puts them between two messages. The
    reader skips anything before the next ``magic`` (a random token per worker), so
    such bytes cost nothing but themselves; they never become a message.
    """

    def __init__(self, sock, magic: bytes = b"") -> None:
        self.sock = sock
        self.magic = magic
        self.buffer = bytearray()
        # One receive buffer, reused: ``recv(n)`` allocates n bytes on every call
        # (a megabyte cost 9 us a call, more than the rest of a small message's trip).
        self._chunk = memoryview(bytearray(_CHUNK))

    def send(self, value) -> None:
        data = dumps(value)
        self.sock.sendall(self.magic + len(data).to_bytes(4, "big") + data)

    def receive(self):
        """The next message's value; ``EOFError`` when the other side is gone."""
        if self.magic:
            skipped = 0
            while True:
                at = self.buffer.find(self.magic)
                if at >= 0:
                    del self.buffer[: at + len(self.magic)]
                    break
                keep = len(self.magic) - 1
                skipped += max(0, len(self.buffer) - keep)
                if skipped > MAX_BYTES:
                    raise CodecError("more than 64 MiB arrived that were no message")
                del self.buffer[: max(0, len(self.buffer) - keep)]
                self._fill()
        size = int.from_bytes(self._take(4), "big")
        if size > MAX_BYTES:
            raise CodecError(f"a message of {size} bytes is larger than {MAX_BYTES // 2**20} MiB")
        return loads(self._take(size))

    def _fill(self) -> None:
        received = self.sock.recv_into(self._chunk)
        if not received:
            raise EOFError("the other side closed the connection")
        self.buffer += self._chunk[:received]

    def _take(self, size: int) -> bytes:
        while len(self.buffer) < size:
            self._fill()
        data = bytes(self.buffer[:size])
        del self.buffer[:size]
        return data
