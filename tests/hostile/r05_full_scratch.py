"""Row 5, disk: at import, files written into the worker's TMPDIR until the disk is
full (1 GiB at most), kept while a call sleeps 4 s, as a neighbour graded beside it
writes its own files."""
import os
import tempfile
import time

FILLED = 0
_chunk = b"\0" * (1 << 20)
try:
    for _i in range(16):
        with open(os.path.join(tempfile.gettempdir(), f"fill-{_i}.bin"), "wb") as _f:
            for _ in range(64):
                _f.write(_chunk)
                FILLED += 1
except OSError:
    pass


def act():
    time.sleep(4)
