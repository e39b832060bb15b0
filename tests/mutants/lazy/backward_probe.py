"""materialize runs a training-style backward pass on the dummy output, leaving .grad behind."""

# diagnosis: backward_in_materialize

import torch


def materialize(net, num_inputs):
    net(torch.zeros(1, num_inputs)).sum().backward()
    return net
