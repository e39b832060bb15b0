"""Tamper checks: did the code under test change what the verdicts rely on?

The kit's tests run in the same interpreter as the learner's module, so a module can
neuter ``torch.allclose``, patch pytest's reports, weaken Hypothesis or swap
``sys.modules['hypothesis']``. Those tricks cannot be prevented from inside the
process (docs/grader.md), but they can be seen: :class:`Guard` takes a snapshot just
before the module under test is imported and compares against it after the import
and after every test. What it compares, by identity:

* the namespaces of the assertion helpers and the libraries the tests lean on
  (``builtins``, ``math``, ``time``, ``signal``, ``os``, ``torch``, ``torch.testing``,
  ``torch.nn``..., ``pytest`` and ``_pytest.*``, ``pluggy``, ``pytest_timeout``,
  ``hypothesis``), the grader's own modules and the kit's test modules, with the code
  objects and defaults of their functions;
* the classes the verdicts rely on (``torch.Tensor``, ``TestReport``, ``CallInfo``,
  the grading plugin...), added attributes included (``Tensor.__eq__``);
* ``sys.modules`` entries, ``sys.meta_path``, the environment, the registered pytest
  plugins and the implementations of the hooks that produce reports, the grading
  plugin's channel, Hypothesis's current settings and every test's own settings;
* torch's global hooks: torch-function and dispatch modes, kernels registered for
  torch's own operators;
* classes the module defines (named after it, or new since the snapshot whatever
  ``__module__`` they claim): a ``torch.Tensor`` subclass with its own
  ``__torch_function__`` (or comparison methods), and objects that compare equal to
  anything.

Each finding is a sentence in plain words ("patched torch.allclose"); one finding
scores the module 0 (grader/report.py). :class:`TorchState` resets torch's global
settings (default dtype and device, grad mode, determinism...) before each test.
"""

from __future__ import annotations

import operator
import os
import sys
import types
from collections.abc import Iterable, Mapping
from itertools import repeat
from pathlib import Path

_MISSING = object()
_MODULE_OF = operator.attrgetter("__module__")
# A class's identity without ``id`` (an audited call) and without its metaclass's say.
_IDENTITY = object.__hash__


def _all_same(keys: tuple, values: tuple, now: Mapping) -> bool:
    """Whether ``now`` still maps every key to the very same object (a C-speed pass).

    By identity, never ``==``: an object whose ``__eq__`` says yes to anything must not
    pass for the function it replaced. The checks run this first and look entry by
    entry (to say what changed) only when it fails.
    """
    return all(map(operator.is_, values, map(now.get, keys, repeat(_MISSING))))


