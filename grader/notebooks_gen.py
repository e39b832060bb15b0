"""Every exercise as a notebook: ``python -m grader notebooks [--repo OWNER/REPO]``.

``exercises/NN_topic/NN_topic.ipynb`` is generated from the exercise's own files and is
never edited by hand:

* the title of the lesson (``README.md``, before its first ``##``);
* a cell that installs the kit in Google Colab, next to Colab's own PyTorch (it never
  replaces it), and does nothing anywhere else;
* ``from grader.notebook import check``;
* the lesson's sections as markdown cells (all but "Run the tests": the notebook has
  its own checks);
* the stub's imports in one code cell, then one code cell per class or function of the
  stub (its docstring and its TODO), each item followed by a check cell
  (``check("MyLinear")``), and a check of the whole exercise (``check("layers")``) at the
  end, before "Read on".

Cell ids come from the exercise and the cell's index and the notebooks hold no outputs,
so that generating twice gives the same bytes; ``tests/test_exercise_notebooks.py``
checks that the committed notebooks are exactly what this command writes.

The lessons and the kit's ``README.md`` link each notebook's "Open in Colab" page,
``https://colab.research.google.com/github/OWNER/REPO/blob/main/exercises/…``, and the
install cell clones ``https://github.com/OWNER/REPO``. In the kit these name the
placeholder :data:`PLACEHOLDER_REPO`. ``--repo alice/builders-kit`` rewrites every such
link (notebooks and READMEs) to the repository the learners use; without ``--repo`` the
command keeps the repository the lessons already name.
"""

from __future__ import annotations

import argparse
import ast
import re
import sys
from pathlib import Path

from . import catalog
from .catalog import EXERCISES, Exercise

PLACEHOLDER_REPO = "OWNER/d2l-builders-kit"
BRANCH = "main"
KIT_ROOT = catalog.ROOT  # the kit whose exercises the catalogue read
# The exercise tables of the READMEs, written from the exercises' manifests.
TABLE_BEGIN = "<!-- the exercise table: python -m grader notebooks writes it -->"
TABLE_END = "<!-- end of the exercise table -->"
TABLE_RE = re.compile(re.escape(TABLE_BEGIN) + r"\n.*?" + re.escape(TABLE_END), re.S)
REPO_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9-]*/[A-Za-z0-9._-]+$")
# The "Open in Colab" links of the READMEs, whatever repository they name.
COLAB_RE = re.compile(
    r"https://colab\.research\.google\.com/github/([^/\s)]+/[^/\s)]+)/blob/[^/\s)]+/exercises/"
)
# Links from a lesson to a file beside it (``[中文版](README.zh.md)``).
RELATIVE_LINK_RE = re.compile(r"\]\(([\w./-]+\.(?:md|py|ipynb))\)")
# PyTorch and NumPy are Colab's own: the install cell never touches them.
COLAB_HAS = ("torch", "numpy")
# Lesson sections the notebook leaves out, and those it puts after the final check.
SKIPPED_SECTIONS = ("Run the tests",)
CLOSING_SECTIONS = ("Read on",)
KERNELSPEC = {"display_name": "Python 3", "language": "python", "name": "python3"}


class NotebookError(Exception):
    """The notebooks cannot be generated: one sentence for the user."""


def notebook_path(ex: Exercise, root: Path = KIT_ROOT) -> Path:
    return root / "exercises" / ex.folder / f"{ex.folder}.ipynb"


def colab_url(ex: Exercise, repo: str = PLACEHOLDER_REPO) -> str:
    return colab_url_of(ex.folder, repo)


def colab_url_of(folder: str, repo: str = PLACEHOLDER_REPO) -> str:
    """The "Open in Colab" page of the notebook of exercise folder ``folder``."""
    return (
        f"https://colab.research.google.com/github/{repo}/blob/{BRANCH}"
        f"/exercises/{folder}/{folder}.ipynb"
    )


def readme_paths(root: Path = KIT_ROOT) -> list[Path]:
    """The READMEs that may link the notebooks: the kit's, the exercises' and every lesson."""
    paths = [
        root / "README.md",
        root / "exercises" / "README.md",
        root / "exercises" / "README.zh.md",
    ]
    for ex in EXERCISES:
        paths += [root / "exercises" / ex.folder / name for name in ("README.md", "README.zh.md")]
    return [path for path in paths if path.is_file()]


