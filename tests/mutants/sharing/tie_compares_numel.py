"""tie_weights compares numel() instead of shapes, so a (2, 6) weight is tied to a (3, 4) one."""

# diagnosis: compares_numel


def tie_weights(src, dst):
    src_params, dst_params = _direct_parameters(src), _direct_parameters(dst)  # noqa: F821
    common = [name for name in src_params if name in dst_params]
    if not common:
        raise ValueError("no common parameter name")
    for name in common:
        if src_params[name].numel() != dst_params[name].numel():
            raise ValueError(f"cannot tie {name!r}: sizes differ")
    for name in common:
        setattr(dst, name, src_params[name])
