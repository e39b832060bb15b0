"""load_params returns what load_state_dict returns (its missing/unexpected keys), not the model."""

import torch


def load_params(model, path):
    return model.load_state_dict(torch.load(path, map_location="cpu", weights_only=True))
