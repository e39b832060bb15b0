"""train never calls net.train(), so a net handed over in eval mode trains with dropout off."""

# diagnosis: eval_mode_kept

_train = train  # noqa: F821


def train(net, X, y, num_epochs=3, lr=0.03, batch_size=10):
    was_training = net.training
    losses = _train(net, X, y, num_epochs, lr, batch_size)
    net.train(was_training)
    return losses
