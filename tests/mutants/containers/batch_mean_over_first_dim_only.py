"""RunningMean averages X over its first dimension only, wrong for inputs with more leading dims."""

# diagnosis: mean_over_the_first_dim


class RunningMean(RunningMean):  # noqa: F821
    def forward(self, X):
        if self.training:
            with torch.no_grad():  # noqa: F821
                batch_mean = X.mean(dim=0)
                self.mean = (1 - self.momentum) * self.mean + self.momentum * batch_mean
                self.num_batches += 1
        return X - self.mean
