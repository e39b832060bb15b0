"""A graded check is a probe and a verdict.

The *probe* runs the learner's code on inputs it is given and returns plain data
(grader/codec.py): tensors, numbers, bools, strings, and lists, tuples and dicts of
those; never a learner's object. The *verdict* is the rest of the test: it decides,
from the inputs and those data alone, whether the check passes and what to say.

In a test file::

    probe = probes("sharing")          # the probes of sharing.py

    @probe
    def mlp_shapes(sharing, n):        # first argument: the learner's module
        net = sharing.shared_mlp(n, 8)
        return [tuple(p.shape) for p in net.parameters()]

    def test_shapes():                 # the verdict: plain Python on plain data
        assert mlp_shapes(3)[0] == (8, 3)

Calling ``mlp_shapes(3)`` runs the probe and returns its data. When a learner runs
``pytest exercises/`` the probe runs in the same process (:class:`Local`), with its
arguments and its result copied as the codec would carry them (grader/codec.py,
``copy``), so that both halves see exactly what they would see when grading. When
grading, the test runs in a process that never imports the learner's module: the
call goes to a sandboxed worker (grader/grading/probe_worker.py) that holds the module and
the probes, and comes back as data (:class:`Remote`). An exception in the learner's
code comes back as data too (its type, message and the learner's frames) and is
raised here as a :class:`LearnerError` of the same name.

Only what a probe needs enters the worker: the functions marked ``@probe`` or
``@probe.helper`` and the test file's imports of a few libraries
(:func:`probe_source`). The verdicts, and an instructor's expected values, never do.
"""

from __future__ import annotations

import builtins
import contextlib
import functools
from collections.abc import Callable
from pathlib import Path

import torch

from . import causes, codec
from .probe_source import PROBE_IMPORTS, probe_source  # noqa: F401 - the API


class Missing(Exception):
    """The learner's module lacks a name a probe asked for (the sentence says which)."""


class LearnerError(Exception):
    """An exception the learner's code raised in the sandboxed worker, as data.

    Raised in the grading process under the learner's exception's name, and an
    instance of the built-in exception of that name where there is one, so that
    ``isinstance(e, NotImplementedError)`` reads as it would in the learner's run.
    """

    type_name = "Exception"

    def __init__(self, message: str, frames: list[tuple[str, int, str]], name: str | None):
        super().__init__(message)
        self.message = message
        self.frames = frames  # (file name, line, source line) in the learner's file
        self.name = name  # NameError's and ImportError's ``name``

    def __str__(self) -> str:
        return self.message


_REMOTE_CLASSES: dict[str, type] = {}


def learner_error(type_name: str, message: str, frames, name: str | None = None) -> LearnerError:
    """The exception to raise for what the worker reported, as :class:`LearnerError`."""
    cls = _REMOTE_CLASSES.get(type_name)
    if cls is None:
        base = getattr(builtins, type_name, None)
        bases: tuple[type, ...] = (LearnerError,)
        if (
            isinstance(base, type)
            and issubclass(base, Exception)
            and base.__module__ == "builtins"
            and type_name.isidentifier()
        ):
            bases = (LearnerError, base)
        try:
            cls = type(type_name, bases, {"type_name": type_name, "__module__": "learner"})
        except TypeError:  # a layout conflict (e.g. OSError's): the name alone
            cls = type(type_name, (LearnerError,), {"type_name": type_name})
        if len(_REMOTE_CLASSES) < 256:
            _REMOTE_CLASSES[type_name] = cls
    error = cls.__new__(cls)
    LearnerError.__init__(error, message, list(frames), name)
    return error


class Probe:
    """One probe: call it with the probe's arguments (not the module) to get its data."""

    def __init__(self, owner: Probes, fn: Callable) -> None:
        self.owner = owner
        self.fn = fn
        self.name = fn.__name__
        self.__doc__ = fn.__doc__
        self.__name__ = fn.__name__
        self.__wrapped__ = fn

    @functools.cached_property
    def file(self) -> str:
        return str(Path(self.fn.__code__.co_filename).resolve())

    def __call__(self, *args, **kwargs):
        return RUNTIME[0].call(self, args, kwargs)

    def __repr__(self) -> str:
        return f"<probe {self.name} of {self.owner.module}.py>"


