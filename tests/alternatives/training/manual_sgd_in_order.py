"""train by hand: minibatches in order, p -= lr * p.grad under no_grad, p.grad = None before backward."""


def train(net, X, y, num_epochs=3, lr=0.03, batch_size=10):
    net.train()
    params = list(net.parameters())
    losses = []
    for _ in range(num_epochs):
        weighted = 0.0
        for start in range(0, len(X), batch_size):
            Xb, yb = X[start : start + batch_size], y[start : start + batch_size]
            loss = ((net(Xb) - yb) ** 2).mean()
            for p in params:
                p.grad = None
            loss.backward()
            with torch.no_grad():  # noqa: F821
                for p in params:
                    p -= lr * p.grad
            weighted += loss.item() * len(Xb)
        losses.append(weighted / len(X))
    return losses
