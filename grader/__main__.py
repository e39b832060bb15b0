"""``python -m grader``: see :mod:`grader.cli`."""

import os
import sys

from .errors import GraderError

try:
    from .cli import main
except GraderError as exc:  # the kit itself cannot be read (an exercise's manifest)
    print(f"grader: {exc}", file=sys.stderr)
    sys.exit(2)

if __name__ == "__main__":
    try:
        code = main()
        sys.stdout.flush()
    except BrokenPipeError:
        # The reader went away (``python -m grader hint | head``): not an error of ours.
        # Point stdout at devnull so that the interpreter's own flush at exit is quiet.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        code = 0
    sys.exit(code)
