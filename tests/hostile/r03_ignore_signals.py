"""Row 3: ignore SIGALRM, SIGTERM and SIGINT, block the timer's signal, then loop."""
import signal


def act():
    for signum in (signal.SIGALRM, signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, signal.SIG_IGN)
    signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGALRM})
    signal.setitimer(signal.ITIMER_REAL, 0)
    while True:
        pass
