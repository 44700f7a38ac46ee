"""The planar-flow target densities of ``vae_gan_planar`` and exact samples of them.

``energy_arcs`` and ``energy_sine`` are U1 and U2 of Rezende & Mohamed (2015); the density
is p(z) proportional to exp(-U(z)). U2 does not confine z1 (its mass is infinite on the
plane), so the "sine" density is taken on the usual plotting window |z1| <= 4.
"""

from collections.abc import Callable
from pathlib import Path

import numpy as np

from .paths import DATA_DIR

RING_RADIUS, RING_WIDTH = 2.0, 0.4
BUMP_CENTER, BUMP_WIDTH = 2.0, 0.6
SINE_PERIOD, SINE_WIDTH = 4.0, 0.4
SINE_Z1_LIMIT = 4.0
ARCS_PROPOSAL_STD = 1.5


def energy_arcs(z: np.ndarray) -> np.ndarray:
    """U1 of (B, 2) points, shape (B,): a ring of radius 2 cut by two bumps at z1 = +-2."""
    ring = 0.5 * ((np.linalg.norm(z, axis=1) - RING_RADIUS) / RING_WIDTH) ** 2
    bumps = np.logaddexp(
        -0.5 * ((z[:, 0] - BUMP_CENTER) / BUMP_WIDTH) ** 2,
        -0.5 * ((z[:, 0] + BUMP_CENTER) / BUMP_WIDTH) ** 2,
    )
    return ring - bumps


def energy_sine(z: np.ndarray) -> np.ndarray:
    """U2 of (B, 2) points, shape (B,): a band around z2 = sin(2 pi z1 / 4)."""
    return 0.5 * ((z[:, 1] - np.sin(2 * np.pi * z[:, 0] / SINE_PERIOD)) / SINE_WIDTH) ** 2


def _arcs_log_envelope(std: float) -> float:
    """log M with exp(-U1(z)) <= M N(z; 0, std^2 I) for every z (requires std > RING_WIDTH).

    The bump term is at most 1 + exp(-0.5 (BUMP_CENTER / BUMP_WIDTH)^2), since one of the two
    Gaussians is always at least BUMP_CENTER away from its centre. What is left depends on
    r = |z| only, -(r - R)^2 / (2 w^2) + r^2 / (2 std^2), and is maximal at
    r = R std^2 / (std^2 - w^2).
    """
    bumps = np.log1p(np.exp(-0.5 * (BUMP_CENTER / BUMP_WIDTH) ** 2))
    r = RING_RADIUS * std**2 / (std**2 - RING_WIDTH**2)
    radial = -0.5 * ((r - RING_RADIUS) / RING_WIDTH) ** 2 + 0.5 * (r / std) ** 2
    return float(bumps + np.log(2 * np.pi * std**2) + radial)


def sample_arcs(n: int, seed: int) -> np.ndarray:
    """n exact samples of exp(-U1), float32 (n, 2), by rejection from N(0, 1.5^2 I)."""
    rng = np.random.default_rng(seed)
    log_envelope = _arcs_log_envelope(ARCS_PROPOSAL_STD)
    accepted: list[np.ndarray] = []
    while sum(len(batch) for batch in accepted) < n:
        z = ARCS_PROPOSAL_STD * rng.standard_normal((8 * n, 2))
        log_proposal = -0.5 * (z**2).sum(axis=1) / ARCS_PROPOSAL_STD**2 - np.log(
            2 * np.pi * ARCS_PROPOSAL_STD**2
        )
        log_ratio = -energy_arcs(z) - log_proposal - log_envelope
        accepted.append(z[np.log(rng.uniform(size=len(z))) < log_ratio])
    return np.concatenate(accepted)[:n].astype(np.float32)


def sample_sine(n: int, seed: int) -> np.ndarray:
    """n exact samples of exp(-U2) on |z1| <= 4, float32 (n, 2).

    Under that density z1 is uniform on the window and z2 | z1 is N(sin(2 pi z1 / 4), 0.4^2).
    """
    rng = np.random.default_rng(seed)
    z1 = rng.uniform(-SINE_Z1_LIMIT, SINE_Z1_LIMIT, size=n)
    z2 = np.sin(2 * np.pi * z1 / SINE_PERIOD) + SINE_WIDTH * rng.standard_normal(n)
    return np.stack([z1, z2], axis=1).astype(np.float32)


PLANAR_SAMPLERS: dict[str, Callable[[int, int], np.ndarray]] = {
    "arcs": sample_arcs,
    "sine": sample_sine,
}


def planar_file(name: str) -> Path:
    """Path of the shipped samples of density ``name``, relative to the package directory."""
    if name not in PLANAR_SAMPLERS:
        known = list(PLANAR_SAMPLERS)
        raise ValueError(f"unknown planar dataset {name!r}; expected one of {known}")
    return Path("planar") / f"{name}.npy"


def load_planar(name: str) -> np.ndarray:
    """The shipped 5000 x 2 float32 samples ``data_arcs`` / ``data_sine`` ("arcs" or "sine")."""
    return np.load(DATA_DIR / planar_file(name))
