"""materialize feeds a (num_inputs, 1) batch, so the first layer learns an input size of 1."""

# diagnosis: batch_transposed

import torch


def materialize(net, num_inputs):
    with torch.no_grad():
        net(torch.zeros(num_inputs, 1))
    return net
