"""Writing an exercise: ``python -m grader new NAME`` and ``python -m grader check-exercise``.

``new`` scaffolds a complete exercise that already works end to end: its folder
(stub, checks, lessons, ``exercise.toml``, ``feedback.toml``, notebook), its reference
solution and one mutant. Its one example check fails on the stub and passes on the
solution; replace it with the real ones.

``check-exercise`` says what an exercise lacks, one finding a line:

* the files: stub, checks, lessons, notebook, manifests, solution;
* each lesson's title, the manifest's;
* every item defined by the stub, with at least three hints in English and as many
  in Chinese, none quoting a line of the solution;
* a ``[checks]`` sentence for every test, in both languages, and none for a test
  that is gone;
* a ``[diagnoses]`` text for every signature a check names, and a signature for
  every text;
* a mutant for every diagnosis, and a known diagnosis for every mutant;
* (unless ``--static``) every test fails on the stub, and every test passes on the
  solution.

Adding an exercise touches its folder, ``solutions/NN_name/`` and
``tests/mutants/NAME/``; ``python -m grader notebooks`` (which ``new`` runs) rewrites
the exercise tables of the READMEs from the manifests.
"""

from __future__ import annotations

import argparse
import ast
import os
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

from . import catalog
from .catalog import FEEDBACK, MANIFEST, NAME_RE, Exercise
from .errors import GraderError

MIN_HINTS = 3
CAUSE_PREFIX = "cause_"  # evident causes (grader/causes.py) a mutant may name
SOLUTION_LINE_MIN = 20  # a code line this long quotes the solution


@dataclass(frozen=True)
class Places:
    """Where an exercise's parts lie in a kit."""

    root: Path
    ex: Exercise

    @property
    def folder(self) -> Path:
        return self.root / "exercises" / self.ex.folder

    @property
    def stub(self) -> Path:
        return self.folder / self.ex.filename

    @property
    def tests(self) -> Path:
        return self.folder / self.ex.test_filename

    @property
    def solution(self) -> Path:
        return self.root / "solutions" / self.ex.folder / self.ex.filename

    @property
    def mutants(self) -> Path:
        return self.root / "tests" / "mutants" / self.ex.name

    def hints(self) -> dict:
        return catalog.read_toml(self.folder / MANIFEST).get("hints", {})

    def feedback(self, part: str) -> dict:
        return catalog.read_feedback(self.folder)[part]  # as the files are now

    @classmethod
    def of(cls, root: Path, name: str) -> Places:
        """The places of exercise ``name`` of the kit at ``root``."""
        for ex in catalog.load(root):
            if ex.name == name:
                return cls(root, ex)
        raise GraderError(f"the kit at {root} has no exercise named {name!r}")


# ---------------------------------------------------------------- what the files say


def defined_tests(tests: Path) -> set[str]:
    """The test functions of a checks file (``test_cuda_*`` aside: skipped without a
    GPU, they score nothing)."""
    return {
        node.name
        for node in ast.parse(tests.read_text(encoding="utf-8")).body
        if isinstance(node, ast.FunctionDef)
        and node.name.startswith("test_")
        and not node.name.startswith("test_cuda_")
    }


def signatures_used(tests: Path) -> set[str]:
    """The signature names of every ``diagnose(...)`` in a checks file."""
    return {
        keyword.arg
        for node in ast.walk(ast.parse(tests.read_text(encoding="utf-8")))
        if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "diagnose"
        for keyword in node.keywords
        if keyword.arg
    }


def named_diagnosis(path: Path) -> str | None:
    """The diagnosis a mutant must get: its ``# diagnosis: NAME`` line."""
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("# diagnosis:"):
            return line.split(":", 1)[1].strip()
    return None


def mutant_files(places: Places) -> list[Path]:
    folder = places.mutants
    if not folder.is_dir():
        return []
    return [p for p in sorted(folder.glob("*.py")) if not p.name.startswith("_")]