def current_repo(root: Path = KIT_ROOT) -> str:
    """The repository the lessons' "Open in Colab" links name (the placeholder if none)."""
    for path in readme_paths(root):
        match = COLAB_RE.search(path.read_text(encoding="utf-8"))
        if match:
            return match.group(1)
    return PLACEHOLDER_REPO


def colab_packages(root: Path = KIT_ROOT) -> list[str]:
    """The kit's dependencies that Colab may lack: pyproject's, less torch and numpy."""
    try:
        import tomllib
    except ModuleNotFoundError:  # Python 3.10
        raise NotebookError("generating the notebooks needs Python 3.11 or later") from None
    project = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    wanted = []
    for requirement in project["dependencies"]:
        name = re.split(r"[\s<>=!~;\[]", requirement, maxsplit=1)[0].lower()
        if name not in COLAB_HAS:
            wanted.append(requirement.replace(" ", ""))
    return wanted


def install_cell(repo: str, packages: list[str]) -> str:
    name = repo.split("/")[1]
    listed = ", ".join(f'"{p}"' for p in packages)
    return f"""\
# Run this cell first. In Google Colab it installs the kit next to Colab's own PyTorch
# (it never replaces it). Anywhere else it does nothing: there, install the kit once
# with `pip install -e .` in its folder.
import importlib
import importlib.util
import os
import subprocess
import sys

KIT = "https://github.com/{repo}"
HERE = "/content/{name}"
if "google.colab" in sys.modules and importlib.util.find_spec("grader") is None:
    if not os.path.isdir(HERE):  # the checks need the exercises' tests: take the whole kit
        subprocess.run(["git", "clone", "--quiet", "--depth", "1", KIT, HERE], check=True)
    pip = [sys.executable, "-m", "pip", "install", "--quiet"]
    subprocess.run([*pip, "--no-deps", "--editable", HERE], check=True)
    subprocess.run([*pip, {listed}], check=True)
    sys.path.insert(0, HERE)
    importlib.invalidate_caches()"""


# ---------------------------------------------------------------- the lesson


def _sections(text: str) -> tuple[str, list[tuple[str, str]]]:
    """The lesson's title block and its ``##`` sections, as (heading, markdown)."""
    title: list[str] = []
    sections: list[tuple[str, list[str]]] = []
    fenced = False
    for line in text.splitlines():
        if line.startswith("```"):
            fenced = not fenced
        if not fenced and line.startswith("## "):
            sections.append((line[3:].strip(), [line]))
        elif sections:
            sections[-1][1].append(line)
        else:
            title.append(line)
    return "\n".join(title).strip(), [(h, "\n".join(body).strip()) for h, body in sections]


def _markdown(text: str, ex: Exercise, repo: str) -> str:
    """A lesson's markdown as the notebook shows it: links to files beside the lesson
    go to GitHub (the notebook is opened alone), and no link to the notebook itself."""
    base = f"https://github.com/{repo}/blob/{BRANCH}/exercises/{ex.folder}/"
    text = RELATIVE_LINK_RE.sub(lambda m: f"]({base}{m.group(1)})", text)
    return re.sub(r"\s*·?\s*\[[^\]]*\]\(https://colab\.research\.google\.com/[^)]*\)", "", text)


# ---------------------------------------------------------------- the stub


def _stub_cells(source: str) -> list[tuple[str | None, str]]:
    """The stub as (name, code) cells: the statements before its first definition (the
    imports; name None), then each top-level class or function with the comments and
    statements between it and the definition before it."""
    lines = source.splitlines()
    tree = ast.parse(source)
    body = list(tree.body)
    start = body.pop(0).end_lineno if ast.get_docstring(tree) is not None else 0
    cells: list[tuple[str | None, str]] = []
    preamble_end = start
    for node in body:
        if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            if not cells:  # an import or a constant before the first definition
                preamble_end = node.end_lineno
            continue
        if not cells:
            cells.append((None, "\n".join(lines[start:preamble_end])))
            start = preamble_end
        cells.append((node.name, "\n".join(lines[start : node.end_lineno])))
        start = node.end_lineno
    if not cells:
        cells.append((None, "\n".join(lines[start:preamble_end])))
        start = preamble_end
    cells.append((None, "\n".join(lines[start:])))
    return [(name, code.strip("\n")) for name, code in cells if code.strip()]


