"""The small bundled 28x28 digit set (scikit-learn's 8x8 digits, upsampled).

One file serves two uses: binarized images for the VAE and [-1, 1] images with labels for
the GANs. ``binarize`` and ``scale_to_symmetric`` apply the same conversions to uint8 images
from elsewhere (e.g. MNIST read by ``load_mnist_idx``).
"""

from pathlib import Path

import numpy as np

from .paths import DATA_DIR

DIGITS_FILE = Path("digits28.npz")
DIGITS_SPLITS = ("train", "val")


def load_digits_uint8(split: str) -> tuple[np.ndarray, np.ndarray]:
    """uint8 images (N, 1, 28, 28) in 0..255 and int64 labels (N,) of a bundled split."""
    if split not in DIGITS_SPLITS:
        raise ValueError(f"unknown split {split!r}; expected one of {DIGITS_SPLITS}")
    with np.load(DATA_DIR / DIGITS_FILE) as archive:
        return archive[f"{split}_images"], archive[f"{split}_labels"]


def binarize(images: np.ndarray) -> np.ndarray:
    """float32 {0, 1} version of uint8 images: a pixel is 1 when its intensity is >= 128."""
    return (images >= 128).astype(np.float32)


def scale_to_symmetric(images: np.ndarray) -> np.ndarray:
    """float32 version of uint8 images mapped linearly from 0..255 to [-1, 1]."""
    return images.astype(np.float32) / 127.5 - 1.0


def load_digits_binarized(split: str) -> np.ndarray:
    """Binarized bundled digits of ``split`` ("train" or "val"), float32 {0, 1} (N, 1, 28, 28)."""
    images, _ = load_digits_uint8(split)
    return binarize(images)


def load_images(split: str) -> tuple[np.ndarray, np.ndarray]:
    """Bundled digits of ``split`` as float32 (N, 1, 28, 28) in [-1, 1] and int64 labels (N,)."""
    images, labels = load_digits_uint8(split)
    return scale_to_symmetric(images), labels
