"""The grader's error for its user: one sentence, exit status 2.

Its own module, below every command that raises it (the CLI, the cohort report,
``diff``, ``release``), so that none of them imports the CLI to raise it.
"""


class GraderError(Exception):
    """The grader cannot run: one sentence for the user, exit status 2."""
