"""count_parameters sums each module's own parameters, so a weight tied into two modules counts twice."""

# diagnosis: counted_twice


def count_parameters(net, trainable_only=False):
    return sum(
        p.numel()
        for m in net.modules()
        for p in m.parameters(recurse=False)
        if not trainable_only or p.requires_grad
    )
