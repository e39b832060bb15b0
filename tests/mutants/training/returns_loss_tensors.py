"""train returns the epoch losses as tensors that still hold their graphs, not Python floats."""

# diagnosis: losses_are_tensors

_train = train  # noqa: F821


def train(net, X, y, num_epochs=3, lr=0.03, batch_size=10):
    return [torch.tensor(v, requires_grad=True) for v in _train(net, X, y, num_epochs, lr, batch_size)]  # noqa: F821
