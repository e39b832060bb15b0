"""Exercise 9: train your own layers (训练), after d2l 3.2-3.3 (线性回归的简洁实现).

The modules of this chapter do nothing useful until they are trained. Training
is a short loop that every model in the book reuses:

1. draw a minibatch (小批量) of examples;
2. compute the loss (损失), here the mean squared error (均方误差, ``nn.MSELoss``);
3. ``optimizer.zero_grad()``: ``backward()`` *adds* into ``.grad`` (梯度累加), so the
   gradients of the last step must be cleared first;
4. ``loss.backward()``: autograd (自动微分) fills ``p.grad`` for every parameter;
5. ``optimizer.step()``: stochastic gradient descent (随机梯度下降, SGD) changes each
   parameter *in place*, ``p -= lr * p.grad`` under ``torch.no_grad()``.

Why in place? The net, the optimiser and anyone else hold the *same* ``Parameter``
objects. ``p = p - lr * p.grad`` only rebinds a local name to a new tensor: the
model never changes.

Run ``pytest exercises/09_training`` to check your work.
"""

# The book's code for these items uses torch, nn and F: all three are imported.
import torch
from torch import nn
from torch.nn import functional as F


def synthetic_data(w, b, num_examples):
    """A linear regression data set with known answers, as in d2l: ``(X, y)``.

    * ``w``: a 1-D tensor of length ``d``; ``b``: a number or a 0-d tensor.
    * ``X``: shape ``(num_examples, d)``, entries drawn independently from N(0, 1)
      with torch's global generator (so ``torch.manual_seed`` makes it reproducible).
    * ``y = X @ w + b + noise``, noise drawn independently from N(0, 0.01²)
      (standard deviation 0.01), returned as a column of shape ``(num_examples, 1)``.
    * ``X`` and ``y`` have ``w``'s dtype.
    """
    raise NotImplementedError(
        "synthetic_data: draw X with torch.normal(0, 1, ...), return X and "
        "(X @ w + b + noise of std 0.01) reshaped to a column"
    )


def train(net, X, y, num_epochs=3, lr=0.03, batch_size=10):
    """Fit ``net`` to ``(X, y)`` by minibatch SGD on the mean squared error.

    * Put ``net`` in training mode (``net.train()``) and leave it there.
    * Each epoch (迭代周期) splits the ``len(X)`` examples into minibatches of
      ``batch_size`` (the last one may be smaller), each example in exactly one of
      them, shuffled or in order. For each minibatch ``(Xb, yb)``, one step:
      ``loss = ((net(Xb) - yb) ** 2).mean()`` (``nn.MSELoss()``), its gradient alone
      (clear the gradients first: none from an earlier step, or from before the
      call, may leak in), then ``p -= lr * p.grad`` for every parameter, in place
      (``torch.optim.SGD(net.parameters(), lr=lr)`` does exactly that). Call ``net``
      with gradients enabled only once per step, on its minibatch.
    * Return a ``list`` of ``num_epochs`` Python floats: for each epoch the mean
      squared error over its examples, each taken in the step that used it (before
      the update). When ``batch_size`` divides ``len(X)`` that is the mean of the
      epoch's minibatch losses. Not the loss of the last minibatch alone.
    """
    raise NotImplementedError(
        "train: loop over epochs and minibatches: loss, zero_grad, backward, step; "
        "return the mean loss of each epoch"
    )
