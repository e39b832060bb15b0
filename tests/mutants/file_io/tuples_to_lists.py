"""save_tensors turns every tuple into a list before saving ("lists are simpler")."""

# diagnosis: tuples_to_lists

import torch


def _plain(obj):
    if isinstance(obj, (list, tuple)):
        return [_plain(x) for x in obj]
    if isinstance(obj, dict):
        return {k: _plain(v) for k, v in obj.items()}
    return obj


def save_tensors(obj, path):
    torch.save(_plain(obj), path)
