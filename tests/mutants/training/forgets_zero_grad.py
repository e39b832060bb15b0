"""train never clears the gradients, so every step adds in the gradients of all earlier ones."""

# diagnosis: gradients_pile_up


def train(net, X, y, num_epochs=3, lr=0.03, batch_size=10):
    loss_fn = nn.MSELoss()  # noqa: F821
    optimizer = torch.optim.SGD(net.parameters(), lr=lr)  # noqa: F821
    losses = []
    net.train()
    for _ in range(num_epochs):
        total = 0.0
        for idx in torch.randperm(len(X)).split(batch_size):  # noqa: F821
            loss = loss_fn(net(X[idx]), y[idx])
            loss.backward()
            optimizer.step()
            total += loss.item() * len(idx)
        losses.append(total / len(X))
    return losses
