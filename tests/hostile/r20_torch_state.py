"""Row 20: torch global state changed at import, meant to leak into the tests and into
the next module or submission (default dtype, grad mode, seeds)."""
import torch

torch.set_default_dtype(torch.float64)
torch.set_grad_enabled(False)
torch.manual_seed(0)
