"""The grader's command line: ``python -m grader COMMAND ...``.

``grade``      grade submissions (folders, .zip or .tar.gz) and write a report
``merge``      merge shard JSON reports into one (and render it in any format)
``gradescope-bundle``  build Gradescope's autograder zip (grader.formats.bundle)
``hint``       progressive hints for one exercise item (grader.hints)
``watch``      re-run the current exercise on every save (grader.watch)
``progress``   every exercise's progress, as the last test runs left it (grader.progress)
``release``    write the learners' copy of the kit (grader.release)
``report``     the cohort report of a saved JSON report, as HTML (grader.grading.cohort)
``diff``       what a regrade changed, per learner and per test (grader.grading.diffing)
``notebooks``  every exercise as a notebook, and its Colab links (grader.notebooks_gen)
``new``        scaffold a new exercise (grader.authoring)
``check-exercise``  what an exercise lacks (grader.authoring)

Exit status: 0 when grading completed, whatever the scores; 2 when the grader
could not run (bad arguments, an unreadable kit or report); 130 on Ctrl-C.
"""

from __future__ import annotations

import argparse
import dataclasses
import importlib
import json
import math
import re
import secrets
import signal
import sys
import time
from pathlib import Path

from . import __version__
from .catalog import EXERCISES, MODULE_NAMES
from .errors import GraderError
from .i18n import current_lang

FORMATS = ("table", "json", "gradescope", "classroom", "exercism", "junit", "csv", "html")
DEFAULT_TIMEOUT = 30.0
# Exercism gives a test runner 20 s for everything: the grader aims to be done in 18.
EXERCISM_TIMEOUT = 10.0
EXERCISM_BUDGET = 18.0
REPORT_MARGIN_S = 1.0  # kept back from --time-budget to stop the workers and write the report
_PER_SUBMISSION = frozenset({"gradescope", "classroom", "exercism"})
_EXTENSION = {
    "table": ".txt",
    "json": ".json",
    "gradescope": ".json",
    "classroom": ".txt",
    "exercism": ".json",
    "junit": ".xml",
    "csv": ".csv",
    "html": ".html",
}

USAGE = """\
usage: python -m grader COMMAND [ARGS]

commands:
  grade SUBMISSION [SUBMISSION ...]   grade folders or .zip / .tar.gz archives
  merge REPORT [REPORT ...]           merge shard JSON reports into one
  gradescope-bundle OUT.zip           build Gradescope's autograder zip
  hint [NAME]                         a progressive hint for a class or function
  watch                               re-run the current exercise on every save
  progress                            your progress on every exercise, kept between runs
  release OUT                         write the learners' copy of the kit
  report GRADES.json --html OUT       the cohort report of a saved JSON report
  diff OLD.json NEW.json              what a regrade changed
  notebooks [--repo OWNER/REPO]       write every exercise's notebook and Colab links
  new NAME [--items A,B ...]          scaffold a new exercise (for the kit's authors)
  check-exercise [NAME ...]           what an exercise lacks (for the kit's authors)

python -m grader COMMAND --help tells more."""


# ---------------------------------------------------------------- formats


def _formats():
    try:
        return importlib.import_module("grader.formats")
    except ModuleNotFoundError as exc:
        if exc.name in ("grader.formats",):
            return None
        raise


def per_submission() -> frozenset[str]:
    formats = _formats()
    return frozenset(getattr(formats, "PER_SUBMISSION", _PER_SUBMISSION))


def extension(fmt: str) -> str:
    formats = _formats()
    ext = getattr(formats, "EXTENSION", _EXTENSION).get(fmt, _EXTENSION.get(fmt, ".txt"))
    return ext if ext.startswith(".") else "." + ext


def render(fmt: str, report: dict, color: bool = False, csv: dict | None = None) -> str:
    """``report`` as ``fmt``; ``csv``: the gradebook's options (roster, layout, bom)."""
    formats = _formats()
    if csv and fmt == "csv" and formats is not None:
        from .formats import gradebook
        from .formats._common import fix_surrogates

        return gradebook.render(fix_surrogates(report), **csv)
    if fmt == "html" and formats is not None:  # the cohort report (grader/formats/html.py)
        from .formats import html

        return html.render(report)
    if formats is not None and fmt in getattr(formats, "FORMATS", ()):
        if fmt == "table" and color and hasattr(formats, "render_table"):
            return formats.render_table(report, color=True)
        return formats.render(fmt, report)
    if fmt == "json":
        return json.dumps(report, indent=2, ensure_ascii=False) + "\n"
    if fmt == "table":
        return _plain_table(report)
    raise GraderError(f"the {fmt} format is not available in this version of the grader")


