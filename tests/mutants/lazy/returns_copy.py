"""materialize materializes and returns a deep copy, leaving the caller's net lazy."""

# diagnosis: returns_a_copy

import copy

import torch


def materialize(net, num_inputs):
    net = copy.deepcopy(net)
    with torch.no_grad():
        net(torch.zeros(1, num_inputs))
    return net
