"""MultiTaskHead keeps its heads in a plain dict: parameters() and state_dict() miss them."""

# diagnosis: heads_not_registered


class MultiTaskHead(MultiTaskHead):  # noqa: F821
    def __init__(self, num_inputs, task_sizes):
        nn.Module.__init__(self)  # noqa: F821
        self.heads = {t: nn.Linear(num_inputs, s) for t, s in task_sizes.items()}  # noqa: F821
