"""Autograder for deep-generative-models homework: reference vs. student on seeded tensors."""

__version__ = "0.2.0"