# Namespaces whose entries must keep their identity (module names, as imported).
WATCHED_MODULES = (
    "builtins",
    "math",
    "cmath",
    "operator",
    "time",
    "signal",
    "os",
    "posixpath",
    "json",
    "torch",
    "torch.testing",
    "torch.testing._comparison",
    "torch.nn",
    "torch.nn.functional",
    "torch.nn.init",
    "torch.nn.parameter",
    "torch.functional",
    "torch.serialization",
    "torch.overrides",
    "torch.random",
    "numpy.testing",
    "pytest",
    "_pytest.python",
    "_pytest.python_api",
    "_pytest.runner",
    "_pytest.reports",
    "_pytest.main",
    "_pytest.outcomes",
    "_pytest.skipping",
    "_pytest.nodes",
    "pluggy",
    "pluggy._hooks",
    "pluggy._callers",
    "pluggy._manager",
    "pytest_timeout",
    "hypothesis",
    "hypothesis.strategies",
)
WATCHED_CLASSES = (
    "torch.Tensor",
    "torch.nn.Module",
    "torch.nn.Parameter",
    "torch.nn.Linear",
    "torch.nn.Sequential",
    "torch.nn.ModuleList",
    "torch.nn.ModuleDict",
    "torch.nn.parameter.UninitializedParameter",
    "_pytest.reports.BaseReport",
    "_pytest.reports.TestReport",
    "_pytest.reports.CollectReport",
    "_pytest.runner.CallInfo",
    "_pytest.python.Function",
    "_pytest.nodes.Item",
    "_pytest.nodes.Node",
    "_pytest.main.Session",
    "_pytest.config.PytestPluginManager",
    "_pytest.outcomes.OutcomeException",
    "pluggy.PluginManager",
    "pluggy.HookCaller",
    "pluggy.HookImpl",
    "hypothesis.settings",
)
# The hooks whose implementations decide what a test's report says.
WATCHED_HOOKS = (
    "pytest_runtest_protocol",
    "pytest_runtest_setup",
    "pytest_runtest_call",
    "pytest_runtest_teardown",
    "pytest_runtest_makereport",
    "pytest_runtest_logreport",
    "pytest_report_teststatus",
    "pytest_pyfunc_call",
    "pytest_exception_interact",
    "pytest_timeout_set_timer",
    "pytest_timeout_cancel_timer",
    "pytest_sessionfinish",
)
# Environment variables pytest itself changes around each test, and caches torch's
# compiler sets for itself when it first loads.
_ENV_EXEMPT = frozenset({"PYTEST_CURRENT_TEST", "TORCHINDUCTOR_CACHE_DIR", "TRITON_CACHE_DIR"})
# Kernels the tests' operators run: a new one registered for them answers for torch.
_KERNEL_NAMESPACES = ("aten/", "prims/")
# Class attributes Python itself caches on a class (copyreg, when pickling).
_CACHED_CLASS_ATTRIBUTES = frozenset({"__slotnames__"})
# sys.modules entries Hypothesis creates and drops while it runs.
_TEMPORARY_MODULES = ("hypothesis_temporary_module_",)
# What a Tensor subclass may not override: the hooks and comparisons tests rely on.
_TENSOR_OVERRIDES = (
    "__torch_function__",
    "__torch_dispatch__",
    "__eq__",
    "__ne__",
    "__bool__",
    "__len__",
    "__float__",
    "__int__",
    "__index__",
    "__getattribute__",
    "__getattr__",
    "eq",
    "ne",
    "equal",
    "allclose",
    "isclose",
    "all",
    "any",
    "item",
    "tolist",
)
_SETTINGS_FIELDS = (
    "max_examples",
    "derandomize",
    "database",
    "phases",
    "deadline",
    "stateful_step_count",
    "report_multiple_bugs",
)


def _resolve(dotted: str):
    from .sandbox import resolve

    return resolve(dotted)


def _label(module: types.ModuleType) -> str:
    name = module.__name__
    file = getattr(module, "__file__", None) or ""
    if "exercises" in Path(file).parts or name.startswith(("test_", "exercises.")):
        return f"the kit's test module {Path(file).name}"
    return name


class _Space:
    """One namespace (a module's or a class's ``__dict__``), frozen."""

    def __init__(self, label: str, owner, strict: bool, additions: bool) -> None:
        self.label = label
        self.owner = owner
        self.frozen = dict(vars(owner))
        self.keys, self.values = tuple(self.frozen), tuple(self.frozen.values())
        self.additions = additions
        self.guts: dict[str, tuple] = {}
        if strict:
            for key, value in self.frozen.items():
                if isinstance(value, types.FunctionType):
                    self.guts[key] = (value.__code__, value.__defaults__, value.__kwdefaults__)

    def check(self, out: list[str], guts: bool = True) -> None:
        now = vars(self.owner)
        for key, value in () if _all_same(self.keys, self.values, now) else self.frozen.items():
            current = now.get(key, _MISSING)
            if current is value:
                continue
            if current is _MISSING:
                out.append(f"deleted {self.label}.{key}")
            elif isinstance(value, (int, str, float, bool, type(None))) and current == value:
                continue
            else:
                out.append(f"patched {self.label}.{key}")
        for key, (code, defaults, kwdefaults) in self.guts.items() if guts else ():
            function = now.get(key)
            if function is self.frozen[key] and (
                function.__code__ is not code
                or function.__defaults__ is not defaults
                or function.__kwdefaults__ is not kwdefaults
            ):
                out.append(f"rewrote {self.label}.{key}")
        if self.additions and len(now) != len(self.frozen):
            for key in now:
                if key not in self.frozen and key not in _CACHED_CLASS_ATTRIBUTES:
                    out.append(f"patched {self.label}.{key}")


