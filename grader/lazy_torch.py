"""Keep torch from importing its compiler for code that never compiles.

Torch marks some of its own functions "not to be traced by the compiler" with
``torch._disable_dynamo``, which imports ``torch._dynamo`` (0.7 s to 1 s, sympy included)
the first time such a function runs: any operation on the ``meta`` device that torch
runs in Python; an optimiser's ``step`` imports it to mark where a compiled graph
would end. ``torch.autograd.grad`` given output gradients (``gradcheck``) and
``torch._check`` import the symbolic-shapes module (sympy, 0.2 s to 0.35 s) to compare
plain ints and bools, and so do torch's Python kernels for the ``meta`` device
(``torch._refs``, ``torch._prims_common``), which also import sympy only to ask whether
an argument is a sympy expression. No exercise compiles anything, yet a learner's first
``optimizer.step()`` paid for the compiler, and a first ``meta`` operation for sympy.

:func:`install` answers those imports, made by those torch modules
(``torch._compile``, ``torch.optim.optimizer``, ``torch.autograd``, ``torch`` and
torch's meta kernels; see :data:`STAND_INS`), with small stand-ins while the real
module is not loaded;
everything else imports as usual. The stand-ins keep torch's behaviour: a function
marked "do not compile" runs as itself while nothing can be compiling (the compiler
is not even loaded) and through the real ``torch._dynamo.disable`` once it is; plain
ints and bools compare as torch compares them, anything symbolic goes to the real
module, as does any name a stand-in does not define; nothing is a sympy expression
while sympy is not loaded. ``KIT_EAGER_TORCH=1`` turns it off.
"""

from __future__ import annotations

import builtins
import functools
import importlib
import os
import sys
import types

DYNAMO = "torch._dynamo"
SHAPES = "torch.fx.experimental.symbolic_shapes"
SYMPY = "sympy"

_original_import = builtins.__import__


def _real(name: str):
    return sys.modules.get(name) or importlib.import_module(name)


def disable(fn=None, recursive=True, *, reason=None, wrapping=True):
    """``torch._dynamo.disable`` as ``torch._disable_dynamo`` calls it, deferred."""
    if fn is None or not callable(fn):
        return _real(DYNAMO).disable(fn, recursive, reason=reason, wrapping=wrapping)
    disabled = None

    def call(*args, **kwargs):
        nonlocal disabled
        dynamo = getattr(sys.modules.get(DYNAMO), "disable", None)
        if dynamo is None:  # the compiler is not loaded: nothing can be compiling
            return fn(*args, **kwargs)
        if disabled is None:
            disabled = dynamo(fn, recursive, reason=reason, wrapping=wrapping)
        return disabled(*args, **kwargs)

    return functools.wraps(fn)(call) if wrapping else call


def graph_break(msg: str = "") -> None:
    """``torch._dynamo.graph_break``: nothing, unless the compiler is loaded."""
    dynamo = sys.modules.get(DYNAMO)
    if dynamo is not None:
        dynamo.graph_break(msg)


def _plain(value) -> bool:
    if isinstance(value, (tuple, list)):
        return all(type(v) is int for v in value)
    return type(value) is int


def sym_eq(x, y):
    """``symbolic_shapes.sym_eq`` for ints and shapes of ints; the real one otherwise."""
    if _plain(x) and _plain(y) and isinstance(x, (tuple, list)) == isinstance(y, (tuple, list)):
        return x == y if type(x) is int else (len(x) == len(y) and all(map(int.__eq__, x, y)))
    return _real(SHAPES).sym_eq(x, y)


def expect_true(a, skip: int = 0) -> bool:
    """``symbolic_shapes.expect_true`` for a bool; the real one otherwise."""
    if type(a) is bool:
        return a
    return _real(SHAPES).expect_true(a, skip + 1)


def _plain_or_real(name: str, plain, answer):
    """``symbolic_shapes.<name>``: ``answer(*args)`` where ``plain(*args)``, else the real one."""

    def call(*args, **kwargs):
        if not kwargs and plain(*args):
            return answer(*args)
        return getattr(_real(SHAPES), name)(*args, **kwargs)

    call.__name__ = call.__qualname__ = name
    return call


def _bools(*values) -> bool:
    return all(type(v) is bool for v in values)


def _int_or_bool(a) -> bool:
    return type(a) is bool or type(a) is int


def _number(a) -> bool:
    return type(a) in (bool, int, float)


def _itself(a):
    return a


def _never(*args) -> bool:
    return False


class _NotSympy:
    """``sympy.Basic`` while sympy is not loaded: nothing can be an instance of it."""

    def __init__(self, *args, **kwargs) -> None:
        raise TypeError("a stand-in for sympy.Basic")


