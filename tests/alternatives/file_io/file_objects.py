"""Reads and writes through open file objects, which torch.save and torch.load accept too."""

import torch


def save_tensors(obj, path):
    with open(path, "wb") as f:
        torch.save(obj, f)


def load_tensors(path):
    with open(path, "rb") as f:
        return torch.load(f, weights_only=True)


def save_params(model, path):
    with open(path, "wb") as f:
        torch.save(model.state_dict(), f)


def load_params(model, path):
    with open(path, "rb") as f:
        state = torch.load(f, map_location=torch.device("cpu"), weights_only=True)
    model.load_state_dict(state, strict=True)
    return model
