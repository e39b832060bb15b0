"""RunningMean registers mean as an nn.Parameter: an optimiser would train the statistic."""

# diagnosis: mean_a_parameter


class RunningMean(RunningMean):  # noqa: F821
    def __init__(self, num_features, momentum=0.1):
        super().__init__(num_features, momentum)
        del self._buffers["mean"]
        self.mean = nn.Parameter(torch.zeros(num_features), requires_grad=False)  # noqa: F821
        self._buffers["num_batches"] = self._buffers.pop("num_batches")
