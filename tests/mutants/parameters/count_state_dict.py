"""count_parameters sums over state_dict(), which holds buffers and lists a shared tensor under each name."""

# diagnosis: counts_state_dict


def count_parameters(net, trainable_only=False):
    state = net.state_dict(keep_vars=True)
    return sum(t.numel() for t in state.values() if not trainable_only or t.requires_grad)
