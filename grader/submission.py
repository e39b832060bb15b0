"""Find a submission's module files: in a folder, a ``.zip`` or a ``.tar.gz``.

Only the module files are ever taken, found by file name anywhere in the
submission: flat (``layers.py``), in the exercises layout (``05_layers/layers.py``)
or in a learner's whole copy of the kit (``exercises/05_layers/layers.py``; in a
kit copy only its ``exercises/`` folder is searched). Hidden folders, caches and
virtual environments are skipped. Two candidates for one module reject that
module; links, huge files and unreadable entries are rejected too.

Archives are never extracted: their listing is read and only the chosen module
files' bytes (bounded) are taken, so no path in an archive is ever written to disk.
"""

from __future__ import annotations

import os
import stat
import tarfile
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from .catalog import BY_NAME, EXERCISES

MAX_MODULE_BYTES = 1024 * 1024
MAX_ENTRIES = 20_000  # files and folders looked at per submission
MAX_ARCHIVE_BYTES = 1024**3  # declared sizes of all members, scanned in a .tar.gz
SKIP_DIRS = {"__pycache__", "site-packages", "node_modules", "__MACOSX", "venv", "env"}
ARCHIVE_SUFFIXES = (".tar.gz", ".tgz", ".tar", ".zip")


class SubmissionError(Exception):
    """A submission argument that is neither a folder nor a supported archive."""


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
    return None


def check(path: Path) -> None:
    """A :class:`SubmissionError` sentence unless ``path`` can be a submission."""
    if not path.exists():
        raise SubmissionError(f"{path}: no such file or folder")
    if kind_of(path) is None:
        raise SubmissionError(
            f"{path}: a submission is a folder or a .zip / .tar.gz archive of one"
        )


def name_of(path: Path) -> str:
    """``cohort/alice.tar.gz`` -> ``alice``; a folder's own name (``.`` -> its real name)."""
    name = path.resolve().name if path.is_dir() else path.name
    lower = name.lower()
    for suffix in ARCHIVE_SUFFIXES:
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


def _choose(entries: list[_Entry], modules: Iterable[str]) -> dict[str, list[_Entry]]:
    """Candidates per module, after the skip rules and the kit-copy rule."""
    dirs = {p for e in entries for p in e.path.parents}
    venvs = {e.path.parent for e in entries if e.path.name == "pyvenv.cfg"}
    folders = {ex.folder for ex in EXERCISES}
    # A copy of the kit: a folder R with R/exercises/<exercise folder>/ in it.
    kit_roots = {
        d.parent.parent for d in dirs if d.name in folders and d.parent.name == "exercises"
    }
    wanted = {BY_NAME[m].filename: m for m in modules}
    found: dict[str, list[_Entry]] = {m: [] for m in modules}
    for entry in entries:
        module = wanted.get(entry.path.name)
        if module is None:
            continue
        parents = entry.path.parents
        if any(_skipped_dir(p) for p in entry.path.parts[:-1]):
            continue
        if any(v in parents for v in venvs):
            continue
        roots = [r for r in kit_roots if r in parents]
        if roots and not any((r / "exercises") in parents for r in roots):
            continue  # in a kit copy, only exercises/ holds the learner's work
        found[module].append(entry)
    return found


def _walk_dir(root: Path) -> Iterator[_Entry]:
    count = 0
    for folder, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if not _skipped_dir(d))
        for name in sorted(filenames):
            count += 1
            if count > MAX_ENTRIES:
                raise SubmissionError(f"more than {MAX_ENTRIES} files")
            full = Path(folder) / name
            rel = PurePosixPath(full.relative_to(root).as_posix())
            try:
                info = full.lstat()
            except OSError:
                continue
            yield _Entry(rel, info.st_size, stat.S_ISLNK(info.st_mode), full)


