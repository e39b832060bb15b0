"""Exercise 3: tied parameters (参数绑定, d2l 5.2.3 "Tied Parameters").

Sometimes two places of a model should use *the same* parameters (共享参数, shared
parameters): the same layer applied twice, or a language model whose output layer
reuses the embedding matrix. In PyTorch, sharing means holding the very same
``nn.Parameter`` *object*, not a copy of its values:

* **A layer used twice** (共享层): build one ``nn.Linear`` and put that one instance
  at two positions of an ``nn.Sequential``. ``net[2] is net[4]``; changing one
  changes "both", because there is only one.
* **Gradients add up** (梯度累加): during backpropagation each use of a shared
  parameter contributes its gradient, and autograd sums them into the one
  ``.grad``. An optimiser step then moves every use together.
* **A copy is not a tie**: ``copy.deepcopy(layer)``, ``nn.Parameter(w.clone())``
  or ``dst.weight.data.copy_(src.weight)`` give equal values today, but two
  tensors that train apart from the next step on.

``parameters()`` and ``named_parameters()`` yield a shared Parameter once;
``state_dict()`` lists it under each of its names.

Run ``pytest exercises/03_sharing`` to check your work.
"""

# The book's code for these items uses torch, nn and F: all three are imported.
import torch
from torch import nn
from torch.nn import functional as F


def shared_mlp(num_inputs=4, num_hiddens=8):
    """An MLP whose middle layer is used twice: (…, num_inputs) -> (…, 1).

    ``nn.Sequential(nn.Linear(num_inputs, num_hiddens), nn.ReLU(), shared, nn.ReLU(),
    shared, nn.ReLU(), nn.Linear(num_hiddens, 1))``, where ``shared`` is *one*
    ``nn.Linear(num_hiddens, num_hiddens)`` instance: ``net[2] is net[4]``.
    """
    raise NotImplementedError(
        "shared_mlp: build one nn.Linear(num_hiddens, num_hiddens) and put that same "
        "instance at positions 2 and 4 of the nn.Sequential"
    )


def tie_weights(src, dst):
    """Make ``dst`` use ``src``'s parameters: afterwards they are the same objects. Returns None.

    For every parameter name that ``src`` and ``dst`` both hold *directly* (their own
    ``weight``, ``bias``, …, not those of their children: ``named_parameters(recurse=False)``),
    ``dst`` afterwards holds the very same ``Parameter`` object as ``src``
    (``setattr(dst, name, p)`` registers it). ``src`` is not changed; names only one
    of them holds are left alone.

    Raises ``ValueError`` if
    * two parameters with a common name differ in shape (the message names that
      parameter, e.g. ``'bias'``), or
    * the two modules hold no parameter name in common.
    In both cases neither module is changed: check everything before you tie anything.
    """
    raise NotImplementedError(
        "tie_weights: for each name in both modules' named_parameters(recurse=False), "
        "setattr(dst, name, the src Parameter) after checking every shape"
    )
