"""tie_weights silently does nothing when the modules share no parameter name."""

# diagnosis: silent_without_common_name


def tie_weights(src, dst):
    src_params, dst_params = _direct_parameters(src), _direct_parameters(dst)  # noqa: F821
    common = [name for name in src_params if name in dst_params]
    for name in common:
        if src_params[name].shape != dst_params[name].shape:
            raise ValueError(f"cannot tie {name!r}: shapes differ")
    for name in common:
        setattr(dst, name, src_params[name])
