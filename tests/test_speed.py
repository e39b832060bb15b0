"""The shortcuts taken for speed keep what they replace.

* the audit hook's fast path lets through no event its checks look at;
* Hypothesis seeds torch's generator per example, reproducibly, without ``torch.manual_seed``;
* the kit's ``texts`` strategy draws strings from its small alphabet, the empty one included;
* watch mode's warm runner (grader/warm.py): a forked run prints and exits like
  ``python -m pytest``, sees every save, imports nothing of the learner's in the
  parent, leaves the parent's environment alone, and falls back to a new Python.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from grader import plugin
from grader.isolation import sandbox
from grader.strategies import TEXT_ALPHABET, texts

ROOT = Path(__file__).resolve().parent.parent


def test_every_event_the_audit_hook_checks_passes_its_fast_path():
    source = Path(sandbox.__file__).read_text()
    start = source.index("    def _hook(event")
    body = source[start : source.index("    disarm_process_creation()", start)]
    named = set(re.findall(r'event == "([^"]+)"', body))
    for group in re.findall(r"event in \(([^)]*)\)", body):
        named |= set(re.findall(r'"([^"]+)"', group))
    sets = re.findall(r"event in (_[A-Z_]+)", body)
    assert named and sets, "the hook's source no longer reads as expected"
    assert named <= sandbox._HOOKED_EVENTS, named - sandbox._HOOKED_EVENTS
    for name in sets:
        events = set(getattr(sandbox, name))
        assert events <= sandbox._HOOKED_EVENTS, (name, events - sandbox._HOOKED_EVENTS)
    assert "object.__getattr__" not in sandbox._HOOKED_EVENTS


def test_seeding_torch_through_hypothesis_is_reproducible():
    rng = plugin._TORCH_RANDOM
    rng.seed(12345)
    first = torch.rand(4)
    state = rng.getstate()
    after = torch.rand(4)
    rng.seed(12345)
    assert torch.equal(torch.rand(4), first)
    rng.setstate(state)
    assert torch.equal(torch.rand(4), after)
    rng.seed(2**70 + 3)  # Hypothesis may hand over any integer
    assert not torch.cuda.is_initialized()


def test_torch_draws_repeat_from_run_to_run():
    # Hypothesis seeds the registered torch generator before every example: the same
    # examples see the same torch numbers, run after run, whatever the state before.
    def record() -> list[tuple[int, list[float]]]:
        seen = []

        @settings(max_examples=10, derandomize=True, database=None)
        @given(st.integers(0, 10))
        def draw(n):
            seen.append((n, torch.rand(2).tolist()))

        draw()
        return seen

    torch.manual_seed(1)
    first = record()
    torch.manual_seed(2)  # whatever the state before the run
    assert record() == first


@given(texts(4))
def test_texts_come_from_the_small_alphabet(s):
    assert len(s) <= 4 and set(s) <= set(TEXT_ALPHABET)


def test_texts_include_the_empty_string_and_non_ascii():
    from hypothesis import find

    assert find(texts(4), lambda s: s == "") == ""
    assert any(ord(c) > 127 for c in TEXT_ALPHABET)


# ---------------------------------------------------------------- the warm runner

# Run in a new Python: the runner forks the process it lives in, which must be
# single-threaded and must not be this pytest run.
DRIVER = textwrap.dedent(
    """
    import json, os, sys
    from pathlib import Path
    from grader.warm import Warm

    project, fork = Path(sys.argv[1]), sys.argv[2] == "fork"
    runner = Warm(fork=fork)
    args = ["-q", "-p", "no:cacheprovider", "test_it.py"]
    first = runner.run(args, project, {"MARK": "child"})
    (project / "answer.py").write_text("VALUE = 2\\n")
    second = runner.run(args, project, {"MARK": "child"})
    print(json.dumps({
        "fork": runner.fork and runner.why_not is None,
        "first": first, "second": second,
        "parent_imported_answer": "answer" in sys.modules,
        "parent_mark": os.environ.get("MARK"),
        "parent_cwd": os.getcwd(),
    }))
    """
)


def _drive(tmp_path: Path, mode: str) -> dict:
    import json

    project = tmp_path / "project"
    project.mkdir()
    (project / "answer.py").write_text("VALUE = 1\n")
    (project / "test_it.py").write_text(
        "import os\nimport answer\n\n"
        "def test_value():\n"
        "    print('mark', os.environ.get('MARK'))\n"
        "    assert answer.VALUE == 2, 'not yet'\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", DRIVER, str(project), mode],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=300,
        env=dict(os.environ, PYTHONDONTWRITEBYTECODE="1"),
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    return json.loads(proc.stdout.strip().splitlines()[-1])


def test_warm_runs_are_forked_and_see_every_save(tmp_path):
    found = _drive(tmp_path, "fork")
    assert found["fork"] is True
    (code1, out1), (code2, out2) = found["first"], found["second"]
    assert code1 == 1 and "1 failed" in out1 and "not yet" in out1, out1
    assert code2 == 0 and "1 passed" in out2, out2  # the save is seen: a fresh import
    assert not found["parent_imported_answer"]
    assert found["parent_mark"] is None  # the child's environment stays the child's
    assert Path(found["parent_cwd"]) == tmp_path


def test_warm_runner_without_fork_starts_a_new_python(tmp_path):
    found = _drive(tmp_path, "subprocess")
    assert found["fork"] is False
    (code1, out1), (code2, out2) = found["first"], found["second"]
    assert code1 == 1 and "not yet" in out1
    assert code2 == 0 and "1 passed" in out2
