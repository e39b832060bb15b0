"""Hypothesis profiles shared by the learner loop, the kit's self-tests and the grader.

* ``learner`` (default): few examples so ``pytest exercises/`` answers in seconds;
  failing examples are kept in the local database so a fix is checked first on
  the input that broke it.
* ``grading``: derandomized, no database, no deadline: the same submission always
  gets the same examples; more of them than the learner sees.
* ``grader``: as ``grading`` but seeded per grading run (``--hypothesis-seed``).

The explain phase is off everywhere: it prints lines from inside torch, which is
noise for a learner.
"""

from __future__ import annotations

from hypothesis import HealthCheck, Phase, settings

PHASES = (Phase.explicit, Phase.reuse, Phase.generate, Phase.target, Phase.shrink)
# Torch's first call of an op can take long; deadlines would make tests flaky.
_COMMON = dict(
    deadline=None,
    phases=PHASES,
    print_blob=False,
    report_multiple_bugs=False,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.differing_executors],
)

LEARNER_EXAMPLES = 12
# Examples per property test when grading. Measured, not guessed: every wrong
# implementation in tests/mutants still fails with this many, with the derandomized
# examples (tests/test_teeth.py) and with other seeds (KIT_TEETH_SEED=N, see
# tests/harness.py); going from 30 to 15 took a third off running every test on a
# correct submission.
GRADING_EXAMPLES = 15

settings.register_profile("learner", max_examples=LEARNER_EXAMPLES, **_COMMON)
settings.register_profile(
    "grading", max_examples=GRADING_EXAMPLES, derandomize=True, database=None, **_COMMON
)
# The grader's: like ``grading`` but driven by ``--hypothesis-seed`` (one per grading
# run, recorded in the report), so examples are reproducible yet not predictable.
settings.register_profile(
    "grader", max_examples=GRADING_EXAMPLES, derandomize=False, database=None, **_COMMON
)

DEFAULT_PROFILE = "learner"
