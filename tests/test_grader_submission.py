"""Finding a submission's module files in folders and archives (fast: no grading)."""

from __future__ import annotations

import io
import os
import tarfile
import zipfile
from pathlib import Path

import pytest

from grader.catalog import BY_NAME, MODULE_NAMES
from grader.grading.submission import (
    MAX_MODULE_BYTES,
    SubmissionError,
    check,
    name_of,
    open_submission,
)

ROOT = Path(__file__).resolve().parent.parent


def write(root: Path, files: dict[str, str | bytes]) -> Path:
    for rel, content in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content)
    return root


def statuses(sub) -> dict[str, str]:
    return {m: f.status for m, f in sub.modules.items()}


def test_flat_and_layout_folders_are_found_by_file_name(tmp_path):
    write(tmp_path / "flat", {"layers.py": "A = 1\n", "notes.txt": "x"})
    write(tmp_path / "layout", {"05_layers/layers.py": "A = 2\n", "03_sharing/sharing.py": ""})
    flat = open_submission(tmp_path / "flat", ("layers", "sharing"))
    assert flat.modules["layers"].source == b"A = 1\n"
    assert flat.modules["sharing"].status == "missing"
    assert "no sharing.py" in flat.modules["sharing"].message
    layout = open_submission(tmp_path / "layout", ("layers", "sharing"))
    assert statuses(layout) == {"layers": "found", "sharing": "found"}
    assert layout.modules["layers"].origin == "05_layers/layers.py"


def test_two_candidates_reject_that_module_only(tmp_path):
    write(tmp_path, {"layers.py": "", "05_layers/layers.py": "", "sharing.py": "B = 1\n"})
    sub = open_submission(tmp_path, ("layers", "sharing"))
    assert statuses(sub) == {"layers": "rejected", "sharing": "found"}
    assert "2 files could be layers.py" in sub.modules["layers"].message


def test_a_kit_copy_is_searched_in_exercises_only(tmp_path):
    write(
        tmp_path,
        {
            "exercises/05_layers/layers.py": "MINE = 1\n",
            "exercises/05_layers/test_layers.py": "",
            "solutions/05_layers/layers.py": "REFERENCE = 1\n",
            "tests/mutants/layers/layers.py": "",
            ".venv/lib/python3.11/site-packages/pkg/layers.py": "",
            "venv2/pyvenv.cfg": "",
            "venv2/lib/sharing.py": "",
            ".git/layers.py": "",
            "__pycache__/layers.py": "",
            "conftest.py": "raise SystemExit",
        },
    )
    sub = open_submission(tmp_path, ("layers", "sharing"))
    assert sub.modules["layers"].source == b"MINE = 1\n"
    assert sub.modules["sharing"].status == "missing"


def test_links_and_huge_files_are_rejected(tmp_path):
    secret = write(tmp_path / "elsewhere", {"secret.py": "X = 1\n"}) / "secret.py"
    sub_dir = tmp_path / "sub"
    sub_dir.mkdir()
    os.symlink(secret, sub_dir / "layers.py")
    (sub_dir / "sharing.py").write_bytes(b"#" * (MAX_MODULE_BYTES + 1))
    sub = open_submission(sub_dir, ("layers", "sharing"))
    assert statuses(sub) == {"layers": "rejected", "sharing": "rejected"}
    assert "link" in sub.modules["layers"].message
    assert "larger" in sub.modules["sharing"].message


def make_zip(path: Path, files: dict[str, bytes], links: dict[str, str] | None = None) -> Path:
    with zipfile.ZipFile(path, "w") as zf:
        for name, data in files.items():
            zf.writestr(name, data)
        for name, target in (links or {}).items():
            info = zipfile.ZipInfo(name)
            info.external_attr = (0o120777 << 16) | 0
            zf.writestr(info, target)
    return path


def make_tar(path: Path, files: dict[str, bytes], links: dict[str, str] | None = None) -> Path:
    with tarfile.open(path, "w:gz") as tf:
        for name, data in files.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tf.addfile(info, io.BytesIO(data))
        for name, target in (links or {}).items():
            info = tarfile.TarInfo(name)
            info.type = tarfile.SYMTYPE
            info.linkname = target
            tf.addfile(info)
    return path


@pytest.mark.parametrize("maker", [make_zip, make_tar], ids=["zip", "tar.gz"])
def test_archives_are_read_without_extracting(tmp_path, maker):
    suffix = ".zip" if maker is make_zip else ".tar.gz"
    archive = maker(
        tmp_path / f"alice{suffix}",
        {
            "alice-kit/exercises/05_layers/layers.py": b"L = 1\n",
            "alice-kit/solutions/05_layers/layers.py": b"REFERENCE\n",
            "../../escape/sharing.py": b"S = 1\n",
            "/abs/lazy.py": b"Z = 1\n",
            "alice-kit/exercises/conftest.py": b"raise SystemExit\n",
        },
        links={"parameters.py": "/etc/passwd"},
    )
    before = set(tmp_path.rglob("*"))
    sub = open_submission(archive, ("layers", "sharing", "lazy", "parameters", "file_io"))
    assert set(tmp_path.rglob("*")) == before  # nothing written
    assert sub.name == "alice"
    assert sub.modules["layers"].source == b"L = 1\n"
    # Odd names are only names: nothing is written by them; ".." paths are ignored.
    assert sub.modules["sharing"].status == "missing"
    assert sub.modules["lazy"].source == b"Z = 1\n"
    assert sub.modules["parameters"].status == "rejected"
    assert sub.modules["file_io"].status == "missing"


def test_an_unreadable_archive_rejects_every_module(tmp_path):
    bad = tmp_path / "broken.zip"
    bad.write_bytes(b"PK\x03\x04 this is not a zip file")
    sub = open_submission(bad, MODULE_NAMES)
    assert {f.status for f in sub.modules.values()} == {"rejected"}
    assert all("could not be read" in f.message for f in sub.modules.values())


def test_check_and_names(tmp_path):
    with pytest.raises(SubmissionError, match="no such file"):
        check(tmp_path / "nope")
    other = tmp_path / "notes.rar"
    other.write_text("x")
    with pytest.raises(SubmissionError, match="folder or a .zip"):
        check(other)
    assert name_of(Path("cohort/bob.tar.gz")) == "bob"
    assert name_of(Path("cohort/bob.tgz")) == "bob"
    assert name_of(Path("cohort/Bob.ZIP")) == "Bob"


def test_the_kit_itself_is_a_submission_of_stubs():
    sub = open_submission(ROOT, MODULE_NAMES)
    for name, found in sub.modules.items():
        ex = BY_NAME[name]
        if (ROOT / "exercises" / ex.folder / ex.filename).is_file():
            assert found.status == "found", found.message
            assert found.origin == f"exercises/{ex.folder}/{ex.filename}"
