"""Row 13: a C-stack overflow: a very deep recursion inside C (repr of nested lists)."""
import sys


def act():
    sys.setrecursionlimit(10**7)
    nested = []
    for _ in range(10**6):
        nested = [nested]
    repr(nested)
