"""Networks for 28x28 binarized digits (provided): inputs are flattened to 784 values.

Call them as ``self.enc(x)``, ``self.dec(z)``, ``self.cls(x)``. The names of the original
CS236 release, ``encode``, ``decode`` and ``classify``, are the same functions.
"""
import torch
from torch import nn

from submission import utils as ut

IMAGE_SIZE = 784


class Encoder(nn.Module):
    """q(z | x) or q(z | x, y): (x (B, 784) [, y (B, y_dim)]) -> (m, v), each (B, z_dim), v > 0."""

    def __init__(self, z_dim: int, y_dim: int = 0):
        super().__init__()
        self.z_dim = z_dim
        self.y_dim = y_dim
        self.net = nn.Sequential(
            nn.Linear(IMAGE_SIZE + y_dim, 300),
            nn.ELU(),
            nn.Linear(300, 300),
            nn.ELU(),
            nn.Linear(300, 2 * z_dim),
        )

    def forward(self, x: torch.Tensor, y: torch.Tensor | None = None
                ) -> tuple[torch.Tensor, torch.Tensor]:
        xy = x if y is None else torch.cat((x, y), dim=1)
        return ut.gaussian_parameters(self.net(xy), dim=1)

    encode = forward


class Decoder(nn.Module):
    """p(x | z) or p(x | z, y): (z (B, z_dim) [, y (B, y_dim)]) -> Bernoulli logits (B, 784)."""

    def __init__(self, z_dim: int, y_dim: int = 0):
        super().__init__()
        self.z_dim = z_dim
        self.y_dim = y_dim
        self.net = nn.Sequential(
            nn.Linear(z_dim + y_dim, 300),
            nn.ELU(),
            nn.Linear(300, 300),
            nn.ELU(),
            nn.Linear(300, IMAGE_SIZE),
        )

    def forward(self, z: torch.Tensor, y: torch.Tensor | None = None) -> torch.Tensor:
        zy = z if y is None else torch.cat((z, y), dim=1)
        return self.net(zy)

    decode = forward


class Classifier(nn.Module):
    """q(y | x): x (B, 784) -> class logits (B, y_dim)."""

    def __init__(self, y_dim: int):
        super().__init__()
        self.y_dim = y_dim
        self.net = nn.Sequential(
            nn.Linear(IMAGE_SIZE, 300),
            nn.ReLU(),
            nn.Linear(300, 300),
            nn.ReLU(),
            nn.Linear(300, y_dim),
        )

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.net(x)

    classify = forward
