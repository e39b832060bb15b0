"""Exercise 5: custom layers (自定义层, d2l 5.4 "Custom Layers").

A *layer* is just a module (模块 ``nn.Module``): anything with a ``forward`` that maps
tensors to tensors. Writing your own takes two ideas from this chapter:

* **A layer without parameters** (不带参数的层) only computes: subclass ``nn.Module``
  and write ``forward``. Autograd (自动微分) differentiates it for you, as long as you
  build the output from the input with ordinary (out-of-place) tensor operations.
* **A layer with parameters** (带参数的层) wraps its learnable tensors in
  ``nn.Parameter`` (参数). Assigning a ``Parameter`` to an attribute *registers* it:
  ``parameters()``, ``state_dict()``, optimisers and ``.to(device)`` all find it.
  A plain tensor attribute is invisible to all of them.

Why not ``self.weight.data`` in ``forward``, as an early version of the book did?
``.data`` is the same numbers *detached* from autograd: the output would no longer
depend on ``weight`` as far as gradients are concerned, and training would never
update it. Use the parameter itself.

Run ``pytest exercises/05_layers`` to check your work.
"""

# The book's code for these items uses torch, nn and F: all three are imported.
import torch
from torch import nn
from torch.nn import functional as F


class CenteredLayer(nn.Module):
    """Subtract the mean of *all* entries of the input: ``forward(X) == X - X.mean()``.

    No parameters. Do not change ``X`` in place (no ``-=``): return a new tensor,
    and let the gradient flow through the mean (no ``.detach()``, no ``.item()``).
    """

    def forward(self, X):
        raise NotImplementedError(
            "CenteredLayer.forward: return X minus the mean of all of its entries"
        )


class MyLinear(nn.Module):
    """A fully connected layer written by hand: ``forward(X) == X @ weight + bias``.

    * ``weight``: an ``nn.Parameter`` of shape ``(in_units, units)`` drawn from N(0, 1)
      (``torch.randn``);
    * ``bias``: an ``nn.Parameter`` of shape ``(units,)``, also drawn from N(0, 1).

    ``X`` has shape ``(…, in_units)``: any number of leading batch dimensions.
    Purely affine: unlike the book's version, *no* ReLU inside (put an
    ``nn.ReLU()`` after the layer where you want one), and no ``.data``.
    """

    def __init__(self, in_units, units):
        super().__init__()
        # TODO: register self.weight and self.bias as nn.Parameter

    def forward(self, X):
        raise NotImplementedError(
            "MyLinear.forward: the affine map of X by the weight and the bias "
            "(register both as nn.Parameter in __init__ first)"
        )
