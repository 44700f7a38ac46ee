"""Where the data files shipped inside the ``datasets`` package live.

Each loader module names its files relative to :data:`DATA_DIR`, so that the loaders (which
read from the package) and ``scripts/make_datasets.py`` (which may write elsewhere) share
one definition.
"""

from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent
