"""Exercise 6: reading and writing files (读写文件, d2l 5.5 "File I/O").

Training takes hours; you want to keep what it produced. PyTorch writes tensors with
``torch.save(obj, path)`` and reads them back with ``torch.load(path)``. ``obj`` can
be one tensor (张量) or lists, tuples and dicts of tensors, nested as you like:
``torch.save`` stores the numbers with their dtype and shape, and the containers
around them through Python's ``pickle``.

That ``pickle`` is also the danger. Unpickling can *call any function* the file
names: a file from the internet can run code on your machine the moment you load
it. ``torch.load(path, weights_only=True)`` uses a restricted unpickler that only
rebuilds tensors and plain containers and refuses everything else with an error.
It is the default since torch 2.6, but an environment variable
(``TORCH_FORCE_NO_WEIGHTS_ONLY_LOAD=1``) can switch that default off behind your
back: write ``weights_only=True`` yourself.

For a model (模型), save its *parameters* (模型参数), not the model: the state dict
(``model.state_dict()``, an ordered dict from names such as ``hidden.weight`` to
tensors, buffers like BatchNorm's running statistics included). To load, build the
same architecture in code, then copy the values in with ``load_state_dict``, which
by default is *strict*: every name must match and every shape fit. A checkpoint
saved on a GPU remembers its device; ``map_location="cpu"`` brings it onto the CPU
even on a machine without one.

Run ``pytest exercises/06_file_io`` to check your work.
"""

# The book's code for these items uses torch, nn and F: all three are imported.
import torch
from torch import nn
from torch.nn import functional as F


def save_tensors(obj, path):
    """Write ``obj`` to the file ``path``: a tensor, or a list, tuple or dict of them.

    Containers may nest (a dict of lists of tensors, …); dict keys are strings or
    ints. ``load_tensors(path)`` must give back an equal object: same container
    types (a tuple stays a tuple, a dict stays a plain dict), same key order, and
    tensors of the same dtype, shape and values.
    """
    raise NotImplementedError("save_tensors: write obj to path with torch.save")


def load_tensors(path):
    """Read back what ``save_tensors`` wrote to ``path``, exactly as it was saved.

    Load with ``weights_only=True``, written out (do not rely on torch's default):
    a file that would run code when unpickled is then refused with an error, and
    nothing in it runs.
    """
    raise NotImplementedError(
        "load_tensors: read back what save_tensors wrote, letting torch.load unpickle tensors only"
    )


def save_params(model, path):
    """Write the parameters of ``model`` to ``path``: its ``state_dict()``, nothing else.

    Never the model object itself (``torch.save(model, …)`` pickles its class): the
    file must load with ``torch.load(path, weights_only=True)`` and hold exactly the
    keys of ``model.state_dict()``, buffers included.
    """
    raise NotImplementedError("save_params: torch.save the model's state_dict() to path")


def load_params(model, path):
    """Load the state dict in ``path`` into ``model`` and return ``model`` itself.

    Read the file with ``torch.load(path, map_location="cpu", weights_only=True)``
    (so a checkpoint from a GPU loads on any machine) and copy it in with
    ``model.load_state_dict(...)``, strictly: a missing key, an unexpected key or a
    tensor of the wrong shape raises an error. Return the same model object you were
    given (not ``None``, not a new model).
    """
    raise NotImplementedError(
        "load_params: load the state dict saved at path (onto the CPU, tensors only) into "
        "model, then return model"
    )
