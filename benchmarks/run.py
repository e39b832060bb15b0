"""Benchmarks of the learner loop and the grader, side by side, on this machine.

    python benchmarks/run.py                      # everything (about 20 minutes on 2 cores)
    python benchmarks/run.py --quick              # a smoke run: small cohorts, one repeat
    python benchmarks/run.py --sizes 10,20,40 --baseline-sizes 10 --repeats 3 \\
        --json benchmarks/results.json --markdown benchmarks/results.md

What is measured (wall-clock, from the start of the command to its exit):

* ``floor``: ``python -c "import torch"``, what any test run pays first;
* ``learner 1``: ``python -m pytest exercises/05_layers --impl solutions -q`` (the
  learner loop on one exercise, default profile, the learner's pytest plugins);
* ``learner watch``: the same tests in watch mode (``python -m grader watch``, its
  runner in grader/warm.py): the median time of a re-run after a save, once watch
  mode has started;
* ``learner kit``: the same on all of ``exercises/``;
* ``bare``: one in-process pytest on all the kit's tests against one submission,
  with the grader's pytest configuration and Hypothesis profile (the reference for
  "grading one submission");
* ``grade 1``: ``python -m grader grade solutions`` (fork server, and with
  subprocess workers);
* ``cohort N``: ``python -m grader grade`` on N submissions (copies of the solutions
  and of the stubs, alternating) with ``--jobs 2``;
* ``naive N``: the naive baseline, a fresh ``python -m pytest`` per module per
  submission (the same pristine tests, ``--impl`` on the submission's folder), two at
  a time;
* ``probe round trip``: the median time of one probe call as a test sees it (the
  request out, the probe run in the sandboxed worker, the reply back and decoded),
  with no data and with a 64x64 tensor each way;
* ``--compare REV``: the bare run, ``grade 1`` and the cohorts again with the kit as
  it was at git revision ``REV`` (its grader, its tests), in the same interleaved
  rounds, so that "now" and "then" meet the same machine load;
* ``worker start``: the median time of one forked worker, from its launch to its
  exit, on a module of one trivial test (the fork server already up), with the
  workers' containment on bubblewrap (grader/isolation/containment.py) and with it off
  (``GRADER_BWRAP=0``): the difference is the containment's cost per worker start.

Measurements are interleaved (every repeat runs each measurement once, in a rotated
order) so that load from elsewhere on the machine hits all of them alike; the table
shows the median. A ratio is the ratio of two medians and, "paired by round", the
median of the ratios within each round (robust to the machine slowing down or
speeding up over the run). Memory: the whole process tree is sampled, its RSS every 0.1 s and
its PSS every second (reading PSS makes the kernel walk each process's page tables,
work that competes with the processes measured, the more so the more there are); "peak
worker" is the largest peak RSS of any one process (``wait4``'s ``ru_maxrss``, which
covers every descendant), "peak total" the largest sum over the tree at one sample,
as PSS (shared pages counted once, a fair sum for forked workers) and as RSS.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

KIT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(KIT))

from grader.catalog import EXERCISES  # noqa: E402

PY = sys.executable
SEED = 20240601
GIB = 1024**3


# ---------------------------------------------------------------- measuring


@dataclass
class Sample:
    seconds: float
    returncode: int
    cpu_seconds: float = 0.0  # user + system time of the whole process tree
    peak_worker_rss: int = 0  # bytes: the largest process of the tree
    peak_total_pss: int = 0  # bytes: the largest sum over the tree at one instant
    peak_total_rss: int = 0
    peak_processes: int = 0


def _children_map() -> dict[int, list[int]]:
    children: dict[int, list[int]] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat", "rb") as f:
                stat = f.read()
        except OSError:
            continue
        ppid = int(stat[stat.rindex(b")") + 2 :].split()[1])
        children.setdefault(ppid, []).append(int(entry.name))
    return children


def _descendants(root: int) -> list[int]:
    children = _children_map()
    found, todo = [], [root]
    while todo:
        pid = todo.pop()
        for child in children.get(pid, ()):
            found.append(child)
            todo.append(child)
    return found


PAGE = os.sysconf("SC_PAGE_SIZE")


def _rss(pid: int) -> int:
    """RSS of one process in bytes (cheap: no walk of its page tables); 0 if gone."""
    try:
        with open(f"/proc/{pid}/statm") as f:
            return int(f.read().split()[1]) * PAGE
    except (OSError, IndexError, ValueError):
        return 0


def _pss(pid: int) -> int:
    """PSS of one process in bytes; 0 if it is gone.

    The kernel walks the process's page tables to answer (milliseconds for a process
    with torch loaded, holding its memory map's lock): sampled less often than RSS,
    or the sampling slows the forking grader more than the single process it is
    compared with.
    """
    try:
        with open(f"/proc/{pid}/smaps_rollup") as f:
            for line in f:
                if line.startswith("Pss:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


class TreeSampler:
    """Samples the memory of every descendant of ``root`` until stopped.

    RSS every ``interval`` seconds, PSS every ``pss_every``-th sample (see :func:`_pss`).
    """

    def __init__(self, root: int, interval: float = 0.1, pss_every: int = 10) -> None:
        self.root, self.interval, self.pss_every = root, interval, pss_every
        self.peak_pss = self.peak_rss = self.peak_procs = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> TreeSampler:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        sample = 0
        while not self._stop.is_set():
            pids = [p for p in [self.root, *_descendants(self.root)] if p != os.getpid()]
            self.peak_rss = max(self.peak_rss, sum(map(_rss, pids)))
            if sample % self.pss_every == 0:
                self.peak_pss = max(self.peak_pss, sum(map(_pss, pids)))
            self.peak_procs = max(self.peak_procs, len(pids))
            sample += 1
            self._stop.wait(self.interval)


def run_command(
    argv: list[str], env: dict | None = None, cwd: Path = KIT, inner: bool = False
) -> Sample:
    """Run one command to its end; its wall time and its tree's memory.

    ``inner``: the command times itself and prints the seconds as its last line (watch
    mode: the time of a re-run after a save, not of starting watch mode).
    """
    started = time.perf_counter()
    proc = subprocess.Popen(
        argv,
        cwd=cwd,
        env=env,
        stdout=subprocess.PIPE if inner else subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    out = b""
    if inner:
        assert proc.stdout is not None
        out = proc.stdout.read()  # the driver prints little: no deadlock with stderr
    with TreeSampler(proc.pid) as sampler:
        err = b""
        assert proc.stderr is not None
        err = proc.stderr.read()  # until the tree closes it
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - started
    proc.returncode = os.waitstatus_to_exitcode(status)
    proc.stderr.close()
    if proc.returncode not in (0, 1):  # pytest: 1 = some tests failed (the stubs)
        tail = err.decode("utf-8", "replace")[-2000:]
        raise RuntimeError(f"{' '.join(argv[:6])}... exited {proc.returncode}:\n{tail}")
    if inner:
        seconds = float(out.decode().split()[-1])
    return Sample(
        seconds,
        proc.returncode,
        usage.ru_utime + usage.ru_stime,
        usage.ru_maxrss * 1024,
        sampler.peak_pss,
        sampler.peak_rss,
        sampler.peak_procs,
    )


def run_naive(subs: list[Path], jobs: int) -> Sample:
    """A fresh ``python -m pytest`` per module per submission, ``jobs`` at a time."""
    units = [
        (sub, KIT / "exercises" / ex.folder / ex.test_filename)
        for sub in subs
        for ex in EXERCISES
        if (KIT / "exercises" / ex.folder / ex.test_filename).is_file()
    ]

    def one(unit):
        sub, test = unit
        argv = [
            PY,
            "-m",
            "pytest",
            str(test),
            "--impl",
            str(sub),
            "-q",
            "-p",
            "no:cacheprovider",
            "--hypothesis-profile",
            "grader",
            f"--hypothesis-seed={SEED}",
            f"--kit-seed={SEED}",
        ]
        return run_command(argv)

    started = time.perf_counter()
    with TreeSampler(os.getpid()) as sampler, ThreadPoolExecutor(jobs) as pool:
        samples = list(pool.map(one, units))
    return Sample(
        time.perf_counter() - started,
        0,
        sum(s.cpu_seconds for s in samples),
        max(s.peak_worker_rss for s in samples),
        sampler.peak_pss,
        sampler.peak_rss,
        sampler.peak_procs,
    )


# ---------------------------------------------------------------- what to run


def grade_argv(subs: list[Path], jobs: int, fork: bool, out: Path, py: str = PY) -> list[str]:
    args = [
        "grade",
        *map(str, subs),
        "--jobs",
        str(jobs),
        "--seed",
        str(SEED),
        "--quiet",
        "--format",
        "json",
        "--output",
        str(out),
    ]
    return [py, "-m", "grader", *args, *([] if fork else ["--no-fork-server"])]


def bare_argv(sub: Path, kit: Path = KIT, py: str = PY) -> list[str]:
    files = [
        str(kit / "exercises" / ex.folder / ex.test_filename)
        for ex in EXERCISES
        if (kit / "exercises" / ex.folder / ex.test_filename).is_file()
    ]
    return [
        py,
        "-m",
        "pytest",
        *files,
        "-c",
        str(kit / "grader" / "grading.ini"),
        "--rootdir",
        str(kit),
        "--noconftest",
        "--import-mode=importlib",
        "-p",
        "no:cacheprovider",
        "-p",
        "grader.plugin",
        "-p",
        "_hypothesis_pytestplugin",
        "-p",
        "pytest_timeout",
        "--impl",
        str(sub),
        f"--kit-seed={SEED}",
        "--hypothesis-profile",
        "grader",
        f"--hypothesis-seed={SEED}",
        "-q",
    ]


# Watch mode's runner (grader/warm.py) as ``python -m grader watch`` uses it: started
# once, then one run per save. Prints the median of five re-runs, in seconds.
WATCH_DRIVER = """
import statistics, sys, time
from pathlib import Path
from grader import watch
from grader.catalog import EXERCISES
from grader.warm import Warm

