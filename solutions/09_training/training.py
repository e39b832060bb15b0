"""Reference solution: train your own layers (d2l 3.2-3.3 / 线性回归的简洁实现)."""

import torch
from torch import nn


def synthetic_data(w, b, num_examples):
    X = torch.normal(0.0, 1.0, (num_examples, len(w)), dtype=w.dtype)
    y = X @ w + b
    y = y + torch.normal(0.0, 0.01, y.shape, dtype=w.dtype)  # std 0.01, not variance
    return X, y.reshape(-1, 1)


def train(net, X, y, num_epochs=3, lr=0.03, batch_size=10):
    loss_fn = nn.MSELoss()  # the mean over the minibatch, not the sum
    # SGD changes each Parameter in place (under no_grad): the objects the net
    # holds stay the same, so anything else that holds them sees the new values.
    optimizer = torch.optim.SGD(net.parameters(), lr=lr)
    num_examples = len(X)
    losses = []
    net.train()
    for _ in range(num_epochs):
        total = 0.0
        for idx in torch.randperm(num_examples).split(batch_size):
            loss = loss_fn(net(X[idx]), y[idx])
            optimizer.zero_grad()  # backward() adds to .grad: clear the last step's first
            loss.backward()
            optimizer.step()
            total += loss.item() * len(idx)  # .item(): a float, no graph kept alive
        losses.append(total / num_examples)
    return losses
