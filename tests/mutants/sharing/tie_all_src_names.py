"""tie_weights gives dst every parameter of src, even names dst did not hold."""

# diagnosis: gives_dst_new_names


def tie_weights(src, dst):
    src_params, dst_params = _direct_parameters(src), _direct_parameters(dst)  # noqa: F821
    common = [name for name in src_params if name in dst_params]
    if not common:
        raise ValueError("no common parameter name")
    for name in common:
        if src_params[name].shape != dst_params[name].shape:
            raise ValueError(f"cannot tie {name!r}: shapes differ")
    for name, p in src_params.items():
        setattr(dst, name, p)
