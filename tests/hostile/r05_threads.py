"""Row 5: spinning threads started at import, never stopped, not daemons."""
import threading


def _spin():
    n = 0
    while True:
        n += 1


for _ in range(2):
    threading.Thread(target=_spin, daemon=False).start()
