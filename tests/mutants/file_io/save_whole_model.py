"""save_params pickles the whole model with torch.save(model, path) instead of its state dict."""

# diagnosis: whole_model

import torch


def save_params(model, path):
    torch.save(model, path)