# ---------------------------------------------------------------- the notebook


def build(ex: Exercise, root: Path = KIT_ROOT, repo: str = PLACEHOLDER_REPO):
    """The exercise's notebook, as an ``nbformat`` node."""
    from nbformat import v4

    lesson = (root / "exercises" / ex.folder / "README.md").read_text(encoding="utf-8")
    title, sections = _sections(lesson)
    stub = (root / "exercises" / ex.folder / ex.filename).read_text(encoding="utf-8")
    cells: list[tuple[str, str]] = [("markdown", _markdown(title, ex, repo))]
    cells.append(("code", install_cell(repo, colab_packages(root))))
    cells.append(("code", "from grader.notebook import check"))
    closing = []
    for heading, text in sections:
        if heading in SKIPPED_SECTIONS:
            continue
        if heading.startswith("The exercise"):  # its items are in the cells below, not a file
            text = "## The exercise" + text[text.index("\n") :]
        (closing if heading in CLOSING_SECTIONS else cells).append(
            ("markdown", _markdown(text, ex, repo))
        )
    first = ex.items[0]
    cells.append(
        (
            "markdown",
            "## Your turn\n\n"
            "Each item has its own code cell below: its docstring says exactly what to "
            "write, and `raise NotImplementedError(...)` or `# TODO` marks where your code "
            "goes. Run the imports first. Then write an item, run its cell, and run the "
            "check cell under it. A check always uses the definitions you ran last.\n\n"
            f"Stuck? `!python -m grader hint {first}` in a cell shows one more hint each time "
            "(any item's name works).",
        )
    )
    for name, code in _stub_cells(stub):
        if name in ex.items:
            cells.append(("markdown", f"### `{name}`"))
        cells.append(("code", code))
        if name in ex.items:
            cells.append(("code", f'check("{name}")'))
    cells.append(("markdown", "## Check the whole exercise"))
    cells.append(("code", f'check("{ex.name}")'))
    cells += closing

    nb = v4.new_notebook()
    nb.metadata = {"kernelspec": dict(KERNELSPEC), "language_info": {"name": "python"}}
    for index, (kind, source) in enumerate(cells):
        make = v4.new_markdown_cell if kind == "markdown" else v4.new_code_cell
        nb.cells.append(make(source, id=f"{ex.name}-{index:02d}"))
    return nb


def render(ex: Exercise, root: Path = KIT_ROOT, repo: str = PLACEHOLDER_REPO) -> str:
    """The notebook's file content (JSON, as Jupyter writes it, ending in a newline)."""
    import nbformat

    return nbformat.writes(build(ex, root, repo)) + "\n"


def with_repo(text: str, repo: str) -> str:
    """A README whose "Open in Colab" links name ``repo``."""
    prefix = "https://colab.research.google.com/github/"
    return COLAB_RE.sub(lambda m: m.group(0).replace(prefix + m.group(1), prefix + repo), text)


def _items(ex: Exercise) -> str:
    return ", ".join(f"`{item}`" for item in ex.items)


def _section(ex: Exercise, lang: str) -> str:
    url = ex.read_zh if lang == "zh" else ex.read_en
    return f"[{ex.section or 'd2l'}]({url})"


def _beyond(ex: Exercise, lang: str) -> str:
    if not ex.beyond_the_chapter:
        return ""
    return "（本章之外）" if lang == "zh" else " (beyond the chapter)"


