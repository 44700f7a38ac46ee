"""Tests of the ``datasets`` package and of ``scripts/make_datasets.py``."""

import gzip
import importlib.util
import struct
from pathlib import Path

import numpy as np
import pytest

import datasets
from datasets.colour_digits import COLOUR_DIGITS_FILE
from datasets.digits import DIGITS_FILE
from datasets.paths import DATA_DIR
from datasets.planar_densities import SINE_Z1_LIMIT, planar_file

ROOT = Path(__file__).resolve().parents[1]
ENERGIES = {"arcs": datasets.energy_arcs, "sine": datasets.energy_sine}


def load_generator_script():
    script = ROOT / "scripts" / "make_datasets.py"
    spec = importlib.util.spec_from_file_location("make_datasets", script)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# --- two moons -----------------------------------------------------------------------------


def test_two_moons_is_standardized_float32_and_deterministic():
    points = datasets.two_moons()
    assert points.shape == (30_000, 2) and points.dtype == np.float32
    np.testing.assert_allclose(points.mean(axis=0), 0.0, atol=1e-5)
    np.testing.assert_allclose(points.std(axis=0), 1.0, atol=1e-5)
    np.testing.assert_array_equal(points, datasets.two_moons())
    assert not np.array_equal(points, datasets.two_moons(seed=1))


def test_two_moons_lies_on_two_half_circles():
    points = datasets.two_moons(n=2000, noise=0.0)
    # Undo the standardization with the statistics of the noiseless construction.
    t = np.linspace(0, np.pi, 1000)
    clean = np.concatenate([np.c_[np.cos(t), np.sin(t)], np.c_[1 - np.cos(t), 0.5 - np.sin(t)]])
    raw = points * clean.std(axis=0) + clean.mean(axis=0)
    on_outer = np.abs(np.hypot(raw[:, 0], raw[:, 1]) - 1) < 1e-5
    on_inner = np.abs(np.hypot(raw[:, 0] - 1, raw[:, 1] - 0.5) - 1) < 1e-5
    assert on_outer.sum() == 1000 and on_inner.sum() == 1000


def test_moons_splits_are_consecutive_parts_of_the_data():
    train, val, test = datasets.moons_splits()
    assert (train.shape, val.shape, test.shape) == ((24_000, 2), (3_000, 2), (3_000, 2))
    np.testing.assert_array_equal(np.concatenate([train, val, test]), datasets.two_moons())


# --- planar densities ----------------------------------------------------------------------


def chi_square_against_density(samples: np.ndarray, energy, bins: int = 16) -> tuple[float, int]:
    """Chi-square statistic and degrees of freedom of ``samples`` binned on [-4, 4]^2 against
    exp(-energy) integrated over the same bins on a fine grid.

    Bins expecting fewer than 5 points, and the outside of the window, are pooled into one.
    """
    cells_per_bin, limit = 40, SINE_Z1_LIMIT
    fine = bins * cells_per_bin
    centres = -limit + (np.arange(fine) + 0.5) * (2 * limit / fine)
    z1, z2 = np.meshgrid(centres, centres, indexing="ij")
    density = np.exp(-energy(np.c_[z1.ravel(), z2.ravel()])).reshape(fine, fine)
    mass = density.reshape(bins, cells_per_bin, bins, cells_per_bin).sum(axis=(1, 3))
    expected = len(samples) * (mass / mass.sum()).ravel()
    edges = np.linspace(-limit, limit, bins + 1)
    observed, _, _ = np.histogram2d(samples[:, 0], samples[:, 1], bins=[edges, edges])
    observed = observed.ravel()
    outside = len(samples) - observed.sum()
    small = expected < 5
    expected = np.append(expected[~small], expected[small].sum())
    observed = np.append(observed[~small], observed[small].sum() + outside)
    return float(((observed - expected) ** 2 / expected).sum()), len(expected) - 1


def fits_density(samples: np.ndarray, energy) -> bool:
    """True when the chi-square statistic is within 5 standard deviations of its mean."""
    statistic, dof = chi_square_against_density(samples, energy)
    return statistic < dof + 5 * np.sqrt(2 * dof)


@pytest.mark.parametrize("name", ["arcs", "sine"])
def test_planar_samples_shape_and_dtype(name):
    samples = datasets.load_planar(name)
    assert samples.shape == (5000, 2) and samples.dtype == np.float32
    assert np.isfinite(samples).all()


@pytest.mark.parametrize("name", ["arcs", "sine"])
def test_planar_samples_follow_their_density(name):
    assert fits_density(datasets.load_planar(name), ENERGIES[name])