def solution_lines(source: str) -> set[str]:
    """Code lines of a solution long enough to give it away (no docstrings, no
    comments, no imports)."""
    docs = set()
    for node in ast.walk(ast.parse(source)):
        documented = (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)
        doc = ast.get_docstring(node) if isinstance(node, documented) else None
        if doc:
            docs.update(line.strip() for line in doc.splitlines())
    lines = {line.split("  #")[0].strip() for line in source.splitlines()}
    return {
        line
        for line in lines - docs
        if len(line) >= SOLUTION_LINE_MIN and not line.startswith(("#", '"""', "from ", "import "))
    }


def _chinese(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


def _bilingual(entry: dict) -> bool:
    """An English text, and a Chinese one that is not a copy of it."""
    en, zh = entry.get("en"), entry.get("zh")
    return bool(en and zh and zh != en and _chinese(zh))


# ---------------------------------------------------------------- the static findings


def lacks_files(places: Places) -> list[str]:
    ex, folder = places.ex, places.folder
    wanted = [
        places.stub,
        places.tests,
        folder / "README.md",
        folder / "README.zh.md",
        folder / f"{ex.folder}.ipynb",
        folder / FEEDBACK,
        places.solution,
    ]
    return [f"no {path.relative_to(places.root)}" for path in wanted if not path.is_file()]


def lacks_items(places: Places) -> list[str]:
    """Every item the manifest lists is defined at the top of the stub and the solution."""
    found = []
    for path in (places.stub, places.solution):
        if not path.is_file():
            continue
        defined = {
            getattr(node, "name", None) or getattr(getattr(node, "targets", [None])[0], "id", None)
            for node in ast.parse(path.read_text(encoding="utf-8")).body
        }
        missing = [item for item in places.ex.items if item not in defined]
        if missing:
            found.append(f"{path.relative_to(places.root)} defines no {', '.join(missing)}")
    return found


def lacks_titles(places: Places) -> list[str]:
    """Each lesson's title is the manifest's: ``# NN · Title``."""
    ex, found = places.ex, []
    for name, title in (("README.md", ex.title), ("README.zh.md", ex.title_zh)):
        path = places.folder / name
        if not path.is_file():
            continue
        first = path.read_text(encoding="utf-8").split("\n", 1)[0].strip()
        wanted = f"# {ex.folder[:2]} · {title}"
        if first != wanted:
            found.append(f"{name} begins {first!r}; the manifest's title gives {wanted!r}")
    return found


def lacks_hints(places: Places) -> list[str]:
    ex, found = places.ex, []
    table = places.hints()
    for item in ex.items:
        texts = table.get(item, {})
        en, zh = texts.get("en", []), texts.get("zh", [])
        if len(en) < MIN_HINTS:
            found.append(f"{item}: {len(en)} hints; give at least {MIN_HINTS}, each more concrete")
        if len(zh) != len(en) or not all(_chinese(h) for h in zh):
            found.append(f"{item}: the Chinese hints are not one for each English hint")
        if len(set(en)) != len(en):
            found.append(f"{item}: a hint repeats")
    for item in sorted(set(table) - set(ex.items)):
        found.append(f"hints for {item}, which is not one of the items")
    if places.solution.is_file():
        code = solution_lines(places.solution.read_text(encoding="utf-8"))
        for item, texts in table.items():
            for hint in texts.get("en", []) + texts.get("zh", []):
                leaked = sorted(line for line in code if line in hint)
                if leaked:
                    found.append(f"{item}: a hint quotes the solution: {leaked[0]}")
    return found


def lacks_checks(places: Places) -> list[str]:
    if not places.tests.is_file():
        return []
    sentences = places.feedback("checks")
    tests = defined_tests(places.tests)
    found = []
    for test in sorted(tests):
        entry = sentences.get(test, {})
        if not entry.get("en"):
            found.append(f"{test}: no [checks] sentence saying what it checks")
        elif not _bilingual(entry):
            found.append(f"{test}: no Chinese [checks] sentence")
    for test in sorted(set(sentences) - tests):
        found.append(f"a [checks] sentence for {test}, which is not a test")
    return found


def lacks_diagnoses(places: Places) -> list[str]:
    if not places.tests.is_file():
        return []
    texts = places.feedback("diagnoses")
    used, written = signatures_used(places.tests), set(texts)
    found = [f"signature {n}: no [diagnoses] text" for n in sorted(used - written)]
    found += [f"[diagnoses] {n}: no check names this signature" for n in sorted(written - used)]
    for name in sorted(written):
        if not _bilingual(texts[name]):
            found.append(f"[diagnoses] {name}: no text in both languages")
    if not used:
        found.append("no check names a signature (with diagnose(NAME=...))")
    return found


def lacks_mutants(places: Places) -> list[str]:
    written = set(places.feedback("diagnoses"))
    wanted: set[str] = set()
    found = []
    for path in mutant_files(places):
        name = named_diagnosis(path)
        if name is None:
            found.append(f"mutant {path.name}: no `# diagnosis: NAME` line")
            continue
        wanted.add(name)
        if name not in written and not name.startswith(CAUSE_PREFIX):
            found.append(f"mutant {path.name} names {name}, which is no diagnosis")
    found += [f"diagnosis {n}: no mutant proves it" for n in sorted(written - wanted)]
    return found


STATIC = (
    lacks_files,
    lacks_items,
    lacks_titles,
    lacks_hints,
    lacks_checks,
    lacks_diagnoses,
    lacks_mutants,
)


def static_findings(places: Places) -> list[str]:
    return [finding for check in STATIC for finding in check(places)]


# ---------------------------------------------------------------- running the checks


def outcomes(places: Places, impl: Path | None) -> dict[str, str]:
    """Each test's outcome (passed, failed, skipped) when the checks run on the stub
    (``impl`` None) or on the files of folder ``impl``."""
    with tempfile.TemporaryDirectory(prefix="grader-check-exercise-") as tmp:
        xml = Path(tmp) / "junit.xml"
        command = [
            sys.executable,
            "-m",
            "pytest",
            str(places.tests),
            "-q",
            "-p",
            "no:cacheprovider",
            f"--rootdir={places.root}",
            f"--junitxml={xml}",
            "-o",
            "addopts=--import-mode=importlib",
            "-o",
            "testpaths=",
        ]
        if impl is not None:
            command += ["--impl", str(impl)]
        env = {**os.environ, catalog.KIT_ROOT_ENV: str(places.root)}
        try:
            subprocess.run(command, cwd=places.root, env=env, capture_output=True, timeout=900)
        except subprocess.TimeoutExpired:  # its tests are then "not run": said, not raised
            return {}
        if not xml.is_file():
            return {}
        result = {}
        for case in ET.parse(xml).getroot().iter("testcase"):
            kinds = {child.tag for child in case}
            status = (
                "failed"
                if kinds & {"failure", "error"}
                else "skipped"
                if "skipped" in kinds
                else "passed"
            )
            result[case.get("name", "").split("[")[0]] = status
        return result


def run_findings(places: Places) -> list[str]:
    if not (places.tests.is_file() and places.stub.is_file() and places.solution.is_file()):
        return []
    found = []
    tests = defined_tests(places.tests)
    on_stub = outcomes(places, None)
    passing = sorted(t for t, s in on_stub.items() if s == "passed")
    found += [f"{t}: passes on the stub (a check that cannot fail)" for t in passing]
    on_solution = outcomes(places, places.solution.parent)
    for test in sorted(tests):
        status = on_solution.get(test, "not run")
        if status not in ("passed", "skipped"):
            found.append(f"{test}: {status} on the solution")
    return found


# ---------------------------------------------------------------- the scaffold


def _q(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _toml_list(values: list[str]) -> str:
    return "[" + ", ".join(_q(v) for v in values) + "]"


def scaffold(
    root: Path,
    name: str,
    title: str,
    title_zh: str,
    items: list[str],
    section: str,
    read_en: str,
    read_zh: str,
) -> list[Path]:
    """Write a new exercise (module docstring: what) and return the files written."""
    if not NAME_RE.match(name):
        raise GraderError(f"an exercise's name is a module name in lower case, not {name!r}")
    bad = [item for item in items if not item.isidentifier()]
    if bad or not items:
        raise GraderError(f"the items must be Python names: {', '.join(bad) or 'none given'}")
    existing = sorted((root / "exercises").glob(f"*/{MANIFEST}"))
    if any(catalog.read_toml(m).get("name") == name for m in existing):
        raise GraderError(f"the kit already has an exercise named {name!r}")
    number = max((int(m.parent.name[:2]) for m in existing), default=0) + 1
    if number > 99:
        raise GraderError("the kit holds 99 exercises; no folder name is left")
    folder = f"{number:02d}_{name}"
    context = {
        "n": number,
        "name": name,
        "folder": folder,
        "title": title,
        "title_zh": title_zh,
        "section": section,
        "read_en": read_en,
        "read_zh": read_zh,
        "colab": colab_url(root, folder),
    }
    files: dict[Path, str] = {}
    ex_dir = root / "exercises" / folder
    files[ex_dir / f"{name}.py"] = _stub(context, items)
    files[ex_dir / f"test_{name}.py"] = _checks(context, items)
    files[ex_dir / MANIFEST] = _manifest(context, items)
    files[ex_dir / FEEDBACK] = _feedback(context, items)
    files[ex_dir / "README.md"] = _lesson(context, items, zh=False)
    files[ex_dir / "README.zh.md"] = _lesson(context, items, zh=True)
    files[root / "solutions" / folder / f"{name}.py"] = _solution(context, items)
    for item in items:  # one mutant per diagnosis
        mutant = root / "tests" / "mutants" / name / f"{item.lower()}_returns_nothing.py"
        files[mutant] = MUTANT.format(item=item, lower=item.lower())
    for path in files:
        if path.exists():
            raise GraderError(f"{path} exists already; nothing was written")
    for path, text in files.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return list(files)


STUB_ITEM = '''

def {item}(X):
    """TODO: what ``{item}`` must do, exactly (the contract of this item).

    The scaffold's example: return ``X`` unchanged.
    """
    raise NotImplementedError("{item}: not written yet")
'''

SOLUTION_ITEM = '''

def {item}(X):
    """The reference answer of ``{item}``."""
    return X
'''


def _stub(c: dict, items: list[str]) -> str:
    head = (
        f'"""Exercise {c["n"]}: {c["title"].lower()} ({c["title_zh"]}, d2l {c["section"]}).\n\n'
        "TODO: the idea, in a few short paragraphs, with the book's terms.\n\n"
        f'Run ``pytest exercises/{c["folder"]}`` to check your work.\n"""\n\n'
        "import torch\nfrom torch import nn\n"
    )
    return head + "".join(STUB_ITEM.format(item=item) for item in items)


def _solution(c: dict, items: list[str]) -> str:
    head = f'"""Reference solution of exercise {c["n"]}, {c["title"].lower()}."""\n\n'
    head += "import torch\nfrom torch import nn\n"
    return head + "".join(SOLUTION_ITEM.format(item=item) for item in items)


CHECK_ITEM = '''

# ---------------------------------------------------------------- {item}


@probe
def {item}_output({name}, X):
    """What ``{item}`` returns for ``X``: a tensor, or None for anything else."""
    out = {name}.{item}(X)
    return out if isinstance(out, torch.Tensor) else None


@pytest.mark.points(1)
@given(X=tensors(shape=batch_shapes(features=3)))
def test_{lower}_returns_its_input(X):
    got = {item}_output(X)
    with diagnose({lower}_returns_nothing=lambda: got is None):
        assert got is not None, "{item} returned no tensor"
    torch.testing.assert_close(got, X, msg="{item}(X) must return X")
'''


def _checks(c: dict, items: list[str]) -> str:
    head = (
        f'"""Tests for exercise {c["n"]}, {c["title"].lower()} ({c["name"]}.py).\n\n'
        "Each check is a probe and a verdict (grader/probing.py): a function marked\n"
        "``@probe`` runs your code and returns plain data; the test that calls it decides,\n"
        'from that data alone, whether your code is right.\n"""\n\n'
        "import pytest\nimport torch\nfrom hypothesis import given\n\n"
        "from grader.diagnoses import diagnose\n"
        "from grader.probing import probes\n"
        "from grader.strategies import batch_shapes, tensors\n\n"
        f'probe = probes("{c["name"]}")\n'
    )
    body = "".join(
        CHECK_ITEM.format(item=item, lower=item.lower(), name=c["name"]) for item in items
    )
    return head + body


def _manifest(c: dict, items: list[str]) -> str:
    lines = [
        f"# Exercise {c['n']}: what the kit knows of it "
        f"(python -m grader check-exercise {c['name']}).",
        "",
        f"name = {_q(c['name'])}  # the module learners write: {c['name']}.py",
        f"title = {{ en = {_q(c['title'])}, zh = {_q(c['title_zh'])} }}",
        f"items = {_toml_list(items)}  # what learners write, in teaching order",
        f"section = {_q(c['section'])}  # the d2l section to read on",
        f"read.en = {_q(c['read_en'])}",
        f"read.zh = {_q(c['read_zh'])}",
        "",
        "# Progressive hints, per item: from the idea to the API, never the solution.",
    ]
    for item in items:
        lines += [
            "",
            f"[hints.{item}]",
            "en = [",
            f'    "TODO: where in d2l the idea of {item} is explained.",',
            f'    "TODO: the PyTorch API {item} needs.",',
            f'    "TODO: how the pieces of {item} fit together, without its code.",',
            "]",
            "zh = [",
            f'    "TODO：书中讲解 {item} 思路的位置。",',
            f'    "TODO：{item} 需要用到的 PyTorch API。",',
            f'    "TODO：{item} 各部分如何组合（不给出代码）。",',
            "]",
        ]
    return "\n".join(lines) + "\n"


def _feedback(c: dict, items: list[str]) -> str:
    lines = [
        f"# Exercise {c['n']}: the feedback its checks give (grader/diagnoses.py).",
        "#",
        "# [checks.TEST]: what the test checks, in plain words (shown with every failure).",
        "# [diagnoses.NAME]: the mistake whose signature a verdict found, and its fix",
        "# (shown only when the signature named NAME in `with diagnose(NAME=...)` held).",
    ]
    for item in items:
        lower = item.lower()
        lines += [
            "",
            f"[checks.test_{lower}_returns_its_input]",
            f"en = {_q(f'{item}(X) returns X, for tensors of any shape.')}",
            f"zh = {_q(f'{item}(X) 对任意形状的张量都返回 X。')}",
        ]
    for item in items:
        lower = item.lower()
        lines += [
            "",
            f"[diagnoses.{lower}_returns_nothing]",
            f"en = {_q(f'{item} returned no tensor: end it with `return` and the result.')}",
            f"zh = {_q(f'{item} 没有返回张量：在末尾用 `return` 返回结果。')}",
        ]
    return "\n".join(lines) + "\n"


LESSON = {
    False: """\
# {n:02d} · {title}

*d2l: {section} · 《动手学深度学习》{section} {title_zh}*
[中文版](README.zh.md) · [Open in Colab]({colab})

## The idea

TODO: the concept, in short sentences, with the book's terms.

## The exercise: `{name}.py`

TODO: each item to write, in teaching order.

## Pitfalls

TODO: the usual mistakes, each with its symptom.

## Run the tests

```bash
pytest exercises/{folder}
python -m grader hint {name}
```

## Read on

- d2l.ai: [{section}]({read_en})
- 中文版：[{section}]({read_zh})
""",
    True: """\
# {n:02d} · {title_zh}

*《动手学深度学习》{section} {title_zh} · d2l: {section}*
[English](README.md) · [在 Colab 中打开]({colab})

## 概念

TODO：用简短的句子说明概念，使用书中的术语。

## 练习：`{name}.py`

TODO：按教学顺序列出要写的每一项。

## 常见错误

TODO：常见的错误及其表现。

## 运行测试

```bash
pytest exercises/{folder}
python -m grader hint {name}
```

## 延伸阅读

- 中文版：[{section}]({read_zh})
- d2l.ai: [{section}]({read_en})
""",
}


def colab_url(root: Path, folder: str) -> str:
    """The "Open in Colab" link of a new lesson, to the repository the kit's lessons name."""
    from . import notebooks_gen

    return notebooks_gen.colab_url_of(folder, notebooks_gen.current_repo(root))


def _lesson(c: dict, items: list[str], zh: bool) -> str:
    return LESSON[zh].format(**c)


MUTANT = '''"""{item} returns nothing: its last line computes the result but does not return it."""

# diagnosis: {lower}_returns_nothing


def {item}(X):
    X + 0
'''


# ---------------------------------------------------------------- the commands


def new_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="python -m grader new",
        description="Scaffold a new exercise: its folder, solution and a mutant, with one "
        "example check per item that fails on the stub and passes on the solution.",
    )
    p.add_argument("name", help="the module learners write, in lower case (e.g. rnn_cells)")
    p.add_argument("--title", help="the English title (default: from the name)")
    p.add_argument("--title-zh", default="TODO", help="the Chinese title")
    p.add_argument(
        "--items",
        default="",
        help="the names learners write, comma-separated, in teaching order (default: NAME)",
    )
    p.add_argument("--section", default="", help="the d2l section to read on, e.g. 5.4")
    p.add_argument("--read-en", default="https://d2l.ai/", help="the d2l.ai page to read on")
    p.add_argument("--read-zh", default="https://zh.d2l.ai/", help="the zh.d2l.ai page")
    p.add_argument("--kit", type=Path, default=None, help=argparse.SUPPRESS)
    return p


def new_main(argv: list[str] | None = None) -> int:
    args = new_parser().parse_args(argv)
    root = (args.kit or catalog.ROOT).resolve()
    items = [i.strip() for i in args.items.split(",") if i.strip()] or [args.name]
    title = args.title or args.name.replace("_", " ").capitalize()
    written = scaffold(
        root, args.name, title, args.title_zh, items, args.section, args.read_en, args.read_zh
    )
    for path in written:
        print(f"wrote: {path.relative_to(root)}")
    env = {**os.environ, catalog.KIT_ROOT_ENV: str(root)}
    done = subprocess.run(
        [sys.executable, "-m", "grader", "notebooks", "--root", str(root)], env=env, cwd=root
    )
    print(
        f"next: write the lesson, the stub's docstrings, the checks, the hints and the "
        f"feedback, then run `python -m grader check-exercise {args.name}`"
    )
    return done.returncode


def check_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="python -m grader check-exercise",
        description="Say what an exercise lacks: files, hints, check sentences, diagnoses, "
        "mutants; and whether its checks fail on the stub and pass on the solution.",
    )
    p.add_argument("names", nargs="*", metavar="NAME", help="exercises (default: every one)")
    p.add_argument("--static", action="store_true", help="read the files only; run no check")
    return p


def check_main(argv: list[str] | None = None) -> int:
    args = check_parser().parse_args(argv)
    unknown = [n for n in args.names if n not in catalog.BY_NAME]
    if unknown:
        raise GraderError(
            f"no exercise named {', '.join(unknown)}; the exercises are "
            + ", ".join(catalog.MODULE_NAMES)
        )
    lacking = 0
    for name in args.names or catalog.MODULE_NAMES:
        places = Places(catalog.ROOT, catalog.BY_NAME[name])  # read afresh below
        found = static_findings(places)
        if not args.static:
            found += run_findings(places)
        lacking += bool(found)
        print(f"{places.ex.folder}: " + ("complete" if not found else f"{len(found)} to do"))
        for finding in found:
            print(f"  - {finding}")
    return 1 if lacking else 0
