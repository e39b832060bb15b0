"""RunningMean keeps mean as a plain tensor attribute: not saved, not moved by .to()."""

# diagnosis: mean_not_a_buffer


class RunningMean(RunningMean):  # noqa: F821
    def __init__(self, num_features, momentum=0.1):
        super().__init__(num_features, momentum)
        del self._buffers["mean"]
        object.__setattr__(self, "mean", torch.zeros(num_features))  # noqa: F821
