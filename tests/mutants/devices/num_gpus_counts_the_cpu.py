"""num_gpus returns len(try_all_gpus()), which is 1 (the CPU fallback) on a machine without GPUs."""

# diagnosis: num_gpus_counts_the_cpu


def num_gpus():
    return len(try_all_gpus())  # noqa: F821
