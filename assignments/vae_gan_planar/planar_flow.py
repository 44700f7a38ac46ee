"""
Question 3: planar normalizing flows (Rezende & Mohamed, 2015).

A planar transformation maps x (B, dim) to f(x) = x + u * tanh(x w^T + b). A Flow stacks
several of them; it is trained either by maximum likelihood on samples (loss1) or by
minimizing a reverse KL to an unnormalized density given by its energy (loss2).
"""
import math
from pathlib import Path

import numpy as np
import torch
import torch.nn as nn


class PlanarTransformation(nn.Module):

    def __init__(self, dim=2):
        super().__init__()
        self.u = nn.Parameter(torch.randn(1, dim) * 0.01)
        self.w = nn.Parameter(torch.randn(1, dim) * 0.01)
        self.b = nn.Parameter(torch.zeros(1))

    def adjust_u(self):
        """
        Provided. When u w^T < -1, replace u by u + (m(w u^T) - w u^T) w / ||w||^2, with
        m(a) = -1 + log(1 + e^a), so that u w^T > -1 and the map stays invertible.
        """
        with torch.no_grad():
            wu = self.w @ self.u.t()
            if wu < -1:
                m = -1 + torch.log1p(torch.exp(wu))
                self.u.data = self.u + (m - wu) * self.w / (self.w ** 2).sum()

    def forward(self, x):
        """
        3.1 Apply the planar transformation: f(x) = x + u * tanh(x w^T + b).

        Shapes: x (B, dim), w^T (dim, 1), so x w^T + b is (B, 1) and broadcasts against u (1, dim).

        :param x: (FloatTensor) - shape: (batch_size x dim) - input points.
        :return: (FloatTensor) - shape: (batch_size x dim) - transformed points.
        """
        if self.u @ self.w.t() < -1:
            self.adjust_u()

        # YOUR CODE HERE
        raise NotImplementedError

    def get_logdet(self, x, eps=1e-8):
        """
        3.4 Log of the absolute Jacobian determinant of the transformation at x.

        By the matrix determinant lemma, det(I + u^T psi(x)) = 1 + psi(x) u^T with
        psi(x) = (1 - tanh^2(x w^T + b)) w, so

            logdet = log(eps + |1 + (1 - tanh^2(x w^T + b)) * (w u^T)|)

        :param x: (FloatTensor) - shape: (batch_size x dim) - input points.
        :param eps: (float) - small constant that keeps the log finite.
        :return: (FloatTensor) - shape: (batch_size x 1) - log|det df/dx| at each point.
        """
        if self.u @ self.w.t() < -1:
            self.adjust_u()

        # YOUR CODE HERE
        raise NotImplementedError


class Flow(nn.Module):

    def __init__(self, dim, num_layers):
        super().__init__()
        self.layers = nn.ModuleList([PlanarTransformation(dim) for _ in range(num_layers)])

    def forward(self, x):
        """
        3.6 Push x through every layer in order and accumulate the log-determinants.

        logdet starts at 0 (shape (B, 1)); for each layer, first add the layer's get_logdet
        of its input, then transform the input with the layer.

        :param x: (FloatTensor) - shape: (batch_size x dim) - input points.
        :return: (x, logdet) - shapes: (batch_size x dim), (batch_size x 1).
        """
        # YOUR CODE HERE
        raise NotImplementedError


def loss1(z0, logdet):
    """
    3.6 Negative log-likelihood of data points whose flow image is z0.

    By the change of variables formula, log p(x) = log N(z0; 0, I) + logdet, so

        loss1 = -(log N(z0; 0, I) + logdet),   log N(z0; 0, I) = sum_d -0.5 * (log(2 pi) + z0_d^2)

    :param z0: (FloatTensor) - shape: (batch_size x dim) - flow outputs for the data.
    :param logdet: (FloatTensor) - shape: (batch_size x 1) - accumulated log-determinants.
    :return: (FloatTensor) - shape: (batch_size x 1) - the loss of each point.
    """
    # YOUR CODE HERE
    raise NotImplementedError


def loss2(target_density, z0, logdet):
    """
    3.8 Reverse-KL loss for fitting the flow to an unnormalized target density.

    With z0 ~ N(0, I) and x = flow(z0), log q(x) = log N(z0; 0, I) - logdet, and the target's
    energy is U(x) = -log p~(x), so

        loss2 = log N(z0; 0, I) - logdet + U(x)

    Hint: target_density has shape (B,); reshape it to (B, 1) before adding.

    :param target_density: (FloatTensor) - shape: (batch_size,) - energy U(x) at x = flow(z0).
    :param z0: (FloatTensor) - shape: (batch_size x dim) - base samples.
    :param logdet: (FloatTensor) - shape: (batch_size x 1) - accumulated log-determinants.
    :return: (FloatTensor) - shape: (batch_size x 1) - the loss of each sample.
    """
    # YOUR CODE HERE
    raise NotImplementedError


def density_arcs(z):
    """Provided. Energy U1 of Rezende & Mohamed (two arcs on a ring): (B, 2) -> (B,)."""
    z1 = z[:, 0]
    ring = 0.5 * ((z.norm(dim=1) - 2) / 0.4) ** 2
    arcs = torch.logaddexp(-0.5 * ((z1 - 2) / 0.6) ** 2, -0.5 * ((z1 + 2) / 0.6) ** 2)
    return ring - arcs


def density_sine(z):
    """Provided. Energy U2 of Rezende & Mohamed (a sine wave): (B, 2) -> (B,)."""
    z1, z2 = z[:, 0], z[:, 1]
    return 0.5 * ((z2 - torch.sin(2 * math.pi * z1 / 4)) / 0.4) ** 2


def _load_planar(name):
    """Provided. Load datasets/planar/<name>, from the first folder above this file that has datasets/planar."""
    here = Path(__file__).resolve().parent
    for folder in (here, *here.parents):
        path = folder / 'datasets' / 'planar' / name
        if path.parent.is_dir():
            if not path.is_file():
                raise FileNotFoundError(f'Planar dataset file not found: {path}')
            return torch.from_numpy(np.load(path)).float()
    raise FileNotFoundError(f'Planar dataset file not found: no datasets/planar/{name} in {here} or its parents')


def data_arcs():
    """Provided. 5000 samples of the arcs density, a (5000, 2) float32 tensor."""
    return _load_planar('arcs.npy')


def data_sine():
    """Provided. 5000 samples of the sine density, a (5000, 2) float32 tensor."""
    return _load_planar('sine.npy')
