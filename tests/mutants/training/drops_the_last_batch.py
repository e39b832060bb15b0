"""train skips the last, smaller minibatch, so some examples are never used."""

# diagnosis: drops_the_last_batch


def train(net, X, y, num_epochs=3, lr=0.03, batch_size=10):
    loss_fn = nn.MSELoss()  # noqa: F821
    optimizer = torch.optim.SGD(net.parameters(), lr=lr)  # noqa: F821
    losses = []
    net.train()
    for _ in range(num_epochs):
        total, count = 0.0, 0
        for start in range(0, len(X) - batch_size + 1, batch_size):
            Xb, yb = X[start : start + batch_size], y[start : start + batch_size]
            loss = loss_fn(net(Xb), yb)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            total += loss.item() * len(Xb)
            count += len(Xb)
        losses.append(total / max(count, 1))
    return losses
