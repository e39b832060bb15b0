"""Grade many submissions: collect once, run every (submission, module) in parallel.

Each module of each submission is one unit of work for :func:`runner.run_module`;
``--jobs N`` runs N units at a time (each worker uses one torch thread). The
report keeps the order of the submissions given and the catalogue's module order,
whatever the order units finish in.
"""

from __future__ import annotations

import os
import platform
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field, replace
from pathlib import Path

from .. import __version__
from ..catalog import BY_NAME
from ..isolation import gpus
from . import runner
from .collect import Plan, collect
from .report import FORMAT_VERSION, exercise_entry, submission_entry
from .submission import name_of, open_submission


@dataclass
class Settings:
    kit: Path
    modules: tuple[str, ...]
    seed: int
    tests_dir: Path | None = None
    jobs: int = 1
    limits: runner.Limits = field(default_factory=runner.Limits)
    lang: str = "en"
    gpu: bool = False
    progress: bool = False
    shard: str | None = None
    fork_server: bool = True
    sandbox: bool = True  # the in-worker sandbox and the network namespace
    time_budget: float | None = None  # --time-budget: the whole run's limit, if any
    # --submission-timeout: one submission's limit, all its modules together, if any.
    submission_timeout: float | None = None
    gpu_memory: float = gpus.DEFAULT_MEMORY_FRACTION  # --gpu-memory: of each worker's GPU

    def worker_config(self) -> runner.WorkerConfig:
        return runner.WorkerConfig(
            self.kit,
            self.seed,
            self.limits,
            self.lang,
            self.gpu,
            fork_server=self.fork_server,
            sandbox=self.sandbox,
        )


# What one worker may take beyond what it shares with the fork server (torch's pages):
# its tests' tensors and Hypothesis's data, well under the --memory limit in practice.
MEMORY_PER_JOB = 1 << 30

# Workers made ready beyond ``--jobs`` (runner.launch): each forks with its probe
# worker, sets pytest up and collects while the running ones test, then waits for a
# slot; one hides that set-up (0.1-0.2 s a module) where a core is free.
STAGED = 1


CGROUP_ROOT = Path("/sys/fs/cgroup")


CGROUP_ROOT = Path("/sys/fs/cgroup")
SELF_CGROUP = Path("/proc/self/cgroup")
MEMINFO = Path("/proc/meminfo")


