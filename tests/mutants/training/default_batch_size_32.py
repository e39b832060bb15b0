"""train defaults to batch_size=32 instead of the book's 10."""

# diagnosis: other_defaults

_reference_train = train  # noqa: F821


def train(net, X, y, num_epochs=3, lr=0.03, batch_size=32):
    return _reference_train(net, X, y, num_epochs, lr, batch_size)