def test_density_check_rejects_wrong_samples():
    rng = np.random.default_rng(0)
    assert not fits_density(datasets.load_planar("sine"), datasets.energy_arcs)
    assert not fits_density(datasets.load_planar("arcs"), datasets.energy_sine)
    # A ring without the two bumps, and a sine band that is too wide.
    angle = rng.uniform(0, 2 * np.pi, 5000)
    radius = 2 + 0.4 * rng.standard_normal(5000)
    ring = np.c_[radius * np.cos(angle), radius * np.sin(angle)]
    assert not fits_density(ring, datasets.energy_arcs)
    z1 = rng.uniform(-4, 4, 5000)
    wide_band = np.c_[z1, np.sin(np.pi * z1 / 2) + 0.5 * rng.standard_normal(5000)]
    assert not fits_density(wide_band, datasets.energy_sine)


def test_energies_match_the_contract_formulas():
    z = np.array([[2.0, 0.0], [0.3, -1.2], [-1.5, 2.5]])
    r = np.hypot(z[:, 0], z[:, 1])
    u1 = 0.5 * ((r - 2) / 0.4) ** 2 - np.log(
        np.exp(-0.5 * ((z[:, 0] - 2) / 0.6) ** 2) + np.exp(-0.5 * ((z[:, 0] + 2) / 0.6) ** 2)
    )
    u2 = 0.5 * ((z[:, 1] - np.sin(2 * np.pi * z[:, 0] / 4)) / 0.4) ** 2
    np.testing.assert_allclose(datasets.energy_arcs(z), u1, atol=1e-12)
    np.testing.assert_allclose(datasets.energy_sine(z), u2, atol=1e-12)


def test_unknown_planar_name_is_rejected():
    with pytest.raises(ValueError, match="unknown planar dataset"):
        datasets.load_planar("moons")


# --- bundled digits ------------------------------------------------------------------------


@pytest.mark.parametrize("split", ["train", "val"])
def test_binarized_digits(split):
    images = datasets.load_digits_binarized(split)
    assert images.ndim == 4 and images.shape[1:] == (1, 28, 28) and images.dtype == np.float32
    assert set(np.unique(images)) == {0.0, 1.0}
    assert 0.05 < images.mean() < 0.3  # strokes on a black background, as in MNIST


@pytest.mark.parametrize("split", ["train", "val"])
def test_gan_images_and_labels(split):
    images, labels = datasets.load_images(split)
    assert images.shape == (len(labels), 1, 28, 28) and images.dtype == np.float32
    assert images.min() == -1.0 and images.max() == 1.0
    assert labels.dtype == np.int64 and set(np.unique(labels)) == set(range(10))
    np.testing.assert_array_equal(images > 0, datasets.load_digits_binarized(split) == 1)


def test_digit_splits_are_fixed_and_disjoint():
    train, _ = datasets.load_images("train")
    val, _ = datasets.load_images("val")
    assert (len(train), len(val)) == (1497, 300)
    train_rows = {row.tobytes() for row in train}
    assert sum(row.tobytes() in train_rows for row in val) < 5  # sklearn has a few duplicates
    with pytest.raises(ValueError, match="unknown split"):
        datasets.load_images("test")


def test_conversions_of_uint8_images():
    pixels = np.array([0, 127, 128, 255], dtype=np.uint8)
    np.testing.assert_array_equal(datasets.binarize(pixels), [0, 0, 1, 1])
    scaled = datasets.scale_to_symmetric(pixels)
    assert scaled.dtype == np.float32
    np.testing.assert_allclose(scaled, [-1, -1 / 255, 1 / 255, 1], atol=1e-6)


# --- IDX files -----------------------------------------------------------------------------


def write_idx(path: Path, array: np.ndarray, type_code: int, compress: bool = False) -> Path:
    header = bytes([0, 0, type_code, array.ndim]) + struct.pack(f">{array.ndim}I", *array.shape)
    data = header + array.astype(array.dtype.newbyteorder(">")).tobytes()
    path.write_bytes(gzip.compress(data) if compress else data)
    return path


