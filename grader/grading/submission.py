"""Find a submission's module files: in a folder, a ``.zip`` or a ``.tar.gz``.

Only the module files are ever taken, found by file name anywhere in the
submission: flat (``layers.py``), in the exercises layout (``05_layers/layers.py``)
or in a learner's whole copy of the kit (``exercises/05_layers/layers.py``; in a
kit copy only its ``exercises/`` folder is searched). Hidden folders, caches and
virtual environments are skipped. Two candidates for one module reject that
module; links, huge files and unreadable entries are rejected too.

Archives are never extracted: their listing is read and only the chosen module
files' bytes (bounded) are taken, so no path in an archive is ever written to disk.
Everything a submission could make the grader read or keep is bounded (entries,
path lengths and depths, declared sizes, tar header payloads, a zip's directory),
and a submission that cannot be read, or is damaged, has each of its modules
rejected with a sentence saying why: it never stops the run.

A Jupyter notebook (``.ipynb``) is a submission too, alone, in a folder or in an
archive: a module that no ``.py`` file gives (or only the kit's unchanged stub) is
built from the one notebook that defines any of its contract items, from the
notebook's JSON and never by running it (``grader.notebook_source``). A module file
that is not the stub wins over a notebook; two notebooks defining the same module
reject it; a notebook that cannot be read rejects the modules it would have given.
"""

from __future__ import annotations

import functools
import os
import stat
import tarfile
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from .. import notebook_source
from ..catalog import BY_NAME, EXERCISES
from ..notebook_source import MAX_NOTEBOOK_BYTES

MAX_MODULE_BYTES = 1024 * 1024
MAX_ENTRIES = 20_000  # files and folders looked at per submission
MAX_ARCHIVE_BYTES = 1024**3  # declared sizes of all members, scanned in a .tar.gz
MAX_PATH_CHARS = 1024  # one path inside a submission
MAX_DEPTH = 64  # folders in one path
MAX_KIT_COPIES = 16  # folders holding exercises/<exercise folder>/
MAX_HEADER_BYTES = 8 * 1024  # one tar long-name or pax header's payload
MAX_PAX_BYTES = 1024 * 1024  # all pax headers' payloads in one tar (parsing them is slow)
MAX_PAX_GLOBALS = 64  # global pax records (tarfile applies them to every member)
MAX_HEADER_CHAIN = 4  # long-name and pax headers in a row (tarfile holds them all)
MAX_ZIP_DIRECTORY = 8 * 1024 * 1024  # a zip's central directory (read whole by zipfile)
SKIP_DIRS = {"__pycache__", "site-packages", "node_modules", "__MACOSX", "venv", "env"}
ARCHIVE_SUFFIXES = (".tar.gz", ".tgz", ".tar", ".zip")
MAX_NOTEBOOKS = 32  # notebooks read per submission
_NOTEBOOKS = "*.ipynb"  # the notebooks' key among the candidates


class SubmissionError(Exception):
    """Why a submission cannot be read: not a folder nor a supported archive, or
    beyond one of the bounds above (a sentence for the report)."""


@dataclass
class ModuleFile:
    module: str
    status: str  # "found", "missing" or "rejected"
    message: str = ""
    source: bytes | None = None
    origin: str = ""  # its path inside the submission


@dataclass
class Submission:
    name: str
    path: Path
    modules: dict[str, ModuleFile] = field(default_factory=dict)


def kind_of(path: Path) -> str | None:
    if path.is_dir():
        return "dir"
    if path.is_file():
        lower = path.name.lower()
        if lower.endswith(".zip"):
            return "zip"
        if lower.endswith((".tar.gz", ".tgz", ".tar")):
            return "tar"
        if lower.endswith(".ipynb"):
            return "notebook"
    return None


def check(path: Path) -> None:
    """A :class:`SubmissionError` sentence unless ``path`` can be a submission."""
    if not path.exists():
        raise SubmissionError(f"{path}: no such file or folder")
    if kind_of(path) is None:
        raise SubmissionError(
            f"{path}: a submission is a folder or a .zip / .tar.gz archive of one, "
            "or a notebook (.ipynb)"
        )


