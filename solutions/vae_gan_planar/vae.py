"""
Question 1: building blocks of a variational autoencoder.

Every function works on a batch and returns one value per batch row, a tensor of shape
(batch_size,). Their provided first lines reshape the inputs: most flatten each row to
(batch_size, -1), so that images of shape (batch_size, 1, 28, 28) are accepted;
kl_gaussian_gaussian_mc also expands them to (batch_size, num_samples, input_size), and
log_mean_exp takes its (batch_size, sample_size) input as it is. Keep everything in torch so
that the results stay differentiable.
"""
import math

import numpy as np
import torch


def log_likelihood_bernoulli(mu, target):
    """
    1.1 Log-likelihood of binary targets under independent Bernoulli variables.

    Dimension d of a row is Bernoulli with p(t_d = 1) = mu_d, so for a target t_d in {0, 1}

        p(t_d) = mu_d^t_d * (1 - mu_d)^(1 - t_d)

    and the dimensions are independent given mu: the likelihood of a row is the product of
    its dimensions'.

    Hint: `mu` holds probabilities p(x=1), not logits. Take logs before combining the
    dimensions: a product of hundreds of probabilities underflows to 0.

    :param mu: (FloatTensor) - shape: (batch_size x input_size) - The mean of Bernoulli random variables p(x=1).
    :param target: (FloatTensor) - shape: (batch_size x input_size) - Target samples (binary values).
    :return: (FloatTensor) - shape: (batch_size,) - log-likelihood of target samples on the Bernoulli random variables.
    """
    # init
    batch_size = mu.size(0)
    mu = mu.view(batch_size, -1)
    target = target.view(batch_size, -1)

    # log_likelihood_bernoulli
    # BEGIN SOLUTION
    return (target * torch.log(mu) + (1 - target) * torch.log(1 - mu)).sum(dim=1)
    # END SOLUTION


def log_likelihood_normal(mu, logvar, z):
    """
    1.2 Log-density of z under diagonal Normal distributions N(mu, exp(logvar)).

    Dimension d of a row is N(mu_d, sigma_d^2), with density
    exp(-(z_d - mu_d)^2 / (2 sigma_d^2)) / sqrt(2 pi sigma_d^2), and the dimensions are
    independent.

    Hint: `logvar` is the log of the variance sigma^2, not of sigma. Take the log of the
    density on paper rather than computing the density and then its log (exp underflows),
    and keep its constant term.

    :param mu: (FloatTensor) - shape: (batch_size x input_size) - The mean of Normal distributions.
    :param logvar: (FloatTensor) - shape: (batch_size x input_size) - The log variance of Normal distributions.
    :param z: (FloatTensor) - shape: (batch_size x input_size) - Target samples.
    :return: (FloatTensor) - shape: (batch_size,) - log probability of the samples on the given Normal distributions.
    """
    # init
    batch_size = mu.size(0)
    mu = mu.view(batch_size, -1)
    logvar = logvar.view(batch_size, -1)
    z = z.view(batch_size, -1)

    # log normal
    # BEGIN SOLUTION
    return -0.5 * (math.log(2 * math.pi) + logvar + (z - mu) ** 2 / torch.exp(logvar)).sum(dim=1)
    # END SOLUTION


def log_mean_exp(y):
    """
    1.3 Numerically stable log of the mean of exp(y) over the samples of each row.

        log_mean_exp(y) = log( (1/K) sum_k exp(y_k) ),   K = sample_size

    It turns K importance-sampling log-weights into the log of their average weight. The
    result must stay finite for values such as -1000 or +1000, where exp() overflows to inf
    or underflows to 0.

    Hint: for any constant a, log sum_k exp(y_k) = a + log sum_k exp(y_k - a). Which a, per
    row, keeps every term from overflowing while at least one term stays of order 1?

    :param y: (FloatTensor) - shape: (batch_size x sample_size) - Values to be evaluated for log_mean_exp. For example log probabilities.
    :return: (FloatTensor) - shape: (batch_size,) - Output for log_mean_exp.
    """
    # init
    batch_size = y.size(0)
    sample_size = y.size(1)

    # log_mean_exp
    # BEGIN SOLUTION
    a = y.max(dim=1, keepdim=True)[0]
    return torch.log(torch.exp(y - a).sum(dim=1) / sample_size) + a.squeeze(1)
    # END SOLUTION


