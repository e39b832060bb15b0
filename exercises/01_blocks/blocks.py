"""Exercise 1: layers and blocks (层和块, d2l 5.1 "Layers and Modules").

A *block* or *module* (块 / 模块, ``nn.Module``) is any piece of a network: one layer,
several layers, or the whole model. Every block has two jobs:

* **own its state**: assigning a module to an attribute (``self.hidden = nn.Linear(…)``)
  *registers* it as a child (子模块), so its parameters (参数) show up in
  ``parameters()``, ``state_dict()`` (状态字典) and move with ``.to(device)``;
* **compute**: ``forward`` (前向传播) maps inputs to outputs with ordinary Python:
  loops, ``if``, reusing a layer twice. Autograd (自动微分) records whatever runs.

PyTorch finds your parameters by walking registered children, never by reading your
attributes' values: a layer kept in a plain Python list is invisible to it. Constant
tensors that are not trained but belong to the model (here ``rand_weight``) are
registered as *buffers* (缓冲区) with ``register_buffer``: no gradient, no optimiser
update, yet saved in ``state_dict()`` and moved by ``.to(device)``.

Run ``pytest exercises/01_blocks`` to check your work.
"""

# The book's code for these items uses torch, nn and F: all three are imported.
import torch
from torch import nn
from torch.nn import functional as F


class MLP(nn.Module):
    """A multilayer perceptron with one hidden layer (多层感知机).

    * ``hidden``: ``nn.Linear(num_inputs, num_hiddens)``;
    * ``out``: ``nn.Linear(num_hiddens, num_outputs)``;
    * ``forward(X) == out(relu(hidden(X)))`` for ``X`` of shape ``(…, num_inputs)``.
    """

    def __init__(self, num_inputs=20, num_hiddens=256, num_outputs=10):
        super().__init__()
        # TODO: create self.hidden and self.out

    def forward(self, X):
        raise NotImplementedError(
            "MLP.forward: pass X through the hidden layer, a ReLU, then the output layer"
        )


class MySequential(nn.Module):
    """Your own ``nn.Sequential``, written on ``nn.Module`` directly.

    * ``__init__(*modules)`` registers each module as a child under the key
      ``str(index)`` ("0", "1", …): use ``self.add_module(str(idx), module)`` (or the
      book's ``self._modules[str(idx)] = module``). Then ``state_dict()`` has exactly
      the keys ``nn.Sequential(*modules)`` would have, and either state dict loads
      into the other.
    * ``forward(X)`` feeds ``X`` through the modules in the order given.
    * The same module instance may be given twice (shared weights): it must run at
      each of its positions. Careful: ``self.children()`` and ``self.modules()`` yield
      a repeated instance only once; ``self._modules.values()`` keeps every position.

    Not a subclass of ``nn.Sequential`` or ``nn.ModuleList``, and not a wrapper around
    one. Indexing and ``len()`` are not needed.
    """

    def __init__(self, *modules):
        super().__init__()
        # TODO: register every module under the key str(index)

    def forward(self, X):
        raise NotImplementedError(
            "MySequential.forward: run X through every registered module, in order"
        )


class FixedHiddenMLP(nn.Module):
    """A block with a constant weight, a reused layer and Python control flow.

    * ``linear``: one ``nn.Linear(num_features, num_features)``, used twice;
    * ``rand_weight``: a constant of shape ``(num_features, num_features)`` drawn from
      U[0, 1) (``torch.rand``), registered with ``register_buffer`` (a persistent
      buffer): not a parameter, never receives a gradient, moves with ``.to(device)``,
      saved in ``state_dict()``. ``parameters()`` yields only ``linear.weight`` and
      ``linear.bias``.
    * ``forward(X)``, for ``X`` of shape ``(…, num_features)``::

          X = linear(X)
          X = relu(X @ rand_weight + 1)
          X = linear(X)
          while X.abs().sum() > 1: X = X / 2
          return X.sum()              # a 0-d tensor, |value| <= 1

    Use ``X @ self.rand_weight`` (works with leading batch dimensions), not
    ``torch.mm`` (2-d only).
    """

    def __init__(self, num_features=20):
        super().__init__()
        # TODO: register the buffer rand_weight and create self.linear

    def forward(self, X):
        raise NotImplementedError(
            "FixedHiddenMLP.forward: linear, relu(X @ rand_weight + 1), linear, halve while "
            "the absolute sum is above 1, return the sum"
        )


class NestMLP(nn.Module):
    """Blocks inside blocks (块的嵌套).

    * ``net``: ``nn.Sequential(nn.Linear(20, 64), nn.ReLU(), nn.Linear(64, 32), nn.ReLU())``;
    * ``linear``: ``nn.Linear(32, 16)``;
    * ``forward(X) == linear(net(X))``: ``(…, 20)`` to ``(…, 16)``.
    """

    def __init__(self):
        super().__init__()
        # TODO: create self.net and self.linear

    def forward(self, X):
        raise NotImplementedError(
            "NestMLP.forward: feed X to the inner Sequential, then its output to the last "
            "linear layer"
        )


def chimera():
    """``nn.Sequential(NestMLP(), nn.Linear(16, 20), FixedHiddenMLP())``.

    Maps ``(…, 20)`` to a 0-d tensor: any mix of blocks composes.
    """
    raise NotImplementedError(
        "chimera: chain NestMLP(), nn.Linear(16, 20) and FixedHiddenMLP() in an nn.Sequential"
    )
