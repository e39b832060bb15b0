"""The GPU lane's bookkeeping, on the CPU: GPUs found with a stand-in nvidia-smi, one GPU
per worker, the memory cap handed to each worker, and the GPUs named in the report."""

import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from harness import ROOT, SOLUTIONS_DIR

from grader.isolation import gpus

SMI_OUTPUT = "0, NVIDIA H200, 580.159.04, 143771\n1, NVIDIA H200, 580.159.04, 143771\n"


def fake_smi(tmp_path, output=SMI_OUTPUT):
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    smi = bin_dir / "nvidia-smi"
    smi.write_text(f"#!/bin/sh\ncat <<'EOF'\n{output}EOF\n")
    smi.chmod(0o755)
    return bin_dir


def test_nvidia_smi_output_is_read_line_by_line():
    found = gpus.parse(SMI_OUTPUT + "garbage line\n")
    assert [g.index for g in found] == ["0", "1"]
    assert found[0] == gpus.Gpu("0", "NVIDIA H200", "580.159.04", 143771)


def test_gpus_are_found_and_narrowed_by_cuda_visible_devices(tmp_path):
    bin_dir = fake_smi(tmp_path)
    env = {"PATH": f"{bin_dir}:/usr/bin:/bin"}
    assert [g.index for g in gpus.discover(env)] == ["0", "1"]
    assert [g.index for g in gpus.discover({**env, "CUDA_VISIBLE_DEVICES": "1"})] == ["1"]
    assert gpus.discover({"PATH": str(tmp_path / "nowhere")}) == []


def test_each_worker_gets_a_gpu_no_other_worker_holds():
    pool = gpus.GpuPool(gpus.parse(SMI_OUTPUT))
    holding: set[str] = set()
    clashes = []
    lock = threading.Lock()

    def work():
        with pool.take() as gpu:
            with lock:
                if gpu.index in holding:
                    clashes.append(gpu.index)
                holding.add(gpu.index)
            time.sleep(0.01)
            with lock:
                holding.discard(gpu.index)

    threads = [threading.Thread(target=work) for _ in range(12)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not clashes


def test_a_worker_is_told_its_gpu_and_its_memory_cap():
    env = gpus.worker_env(gpus.Gpu("1", "x", "y", 1), 0.5)
    assert env == {
        "CUDA_DEVICE_ORDER": "PCI_BUS_ID",
        "CUDA_VISIBLE_DEVICES": "1",
        gpus.MEMORY_FRACTION_ENV: "0.5",
    }
    assert gpus.apply_memory_cap({}) is None  # no cap asked for: nothing done


def test_grading_with_gpu_names_the_gpus_and_gives_each_worker_one(tmp_path):
    # A MyLinear that reports the GPU its worker was given, through a failing test.
    layers = (SOLUTIONS_DIR / "05_layers" / "layers.py").read_text() + (
        "\n\nimport os\n\n"
        "class MyLinear(MyLinear):\n"
        "    def forward(self, X):\n"
        "        raise RuntimeError('gpu=' + os.environ.get('CUDA_VISIBLE_DEVICES', '?') + "
        "' cap=' + os.environ.get('KIT_CUDA_MEMORY_FRACTION', '?'))\n"
    )
    sub = tmp_path / "sub"
    sub.mkdir()
    (sub / "layers.py").write_text(layers)
    bin_dir = fake_smi(tmp_path)
    env = dict(os.environ, PATH=f"{bin_dir}:{os.environ['PATH']}")
    env.pop("CUDA_VISIBLE_DEVICES", None)
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "grader",
            "grade",
            str(sub),
            "--modules",
            "layers",
            "--gpu",
            "--gpu-memory",
            "0.5",
            "--format",
            "json",
            "--jobs",
            "4",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
        env=env,
    )
    assert run.returncode == 0, run.stderr[-3000:]
    report = json.loads(run.stdout)
    assert [g["index"] for g in report["grader"]["gpus"]] == ["0", "1"]
    assert report["grader"]["gpus"][0]["name"] == "NVIDIA H200"
    messages = " ".join(t["message"] for t in report["submissions"][0]["exercises"][0]["tests"])
    assert "gpu=0 cap=0.5" in messages or "gpu=1 cap=0.5" in messages, messages[:2000]


