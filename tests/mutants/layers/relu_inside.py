"""MyLinear applies a ReLU, as the book's version does, instead of being purely affine."""

# diagnosis: relu_inside

from torch.nn import functional as F


class MyLinear(MyLinear):  # noqa: F821
    def forward(self, X):
        return F.relu(X @ self.weight + self.bias)