ex = next(e for e in EXERCISES if e.folder == sys.argv[1])
runner, root = Warm(), Path.cwd()
args = [*watch.pytest_args(ex), "--impl", "solutions"]
times = []
for _ in range(6):
    started = time.perf_counter()
    code, out = runner.run(args, root, {"PYTHONDONTWRITEBYTECODE": "1"})
    times.append(time.perf_counter() - started)
    assert code == 0 and runner.why_not is None, (code, runner.why_not, out[-2000:])
print(statistics.median(times[1:]))
"""


# One forked worker per run_module, on a module of one trivial test: prints the median
# seconds of a worker's life (launch to exit), the first one left out.
WORKER_START_DRIVER = """
import statistics, sys, tempfile, textwrap, time
from pathlib import Path
from grader.grading import engine, runner

root = Path(tempfile.mkdtemp(prefix="kit-bench-start-"))
(root / "exercises" / "05_layers").mkdir(parents=True)
(root / "exercises" / "05_layers" / "test_layers.py").write_text(textwrap.dedent('''
    import pytest
    from grader.probing import functions
    layers = functions("layers")
    @pytest.mark.points(1)
    def test_answer():
        assert layers.answer() == 42
'''))
settings = engine.Settings(kit=root, modules=("layers",), seed=1)
plan = engine.make_plan(settings)  # starts the fork server
config = settings.worker_config()
source = b"def answer():\\n    return 42\\n"
keys = tuple(t.key for t in plan.tests["layers"])
job = runner.ModuleJob("s", "layers", "layers.py", source, tuple(plan.files["layers"]), keys)
times = []
for _ in range(int(sys.argv[1])):
    started = time.perf_counter()
    run = runner.run_module(job, config)
    times.append(time.perf_counter() - started)
    assert [s for s, _ in run.results.values()] == ["passed"], run.results
    assert ("bubblewrap" in run.layers) == (sys.argv[2] == "on"), run.layers
