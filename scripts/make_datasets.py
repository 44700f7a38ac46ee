"""Regenerate every data file shipped in ``datasets/``, deterministically.

    python scripts/make_datasets.py [--out DIR] [--only planar|digits|svhn]

Planar samples need only numpy. The digit set is built from scikit-learn's bundled 8x8
digits (no download), so ``--only digits`` and the default run need scikit-learn installed.
The colour digits standing in for SVHN (``--only svhn``) are made from the shipped digit set
with numpy alone. Running the script twice writes byte-identical files.
"""

import argparse
import io
import math
import sys
import zipfile
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from datasets.colour_digits import COLOUR_DIGITS_FILE  # noqa: E402
from datasets.digits import DIGITS_FILE, load_digits_uint8  # noqa: E402
from datasets.paths import DATA_DIR  # noqa: E402
from datasets.planar_densities import PLANAR_SAMPLERS, planar_file  # noqa: E402

SEED = 0
PLANAR_SIZE = 5000
DIGIT_SIZE, IMAGE_SIZE = 20, 28  # MNIST-like: a 20x20 digit centred in a 28x28 frame
VAL_SIZE = 300
COLOUR_SIZE = 32
# colour digits per split, and the digit split each is drawn from
COLOUR_SPLITS = {"train": ("train", 3000), "test": ("val", 500)}
COLOUR_DIGIT_SIZES = (20, 29)  # a digit's side in pixels, drawn from [20, 29)
COLOUR_JITTER = 2  # pixels the digit may move from the centre, each way
MIN_CONTRAST = 0.35  # luminance difference between a digit and its background
MAX_GRADIENT = 0.4  # brightness change across the image
LUMINANCE = np.array([299, 587, 114])  # thousandths: integer sums, the same on every CPU


def write_planar(out_dir: Path) -> list[Path]:
    """Write ``PLANAR_SIZE`` samples of every planar density under ``out_dir``."""
    paths = []
    for name, sample in PLANAR_SAMPLERS.items():
        path = out_dir / planar_file(name)
        path.parent.mkdir(parents=True, exist_ok=True)
        np.save(path, sample(PLANAR_SIZE, SEED))
        paths.append(path)
    return paths


def bilinear_matrix(size_in: int, size_out: int) -> np.ndarray:
    """(size_out, size_in) matrix resizing a 1-D signal by linear interpolation.

    Pixel centres are aligned (as in ``align_corners=False``), edges are clamped.
    """
    position = np.clip((np.arange(size_out) + 0.5) * size_in / size_out - 0.5, 0, size_in - 1)
    low = np.floor(position).astype(int)
    high = np.minimum(low + 1, size_in - 1)
    weight = position - low
    matrix = np.zeros((size_out, size_in))
    np.add.at(matrix, (np.arange(size_out), low), 1 - weight)
    np.add.at(matrix, (np.arange(size_out), high), weight)
    return matrix


def upsample_digits(images: np.ndarray, max_value: float) -> np.ndarray:
    """uint8 (N, 1, 28, 28) images from (N, h, w) ones with intensities in [0, max_value]."""
    rows = bilinear_matrix(images.shape[1], DIGIT_SIZE)
    cols = bilinear_matrix(images.shape[2], DIGIT_SIZE)
    digits = np.rint(rows @ images @ cols.T * (255 / max_value)).astype(np.uint8)
    margin = (IMAGE_SIZE - DIGIT_SIZE) // 2
    return np.pad(digits, ((0, 0), (margin, margin), (margin, margin)))[:, None]


def save_npz_deterministic(path: Path, arrays: dict[str, np.ndarray]) -> None:
    """Like ``np.savez_compressed`` but with fixed zip timestamps, so bytes are reproducible."""
    with zipfile.ZipFile(path, "w") as archive:
        for key, array in arrays.items():
            buffer = io.BytesIO()
            np.save(buffer, array, allow_pickle=False)
            info = zipfile.ZipInfo(f"{key}.npy", date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, buffer.getvalue(), compresslevel=9)