def fake_driver(tmp_path: Path, minor: int = 3) -> tuple[Path, Path]:
    """A /dev with the driver's nodes and two GPUs' nodes, and the driver's folder of
    GPU descriptions (/proc/driver/nvidia/gpus) for one GPU at 0000:4e:00.0."""
    dev = tmp_path / "dev"
    dev.mkdir()
    for name in ("nvidiactl", "nvidia-uvm", "nvidia-uvm-tools", "nvidia0", f"nvidia{minor}"):
        (dev / name).write_text("")
    driver = tmp_path / "gpus"
    (driver / "0000:4e:00.0").mkdir(parents=True)
    (driver / "0000:4e:00.0" / "information").write_text(
        "Model: \t\t NVIDIA H200\nIRQ:   \t\t 42\n"
        f"Device Minor: \t {minor}\nBus Location: \t 0000:4e:00.0\n"
    )
    return dev, driver


def test_a_worker_may_open_its_own_gpus_node_and_the_drivers_only(tmp_path):
    dev, driver = fake_driver(tmp_path)
    gpu = gpus.Gpu("1", "NVIDIA H200", "580", 1, "00000000:4E:00.0")
    nodes = gpus.device_nodes(gpu, dev, driver)
    assert sorted(Path(n).name for n in nodes) == [
        "nvidia-uvm",
        "nvidia-uvm-tools",
        "nvidia3",
        "nvidiactl",
    ]  # not nvidia0, another GPU's; nvidia-modeset does not exist here
    # A GPU the driver does not describe: no list (the sandbox then allows /dev).
    assert gpus.device_nodes(gpus.Gpu("0", "x", "y", 1, "00000000:01:00.0"), dev, driver) == []
    assert gpus.device_nodes(gpus.Gpu("0", "x", "y", 1), dev, driver) == []


def test_the_bus_id_is_read_and_kept_out_of_the_report():
    (gpu,) = gpus.parse("0, NVIDIA H200, 580.159.04, 143771, 00000000:4E:00.0\n")
    assert gpu.bus_id == "00000000:4E:00.0"
    assert set(gpu.as_report()) == {"index", "name", "driver", "memory_mib"}


def test_the_sandbox_lets_a_gpu_worker_write_only_its_nodes(tmp_path):
    """Landlock with the nodes listed: the worker may open its GPU's node, not another's."""
    from grader.isolation import sandbox

    if not sandbox.landlock_abi():
        pytest.skip("no Landlock on this kernel")
    dev, driver = fake_driver(tmp_path)
    gpu = gpus.Gpu("1", "NVIDIA H200", "580", 1, "00000000:4E:00.0")
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    probe = (
        "import json, sys\n"
        "from grader.isolation import sandbox\n"
        "p = json.loads(sys.argv[1])\n"
        "policy = sandbox.Policy(scratch=p['scratch'], gpu=True, gpu_devices=p['nodes'])\n"
        "sandbox.restrict_filesystem(policy)\n"
        "import os\n"
        "def can(path):\n"  # as the CUDA driver opens its nodes: read-write, no truncation
        "    try:\n"
        "        os.close(os.open(path, os.O_RDWR))\n"
        "        return True\n"
        "    except OSError:\n"
        "        return False\n"
        "print(json.dumps({'own': can(p['own']), 'other': can(p['other'])}))\n"
    )
    arg = {
        "scratch": str(scratch),
        "nodes": gpus.device_nodes(gpu, dev, driver),
        "own": str(dev / "nvidia3"),
        "other": str(dev / "nvidia0"),
    }
    done = subprocess.run(
        [sys.executable, "-c", probe, json.dumps(arg)], capture_output=True, text=True, timeout=60
    )
    assert json.loads(done.stdout) == {"own": True, "other": False}, done.stderr[-2000:]