class Probes:
    """The probes of one learner module: ``@probe`` marks one, ``@probe.helper`` a
    helper (a function or class) the probes use, which the worker needs too."""

    def __init__(self, module: str) -> None:
        self.module = module
        self.by_name: dict[str, Probe] = {}

    def __call__(self, fn: Callable) -> Probe:
        found = Probe(self, fn)
        self.by_name[found.name] = found
        return found

    @staticmethod
    def helper(obj):
        return obj


def probes(module: str) -> Probes:
    return Probes(module)


BUILTIN = "<builtin>"  # the file of the probes every worker has


class _BuiltinProbe(Probe):
    @property
    def file(self) -> str:
        return BUILTIN


def _call_function(module, name, args, kwargs):
    """Call one function of the learner's module; its result must be plain data."""
    return getattr(module, name)(*args, **kwargs)


class Functions:
    """The learner's module's functions, each run as a probe: ``functions("layers").act()``
    calls ``act()`` in the module and returns its result, which must be plain data.

    The shortest way to check a function that takes and returns data; a class or a
    function that returns objects needs a probe of its own.
    """

    def __init__(self, module: str) -> None:
        self._probe = _BuiltinProbe(Probes(module), _call_function)

    def __getattr__(self, name: str):
        if name.startswith("_"):
            raise AttributeError(name)

        def run(*args, **kwargs):
            return RUNTIME[0].call(self._probe, (name, list(args), dict(kwargs)), {})

        run.__name__ = name
        return run


def functions(module: str) -> Functions:
    return Functions(module)


# ------------------------------------------------------------------ running a probe


def _seed() -> int:
    """A seed for the probe's torch generator, drawn from the test's (itself seeded
    per test and per Hypothesis example): the same in the learner's run and in grading."""
    return int(torch.randint(0, 2**31 - 1, (), generator=torch.default_generator))


def copied(value):
    """``value`` as the other side would see it, copied in this process (grader/codec.py,
    :func:`~grader.codec.copy`): the learner's run, where nothing crosses."""
    return codec.copy(value)


def seed_torch(seed: int) -> None:
    """Seed torch for one probe. Without CUDA the CPU generator is all there is:
    ``torch.manual_seed`` would format three stack traces (CUDA's, XPU's and MTIA's
    lazy seeding), a millisecond per probe call."""
    if torch.cuda.is_available():
        torch.manual_seed(seed)
    else:
        torch.default_generator.manual_seed(seed)


@contextlib.contextmanager
def kept_torch_state():
    """torch's default dtype and grad mode as they were before the probe ran."""
    dtype, grad = torch.get_default_dtype(), torch.is_grad_enabled()
    try:
        yield
    finally:
        torch.set_default_dtype(dtype)
        torch.set_grad_enabled(grad)


class Local:
    """The learner's run: the probe runs here, on the module imported here."""

    def call(self, probe: Probe, args: tuple, kwargs: dict):
        from . import testing

        args, kwargs = copied((args, kwargs))
        seed = _seed()
        module = testing.impl(probe.owner.module)
        with torch.random.fork_rng(devices=[]), kept_torch_state():
            seed_torch(seed)
            result = probe.fn(module, *args, **kwargs)
        try:
            return copied(result)
        except codec.CodecError as exc:
            raise TypeError(not_data_sentence(probe.name, exc)) from None


RUNTIME: list = [Local()]


def use(runtime) -> None:
    """Run every probe call through ``runtime`` from now on (the grading process)."""
    RUNTIME[0] = runtime


# ------------------------------------------------------------------ the worker's side


class ModuleView:
    """The learner's module as a probe in the worker sees it: a missing name is one
    sentence (:class:`Missing`), as ``grader.testing.impl`` says it in the learner's run."""

    def __init__(self, name: str, module) -> None:
        object.__setattr__(self, "_name", name)
        object.__setattr__(self, "_module", module)

    def __getattr__(self, attr: str):
        if attr.startswith("__"):
            raise AttributeError(attr)
        try:
            return getattr(self._module, attr)
        except AttributeError:
            from .catalog import missing_name

            raise Missing(missing_name(self._name, attr)) from None