def name_of(path: Path) -> str:
    """``cohort/alice.tar.gz`` -> ``alice``; a folder's own name (``.`` -> its real name)."""
    name = path.resolve().name if path.is_dir() else path.name
    lower = name.lower()
    for suffix in (*ARCHIVE_SUFFIXES, ".ipynb"):
        if lower.endswith(suffix) and len(name) > len(suffix):
            return name[: -len(suffix)]
    return name or str(path)


@dataclass
class _Entry:
    path: PurePosixPath
    size: int
    link: bool
    handle: object  # how to read it: a filesystem path, a ZipInfo or a TarInfo


def _skipped_dir(part: str) -> bool:
    return part.startswith(".") or part in SKIP_DIRS or part.endswith(".egg-info")


def _relative(name: str) -> PurePosixPath:
    """An entry's path inside the submission (``\\`` and leading ``/`` are only names)."""
    if len(name) > MAX_PATH_CHARS:
        raise SubmissionError(f"a path in it is longer than {MAX_PATH_CHARS} characters")
    path = PurePosixPath(name.replace("\\", "/").lstrip("/"))
    if len(path.parts) > MAX_DEPTH:
        raise SubmissionError(f"a path in it is more than {MAX_DEPTH} folders deep")
    return path


def _choose(entries: Iterable[_Entry], modules: Iterable[str]) -> dict[str, list[_Entry]]:
    """Candidates per module, after the skip rules and the kit-copy rule.

    One pass keeps only what the rules need (the candidates, the folders of virtual
    environments, the roots of kit copies), so a huge listing is never held whole.
    """
    folders = {ex.folder for ex in EXERCISES}
    wanted = {BY_NAME[m].filename: m for m in modules}
    venvs: set[tuple[str, ...]] = set()
    # A copy of the kit: a folder R with R/exercises/<exercise folder>/ in it.
    kit_roots: set[tuple[str, ...]] = set()
    candidates: list[tuple[_Entry, str]] = []
    for entry in entries:
        parts = entry.path.parts
        if not parts:
            continue
        if parts[-1] == "pyvenv.cfg":
            venvs.add(parts[:-1])
        for i in range(len(parts) - 2):
            if parts[i] == "exercises" and parts[i + 1] in folders:
                kit_roots.add(parts[:i])
        if len(kit_roots) > MAX_KIT_COPIES:
            raise SubmissionError(f"it holds more than {MAX_KIT_COPIES} copies of the kit")
        module = wanted.get(parts[-1]) or (_NOTEBOOKS if _is_notebook(parts[-1]) else None)
        if module is not None and not any(_skipped_dir(p) for p in parts[:-1]):
            candidates.append((entry, module))
    found: dict[str, list[_Entry]] = {m: [] for m in (*wanted.values(), _NOTEBOOKS)}
    for entry, module in candidates:
        parts = entry.path.parts
        parents = {parts[:i] for i in range(len(parts))}
        if not venvs.isdisjoint(parents):
            continue
        roots = [r for r in kit_roots if r in parents]
        if roots and not any((*r, "exercises") in parents for r in roots):
            continue  # in a kit copy, only exercises/ holds the learner's work
        found[module].append(entry)
    return found


def _walk_dir(root: Path) -> Iterator[_Entry]:
    count = 0
    for folder, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if not _skipped_dir(d))
        if dirnames and len(Path(folder).relative_to(root).parts) >= MAX_DEPTH:
            raise SubmissionError(f"a path in it is more than {MAX_DEPTH} folders deep")
        count += len(dirnames) + len(filenames)
        if count > MAX_ENTRIES:
            raise SubmissionError(f"more than {MAX_ENTRIES} files and folders")
        for name in sorted(filenames):
            full = Path(folder) / name
            rel = _relative(full.relative_to(root).as_posix())
            try:
                info = full.lstat()
            except OSError:
                continue
            yield _Entry(rel, info.st_size, stat.S_ISLNK(info.st_mode), full)


