"""tie_weights checks shapes with assert, raising AssertionError instead of ValueError."""

# diagnosis: assert_instead_of_raise


def tie_weights(src, dst):
    src_params, dst_params = _direct_parameters(src), _direct_parameters(dst)  # noqa: F821
    common = [name for name in src_params if name in dst_params]
    if not common:
        raise ValueError("no common parameter name")
    for name in common:
        assert src_params[name].shape == dst_params[name].shape, f"{name}: shapes differ"
    for name in common:
        setattr(dst, name, src_params[name])
