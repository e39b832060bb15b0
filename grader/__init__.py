__version__ = "0.1.0"


def load_ipython_extension(ipython) -> None:
    """``%load_ext grader``: the ``%kit`` line magic (grader/notebook.py)."""
    from .notebook import load_ipython_extension as load

    load(ipython)
