"""train with a DataLoader over a TensorDataset, nn.MSELoss and torch.optim.SGD, zero_grad(set_to_none=False)."""

from torch.utils.data import DataLoader, TensorDataset


def train(net, X, y, num_epochs=3, lr=0.03, batch_size=10):
    loader = DataLoader(TensorDataset(X, y), batch_size=batch_size, shuffle=True)
    loss_fn = nn.MSELoss(reduction="sum")  # noqa: F821
    trainer = torch.optim.SGD(net.parameters(), lr=lr)  # noqa: F821
    net.train()
    history = []
    for _ in range(num_epochs):
        total = 0.0
        for Xb, yb in loader:
            trainer.zero_grad(set_to_none=False)
            summed = loss_fn(net(Xb), yb)
            (summed / yb.numel()).backward()
            trainer.step()
            total += float(summed.detach())
        history.append(total / y.numel())
    return history
