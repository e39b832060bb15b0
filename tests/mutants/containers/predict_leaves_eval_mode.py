"""predict switches the net to eval mode and never switches it back."""

# diagnosis: left_in_eval_mode


def predict(net, X):
    net.eval()
    with torch.no_grad():  # noqa: F821
        return net(X)