def _plain_table(report: dict) -> str:
    """A bare table, used only while grader.formats is not installed."""
    lines = []
    for sub in report["submissions"]:
        lines.append(f"{sub['submission']}: {sub['score']:g} / {sub['max_score']:g}")
        for ex in sub["exercises"]:
            lines.append(
                f"  {ex['module']:<12} {ex['score']:>6g} / {ex['max_score']:<6g} "
                f"{ex['status']:<9} {ex['message'].splitlines()[0] if ex['message'] else ''}"
            )
    return "\n".join(lines) + "\n"


def safe_filename(name: str) -> str:
    stem = re.sub(r"[^A-Za-z0-9._-]+", "_", name).strip("._-")[:100]
    return stem or "submission"


def write_report(
    fmt: str, report: dict, output: Path | None, csv: dict | None = None
) -> list[Path]:
    """Write ``report`` as ``fmt`` to stdout, a file, or one file per submission."""
    subs = report["submissions"]
    ext = extension(fmt)
    if fmt in per_submission():
        if not subs:
            return []  # an empty shard: nothing to write
        if len(subs) == 1:
            text = render(fmt, report)
            return _write(text, output, safe_filename(subs[0]["submission"]) + ext)
        assert output is not None  # checked before grading
        output.mkdir(parents=True, exist_ok=True)
        written, used = [], set()
        for sub in subs:
            base = safe_filename(sub["submission"])
            name, n = base, 1
            while name.lower() in used:
                n += 1
                name = f"{base}-{n}"
            used.add(name.lower())
            text = render(fmt, {**report, "submissions": [sub]})
            path = output / (name + ext)
            path.write_text(text, encoding="utf-8")
            written.append(path)
        return written
    color = output is None and sys.stdout.isatty()
    return _write(render(fmt, report, color=color, csv=csv), output, "report" + ext)


def _write(text: str, output: Path | None, default_name: str) -> list[Path]:
    if output is None:
        sys.stdout.write(text)
        sys.stdout.flush()
        return []
    path = output / default_name if output.is_dir() else output
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return [path]


def _check_output(fmt: str, output: Path | None, count: int) -> None:
    if fmt in per_submission() and count > 1:
        if output is None:
            raise GraderError(
                f"--format {fmt} writes one file per submission: give --output DIR "
                f"for these {count} submissions"
            )
        if output.exists() and not output.is_dir():
            raise GraderError(f"--output {output}: a folder is needed for {count} {fmt} files")


# ---------------------------------------------------------------- arguments


