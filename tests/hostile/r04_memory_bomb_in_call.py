"""Row 4: ask for 32 GiB of tensor and 8 GiB of shared memory inside a test call."""
import mmap

import torch


def act():
    try:
        mmap.mmap(-1, 8 * 1024**3)
    except OSError:
        pass
    torch.empty(2**33)  # 8 G floats
