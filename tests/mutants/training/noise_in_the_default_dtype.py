"""synthetic_data draws the noise in the default dtype: y is promoted to float32 for a half-precision w."""

# diagnosis: noise_in_the_default_dtype

import torch


def synthetic_data(w, b, num_examples):
    X = torch.normal(0.0, 1.0, (num_examples, len(w)), dtype=w.dtype)
    y = X @ w + b + torch.normal(0.0, 0.01, (num_examples,))
    return X, y.reshape(-1, 1)
