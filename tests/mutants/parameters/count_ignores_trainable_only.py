"""count_parameters ignores trainable_only and always counts every parameter."""

# diagnosis: ignores_trainable_only


def count_parameters(net, trainable_only=False):
    return sum(p.numel() for p in net.parameters())