runner.shutdown()
print(statistics.median(times[1:]))
"""


# One graded module whose one test calls a probe many times and prints the median time
# of one call, as the test runner sees it: the request out, the probe run in the
# sandboxed worker, the reply back and decoded. ``tensor``: a 64x64 float32 tensor each
# way (a typical example's data); ``none``: no argument and an int back.
PROBE_ROUND_TRIP_DRIVER = """
import sys, tempfile, textwrap
from pathlib import Path
from grader.grading import engine, runner

calls, payload = int(sys.argv[1]), sys.argv[2]
root = Path(tempfile.mkdtemp(prefix="kit-bench-probe-"))
(root / "exercises" / "05_layers").mkdir(parents=True)
(root / "exercises" / "05_layers" / "test_layers.py").write_text(textwrap.dedent('''
    import statistics, time
    import pytest, torch
    from grader.probing import probes
    probe = probes("layers")
    @probe
    def echo(layers, X):
        return layers.echo(X)
    @pytest.mark.points(1)
    def test_round_trip():
        X = torch.ones(64, 64) if PAYLOAD == "tensor" else None
        times = []
        for _ in range(CALLS):
            started = time.perf_counter()
            echo(X)
            times.append(time.perf_counter() - started)
        print("ROUNDTRIP", statistics.median(times[1:]))
''').replace("CALLS", str(calls)).replace("PAYLOAD", repr(payload)))
settings = engine.Settings(kit=root, modules=("layers",), seed=1)
plan = engine.make_plan(settings)
config = settings.worker_config()
source = b"def echo(X):\\n    return 1 if X is None else X\\n"
keys = tuple(t.key for t in plan.tests["layers"])
job = runner.ModuleJob("s", "layers", "layers.py", source, tuple(plan.files["layers"]), keys)
run = runner.run_module(job, config)
runner.shutdown()
assert [s for s, _ in run.results.values()] == ["passed"], run.results
line = next(x for x in run.output_tail.splitlines() if "ROUNDTRIP " in x)
print(float(line.split("ROUNDTRIP ", 1)[1]))
"""


def make_cohort(root: Path, size: int) -> list[Path]:
    """``size`` submissions: copies of the solutions and the stubs, alternating."""
    subs = []
    for i in range(size):
        src = KIT / ("solutions" if i % 2 == 0 else "exercises")
        dest = root / f"learner{i:03d}"
        dest.mkdir(parents=True)
        for ex in EXERCISES:
            module = src / ex.folder / ex.filename
            if module.is_file():
                (dest / ex.filename).write_bytes(module.read_bytes())
        subs.append(dest)
    return subs


@dataclass
class Measurement:
    key: str
    label: str
    argv: list[str] | None = None
    env: dict | None = None
    cwd: Path = KIT
    naive: list[Path] | None = None
    inner: bool = False
    samples: list[Sample] = field(default_factory=list)

    def run(self, jobs: int) -> Sample:
        if self.naive is not None:
            sample = run_naive(self.naive, jobs)
        else:
            assert self.argv is not None
            sample = run_command(self.argv, self.env, self.cwd, inner=self.inner)
        self.samples.append(sample)
        return sample

    def median(self, attr: str = "seconds") -> float:
        return statistics.median(getattr(s, attr) for s in self.samples)

    def peak(self, attr: str) -> int:
        return max(getattr(s, attr) for s in self.samples)


def checkout(rev: str, root: Path) -> tuple[Path, str, str]:
    """The kit as it was at git revision ``rev``, and a Python that imports that
    kit's grader: (its folder, the Python, the commit's short hash).

    The Python is a virtual environment over this one's packages (torch, pytest, …)
    whose path puts that folder first, so that the grader, its workers and their
    fork servers, all started with that Python, run the old code.
    """
    found = subprocess.run(
        ["git", "-C", str(KIT), "rev-parse", "--verify", "--short", f"{rev}^{{commit}}"],
        capture_output=True, text=True,
    )  # fmt: skip
    if found.returncode != 0:
        raise SystemExit(f"--compare {rev}: not a commit of the repository at {KIT}")
    sha = found.stdout.strip()
    kit = root / f"kit-{sha}"
    kit.mkdir()
    archive = subprocess.run(
        ["git", "-C", str(KIT), "archive", rev], capture_output=True, check=True
    ).stdout
    subprocess.run(["tar", "-x", "-C", str(kit)], input=archive, check=True)
    venv = root / f"venv-{sha}"
    subprocess.run(
        [PY, "-m", "venv", "--system-site-packages", "--without-pip", str(venv)], check=True
    )
    py = str(venv / "bin" / "python")
    site = subprocess.run(
        [py, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        capture_output=True, text=True, check=True,
    ).stdout.strip()  # fmt: skip
    (Path(site) / "kit-then.pth").write_text(f"{kit}\n")
    return kit, py, sha


def plan(args, root: Path) -> tuple[list[Measurement], list[Measurement]]:
    """(quick measurements, repeated ``repeats`` times; cohorts, ``cohort_repeats`` times)."""
    solutions = KIT / "solutions"
    out = root / "report.json"
    learner_env = dict(os.environ)
    learner_env.pop("PYTEST_DISABLE_PLUGIN_AUTOLOAD", None)
    bare_env = dict(learner_env, PYTEST_DISABLE_PLUGIN_AUTOLOAD="1")
    small = [
        Measurement("floor", 'python -c "import torch"', [PY, "-c", "import torch"]),
        Measurement(
            "learner_one",
            "learner loop, one exercise (05_layers)",
            [PY, "-m", "pytest", "exercises/05_layers", "--impl", "solutions", "-q"],
            learner_env,
        ),
        Measurement(
            "learner_watch",
            "learner loop, one exercise (05_layers), watch mode: a re-run after a save",
            [PY, "-c", WATCH_DRIVER, "05_layers"],
            learner_env,
            inner=True,
        ),
        Measurement(
            "learner_kit",
            "learner loop, whole kit",
            [PY, "-m", "pytest", "exercises/", "--impl", "solutions", "-q"],
            learner_env,
        ),
        Measurement(
            "bare", "bare in-process pytest, one submission", bare_argv(solutions), bare_env
        ),
        Measurement(
            "grade_one_fork",
            "grade 1 submission (fork server)",
            grade_argv([solutions], 1, True, out),
        ),
    ]
    small.append(
        Measurement(
            "grade_one_fork_jobs",
            f"grade 1 submission, --jobs {args.jobs} (fork server)",
            grade_argv([solutions], args.jobs, True, out),
        )
    )
    for key, state, env in (
        ("worker_start_contained", "on", dict(os.environ)),
        ("worker_start_plain", "off", dict(os.environ, GRADER_BWRAP="0")),
    ):
        small.append(
            Measurement(
                key,
                f"one forked worker, launch to exit, containment {state}",
                [PY, "-c", WORKER_START_DRIVER, str(args.worker_starts), state],
                env,
                inner=True,
            )
        )
    for key, payload in (("probe_round_trip", "none"), ("probe_round_trip_tensor", "tensor")):
        small.append(
            Measurement(
                key,
                f"one probe call, test runner to worker and back ({payload})",
                [PY, "-c", PROBE_ROUND_TRIP_DRIVER, str(args.probe_calls), payload],
                dict(os.environ),
                inner=True,
            )
        )
    then = checkout(args.compare, root) if args.compare else None
    if then is not None:
        kit, py, sha = then
        small += [
            Measurement(
                "bare_then",
                f"bare in-process pytest, one submission, at {sha}",
                bare_argv(solutions, kit, py),
                bare_env,
                kit,
            ),
            Measurement(
                "grade_one_fork_jobs_then",
                f"grade 1 submission, --jobs {args.jobs} (fork server), at {sha}",
                grade_argv([solutions], args.jobs, True, out, py),
                None,
                kit,
            ),
        ]
    if args.only_worker_start:
        return [m for m in small if m.key.startswith("worker_start")], []
    if args.only_probes:
        return [m for m in small if m.key.startswith("probe_round_trip")], []
    if not args.no_subprocess:
        small.append(
            Measurement(
                "grade_one_subprocess",
                "grade 1 submission (subprocess workers)",
                grade_argv([solutions], 1, False, out),
            )
        )
    big = []
    biggest = max(args.sizes + args.baseline_sizes + args.subprocess_sizes, default=0)
    subs = make_cohort(root / "cohort", biggest)
    for n in args.sizes:
        big.append(
            Measurement(
                f"cohort_{n}",
                f"grade a cohort of {n}, --jobs {args.jobs} (fork server)",
                grade_argv(subs[:n], args.jobs, True, out),
            )
        )
        if then is not None:
            big.append(
                Measurement(
                    f"cohort_{n}_then",
                    f"grade a cohort of {n}, --jobs {args.jobs} (fork server), at {then[2]}",
                    grade_argv(subs[:n], args.jobs, True, out, then[1]),
                    None,
                    then[0],
                )
            )
    for n in args.subprocess_sizes:
        big.append(
            Measurement(
                f"cohort_subprocess_{n}",
                f"grade a cohort of {n}, --jobs {args.jobs} (subprocess workers)",
                grade_argv(subs[:n], args.jobs, False, out),
            )
        )
    for n in args.baseline_sizes:
        naive = Measurement(
            f"naive_{n}",
            f"naive baseline, {n} submissions ({args.jobs} pytest processes at a time)",
            naive=subs[:n],
        )
        # Right after the cohort it is compared with: the machine drifts over minutes.
        keys = [m.key for m in big]
        at = keys.index(f"cohort_{n}") + 1 if f"cohort_{n}" in keys else len(big)
        big.insert(at, naive)
    return small, big


def interleave(measurements: list[Measurement], repeats: int, jobs: int, log) -> None:
    for rep in range(repeats):
        shift = rep % max(1, len(measurements))
        for m in measurements[shift:] + measurements[:shift]:
            log(f"[{rep + 1}/{repeats}] {m.label} ...")
            sample = m.run(jobs)
            log(
                f"    {sample.seconds:7.2f} s ({sample.cpu_seconds:.1f} s CPU), peak worker "
                f"{sample.peak_worker_rss / 2**20:.0f} MiB, "
                f"peak total PSS {sample.peak_total_pss / 2**20:.0f} MiB"
            )


# ---------------------------------------------------------------- results


def results(small: list[Measurement], big: list[Measurement], args) -> dict:
    by = {m.key: m for m in small + big}

    def t(key: str) -> float | None:
        return by[key].median() if key in by and by[key].samples else None

    rows = []
    for m in small + big:
        rows.append(
            {
                "key": m.key,
                "label": m.label,
                "median_s": round(m.median(), 2),
                "runs_s": [round(s.seconds, 2) for s in m.samples],
                "median_cpu_s": round(m.median("cpu_seconds"), 2),
                "peak_worker_rss_mib": round(m.peak("peak_worker_rss") / 2**20),
                "peak_total_pss_mib": round(m.peak("peak_total_pss") / 2**20),
                "peak_total_rss_mib": round(m.peak("peak_total_rss") / 2**20),
            }
        )

    def paired(key: str, ref: str) -> float | None:
        """The median over rounds of one round's ratio: a round's runs are minutes
        apart at most, so the machine's drift over the whole run cancels out."""
        a, b = by[key].samples, by[ref].samples
        if len(a) != len(b) or len(a) < 2:
            return None
        return statistics.median(x.seconds / y.seconds for x, y in zip(a, b, strict=True))

    ratios = {}
    for ref, keys in (
        ("floor", ("learner_one", "learner_watch", "learner_kit")),
        ("bare", ("grade_one_fork", "grade_one_fork_jobs", "grade_one_subprocess")),
        ("worker_start_plain", ("worker_start_contained",)),
        ("bare_then", ("grade_one_fork_jobs_then", "bare")),
        ("grade_one_fork_jobs_then", ("grade_one_fork_jobs",)),
        *((f"cohort_{n}_then", (f"cohort_{n}",)) for n in args.sizes),
    ):
        if not t(ref):
            continue
        for key in keys:
            if t(key) and key != ref:
                ratios[f"{key} / {ref}"] = t(key) / t(ref)
                by_round = paired(key, ref)
                if by_round is not None:
                    ratios[f"{key} / {ref}, paired by round"] = by_round
    per_sub = {}
    naive_per_sub = [t(f"naive_{n}") / n for n in args.baseline_sizes if t(f"naive_{n}")]
    naive_rate = statistics.median(naive_per_sub) if naive_per_sub else None
    for n in args.sizes:
        if t(f"cohort_{n}"):
            per_sub[n] = t(f"cohort_{n}") / n
            naive_n = t(f"naive_{n}")
            if naive_n:
                ratios[f"naive_{n} / cohort_{n} (measured)"] = naive_n / t(f"cohort_{n}")
                ratios[f"naive_{n} / cohort_{n}, CPU time"] = by[f"naive_{n}"].median(
                    "cpu_seconds"
                ) / by[f"cohort_{n}"].median("cpu_seconds")
            elif naive_rate:
                ratios[f"naive_{n} / cohort_{n} (baseline extrapolated)"] = (
                    naive_rate * n / t(f"cohort_{n}")
                )
    for n in args.subprocess_sizes:
        if t(f"cohort_subprocess_{n}") and t(f"cohort_{n}"):
            ratios[f"cohort_subprocess_{n} / cohort_{n}"] = t(f"cohort_subprocess_{n}") / t(
                f"cohort_{n}"
            )
    cohort_peak = max(
        (by[f"cohort_{n}"].peak("peak_total_pss") for n in args.sizes if f"cohort_{n}" in by),
        default=0,
    )
    return {
        "machine": {
            "python": platform.python_version(),
            "cpus": os.cpu_count(),
            "platform": platform.platform(),
            "torch": _torch_version(),
            "when": time.strftime("%Y-%m-%d %H:%M:%S UTC", time.gmtime()),
        },
        "settings": {
            "repeats": args.repeats,
            "cohort_repeats": args.cohort_repeats,
            "jobs": args.jobs,
            "sizes": args.sizes,
            "baseline_sizes": args.baseline_sizes,
            "seed": SEED,
        },
        "rows": rows,
        "ratios": {k: round(v, 2) for k, v in ratios.items()},
        "seconds_per_submission": {str(n): round(v, 2) for n, v in per_sub.items()},
        "naive_seconds_per_submission": round(naive_rate, 2) if naive_rate else None,
        "cohort_peak_total_pss_mib": round(cohort_peak / 2**20),
        "cohort_within_4_gib": cohort_peak <= 4 * GIB if cohort_peak else None,
        "containment_ms_per_worker": (
            round(1000 * (t("worker_start_contained") - t("worker_start_plain")))
            if t("worker_start_contained") and t("worker_start_plain")
            else None
        ),
        "probe_round_trip_ms": {
            payload: round(1000 * t(key), 2)
            for payload, key in (
                ("none", "probe_round_trip"),
                ("tensor", "probe_round_trip_tensor"),
            )
            if t(key)
        },
    }


