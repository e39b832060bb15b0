"""Exercise 8: containers and module state (容器与模块状态), beyond d2l chapter 5.

A module is found by PyTorch only if it is *registered* (注册): assigned to an
attribute of an ``nn.Module``, or held in one of the containers (容器) made for
it. A plain Python ``list`` or ``dict`` of layers looks the same to you, but
``parameters()``, ``state_dict()``, ``.to(device)`` and every optimiser walk only
registered modules, so its layers would never be trained, saved or moved.

* ``nn.ModuleList`` (模块列表): a list of modules, indexed and iterated like a list;
  keys ``layers.0``, ``layers.1``, … Use it when the number of layers is a variable.
* ``nn.ModuleDict`` (模块字典): modules under string keys, in insertion order.
* ``nn.Sequential`` (顺序块): a list that also *calls* its modules one after another.

A module also has *state* that is not learned:

* a **buffer** (缓冲区, ``register_buffer``): a tensor saved in ``state_dict()`` and
  moved by ``.to()``, but no parameter (参数): optimisers never touch it, and it gets
  no gradient. Batch norm's running mean and variance (移动平均) are buffers.
* the **mode** (模式): ``net.train()`` (训练模式) and ``net.eval()`` (评估/预测模式) set
  ``module.training`` on every submodule. Dropout (暂退法) and batch norm (批量规范化)
  behave differently in the two modes: predict in eval mode, train in train mode.

Run ``pytest exercises/08_containers`` to check your work.
"""

# The book's code for these items uses torch, nn and F: all three are imported.
import torch
from torch import nn
from torch.nn import functional as F


class LayerStack(nn.Module):
    """A multilayer perceptron whose depth is a parameter: ``LayerStack([4, 16, 16, 3])``.

    * ``layers``: an ``nn.ModuleList`` holding exactly the ``nn.Linear(widths[i],
      widths[i + 1])`` for ``i = 0, …, len(widths) - 2``, in that order, and nothing
      else (no activation modules), so the parameter names read ``layers.0.weight``,
      ``layers.0.bias``, ``layers.1.weight``, … ``widths`` has at least two entries.
    * ``forward(X)``, ``X`` of shape ``(…, widths[0])``: apply the layers in order with
      a ReLU after every layer *except the last* (the output layer has no
      activation); the result has shape ``(…, widths[-1])``.
    """

    def __init__(self, widths):
        super().__init__()
        # TODO: self.layers = an nn.ModuleList of the nn.Linear layers

    def forward(self, X):
        raise NotImplementedError(
            "LayerStack.forward: run X through self.layers, with F.relu after all but the last"
        )


class MultiTaskHead(nn.Module):
    """One linear output layer (head, 输出头) per task, all reading the same features.

    ``MultiTaskHead(16, {"digit": 10, "age": 1})``:

    * ``heads``: an ``nn.ModuleDict`` mapping each task name of ``task_sizes`` (a
      dict: task name -> output size), in the order given, to an
      ``nn.Linear(num_inputs, size)``; parameter names read ``heads.digit.weight``, …
    * ``forward(X)``, ``X`` of shape ``(…, num_inputs)``: a ``dict`` mapping each task,
      in the same order, to ``heads[task](X)``, of shape ``(…, size)``.
    """

    def __init__(self, num_inputs, task_sizes):
        super().__init__()
        # TODO: self.heads = an nn.ModuleDict of nn.Linear(num_inputs, size), one per task

    def forward(self, X):
        raise NotImplementedError(
            "MultiTaskHead.forward: return a dict mapping each task to self.heads[task](X)"
        )


class ResidualBlock(nn.Module):
    """A residual block (残差块) on vectors: ``forward(X) == relu(X + net(X))``.

    * ``net``: ``nn.Sequential(nn.Linear(n, n), nn.ReLU(), nn.Linear(n, n))`` with
      ``n = num_features``; the block has no other parameters.
    * ``forward(X)``, ``X`` of shape ``(…, n)``: add the input back (the skip
      connection, 跳跃连接) to ``net(X)``, *then* apply the ReLU. Same shape out.
    """

    def __init__(self, num_features):
        super().__init__()
        # TODO: self.net = nn.Sequential(Linear, ReLU, Linear), all num_features wide

    def forward(self, X):
        raise NotImplementedError(
            "ResidualBlock.forward: add X to the output of self.net, then apply a ReLU"
        )


class RunningMean(nn.Module):
    """Centres features with a running mean (移动平均) of the batches seen in training.

    The smallest module with batch norm's kind of state:

    * no parameters; two *persistent buffers*, registered with ``register_buffer``
      in this order: ``mean``, zeros of shape ``(num_features,)`` (default float
      dtype), and ``num_batches``, a 0-d ``torch.int64`` tensor, 0. ``state_dict()``
      holds exactly these two keys.
    * ``forward(X)``, ``X`` of shape ``(…, num_features)`` with at least one row
      (a single vector of shape ``(num_features,)`` is a batch of one):

      - in training mode (``self.training``), first update the buffers:
        ``mean = (1 - momentum) * mean + momentum * batch_mean``, where
        ``batch_mean`` is the mean of ``X`` over all its leading dimensions, and
        ``num_batches += 1``; record no gradient into them (``torch.no_grad()``):
        the buffers never get a ``grad_fn``;
      - in eval mode, leave both buffers unchanged;
      - in both modes return ``X - mean`` (in training mode, the mean just updated).
    """

    def __init__(self, num_features, momentum=0.1):
        super().__init__()
        self.momentum = momentum
        # TODO: register the buffers "mean" and "num_batches" (self.register_buffer)

    def forward(self, X):
        raise NotImplementedError(
            "RunningMean.forward: in training mode update mean and num_batches under "
            "torch.no_grad(); in both modes return X minus the stored mean"
        )


def predict(net, X):
    """``net(X)`` as a prediction: in eval mode, without recording gradients.

    * Switch ``net`` to eval mode, compute ``net(X)`` under ``torch.no_grad()``
      (the result has ``requires_grad == False``) and return it: dropout is off,
      and batch norm uses its running statistics without updating them.
    * Afterwards ``net`` is back in the mode it was in before the call
      (``net.train(was_training)``), *even if* ``net(X)`` raises (``try``/``finally``);
      the exception still reaches the caller.
    """
    raise NotImplementedError(
        "predict: remember net.training, call net.eval(), return net(X) under "
        "torch.no_grad(), and restore the mode in a finally block"
    )
