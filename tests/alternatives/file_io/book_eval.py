"""The book's clone recipe: load_state_dict, then clone.eval(), returning the model (eval returns self)."""

import torch


def load_tensors(path):
    return torch.load(path, map_location="cpu", weights_only=True)


def load_params(model, path):
    model.load_state_dict(torch.load(path, map_location=lambda storage, loc: storage, weights_only=True))
    return model.eval()
