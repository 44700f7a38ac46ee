"""
Question 2: GAN objectives, gradient penalties, moving average and the training step.

Conventions: the critic gives positive values to real data. `p` are real samples and `cp`
their critic values, `q` are fake samples and `cq` their critic values. Samples have shape
(N, *sample_shape) (a scalar per row for the "dirac" task, (3, 32, 32) for CIFAR-10);
critic values have shape (N,). Every objective returns a 0-dim tensor.
"""
import math

import torch
import torch.nn.functional as F
from torch import autograd

AVAILABLE_LOSSES = ['JSD', 'W1']
AVAILABLE_REGULARIZERS = ['GP', 'R1', None]


def jsd(cp, cq):
    """
    2.1 Jensen-Shannon divergence estimated by a critic whose logits are cp and cq.

        jsd = 0.5 * (E_p[log sigmoid(cp)] + E_q[log sigmoid(-cq)]) + log 2

    Hint: F.logsigmoid is the stable way to compute log sigmoid(x).

    :param cp: (FloatTensor) - shape: (N,) - critic values on real samples.
    :param cq: (FloatTensor) - shape: (M,) - critic values on fake samples.
    :return: (FloatTensor) - shape: () - the estimate.
    """
    # YOUR CODE HERE
    raise NotImplementedError


def w1(cp, cq):
    """
    2.1 Wasserstein-1 distance estimated by a critic: w1 = E_p[cp] - E_q[cq].

    :param cp: (FloatTensor) - shape: (N,) - critic values on real samples.
    :param cq: (FloatTensor) - shape: (M,) - critic values on fake samples.
    :return: (FloatTensor) - shape: () - the estimate.
    """
    # YOUR CODE HERE
    raise NotImplementedError


def r1gp(p, cp, q, cq, critic):
    """
    2.2 R1 penalty: zero-centred gradient penalty on real data.

        r1 = E_p[ ||grad_x critic(x)|_{x=p}||^2 ]

    The norm is the 2-norm of each sample's whole gradient (all non-batch dimensions).
    Hint: evaluate the critic on a copy of p that requires grad (p.detach().requires_grad_()),
    and call autograd.grad with create_graph=True so that the penalty itself can be
    differentiated with respect to the critic's parameters.

    :param p: (FloatTensor) - shape: (N, *sample_shape) - real samples.
    :param cp: (FloatTensor) - shape: (N,) - critic values on p (not needed here).
    :param q: (FloatTensor) - shape: (M, *sample_shape) - fake samples (not needed here).
    :param cq: (FloatTensor) - shape: (M,) - critic values on q (not needed here).
    :param critic: (nn.Module) - maps (N, *sample_shape) to (N,).
    :return: (FloatTensor) - shape: () - the penalty.
    """
    # YOUR CODE HERE
    raise NotImplementedError


def ogp(p, cp, q, cq, critic):
    """
    2.2 One-centred gradient penalty (WGAN-GP) on interpolates of real and fake samples.

        gp = E[(||grad_x critic(x)|_{x=x_hat}|| - 1)^2],   x_hat = eps * p + (1 - eps) * q

    Draw one eps ~ U(0, 1) per sample, as torch.rand of N values (the first random draw),
    and reshape it to (N, 1, ..., 1) so that it broadcasts over the sample shape. Note that
    eps multiplies the real sample. The norm is the 2-norm of each sample's whole gradient.
    Hint: same autograd.grad recipe as r1gp, with create_graph=True.

    :param p: (FloatTensor) - shape: (N, *sample_shape) - real samples.
    :param cp: (FloatTensor) - shape: (N,) - critic values on p (not needed here).
    :param q: (FloatTensor) - shape: (N, *sample_shape) - fake samples.
    :param cq: (FloatTensor) - shape: (N,) - critic values on q (not needed here).
    :param critic: (nn.Module) - maps (N, *sample_shape) to (N,).
    :return: (FloatTensor) - shape: () - the penalty.
    """
    # YOUR CODE HERE
    raise NotImplementedError


def make_losses(loss_type, reg_type=None, reg_cf=1.):
    """
    2.3 Build the two objectives of a GAN.

    Returns (metric, critic_loss), two functions of (p, q, critic):
      - metric(p, q, critic) = head(critic(p), critic(q)), the divergence estimate that the
        generator minimizes (head is jsd for 'JSD', w1 for 'W1');
      - critic_loss(p, q, critic) = -head(cp, cq) + reg_cf * reg(p, cp, q, cq, critic), which
        the critic minimizes: it maximizes the estimate while paying the penalty
        (reg is ogp for 'GP', r1gp for 'R1', nothing for None).

    :param loss_type: (str) - one of AVAILABLE_LOSSES.
    :param reg_type: (str or None) - one of AVAILABLE_REGULARIZERS.
    :param reg_cf: (float) - positive weight of the penalty.
    :return: (metric, critic_loss)
    """
    assert reg_cf > 0, 'reg_cf must be positive'
    if loss_type not in AVAILABLE_LOSSES:
        raise NotImplementedError(f'Unknown loss {loss_type!r}: choose one of {AVAILABLE_LOSSES}')
    if reg_type not in AVAILABLE_REGULARIZERS:
        raise NotImplementedError(f'Unknown regularizer {reg_type!r}: choose one of {AVAILABLE_REGULARIZERS}')

    # YOUR CODE HERE
    raise NotImplementedError


def apply_exponential_moving_average(source, target, alpha=0.998):
    """
    2.4 Move every parameter of `target` towards the matching parameter of `source`, in place:

        target = alpha * target + (1 - alpha) * source

    Hint: do it under torch.no_grad() and write into the target's tensors (e.g. with
    .copy_()), so that no autograd history is recorded. Returns None.

    :param source: (nn.Module) - the model being trained (the generator).
    :param target: (nn.Module) - the averaged copy, same architecture (the test generator).
    :param alpha: (float) - in (0, 1), the weight kept on the target.
    """
    # YOUR CODE HERE
    raise NotImplementedError


def make_train_step(loss_type, critic_inner_iters=1, reg_type=None, reg_cf=1., alpha_ema=None):
    """
    2.5 Build the function that performs one training step of the GAN.

    Returns train_step(train_data_iter, critic, critic_optim, generator, test_generator,
    generator_optim), which does, in this order:
      1. critic_inner_iters times: p = next(train_data_iter), q = generator(), zero the
         critic's gradients, backpropagate critic_loss(p, q, critic), critic_optim.step();
      2. once: p = next(train_data_iter), q = generator(), zero the generator's gradients,
         backpropagate metric(p, q, critic), generator_optim.step();
      3. if alpha_ema is not None: apply_exponential_moving_average(generator,
         test_generator, alpha_ema);
    and returns the metric computed in step 2.
    Hint: get metric and critic_loss from make_losses(loss_type, reg_type, reg_cf).

    :param loss_type: (str) - one of AVAILABLE_LOSSES.
    :param critic_inner_iters: (int) - critic updates per generator update, at least 1.
    :param reg_type: (str or None) - one of AVAILABLE_REGULARIZERS.
    :param reg_cf: (float) - positive weight of the penalty.
    :param alpha_ema: (float or None) - moving-average weight, None to skip it.
    :return: train_step
    """
    assert critic_inner_iters >= 1, 'critic_inner_iters must be at least 1'
    assert alpha_ema is None or 0 < alpha_ema < 1, 'alpha_ema must be None or in (0, 1)'

    # YOUR CODE HERE
    raise NotImplementedError
