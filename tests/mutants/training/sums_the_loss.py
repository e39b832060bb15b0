"""train sums the squared errors over the minibatch instead of averaging: the step is batch_size times too big and diverges."""

# diagnosis: summed_loss


def train(net, X, y, num_epochs=3, lr=0.03, batch_size=10):
    optimizer = torch.optim.SGD(net.parameters(), lr=lr)  # noqa: F821
    losses = []
    net.train()
    for _ in range(num_epochs):
        total = 0.0
        for idx in torch.randperm(len(X)).split(batch_size):  # noqa: F821
            loss = ((net(X[idx]) - y[idx]) ** 2).sum()
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            total += loss.item()
        losses.append(total / len(X))
    return losses
