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

    sigmoid(c) is the critic's probability that a sample is real. For the best critic the
    estimate equals the Jensen-Shannon divergence of p and q, which is at most log 2.

    Hint: the critic values are logits, possibly of size 100 or more. Computing sigmoid
    first and its log second rounds to log(0) = -inf for very negative logits: find a form
    that stays finite.

    :param cp: (FloatTensor) - shape: (N,) - critic values on real samples.
    :param cq: (FloatTensor) - shape: (M,) - critic values on fake samples.
    :return: (FloatTensor) - shape: () - the estimate.
    """
    # YOUR CODE HERE
    raise NotImplementedError


def w1(cp, cq):
    """
    2.1 Wasserstein-1 distance estimated by a critic: w1 = E_p[cp] - E_q[cq].

    By Kantorovich-Rubinstein duality, the supremum of this over 1-Lipschitz critics is the
    Wasserstein-1 distance between p and q.

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

    The norm is the 2-norm of each sample's whole gradient (all non-batch dimensions). It
    penalizes a critic that is steep on the data, which stabilizes training near equilibrium.

    Hint: this is a gradient with respect to the critic's input, which autograd only gives
    for a tensor that requires grad. The critic's optimizer minimizes the penalty, so the
    gradient you compute must itself stay differentiable with respect to the critic's
    parameters (see the options of autograd.grad). The critic treats rows independently,
    so one gradient call can give every sample's gradient.

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

    with one eps ~ U(0, 1) per sample. The norm is the 2-norm of each sample's whole
    gradient. It pushes the critic towards gradients of norm 1 (a 1-Lipschitz critic, as
    W1 asks for) on the lines between real and fake samples.

    Hint: the autograd pitfalls of r1gp apply here too. Mind the shapes: eps has one value per
    sample and must broadcast over the sample shape, whatever its number of dimensions (and
    live on p's device).

    Grading contract: draw eps first (no random draw before it), as torch.rand of N values,
    and let eps multiply the real sample p.

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
      - metric: the divergence estimate of loss_type (jsd for 'JSD', w1 for 'W1') from the
        critic's values on p and q. The generator minimizes it.
      - critic_loss: what the critic minimizes. The critic makes the estimate as large as it
        can (a tighter estimate of the divergence) while paying reg_cf times the penalty of
        reg_type (ogp for 'GP', r1gp for 'R1', no penalty for None).

    Grading contract: call jsd, w1, ogp and r1gp through these module names (not through a
    table built at import), and give the penalty the p and q of the same call: the grader
    swaps in stand-ins for the four.

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

    The average is steadier than the trained generator, whose parameters can keep
    oscillating around an equilibrium (see the Dirac GAN). Returns None.

    Hint: "in place" means the target keeps its own parameter tensors (other code holds
    references to them) and only their values change. The update is not part of
    any loss: no autograd history may be recorded.

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
    generator_optim). One step first trains the critic for critic_inner_iters updates, each
    minimizing critic_loss on a fresh batch of real samples (next(train_data_iter)) and a
    fresh batch of fakes (generator()); then it makes one generator update, minimizing the
    metric on fresh batches, with the critic fixed; then, if alpha_ema is not None, it moves
    test_generator towards generator by the moving average of 2.4. It returns the metric of
    the generator update.

    Hint: backward() adds into the .grad of every parameter it reaches, and the generator's
    loss reaches the critic's parameters too; gradients left from earlier steps are there
    as well. Each optimizer must step on the gradient of its own loss only.

    Grading contract: get metric and critic_loss from make_losses, and average with
    apply_exponential_moving_average (the grader swaps in stand-ins for both); one
    next(train_data_iter) and one generator() call per update.

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
