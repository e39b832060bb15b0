"""train writes p = p - lr * p.grad, which rebinds a local name and never changes the model."""

# diagnosis: parameters_never_change


def train(net, X, y, num_epochs=3, lr=0.03, batch_size=10):
    losses = []
    net.train()
    for _ in range(num_epochs):
        total = 0.0
        for idx in torch.randperm(len(X)).split(batch_size):  # noqa: F821
            loss = ((net(X[idx]) - y[idx]) ** 2).mean()
            net.zero_grad()
            loss.backward()
            for p in net.parameters():
                p = p - lr * p.grad  # noqa: F841, PLW2901
            total += loss.item() * len(idx)
        losses.append(total / len(X))
    return losses
