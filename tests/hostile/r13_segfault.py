"""Row 13: a segfault without ctypes (faulthandler's own SIGSEGV) inside a test."""
import faulthandler


def act():
    faulthandler._sigsegv()
