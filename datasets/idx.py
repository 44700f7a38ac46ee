"""Readers for MNIST / FashionMNIST files in the IDX format, for users who have them."""

import gzip
import struct
from pathlib import Path

import numpy as np

IDX_DTYPES = {
    0x08: np.dtype("u1"),
    0x09: np.dtype("i1"),
    0x0B: np.dtype(">i2"),
    0x0C: np.dtype(">i4"),
    0x0D: np.dtype(">f4"),
    0x0E: np.dtype(">f8"),
}
MNIST_PREFIXES = {"train": "train", "test": "t10k"}
MNIST_SUBDIRS = {"mnist": Path("MNIST", "raw"), "fashion": Path("FashionMNIST", "raw")}


def read_idx(path: str | Path) -> np.ndarray:
    """The array stored in an IDX file (gzip-compressed or not), in native byte order.

    Layout: two zero bytes, a type code (see ``IDX_DTYPES``), the number of dimensions, one
    big-endian uint32 per dimension, then the big-endian data.
    """
    raw = Path(path).read_bytes()
    if raw[:2] == b"\x1f\x8b":
        raw = gzip.decompress(raw)
    if len(raw) < 4 or raw[:2] != b"\x00\x00" or raw[2] not in IDX_DTYPES:
        raise ValueError(f"{path}: not an IDX file (magic bytes {raw[:4].hex()})")
    dtype, ndim = IDX_DTYPES[raw[2]], raw[3]
    header_size = 4 + 4 * ndim
    shape = struct.unpack(f">{ndim}I", raw[4:header_size])
    if len(raw) - header_size != int(np.prod(shape)) * dtype.itemsize:
        raise ValueError(f"{path}: data size does not match the header's shape {shape}")
    data = np.frombuffer(raw, dtype=dtype, offset=header_size).reshape(shape)
    return data.astype(dtype.newbyteorder("="))


def _find_idx_file(directory: Path, kind: str, name: str) -> Path:
    """``name`` or ``name.gz`` in ``directory`` or in its torchvision-style subfolder."""
    folders = (directory, directory / MNIST_SUBDIRS[kind])
    for folder in folders:
        for candidate in (folder / name, folder / f"{name}.gz"):
            if candidate.is_file():
                return candidate
    searched = " or ".join(str(folder) for folder in folders)
    raise FileNotFoundError(f"{name} (or {name}.gz) not found in {searched}")


def load_mnist_idx(
    directory: str | Path, split: str = "train", kind: str = "mnist"
) -> tuple[np.ndarray, np.ndarray]:
    """MNIST or FashionMNIST ``split`` ("train" or "test") from the standard IDX files.

    Returns uint8 images (N, 1, H, W) in 0..255 (28x28 for both sets) and int64 labels (N,).
    The files keep their standard names (``train-images-idx3-ubyte``,
    ``t10k-labels-idx1-ubyte``, optionally ``.gz``) and are looked up in ``directory`` and
    then in its ``MNIST/raw`` or ``FashionMNIST/raw`` subfolder, depending on ``kind``
    ("mnist" or "fashion"; both sets use the same file names).
    """
    if split not in MNIST_PREFIXES:
        raise ValueError(f"unknown split {split!r}; expected one of {tuple(MNIST_PREFIXES)}")
    if kind not in MNIST_SUBDIRS:
        raise ValueError(f"unknown kind {kind!r}; expected one of {tuple(MNIST_SUBDIRS)}")
    prefix = MNIST_PREFIXES[split]
    images = read_idx(_find_idx_file(Path(directory), kind, f"{prefix}-images-idx3-ubyte"))
    labels = read_idx(_find_idx_file(Path(directory), kind, f"{prefix}-labels-idx1-ubyte"))
    if images.ndim != 3 or labels.shape != images.shape[:1]:
        raise ValueError(f"images {images.shape} and labels {labels.shape} do not match")
    return images[:, None].astype(np.uint8), labels.astype(np.int64)
