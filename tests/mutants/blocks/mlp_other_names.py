"""MLP names its layers fc1 and fc2 instead of hidden and out."""

# diagnosis: cause_attribute

from torch import nn
from torch.nn import functional as F


class MLP(nn.Module):
    def __init__(self, num_inputs=20, num_hiddens=256, num_outputs=10):
        super().__init__()
        self.fc1 = nn.Linear(num_inputs, num_hiddens)
        self.fc2 = nn.Linear(num_hiddens, num_outputs)

    def forward(self, X):
        return self.fc2(F.relu(self.fc1(X)))