def exception_data(exc: BaseException, learner_file: str | None) -> dict:
    """What the grading process learns of an exception: its name, its message (at most
    2,000 characters), and the frames in the learner's file."""
    import traceback

    frames = []
    if learner_file is not None:
        target = str(Path(learner_file).resolve())
        for entry in traceback.extract_tb(exc.__traceback__):
            try:
                if str(Path(entry.filename).resolve()) != target:
                    continue
            except (OSError, ValueError):
                continue
            frames.append([Path(entry.filename).name, int(entry.lineno or 0), entry.line or ""])
    try:
        message = str(exc)
    except BaseException:
        message = "(its message could not be read)"
    name = getattr(exc, "name", None)
    return {
        "type": type(exc).__name__[:100],
        "message": message[:2000],
        "frames": frames[-20:],
        "name": name[:200] if isinstance(name, str) else None,
    }


# ------------------------------------------------------------------ probe source


def load_probes(source: str, filename: str) -> dict[str, Probe]:
    """Run a file's probe source (the worker's side) and return its probes by name."""
    namespace: dict = {"__name__": f"probes_of_{Path(filename).stem}", "__file__": filename}
    exec(compile(source, filename, "exec"), namespace)
    found: dict[str, Probe] = {}
    for value in namespace.values():
        if isinstance(value, Probes):
            found.update(value.by_name)
    return found


# ------------------------------------------------------------------ both sides of a call


class Dispatcher:
    """The worker's side of every call: the learner's module and the probes.

    :meth:`call` takes a request (plain data) and returns a reply (plain data):
    ``{"ok": value}``, ``{"raised": exception data}``, ``{"missing": sentence}`` or
    ``{"import_error": sentence}``. It never raises for anything the learner's code does.
    """

    def __init__(self, module: str, path: Path | None) -> None:
        self.module_name = module
        self.path = path
        self.module = None
        self.import_error: str | None = None if path is not None else f"no {module}.py found"
        self.probes: dict[str, dict[str, Probe]] = {}

    def add_probes(self, file: str, source: str) -> None:
        """The probes of one test file, from the file's probe source (:func:`probe_source`)."""
        self.probes[file] = load_probes(source, file)

    def import_module(self) -> dict:
        """Import the learner's module (once); the reply says whether it worked, and the
        facts about it that explain failures (its classes, and which are unwritten)."""
        if self.module is None and self.import_error is None:
            from . import loader, testing

            try:
                self.module = loader.import_path(self.path, self.module_name)
            except BaseException as exc:  # noqa: BLE001 - whatever it is, it is data
                self.import_error = testing.describe_import_error(self.path, exc)
        if self.import_error is not None:
            return {"import_error": self.import_error}
        return {"ok": causes.module_facts(self.module)}

    def call(self, request: dict) -> dict:
        if self.module is None or self.import_error is not None:
            imported = self.import_module()  # the facts are worked out at most once
            if "import_error" in imported:
                return imported
        if request.get("file") == BUILTIN and request.get("name") == _call_function.__name__:
            found = _BuiltinProbe(Probes(self.module_name), _call_function)
        else:
            found = self.probes.get(request.get("file"), {}).get(request.get("name"))
        if found is None:
            return {"kit_error": f"no probe {request.get('name')!r} in this worker"}
        view = ModuleView(self.module_name, self.module)
        try:
            with torch.random.fork_rng(devices=[]), kept_torch_state():
                seed_torch(int(request["seed"]))
                value = found.fn(view, *request["args"], **request["kwargs"])
        except Missing as exc:
            return {"missing": str(exc)}
        except BaseException as exc:  # noqa: BLE001 - the learner's exception is data
            return {"raised": exception_data(exc, str(self.path))}
        return {"ok": value}


def not_data_sentence(name: str, exc: Exception) -> str:
    """What a probe whose result is not plain data is told, in either run."""
    return f"the probe {name} returned {exc}"


def not_data(name: str, exc: Exception) -> dict:
    """The worker's reply for a probe whose result is not plain data."""
    return {"raised": exception_data(TypeError(not_data_sentence(name, exc)), None)}


def request_for(probe: Probe, args: tuple, kwargs: dict) -> dict:
    return {
        "file": probe.file,
        "name": probe.name,
        "args": list(args),
        "kwargs": dict(kwargs),
        "seed": _seed(),
    }


