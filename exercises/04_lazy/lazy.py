"""Exercise 4: lazy initialisation (延后初始化 deferred initialization, d2l 5.3).

So far every layer was told its input size: ``nn.Linear(20, 256)``. Often you do
not know it, or do not want to work it out by hand (the width after a stack of
convolutions, say). A *lazy* layer (惰性层) such as ``nn.LazyLinear(256)`` only
takes its output size; its ``weight`` and ``bias`` start as placeholders,
``UninitializedParameter`` objects with no shape and no values
(``torch.nn.parameter.is_lazy(p)`` is true). The *first forward pass* (前向传播)
reads the input's last dimension, gives the parameters their shapes
(``(256, in_features)`` and ``(256,)``), initialises them, and turns the layer into
a plain ``nn.Linear``. This is what the book calls 延后初始化: the framework
*infers* the shapes (参数形状推断) from the data.

Why PyTorch makes you run a batch first: until the shapes exist there is nothing to
count, print, initialise, copy to a device or hand to an optimiser. So the usual
recipe is to *materialise* the net right after building it, with one dummy batch
(虚拟输入) of the right width. That pass is a shape probe, not training: run it under
``torch.no_grad()`` so that no computational graph (计算图) is recorded. (Not under
``torch.inference_mode()``: parameters created there can never be trained.)

Run ``pytest exercises/04_lazy`` to check your work.
"""

# The book's code for these items uses torch, nn and F: all three are imported.
import torch
from torch import nn
from torch.nn import functional as F


def lazy_mlp(num_hiddens=256, num_outputs=10):
    """The book's MLP with its input size left open.

    Return ``nn.Sequential(nn.LazyLinear(num_hiddens), nn.ReLU(),
    nn.LazyLinear(num_outputs))``: three modules in this order, no input size given
    anywhere. Its parameters are uninitialised (lazy) until the first forward pass;
    then it maps a batch of shape ``(…, num_inputs)``, for any ``num_inputs``, to
    ``(…, num_outputs)``.
    """
    raise NotImplementedError(
        "lazy_mlp: an nn.Sequential of a lazy linear layer with num_hiddens outputs, a ReLU "
        "and a lazy linear layer with num_outputs outputs (no input size anywhere)"
    )


def materialize(net, num_inputs):
    """Give every lazy parameter of ``net`` its shape, and return ``net`` itself.

    Run exactly one forward pass of ``net`` on a dummy batch of shape
    ``(1, num_inputs)`` (one example with ``num_inputs`` features, e.g.
    ``torch.zeros(1, num_inputs)``) inside ``with torch.no_grad():``, and return the
    same ``net`` object (not the output, not a copy). Afterwards no parameter is
    lazy: for ``lazy_mlp(h, o)`` the weights have shapes ``(h, num_inputs)`` and
    ``(o, h)``. No parameter gets a ``.grad``, and the net can be trained as usual.
    It works for any net whose first layer takes ``(…, num_inputs)`` batches, e.g.
    ``nn.Sequential(nn.LazyLinear(8), nn.Linear(8, 2))``.

    The dummy batch has the dtype and the device of the net's parameters (lazy ones
    have both, even before their shape is known), so a lazy net moved with
    ``.to(torch.float64)`` or ``.to("cuda")`` is materialized there. A net with no
    parameters at all, such as ``nn.Sequential(nn.ReLU())``, gets a batch of the
    default dtype on the CPU and comes back unchanged.
    """
    raise NotImplementedError(
        "materialize: under torch.no_grad(), call net once on a dummy batch of shape "
        "(1, num_inputs) made like the net's parameters, then return net"
    )
