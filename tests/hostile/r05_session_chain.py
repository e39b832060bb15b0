"""Row 5, processes (graded with the audit hook off, as if outwitted): in a call, a
chain of 230 processes, each started by the one before in a session of its own
(``setsid``) and left sleeping; a sweep that kills one level of it per round misses
most of it."""
import ctypes
import os
import select
import time

DEPTH = 230
NAME = b"hostile-chain"


def _link(depth, done):
    os.setsid()
    ctypes.CDLL(None).prctl(15, ctypes.c_char_p(NAME), 0, 0, 0)  # PR_SET_NAME
    if depth < DEPTH and os.fork() == 0:
        _link(depth + 1, done)
    if depth == DEPTH:
        os.write(done, b"x")
    while True:
        time.sleep(60)


def act():
    ready, done = os.pipe()
    if os.fork() == 0:
        os.close(ready)
        _link(1, done)
    os.close(done)
    select.select([ready], [], [], 30)  # until the last link is up
