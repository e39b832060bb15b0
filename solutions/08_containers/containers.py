"""Reference solution: containers and module state (beyond d2l ch. 5 / 容器与模块状态)."""

import torch
from torch import nn
from torch.nn import functional as F


class LayerStack(nn.Module):
    def __init__(self, widths):
        super().__init__()
        # nn.ModuleList registers every layer (keys layers.0, layers.1, …); a plain
        # Python list would hide them from parameters(), state_dict() and .to().
        self.layers = nn.ModuleList(
            nn.Linear(n_in, n_out) for n_in, n_out in zip(widths[:-1], widths[1:], strict=True)
        )

    def forward(self, X):
        for i, layer in enumerate(self.layers):
            X = layer(X)
            if i < len(self.layers) - 1:  # no activation after the output layer
                X = F.relu(X)
        return X


class MultiTaskHead(nn.Module):
    def __init__(self, num_inputs, task_sizes):
        super().__init__()
        # nn.ModuleDict registers each head under its task name, in insertion order.
        self.heads = nn.ModuleDict(
            {task: nn.Linear(num_inputs, size) for task, size in task_sizes.items()}
        )

    def forward(self, X):
        return {task: head(X) for task, head in self.heads.items()}


class ResidualBlock(nn.Module):
    def __init__(self, num_features):
        super().__init__()
        n = num_features
        self.net = nn.Sequential(nn.Linear(n, n), nn.ReLU(), nn.Linear(n, n))

    def forward(self, X):
        # The skip connection adds the input back *before* the final activation.
        return F.relu(X + self.net(X))


class RunningMean(nn.Module):
    def __init__(self, num_features, momentum=0.1):
        super().__init__()
        self.momentum = momentum
        # Buffers: state of the module that is not trained. They are saved in
        # state_dict() and follow .to(), but parameters() (and so optimisers)
        # never see them.
        self.register_buffer("mean", torch.zeros(num_features))
        self.register_buffer("num_batches", torch.tensor(0, dtype=torch.long))

    def forward(self, X):
        if self.training:
            # The statistics are bookkeeping, not part of the computation graph:
            # without no_grad the buffer would hold a grad_fn into this batch's graph.
            with torch.no_grad():
                batch_mean = X.reshape(-1, X.shape[-1]).mean(dim=0)
                self.mean.mul_(1 - self.momentum).add_(batch_mean, alpha=self.momentum)
                self.num_batches += 1
        return X - self.mean


def predict(net, X):
    was_training = net.training
    net.eval()  # dropout off, batch norm uses (and keeps) its running statistics
    try:
        with torch.no_grad():
            return net(X)
    finally:  # restore the caller's mode even when forward raises
        net.train(was_training)
