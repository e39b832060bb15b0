"""materialize feeds a dummy batch of the default dtype, whatever the dtype of the net."""

# diagnosis: batch_in_default_dtype

import torch


def materialize(net, num_inputs):
    with torch.no_grad():
        net(torch.zeros(1, num_inputs))
    return net