def _check_zip_directory(path: Path) -> None:
    """Refuse a zip whose central directory (read whole by zipfile) is huge."""
    end_record = getattr(zipfile, "_EndRecData", None)
    if end_record is None:
        return
    with open(path, "rb") as f:
        end = end_record(f)
    if end and end[zipfile._ECD_SIZE] > MAX_ZIP_DIRECTORY:
        raise SubmissionError(f"its listing is larger than {MAX_ZIP_DIRECTORY // 1024**2} MiB")
    if end and end[zipfile._ECD_ENTRIES_TOTAL] > MAX_ENTRIES:
        raise SubmissionError(f"more than {MAX_ENTRIES} entries")


def _zip_entries(zf: zipfile.ZipFile) -> Iterator[_Entry]:
    infos = zf.infolist()
    if len(infos) > MAX_ENTRIES:
        raise SubmissionError(f"more than {MAX_ENTRIES} entries")
    for info in infos:
        if info.is_dir():
            continue
        rel = _relative(info.filename)
        mode = info.external_attr >> 16
        link = stat.S_ISLNK(mode)
        yield _Entry(rel, info.file_size, link, info)


def _read_limited(stream, limit: int) -> bytes:
    data = stream.read(limit + 1)
    if len(data) > limit:
        raise ValueError("too large")
    return data


def _finish(found: dict[str, list[_Entry]], read) -> dict[str, ModuleFile]:
    result = {}
    notebooks = found.pop(_NOTEBOOKS, [])
    for module, candidates in found.items():
        filename = BY_NAME[module].filename
        if not candidates:
            result[module] = ModuleFile(module, "missing", f"no {filename} in the submission")
            continue
        if len(candidates) > 1:
            paths = " and ".join(str(c.path) for c in candidates[:4])
            result[module] = ModuleFile(
                module,
                "rejected",
                f"{len(candidates)} files could be {filename}: {paths}; keep only one",
            )
            continue
        entry = candidates[0]
        origin = str(entry.path)
        if entry.link:
            message = f"{origin} is a link; submit the file itself"
            result[module] = ModuleFile(module, "rejected", message, origin=origin)
        elif entry.size > MAX_MODULE_BYTES:
            message = f"{origin} is larger than {MAX_MODULE_BYTES // 1024} KiB"
            result[module] = ModuleFile(module, "rejected", message, origin=origin)
        else:
            try:
                source = read(entry)
            except Exception as exc:  # a broken entry rejects this module only
                reason = "it is too large" if str(exc) == "too large" else _detail(exc)
                result[module] = ModuleFile(
                    module, "rejected", f"{origin} could not be read ({reason})", origin=origin
                )
            else:
                result[module] = ModuleFile(module, "found", "", source, origin)
    return _add_notebooks(result, notebooks, read)


def _unreadable(modules: Iterable[str], reason: str) -> dict[str, ModuleFile]:
    return {
        m: ModuleFile(m, "rejected", f"the submission could not be read: {reason}") for m in modules
    }


def _detail(exc: BaseException) -> str:
    """``module.ExcType: the first line of its message``, short."""
    kind = type(exc)
    name = kind.__name__ if kind.__module__ == "builtins" else f"{kind.__module__}.{kind.__name__}"
    lines = str(exc).strip().splitlines()
    first = lines[0].strip().rstrip(":") if lines else ""
    if len(first) > 160:
        first = first[:160] + "..."
    return f"{name}: {first}" if first else name


def _why(exc: Exception, kind: str | None) -> str:
    """One sentence on why a whole submission could not be read."""
    if isinstance(exc, SubmissionError):
        return str(exc)
    if isinstance(exc, (MemoryError, RecursionError)):
        return f"reading it took more than the grader allows ({_detail(exc)})"
    if isinstance(exc, tarfile.ReadError) and "could not be opened" in str(exc):
        return "it is not a .tar, .tar.gz or .tgz archive, or it is damaged"
    if kind in ("zip", "tar"):
        return f"the archive is damaged or cut short ({_detail(exc)})"
    return _detail(exc)


