"""train minimises half the mean squared error (d2l's squared_loss), so every step is half as big."""

# diagnosis: halved_loss


def train(net, X, y, num_epochs=3, lr=0.03, batch_size=10):
    optimizer = torch.optim.SGD(net.parameters(), lr=lr)  # noqa: F821
    losses = []
    net.train()
    for _ in range(num_epochs):
        total = 0.0
        for idx in torch.randperm(len(X)).split(batch_size):  # noqa: F821
            loss = ((net(X[idx]) - y[idx]) ** 2 / 2).mean()
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            total += 2 * loss.item() * len(idx)
        losses.append(total / len(X))
    return losses
