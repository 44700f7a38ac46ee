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

        Each point moves along the direction u, by an amount that depends on which side of
        the hyperplane x w^T + b = 0 it lies and how far from it.

        Hint: shapes: x is (B, dim) while u and w are (1, dim) rows, so x w^T + b has one
        value per point, (B, 1), which scales u.

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

            logdet = log(eps + |det df/dx|)

        With h = tanh, df/dx = I + h'(x w^T + b) u^T w: the identity plus a rank-one matrix
        (u^T w is (dim, dim), an outer product). The matrix determinant lemma gives such a
        determinant without computing it: det(I + a b^T) = 1 + b^T a for column vectors a, b.

        Hint: write h' with tanh itself.

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
        3.6 Push x through every layer in order, and return the image and the log of the
        absolute Jacobian determinant of the whole composition.

        By the chain rule, the Jacobian of a composition is the product of the layers'
        Jacobians, each taken at the point that layer receives, so the log-determinants add up.

        Hint: each layer's log-determinant must be evaluated at that layer's input, not at the
        flow's input nor at the layer's output.

        Grading contract: take each layer's log-determinant from its get_logdet and its image
        from calling the layer (the grader swaps in known layers).

        :param x: (FloatTensor) - shape: (batch_size x dim) - input points.
        :return: (x, logdet) - shapes: (batch_size x dim), (batch_size x 1).
        """
        # YOUR CODE HERE
        raise NotImplementedError


def loss1(z0, logdet):
    """
    3.6 Negative log-likelihood of data points x whose flow image is z0 = flow(x).

    The flow maps data to a standard Normal base, N(0, I). By the change of variables
    formula, log p(x) = log N(z0; 0, I) + logdet, and loss1 = -log p(x).

    Hint: log N(z0; 0, I) is the log-density of 1.2 with mu = 0 and sigma = 1, constant
    included. Keep one value per point in a (B, 1) column, the shape of logdet.

    :param z0: (FloatTensor) - shape: (batch_size x dim) - flow outputs for the data.
    :param logdet: (FloatTensor) - shape: (batch_size x 1) - accumulated log-determinants.
    :return: (FloatTensor) - shape: (batch_size x 1) - the loss of each point.
    """
    # YOUR CODE HERE
    raise NotImplementedError


def loss2(target_density, z0, logdet):
    """
    3.8 Reverse-KL loss for fitting the flow to an unnormalized target density.

    With z0 ~ N(0, I) and x = flow(z0), the flow's density at x is
    log q(x) = log N(z0; 0, I) - logdet. The target is known up to its normalizer, through
    its energy U(x) = -log p~(x). The loss of a sample is log q(x) - log p~(x): its mean over
    z0 ~ N(0, I) is KL(q || p) up to a constant (the log of the unknown normalizer).

    Hint: target_density has shape (B,) and the other terms (B, 1): adding them as they are
    broadcasts to (B, B) without any error.

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