def open_submission(path: Path, modules: Iterable[str], name: str | None = None) -> Submission:
    """Read a submission's module files (a rejection per module, never an exception)."""
    modules = tuple(modules)
    sub = Submission(name or name_of(path), path)
    kind = None
    try:
        kind = kind_of(path)
        if kind == "dir":

            def read(entry: _Entry) -> bytes:
                with open(entry.handle, "rb") as f:
                    return _read_limited(f, _limit_of(entry))

            sub.modules = _finish(_choose(_walk_dir(path), modules), read)
        elif kind == "zip":
            _check_zip_directory(path)
            with zipfile.ZipFile(path) as zf:

                def read(entry: _Entry) -> bytes:
                    with zf.open(entry.handle) as f:
                        return _read_limited(f, _limit_of(entry))

                sub.modules = _finish(_choose(_zip_entries(zf), modules), read)
        elif kind == "tar":
            sub.modules = _open_tar(path, modules)
        elif kind == "notebook":
            size = path.stat().st_size
            entry = _Entry(PurePosixPath(path.name), size, path.is_symlink(), path)

            def read(entry: _Entry) -> bytes:
                with open(entry.handle, "rb") as f:
                    return _read_limited(f, MAX_NOTEBOOK_BYTES)

            missing = {m: [] for m in modules}
            sub.modules = _finish({**missing, _NOTEBOOKS: [entry]}, read)
        else:
            sub.modules = _unreadable(modules, "not a folder, .zip or .tar.gz")
    except Exception as exc:  # zlib.error, EOFError, BadZipFile, MemoryError...: never fatal
        sub.modules = _unreadable(modules, _why(exc, kind))
    return sub


# ---------------------------------------------------------------- tar archives

# Members whose payload tarfile reads whole into memory (GNU long names, pax headers).
_LONG_NAMES = (tarfile.GNUTYPE_LONGNAME, tarfile.GNUTYPE_LONGLINK)
_PAX = (tarfile.XHDTYPE, tarfile.XGLTYPE, tarfile.SOLARIS_XHDTYPE)


class _BoundedTarInfo(tarfile.TarInfo):
    """A TarInfo that refuses, before tarfile reads it, what would cost unbounded memory
    or time: a long-name or pax header over MAX_HEADER_BYTES (tarfile reads the declared
    size at once), pax headers over MAX_PAX_BYTES in all, more than MAX_HEADER_CHAIN
    headers in a row, a negative size (tarfile would step back), GNU sparse maps of any
    length; and a damaged header after the first, which tarfile takes for the end of
    the archive."""

    @classmethod
    def fromtarfile(cls, tf):
        try:
            return super().fromtarfile(tf)
        except (tarfile.InvalidHeaderError, tarfile.TruncatedHeaderError) as exc:
            if not tf.offset:
                raise  # not a tar archive at all: tarfile tries the next format
            raise tarfile.ReadError(f"{exc} at byte {tf.offset}") from None

    def _proc_member(self, tf):
        if self.size < 0:
            raise tarfile.ReadError(f"a member declares a negative size at byte {self.offset}")
        if self.type in _LONG_NAMES + _PAX and self.size > MAX_HEADER_BYTES:
            kind = "long-name" if self.type in _LONG_NAMES else "pax"
            raise SubmissionError(
                f"a {kind} header in it declares {self.size} bytes "
                f"(at most {MAX_HEADER_BYTES // 1024} KiB are read)"
            )
        if self.type in _PAX:
            tf.pax_bytes += self.size
            if tf.pax_bytes > MAX_PAX_BYTES:
                raise SubmissionError(
                    f"its pax headers hold more than {MAX_PAX_BYTES // 1024} KiB in all"
                )
        if self.type == tarfile.GNUTYPE_SPARSE and getattr(self, "_sparse_structs", (0, 0))[1]:
            raise SubmissionError("it holds a sparse file with a long map (tar --sparse)")
        if self.type not in _LONG_NAMES + _PAX:
            return super()._proc_member(tf)
        if tf.header_chain >= MAX_HEADER_CHAIN:
            raise SubmissionError(f"more than {MAX_HEADER_CHAIN} headers in a row in it")
        tf.header_chain += 1  # each is processed within the one before it
        try:
            return super()._proc_member(tf)
        finally:
            tf.header_chain -= 1

    def _proc_gnusparse_10(self, next, pax_headers, tf):
        raise SubmissionError("it holds a sparse file (GNU sparse format 1.0)")