def write_digits(out_dir: Path) -> Path:
    """Write the 28x28 digit set (from scikit-learn's 8x8 digits) with a fixed split."""
    from sklearn.datasets import load_digits

    digits = load_digits()
    images = upsample_digits(digits.images, max_value=16.0)
    labels = digits.target.astype(np.int64)
    order = np.random.default_rng(SEED).permutation(len(labels))
    splits = {"val": order[:VAL_SIZE], "train": order[VAL_SIZE:]}
    arrays = {}
    for split, index in splits.items():
        arrays[f"{split}_images"] = images[index]
        arrays[f"{split}_labels"] = labels[index]
    path = out_dir / DIGITS_FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    save_npz_deterministic(path, arrays)
    return path


def _colours(rng: np.random.Generator) -> np.ndarray:
    """uint8 (2, 3): a digit's RGB ink and background, luminances MIN_CONTRAST apart."""
    while True:
        colours = rng.integers(0, 256, size=(2, 3))
        if abs(int(LUMINANCE @ (colours[0] - colours[1]))) >= MIN_CONTRAST * 255 * 1000:
            return colours.astype(np.uint8)


def colour_digit(digit: np.ndarray, rng: np.random.Generator
                 ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """How to paint a uint8 (20, 20) digit into a 32x32 image: its coverage (uint8 (32, 32),
    the digit rescaled and moved), its colours (uint8 (2, 3)) and the lighting gradient
    (float32 (2,)); ``datasets.colour_digits.paint`` makes the image."""
    side = int(rng.integers(*COLOUR_DIGIT_SIZES))
    resize = bilinear_matrix(DIGIT_SIZE, side)
    corner = (COLOUR_SIZE - side) // 2 + rng.integers(-COLOUR_JITTER, COLOUR_JITTER + 1, size=2)
    top, left = np.clip(corner, 0, COLOUR_SIZE - side)
    coverage = np.zeros((COLOUR_SIZE, COLOUR_SIZE), np.uint8)
    # In integers (the weights are multiples of 1 / (2 side)), so that no CPU's summation
    # order moves a value across a rounding tie.
    weights = np.rint(resize * 2 * side).astype(np.int64)
    sums = weights @ digit.astype(np.int64) @ weights.T
    coverage[top:top + side, left:left + side] = np.rint(sums / (2 * side) ** 2)
    colours = _colours(rng)
    angle, strength = rng.uniform(0, 2 * np.pi), rng.uniform(0, MAX_GRADIENT)
    gradient = (strength * np.array([math.cos(angle), math.sin(angle)])).astype(np.float32)
    return coverage, colours, gradient


def write_colour_digits(out_dir: Path) -> Path:
    """Write the 32x32 colour digits (the SVHN stand-in) made from the shipped digit set."""
    rng = np.random.default_rng(SEED)
    margin = (IMAGE_SIZE - DIGIT_SIZE) // 2
    arrays = {}
    for split, (source, size) in COLOUR_SPLITS.items():
        images, labels = load_digits_uint8(source)
        digits = images[:, 0, margin:margin + DIGIT_SIZE, margin:margin + DIGIT_SIZE]
        passes = -(-size // len(labels))
        index = np.concatenate([rng.permutation(len(labels)) for _ in range(passes)])[:size]
        parts = zip(*(colour_digit(digits[i].astype(np.float64), rng) for i in index))
        for name, values in zip(("coverage", "colours", "gradient"), parts):
            arrays[f"{split}_{name}"] = np.stack(values)
        arrays[f"{split}_labels"] = labels[index]
    path = out_dir / COLOUR_DIGITS_FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    save_npz_deterministic(path, arrays)
    return path


WRITERS = {"planar": write_planar, "digits": write_digits, "svhn": write_colour_digits}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=DATA_DIR, help="output directory")
    parser.add_argument("--only", choices=sorted(WRITERS), help="write one group of files")
    args = parser.parse_args(argv)
    for name, write in WRITERS.items():
        if args.only in (None, name):
            print(name, "->", write(args.out))


if __name__ == "__main__":
    main()
