"""train defaults to lr=0.1 instead of the book's 0.03."""

# diagnosis: other_defaults

_reference_train = train  # noqa: F821


def train(net, X, y, num_epochs=3, lr=0.1, batch_size=10):
    return _reference_train(net, X, y, num_epochs, lr, batch_size)
