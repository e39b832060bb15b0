"""``python -m grader gradescope-bundle OUT.zip``: the autograder zip for Gradescope.

Gradescope unpacks the zip into ``/autograder/source``, runs ``setup.sh`` once when it
builds the autograder image, then ``run_autograder`` for every submission, which must
write ``/autograder/results/results.json``. The zip holds:

* ``setup.sh``: a Python virtual environment in ``/autograder/venv``, CPU-only torch in
  the range ``pyproject.toml`` allows (from PyTorch's CPU index: Gradescope has no GPU
  and a CUDA build is gigabytes), then the kit itself (``pip install -e``);
* ``run_autograder``: ``python -m grader grade /autograder/submission --format
  gradescope --output /autograder/results/results.json`` plus the options given here;
* the kit: ``pyproject.toml``, ``setup.py``, ``README.md``, the ``grader`` package and
  ``exercises/`` (the pristine tests and the manifests, never the solutions), and
  with ``--tests DIR`` the instructor's private tests as ``instructor_tests/``;
* ``bundle.json``: what was bundled, for whoever debugs a run later.

``AUTOGRADER_ROOT`` moves the whole ``/autograder`` layout and ``AUTOGRADER_PYTHON``
picks the interpreter: that is how the kit's tests run a bundle on a developer's machine.
The zip is reproducible: same inputs, same bytes.
"""

from __future__ import annotations

import argparse
import json
import re
import shlex
import sys
import zipfile
from pathlib import Path

KIT_ROOT = Path(__file__).resolve().parents[2]
CPU_INDEX = "https://download.pytorch.org/whl/cpu"
DEFAULT_TORCH = "torch>=2.6,<2.14"
ZIP_DATE = (1980, 1, 1, 0, 0, 0)

KIT_FILES = ("pyproject.toml", "setup.py", "README.md", "LICENSE", "LICENSE.txt", "LICENSE.md")
KIT_DIRS = ("grader", "exercises")
SKIP_DIRS = {"__pycache__", ".hypothesis", ".pytest_cache", ".ruff_cache", ".git", ".tox"}
SKIP_SUFFIXES = (".pyc", ".pyo")

SETUP_SH = """\
#!/usr/bin/env bash
# Gradescope runs this once, as root, when it builds the autograder image.
# It installs the d2l builders' kit (CPU-only torch) into $ROOT/venv.
set -euo pipefail
ROOT="${{AUTOGRADER_ROOT:-/autograder}}"
SOURCE="$ROOT/source"

if ! command -v python3 >/dev/null 2>&1 || ! python3 -c "import venv, ensurepip" 2>/dev/null; then
    apt-get update
    DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \\
        python3 python3-venv python3-pip
fi
python3 - <<'PY'
import sys
if sys.version_info < (3, 10):
    sys.exit(
        "the kit needs Python 3.10 or newer, this image has "
        + sys.version.split()[0]
        + ": choose a newer base image (Ubuntu 22.04 or later) in the autograder settings"
    )
PY

python3 -m venv "$ROOT/venv"
PY="$ROOT/venv/bin/python"
"$PY" -m pip install --upgrade pip
# CPU-only torch in the range pyproject.toml allows: Gradescope has no GPU, and the
# default (CUDA) wheels are gigabytes. TORCH_INDEX_URL may name a mirror.
"$PY" -m pip install --index-url "${{TORCH_INDEX_URL:-{cpu_index}}}" {torch}
"$PY" -m pip install -e "$SOURCE"
"$PY" -c "import grader, torch; print('kit', grader.__version__, 'torch', torch.__version__)"

# run_autograder grades as this unprivileged user, never as root.
if ! id -u grader >/dev/null 2>&1; then
    useradd --system --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin grader
fi
"""

