"""num_gpus returns torch.cuda.is_available(), a bool, instead of the number of devices."""

# diagnosis: num_gpus_is_available

import torch


def num_gpus():
    return torch.cuda.is_available()
