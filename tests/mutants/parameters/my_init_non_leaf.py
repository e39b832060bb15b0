"""my_init stores the masked product (recorded by autograd) as the weight, which is then a non-leaf, not a Parameter."""

# diagnosis: non_leaf_weight

from torch import nn


def my_init(m):
    if isinstance(m, nn.Linear):
        nn.init.uniform_(m.weight, -10, 10)
        # nn.Module refuses a plain tensor by attribute assignment, so it is forced in.
        m._parameters["weight"] = m.weight * (m.weight.abs() >= 5)
