"""A semi-supervised VAE: the class y is a latent variable for unlabelled images (4b)."""
import numpy as np
import torch
from torch import nn
from torch.nn import functional as F

from submission import utils as ut
from submission.models import nns


class SSVAE(nn.Module):
    def __init__(self, nn='v1', name='ssvae', gen_weight=1, class_weight=100):
        super().__init__()
        self.name = name
        self.z_dim = 64
        self.y_dim = 10
        self.gen_weight = gen_weight
        self.class_weight = class_weight
        networks = getattr(nns, nn)
        self.enc = networks.Encoder(self.z_dim, self.y_dim)
        self.dec = networks.Decoder(self.z_dim, self.y_dim)
        self.cls = networks.Classifier(self.y_dim)

        # Prior N(0, I) on z, fixed; the prior on y is uniform
        self.z_prior_m = torch.nn.Parameter(torch.zeros(1), requires_grad=False)
        self.z_prior_v = torch.nn.Parameter(torch.ones(1), requires_grad=False)
        self.z_prior = (self.z_prior_m, self.z_prior_v)

    def negative_elbo_bound(self, x):
        """
        4b. Negative ELBO of unlabelled x: the class is marginalized out exactly, by summing
        over all 10 classes weighted by q(y | x).

        Args:
            x: tensor: (batch, dim): Observations in {0, 1}

        Returns:
            nelbo: tensor: (): Negative evidence lower bound, averaged over the batch
            kl_z: tensor: (): E_q(y|x) KL(q(z|x,y) || p(z)), averaged over the batch
            kl_y: tensor: (): KL(q(y|x) || p(y)) to the uniform prior, averaged over the batch
            rec: tensor: (): E_q(y|x) reconstruction term, averaged over the batch

        Below, row c * batch + b of the duplicated x and of y pairs example b with class c.
        Draw z once, for all 10 * batch rows. Useful: ut.kl_cat, ut.kl_normal.
        """
        y_logits = self.cls(x)
        y_logprob = F.log_softmax(y_logits, dim=1)
        y_prob = torch.softmax(y_logprob, dim=1)  # (batch, y_dim)

        # Every example with every class: row c * batch + b pairs example b with class c
        y = np.repeat(np.arange(self.y_dim), x.size(0))
        y = torch.eye(self.y_dim, dtype=x.dtype, device=x.device)[torch.from_numpy(y)]
        x = ut.duplicate(x, self.y_dim)

        # YOUR CODE HERE
        raise NotImplementedError
        return nelbo, kl_z, kl_y, rec

    def classification_cross_entropy(self, x, y):
        y_logits = self.cls(x)
        return F.cross_entropy(y_logits, y.argmax(1))

    def loss(self, x, xl, yl):
        if self.gen_weight > 0:
            nelbo, kl_z, kl_y, rec = self.negative_elbo_bound(x)
        else:
            nelbo, kl_z, kl_y, rec = [torch.zeros((), device=x.device)] * 4
        ce = self.classification_cross_entropy(xl, yl)
        loss = self.gen_weight * nelbo + self.class_weight * ce

        summaries = dict((
            ('train/loss', loss),
            ('class/ce', ce),
            ('gen/elbo', -nelbo),
            ('gen/kl_z', kl_z),
            ('gen/kl_y', kl_y),
            ('gen/rec', rec),
        ))

        return loss, summaries

    def compute_sigmoid_given(self, z, y):
        logits = self.dec(z, y)
        return torch.sigmoid(logits)

    def sample_z(self, batch):
        return ut.sample_gaussian(self.z_prior[0].expand(batch, self.z_dim),
                                  self.z_prior[1].expand(batch, self.z_dim))

    def sample_x_given(self, z, y):
        return torch.bernoulli(self.compute_sigmoid_given(z, y))
