"""pytest configuration for the exercises.

The hooks (``--impl DIR``, the ``points`` marker, seeding, friendly failures) live in
``grader/plugin.py``. The Hypothesis profiles are registered in ``grader/profiles.py``:
``learner`` (the default: quick) and ``grading`` (derandomized, no database, no
deadline). Choose one with ``pytest exercises/ --hypothesis-profile grading``.
"""

from grader import profiles  # registers the Hypothesis profiles
from grader.plugin import *  # the kit's pytest hooks and fixtures
