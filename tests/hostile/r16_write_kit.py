"""Row 16: write into the kit's tests and the grader's files, delete the test files,
and change another submission; __KIT_TEST__, __GRADER_FILE__ and __OTHER__ are
filled in by tests/test_integrity.py."""
import os
import shutil

KIT_TEST = "__KIT_TEST__"
GRADER_FILE = "__GRADER_FILE__"
OTHER = "__OTHER__"


def _try(action):
    try:
        action()
    except Exception:
        pass


_try(lambda: open(KIT_TEST, "a").write("\ndef test_free(): pass\n"))
_try(lambda: open(GRADER_FILE, "w").write("raise SystemExit\n"))
_try(lambda: open(OTHER, "w").write("def answer():\n    return 0\n"))
_try(lambda: os.remove(KIT_TEST))
_try(lambda: shutil.rmtree(os.path.dirname(KIT_TEST)))
_try(lambda: os.rename(KIT_TEST, "stolen.py"))
_try(lambda: os.link(OTHER, "linked.py"))
_try(lambda: os.truncate(GRADER_FILE, 0))
