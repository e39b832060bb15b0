"""The book's tied-parameter net, named `shared` and built in one nn.Sequential call, and tie_weights via named_parameters(recurse=False)."""

from torch import nn


def shared_mlp(num_inputs=4, num_hiddens=8):
    # We need to give the shared layer a name so that we can refer to its parameters
    shared = nn.Linear(num_hiddens, num_hiddens)
    net = nn.Sequential(
        nn.Linear(num_inputs, num_hiddens), nn.ReLU(),
        shared, nn.ReLU(),
        shared, nn.ReLU(),
        nn.Linear(num_hiddens, 1),
    )
    return net


def tie_weights(src, dst):
    mine = dict(dst.named_parameters(recurse=False))
    pairs = [(name, p) for name, p in src.named_parameters(recurse=False) if name in mine]
    if not pairs:
        raise ValueError("src and dst have no parameter name in common")
    bad = [name for name, p in pairs if p.shape != mine[name].shape]
    if bad:
        raise ValueError(f"shapes differ for {', '.join(bad)}")
    for name, p in pairs:
        dst.register_parameter(name, p)
