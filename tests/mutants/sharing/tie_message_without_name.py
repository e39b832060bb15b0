"""tie_weights raises a ValueError on a shape mismatch that does not say which parameter."""

# diagnosis: message_without_name


def tie_weights(src, dst):
    src_params, dst_params = _direct_parameters(src), _direct_parameters(dst)  # noqa: F821
    common = [name for name in src_params if name in dst_params]
    if not common:
        raise ValueError("no common parameter name")
    for name in common:
        if src_params[name].shape != dst_params[name].shape:
            raise ValueError("the shapes of the two modules differ")
    for name in common:
        setattr(dst, name, src_params[name])
