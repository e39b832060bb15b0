"""materialize copies the book's torch.rand(2, 20) probe: a batch of 2, not 1."""

# diagnosis: batch_of_two

import torch


def materialize(net, num_inputs):
    with torch.no_grad():
        net(torch.randn(2, num_inputs))
    return net
