"""A VAE with a learned mixture-of-Gaussians prior: the ELBO (2b) and the IWAE bound (3d)."""
import numpy as np
import torch
from torch import nn

from submission import utils as ut
from submission.models import nns


class GMVAE(nn.Module):
    def __init__(self, nn='v1', z_dim=2, k=500, name='gmvae'):
        super().__init__()
        self.name = name
        self.k = k
        self.z_dim = z_dim
        networks = getattr(nns, nn)
        self.enc = networks.Encoder(self.z_dim)
        self.dec = networks.Decoder(self.z_dim)

        # Mixture of Gaussians prior: k components, their means and (pre-softplus) variances
        self.z_pre = torch.nn.Parameter(torch.randn(1, 2 * self.k, self.z_dim)
                                        / np.sqrt(self.k * self.z_dim))
        # Uniform weighting
        self.pi = torch.nn.Parameter(torch.ones(k) / k, requires_grad=False)

    def negative_elbo_bound(self, x):
        """
        2b. Negative ELBO of x, with a one-sample Monte Carlo estimate of the KL to the
        mixture prior (the same z as the reconstruction).

        Args:
            x: tensor: (batch, dim): Observations in {0, 1}

        Returns:
            nelbo: tensor: (): Negative evidence lower bound, averaged over the batch
            kl: tensor: (): ELBO KL divergence to the prior, averaged over the batch
            rec: tensor: (): ELBO reconstruction term, averaged over the batch

        Useful: ut.log_normal, ut.log_normal_mixture.
        """
        # Compute the mixture of Gaussian prior
        prior = ut.gaussian_parameters(self.z_pre, dim=1)

        # YOUR CODE HERE
        raise NotImplementedError
        return nelbo, kl, rec

    def negative_iwae_bound(self, x, iw):
        """
        3d. Negative IWAE bound of x with iw importance samples per example.

        Args:
            x: tensor: (batch, dim): Observations in {0, 1}
            iw: int: Number of importance-weighted samples

        Returns:
            niwae: tensor: (): Negative IWAE bound, averaged over the batch
            kl: tensor: (): ELBO KL divergence to the prior, averaged over the samples
            rec: tensor: (): ELBO reconstruction term, averaged over the samples

        Draw all iw * batch samples of z at once, first; keep the iw weights of each example
        together.
        """
        # Compute the mixture of Gaussian prior
        prior = ut.gaussian_parameters(self.z_pre, dim=1)

        # YOUR CODE HERE
        raise NotImplementedError
        return niwae, kl, rec

    def loss(self, x):
        nelbo, kl, rec = self.negative_elbo_bound(x)
        loss = nelbo

        summaries = dict((
            ('train/loss', nelbo),
            ('gen/elbo', -nelbo),
            ('gen/kl_z', kl),
            ('gen/rec', rec),
        ))

        return loss, summaries

    def sample_sigmoid(self, batch):
        z = self.sample_z(batch)
        return self.compute_sigmoid_given(z)

    def compute_sigmoid_given(self, z):
        logits = self.dec(z)
        return torch.sigmoid(logits)

    def sample_z(self, batch):
        m, v = ut.gaussian_parameters(self.z_pre.squeeze(0), dim=0)
        idx = torch.distributions.categorical.Categorical(self.pi).sample((batch,))
        m, v = m[idx], v[idx]
        return ut.sample_gaussian(m, v)

    def sample_x(self, batch):
        z = self.sample_z(batch)
        return self.sample_x_given(z)

    def sample_x_given(self, z):
        return torch.bernoulli(self.compute_sigmoid_given(z))
