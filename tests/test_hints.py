"""``python -m grader hint``: every contract item has progressive hints that never give the
solution away, and the command shows one more each call."""

import ast

import pytest
from harness import ROOT, solution_source

from grader import authoring, hints
from grader.catalog import BY_NAME, EXERCISES, MODULE_NAMES
from grader.cli import main as cli


def _places(module: str) -> authoring.Places:
    return authoring.Places(ROOT, BY_NAME[module])


@pytest.mark.parametrize("module", MODULE_NAMES)
def test_every_item_has_progressive_hints_that_never_quote_the_solution(module):
    # At least three per item, as many in Chinese, none repeated, none quoting a line
    # of the solution (grader/authoring.py: what check-exercise says of hints).
    assert set(hints.hints_for(BY_NAME[module])) == set(BY_NAME[module].items)
    assert authoring.lacks_hints(_places(module)) == []


def _solution_lines(module: str) -> set[str]:
    return authoring.solution_lines(solution_source(module))


def _kit(tmp_path):
    (tmp_path / "exercises").mkdir()
    return tmp_path


def test_each_call_shows_one_more_hint_until_the_last(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(_kit(tmp_path))
    monkeypatch.delenv("KIT_LANG", raising=False)
    total = len(hints.hints_for(BY_NAME["blocks"])["MySequential"]["en"])
    for shown in range(1, total + 2):
        assert cli(["hint", "MySequential"]) == 0
        out = capsys.readouterr().out
        expected = min(shown, total)
        assert f"hint {expected}/{total} for MySequential" in out
        assert f"  {expected}. " in out and f"  {expected + 1}. " not in out
    assert "last hint" in out and "exercises/01_blocks/README.md" in out
    # The count is kept per item, at the kit's root, and reset on request.
    assert (tmp_path / ".kit-state" / "hints.json").is_file()
    assert cli(["hint", "MyLinear"]) == 0 and "hint 1/" in capsys.readouterr().out
    assert cli(["hint", "MySequential", "--reset"]) == 0
    capsys.readouterr()
    assert cli(["hint", "mysequential"]) == 0 and "hint 1/" in capsys.readouterr().out


def test_hints_found_from_a_subfolder_and_in_chinese(tmp_path, capsys, monkeypatch):
    root = _kit(tmp_path)
    (root / "exercises" / "05_layers").mkdir()
    monkeypatch.chdir(root / "exercises" / "05_layers")
    assert cli(["hint", "layers.MyLinear", "--lang", "zh"]) == 0
    out = capsys.readouterr().out
    assert "MyLinear 的提示 1/" in out and "zh.d2l.ai" in out
    assert (root / ".kit-state" / "hints.json").is_file()
    assert cli(["hint", "MyLinear", "--all"]) == 0
    out = capsys.readouterr().out
    total = len(hints.hints_for(BY_NAME["layers"])["MyLinear"]["en"])
    assert f"  {total}. " in out


def test_unknown_names_get_suggestions_and_exit_2(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(_kit(tmp_path))
    assert cli(["hint", "MySequentail"]) == 2
    assert "did you mean MySequential" in capsys.readouterr().out
    assert cli(["hint", "layers.MySequential"]) == 2  # right name, wrong exercise
    capsys.readouterr()
    assert cli(["hint"]) == 0
    listing = capsys.readouterr().out
    assert all(item in listing for ex in EXERCISES for item in ex.items)


def test_a_damaged_state_file_starts_afresh(tmp_path, capsys, monkeypatch):
    root = _kit(tmp_path)
    (root / ".kit-state").mkdir()
    (root / ".kit-state" / "hints.json").write_text("{not json")
    monkeypatch.chdir(root)
    assert cli(["hint", "MyLinear"]) == 0
    assert "hint 1/" in capsys.readouterr().out


def test_an_exercise_name_gives_the_hints_of_its_items_in_order(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(_kit(tmp_path))
    first, second = BY_NAME["layers"].items[:2]
    total = len(hints.hints_for(BY_NAME["layers"])[first]["en"])
    for _ in range(total):
        assert cli(["hint", "layers"]) == 0
        assert f"for {first} " in capsys.readouterr().out
    assert cli(["hint", "layers"]) == 0
    assert f"/{len(hints.hints_for(BY_NAME['layers'])[second]['en'])} for {second} " in (
        capsys.readouterr().out
    )


def test_a_kit_where_the_count_cannot_be_kept_still_gets_its_hint(tmp_path, capsys, monkeypatch):
    root = _kit(tmp_path)
    (root / ".kit-state").write_text("a file where the state folder should be")
    monkeypatch.chdir(root)
    assert cli(["hint", "MyLinear"]) == 0
    assert "hint 1/" in capsys.readouterr().out


def _stub_messages(module: str) -> list[str]:
    """The text of every ``raise NotImplementedError(...)`` in the module's stub."""
    ex = BY_NAME[module]
    tree = ast.parse((ROOT / "exercises" / ex.folder / ex.filename).read_text())
    return [
        " ".join(n.value for n in ast.walk(node.exc) if isinstance(n, ast.Constant))
        for node in ast.walk(tree)
        if isinstance(node, ast.Raise) and node.exc is not None
    ]


@pytest.mark.parametrize("module", MODULE_NAMES)
def test_no_stub_message_shows_a_line_of_the_solution(module):
    code = {line for line in _solution_lines(module) if not line.startswith("return net")}
    messages = _stub_messages(module)
    assert messages, f"{module}: its stub raises nothing"
    for message in messages:
        leaked = [line for line in code if line in message]
        assert not leaked, f"{module}: a stub's message quotes the solution: {leaked}"


def test_a_reader_that_stops_early_gets_no_traceback():
    import subprocess
    import sys

    proc = subprocess.Popen(
        [sys.executable, "-m", "grader", "hint", "--all", "parameters"],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    proc.stdout.close()  # like `| head` that has read enough
    err = proc.stderr.read().decode()
    assert proc.wait(timeout=60) == 0 and "Traceback" not in err, err