def _positive(kind):
    def parse(text: str):
        try:
            value = kind(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
        if value <= 0:
            raise argparse.ArgumentTypeError(f"{text} is not above 0")
        return value

    return parse


def _jobs(text: str) -> int | str:
    if text == "auto":
        return text
    if not text.strip().lstrip("+-").isdigit():
        raise argparse.ArgumentTypeError(f"{text!r} is neither a number nor auto")
    return _positive(int)(text)


def _seed(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if not 0 <= value < 2**32:
        raise argparse.ArgumentTypeError("a seed lies between 0 and 4294967295")
    return value


def _shard(text: str) -> tuple[int, int]:
    match = re.fullmatch(r"\s*(\d+)\s*/\s*(\d+)\s*", text)
    if not match:
        raise argparse.ArgumentTypeError(f"{text!r} is not I/N (for example 2/8)")
    index, count = int(match[1]), int(match[2])
    if count < 1 or not 1 <= index <= count:
        raise argparse.ArgumentTypeError(
            f"{text}: shards are numbered 1 to N (from a 0-based array index, use INDEX+1)"
        )
    return index, count


def _fraction(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if not 0 < value <= 1:
        raise argparse.ArgumentTypeError(f"{text!r} is not a fraction in (0, 1]")
    return value


def module_named(text: str) -> str | None:
    """The module a name stands for: ``file_io``, ``file-io``, ``06_file_io`` or ``06-file-io``."""
    key = text.strip().lower().replace("-", "_")
    for ex in EXERCISES:
        if key in (ex.name, ex.folder):
            return ex.name
    return None


def _modules(text: str) -> tuple[str, ...]:
    names = [n.strip() for n in text.split(",") if n.strip()]
    found = {n: module_named(n) for n in names}
    unknown = [n for n, m in found.items() if m is None]
    if unknown or not names:
        raise argparse.ArgumentTypeError(
            f"unknown module {', '.join(unknown) or repr(text)}; the modules are "
            + ", ".join(MODULE_NAMES)
            + " (file-io and 06_file_io name file_io too)"
        )
    chosen = set(found.values())
    return tuple(n for n in MODULE_NAMES if n in chosen)  # teaching order


class BadArguments(SystemExit):
    """argparse's exit for bad arguments (status 2), with its sentence kept."""

    def __init__(self, message: str) -> None:
        super().__init__(2)
        self.message = message


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):  # one sentence and the usage line, exit 2
        self.print_usage(sys.stderr)
        sys.stderr.write(f"{self.prog}: {message}\n")
        raise BadArguments(message)


def _csv_options(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--roster",
        type=Path,
        metavar="FILE",
        help="with --format csv: a CSV mapping submission names to students "
        "(columns submission, name, id, sis_id, login, email, section)",
    )
    p.add_argument(
        "--csv-layout",
        choices=("plain", "canvas", "moodle"),
        default="plain",
        help="with --format csv: columns for Canvas's or Moodle's grade import (plain)",
    )
    p.add_argument(
        "--csv-bom",
        action="store_true",
        help="with --format csv: start with a UTF-8 byte order mark (for Excel)",
    )


def grade_parser() -> argparse.ArgumentParser:
    p = _Parser(
        prog="python -m grader grade",
        description="Grade submissions with the kit's pristine tests and write a report.",
    )
    p.add_argument(
        "submissions",
        nargs="+",
        type=Path,
        metavar="SUBMISSION",
        help="a folder (flat, exercises layout or a whole kit copy) or a .zip / .tar.gz of one",
    )
    p.add_argument("--format", choices=FORMATS, default="table", help="report format (table)")
    p.add_argument(
        "--output",
        type=Path,
        metavar="PATH",
        help="write to this file (a folder for one file per submission); default: stdout",
    )
    p.add_argument(
        "--jobs",
        type=_jobs,
        default="auto",
        metavar="N",
        help="modules graded at once (auto: one per core, as memory allows)",
    )
    p.add_argument(
        "--timeout",
        type=_positive(float),
        metavar="SECONDS",
        help=f"time limit of one test ({DEFAULT_TIMEOUT:g}; {EXERCISM_TIMEOUT:g} with "
        "--format exercism)",
    )
    p.add_argument(
        "--time-budget",
        type=_positive(float),
        metavar="SECONDS",
        help="finish the whole run, report written, within this many seconds: the module "
        "limits shrink to fit (default: none; "
        f"{EXERCISM_BUDGET:g} for --format exercism with one submission)",
    )
    p.add_argument(
        "--module-timeout",
        type=_positive(float),
        default=300.0,
        metavar="SECONDS",
        help="wall-clock limit of one module of one submission (300)",
    )
    p.add_argument(
        "--submission-timeout",
        type=_positive(float),
        metavar="SECONDS",
        help="wall-clock limit of one submission, all its modules together, from when "
        "its first module starts; modules still running or not started then time out "
        "(default: none; the Gradescope bundle gives 480)",
    )
    p.add_argument(
        "--tests",
        type=Path,
        metavar="DIR",
        help="a folder of private instructor tests, added to the kit's",
    )
    p.add_argument(
        "--shard", type=_shard, metavar="I/N", help="grade only the I-th of N slices (1-based)"
    )
    p.add_argument(
        "--seed",
        type=_seed,
        metavar="N",
        help="the Hypothesis and torch seed (default: a fresh one, recorded in the report)",
    )
    p.add_argument("--lang", choices=("en", "zh"), help="language of messages (default: $KIT_LANG)")
    p.add_argument("--quiet", "-q", action="store_true", help="no progress bar, notes or summary")
    p.add_argument(
        "--modules", type=_modules, metavar="A,B", help="grade only these modules (default: all)"
    )
    p.add_argument(
        "--kit",
        type=Path,
        metavar="DIR",
        help="the kit whose exercises/ hold the tests (default: the grader's own)",
    )
    p.add_argument(
        "--gpu",
        action="store_true",
        help="one GPU for each worker, one worker per GPU (default: CPU only)",
    )
    p.add_argument(
        "--gpu-memory",
        type=_fraction,
        default=0.9,
        metavar="FRACTION",
        help="with --gpu, the share of its GPU's memory a worker may allocate (0.9)",
    )
    p.add_argument(
        "--no-fork-server",
        dest="fork_server",
        action="store_false",
        help="start every worker as a new Python process instead of forking it from a "
        "process that has torch imported (slower; the same isolation)",
    )
    p.add_argument(
        "--memory",
        type=_positive(int),
        default=2048,
        metavar="MIB",
        help="memory a worker may allocate beyond what torch and the grader load (2048)",
    )
    p.add_argument(
        "--no-sandbox",
        dest="sandbox",
        action="store_false",
        help="no Landlock, resource limits, audit hook or network namespace in the "
        "probe workers (to tell a sandbox problem from a bug; process isolation "
        "stays, and verdicts are still decided outside the learner's process)",
    )
    _csv_options(p)
    return p


def merge_parser() -> argparse.ArgumentParser:
    p = _Parser(
        prog="python -m grader merge",
        description="Merge JSON reports (one per shard) into one report, sorted by submission.",
    )
    p.add_argument("reports", nargs="+", type=Path, metavar="REPORT")
    p.add_argument("--format", choices=FORMATS, default="json", help="output format (json)")
    p.add_argument("--output", type=Path, metavar="PATH", help="default: stdout")
    p.add_argument("--quiet", "-q", action="store_true", help="no cohort summary")
    p.add_argument(
        "--allow-mixed",
        action="store_true",
        help="merge reports graded with different seeds or settings (each submission "
        "keeps its own in graded_with)",
    )
    _csv_options(p)
    return p


# ---------------------------------------------------------------- commands


def _note(args, text: str) -> None:
    if not args.quiet:
        print(text, file=sys.stderr)


def _csv_settings(args) -> dict | None:
    """The gradebook's options from the command line (None: the plain CSV of old)."""
    if args.roster is None and args.csv_layout == "plain" and not args.csv_bom:
        return None
    if args.format != "csv":
        raise GraderError("--roster, --csv-layout and --csv-bom apply to --format csv only")
    from .formats import gradebook

    roster = None
    if args.roster is not None:
        try:
            text = args.roster.read_text(encoding="utf-8-sig")
        except OSError as exc:
            why = exc.strerror or exc
            raise GraderError(f"--roster {args.roster}: cannot be read ({why})") from None
        except UnicodeDecodeError:
            raise GraderError(
                f"--roster {args.roster}: not UTF-8 text (save it as CSV UTF-8)"
            ) from None
        try:
            roster = gradebook.read_roster(text, str(args.roster))
        except ValueError as exc:
            raise GraderError(str(exc)) from None
    return {"roster": roster, "layout": args.csv_layout, "bom": args.csv_bom}


def _roster_note(args, report: dict, csv: dict | None) -> None:
    if not csv or csv["roster"] is None:
        return
    from .formats import gradebook

    missing = gradebook.unmatched(report, csv["roster"])
    if missing:
        shown = ", ".join(missing[:5]) + (
            f" and {len(missing) - 5} more" if len(missing) > 5 else ""
        )
        _note(args, f"warning: not in the roster {args.roster}: {shown}")


def exercism_target(argv: list[str]) -> Path | None:
    """Where ``results.json`` goes when ``argv`` asks for ``--format exercism --output``."""
    p = argparse.ArgumentParser(add_help=False, exit_on_error=False)
    p.add_argument("--format")
    p.add_argument("--output")
    try:
        args, _ = p.parse_known_args(argv)
    except (argparse.ArgumentError, SystemExit):
        return None
    if args.format != "exercism" or not args.output:
        return None
    output = Path(args.output)
    return output / "results.json" if output.is_dir() else output


def _exercism_error(target: Path, message: str) -> None:
    """``results.json`` saying the run failed (the interface wants one whatever happens)."""
    from .formats import exercism

    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(exercism.render_error(message), encoding="utf-8")
    except OSError as exc:
        print(f"grader: cannot write {target} ({exc.strerror or exc})", file=sys.stderr)


def grade_main(argv: list[str]) -> int:
    target = exercism_target(argv)
    if target is None:
        return _grade(argv)
    try:
        return _grade(argv)
    except GraderError as exc:
        _exercism_error(target, f"the grader could not run: {exc}")
        raise
    except BadArguments as exc:
        _exercism_error(target, f"the grader was given bad arguments: {exc.message}")
        raise
    except (KeyboardInterrupt, _Terminated):
        _exercism_error(target, "grading was stopped before it finished")
        raise
    except Exception as exc:
        _exercism_error(target, f"the grader failed: {type(exc).__name__}: {exc}")
        raise


def _budget(args, count: int) -> float | None:
    if args.time_budget is not None:
        return args.time_budget
    return EXERCISM_BUDGET if args.format == "exercism" and count == 1 else None


def _fit_budget(limits, budget: float, spent: float, units: int, jobs: int):
    """``limits`` shrunk so that ``units`` modules, ``jobs`` at a time, end within budget."""
    rounds = max(1, -(-units // max(1, jobs)))  # modules one worker slot runs in turn
    each = max(1.0, math.floor(10 * (budget - spent - REPORT_MARGIN_S) / rounds) / 10)
    return dataclasses.replace(
        limits,
        module_timeout=min(limits.module_timeout, each),
        timeout=min(limits.timeout, each),
    )


def _grade(argv: list[str]) -> int:
    from .grading import collect, engine, runner
    from .grading.report import cohort, format_cohort
    from .grading.submission import SubmissionError, check

    started = time.monotonic()
    args = grade_parser().parse_args(argv)
    csv = _csv_settings(args)
    for path in args.submissions:
        try:
            check(path)
        except SubmissionError as exc:
            raise GraderError(str(exc)) from None
    kit = args.kit or collect.default_kit()
    if kit is None:
        raise GraderError("cannot find the kit's exercises/ folder: give --kit DIR")
    kit = kit.resolve()
    if not (kit / "exercises").is_dir():
        raise GraderError(f"--kit {kit}: no exercises/ folder in it")

    names = engine.unique_names(args.submissions)
    paths, shard = list(args.submissions), None
    if args.shard:
        index, count = args.shard
        paths = engine.shard_of(paths, index, count)
        names = engine.shard_of(names, index, count)
        shard = f"{index}/{count}"
    _check_output(args.format, args.output, len(paths))

    timeout = args.timeout
    if timeout is None:
        timeout = EXERCISM_TIMEOUT if args.format == "exercism" else DEFAULT_TIMEOUT
    budget = _budget(args, len(paths))
    settings = engine.Settings(
        kit=kit,
        modules=args.modules or MODULE_NAMES,
        seed=args.seed if args.seed is not None else secrets.randbelow(2**32),
        tests_dir=args.tests,
        jobs=engine.auto_jobs() if args.jobs == "auto" else args.jobs,
        limits=runner.Limits(
            timeout=timeout,
            module_timeout=args.module_timeout,
            memory=args.memory * 1024 * 1024,
        ),
        lang=args.lang or current_lang(None),
        gpu=args.gpu,
        gpu_memory=args.gpu_memory,
        progress=not args.quiet and sys.stderr.isatty(),
        shard=shard,
        fork_server=args.fork_server,
        sandbox=args.sandbox,
        time_budget=budget,
        submission_timeout=args.submission_timeout,
    )
    try:
        try:
            plan = engine.make_plan(settings)
        except collect.KitError as exc:
            raise GraderError(str(exc)) from None
        for warning in plan.warnings:
            _note(args, f"warning: {warning}")
        if budget is not None:
            spent = time.monotonic() - started
            units = len(paths) * len(plan.modules)
            settings.limits = _fit_budget(settings.limits, budget, spent, units, settings.jobs)
        report = engine.grade(paths, names, settings, plan)
    finally:
        runner.shutdown()
    for why in runner.FORK_SERVER_NOTES:
        _note(args, f"note: workers were started as new processes ({why.splitlines()[0]})")
    for why in runner.CONTAINMENT_NOTES:
        _note(args, f"note: {why}")
    written = write_report(args.format, report, args.output, csv)
    _roster_note(args, report, csv)
    elapsed = time.monotonic() - started
    if len(report["submissions"]) > 1:
        _note(args, "\n" + format_cohort(cohort(report)))
    where = f"; wrote {', '.join(map(str, written[:3]))}" if written else ""
    if len(written) > 3:
        where += f" and {len(written) - 3} more"
    _note(
        args,
        f"graded {len(paths)} submission{'s' if len(paths) != 1 else ''} in {elapsed:.1f} s "
        f"(seed {settings.seed}){where}",
    )
    return 0


def merge_main(argv: list[str]) -> int:
    from .grading.report import MergeError, cohort, format_cohort, merge

    args = merge_parser().parse_args(argv)
    csv = _csv_settings(args)
    loaded = []
    for path in args.reports:
        try:
            loaded.append((str(path), json.loads(path.read_text(encoding="utf-8"))))
        except OSError as exc:
            raise GraderError(f"{path}: cannot be read ({exc.strerror or exc})") from None
        except ValueError as exc:
            raise GraderError(f"{path}: not JSON ({exc})") from None
    try:
        report = merge(loaded, allow_mixed=args.allow_mixed)
    except MergeError as exc:
        raise GraderError(str(exc)) from None
    _check_output(args.format, args.output, len(report["submissions"]))
    write_report(args.format, report, args.output, csv)
    _roster_note(args, report, csv)
    if len(report["submissions"]) > 1:
        _note(args, format_cohort(cohort(report)))
    return 0


_DELEGATED = {
    "gradescope-bundle": ("grader.formats.bundle", "building the Gradescope bundle"),
    "hint": ("grader.hints", "hints"),
    "watch": ("grader.watch", "watch mode"),
    "progress": ("grader.progress", "your progress"),
    "release": ("grader.release", "the learners' copy"),
    "report": ("grader.grading.cohort_report", "the cohort report"),
    "diff": ("grader.grading.diffing", "comparing reports"),
    "notebooks": ("grader.notebooks_gen", "generating the exercise notebooks"),
    "new": ("grader.authoring", "scaffolding an exercise", "new_main"),
    "check-exercise": ("grader.authoring", "checking an exercise", "check_main"),
}


def _delegate(command: str, argv: list[str]) -> int:
    module_name, what, *entry = _DELEGATED[command]
    try:
        module = importlib.import_module(module_name)
    except ModuleNotFoundError as exc:
        if exc.name and module_name.startswith(exc.name):
            raise GraderError(
                f"{what} (python -m grader {command}) is not part of this copy of the kit"
            ) from None
        raise
    return int(getattr(module, entry[0] if entry else "main")(argv) or 0)


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or argv[0] in ("-h", "--help", "help"):
        print(USAGE)
        return 0 if argv else 2
    if argv[0] == "--version":
        print(f"grader {__version__}")
        return 0
    command, rest = argv[0], argv[1:]
    previous = signal.signal(signal.SIGTERM, _terminate)
    try:
        if command == "grade":
            return grade_main(rest)
        if command == "merge":
            return merge_main(rest)
        if command in _DELEGATED:
            return _delegate(command, rest)
        raise GraderError(
            f"unknown command {command!r}; the commands are grade, merge, "
            "gradescope-bundle, hint, watch, release, report, diff, notebooks, new and "
            "check-exercise"
        )
    except GraderError as exc:
        print(f"grader: {exc}", file=sys.stderr)
        return 2
    except ImportError as exc:  # the learners' copy (grader/release.py) has no engine
        name = exc.name or ""
        if not (name == "grader" or name.startswith("grader.")) or _has_engine():
            raise
        print(
            f"grader: {command} is not part of this copy of the kit (a learners' copy "
            "holds the exercises, hint and watch)",
            file=sys.stderr,
        )
        return 2
    except KeyboardInterrupt:
        print("\ngrader: interrupted; no report written", file=sys.stderr)
        return 130
    except _Terminated:
        print("\ngrader: terminated; no report written", file=sys.stderr)
        return 143
    finally:
        signal.signal(signal.SIGTERM, previous)


def _has_engine() -> bool:
    """Whether this copy of the grader can grade (a learners' copy cannot)."""
    return (Path(__file__).resolve().parent / "grading" / "engine.py").is_file()


class _Terminated(BaseException):
    pass


def _terminate(signum, frame):
    raise _Terminated()
