"""materialize returns the output of the dummy pass instead of the net."""

# diagnosis: returns_the_output

import torch


def materialize(net, num_inputs):
    with torch.no_grad():
        return net(torch.zeros(1, num_inputs))
