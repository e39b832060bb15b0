"""Exercise 2: parameter management (参数管理, d2l 5.2 "Parameter Management").

A model's *parameters* (参数) are the ``nn.Parameter`` tensors its modules register.
This exercise is about reaching them and giving them their starting values.

* **Parameter access** (参数访问): ``net.named_parameters()`` walks the module tree
  and yields ``(name, Parameter)`` pairs; ``net.state_dict()`` holds the same
  tensors *plus* the buffers (缓冲区, e.g. BatchNorm's running statistics), which
  are saved with the model but never trained. ``parameters()`` yields a Parameter
  shared by two modules only once.
* **Nested blocks** (嵌套块): a name such as ``0.block1.2.weight`` is the path from
  the outer net down to the tensor: child ``0``, its child ``block1``, its child
  ``2``, attribute ``weight``. ``add_module(name, module)`` chooses the name of a
  step; ``nn.Sequential(a, b)`` numbers them ``0``, ``1``, ….
* **Initialisation** (参数初始化): ``net.apply(fn)`` calls ``fn(m)`` on every module
  ``m`` of the tree (containers included), so an initialiser checks which kind of
  module it was given. The ``nn.init`` functions (内置初始化, built-in
  initialisation) end in ``_`` because they write the new values *into* the
  existing tensor (in place, 原地) without recording the change for autograd. That
  matters: an optimiser made before the call holds the very same ``Parameter``
  objects, and they must stay leaves (叶子节点) that require gradients. Writing
  values yourself (自定义初始化, custom initialisation) needs the same care: change
  them in place under ``torch.no_grad()`` (or on ``.data``), never by assigning a
  new tensor or a new ``nn.Parameter``.

Run ``pytest exercises/02_parameters`` to check your work.
"""

# The book's code for these items uses torch, nn and F: all three are imported.
import torch
from torch import nn
from torch.nn import functional as F


def count_parameters(net, trainable_only=False):
    """The number of scalar entries in ``net``'s parameters, as a Python ``int``.

    * A Parameter that appears at several places (a shared layer, or two modules
      holding the same Parameter object) counts once.
    * Buffers (e.g. ``BatchNorm1d``'s ``running_mean``) are not parameters: never
      count them.
    * With ``trainable_only=True``, count only parameters with ``requires_grad``.

    Example: ``nn.Linear(4, 8)`` has 4 * 8 + 8 = 40.
    """
    raise NotImplementedError(
        "count_parameters: add up p.numel() over net.parameters() "
        "(only those with p.requires_grad when trainable_only)"
    )


def block1():
    """``nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 4), nn.ReLU())``.

    It maps (…, 4) to (…, 4).
    """
    raise NotImplementedError(
        "block1: return the nn.Sequential of Linear(4, 8), ReLU, Linear(8, 4), ReLU"
    )


def block2(num_blocks=4):
    """An ``nn.Sequential`` of ``num_blocks`` new ``block1()`` instances: (…, 4) -> (…, 4).

    The children are named ``block0``, ``block1``, … (no space: the book writes
    ``f'block {i}'``, the contract asks for ``f'block{i}'``). Start from an empty
    ``nn.Sequential()`` and register each block with ``add_module(name, block1())``;
    call ``block1()`` once per block, so that the blocks do not share parameters.
    """
    raise NotImplementedError(
        "block2: add num_blocks fresh block1() instances to an nn.Sequential() "
        "with add_module(f'block{i}', ...)"
    )


def rgnet():
    """``nn.Sequential(block2(), nn.Linear(4, 1))``: (…, 4) -> (…, 1).

    Its parameter names read ``0.block0.0.weight``, ``0.block0.0.bias``,
    ``0.block0.2.weight``, …, ``0.block3.2.bias``, ``1.weight``, ``1.bias``.
    """
    raise NotImplementedError(
        "rgnet: chain block2() and a linear layer from 4 features to 1 in an nn.Sequential"
    )


# The initialisers below are meant for ``net.apply(fn)``. Each acts on ``nn.Linear``
# modules only and returns without touching any other module (convolutions, norms,
# custom layers with a ``weight`` of their own). Each changes values in place: the
# same Parameter objects stay registered, still leaves with requires_grad=True.


def init_normal(m):
    """For an ``nn.Linear`` ``m``: weight ~ N(0, 0.01²), i.e. *standard deviation* 0.01; bias 0."""
    raise NotImplementedError(
        "init_normal: for nn.Linear, draw the weight from N(0, 0.01²) (standard deviation "
        "0.01) and set the bias to 0, in place, with nn.init's functions"
    )


def init_constant(m):
    """For an ``nn.Linear`` ``m``: every weight entry 1, every bias entry 0."""
    raise NotImplementedError(
        "init_constant: for nn.Linear, set every weight to 1 and the bias to 0, in place, "
        "with nn.init's functions"
    )


def init_xavier(m):
    """For an ``nn.Linear`` ``m``: weight ~ Xavier (Glorot) *uniform*; bias unchanged.

    Xavier uniform draws from U(-a, a) with a = sqrt(6 / (fan_in + fan_out)), so that
    the variance 2 / (fan_in + fan_out) keeps signals at the same scale forwards and
    backwards (d2l 4.8 数值稳定性和模型初始化).
    """
    raise NotImplementedError(
        "init_xavier: for nn.Linear, give the weight Xavier (Glorot) uniform values with nn.init"
    )


def init_42(m):
    """For an ``nn.Linear`` ``m``: every weight entry 42; bias unchanged."""
    raise NotImplementedError(
        "init_42: for nn.Linear, set every weight to 42, in place, with nn.init"
    )


def my_init(m):
    """For an ``nn.Linear`` ``m``: weight ~ U(-10, 10), then entries with |w| < 5 set to 0.

    Entries with absolute value 5 or more keep their value; the bias is unchanged.
    Draw with ``nn.init.uniform_``, then zero the small entries in place inside
    ``with torch.no_grad():`` (autograd refuses, or records, an in-place change of a
    leaf that requires gradients).
    """
    raise NotImplementedError(
        "my_init: for nn.Linear, draw the weight from U(-10, 10), then zero (in place, "
        "under torch.no_grad()) every entry with absolute value below 5"
    )
