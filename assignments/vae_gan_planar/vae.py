"""
Question 1: building blocks of a variational autoencoder.

Every function works on a batch: it flattens its inputs to (batch_size, -1) and returns one
value per batch row, a tensor of shape (batch_size,). Keep everything in torch so that the
results stay differentiable.
"""
import math

import numpy as np
import torch


def log_likelihood_bernoulli(mu, target):
    """
    1.1 Log-likelihood of binary targets under independent Bernoulli variables.

        log p(target) = sum_d  target_d * log(mu_d) + (1 - target_d) * log(1 - mu_d)

    Hint: `mu` holds probabilities p(x=1), not logits.

    :param mu: (FloatTensor) - shape: (batch_size x input_size) - The mean of Bernoulli random variables p(x=1).
    :param target: (FloatTensor) - shape: (batch_size x input_size) - Target samples (binary values).
    :return: (FloatTensor) - shape: (batch_size,) - log-likelihood of target samples on the Bernoulli random variables.
    """
    # init
    batch_size = mu.size(0)
    mu = mu.view(batch_size, -1)
    target = target.view(batch_size, -1)

    # log_likelihood_bernoulli
    # YOUR CODE HERE
    raise NotImplementedError


def log_likelihood_normal(mu, logvar, z):
    """
    1.2 Log-density of z under diagonal Normal distributions N(mu, exp(logvar)).

        log p(z) = sum_d -0.5 * (log(2 pi) + logvar_d + (z_d - mu_d)^2 / exp(logvar_d))

    Hint: `logvar` is the log of the variance sigma^2; do not forget the log(2 pi) term.

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
    # YOUR CODE HERE
    raise NotImplementedError


def log_mean_exp(y):
    """
    1.3 Numerically stable log of the mean of exp(y) over the samples of each row.

        log_mean_exp(y) = log( (1/K) sum_k exp(y_k - a) ) + a,   a = max_k y_k

    Subtracting the row maximum a first keeps every exp() in (0, 1], so the result stays
    finite even for values such as -1000 or +1000.

    :param y: (FloatTensor) - shape: (batch_size x sample_size) - Values to be evaluated for log_mean_exp. For example log probabilities.
    :return: (FloatTensor) - shape: (batch_size,) - Output for log_mean_exp.
    """
    # init
    batch_size = y.size(0)
    sample_size = y.size(1)

    # log_mean_exp
    # YOUR CODE HERE
    raise NotImplementedError


def kl_gaussian_gaussian_analytic(mu_q, logvar_q, mu_p, logvar_p):
    """
    1.4 Closed-form KL(q || p) between diagonal Normal distributions, summed over dimensions.

        KL(q || p) = sum_d 0.5 * (logvar_p - logvar_q + (exp(logvar_q) + (mu_q - mu_p)^2) / exp(logvar_p) - 1)

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
    # YOUR CODE HERE
    raise NotImplementedError


def kl_gaussian_gaussian_mc(mu_q, logvar_q, mu_p, logvar_p, num_samples=1):
    """
    1.5 Monte Carlo estimate of KL(q || p) between diagonal Normal distributions.

        KL(q || p) ~= (1/S) sum_s  log q(z_s) - log p(z_s),   z_s ~ q

    Draw the samples with the reparameterization trick, z = mu_q + exp(logvar_q / 2) * eps
    with eps ~ N(0, I) (torch.randn_like), so that gradients flow to mu_q and logvar_q.
    The inputs are already expanded to (batch_size, num_samples, input_size): sum the log
    densities over the last dimension, then average over the samples.

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
    # YOUR CODE HERE
    raise NotImplementedError
