"""Row 2: time.sleep forever inside a test call."""
import time


def act():
    time.sleep(10**6)