def _zip_entries(zf: zipfile.ZipFile) -> Iterator[_Entry]:
    infos = zf.infolist()
    if len(infos) > MAX_ENTRIES:
        raise SubmissionError(f"more than {MAX_ENTRIES} entries")
    for info in infos:
        if info.is_dir():
            continue
        rel = PurePosixPath(info.filename.replace("\\", "/").lstrip("/"))
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
                reason = "it is too large" if str(exc) == "too large" else type(exc).__name__
                result[module] = ModuleFile(
                    module, "rejected", f"{origin} could not be read ({reason})", origin=origin
                )
            else:
                result[module] = ModuleFile(module, "found", "", source, origin)
    return result


def _unreadable(modules: Iterable[str], reason: str) -> dict[str, ModuleFile]:
    return {
        m: ModuleFile(m, "rejected", f"the submission could not be read: {reason}") for m in modules
    }


def open_submission(path: Path, modules: Iterable[str], name: str | None = None) -> Submission:
    """Read a submission's module files (a rejection per module, never an exception)."""
    modules = tuple(modules)
    sub = Submission(name or name_of(path), path)
    kind = kind_of(path)
    try:
        if kind == "dir":

            def read(entry: _Entry) -> bytes:
                with open(entry.handle, "rb") as f:
                    return _read_limited(f, MAX_MODULE_BYTES)

            entries = list(_walk_dir(path))
            sub.modules = _finish(_choose(entries, modules), read)
        elif kind == "zip":
            with zipfile.ZipFile(path) as zf:

                def read(entry: _Entry) -> bytes:
                    with zf.open(entry.handle) as f:
                        return _read_limited(f, MAX_MODULE_BYTES)

                sub.modules = _finish(_choose(list(_zip_entries(zf)), modules), read)
        elif kind == "tar":
            sub.modules = _open_tar(path, modules)
        else:
            sub.modules = _unreadable(modules, "not a folder, .zip or .tar.gz")
    except SubmissionError as exc:
        sub.modules = _unreadable(modules, str(exc))
    except (OSError, zipfile.BadZipFile, tarfile.TarError, EOFError) as exc:
        sub.modules = _unreadable(modules, f"{type(exc).__name__}: {exc}")
    return sub


def _open_tar(path: Path, modules: tuple[str, ...]) -> dict[str, ModuleFile]:
    """One pass over the (possibly compressed) stream, reading only module files."""
    wanted = {BY_NAME[m].filename for m in modules}
    entries: list[_Entry] = []
    contents: dict[int, bytes | Exception] = {}
    seen: dict[str, int] = {}
    total = 0
    with tarfile.open(path, "r:*") as tf:
        for count, member in enumerate(tf, 1):
            if count > MAX_ENTRIES:
                raise SubmissionError(f"more than {MAX_ENTRIES} entries")
            total += max(member.size, 0)
            if total > MAX_ARCHIVE_BYTES:
                raise SubmissionError(f"more than {MAX_ARCHIVE_BYTES // 1024**2} MiB in it")
            if member.isdir():
                continue
            rel = PurePosixPath(member.name.replace("\\", "/").lstrip("/"))
            link = member.issym() or member.islnk() or not member.isfile()
            entry = _Entry(rel, member.size, link, len(entries))
            entries.append(entry)
            if rel.name in wanted and not link and member.size <= MAX_MODULE_BYTES:
                seen[rel.name] = seen.get(rel.name, 0) + 1
                if seen[rel.name] <= 2:  # a third candidate is rejected anyway
                    try:
                        stream = tf.extractfile(member)
                        contents[entry.handle] = _read_limited(stream, MAX_MODULE_BYTES)
                    except Exception as exc:
                        contents[entry.handle] = exc

    def read(entry: _Entry) -> bytes:
        data = contents.get(entry.handle)
        if isinstance(data, Exception):
            raise data
        if data is None:
            raise ValueError("not read")
        return data

    return _finish(_choose(entries, modules), read)
