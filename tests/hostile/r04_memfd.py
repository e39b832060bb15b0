"""Row 4, memory: in a call, 768 MiB written into ``memfd`` files (memory that is no
mapping, so no address-space limit counts it) in 64 MiB files (each under the file
size limit); the failure message says how far it got."""
import os

GOAL = 768 << 20


def act():
    written, why, fds = 0, "no error", []
    chunk = b"\1" * (1 << 20)
    try:
        while written < GOAL:
            fds.append(os.memfd_create("HOSTILE-7f3a"))
            for _ in range(64):
                os.write(fds[-1], chunk)
                written += len(chunk)
    except OSError as exc:
        why = exc.strerror
    finally:
        for fd in fds:
            os.close(fd)
    raise RuntimeError(f"memfd: {written >> 20} MiB written ({why})")
