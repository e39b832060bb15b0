"""tie_weights looks at named_parameters() recursively instead of each module's own parameters."""

# diagnosis: recursive_names


def tie_weights(src, dst):
    src_params, dst_params = dict(src.named_parameters()), dict(dst.named_parameters())
    common = [name for name in src_params if name in dst_params]
    if not common:
        raise ValueError("no common parameter name")
    for name in common:
        if src_params[name].shape != dst_params[name].shape:
            raise ValueError(f"cannot tie {name!r}: shapes differ")
    for name in common:
        owner, _, attr = name.rpartition(".")
        setattr(dst.get_submodule(owner), attr, src_params[name])
