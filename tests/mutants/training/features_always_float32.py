"""synthetic_data draws X in the default dtype and casts y, ignoring w's dtype for X."""

# diagnosis: features_in_the_default_dtype


def synthetic_data(w, b, num_examples):
    X = torch.normal(0.0, 1.0, (num_examples, len(w)))  # noqa: F821
    y = X.to(w.dtype) @ w + b + torch.normal(0.0, 0.01, (num_examples,), dtype=w.dtype)  # noqa: F821
    return X, y.reshape(-1, 1)
