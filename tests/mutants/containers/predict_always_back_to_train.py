"""predict calls net.train() afterwards, so a net that was in eval mode ends up training."""

# diagnosis: always_back_to_training


def predict(net, X):
    net.eval()
    try:
        with torch.no_grad():  # noqa: F821
            return net(X)
    finally:
        net.train()
