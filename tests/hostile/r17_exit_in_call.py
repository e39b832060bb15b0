"""Row 17: pytest.exit(returncode=0) from learner code."""
import pytest


def act():
    pytest.exit("all done", returncode=0)
