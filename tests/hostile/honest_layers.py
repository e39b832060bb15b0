"""The honest tiny module every hostile file is appended to (tests/test_integrity.py)."""

import torch


def double(x):
    return 2 * x


def mean(values):
    return sum(values) / len(values)


def act():
    return None


def count():
    return 3
