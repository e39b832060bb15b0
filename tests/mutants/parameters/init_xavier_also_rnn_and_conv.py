"""init_xavier also initialises Conv1d and LSTM weights, as later d2l chapters do for their own nets."""

# diagnosis: not_only_linear

from torch import nn


def init_xavier(m):
    if isinstance(m, (nn.Linear, nn.Conv1d)):
        nn.init.xavier_uniform_(m.weight)
    elif isinstance(m, nn.LSTM):
        for name, p in m.named_parameters():
            if "weight" in name:
                nn.init.xavier_uniform_(p)
