"""synthetic_data with torch.randn, torch.matmul and the noise added in place, y made a column with unsqueeze."""


def synthetic_data(w, b, num_examples):
    X = torch.randn(num_examples, w.shape[0], dtype=w.dtype)  # noqa: F821
    y = torch.matmul(X, w) + b  # noqa: F821
    y += 0.01 * torch.randn_like(y)  # noqa: F821
    return X, y.unsqueeze(1)
