"""MultiTaskHead sorts the tasks by name instead of keeping the order given."""

# diagnosis: tasks_sorted


class MultiTaskHead(MultiTaskHead):  # noqa: F821
    def __init__(self, num_inputs, task_sizes):
        super().__init__(num_inputs, dict(sorted(task_sizes.items())))
