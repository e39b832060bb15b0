"""Row 18: a torch.Tensor subclass whose __torch_function__ says "equal" to every
comparison, returned by a wrong implementation."""
import torch

_COMPARISONS = {
    torch.allclose,
    torch.equal,
    torch.isclose,
    torch.Tensor.__eq__,
    torch.Tensor.eq,
    torch.Tensor.all,
    torch.Tensor.__bool__,
}


class Agreeable(torch.Tensor):
    @classmethod
    def __torch_function__(cls, func, types, args=(), kwargs=None):
        if func in _COMPARISONS:
            return True
        return super().__torch_function__(func, types, args, kwargs or {})


def double(x):
    return torch.zeros_like(x).as_subclass(Agreeable)  # wrong
