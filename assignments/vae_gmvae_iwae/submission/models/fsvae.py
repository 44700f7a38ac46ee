"""A fully supervised conditional VAE of colour images given their class (5b, extra credit)."""
import torch
from torch import nn

from submission import utils as ut
from submission.models import nns


class FSVAE(nn.Module):
    def __init__(self, nn='v2', name='fsvae'):
        super().__init__()
        self.name = name
        self.z_dim = 10
        self.y_dim = 10
        networks = getattr(nns, nn)
        self.enc = networks.Encoder(self.z_dim, self.y_dim)
        self.dec = networks.Decoder(self.z_dim, self.y_dim)

        # Prior N(0, I) on z, fixed
        self.z_prior_m = torch.nn.Parameter(torch.zeros(1), requires_grad=False)
        self.z_prior_v = torch.nn.Parameter(torch.ones(1), requires_grad=False)
        self.z_prior = (self.z_prior_m, self.z_prior_v)

    def negative_elbo_bound(self, x, y):
        """
        5b. Negative ELBO of log p(x | y): the decoder gives the mean of a Gaussian p(x | z, y)
        whose variance is fixed at 0.1 in every dimension.

        Args:
            x: tensor: (batch, dim): Observations (real-valued)
            y: tensor: (batch, y_dim): One-hot labels

        Returns:
            nelbo: tensor: (): Negative evidence lower bound, averaged over the batch
            kl_z: tensor: (): ELBO KL divergence to the prior, averaged over the batch
            rec: tensor: (): ELBO reconstruction term (the full Gaussian log density),
                averaged over the batch
        """
        # YOUR CODE HERE
        raise NotImplementedError
        return nelbo, kl_z, rec

    def loss(self, x, y):
        nelbo, kl_z, rec = self.negative_elbo_bound(x, y)
        loss = nelbo

        summaries = dict((
            ('train/loss', loss),
            ('gen/elbo', -nelbo),
            ('gen/kl_z', kl_z),
            ('gen/rec', rec),
        ))

        return loss, summaries

    def compute_mean_given(self, z, y):
        return self.dec(z, y)

    def sample_z(self, batch):
        return ut.sample_gaussian(self.z_prior[0].expand(batch, self.z_dim),
                                  self.z_prior[1].expand(batch, self.z_dim))
