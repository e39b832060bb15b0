"""RunningMean updating by reassigning the buffer from a detached lerp and flattening with flatten()."""


class RunningMean(nn.Module):  # noqa: F821
    def __init__(self, num_features, momentum=0.1):
        super().__init__()
        self.momentum = momentum
        self.register_buffer("mean", torch.zeros(num_features))  # noqa: F821
        self.register_buffer("num_batches", torch.zeros((), dtype=torch.int64))  # noqa: F821

    def forward(self, X):
        if self.training:
            rows = X.detach().flatten(0, -2) if X.dim() > 1 else X.detach()[None]
            self.mean = torch.lerp(self.mean, rows.mean(0), self.momentum)  # noqa: F821
            self.num_batches = self.num_batches + 1
        return X - self.mean
