"""RunningMean counts batches in a Python int, which state_dict() does not save."""

# diagnosis: count_not_a_buffer


class RunningMean(RunningMean):  # noqa: F821
    def __init__(self, num_features, momentum=0.1):
        nn.Module.__init__(self)  # noqa: F821
        self.momentum = momentum
        self.register_buffer("mean", torch.zeros(num_features))  # noqa: F821
        self.num_batches = 0

    def forward(self, X):
        if self.training:
            with torch.no_grad():  # noqa: F821
                batch_mean = X.reshape(-1, X.shape[-1]).mean(dim=0)
                self.mean.mul_(1 - self.momentum).add_(batch_mean, alpha=self.momentum)
            self.num_batches += 1
        return X - self.mean
