"""Row 21: turn pytest-timeout off from inside: SUPPRESS_TIMEOUT and a trace function
that makes it believe a debugger is attached."""
import sys

import pytest_timeout

pytest_timeout.SUPPRESS_TIMEOUT = True
try:
    sys.settrace(lambda frame, event, arg: None)
except Exception:
    pass
