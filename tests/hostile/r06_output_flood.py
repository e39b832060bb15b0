"""Row 6: hundreds of MB printed to stdout and stderr, at import and in a test."""
import os
import sys

_CHUNK = "x" * (1024 * 1024 - 1) + "\n"
for _ in range(60):
    sys.stdout.write(_CHUNK)
    sys.stderr.write(_CHUNK)


def act():
    for _ in range(80):
        os.write(1, _CHUNK.encode())
