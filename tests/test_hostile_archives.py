"""Damaged and hostile archives are rejected, in bounded time and memory; the rest of
the cohort is graded.

The grading parent reads every archive itself (no sandbox), so nothing in one may
stop the run or cost it more than a few MiB: a gzip stream that breaks off or goes
bad part-way, a tar header declaring a 1 GiB long name or pax header (tarfile reads
such a payload whole), a damaged zip directory, a zip name that is not UTF-8, paths
nested deeper than anyone's project and listings of thousands of them. Every archive
here is built by the tests themselves.
"""

from __future__ import annotations

import base64
import gzip
import io
import json
import subprocess
import sys
import tarfile
import zipfile
import zlib
from pathlib import Path

import pytest
from harness import solution_source

from grader.cli import FORMATS, render
from grader.grading.submission import MAX_DEPTH, open_submission

ROOT = Path(__file__).resolve().parent.parent
MODULES = ("layers", "sharing")
GIB = 1024**3
HONEST = b"def double(x):\n    return 2 * x\n"


# ====================================================================== builders


def tar_header(name: bytes, kind: bytes, size: int) -> bytes:
    """One 512-byte ustar header written by hand: any declared size, a valid checksum."""
    block = bytearray(512)
    block[: len(name)] = name
    block[100:108] = b"0000644\0"
    block[108:116] = b"0000000\0"
    block[116:124] = b"0000000\0"
    block[124:136] = b"%011o\0" % size
    block[136:148] = b"00000000000\0"
    block[156:157] = kind
    block[257:265] = b"ustar\x0000"
    block[148:156] = b" " * 8
    block[148:156] = b"%06o\0 " % sum(block)
    return bytes(block)


def tar_member(name: str, data: bytes) -> bytes:
    return tar_header(name.encode(), b"0", len(data)) + data + b"\0" * (-len(data) % 512)


def honest_tar() -> bytes:
    """layers.py first, 400 KB of notes, then sharing.py: an ordinary learner's tar."""
    notes = b"".join(b"note %d: keep tensors small\n" % i for i in range(16_000))
    members = [("kit/layers.py", HONEST), ("kit/notes.txt", notes), ("kit/sharing.py", HONEST)]
    return b"".join(tar_member(n, d) for n, d in members) + b"\0" * 1024