RUN_AUTOGRADER = """\
#!/usr/bin/env bash
# Gradescope runs this for every submission, as root. It grades $ROOT/submission with
# the kit's own tests and writes $ROOT/results/results.json (Gradescope's format),
# whatever happens: when the grader cannot run, the results say so (score 0).
#
# The grading runs as an unprivileged user: AUTOGRADER_USER, else "grader" (setup.sh
# creates it); it works on a copy of the submission in a fresh folder it owns and can
# write nothing else. Where that user does not exist (a local try), or
# AUTOGRADER_USER=root, the grader runs as the caller.
# AUTOGRADER_ROOT moves the /autograder layout; AUTOGRADER_PYTHON picks the interpreter.
set -uo pipefail
ROOT="${{AUTOGRADER_ROOT:-/autograder}}"
SOURCE="$ROOT/source"
SUBMISSION="$ROOT/submission"
RESULTS="$ROOT/results"
# Past this the grader is stopped, leaving time to write results.json before
# Gradescope's own limit.
LIMIT="${{AUTOGRADER_LIMIT:-{limit}}}"
mkdir -p "$RESULTS"

if [ -n "${{AUTOGRADER_PYTHON:-}}" ]; then
    PYTHON="$AUTOGRADER_PYTHON"
elif [ -x "$ROOT/venv/bin/python" ]; then
    PYTHON="$ROOT/venv/bin/python"
else
    PYTHON=python3
fi

# results.json saying the grader could not run: score 0 and why (JSON by hand, so
# that it is written even when no Python works).
give_up() {{
    local why="$1" detail="${{2:-}}"
    echo "run_autograder: $why" >&2
    WHY="$why" DETAIL="$detail" python3 - "$RESULTS/results.json" 2>/dev/null <<'PY' && return
import json, os, sys
output = (
    "The autograder could not grade this submission: " + os.environ["WHY"] + ".\\n"
    "This says nothing about your code: please tell your instructor.\\n"
)
detail = os.environ.get("DETAIL", "").strip()
if detail:
    output += "\\nThe grader said:\\n" + detail[-2000:] + "\\n"
with open(sys.argv[1], "w", encoding="utf-8") as f:
    json.dump({{"score": 0, "output": output, "output_format": "text", "tests": []}}, f)
PY
    # No Python at all: the reason, kept to characters JSON needs no escape for.
    printf '{{"score": 0, "tests": [], "output": "%s (%s). %s"}}\\n' \\
        "The autograder could not grade this submission" \\
        "$(printf '%s' "$why" | tr -cd 'A-Za-z0-9 ().,:;_/-')" \\
        "Please tell your instructor." >"$RESULTS/results.json"
}}

# A learner who uploaded a zip of a folder, not of its contents: grade the folder.
target="$SUBMISSION"
for _ in 1 2 3 4 5; do
    only=""
    count=0
    for entry in "$target"/*; do
        [ -e "$entry" ] || continue
        [ "$(basename "$entry")" = "__MACOSX" ] && continue
        count=$((count + 1))
        only="$entry"
    done
    if [ "$count" -eq 1 ] && [ -d "$only" ]; then
        target="$only"
    else
        break
    fi
done
# An archive left packed (no .py file beside it): grade the archive itself.
if [ -d "$target" ] && [ -z "$(find "$target" -name '*.py' -print -quit 2>/dev/null)" ]; then
    archives=()
    for entry in "$target"/*.zip "$target"/*.tar.gz "$target"/*.tgz "$target"/*.tar; do
        [ -f "$entry" ] && archives+=("$entry")
    done
    [ "${{#archives[@]}}" -eq 1 ] && target="${{archives[0]}}"
fi

# A fresh folder: the copy of the submission, the grader's home, temporary files and
# its output.
if ! WORK="$(mktemp -d "${{TMPDIR:-/tmp}}/autograder.XXXXXX")"; then
    give_up "no temporary folder"
    exit 0
fi
trap 'rm -rf "$WORK"' EXIT
mkdir -p "$WORK/home" "$WORK/tmp" "$WORK/out"
if [ -d "$target" ]; then
    mkdir "$WORK/submission" && cp -R "$target"/. "$WORK/submission"/ 2>/dev/null
    copy="$WORK/submission"
else
    cp "$target" "$WORK/"
    copy="$WORK/$(basename "$target")"
fi

as=()
if [ "$(id -u)" -eq 0 ]; then
    user="${{AUTOGRADER_USER:-grader}}"
    if [ "$user" != root ] && id -u "$user" >/dev/null 2>&1; then
        chown -R "$user:$(id -gn "$user")" "$WORK"
        chmod 700 "$WORK"
        if command -v setpriv >/dev/null 2>&1; then
            as=(setpriv --reuid="$(id -u "$user")" --regid="$(id -g "$user")" --init-groups --)
        elif command -v runuser >/dev/null 2>&1; then
            as=(runuser -u "$user" --)
        else
            echo "run_autograder: neither setpriv nor runuser: grading as root" >&2
        fi
    elif [ "$user" != root ]; then
        echo "run_autograder: no user $user (setup.sh creates it): grading as root" >&2
    fi
fi

cd "$WORK" || {{ give_up "cannot enter $WORK"; exit 0; }}
HOME="$WORK/home" TMPDIR="$WORK/tmp" timeout --kill-after=10 "$LIMIT" \\
    ${{as[@]+"${{as[@]}}"}} "$PYTHON" -m grader grade "$copy" --kit "$SOURCE" --format gradescope \\
    --output "$WORK/out/results.json"{grade_args} 2>"$WORK/stderr.txt"
status=$?
cat "$WORK/stderr.txt" >&2
if [ -s "$WORK/out/results.json" ]; then
    [ "$status" -eq 0 ] || echo "run_autograder: the grader exited with status $status" >&2
    cp "$WORK/out/results.json" "$RESULTS/results.json"
    exit 0
fi
if [ "$status" -eq 124 ] || [ "$status" -eq 137 ]; then
    give_up "grading ran past ${{LIMIT}} s and was stopped" "$(tail -c 2000 "$WORK/stderr.txt")"
else
    give_up "the grader stopped with exit status $status before writing results" \\
        "$(tail -c 2000 "$WORK/stderr.txt")"
fi
exit 0
"""

