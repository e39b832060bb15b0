"""Row 21: one long call inside C (a huge matmul) that no signal can interrupt."""
import torch


def act():
    a = torch.ones(8000, 8000)
    (a @ a).sum()