class _BoundedTarFile(tarfile.TarFile):
    tarinfo = _BoundedTarInfo
    pax_bytes = 0  # the payloads of the pax headers read so far
    header_chain = 0  # headers being processed, one within the other


def _open_tar(path: Path, modules: tuple[str, ...]) -> dict[str, ModuleFile]:
    """One pass over the (possibly compressed) stream, reading only module files."""
    wanted = {BY_NAME[m].filename for m in modules}
    contents: dict[int, bytes | list | Exception] = {}
    seen: dict[str, int] = {}

    with _BoundedTarFile.open(path, "r:*") as tf:

        def listing() -> Iterator[_Entry]:
            total = 0
            count = 0
            notebooks_read = 0
            while (member := tf.next()) is not None:
                tf.members.clear()  # each member is looked at once: none is kept
                count += 1
                if count > MAX_ENTRIES:
                    raise SubmissionError(f"more than {MAX_ENTRIES} entries")
                if len(tf.pax_headers) > MAX_PAX_GLOBALS:
                    raise SubmissionError(f"more than {MAX_PAX_GLOBALS} global pax records")
                if member.size < 0:
                    raise tarfile.ReadError(f"{member.name[:80]!r} declares a negative size")
                total += member.size
                if total > MAX_ARCHIVE_BYTES:
                    raise SubmissionError(f"more than {MAX_ARCHIVE_BYTES // 1024**2} MiB in it")
                rel = _relative(member.name)
                if member.isdir():
                    continue
                link = member.issym() or member.islnk() or not member.isfile()
                entry = _Entry(rel, member.size, link, count)
                if rel.name in wanted and not link and member.size <= MAX_MODULE_BYTES:
                    seen[rel.name] = seen.get(rel.name, 0) + 1
                    if seen[rel.name] <= 2:  # a third candidate is rejected anyway
                        try:
                            stream = tf.extractfile(member)
                            contents[count] = _read_limited(stream, MAX_MODULE_BYTES)
                        except Exception as exc:
                            contents[count] = exc
                elif _is_notebook(rel.name) and not link and member.size <= MAX_NOTEBOOK_BYTES:
                    # Parsed at once: only the code cells are kept, not the outputs.
                    if any(_skipped_dir(p) for p in rel.parts[:-1]):
                        pass
                    elif notebooks_read >= MAX_NOTEBOOKS:
                        contents[count] = SubmissionError("too many notebooks to read")
                    else:
                        notebooks_read += 1
                        try:
                            stream = tf.extractfile(member)
                            data = _read_limited(stream, MAX_NOTEBOOK_BYTES)
                            contents[count] = notebook_source.read_notebook(data)
                        except Exception as exc:
                            contents[count] = exc
                yield entry

        found = _choose(listing(), modules)

    def read(entry: _Entry) -> bytes | list:
        data = contents.get(entry.handle)
        if isinstance(data, Exception):
            raise data
        if data is None:
            raise ValueError("not read")
        return data

    return _finish(found, read)


# ---------------------------------------------------------------- notebooks


def _limit_of(entry: _Entry) -> int:
    """How many bytes of an entry are read: a notebook holds outputs, a module only code."""
    return MAX_NOTEBOOK_BYTES if _is_notebook(entry.path.name) else MAX_MODULE_BYTES