def auto_jobs(
    cgroup_root: Path = CGROUP_ROOT, self_cgroup: Path = SELF_CGROUP, meminfo: Path = MEMINFO
) -> int:
    """``--jobs auto``: one worker per core this process may use, as memory allows.

    Each worker runs torch with one thread, so a core per worker keeps every core busy
    without two workers taking turns on one; fewer where the available memory would not
    give each worker a GiB (a small CI runner). A container's cgroup (v2) limits count:
    ``cpu.max`` (a quota of half a CPU still runs one worker; of 2.5 CPUs, two) and
    ``memory.max`` less ``memory.current`` (Gradescope's default 768 MB gives one).
    """
    try:
        cores = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        cores = os.cpu_count() or 1
    folders = cgroup_folders(cgroup_root, self_cgroup)
    quota = cgroup_cpus(folders)
    if quota is not None:
        cores = min(cores, max(1, int(quota)))
    memory = min(_available_memory(meminfo), cgroup_memory(folders))
    return max(1, min(cores, memory // MEMORY_PER_JOB))


def _available_memory(meminfo: Path = MEMINFO) -> int:
    """MemAvailable from /proc/meminfo (bytes); unbounded where it cannot be read."""
    try:
        with open(meminfo) as f:
            for line in f:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    return 1 << 60


def cgroup_folders(root: Path = CGROUP_ROOT, self_cgroup: Path = SELF_CGROUP) -> list[Path]:
    """This process's cgroup (v2) folder under ``root`` and the folders above it.

    ``self_cgroup`` (``/proc/self/cgroup``) names it in the line ``0::/PATH``; in a
    container with its own cgroup namespace that is ``/``: ``root`` itself.
    """
    try:
        lines = self_cgroup.read_text().splitlines()
    except OSError:
        lines = []
    own = next((line[3:] for line in lines if line.startswith("0::")), "/")
    parts = [p for p in own.strip().split("/") if p and p not in (".", "..")]
    folders = [root.joinpath(*parts[:n]) for n in range(len(parts), -1, -1)]
    return [f for f in folders if f.is_dir()]


def _read_int(path: Path) -> int | None:
    try:
        return int(path.read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return None  # absent, unreadable, or "max": no limit


def cgroup_cpus(folders: list[Path]) -> float | None:
    """CPUs the cgroups allow (``cpu.max``: quota, period), the tightest; None: no limit."""
    tightest = None
    for folder in folders:
        try:
            quota, period = (folder / "cpu.max").read_text().split()[:2]
            cpus = int(quota) / int(period)
        except (OSError, ValueError, ZeroDivisionError):
            continue  # no file, or "max": no quota here
        if cpus > 0:
            tightest = cpus if tightest is None else min(tightest, cpus)
    return tightest


def cgroup_memory(folders: list[Path]) -> int:
    """Bytes the cgroups still allow (``memory.max`` less ``memory.current``), the
    tightest; unbounded where none sets a limit."""
    room = 1 << 60
    for folder in folders:
        limit = _read_int(folder / "memory.max")
        if limit is not None:
            room = min(room, max(0, limit - (_read_int(folder / "memory.current") or 0)))
    return room


def unique_names(paths: list[Path]) -> list[str]:
    """Each submission's name in reports: its file or folder name, the path if shared."""
    names = [name_of(p) for p in paths]
    clash = {n for n in names if names.count(n) > 1}
    return [str(p) if n in clash else n for n, p in zip(names, paths, strict=True)]


def shard_of(items: list, index: int, count: int) -> list:
    """The ``index``-th (1-based) of ``count`` round-robin slices: balanced, deterministic."""
    return items[index - 1 :: count]


class Progress:
    """A one-line progress bar on stderr (only when stderr is a terminal)."""

    def __init__(self, total: int, submissions: int, enabled: bool) -> None:
        self.total, self.submissions = total, submissions
        self.done = 0
        self.subs_done = 0
        self.enabled = enabled and total > 0
        self.start = time.monotonic()
        self.draw()

    def draw(self) -> None:
        if not self.enabled:
            return
        width = 30
        filled = int(width * self.done / self.total)
        elapsed = int(time.monotonic() - self.start)
        line = (
            f"\rgrading [{'#' * filled}{'.' * (width - filled)}] {self.done}/{self.total} modules"
            f", {self.subs_done}/{self.submissions} submissions, {elapsed // 60}:{elapsed % 60:02d}"
        )
        sys.stderr.write(line)
        sys.stderr.flush()

    def advance(self, submission_finished: bool) -> None:
        self.done += 1
        self.subs_done += submission_finished
        self.draw()

    def close(self) -> None:
        if self.enabled:
            sys.stderr.write("\r" + " " * 90 + "\r")
            sys.stderr.flush()


# What the grading parent itself guarantees (grader/grading/runner.py, grader/isolation/reaper.py).
PARENT_LAYERS = ("process-group", "clean-env", "watchdog", "private-channel", "verdict-process")


def sandbox_layers(runs: list[runner.ModuleRun], settings: Settings) -> list[str]:
    """The layers that held for every module graded (the parent's and every worker's)."""
    from ..isolation import reaper

    layers = list(PARENT_LAYERS)
    if reaper.become_subreaper():
        layers.append("subreaper")
    seen = [run.layers for run in runs if run.layers is not None]
    if seen:
        common = [layer for layer in seen[0] if all(layer in other for other in seen[1:])]
        layers += common
    return layers


def grader_section(
    plan: Plan, settings: Settings, runs: list | None = None, gpu_list: list | None = None
) -> dict:
    section = {
        "version": __version__,
        "torch": plan.torch,
        "hypothesis_profile": "grader",
        "seed": settings.seed,
        "timeout": settings.limits.timeout,
        "module_timeout": settings.limits.module_timeout,
        "python": platform.python_version(),
        "modules": list(plan.modules),
        "hidden_tests": plan.hidden_tests,
        "private_tests": plan.private_tests,
        "memory_limit": settings.limits.memory,
        "sandbox": sandbox_layers(runs or [], settings),
    }
    if settings.time_budget is not None:
        section["time_budget"] = settings.time_budget
    if settings.submission_timeout is not None:
        section["submission_timeout"] = settings.submission_timeout
    if settings.shard:
        section["shard"] = settings.shard
    if settings.gpu:  # the GPUs the workers ran on (none found: graded on the CPU)
        section["gpus"] = [g.as_report() for g in gpu_list or []]
    return section


def make_plan(settings: Settings) -> Plan:
    """Collect the tests; meanwhile the probe workers' fork server starts (it needs no
    test), so that the first modules do not wait for it."""
    config = settings.worker_config()
    runner.start_probe_server(config)
    return collect(settings.kit, settings.modules, settings.tests_dir, config)


class SubmissionClock:
    """``--submission-timeout``: each submission's deadline, from when its first module
    started (waiting behind other submissions does not count)."""

    def __init__(self, limit: float | None) -> None:
        self.limit = limit
        self.started: dict[int, float] = {}
        self.lock = threading.Lock()

    def until(self, i: int) -> tuple[float, float] | None:
        """Submission ``i``'s deadline (``time.monotonic()``) and limit, or None."""
        if self.limit is None:
            return None
        with self.lock:
            started = self.started.setdefault(i, time.monotonic())
        return started + self.limit, self.limit


def grade(paths: list[Path], names: list[str], settings: Settings, plan: Plan) -> dict:
    """The JSON report of ``paths`` (named ``names``), graded against ``plan``."""
    config = settings.worker_config()
    subs = [open_submission(p, plan.modules, n) for p, n in zip(paths, names, strict=True)]
    jobs = []
    for i, sub in enumerate(subs):
        for module in plan.modules:
            found = sub.modules[module]
            if found.status == "found":
                job = runner.ModuleJob(
                    submission=sub.name,
                    module=module,
                    filename=BY_NAME[module].filename,
                    source=found.source or b"",
                    files=tuple(plan.files[module]),
                    keys=tuple(t.key for t in plan.tests[module]),
                )
                jobs.append((i, job))
    left = {i: sum(1 for j, _ in jobs if j == i) for i in range(len(subs))}
    progress = Progress(len(jobs), len(subs), settings.progress)
    progress.subs_done = sum(1 for n in left.values() if n == 0)
    runs: dict[tuple[int, str], runner.ModuleRun] = {}
    # ``jobs`` workers run tests at once; STAGED more set up meanwhile (runner.launch).
    running = max(1, settings.jobs)
    gpu_list = gpus.discover() if settings.gpu else []
    pool_of_gpus = gpus.GpuPool(gpu_list) if gpu_list else None
    if gpu_list:  # one worker per GPU at a time
        running = min(running, len(gpu_list))
    slots = threading.Semaphore(running)
    pool = ThreadPoolExecutor(max_workers=running + STAGED)
    clock = SubmissionClock(settings.submission_timeout)

    def run(i: int, job: runner.ModuleJob) -> runner.ModuleRun:
        until = clock.until(i)
        if until is not None and time.monotonic() >= until[0]:
            # The submission's time is up before this module started: not run.
            return runner.ModuleRun(timed_out=True, cut="submission", cut_s=until[1])
        if pool_of_gpus is None:
            return runner.run_module(job, config, slots, until)
        with pool_of_gpus.take() as gpu:
            env = tuple(gpus.worker_env(gpu, settings.gpu_memory).items())
            nodes = tuple(gpus.device_nodes(gpu))
            on_gpu = replace(config, gpu_env=env, gpu_devices=nodes)
            return runner.run_module(job, on_gpu, slots, until)

    try:
        futures = {pool.submit(run, i, job): (i, job) for i, job in jobs}
        for future in as_completed(futures):
            i, job = futures[future]
            try:
                runs[i, job.module] = future.result()
            except Exception as exc:  # the grader's own failure: reported, never fatal
                runs[i, job.module] = runner.ModuleRun(
                    crashes=[f"the grader could not run this module ({type(exc).__name__}: {exc})"]
                )
            left[i] -= 1
            progress.advance(left[i] == 0)
    except BaseException:
        runner.cancel_all()
        pool.shutdown(wait=True, cancel_futures=True)
        raise
    finally:
        progress.close()
    pool.shutdown()

    submissions = []
    for i, sub in enumerate(subs):
        exercises = []
        duration = 0.0
        for module in plan.modules:
            run = runs.get((i, module))
            duration += run.duration_s if run else 0.0
            exercises.append(
                exercise_entry(
                    module,
                    plan.tests[module],
                    sub.modules[module],
                    run,
                    settings.limits.module_timeout,
                    settings.lang,
                )
            )
        submissions.append(submission_entry(sub.name, exercises, duration))
    section = grader_section(plan, settings, list(runs.values()), gpu_list)
    return {"format_version": FORMAT_VERSION, "submissions": submissions, "grader": section}