class TorchState:
    """Torch's global settings as they were before the module was imported."""

    def __init__(self) -> None:
        import torch

        self.dtype = torch.get_default_dtype()
        self.grad = torch.is_grad_enabled()
        self.deterministic = torch.are_deterministic_algorithms_enabled()
        self.anomaly = torch.is_anomaly_enabled()
        self.threads = torch.get_num_threads()
        self.device = _default_device()

    def restore(self) -> None:
        import torch

        try:
            if torch.get_default_dtype() != self.dtype:
                torch.set_default_dtype(self.dtype)
            if _default_device() != self.device:
                torch.set_default_device(self.device)
            torch.set_grad_enabled(self.grad)
            if torch.are_deterministic_algorithms_enabled() != self.deterministic:
                torch.use_deterministic_algorithms(self.deterministic)
            if torch.is_anomaly_enabled() != self.anomaly:
                torch.set_anomaly_enabled(self.anomaly)
            if torch.get_num_threads() != self.threads:
                torch.set_num_threads(self.threads)
        except Exception:  # pragma: no cover - an older torch
            pass


def _default_device():
    import torch

    getter = getattr(torch, "get_default_device", None)
    if getter is None:  # pragma: no cover - torch < 2.3
        return None
    try:
        return str(getter())
    except Exception:  # pragma: no cover
        return None