# Each table: its column names, and the cells of an exercise's row.
TABLES = {
    "kit": (
        ("#", "exercise", "you write", "d2l", "notebook"),
        lambda ex, repo: (
            f"`exercises/{ex.folder}` {ex.title_zh}{_beyond(ex, 'en')}",
            _items(ex),
            _section(ex, "en"),
            f"[Colab]({colab_url(ex, repo)})",
        ),
    ),
    "en": (
        ("#", "folder", "topic", "主题", "you write", "d2l"),
        lambda ex, repo: (
            f"[`{ex.folder}`]({ex.folder}/)",
            f"{ex.title}{_beyond(ex, 'en')}",
            ex.title_zh,
            f"`{ex.filename}`",
            _section(ex, "en"),
        ),
    ),
    "zh": (
        ("#", "文件夹", "主题", "topic", "要写的文件", "章节"),
        lambda ex, repo: (
            f"[`{ex.folder}`]({ex.folder}/README.zh.md)",
            f"{ex.title_zh}{_beyond(ex, 'zh')}",
            ex.title,
            f"`{ex.filename}`",
            _section(ex, "zh"),
        ),
    ),
}


def exercise_table(kind: str, repo: str = PLACEHOLDER_REPO) -> str:
    """The exercise table of the kit's README (``kit``), of ``exercises/README.md``
    (``en``) or of ``exercises/README.zh.md`` (``zh``), from the manifests."""
    names, cells = TABLES[kind]
    lines = ["| " + " | ".join(names) + " |", "|" + "---|" * len(names)]
    for ex in EXERCISES:
        lines.append("| " + " | ".join((str(ex.number), *cells(ex, repo))) + " |")
    return "\n".join([TABLE_BEGIN, *lines, TABLE_END])


def with_table(text: str, path: Path, root: Path, repo: str) -> str:
    """A README whose exercise table (between the markers, where it has them) is the
    one the manifests give."""
    kind = "kit" if path == root / "README.md" else "zh" if path.name.endswith(".zh.md") else "en"
    table = exercise_table(kind, repo)
    return TABLE_RE.sub(lambda m: table, text)


def expected(root: Path = KIT_ROOT, repo: str | None = None) -> dict[Path, str]:
    """Every generated file (notebooks, READMEs with their links and exercise tables)
    and its content."""
    repo = repo or current_repo(root)
    files = {notebook_path(ex, root): render(ex, root, repo) for ex in EXERCISES}
    for path in readme_paths(root):
        text = with_table(path.read_text(encoding="utf-8"), path, root, repo)
        files[path] = with_repo(text, repo)
    return files


def out_of_date(files: dict[Path, str]) -> list[Path]:
    """The files of ``files`` whose content on disk is not the one given."""
    stale = []
    for path, text in files.items():
        try:
            same = path.read_text(encoding="utf-8") == text
        except OSError:
            same = False
        if not same:
            stale.append(path)
    return stale


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="python -m grader notebooks",
        description="Generate exercises/NN_topic/NN_topic.ipynb from each exercise's lesson "
        "and stub, and keep the READMEs' 'Open in Colab' links pointing at them.",
    )
    p.add_argument(
        "--repo",
        metavar="OWNER/REPO",
        help="the GitHub repository learners open the notebooks from and install the kit "
        f"from (default: the one the lessons already link; in the kit {PLACEHOLDER_REPO})",
    )
    p.add_argument(
        "--check",
        action="store_true",
        help="write nothing; exit 1 when a generated file is not up to date",
    )
    p.add_argument("--root", type=Path, default=KIT_ROOT, help=argparse.SUPPRESS)
    return p


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    root = args.root.resolve()
    if args.repo is not None and not REPO_RE.match(args.repo):
        print(f"grader: --repo wants OWNER/REPO, not {args.repo!r}", file=sys.stderr)
        return 2
    try:
        import nbformat  # noqa: F401
    except ModuleNotFoundError:
        print(
            "grader: generating the notebooks needs nbformat (pip install nbformat)",
            file=sys.stderr,
        )
        return 2
    try:
        files = expected(root, args.repo)
    except (NotebookError, OSError) as exc:
        print(f"grader: {exc}", file=sys.stderr)
        return 2
    stale = out_of_date(files)
    if not args.check:
        for path in stale:
            path.write_text(files[path], encoding="utf-8", newline="\n")
    for path in stale:
        shown = path.relative_to(root) if path.is_relative_to(root) else path
        print(f"{'out of date' if args.check else 'wrote'}: {shown}")
    if args.check and stale:
        print("run `python -m grader notebooks` to bring them up to date", file=sys.stderr)
        return 1
    if not stale:
        print("the notebooks and their links are up to date")
    return 0
