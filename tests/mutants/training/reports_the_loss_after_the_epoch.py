"""train reports the loss of the whole data set after each epoch, not the loss its steps saw."""

# diagnosis: loss_after_the_epoch


def train(net, X, y, num_epochs=3, lr=0.03, batch_size=10):
    loss_fn = nn.MSELoss()  # noqa: F821
    optimizer = torch.optim.SGD(net.parameters(), lr=lr)  # noqa: F821
    losses = []
    net.train()
    for _ in range(num_epochs):
        for idx in torch.randperm(len(X)).split(batch_size):  # noqa: F821
            loss = loss_fn(net(X[idx]), y[idx])
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
        with torch.no_grad():  # noqa: F821
            losses.append(loss_fn(net(X), y).item())
    return losses
