"""synthetic_data returns y of shape (num_examples,), not a column: net(X) - y would broadcast to a matrix."""

# diagnosis: labels_a_row


def synthetic_data(w, b, num_examples):
    X = torch.normal(0.0, 1.0, (num_examples, len(w)), dtype=w.dtype)  # noqa: F821
    return X, X @ w + b + torch.normal(0.0, 0.01, (num_examples,), dtype=w.dtype)  # noqa: F821
