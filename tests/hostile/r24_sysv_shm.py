"""Row 24, System V IPC (graded with the audit hook off, as if outwitted): in a call,
a 256 MiB shared-memory segment under a fixed key, never removed: the kernel keeps
such a segment after the process that made it is gone."""
import ctypes

KEY = 0x7F3A0516
IPC_CREAT = 0o1000


def act():
    libc = ctypes.CDLL(None, use_errno=True)
    libc.shmget.argtypes = [ctypes.c_int, ctypes.c_size_t, ctypes.c_int]
    libc.shmget(KEY, 256 << 20, IPC_CREAT | 0o600)
