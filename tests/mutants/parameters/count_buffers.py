"""count_parameters also counts the buffers (BatchNorm's running statistics)."""

# diagnosis: counts_buffers


def count_parameters(net, trainable_only=False):
    tensors = list(net.parameters()) + list(net.buffers())
    return sum(t.numel() for t in tensors if not trainable_only or t.requires_grad)