class _StandIn(types.SimpleNamespace):
    """A few functions of a module; any other name is the real module's (loaded then)."""

    def __init__(self, module: str, **functions) -> None:
        super().__init__(**functions)
        self.__module_name = module

    def __getattr__(self, name: str):
        if name.startswith("__"):
            raise AttributeError(name)
        return getattr(_real(self.__module_name), name)


class _Torch:
    """``torch`` as ``import torch._dynamo`` binds it, with a stand-in for ``_dynamo``."""

    def __init__(self, **dynamo_functions) -> None:
        self._dynamo = _StandIn(DYNAMO, **dynamo_functions)

    def __getattr__(self, name: str):
        return getattr(sys.modules["torch"], name)


# What torch's own functions return for plain bools, ints and floats (each one's first
# lines): ``sym_and`` / ``sym_or`` fold ``&`` / ``|``, which on bools is all / any.
_SHAPES_STAND_IN = _StandIn(
    SHAPES,
    sym_eq=sym_eq,
    expect_true=expect_true,
    guard_or_false=_plain_or_real("guard_or_false", _bools, _itself),
    guard_or_true=_plain_or_real("guard_or_true", _bools, _itself),
    statically_known_true=_plain_or_real("statically_known_true", _bools, _itself),
    sym_and=_plain_or_real("sym_and", _bools, lambda *values: all(values)),
    sym_or=_plain_or_real("sym_or", _bools, lambda *values: any(values)),
    guarding_hint_or_throw=_plain_or_real("guarding_hint_or_throw", _int_or_bool, _itself),
    has_guarding_hint=_plain_or_real("has_guarding_hint", _number, lambda a: True),
    is_nested_int=_plain_or_real("is_nested_int", _number, lambda s: False),
    # ``is_contiguous`` imports it and never calls it; torch's own warns it is deprecated
    guard_size_oblivious=_plain_or_real("guard_size_oblivious", _never, None),
)
# ``import sympy`` in torch._prims_common's type promotion, for ``isinstance(x, sympy.Basic)``
_SYMPY_STAND_IN = _StandIn(SYMPY, Basic=_NotSympy)
# (the module that imports, the module it imports, whether as ``from ... import``) ->
# what ``__import__`` gives it while that module is not loaded
STAND_INS = {
    # ``import torch._dynamo`` gives the package: the stand-in's ``_dynamo.disable``
    ("torch._compile", DYNAMO, False): _Torch(disable=disable),
    ("torch.optim.optimizer", DYNAMO, False): _Torch(graph_break=graph_break),  # each step
    # ``from torch.fx.experimental.symbolic_shapes import expect_true[, sym_eq...]``
    ("torch.autograd", SHAPES, True): _SHAPES_STAND_IN,  # output and gradient shapes
    ("torch", SHAPES, True): _SHAPES_STAND_IN,  # torch._check, in every meta kernel
    # torch's Python kernels for "meta" (and its decompositions): shapes and dtypes
    **{
        (kernels, SHAPES, True): _SHAPES_STAND_IN
        for kernels in (
            "torch._prims_common",
            "torch._refs",
            "torch._prims",
            "torch._meta_registrations",
            "torch._decomp.decompositions",
        )
    },
    ("torch._prims_common", SYMPY, False): _SYMPY_STAND_IN,
}
_DEFERRED = frozenset(module for _, module, _ in STAND_INS)


def _import(name, globals=None, locals=None, fromlist=(), level=0):
    if level == 0 and name in _DEFERRED and name not in sys.modules and globals:
        stand_in = STAND_INS.get((globals.get("__name__"), name, bool(fromlist)))
        if stand_in is not None:
            return stand_in
    return _original_import(name, globals, locals, fromlist, level)


def installed() -> bool:
    return builtins.__import__ is _import


def install() -> bool:
    """Answer the imports in :data:`STAND_INS` with stand-ins from now on (idempotent).

    Also does, up front, the one change loading ``torch._dynamo`` makes to torch's
    namespace (it marks ``torch.manual_seed`` "do not compile"), so that code loading
    the compiler later finds torch as every other run does.
    """
    global _original_import
    if installed():
        return True
    if os.environ.get("KIT_EAGER_TORCH") == "1":
        return False
    torch = sys.modules.get("torch")
    if torch is None or DYNAMO in sys.modules:
        return False  # nothing to save: the compiler is loaded already
    if torch.manual_seed is torch.random.manual_seed:  # as torch/_dynamo/__init__.py does
        torch.manual_seed = torch._disable_dynamo(torch.manual_seed)
        builtins_registry = importlib.import_module("torch.jit._builtins")
        builtins_registry._register_builtin(torch.manual_seed, "aten::manual_seed")
    _original_import = builtins.__import__
    builtins.__import__ = _import
    return True
