"""train draws each minibatch at random with replacement, so an epoch skips some examples and repeats others."""

# diagnosis: with_replacement


def train(net, X, y, num_epochs=3, lr=0.03, batch_size=10):
    loss_fn = nn.MSELoss()  # noqa: F821
    optimizer = torch.optim.SGD(net.parameters(), lr=lr)  # noqa: F821
    losses = []
    net.train()
    for _ in range(num_epochs):
        total = 0.0
        for size in torch.arange(len(X)).split(batch_size):  # noqa: F821
            idx = torch.randint(0, len(X), (len(size),))  # noqa: F821
            loss = loss_fn(net(X[idx]), y[idx])
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            total += loss.item() * len(idx)
        losses.append(total / len(X))
    return losses
