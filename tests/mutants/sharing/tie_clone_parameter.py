"""tie_weights gives dst nn.Parameter(src.weight.clone()): a new Parameter with equal values, trained apart."""

# diagnosis: new_parameter

from torch import nn


def tie_weights(src, dst):
    src_params, dst_params = _direct_parameters(src), _direct_parameters(dst)  # noqa: F821
    common = [name for name in src_params if name in dst_params]
    if not common:
        raise ValueError("no common parameter name")
    for name in common:
        if src_params[name].shape != dst_params[name].shape:
            raise ValueError(f"cannot tie {name!r}: shapes differ")
    for name in common:
        setattr(dst, name, nn.Parameter(src_params[name].detach().clone()))
