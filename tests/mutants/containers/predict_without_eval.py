"""predict forgets net.eval(): dropout stays on and batch norm updates its running statistics."""

# diagnosis: computes_in_training_mode


def predict(net, X):
    with torch.no_grad():  # noqa: F821
        return net(X)
