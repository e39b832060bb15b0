"""synthetic_data calls torch.manual_seed(0) itself, so every call returns the same data."""

# diagnosis: reseeds_inside

_synthetic_data = synthetic_data  # noqa: F821


def synthetic_data(w, b, num_examples):
    torch.manual_seed(0)  # noqa: F821
    return _synthetic_data(w, b, num_examples)
