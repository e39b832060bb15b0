"""load_params loads the parameters but forgets to return the model."""

import torch


def load_params(model, path):
    model.load_state_dict(torch.load(path, map_location="cpu", weights_only=True))
