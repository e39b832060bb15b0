"""LayerStack keeps its layers in a plain Python list, so none of them is registered."""

# diagnosis: layers_not_registered


class LayerStack(LayerStack):  # noqa: F821
    def __init__(self, widths):
        nn.Module.__init__(self)  # noqa: F821
        self.layers = [nn.Linear(a, b) for a, b in zip(widths[:-1], widths[1:])]  # noqa: F821
