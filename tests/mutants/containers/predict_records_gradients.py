"""predict forgets torch.no_grad(): the prediction carries a graph and requires grad."""

# diagnosis: records_a_graph


def predict(net, X):
    was_training = net.training
    net.eval()
    try:
        return net(X)
    finally:
        net.train(was_training)
