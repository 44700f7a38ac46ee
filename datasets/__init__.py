"""Datasets for the flows/GANs and VAE/GAN/planar-flow assignments, all offline.

Bundled: two moons (generated), planar-density samples, a small 28x28 digit set and 32x32
colour digits made from it (a stand-in for SVHN); the files live in this package and are
rebuilt by ``scripts/make_datasets.py``. MNIST / FashionMNIST are read from IDX files the
user already has; nothing is ever downloaded.
"""

from .colour_digits import load_colour_digits
from .digits import (binarize, load_digits_binarized, load_digits_uint8, load_images,
                     scale_to_symmetric)
from .idx import load_mnist_idx, read_idx
from .moons import moons_splits, two_moons
from .planar_densities import energy_arcs, energy_sine, load_planar

__all__ = [
    "binarize",
    "energy_arcs",
    "energy_sine",
    "load_colour_digits",
    "load_digits_binarized",
    "load_digits_uint8",
    "load_images",
    "load_mnist_idx",
    "load_planar",
    "moons_splits",
    "read_idx",
    "scale_to_symmetric",
    "two_moons",
]
