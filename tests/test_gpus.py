"""The GPU lane's bookkeeping, on the CPU: GPUs found with a stand-in nvidia-smi, one GPU
per worker, the memory cap handed to each worker, and the GPUs named in the report."""

import json
import os
import subprocess
import sys
import threading
import time

from harness import ROOT, SOLUTIONS_DIR

from grader import gpus

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
