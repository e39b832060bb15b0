"""RunningMean updates its statistics in eval mode too, so predictions change the model."""

# diagnosis: updates_in_eval


class RunningMean(RunningMean):  # noqa: F821
    def forward(self, X):
        with torch.no_grad():  # noqa: F821
            batch_mean = X.reshape(-1, X.shape[-1]).mean(dim=0)
            self.mean.mul_(1 - self.momentum).add_(batch_mean, alpha=self.momentum)
            self.num_batches += 1
        return X - self.mean