@pytest.mark.parametrize("compress", [False, True])
def test_read_idx_round_trips(tmp_path, compress):
    images = np.arange(2 * 3 * 4, dtype=np.uint8).reshape(2, 3, 4)
    values = np.array([-1.5, 0.25, 3e5], dtype=np.float32)
    counts = np.array([-7, 0, 1 << 20], dtype=np.int32)
    for name, array, code in [("u8", images, 0x08), ("f32", values, 0x0D), ("i32", counts, 0x0C)]:
        result = datasets.read_idx(write_idx(tmp_path / name, array, code, compress))
        assert result.dtype == array.dtype and result.dtype.isnative
        np.testing.assert_array_equal(result, array)


def test_read_idx_rejects_bad_files(tmp_path):
    (tmp_path / "text").write_bytes(b"not an idx file")
    with pytest.raises(ValueError, match="not an IDX file"):
        datasets.read_idx(tmp_path / "text")
    truncated = write_idx(tmp_path / "short", np.zeros((2, 2), np.uint8), 0x08)
    truncated.write_bytes(truncated.read_bytes()[:-1])
    with pytest.raises(ValueError, match="does not match"):
        datasets.read_idx(truncated)


def write_mnist_split(folder: Path, prefix: str, n: int, compress: bool) -> np.ndarray:
    folder.mkdir(parents=True, exist_ok=True)
    suffix = ".gz" if compress else ""
    images = np.random.default_rng(0).integers(0, 256, (n, 28, 28), dtype=np.uint8)
    write_idx(folder / f"{prefix}-images-idx3-ubyte{suffix}", images, 0x08, compress)
    labels = np.arange(n, dtype=np.uint8)
    write_idx(folder / f"{prefix}-labels-idx1-ubyte{suffix}", labels, 0x08, compress)
    return images


@pytest.mark.parametrize("compress", [False, True])
def test_load_mnist_idx_from_directory(tmp_path, compress):
    images = write_mnist_split(tmp_path, "t10k", 5, compress)
    x, y = datasets.load_mnist_idx(tmp_path, "test")
    assert x.shape == (5, 1, 28, 28) and x.dtype == np.uint8
    np.testing.assert_array_equal(x[:, 0], images)
    assert y.dtype == np.int64 and y.tolist() == list(range(5))


def test_load_mnist_idx_from_torchvision_layout(tmp_path):
    write_mnist_split(tmp_path / "FashionMNIST" / "raw", "train", 3, compress=True)
    x, y = datasets.load_mnist_idx(tmp_path, "train", kind="fashion")
    assert x.shape == (3, 1, 28, 28) and y.shape == (3,)
    with pytest.raises(FileNotFoundError, match="train-images-idx3-ubyte"):
        datasets.load_mnist_idx(tmp_path, "train", kind="mnist")


def test_load_mnist_idx_names_the_missing_file(tmp_path):
    write_mnist_split(tmp_path, "train", 3, compress=False)
    (tmp_path / "train-labels-idx1-ubyte").unlink()
    with pytest.raises(FileNotFoundError, match=r"train-labels-idx1-ubyte \(or"):
        datasets.load_mnist_idx(tmp_path, "train")


# --- generator script ----------------------------------------------------------------------


def test_generator_reproduces_the_shipped_planar_files(tmp_path):
    for path in load_generator_script().write_planar(tmp_path):
        relative = path.relative_to(tmp_path)
        assert path.read_bytes() == (DATA_DIR / relative).read_bytes(), relative
    assert {p.relative_to(tmp_path) for p in tmp_path.rglob("*.npy")} == {
        planar_file("arcs"),
        planar_file("sine"),
    }


def test_generator_reproduces_the_shipped_digits(tmp_path):
    pytest.importorskip("sklearn")
    path = load_generator_script().write_digits(tmp_path)
    assert path.read_bytes() == (DATA_DIR / DIGITS_FILE).read_bytes()


def test_generator_reproduces_the_shipped_colour_digits(tmp_path):
    path = load_generator_script().write_colour_digits(tmp_path)
    assert path.read_bytes() == (DATA_DIR / COLOUR_DIGITS_FILE).read_bytes()


def test_colour_digits_are_svhn_shaped_with_every_class():
    for split, size in (("train", 3000), ("test", 500)):
        images, labels = datasets.load_colour_digits(split)
        assert images.shape == (size, 3, 32, 32) and images.dtype == np.uint8
        assert labels.dtype == np.int64 and set(labels.tolist()) == set(range(10))
    with pytest.raises(ValueError, match="unknown split"):
        datasets.load_colour_digits("val")


def test_shipped_files_are_small():
    shipped = [*DATA_DIR.rglob("*.npy"), *DATA_DIR.rglob("*.npz")]
    assert len(shipped) == 4 and sum(p.stat().st_size for p in shipped) < 3_000_000
