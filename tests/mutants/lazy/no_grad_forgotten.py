"""materialize runs the dummy pass with autograd on, recording a graph nobody needs."""

# diagnosis: graph_recorded

import torch


def materialize(net, num_inputs):
    net(torch.zeros(1, num_inputs))
    return net
