"""The homework package (provided).

``utils`` and the models import each other (utils needs VAE, GMVAE and SSVAE for its
evaluation helpers, the models need utils). Importing ``utils`` here first makes the cycle
resolve whichever module a script imports first: by the time a model module runs, utils is
already in ``sys.modules``.
"""
from submission import utils  # noqa: F401
