"""load_params returns what load_state_dict returns (its missing/unexpected keys), not the model."""

# diagnosis: returns_load_result

import torch


def load_params(model, path):
    return model.load_state_dict(torch.load(path, map_location="cpu", weights_only=True))
