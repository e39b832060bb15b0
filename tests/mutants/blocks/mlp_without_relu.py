"""MLP.forward forgets the activation: out(hidden(X))."""

# diagnosis: no_hidden_relu

from torch import nn


class MLP(nn.Module):
    def __init__(self, num_inputs=20, num_hiddens=256, num_outputs=10):
        super().__init__()
        self.hidden = nn.Linear(num_inputs, num_hiddens)
        self.out = nn.Linear(num_hiddens, num_outputs)

    def forward(self, X):
        return self.out(self.hidden(X))
