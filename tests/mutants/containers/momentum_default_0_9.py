"""RunningMean defaults to momentum=0.9 (the Keras convention) instead of BatchNorm's 0.1."""

# diagnosis: other_default_momentum

_Reference = RunningMean  # noqa: F821


class RunningMean(_Reference):
    def __init__(self, num_features, momentum=0.9):
        super().__init__(num_features, momentum)
