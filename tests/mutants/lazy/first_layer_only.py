"""materialize runs only the first layer, so later lazy layers stay uninitialised."""

# diagnosis: only_first_layer_run

import torch


def materialize(net, num_inputs):
    first = next(iter(net.children()), net)
    with torch.no_grad():
        first(torch.zeros(1, num_inputs))
    return net
