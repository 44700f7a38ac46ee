"""32x32 colour digits with labels: a small offline stand-in for SVHN.

Made by ``scripts/make_datasets.py`` from the bundled 28x28 digits: each digit is rescaled,
moved, and painted in one colour on a background of another, lit by a soft gradient. The
"train" images come from the digits' "train" split, the "test" images from their "val" split.
The file keeps what each image is painted from (the digit's coverage of every pixel, the two
colours, the gradient), which is a fifth of the size of the images; ``paint`` makes them
with element-wise arithmetic only, so the pixels are the same on every machine.
"""

from pathlib import Path

import numpy as np

from .paths import DATA_DIR

COLOUR_DIGITS_FILE = Path("colour_digits32.npz")
COLOUR_DIGITS_SPLITS = ("train", "test")


def paint(coverage: np.ndarray, colours: np.ndarray, gradient: np.ndarray) -> np.ndarray:
    """uint8 images (N, 3, H, W): ink where the digit covers a pixel, background elsewhere,
    mixed by the coverage (uint8 (N, H, W), 255 = all ink), times the lighting
    1 + gx * column + gy * row (positions from -0.5 to 0.5).

    ``colours`` is uint8 (N, 2, 3): RGB of the ink, then of the background; ``gradient`` is
    float32 (N, 2): (gx, gy).
    """
    alpha = (coverage.astype(np.float32) / 255)[:, None]
    ink, background = (colours[:, i, :, None, None].astype(np.float32) / 255 for i in (0, 1))
    column = np.linspace(-0.5, 0.5, coverage.shape[2], dtype=np.float32)
    row = np.linspace(-0.5, 0.5, coverage.shape[1], dtype=np.float32)
    gx, gy = (gradient[:, i, None, None, None] for i in (0, 1))
    light = 1 + gx * column[None, None, None, :] + gy * row[None, None, :, None]
    image = (background * (1 - alpha) + ink * alpha) * light
    return np.rint(np.clip(image, 0, 1) * 255).astype(np.uint8)


def load_colour_digits(split: str) -> tuple[np.ndarray, np.ndarray]:
    """uint8 images (N, 3, 32, 32) in 0..255 and int64 labels (N,) of ``split`` ("train" or
    "test"), laid out as SVHN in torchvision (channels first; labels 0..9)."""
    if split not in COLOUR_DIGITS_SPLITS:
        raise ValueError(f"unknown split {split!r}; expected one of {COLOUR_DIGITS_SPLITS}")
    with np.load(DATA_DIR / COLOUR_DIGITS_FILE) as archive:
        parts = (archive[f"{split}_{name}"] for name in ("coverage", "colours", "gradient"))
        return paint(*parts), archive[f"{split}_labels"]
