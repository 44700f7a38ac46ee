"""Networks for 32x32 colour images (SVHN; provided): inputs are flattened to 3072 values.

Call them as ``self.enc(x, y)`` and ``self.dec(z, y)``; ``encode`` and ``decode`` are the
same functions, under the names of the original CS236 release.
"""
import torch
from torch import nn

from submission import utils as ut

IMAGE_SIZE = 3 * 32 * 32


class Encoder(nn.Module):
    """q(z | x [, y]): (x (B, 3072) [, y (B, y_dim)]) -> (m, v), each (B, z_dim), v > 0."""

    def __init__(self, z_dim: int, y_dim: int = 0):
        super().__init__()
        self.z_dim = z_dim
        self.y_dim = y_dim
        self.net = nn.Sequential(
            nn.Linear(IMAGE_SIZE + y_dim, 500),
            nn.ELU(),
            nn.Linear(500, 500),
            nn.ELU(),
            nn.Linear(500, 2 * z_dim),
        )

    def forward(self, x: torch.Tensor, y: torch.Tensor | None = None
                ) -> tuple[torch.Tensor, torch.Tensor]:
        xy = x if y is None else torch.cat((x, y), dim=1)
        return ut.gaussian_parameters(self.net(xy), dim=1)

    encode = forward


class Decoder(nn.Module):
    """p(x | z [, y]): (z (B, z_dim) [, y (B, y_dim)]) -> the Gaussian mean (B, 3072)."""

    def __init__(self, z_dim: int, y_dim: int = 0):
        super().__init__()
        self.z_dim = z_dim
        self.y_dim = y_dim
        self.net = nn.Sequential(
            nn.Linear(z_dim + y_dim, 500),
            nn.ELU(),
            nn.Linear(500, 500),
            nn.ELU(),
            nn.Linear(500, IMAGE_SIZE),
        )

    def forward(self, z: torch.Tensor, y: torch.Tensor | None = None) -> torch.Tensor:
        zy = z if y is None else torch.cat((z, y), dim=1)
        return self.net(zy)

    decode = forward
