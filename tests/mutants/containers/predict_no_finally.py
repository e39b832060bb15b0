"""predict restores the mode only when forward succeeds: an exception leaves the net in eval mode."""

# diagnosis: restored_only_after_success


def predict(net, X):
    was_training = net.training
    net.eval()
    with torch.no_grad():  # noqa: F821
        Y = net(X)
    net.train(was_training)
    return Y
