"""synthetic_data draws X with torch.rand, uniform on [0, 1), not from N(0, 1)."""

# diagnosis: uniform_features


def synthetic_data(w, b, num_examples):
    X = torch.rand(num_examples, len(w), dtype=w.dtype)  # noqa: F821
    y = X @ w + b + torch.normal(0.0, 0.01, (num_examples,), dtype=w.dtype)  # noqa: F821
    return X, y.reshape(-1, 1)
