"""materialize uses torch.inference_mode(), which creates parameters that can never be trained."""

# diagnosis: inference_mode

import torch


def materialize(net, num_inputs):
    with torch.inference_mode():
        net(torch.zeros(1, num_inputs))
    return net
