"""LayerStack built with ModuleList.append and torch.relu, checking the index against len(widths)."""


class LayerStack(nn.Module):  # noqa: F821
    def __init__(self, widths):
        super().__init__()
        self.layers = nn.ModuleList()  # noqa: F821
        for i in range(len(widths) - 1):
            self.layers.append(nn.Linear(widths[i], widths[i + 1]))  # noqa: F821
        self.depth = len(widths) - 1

    def forward(self, X):
        *hidden, last = self.layers
        for layer in hidden:
            X = torch.relu(layer(X))  # noqa: F821
        return last(X)
