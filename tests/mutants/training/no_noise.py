"""synthetic_data leaves out the noise: y lies exactly on the plane."""

# diagnosis: no_noise


def synthetic_data(w, b, num_examples):
    X = torch.normal(0.0, 1.0, (num_examples, len(w)), dtype=w.dtype)  # noqa: F821
    return X, (X @ w + b).reshape(-1, 1)
