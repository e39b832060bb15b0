"""Row 1: os._exit(0) inside a test call."""
import os


def act():
    os._exit(0)