def corrupt_deflate() -> bytes:
    """A valid gzip header and a first stretch that inflates (layers.py is in it), then
    deflate data that zlib refuses."""
    good = gzip.compress(honest_tar(), mtime=0)
    for at in range(len(good) // 3, len(good), 101):
        bad = good[:at] + bytes(b ^ 0xFF for b in good[at : at + 16]) + good[at + 16 :]
        try:
            gzip.decompress(bad)
        except zlib.error:
            return bad
        except (OSError, EOFError):
            continue
    raise AssertionError("no corruption made zlib fail")


def truncated() -> bytes:
    good = gzip.compress(honest_tar(), mtime=0)
    return good[: len(good) // 2]


def bad_header_mid_stream() -> bytes:
    """A plain tar whose second header is garbage: tarfile alone takes it for the end."""
    garbage = bytes(range(256)) * 2
    return tar_member("layers.py", HONEST) + garbage + tar_member("sharing.py", HONEST)


def huge_header(kind: bytes) -> bytes:
    """A .tar.gz whose first header declares a 1 GiB GNU long name or pax payload, in a
    file of a few KiB (1 MB of payload follows, well compressed)."""
    name = b"././@LongLink" if kind in b"LK" else b"././@PaxHeader"
    payload = b"27 path=" + b"a" * (1024 * 1024)
    return gzip.compress(tar_header(name, kind, GIB) + payload, mtime=0)


def zip_bytes(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in files.items():
            zf.writestr(name, data)
    return buffer.getvalue()


def damaged_zip_directory() -> bytes:
    data = zip_bytes({"layers.py": HONEST, "sharing.py": HONEST})
    return data.replace(b"PK\x01\x02", b"PK\x01\x07", 1)


def zip_name_not_utf8() -> bytes:
    """A zip whose directory flags a name as UTF-8 that is not."""
    data = zip_bytes({"sharing.py": HONEST, "lay\u00e9rs.py": HONEST})
    return data.replace("lay\u00e9rs.py".encode(), b"lay\xff\xfers.py")


def zip_patched(flag: int = 0, method: int | None = None) -> bytes:
    """layers.py with a general-purpose flag set (1: encrypted) or an unknown method."""
    data = bytearray(zip_bytes({"layers.py": HONEST, "sharing.py": HONEST}))
    for signature, flags_at in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        at = data.index(signature)  # layers.py's headers come first
        data[at + flags_at] |= flag
        if method is not None:
            data[at + flags_at + 2 : at + flags_at + 4] = method.to_bytes(2, "little")
    return bytes(data)


def write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def rejected_whole(sub, *words: str) -> None:
    for module in MODULES:
        found = sub.modules[module]
        assert found.status == "rejected", (module, found)
        assert found.message.startswith("the submission could not be read: "), found.message
        assert "\n" not in found.message and len(found.message) < 300, found.message
        for word in words:
            assert word in found.message, found.message


# ====================================================================== intake


@pytest.mark.parametrize(
    "make, words",
    [
        (corrupt_deflate, ("damaged", "zlib.error")),
        (truncated, ("damaged", "EOFError")),
    ],
    ids=["corrupt-deflate", "truncated"],
)
def test_a_broken_gzip_stream_rejects_the_submission(tmp_path, make, words):
    sub = open_submission(write(tmp_path / "alice.tar.gz", make()), MODULES)
    rejected_whole(sub, *words)


def test_a_damaged_header_after_the_first_is_no_end_of_the_archive(tmp_path):
    sub = open_submission(write(tmp_path / "bob.tar", bad_header_mid_stream()), MODULES)
    rejected_whole(sub, "damaged", "header at byte 1024")


INTAKE = """
import json, resource, sys
from pathlib import Path
from grader.grading.submission import open_submission
limit = int(sys.argv[2]) * 1024 * 1024
resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
sub = open_submission(Path(sys.argv[1]), ("layers", "sharing"))
status = open("/proc/self/status").read().split()
peak = int(status[status.index("VmHWM:") + 1]) // 1024
print(json.dumps({"peak_mib": peak, **{m: [f.status, f.message] for m, f in sub.modules.items()}}))
"""


def intake_in_a_small_process(path: Path, mib: int = 256) -> dict:
    """``open_submission`` in a process that may map only ``mib`` MiB; its peak RSS
    (VmHWM: unlike ru_maxrss, not carried over from the parent across exec)."""
    done = subprocess.run(
        [sys.executable, "-c", INTAKE, str(path), str(mib)],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=ROOT,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(done.stdout)


@pytest.mark.parametrize("kind", [b"L", b"K", b"x", b"g"], ids=["L", "K", "x", "g"])
def test_a_gigabyte_tar_header_is_refused_before_it_is_read(tmp_path, kind):
    archive = write(tmp_path / "carol.tar.gz", huge_header(kind))
    assert archive.stat().st_size < 16 * 1024
    found = intake_in_a_small_process(archive)
    for module in MODULES:
        status, message = found[module]
        assert status == "rejected" and "declares 1073741824 bytes" in message, message
    assert found["peak_mib"] < 64, found


def test_broken_zips_reject_the_submission_or_the_module(tmp_path):
    sub = open_submission(write(tmp_path / "d.zip", damaged_zip_directory()), MODULES)
    rejected_whole(sub, "damaged", "BadZipFile")
    sub = open_submission(write(tmp_path / "e.zip", zip_name_not_utf8()), MODULES)
    rejected_whole(sub, "damaged", "UnicodeDecodeError")
    for flag, method, word in ((1, None, "encrypted"), (0, 99, "compression")):
        sub = open_submission(write(tmp_path / "f.zip", zip_patched(flag, method)), MODULES)
        layers = sub.modules["layers"]
        assert layers.status == "rejected" and word in layers.message, layers
        assert sub.modules["sharing"].source == HONEST  # only the broken member is lost


def test_paths_nested_too_deep_are_refused(tmp_path):
    deep = "a/" * (MAX_DEPTH + 1) + "layers.py"
    archive = tmp_path / "deep.tar.gz"
    with tarfile.open(archive, "w:gz", format=tarfile.GNU_FORMAT) as tf:
        for name in ("sharing.py", deep):
            info = tarfile.TarInfo(name)
            info.size = len(HONEST)
            tf.addfile(info, io.BytesIO(HONEST))
    rejected_whole(open_submission(archive, MODULES), f"more than {MAX_DEPTH} folders deep")
    folder = tmp_path / "deep"
    (folder / deep).parent.mkdir(parents=True)
    (folder / deep).write_bytes(HONEST)
    rejected_whole(open_submission(folder, MODULES), f"more than {MAX_DEPTH} folders deep")


def test_a_huge_deep_listing_is_read_in_bounded_memory(tmp_path):
    """20,000 entries, each 60 folders deep in a folder of its own: the listing is never
    held whole, nor all the folders it names."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zf:
        zf.writestr("kit/exercises/05_layers/layers.py", HONEST)
        for i in range(19_999):
            zf.writestr(f"{i:05d}/" + "ab/" * 58 + "notes.txt", b"")
    archive = write(tmp_path / "dave.zip", buffer.getvalue())
    found = intake_in_a_small_process(archive)
    assert found["layers"][0] == "found" and found["sharing"][0] == "missing", found
    assert found["peak_mib"] < 128, found


# ====================================================================== a cohort


def test_a_cohort_with_broken_archives_is_graded_and_reported(tmp_path):
    """The command line grades the honest submission in full and reports each broken
    archive's modules as rejected, in every format."""
    honest = tmp_path / "cohort" / "honest"
    honest.mkdir(parents=True)
    (honest / "layers.py").write_text(solution_source("layers"))
    broken = {
        "corrupt.tar.gz": corrupt_deflate(),
        "truncated.tar.gz": truncated(),
        "longname.tar.gz": huge_header(b"L"),
        "pax.tgz": huge_header(b"x"),
        "damaged.zip": damaged_zip_directory(),
        "not_utf8.zip": zip_name_not_utf8(),
    }
    paths = [str(write(tmp_path / "cohort" / name, data)) for name, data in broken.items()]
    out = tmp_path / "report.json"
    command = [sys.executable, "-m", "grader", "grade", str(honest), *paths, "--modules"]
    command += ["layers", "--format", "json", "--output", str(out), "--seed", "1", "--quiet"]
    done = subprocess.run(command, capture_output=True, text=True, timeout=240, cwd=ROOT)
    assert done.returncode == 0, done.stderr[-3000:]
    report = json.loads(out.read_text())
    subs = {sub["submission"]: sub for sub in report["submissions"]}
    assert list(subs) == ["honest", *(name.split(".")[0] for name in broken)]
    layers = subs["honest"]["exercises"][0]
    assert layers["status"] == "passed" and layers["score"] == layers["max_score"] > 0, layers
    for name in list(subs)[1:]:
        (ex,) = subs[name]["exercises"]
        assert ex["status"] == "rejected" and ex["score"] == 0, ex
        assert ex["message"].startswith("the submission could not be read: "), ex["message"]
        for fmt in FORMATS:
            text = render(fmt, {"submissions": [subs[name]], "grader": report["grader"]})
            if fmt == "classroom":
                text = base64.b64decode(text).decode()
            if fmt == "csv":  # scores only
                assert f"{name},0," in text, text
            else:
                assert "could not be read" in text, (fmt, text)
