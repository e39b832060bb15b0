"""materialize switches autograd off with torch.set_grad_enabled(False) and never back on."""

# diagnosis: grad_switched_off_for_good

import torch


def materialize(net, num_inputs):
    torch.set_grad_enabled(False)
    net(torch.zeros(1, num_inputs))
    return net