def _torch_version() -> str:
    out = subprocess.run(
        [PY, "-c", "import torch; print(torch.__version__)"], capture_output=True, text=True
    )
    return out.stdout.strip()


def markdown(res: dict) -> str:
    m = res["machine"]
    lines = [
        f"Measured {m['when']} on {m['cpus']} CPUs ({m['platform']}), Python {m['python']}, "
        f"torch {m['torch']}; medians of {res['settings']['repeats']} interleaved runs "
        f"(cohorts: {res['settings']['cohort_repeats']}).",
        "",
        "| measurement | median (s) | runs (s) | CPU (s) | peak worker RSS (MiB) "
        "| peak total PSS (MiB) | peak total RSS (MiB) |",
        "|---|---:|---|---:|---:|---:|---:|",
    ]
    for r in res["rows"]:
        runs = ", ".join(f"{x:g}" for x in r["runs_s"])
        lines.append(
            f"| {r['label']} | {r['median_s']:.2f} | {runs} | {r['median_cpu_s']:.1f} "
            f"| {r['peak_worker_rss_mib']} "
            f"| {r['peak_total_pss_mib']} | {r['peak_total_rss_mib']} |"
        )
    lines += ["", "| ratio | value |", "|---|---:|"]
    for k, v in res["ratios"].items():
        lines.append(f"| {k} | {v:.2f}x |")
    if res["seconds_per_submission"]:
        per = ", ".join(f"{n}: {v:.2f} s" for n, v in res["seconds_per_submission"].items())
        lines += ["", f"Seconds per submission in a cohort (fork server): {per}."]
    if res["naive_seconds_per_submission"]:
        lines.append(f"Naive baseline: {res['naive_seconds_per_submission']:.2f} s per submission.")
    if res.get("containment_ms_per_worker") is not None:
        lines.append(
            f"Containment on bubblewrap per worker start (median): "
            f"{res['containment_ms_per_worker']} ms."
        )
    if res.get("probe_round_trip_ms"):
        trip = res["probe_round_trip_ms"]
        lines.append(
            "Probe round trip (median of one call, test runner to probe worker and back): "
            + ", ".join(f"{v} ms ({k})" for k, v in trip.items())
            + "."
        )
    if res["cohort_peak_total_pss_mib"]:
        lines.append(
            f"Peak memory of a cohort run (PSS, the whole process tree): "
            f"{res['cohort_peak_total_pss_mib']} MiB "
            f"({'within' if res['cohort_within_4_gib'] else 'over'} 4 GiB)."
        )
    return "\n".join(lines) + "\n"


