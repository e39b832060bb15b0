"""train reports the loss of each epoch's last minibatch instead of the epoch's mean."""

# diagnosis: last_batch_loss


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
        losses.append(loss.item())
    return losses
