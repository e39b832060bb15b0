"""count_parameters iterates named_parameters(remove_duplicate=False), counting a shared parameter at each place."""

# diagnosis: counted_twice


def count_parameters(net, trainable_only=False):
    return sum(
        p.numel()
        for _, p in net.named_parameters(remove_duplicate=False)
        if not trainable_only or p.requires_grad
    )