def _sizes(text: str) -> list[int]:
    return [int(x) for x in text.split(",") if x.strip()] if text.strip() else []


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--quick", action="store_true", help="cohorts of 2 and 4, one repeat")
    p.add_argument("--repeats", type=int, default=3, help="runs of each small measurement (3)")
    p.add_argument("--cohort-repeats", type=int, default=1, help="runs of each cohort (1)")
    p.add_argument("--sizes", type=_sizes, default=[10, 20, 40], help="cohort sizes (10,20,40)")
    p.add_argument(
        "--baseline-sizes",
        type=_sizes,
        default=[10],
        help="cohort sizes to run the naive baseline on (10); others are extrapolated",
    )
    p.add_argument(
        "--subprocess-sizes",
        type=_sizes,
        default=[10],
        help="cohort sizes also graded with subprocess workers (10)",
    )
    p.add_argument("--jobs", type=int, default=2, help="--jobs of the cohort runs (2)")
    p.add_argument("--no-subprocess", action="store_true", help="skip the subprocess-worker runs")
    p.add_argument("--only-small", action="store_true", help="no cohorts")
    p.add_argument(
        "--only-worker-start", action="store_true", help="only the worker-start measurements"
    )
    p.add_argument(
        "--worker-starts", type=int, default=12, help="workers per worker-start measurement (12)"
    )
    p.add_argument(
        "--only-probes", action="store_true", help="only the probe round-trip measurements"
    )
    p.add_argument(
        "--probe-calls", type=int, default=200, help="calls per probe round-trip measurement"
    )
    p.add_argument(
        "--compare",
        metavar="REV",
        help="also measure the bare run, one submission and the cohorts with the kit as it "
        "was at git revision REV, in the same interleaved rounds",
    )
    p.add_argument("--json", type=Path, help="write the results as JSON")
    p.add_argument("--markdown", type=Path, help="write the results as a markdown table")
    args = p.parse_args(argv)
    if args.quick:
        args.repeats = 1
        args.sizes, args.baseline_sizes, args.subprocess_sizes = [2, 4], [2], [2]
    if args.only_small:
        args.sizes, args.baseline_sizes, args.subprocess_sizes = [], [], []
    if args.no_subprocess:
        args.subprocess_sizes = []

    def log(text: str) -> None:
        print(text, file=sys.stderr, flush=True)

    # As on a learner's or an instructor's machine, Python caches bytecode (this
    # machine's environment sets PYTHONDONTWRITEBYTECODE=1, which would recompile the
    # kit's own modules in every measured process); one untimed run fills the caches.
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
    root = Path(tempfile.mkdtemp(prefix="kit-bench-"))
    try:
        small, big = plan(args, root)
        log(f"kit {KIT}; scratch {root}")
        log("warm-up (untimed) ...")
        for m in small:
            if m.key in (
                "learner_kit",
                "bare",
                "grade_one_fork",
                "worker_start_contained",
                "bare_then",
                "grade_one_fork_jobs_then",
            ):
                run_command(m.argv, m.env, m.cwd)
        interleave(small, args.repeats, args.jobs, log)
        if big:
            interleave(big, args.cohort_repeats, args.jobs, log)
        res = results(small, big, args)
    finally:
        shutil.rmtree(root, ignore_errors=True)
    text = markdown(res)
    print(text)
    if args.json:
        args.json.write_text(json.dumps(res, indent=2) + "\n")
    if args.markdown:
        args.markdown.write_text(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
