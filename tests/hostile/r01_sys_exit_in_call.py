"""Row 1: sys.exit(0) inside a test call."""
import sys


def act():
    sys.exit(0)
