"""materialize runs the dummy forward pass twice (once to initialise, once "to check")."""

# diagnosis: two_forward_passes

import torch


def materialize(net, num_inputs):
    with torch.no_grad():
        net(torch.zeros(1, num_inputs))
        net(torch.zeros(1, num_inputs))
    return net
