"""synthetic_data passes the variance 0.01 where torch.normal wants the standard deviation: the noise is 10 times too big."""

# diagnosis: noise_std_0_1


def synthetic_data(w, b, num_examples):
    X = torch.normal(0.0, 1.0, (num_examples, len(w)), dtype=w.dtype)  # noqa: F821
    y = X @ w + b + torch.normal(0.0, 0.1, (num_examples,), dtype=w.dtype)  # noqa: F821
    return X, y.reshape(-1, 1)