class Guard:
    """A snapshot of what the verdicts rely on, and the comparison against it."""

    def __init__(self, module: str, impl_dir: Path, session=None, plugin=None) -> None:
        self.module = module
        self.impl_dir = Path(impl_dir).resolve()
        self.spaces: list[_Space] = []
        self.objects: list[object] = []  # what the audit hook should also protect
        self.extra: list[str] = []  # findings made elsewhere (the reporting plugin)
        # Set once the audit hook denies rewriting every function whose code the spaces
        # compare (:meth:`guarded_functions`): the check after each test then skips
        # that comparison (a third of its time); the full checks still make it.
        self.hooked = False
        self._take(session, plugin)

    # ------------------------------------------------------------ the snapshot

    def _take(self, session, plugin) -> None:
        for name in WATCHED_MODULES:
            module = sys.modules.get(name)
            if module is not None:
                self.spaces.append(_Space(name, module, strict=True, additions=False))
        for name, module in sorted(sys.modules.items()):
            if module is not None and (name == "grader" or name.startswith("grader.")):
                self.spaces.append(_Space(name, module, strict=True, additions=False))
        for dotted in WATCHED_CLASSES:
            cls = _resolve(dotted)
            if isinstance(cls, type):
                self.spaces.append(_Space(dotted, cls, strict=True, additions=True))
        report_plugin = sys.modules.get("grader.report_plugin")
        for name in ("GradingPlugin", "Channel"):
            cls = getattr(report_plugin, name, None)
            if isinstance(cls, type):
                self.spaces.append(_Space(f"grader's {name}", cls, strict=True, additions=True))
        self.test_modules = []
        self.test_settings: list[tuple[str, object, object, object, tuple]] = []
        if session is not None:
            seen = set()
            for item in session.items:
                module = getattr(item, "module", None)
                if module is not None and id(module) not in seen:
                    seen.add(id(module))
                    self.test_modules.append(module)
                    self.spaces.append(_Space(_label(module), module, strict=True, additions=False))
                    self.objects += [
                        v for v in vars(module).values() if isinstance(v, types.FunctionType)
                    ]
                function = getattr(item, "obj", None)
                if function is not None:
                    settings = getattr(function, "_hypothesis_internal_use_settings", None)
                    inner = getattr(getattr(function, "hypothesis", None), "inner_test", None)
                    self.test_settings.append(
                        (item.name, function, settings, inner, _settings_values(settings))
                    )
        # Every class there is now: one made later is the module's doing, whatever
        # ``__module__`` it claims (held, so that no new class can take an old address).
        self.classes = list(_every_class())
        self.known = frozenset(map(_IDENTITY, self.classes))
        self.sys_modules = dict(sys.modules)
        self.module_names = tuple(self.sys_modules)
        self.module_objects = tuple(self.sys_modules.values())
        self.meta_path = list(sys.meta_path)
        self.path_hooks = list(sys.path_hooks)
        self.environ = {k: v for k, v in os.environ.items() if k not in _ENV_EXEMPT}
        self.plugin = plugin
        self.plugin_state = self._plugin_state(plugin)
        self.pluginmanager = session.config.pluginmanager if session is not None else None
        self.plugins = self._plugins()
        self.hooks = self._hooks()
        self.hypothesis = self._hypothesis()
        self.torch = self._torch()
        self.objects += [space.owner for space in self.spaces if isinstance(space.owner, type)]

    def guarded_functions(self) -> list[types.FunctionType]:
        """The functions whose code, defaults and keyword defaults the spaces compare."""
        return [space.frozen[key] for space in self.spaces for key in space.guts]

    def _plugin_state(self, plugin) -> tuple:
        if plugin is None:
            return ()
        channel = getattr(plugin, "channel", None)
        return (
            type(plugin),
            channel,
            type(channel),
            getattr(channel, "fd", None),
            getattr(channel, "token", None),
            getattr(plugin, "keys", None),
            getattr(plugin, "module", None),
        )

    def _plugins(self) -> list[tuple[str, int]]:
        if self.pluginmanager is None:
            return []
        return [(str(name), id(p)) for name, p in self.pluginmanager.list_name_plugin()]

    def _hooks(self) -> dict[str, list]:
        if self.pluginmanager is None:
            return {}
        found = {}
        for name in WATCHED_HOOKS:
            caller = getattr(self.pluginmanager.hook, name, None)
            if caller is not None:
                found[name] = [(impl.plugin_name, impl.function) for impl in caller.get_hookimpls()]
        return found

    def _hypothesis(self) -> tuple:
        settings_module = sys.modules.get("hypothesis._settings")
        if settings_module is None:
            return ()
        settings = settings_module.settings
        variable = getattr(settings_module, "default_variable", None)
        current = getattr(variable, "value", None)
        return (
            getattr(settings, "_current_profile", None),
            current,
            _settings_values(current),
            dict(getattr(settings, "_profiles", {})),
        )

    def _torch(self) -> tuple:
        torch = sys.modules.get("torch")
        if torch is None:
            return ()
        library = sys.modules.get("torch.library")
        impls = getattr(library, "_impls", None)
        return (
            _call(torch._C, "_len_torch_function_stack"),
            _call(torch._C, "_len_torch_dispatch_stack"),
            frozenset(impls) if isinstance(impls, (set, frozenset)) else frozenset(),
        )

    # ------------------------------------------------------------ the checks

    def check(self, full: bool = False) -> list[str]:
        """Every change found, in plain words (empty: nothing was tampered with)."""
        out: list[str] = []
        try:
            self._check(out, full)
        except Exception as exc:  # a check that fails is itself a sign of tampering
            out.append(f"broke the grader's checks ({type(exc).__name__})")
        unique = list(dict.fromkeys(out))
        return unique[:8] + ([f"and {len(unique) - 8} more changes"] if len(unique) > 8 else [])

    def _check(self, out: list[str], full: bool) -> None:
        out += self.extra
        for space in self.spaces:
            space.check(out, guts=full or not self.hooked)
        same = _all_same(self.module_names, self.module_objects, sys.modules)
        for name, module in () if same else self.sys_modules.items():
            if sys.modules.get(name, _MISSING) is not module:
                if name == self.module or name.startswith(_TEMPORARY_MODULES):
                    continue
                verb = "removed" if name not in sys.modules else "replaced"
                out.append(f"{verb} sys.modules[{name!r}]")
        if list(sys.meta_path) != self.meta_path or list(sys.path_hooks) != self.path_hooks:
            out.append("changed Python's import hooks (sys.meta_path)")
        environ = {k: v for k, v in os.environ.items() if k not in _ENV_EXEMPT}
        if environ != self.environ:
            changed = sorted(
                k for k in set(environ) | set(self.environ) if environ.get(k) != self.environ.get(k)
            )
            out.append(f"changed the environment variable {', '.join(changed[:3])}")
        if self._plugin_state(self.plugin) != self.plugin_state:
            out.append("patched the grader's reporting plugin")
        if self._plugins() != self.plugins:
            out.append("registered or removed a pytest plugin")
        hooks = self._hooks()
        for name, impls in self.hooks.items():
            now = hooks.get(name, [])
            if len(now) != len(impls) or any(
                a[0] != b[0] or a[1] is not b[1] for a, b in zip(now, impls, strict=False)
            ):
                out.append(f"changed pytest's {name} hook")
        self._check_hypothesis(out)
        self._check_torch(out)
        out += self.scan_classes(full)

    def _check_hypothesis(self, out: list[str]) -> None:
        if not self.hypothesis:
            return
        profile, current, values, profiles = self.hypothesis
        now = self._hypothesis()
        if now[0] != profile:
            out.append(f"changed Hypothesis's settings (loaded the profile {now[0]!r})")
        elif now[2] != values:
            out.append("changed Hypothesis's settings")
        for name, old in profiles.items():
            if now[3].get(name) is not old:
                out.append(f"changed Hypothesis's settings (the profile {name!r})")
        for name, function, _, inner, values in self.test_settings:
            # Hypothesis's pytest plugin gives parametrized tests fresh (equal) settings.
            settings = getattr(function, "_hypothesis_internal_use_settings", None)
            if (
                getattr(getattr(function, "hypothesis", None), "inner_test", None) is not inner
                or _settings_values(settings) != values
            ):
                out.append(f"changed Hypothesis's settings of {name}")

    def _check_torch(self, out: list[str]) -> None:
        if not self.torch:
            return
        functions, dispatch, impls = self.torch
        now = self._torch()
        if now[0] != functions:
            out.append("installed a torch function mode (it can answer any comparison)")
        if now[1] != dispatch:
            out.append("installed a torch dispatch mode (it can answer any operation)")
        added = sorted(k for k in now[2] - impls if k.startswith(_KERNEL_NAMESPACES))
        if added:
            out.append(f"registered its own kernels for torch operators ({', '.join(added[:3])})")

    # ------------------------------------------------------------ classes

    def scan_classes(self, full: bool = False) -> list[str]:
        """Classes of the module under test that no comparison can be trusted with.

        ``full``: every class there is (after the import, at the end); otherwise the
        ``torch.Tensor`` subclasses, direct subclasses of ``object`` and the classes
        in the module's namespace (after each test: cheap).
        """
        torch = sys.modules.get("torch")
        found: list[str] = []
        for cls in self._candidates(full, torch):
            if not self._theirs(cls):
                continue
            if torch is not None and issubclass(cls, torch.Tensor):
                overrides = [n for n in _TENSOR_OVERRIDES if _overrides(cls, n, torch)]
                if overrides:
                    found.append(
                        f"defines a torch.Tensor subclass {cls.__qualname__} that overrides "
                        f"{', '.join(overrides[:3])}: comparisons with it cannot be trusted"
                    )
            elif "__eq__" in vars(cls) and _equal_to_anything(cls):
                found.append(f"defines objects ({cls.__qualname__}) that compare equal to anything")
        return found

    def _theirs(self, cls: type) -> bool:
        """Whether the module under test made ``cls``, whatever name it gave it.

        Named after the module, or new since the snapshot unless a library imported
        since then (from outside the submission) holds it under its own name: a
        wildcard class of ``unittest.mock`` imported by an honest module is not the
        module's; an always-equal class that claims to be one of ``collections`` is.
        """
        name = getattr(cls, "__module__", None)
        if name == self.module:
            return True
        if _IDENTITY(cls) in self.known:
            return False
        library = sys.modules.get(name) if isinstance(name, str) else None
        if library is None or name in self.sys_modules:
            return True
        file = getattr(library, "__file__", None)
        if not isinstance(file, str) or Path(file).resolve().is_relative_to(self.impl_dir):
            return True
        return getattr(library, getattr(cls, "__name__", ""), None) is not cls

    def _candidates(self, full: bool, torch) -> Iterable[type]:
        if full:
            return _every_class()
        roots: list[type] = [torch.Tensor] if torch is not None else []
        # Only the module's own direct subclasses of object (named after it, or new
        # since the snapshot): the other few thousand would be dropped by the caller
        # anyway, after a costly check. Their module names and identities are read at
        # C speed (a few thousand classes, after every test); a class that hides its
        # name gets the slow, careful look.
        subclasses = type.__subclasses__(object)
        try:
            modules = list(map(_MODULE_OF, subclasses))
        except Exception:
            modules = [getattr(c, "__module__", None) for c in subclasses]
        fresh = set(map(_IDENTITY, subclasses)) - self.known
        if self.module in modules or fresh:
            roots += [
                c
                for c, m in zip(subclasses, modules, strict=True)
                if m == self.module or _IDENTITY(c) in fresh
            ]
        learner = sys.modules.get(self.module)
        if learner is not None:
            roots += [v for v in vars(learner).values() if isinstance(v, type)]
        tensor = torch.Tensor if torch is not None else None
        return _walk(roots, lambda cls: tensor is not None and issubclass(cls, tensor))


