"""materialize asks for the net's first parameter without a default: StopIteration on a net without parameters."""

# diagnosis: first_parameter_without_default

import torch


def materialize(net, num_inputs):
    first = next(net.parameters())
    with torch.no_grad():
        net(torch.zeros(1, num_inputs, dtype=first.dtype, device=first.device))
    return net
