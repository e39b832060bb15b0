"""MLP hard-codes the book's sizes 20, 256, 10 and ignores its arguments."""

# diagnosis: mlp_book_sizes

from torch import nn
from torch.nn import functional as F


class MLP(nn.Module):
    def __init__(self, num_inputs=20, num_hiddens=256, num_outputs=10):
        super().__init__()
        self.hidden = nn.Linear(20, 256)
        self.out = nn.Linear(256, 10)

    def forward(self, X):
        return self.out(F.relu(self.hidden(X)))
