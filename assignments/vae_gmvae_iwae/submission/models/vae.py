"""A VAE with a standard normal prior: the ELBO (1b) and the IWAE bound (3b)."""
import torch
from torch import nn

from submission import utils as ut
from submission.models import nns


class VAE(nn.Module):
    def __init__(self, nn='v1', name='vae', z_dim=2):
        super().__init__()
        self.name = name
        self.z_dim = z_dim
        # the argument `nn` names the network set (nns.v1 or nns.v2); it shadows torch.nn here
        networks = getattr(nns, nn)
        self.enc = networks.Encoder(self.z_dim)
        self.dec = networks.Decoder(self.z_dim)

        # Prior N(0, I), fixed
        self.z_prior_m = torch.nn.Parameter(torch.zeros(1), requires_grad=False)
        self.z_prior_v = torch.nn.Parameter(torch.ones(1), requires_grad=False)
        self.z_prior = (self.z_prior_m, self.z_prior_v)

    def negative_elbo_bound(self, x):
        """
        1b. Negative ELBO of x, with the analytic KL to the prior.

        Args:
            x: tensor: (batch, dim): Observations in {0, 1}

        Returns:
            nelbo: tensor: (): Negative evidence lower bound, averaged over the batch
            kl: tensor: (): ELBO KL divergence to the prior, averaged over the batch
            rec: tensor: (): ELBO reconstruction term, averaged over the batch

        Draw z once, with ut.sample_gaussian. Useful: ut.log_bernoulli_with_logits,
        ut.kl_normal, and self.z_prior expanded to the shape of the posterior's parameters.
        """
        # YOUR CODE HERE
        raise NotImplementedError
        return nelbo, kl, rec

    def negative_iwae_bound(self, x, iw):
        """
        3b. Negative IWAE bound of x with iw importance samples per example.

        Args:
            x: tensor: (batch, dim): Observations in {0, 1}
            iw: int: Number of importance-weighted samples

        Returns:
            niwae: tensor: (): Negative IWAE bound, averaged over the batch
            kl: tensor: (): ELBO KL divergence to the prior, averaged over the samples
            rec: tensor: (): ELBO reconstruction term, averaged over the samples

        Draw all iw * batch samples of z at once, first; keep the iw weights of each example
        together. Useful: ut.duplicate, ut.log_normal, ut.log_mean_exp.
        """
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
        return ut.sample_gaussian(
            self.z_prior[0].expand(batch, self.z_dim),
            self.z_prior[1].expand(batch, self.z_dim))

    def sample_x(self, batch):
        z = self.sample_z(batch)
        return self.sample_x_given(z)

    def sample_x_given(self, z):
        return torch.bernoulli(self.compute_sigmoid_given(z))
