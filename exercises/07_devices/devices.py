"""Exercise 7: devices (设备, d2l 5.6 "GPUs").

Every tensor lives on a *device* (设备): the CPU (``cpu``) or one of the GPUs
(``cuda:0``, ``cuda:1``, …). Operations need their operands on the same device, so a
model and its data have to be moved together: ``tensor.to(device)`` returns a copy on
that device, while ``module.to(device)`` moves the module's parameters and buffers *in
place* and returns the module itself. A tensor kept as a plain attribute of a module
(not a parameter, not a buffer) is not moved: that is why constants are registered as
buffers (缓冲区).

Code that must run on machines with and without GPUs asks at run time how many there
are (``torch.cuda.device_count()``) and falls back to the CPU: the book's ``try_gpu``
and ``try_all_gpus`` do exactly that. Return ``torch.device`` objects, not strings:
``torch.device("cpu") == "cpu"`` is ``False``.

There is probably no GPU on your machine: the tests simulate 0 to 8 GPUs and use the
``meta`` device (tensors with a shape and a dtype but no data) to check that
everything moves. Run ``pytest exercises/07_devices`` to check your work.
"""

# The book's code for these items uses torch, nn and F: all three are imported.
import torch
from torch import nn
from torch.nn import functional as F


def num_gpus():
    """The number of CUDA devices, as an ``int`` (0 on a machine without GPUs)."""
    raise NotImplementedError("num_gpus: return how many CUDA devices torch can see")


def try_gpu(i=0):
    """``torch.device(f"cuda:{i}")`` if GPU number ``i`` exists, else ``torch.device("cpu")``.

    GPUs are numbered from 0, so GPU ``i`` exists when there are at least ``i + 1``.
    Always a ``torch.device``, never a string.
    """
    raise NotImplementedError("try_gpu: return torch.device('cuda:i') if it exists, else cpu")


def try_all_gpus():
    """A list of ``torch.device`` for every CUDA device, or ``[torch.device("cpu")]``."""
    raise NotImplementedError("try_all_gpus: list every cuda device, or [cpu] when there is none")


def to_device(obj, device):
    """Return ``obj`` with every tensor moved to ``device``.

    * a tensor: moved (``.to(device)``);
    * an ``nn.Module``: moved with all its parameters and buffers, and the *same*
      module object returned;
    * a list, tuple, named tuple or dict (also ``OrderedDict``): rebuilt with the *same
      type*, the same order (and keys), each element converted recursively;
    * anything else (numbers, strings, ``None``…): returned unchanged.

    ``device`` may be a ``torch.device`` or a string such as ``"cpu"`` or ``"meta"``.
    """
    raise NotImplementedError(
        "to_device: move tensors and modules, recurse into lists, tuples and dicts"
    )