# The bundle caps each submission below Gradescope's 10-minute default limit, and stops
# the grader after a margin beyond that, still in time to write results.json.
SUBMISSION_TIMEOUT = 480.0
STOP_MARGIN_S = 60.0


def torch_requirement(kit: Path) -> str:
    """The torch requirement of the kit's ``pyproject.toml`` (``torch>=2.6,<2.14``)."""
    try:
        text = (kit / "pyproject.toml").read_text(encoding="utf-8")
    except OSError:
        return DEFAULT_TORCH
    try:
        import tomllib
    except ModuleNotFoundError:  # Python 3.10
        deps = re.findall(r"""["'](torch\b[^"']*)["']""", text)
    else:
        deps = tomllib.loads(text).get("project", {}).get("dependencies", [])
    for dep in deps:
        if re.match(r"torch\s*(?:[<>=!~;\[]|$)", dep):
            return dep.split(";")[0].strip().replace(" ", "")
    return DEFAULT_TORCH


def kit_version(kit: Path) -> str:
    text = (kit / "grader" / "__init__.py").read_text(encoding="utf-8")
    found = re.search(r"""__version__\s*=\s*["']([^"']+)["']""", text)
    return found.group(1) if found else "unknown"


def _files_under(root: Path) -> list[Path]:
    found = []
    for path in sorted(root.rglob("*")):
        rel = path.relative_to(root)
        if any(part in SKIP_DIRS or part.endswith(".egg-info") for part in rel.parts):
            continue
        if path.is_file() and not path.is_symlink() and not path.name.endswith(SKIP_SUFFIXES):
            found.append(path)
    return found


def kit_files(kit: Path) -> dict[str, Path]:
    """Archive name -> file, for the kit's part of the bundle."""
    files: dict[str, Path] = {}
    for name in KIT_FILES:
        if (kit / name).is_file():
            files[name] = kit / name
    for d in KIT_DIRS:
        for path in _files_under(kit / d):
            files[path.relative_to(kit).as_posix()] = path
    return files


def grade_arguments(
    timeout: float | None,
    tests: bool,
    extra: list[str],
    submission_timeout: float = SUBMISSION_TIMEOUT,
) -> list[str]:
    """The options ``run_autograder`` passes to ``grade``, shell-quoted (``--tests`` last
    but one, pointing into the unpacked bundle)."""
    args: list[str] = ["--submission-timeout", shlex.quote(_number(submission_timeout))]
    if timeout is not None:
        args += ["--timeout", shlex.quote(_number(timeout))]
    if tests:
        args += ["--tests", '"$SOURCE/instructor_tests"']
    args += [shlex.quote(a) for a in extra]
    return args


def _number(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else str(x)


def scripts(
    torch: str, grade_args: list[str], submission_timeout: float = SUBMISSION_TIMEOUT
) -> dict[str, str]:
    joined = (" \\\n    " + " ".join(grade_args)) if grade_args else ""
    limit = _number(submission_timeout + STOP_MARGIN_S)
    return {
        "setup.sh": SETUP_SH.format(cpu_index=CPU_INDEX, torch=shlex.quote(torch)),
        "run_autograder": RUN_AUTOGRADER.format(grade_args=joined, limit=limit),
    }


def _info(name: str, executable: bool = False) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=ZIP_DATE)
    info.compress_type = zipfile.ZIP_DEFLATED
    info.create_system = 3  # unix, so the permission bits below are honoured
    info.external_attr = (0o100755 if executable else 0o100644) << 16
    return info


