"""Reference solution: reading and writing files (d2l 5.5 / 读写文件)."""

import torch


def save_tensors(obj, path):
    torch.save(obj, path)


def load_tensors(path):
    # weights_only=True unpickles tensors and plain containers only: a file that
    # would run code on load is refused. Said explicitly, so an environment
    # variable that changes torch's default cannot weaken it.
    return torch.load(path, weights_only=True)


def save_params(model, path):
    torch.save(model.state_dict(), path)  # the values, not the pickled class


def load_params(model, path):
    state = torch.load(path, map_location="cpu", weights_only=True)
    model.load_state_dict(state)  # strict: a missing or extra key is an error
    return model