def _every_class() -> Iterable[type]:
    """Every class reachable from ``object``, each once."""
    return _walk([object], lambda cls: True, single_base_once=True)


def _walk(roots: list[type], descend, single_base_once: bool = False) -> Iterable[type]:
    """The roots and the subclasses of those ``descend`` accepts, each once.

    From ``object`` down (``single_base_once``), a class with one base is met once,
    under that base: only the others need remembering.
    """
    seen: set[int] = set()
    stack = list(roots)
    while stack:
        cls = stack.pop()
        if not single_base_once or len(getattr(cls, "__bases__", ())) != 1:
            if _IDENTITY(cls) in seen:
                continue
            seen.add(_IDENTITY(cls))
        yield cls
        if descend(cls):
            try:
                stack += type.__subclasses__(cls)
            except TypeError:  # pragma: no cover - never for a class: no check fails on one
                pass


def _overrides(cls: type, name: str, torch) -> bool:
    for klass in cls.__mro__:
        if klass is torch.Tensor or klass is torch._C.TensorBase:
            return False
        if name in vars(klass):
            value = vars(klass)[name]
            function = getattr(value, "__func__", value)
            if function is getattr(torch._C, "_disabled_torch_function_impl", None):
                return False
            # Torch's own subclasses (Parameter, Buffer...) are not the learner's.
            return getattr(klass, "__module__", "").split(".")[0] != "torch"
    return False


class _Probe:
    """A fresh object nothing honest compares equal to."""


def _equal_to_anything(cls: type) -> bool:
    try:
        instance = cls.__new__(cls)
    except Exception:
        try:
            instance = object.__new__(cls)
        except Exception:
            return False
    try:
        answer = cls.__eq__(instance, _Probe())
        return answer is not NotImplemented and bool(answer) is True
    except Exception:
        return False


def _settings_values(settings) -> tuple:
    if settings is None:
        return ()
    values = []
    for name in _SETTINGS_FIELDS:
        try:
            values.append(repr(getattr(settings, name)))
        except Exception:
            values.append("?")
    return tuple(values)


def _call(owner, name: str):
    function = getattr(owner, name, None)
    try:
        return function() if function is not None else None
    except Exception:  # pragma: no cover
        return None
