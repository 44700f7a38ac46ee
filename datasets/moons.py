"""Two-moons data for the MAF part of ``flows_gans``."""

import numpy as np

MOONS_SIZE = 30_000
MOONS_NOISE = 0.05
TRAIN_SIZE, VAL_SIZE, TEST_SIZE = 24_000, 3_000, 3_000


def two_moons(n: int = MOONS_SIZE, noise: float = MOONS_NOISE, seed: int = 0) -> np.ndarray:
    """Shuffled, standardized two-moons points, float32 of shape (n, 2).

    Same construction as scikit-learn's ``make_moons``: ``n // 2`` points evenly spaced on
    the upper unit half-circle, the rest on the lower half-circle shifted by (1, -0.5),
    Gaussian noise of standard deviation ``noise``. Each coordinate is then standardized
    (mean 0, standard deviation 1 over the n points).
    """
    rng = np.random.default_rng(seed)
    n_outer = n // 2
    n_inner = n - n_outer
    outer = np.linspace(0.0, np.pi, n_outer)
    inner = np.linspace(0.0, np.pi, n_inner)
    points = np.concatenate(
        [
            np.stack([np.cos(outer), np.sin(outer)], axis=1),
            np.stack([1.0 - np.cos(inner), 0.5 - np.sin(inner)], axis=1),
        ]
    )
    points += noise * rng.standard_normal(points.shape)
    points = points[rng.permutation(n)]
    points = (points - points.mean(axis=0)) / points.std(axis=0)
    return points.astype(np.float32)


def moons_splits(seed: int = 0) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(train, val, test) of 24k / 3k / 3k consecutive rows of ``two_moons(seed=seed)``."""
    points = two_moons(seed=seed)
    train, val, test = np.split(points, [TRAIN_SIZE, TRAIN_SIZE + VAL_SIZE])
    return train, val, test
