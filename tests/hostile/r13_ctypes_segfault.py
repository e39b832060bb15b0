"""Row 13: a segfault through ctypes (string_at(0)) inside a test."""
import ctypes


def act():
    ctypes.string_at(0)
