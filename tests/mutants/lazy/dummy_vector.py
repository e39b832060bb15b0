"""materialize feeds a 1-d tensor of shape (num_inputs,) instead of a batch of one example."""

# diagnosis: batch_is_a_vector

import torch


def materialize(net, num_inputs):
    with torch.no_grad():
        net(torch.zeros(num_inputs))
    return net