def build(
    out: Path,
    kit: Path = KIT_ROOT,
    tests: Path | None = None,
    timeout: float | None = None,
    torch: str | None = None,
    extra_args: list[str] | None = None,
    submission_timeout: float = SUBMISSION_TIMEOUT,
) -> dict:
    """Write the bundle to ``out``; returns its manifest (also stored as ``bundle.json``)."""
    kit = Path(kit)
    for needed in ("pyproject.toml", "grader/__init__.py", "exercises"):
        if not (kit / needed).exists():
            raise ValueError(f"{kit} is not a checkout of the kit: no {needed}")
    if tests is not None and not Path(tests).is_dir():
        raise ValueError(f"--tests {tests}: no such folder")
    torch = torch or torch_requirement(kit)
    grade_args = grade_arguments(
        timeout, tests is not None, list(extra_args or []), submission_timeout
    )
    members = kit_files(kit)
    if tests is not None:
        for path in _files_under(Path(tests)):
            members["instructor_tests/" + path.relative_to(tests).as_posix()] = path
    manifest = {
        "kit_version": kit_version(kit),
        "torch": torch,
        "run": "python -m grader grade /autograder/submission --kit /autograder/source "
        "--format gradescope "
        "--output /autograder/results/results.json " + " ".join(grade_args),
        "instructor_tests": sum(n.startswith("instructor_tests/") for n in members),
        "files": len(members) + 3,
    }
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(out, "w") as zf:
        for name, text in scripts(torch, grade_args, submission_timeout).items():
            zf.writestr(_info(name, executable=True), text.encode("utf-8"))
        zf.writestr(_info("bundle.json"), json.dumps(manifest, indent=2) + "\n")
        for name in sorted(members):
            zf.writestr(_info(name), members[name].read_bytes())
    return manifest


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="python -m grader gradescope-bundle",
        description="Build the Gradescope autograder zip (setup.sh, run_autograder, the kit).",
    )
    p.add_argument("out", metavar="OUT.zip", type=Path, help="the zip to write")
    p.add_argument(
        "--tests",
        metavar="DIR",
        type=Path,
        help="a folder of private instructor tests to ship in the bundle (graded with --tests)",
    )
    p.add_argument(
        "--timeout",
        metavar="S",
        type=float,
        help="time limit of one test in seconds (grade's --timeout)",
    )
    p.add_argument(
        "--submission-timeout",
        metavar="S",
        type=float,
        default=SUBMISSION_TIMEOUT,
        help=f"limit of one submission, all modules together ({SUBMISSION_TIMEOUT:g}: under "
        "Gradescope's 10 minutes); the grader is stopped 60 s later",
    )
    p.add_argument(
        "--grade-arg",
        metavar="ARG",
        action="append",
        default=[],
        help="one more argument for grade, e.g. --grade-arg=--module-timeout=200 (repeatable)",
    )
    p.add_argument("--torch", metavar="SPEC", help="torch requirement (default: pyproject's)")
    p.add_argument(
        "--kit",
        metavar="DIR",
        type=Path,
        default=KIT_ROOT,
        help="the kit checkout to bundle (default: the one this grader runs from)",
    )
    return p


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == ["gradescope-bundle"]:
        argv = argv[1:]
    try:
        args = parser().parse_args(argv)
    except SystemExit as exit_:  # --help, or a usage error already printed
        return exit_.code if isinstance(exit_.code, int) else 2
    if args.timeout is not None and not args.timeout > 0:
        print("gradescope-bundle: --timeout must be a positive number of seconds", file=sys.stderr)
        return 2
    if not args.submission_timeout > 0:
        print(
            "gradescope-bundle: --submission-timeout must be a positive number of seconds",
            file=sys.stderr,
        )
        return 2
    try:
        manifest = build(
            args.out,
            kit=args.kit,
            tests=args.tests,
            timeout=args.timeout,
            torch=args.torch,
            extra_args=args.grade_arg,
            submission_timeout=args.submission_timeout,
        )
    except (ValueError, OSError) as err:
        print(f"gradescope-bundle: {err}", file=sys.stderr)
        return 2
    print(
        f"wrote {args.out} ({manifest['files']} files, kit {manifest['kit_version']}, "
        f"{manifest['torch']}, {manifest['instructor_tests']} instructor test files)"
    )
    print("upload it on Gradescope: assignment > Configure Autograder > Zip file upload")
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
