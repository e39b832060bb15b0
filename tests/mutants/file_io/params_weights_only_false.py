"""load_params loads with weights_only=False, so a malicious checkpoint runs its code."""

# diagnosis: weights_only_false

import torch


def load_params(model, path):
    model.load_state_dict(torch.load(path, map_location="cpu", weights_only=False))
    return model
