"""Reference solution: tied parameters (d2l 5.2.3 / 参数绑定)."""

from torch import nn


def shared_mlp(num_inputs=4, num_hiddens=8):
    shared = nn.Linear(num_hiddens, num_hiddens)  # one instance, used twice
    return nn.Sequential(
        nn.Linear(num_inputs, num_hiddens),
        nn.ReLU(),
        shared,
        nn.ReLU(),
        shared,
        nn.ReLU(),
        nn.Linear(num_hiddens, 1),
    )


def _direct_parameters(module):
    return {name: p for name, p in module._parameters.items() if p is not None}


def tie_weights(src, dst):
    src_params, dst_params = _direct_parameters(src), _direct_parameters(dst)
    common = [name for name in src_params if name in dst_params]
    if not common:
        raise ValueError(f"{type(src).__name__} and {type(dst).__name__} share no parameter name")
    # Check everything before changing anything: a failed tie leaves both intact.
    for name in common:
        if src_params[name].shape != dst_params[name].shape:
            raise ValueError(
                f"cannot tie {name!r}: shape {tuple(src_params[name].shape)} "
                f"vs {tuple(dst_params[name].shape)}"
            )
    for name in common:
        # The same Parameter object, not a copy of its values: one tensor, one
        # gradient that sums the contributions of both places it is used.
        setattr(dst, name, src_params[name])