def _is_notebook(filename: str) -> bool:
    return filename.lower().endswith(".ipynb")


def _notebook_cells(data: bytes | list) -> list[notebook_source.Cell]:
    """A notebook's code cells from its bytes (or the cells a tar scan already parsed)."""
    if isinstance(data, list):
        return data
    return notebook_source.read_notebook(data)


@functools.cache
def _stub_text(module: str) -> str | None:
    """The kit's own unchanged stub for ``module`` (next to this grader), if present."""
    ex = BY_NAME[module]
    path = Path(__file__).resolve().parents[2] / "exercises" / ex.folder / ex.filename
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None


def _is_stub(module: str, source: bytes | None) -> bool:
    stub = _stub_text(module)
    if stub is None or source is None:
        return False
    try:
        text = source.decode("utf-8-sig")
    except UnicodeDecodeError:
        return False
    return text.replace("\r\n", "\n").strip() == stub.replace("\r\n", "\n").strip()


def _add_notebooks(
    result: dict[str, ModuleFile], notebooks: list[_Entry], read
) -> dict[str, ModuleFile]:
    """Modules no .py file gives (or only the kit's unchanged stub), from the notebooks.

    A module comes from the one notebook that defines any of its contract items; two
    such notebooks reject it. Over the kit's unchanged stub, only a notebook whose
    items differ from the stub's wins (the kit's own exercise notebooks hold the stubs
    too). A notebook that cannot be read rejects the modules no
    file or other notebook gives, with the reason.
    """
    if not notebooks:
        return result
    if len(notebooks) > MAX_NOTEBOOKS:
        raise SubmissionError(f"it holds more than {MAX_NOTEBOOKS} notebooks")
    readable: list[tuple[str, notebook_source.Extraction]] = []
    unreadable: list[str] = []
    for entry in notebooks:
        origin = str(entry.path)
        if entry.link:
            unreadable.append(f"{origin} is a link; submit the notebook itself")
            continue
        if entry.size > MAX_NOTEBOOK_BYTES:
            limit = MAX_NOTEBOOK_BYTES // 1024**2
            unreadable.append(f"{origin} could not be read: it is larger than {limit} MiB")
            continue
        try:
            cells = _notebook_cells(read(entry))
        except notebook_source.NotebookError as exc:
            unreadable.append(f"{origin} could not be read: {exc}")
            continue
        except Exception as exc:  # a damaged archive member
            reason = f"it is larger than {MAX_NOTEBOOK_BYTES // 1024**2} MiB"
            reason = reason if str(exc) == "too large" else _detail(exc)
            unreadable.append(f"{origin} could not be read: {reason}")
            continue
        readable.append((origin, notebook_source.extract(cells)))
    for module, found in result.items():
        if found.status == "rejected" or (
            found.status == "found" and not _is_stub(module, found.source)
        ):
            continue
        items = BY_NAME[module].items
        defining = [(o, e) for o, e in readable if e.defined & set(items)]
        if found.status == "found":  # the stub: a notebook wins only with work of its own
            stub = _stub_text(module) or ""
            defining = [
                (o, e) for o, e in defining if not notebook_source.same_items(e, stub, items)
            ]
            if not defining:
                continue
        if len(defining) == 1:
            origin, extraction = defining[0]
            built = notebook_source.build_module(extraction, module, origin)
            result[module] = ModuleFile(module, "found", "", built.text.encode(), origin)
        elif len(defining) > 1:
            paths = " and ".join(o for o, _ in defining[:4])
            message = f"{len(defining)} notebooks define {module}'s items: {paths}; keep only one"
            result[module] = ModuleFile(module, "rejected", message)
        elif found.status == "missing" and unreadable:
            result[module] = ModuleFile(module, "rejected", "; ".join(unreadable[:2]))
        elif found.status == "missing":
            names = " or ".join(items)
            message = f"{found.message}, and no notebook in it defines {names}"
            result[module] = ModuleFile(module, "missing", message)
    return result
