"""RunningMean returns X minus the mean from before this batch's update."""

# diagnosis: old_mean


class RunningMean(RunningMean):  # noqa: F821
    def forward(self, X):
        old = self.mean.clone()
        super().forward(X)
        return X - old
