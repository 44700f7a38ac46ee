"""Provided networks: ``v1`` for 28x28 binarized digits, ``v2`` for 32x32 colour images.

A model picks its set by name, e.g. ``getattr(nns, 'v1').Encoder``.
"""
from submission.models.nns import v1, v2  # noqa: F401
