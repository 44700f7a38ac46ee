"""One routine that compares an array with the expected one and says how they differ.

Modelled on ``torch.testing.assert_close``: a mismatch report states the shapes, the
number of mismatched elements, and the greatest absolute and relative differences with
their index. Works on plain numpy arrays, so it never touches student objects.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Tolerance:
    rtol: float = 1e-4
    atol: float = 1e-5


def _index(flat_index: int, shape: tuple[int, ...]) -> tuple[int, ...]:
    return tuple(int(i) for i in np.unravel_index(flat_index, shape)) if shape else ()


def _fmt(x: float) -> str:
    return f"{x:.6g}"


def describe_nonfinite(actual: np.ndarray, expected: np.ndarray) -> str | None:
    """Name NaN/inf values that appear where the expected array is finite."""
    bad = ~np.isfinite(actual) & np.isfinite(expected)
    if not bad.any():
        return None
    n_nan = int(np.isnan(actual[bad]).sum())
    n_inf = int(bad.sum()) - n_nan
    parts = [f"{n} {name}" for n, name in ((n_nan, "NaN"), (n_inf, "inf")) if n]
    first = _index(int(np.flatnonzero(bad)[0]), actual.shape)
    return (f"contains {' and '.join(parts)} value(s) where finite values are expected "
            f"(first at index {first}); look for log(0), exp overflow or division by zero")


def mismatch(actual: np.ndarray, expected: np.ndarray, tol: Tolerance, *,
             reveal: bool = True) -> str | None:
    """Return None when ``actual`` is close to ``expected`` (same shape), else a report.

    ``reveal=False`` keeps expected values (and differences, which would give them away)
    out of the report: hidden tests state only how many elements are off.
    """
    if actual.shape != expected.shape:
        return f"shape {tuple(actual.shape)}, expected {tuple(expected.shape)}"
    actual = actual.astype(np.float64, copy=False)
    expected = expected.astype(np.float64, copy=False)
    close = np.isclose(actual, expected, rtol=tol.rtol, atol=tol.atol, equal_nan=True)
    if close.all():
        return None
    total = close.size
    n_bad = int(total - close.sum())
    lines = [f"Mismatched elements: {n_bad} / {total} ({100.0 * n_bad / total:.1f}%)"]
    if not reveal:
        return "\n".join(lines)
    with np.errstate(invalid="ignore", divide="ignore"):
        abs_diff = np.abs(actual - expected)
        rel_diff = abs_diff / np.abs(expected)
    abs_diff = np.where(close, 0.0, np.nan_to_num(abs_diff, nan=np.inf))
    rel_diff = np.where(close, 0.0, np.nan_to_num(rel_diff, nan=np.inf))
    i_abs = int(np.argmax(abs_diff))
    i_rel = int(np.argmax(rel_diff))
    at = _index(i_abs, actual.shape)
    lines += [
        f"Greatest absolute difference: {_fmt(abs_diff.flat[i_abs])} at index {at} "
        f"(up to {tol.atol:g} allowed)",
        f"Greatest relative difference: {_fmt(rel_diff.flat[i_rel])} at index "
        f"{_index(i_rel, actual.shape)} (up to {tol.rtol:g} allowed)",
        f"At index {at}: got {_fmt(actual.flat[i_abs])}, expected {_fmt(expected.flat[i_abs])}",
    ]
    return "\n".join(lines)


def relation(actual: np.ndarray, expected: np.ndarray, tol: Tolerance) -> str | None:
    """A simple relation between wrong values and the expected ones, if there is one.

    Names the usual culprits: a flipped sign, a constant factor (a sum instead of a mean, a
    missing 0.5) or a constant offset (a missing constant term such as log(2 pi)).
    """
    actual = actual.astype(np.float64).ravel()
    expected = expected.astype(np.float64).ravel()
    if np.abs(expected).max(initial=0.0) > tol.atol and np.allclose(actual, -expected, tol.rtol, tol.atol):
        return "every value has the opposite sign"
    if actual.size < 2:
        return None
    if np.all(np.abs(expected) > tol.atol):
        factor = float(np.median(actual / expected))
        if abs(factor - 1) > tol.rtol and np.allclose(actual, factor * expected, tol.rtol, tol.atol):
            return (f"every value is {factor:.4g} times the expected one "
                    "(a sum instead of a mean, or a missing constant factor?)")
    offset = float(np.median(actual - expected))
    if abs(offset) > tol.atol and np.allclose(actual, expected + offset, tol.rtol, tol.atol):
        return f"every value is off by the same constant {offset:.4g} (a missing constant term?)"
    return None
