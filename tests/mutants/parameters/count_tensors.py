"""count_parameters counts parameter tensors (len(list(net.parameters()))), not their entries."""

# diagnosis: counts_tensors


def count_parameters(net, trainable_only=False):
    return len([p for p in net.parameters() if not trainable_only or p.requires_grad])
