"""materialize makes its dummy batch with the net's dtype but on the CPU, whatever the net's device."""

import torch


def materialize(net, num_inputs):
    first = next(net.parameters(), None)
    kwargs = {} if first is None else {"dtype": first.dtype}
    with torch.no_grad():
        net(torch.zeros(1, num_inputs, **kwargs))
    return net
