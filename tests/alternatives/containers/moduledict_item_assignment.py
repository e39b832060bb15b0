"""MultiTaskHead filling an empty ModuleDict item by item; forward builds the dict in a loop."""


class MultiTaskHead(nn.Module):  # noqa: F821
    def __init__(self, num_inputs, task_sizes):
        super().__init__()
        self.heads = nn.ModuleDict()  # noqa: F821
        for task in task_sizes:
            self.heads[task] = nn.Linear(num_inputs, task_sizes[task])  # noqa: F821

    def forward(self, X):
        out = {}
        for task in self.heads:
            out[task] = self.heads[task](X)
        return out