def value_of(reply) -> object:
    """The probe's data from a reply, or the failure it stands for, raised here."""
    import pytest

    if not isinstance(reply, dict) or len(reply) != 1:
        pytest.fail("the worker's reply was malformed", pytrace=False)
    ((kind, body),) = reply.items()
    if kind == "ok":
        return body
    if kind in ("missing", "import_error", "kit_error") and isinstance(body, str):
        pytest.fail(body, pytrace=False)
    if kind == "raised" and isinstance(body, dict):
        frames = [
            (str(f[0]), int(f[1]), str(f[2]))
            for f in body.get("frames") or []
            if isinstance(f, list) and len(f) == 3 and type(f[1]) is int
        ]
        name = body.get("name")
        raise learner_error(
            str(body.get("type", "Exception")),
            str(body.get("message", "")),
            frames,
            name if isinstance(name, str) else None,
        )
    pytest.fail("the worker's reply was malformed", pytrace=False)


class ProbeLost(Exception):
    """The sandboxed worker died during a call (it exited, crashed or was killed)."""


class Remote:
    """The grading process's side: every call goes to the sandboxed worker.

    ``on_violation(sentence)`` hears of each action the worker's sandbox denied.
    After a call that ran out of time (:attr:`busy`) or lost the worker (:attr:`lost`)
    no further call is made: the test runner reports the test and exits, and the
    grader starts a fresh pair for the tests left.
    """

    def __init__(
        self, sock, magic: bytes, on_violation: Callable[[str], None] | None = None
    ) -> None:
        self.stream = codec.Stream(sock, magic)
        self.on_violation = on_violation
        self.busy = False
        self.lost = False
        self.refused = ""  # a message the grader would not decode: the stream is unsafe
        self.hello: dict = {}
        self.facts: dict | None = None
        self.import_error: str | None = None

    def _exchange(self, request: dict):
        import pytest

        if self.busy or self.lost or self.refused:
            pytest.fail("the worker is no longer usable (an earlier call failed)", pytrace=False)
        self.busy = True
        try:
            self.stream.send(request)
            message = self.stream.receive()
        except (EOFError, OSError) as exc:
            self.lost = True
            raise ProbeLost(str(exc)) from None
        except codec.CodecError as exc:
            self.refused = str(exc)
            pytest.fail(f"the worker sent data the grader refuses: {exc}", pytrace=False)
        self.busy = False
        if not isinstance(message, dict) or "reply" not in message:
            self.refused = "a malformed message"
            pytest.fail("the worker's reply was malformed", pytrace=False)
        for sentence in (message.get("violations") or [])[:10]:
            if isinstance(sentence, str) and self.on_violation is not None:
                self.on_violation(sentence)
        return message["reply"]

    def start(self, timeout: float | None = None) -> dict:
        """The worker's first message: its sandbox layers and torch version."""
        self.stream.sock.settimeout(timeout)
        try:
            message = self.stream.receive()
        except (EOFError, OSError, codec.CodecError) as exc:  # a timeout is an OSError
            self.lost = True
            raise ProbeLost(str(exc)) from None
        finally:
            self.stream.sock.settimeout(None)
        hello = message.get("hello") if isinstance(message, dict) else None
        self.hello = hello if isinstance(hello, dict) else {}
        return self.hello

    def import_module(self) -> str | None:
        """Have the worker import the module: None, or the sentence why it could not."""
        if self.facts is None and self.import_error is None:
            reply = self._exchange({"op": "import"})
            if isinstance(reply, dict) and isinstance(reply.get("import_error"), str):
                self.import_error = reply["import_error"]
            elif isinstance(reply, dict) and isinstance(reply.get("ok"), dict):
                self.facts = reply["ok"]
            else:
                self.refused = "a malformed reply"
                self.import_error = "the worker's reply to the import was malformed"
        return self.import_error

    def call(self, probe: Probe, args: tuple, kwargs: dict):
        import pytest

        if self.import_module() is not None:
            pytest.fail(self.import_error, pytrace=False)
        request = request_for(probe, args, kwargs)
        return value_of(self._exchange(dict(request, op="call")))
