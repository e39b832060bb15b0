"""train puts new Parameter objects into the modules, so an optimiser or tied layer holding the old ones is left behind."""

# diagnosis: new_parameter_objects


def train(net, X, y, num_epochs=3, lr=0.03, batch_size=10):
    losses = []
    net.train()
    for _ in range(num_epochs):
        total = 0.0
        for idx in torch.randperm(len(X)).split(batch_size):  # noqa: F821
            loss = ((net(X[idx]) - y[idx]) ** 2).mean()
            net.zero_grad()
            loss.backward()
            for module in net.modules():
                for name, p in list(module.named_parameters(recurse=False)):
                    setattr(module, name, nn.Parameter(p.detach() - lr * p.grad))  # noqa: F821
            total += loss.item() * len(idx)
        losses.append(total / len(X))
    return losses
