"""try_gpu returns the string 'cuda:0' whenever CUDA is available, whatever i is asked for."""

# diagnosis: strings_not_devices

import torch


def try_gpu(i=0):
    return "cuda:0" if torch.cuda.is_available() else "cpu"
