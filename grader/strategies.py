"""Hypothesis strategies for the exercise tests: sizes, batch shapes, dtypes, tensors.

Values are bounded (|x| <= 100 by default): the exercises are about structure, and
float32 arithmetic on huge values (``X - X.mean()``) loses the precision a fair
comparison needs. Tolerances that remain are scaled with :func:`tolerance`.
"""

from __future__ import annotations

import torch
from hypothesis import strategies as st

FLOAT_DTYPES = (torch.float32, torch.float64)


def sizes(min_value: int = 1, max_value: int = 16) -> st.SearchStrategy[int]:
    return st.integers(min_value, max_value)


# Letters, a digit, a space, an accented and a CJK character: enough for keys and
# names to be any string, without ``st.text()``'s full Unicode alphabet, whose
# character tables cost about a second in every fresh (or forked) process.
TEXT_ALPHABET = "abxyz_0 é中"


def texts(max_size: int = 4) -> st.SearchStrategy[str]:
    """Short strings (possibly empty) for dictionary keys and plain values."""
    return st.text(TEXT_ALPHABET, max_size=max_size)


def float_dtypes() -> st.SearchStrategy[torch.dtype]:
    return st.sampled_from(FLOAT_DTYPES)


def leading_dims(max_dims: int = 3, max_side: int = 4) -> st.SearchStrategy[tuple[int, ...]]:
    """Batch dimensions ``(…)`` in front of a feature dimension: possibly none, possibly 0."""
    return st.lists(st.integers(0, max_side), max_size=max_dims).map(tuple)


def batch_shapes(features: int, max_dims: int = 3) -> st.SearchStrategy[tuple[int, ...]]:
    """Shapes ``(…, features)`` with at least one leading (batch) dimension."""
    return st.lists(st.integers(1, 4), min_size=1, max_size=max_dims).map(
        lambda lead: (*lead, features)
    )


@st.composite
def tensors(
    draw,
    shape: tuple[int, ...] | st.SearchStrategy[tuple[int, ...]],
    dtype: torch.dtype | st.SearchStrategy[torch.dtype] = torch.float32,
    bound: float = 100.0,
) -> torch.Tensor:
    """A tensor of the given (or drawn) shape and dtype, elements drawn in [-bound, bound].

    Elements come from a seeded torch generator plus a few drawn special values
    (0, ±bound), so large tensors stay cheap to generate and still reproducible.
    """
    if isinstance(shape, st.SearchStrategy):
        shape = draw(shape)
    if isinstance(dtype, st.SearchStrategy):
        dtype = draw(dtype)
    seed = draw(st.integers(0, 2**31 - 1))
    scale = draw(st.sampled_from([1.0, bound]))
    gen = torch.Generator().manual_seed(seed)
    x = (torch.rand(shape, generator=gen, dtype=torch.float64) * 2 - 1) * scale
    if x.numel():
        specials = draw(st.lists(st.sampled_from([0.0, bound, -bound]), max_size=3))
        flat = x.view(-1)
        for i, v in enumerate(specials[: flat.numel()]):
            flat[i] = v
    return x.to(dtype)


def tolerance(x: torch.Tensor, terms: int = 1) -> float:
    """An absolute tolerance for sums of ``terms`` products of values like ``x``.

    ``max|x| * eps * terms`` (with a floor of a few eps): the error float arithmetic
    can make, never a fixed tiny atol that large values would break.
    """
    eps = torch.finfo(x.dtype).eps
    big = float(x.abs().max()) if x.numel() else 1.0
    return 8 * eps * max(big, 1.0) * max(terms, 1)
