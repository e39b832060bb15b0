"""The GPU lane (``grade --gpu``): which GPUs there are, and one of them for each worker.

With ``--gpu`` every worker sees exactly one GPU (``CUDA_VISIBLE_DEVICES`` set to its
index, in the PCI bus order ``nvidia-smi`` uses) and at most one worker runs on a GPU
at a time, so ``--jobs`` is capped at the number of GPUs. A worker may allocate at most
``--gpu-memory`` of its GPU's memory (``torch.cuda.set_per_process_memory_fraction``,
applied by the worker before any test runs): one learner's allocation cannot take the
memory a staged neighbour is about to need. The report's ``grader`` section names
each GPU, its memory and the driver.

GPUs are found with ``nvidia-smi`` (the grading process never imports torch); the
parent's own ``CUDA_VISIBLE_DEVICES``, when it lists indices, narrows them.

The probe worker's sandbox opens only its own GPU's device node (``/dev/nvidiaN``, N
the minor number the driver gives the GPU's PCI address) and the driver's shared
control nodes (:func:`device_nodes`), not the rest of ``/dev``.
"""

from __future__ import annotations

import csv
import io
import os
import queue
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

QUERY = "index,name,driver_version,memory.total,pci.bus_id"
DRIVER_GPUS = Path("/proc/driver/nvidia/gpus")  # one folder per GPU, by PCI address
# The driver's nodes every CUDA process opens, whichever GPU it uses.
CONTROL_NODES = ("nvidiactl", "nvidia-uvm", "nvidia-uvm-tools", "nvidia-modeset")
MEMORY_FRACTION_ENV = "KIT_CUDA_MEMORY_FRACTION"
DEFAULT_MEMORY_FRACTION = 0.9


@dataclass(frozen=True)
class Gpu:
    index: str  # nvidia-smi's index: CUDA_VISIBLE_DEVICES with CUDA_DEVICE_ORDER=PCI_BUS_ID
    name: str
    driver: str
    memory_mib: int
    bus_id: str = ""  # its PCI address, as nvidia-smi writes it (00000000:4E:00.0)

    def as_report(self) -> dict:
        return {
            "index": self.index,
            "name": self.name,
            "driver": self.driver,
            "memory_mib": self.memory_mib,
        }


def parse(text: str) -> list[Gpu]:
    """``nvidia-smi --query-gpu=index,name,driver_version,memory.total
    --format=csv,noheader,nounits`` output, one GPU per line (bad lines skipped)."""
    found = []
    for row in csv.reader(io.StringIO(text)):
        cells = [c.strip() for c in row]
        if len(cells) not in (4, 5) or not cells[0].isdigit():
            continue
        try:
            memory = int(float(cells[3]))
        except ValueError:
            memory = 0
        found.append(Gpu(cells[0], cells[1], cells[2], memory, *cells[4:5]))
    return found


def minor_number(gpu: Gpu, driver: Path = DRIVER_GPUS) -> int | None:
    """The minor number of the GPU's device node, from the driver's own description
    (``/proc/driver/nvidia/gpus/<PCI address>/information``, "Device Minor: N")."""
    if not gpu.bus_id:
        return None
    wanted = gpu.bus_id.lower()[-12:]  # domain written with 8 digits by nvidia-smi, 4 here
    try:
        folders = [f for f in driver.iterdir() if f.name.lower()[-12:] == wanted]
    except OSError:
        return None
    for folder in folders:
        try:
            text = (folder / "information").read_text()
        except OSError:
            continue
        for line in text.splitlines():
            key, _, value = line.partition(":")
            if key.strip() == "Device Minor" and value.strip().isdigit():
                return int(value.strip())
    return None


def device_nodes(gpu: Gpu, dev: Path = Path("/dev"), driver: Path = DRIVER_GPUS) -> list[str]:
    """The device files a worker on ``gpu`` may open: the driver's control nodes and
    this GPU's own node; an empty list where its node cannot be told (then the
    sandbox falls back to all of ``/dev``)."""
    minor = minor_number(gpu, driver)
    if minor is None:
        return []
    nodes = [dev / name for name in CONTROL_NODES] + [dev / f"nvidia{minor}"]
    caps = dev / "nvidia-caps"
    if caps.is_dir():  # MIG's capability nodes
        nodes += sorted(caps.iterdir())
    return [str(n) for n in nodes if n.exists()]


def discover(environ: dict[str, str] | None = None, smi: str = "nvidia-smi") -> list[Gpu]:
    """The GPUs this process may use; none where ``nvidia-smi`` is missing or fails."""
    environ = os.environ if environ is None else environ
    try:
        out = subprocess.run(
            [smi, f"--query-gpu={QUERY}", "--format=csv,noheader,nounits"],
            capture_output=True,
            text=True,
            timeout=30,
            env=dict(environ),
        )
    except (OSError, subprocess.SubprocessError):
        return []
    if out.returncode != 0:
        return []
    gpus = parse(out.stdout)
    visible = environ.get("CUDA_VISIBLE_DEVICES")
    if visible is not None:
        wanted = [v.strip() for v in visible.split(",") if v.strip()]
        if all(v.isdigit() for v in wanted):  # indices; UUIDs and MIG names: leave all
            gpus = [g for g in gpus if g.index in wanted]
    return gpus


def worker_env(gpu: Gpu, memory_fraction: float) -> dict[str, str]:
    """What a worker's environment gets for its one GPU."""
    return {
        "CUDA_DEVICE_ORDER": "PCI_BUS_ID",
        "CUDA_VISIBLE_DEVICES": gpu.index,
        MEMORY_FRACTION_ENV: f"{memory_fraction:g}",
    }


def apply_memory_cap(environ: dict[str, str] | None = None) -> float | None:
    """In a worker: cap its CUDA allocations as the grader asked; the fraction applied."""
    environ = os.environ if environ is None else environ
    text = environ.get(MEMORY_FRACTION_ENV)
    if not text:
        return None
    fraction = float(text)
    import torch

    if not torch.cuda.is_available():
        return None
    for device in range(torch.cuda.device_count()):  # one, with CUDA_VISIBLE_DEVICES set
        torch.cuda.set_per_process_memory_fraction(fraction, device)
    return fraction


class GpuPool:
    """Hands each worker a GPU no other worker holds, and takes it back after."""

    def __init__(self, gpus: list[Gpu]) -> None:
        if not gpus:
            raise ValueError("a GPU pool needs at least one GPU")
        self._free: queue.Queue[Gpu] = queue.Queue()
        for gpu in gpus:
            self._free.put(gpu)

    @contextmanager
    def take(self) -> Iterator[Gpu]:
        gpu = self._free.get()
        try:
            yield gpu
        finally:
            self._free.put(gpu)
