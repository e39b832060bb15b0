"""Saves through numpy (np.savez of tensor.numpy()), which keeps flat arrays but not the containers around them."""

# diagnosis: numpy_arrays

import numpy as np
import torch


def save_tensors(obj, path):
    if isinstance(obj, torch.Tensor):
        arrays = {"tensor": obj.numpy()}
    elif isinstance(obj, dict):
        arrays = {str(k): v.numpy() for k, v in obj.items()}
    else:
        arrays = {f"item{i}": x.numpy() for i, x in enumerate(obj)}
    with open(path, "wb") as f:
        np.savez(f, **arrays)


def load_tensors(path):
    with np.load(path) as data:
        found = {k: torch.from_numpy(data[k]) for k in data.files}
    if list(found) == ["tensor"]:
        return found["tensor"]
    if all(k.startswith("item") for k in found):
        return list(found.values())
    return found
