"""MLP.forward also applies ReLU to the output layer."""

# diagnosis: relu_after_out

from torch import nn
from torch.nn import functional as F


class MLP(nn.Module):
    def __init__(self, num_inputs=20, num_hiddens=256, num_outputs=10):
        super().__init__()
        self.hidden = nn.Linear(num_inputs, num_hiddens)
        self.out = nn.Linear(num_hiddens, num_outputs)

    def forward(self, X):
        return F.relu(self.out(F.relu(self.hidden(X))))
