"""train reports the sum of an epoch's minibatch losses, not their mean."""

# diagnosis: sum_of_batch_losses


def train(net, X, y, num_epochs=3, lr=0.03, batch_size=10):
    loss_fn = nn.MSELoss()  # noqa: F821
    optimizer = torch.optim.SGD(net.parameters(), lr=lr)  # noqa: F821
    losses = []
    net.train()
    for _ in range(num_epochs):
        total = 0.0
        for idx in torch.randperm(len(X)).split(batch_size):  # noqa: F821
            loss = loss_fn(net(X[idx]), y[idx])
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            total += loss.item()
        losses.append(total)
    return losses
