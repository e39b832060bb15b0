"""save_tensors saves a dict as the list of its values, losing its keys."""

# diagnosis: dicts_to_lists

import torch


def save_tensors(obj, path):
    torch.save(list(obj.values()) if isinstance(obj, dict) else obj, path)