def kl_gaussian_gaussian_analytic(mu_q, logvar_q, mu_p, logvar_p):
    """
    1.4 Closed-form KL(q || p) between diagonal Normal distributions, summed over dimensions.

        KL(q || p) = E_{z ~ q}[log q(z) - log p(z)]

    For Gaussians this expectation has a closed form. The dimensions are independent, so the
    KL is a sum of one-dimensional KLs between N(mu_q, sigma_q^2) and N(mu_p, sigma_p^2).

    Hint: derive the one-dimensional KL from 1.2's log-density, using
    E_q[(z - m)^2] = sigma_q^2 + (mu_q - m)^2 for any constant m. It is 0 when q = p.

    :param mu_q: (FloatTensor) - shape: (batch_size x input_size) - The mean of first distributions (Normal distributions).
    :param logvar_q: (FloatTensor) - shape: (batch_size x input_size) - The log variance of first distributions (Normal distributions).
    :param mu_p: (FloatTensor) - shape: (batch_size x input_size) - The mean of second distributions (Normal distributions).
    :param logvar_p: (FloatTensor) - shape: (batch_size x input_size) - The log variance of second distributions (Normal distributions).
    :return: (FloatTensor) - shape: (batch_size,) - kl-divergence of KL(q||p).
    """
    # init
    batch_size = mu_q.size(0)
    mu_q = mu_q.view(batch_size, -1)
    logvar_q = logvar_q.view(batch_size, -1)
    mu_p = mu_p.view(batch_size, -1)
    logvar_p = logvar_p.view(batch_size, -1)

    # kld
    # BEGIN SOLUTION
    kl = logvar_p - logvar_q + (torch.exp(logvar_q) + (mu_q - mu_p) ** 2) / torch.exp(logvar_p) - 1
    return 0.5 * kl.sum(dim=1)
    # END SOLUTION


def kl_gaussian_gaussian_mc(mu_q, logvar_q, mu_p, logvar_p, num_samples=1):
    """
    1.5 Monte Carlo estimate of KL(q || p) between diagonal Normal distributions.

        KL(q || p) ~= (1/S) sum_s  log q(z_s) - log p(z_s),   z_s ~ q,   S = num_samples

    The estimate is random (two calls differ; draw fresh samples at every call) and its
    mean is the analytic KL of 1.4. Its gradient must reach mu_q and logvar_q, which a
    plain sample of q would not carry.

    Hint: the reparameterization trick: write z_s as a differentiable function of mu_q,
    logvar_q and noise that does not depend on them. The provided lines expand the inputs
    to (batch_size, num_samples, input_size); 1.2's function flattens each row, which here
    would also mix the samples together.

    :param mu_q: (FloatTensor) - shape: (batch_size x input_size) - The mean of first distributions (Normal distributions).
    :param logvar_q: (FloatTensor) - shape: (batch_size x input_size) - The log variance of first distributions (Normal distributions).
    :param mu_p: (FloatTensor) - shape: (batch_size x input_size) - The mean of second distributions (Normal distributions).
    :param logvar_p: (FloatTensor) - shape: (batch_size x input_size) - The log variance of second distributions (Normal distributions).
    :param num_samples: (int) - shape: () - The number of sample for Monte Carlo estimate for KL-divergence
    :return: (FloatTensor) - shape: (batch_size,) - kl-divergence of KL(q||p).
    """
    # init
    batch_size = mu_q.size(0)
    input_size = np.prod(mu_q.size()[1:])
    mu_q = mu_q.view(batch_size, -1).unsqueeze(1).expand(batch_size, num_samples, input_size)
    logvar_q = logvar_q.view(batch_size, -1).unsqueeze(1).expand(batch_size, num_samples, input_size)
    mu_p = mu_p.view(batch_size, -1).unsqueeze(1).expand(batch_size, num_samples, input_size)
    logvar_p = logvar_p.view(batch_size, -1).unsqueeze(1).expand(batch_size, num_samples, input_size)

    # kld
    # BEGIN SOLUTION
    z = mu_q + torch.exp(0.5 * logvar_q) * torch.randn_like(mu_q)
    log_q = -0.5 * (math.log(2 * math.pi) + logvar_q + (z - mu_q) ** 2 / torch.exp(logvar_q))
    log_p = -0.5 * (math.log(2 * math.pi) + logvar_p + (z - mu_p) ** 2 / torch.exp(logvar_p))
    return (log_q - log_p).sum(dim=2).mean(dim=1)
    # END SOLUTION
