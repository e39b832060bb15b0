"""train defaults to num_epochs=10 instead of the book's 3."""

# diagnosis: other_defaults

_reference_train = train  # noqa: F821


def train(net, X, y, num_epochs=10, lr=0.03, batch_size=10):
    return _reference_train(net, X, y, num_epochs, lr, batch_size)
