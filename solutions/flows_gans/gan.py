import torch
from torch.nn import functional as F


def loss_nonsaturating_d(g, d, x_real, *, device):
    """
    Arguments:
    - g (network.Generator): The generator network
    - d (network.Discriminator): The discriminator network
      - Note that d outputs logits, of shape (batch_size,)
    - x_real (torch.Tensor): training data samples (batch_size, 1, 28, 28)
    - device (torch.device), keyword-only: where new tensors are made (z is drawn there)

    Returns:
    - d_loss (torch.Tensor): nonsaturating discriminator loss, a 0-dim tensor:
        -E_x[log D(x_real)] - E_z[log(1 - D(g(z)))]
      where D(x) = sigmoid(d(x)) is the probability that d gives to x being real, and the
      expectations are means over the batch.

    Hint: d gives logits. For a very negative logit t, sigmoid(t) rounds to 0 and
    log(sigmoid(t)) to -inf: compute log-sigmoid in a numerically stable form, straight from
    the logits. What is 1 - sigmoid(t) in terms of sigmoid?
    """
    batch_size = x_real.shape[0]
    z = torch.randn(batch_size, g.dim_z, device=device)

    # BEGIN SOLUTION
    d_loss = -F.logsigmoid(d(x_real)).mean() - F.logsigmoid(-d(g(z))).mean()
    return d_loss
    # END SOLUTION


def loss_nonsaturating_g(g, d, x_real, *, device):
    """
    Arguments:
    - g (network.Generator): The generator network
    - d (network.Discriminator): The discriminator network
      - Note that d outputs logits, of shape (batch_size,)
    - x_real (torch.Tensor): training data samples (batch_size, 1, 28, 28)
    - device (torch.device), keyword-only: where new tensors are made (z is drawn there)

    Returns:
    - g_loss (torch.Tensor): nonsaturating generator loss, a 0-dim tensor:
        -E_z[log D(g(z))],   D = sigmoid(d)
      Rather than minimizing log(1 - D(g(z))), whose gradient vanishes while d easily tells
      the fakes apart (early in training), the generator maximizes log D(g(z)).

    Hint: the same numerical pitfall as in the discriminator's loss.
    """
    batch_size = x_real.shape[0]
    z = torch.randn(batch_size, g.dim_z, device=device)

    # BEGIN SOLUTION
    g_loss = -F.logsigmoid(d(g(z))).mean()
    return g_loss
    # END SOLUTION


def conditional_loss_nonsaturating_d(g, d, x_real, y_real, *, device):
    """
    Arguments:
    - g (network.ConditionalGenerator): The generator network
    - d (network.ConditionalDiscriminator): The discriminator network
      - Note that d outputs logits, of shape (batch_size,)
    - x_real (torch.Tensor): training data samples (batch_size, 1, 28, 28)
    - y_real (torch.Tensor): training data labels (batch_size,), a long tensor
    - device (torch.device), keyword-only: where new tensors are made (z is drawn there)

    Returns:
    - d_loss (torch.Tensor): nonsaturating conditional discriminator loss, a 0-dim tensor:
      the loss of loss_nonsaturating_d where both networks also see a label: d judges
      (x_real, y_real) pairs and pairs of a fake with the label it was generated for.
      The fake samples are generated with the real labels y_real.
    """
    batch_size = x_real.shape[0]
    z = torch.randn(batch_size, g.dim_z, device=device)

    # BEGIN SOLUTION
    x_fake = g(z, y_real)
    d_loss = -F.logsigmoid(d(x_real, y_real)).mean() - F.logsigmoid(-d(x_fake, y_real)).mean()
    return d_loss
    # END SOLUTION


def conditional_loss_nonsaturating_g(g, d, x_real, y_real, *, device):
    """
    Arguments:
    - g (network.ConditionalGenerator): The generator network
    - d (network.ConditionalDiscriminator): The discriminator network
      - Note that d outputs logits, of shape (batch_size,)
    - x_real (torch.Tensor): training data samples (batch_size, 1, 28, 28)
    - y_real (torch.Tensor): training data labels (batch_size,), a long tensor
    - device (torch.device), keyword-only: where new tensors are made (z is drawn there)

    Returns:
    - g_loss (torch.Tensor): nonsaturating conditional generator loss, a 0-dim tensor:
      the loss of loss_nonsaturating_g with labels; the fakes are generated with, and
      judged with, the real labels y_real.
    """
    batch_size = x_real.shape[0]
    z = torch.randn(batch_size, g.dim_z, device=device)

    # BEGIN SOLUTION
    g_loss = -F.logsigmoid(d(g(z, y_real), y_real)).mean()
    return g_loss
    # END SOLUTION


def loss_wasserstein_gp_d(g, d, x_real, *, device):
    """
    Arguments:
    - g (network.Generator): The generator network
    - d (network.Discriminator): The discriminator network
      - Note that d outputs value of discriminator, of shape (batch_size,)
    - x_real (torch.Tensor): training data samples (batch_size, 1, 28, 28)
    - device (torch.device), keyword-only: where new tensors are made (z is drawn there)

    Returns:
    - d_loss (torch.Tensor): wasserstein discriminator loss with gradient penalty, 0-dim:
        E[d(x_fake)] - E[d(x_real)] + 10 * E[(||grad_r d(r)||_2 - 1)^2]
      where x_fake = g(z) and r = alpha * x_fake + (1 - alpha) * x_real, with one
      alpha ~ U(0, 1) per sample. The penalty keeps d close to 1-Lipschitz along the lines
      between real and fake samples; the norm is over each sample's whole gradient (1 x 28 x 28).

    Hint: the penalty is part of d's loss, so d's optimizer must see its gradient with
    respect to d's parameters: the gradient with respect to r has to stay in the autograd
    graph (see the options of torch.autograd.grad). Mind the shapes: alpha must broadcast
    over the image dimensions.

    Grading contract: draw alpha right after z, as torch.rand(batch_size, 1, 1, 1, device=device)
    (one draw of batch_size uniforms), and let alpha multiply the fake sample.
    """
    batch_size = x_real.shape[0]
    z = torch.randn(batch_size, g.dim_z, device=device)

    # BEGIN SOLUTION
    alpha = torch.rand(batch_size, 1, 1, 1, device=device)
    x_fake = g(z)
    critic_loss = d(x_fake).mean() - d(x_real).mean()

    r = alpha * x_fake + (1 - alpha) * x_real
    # row i of the gradient of d(r).sum() is the gradient of d(r_i): samples are independent
    grad = torch.autograd.grad(d(r).sum(), r, create_graph=True)[0]  # (B, 1, 28, 28)
    grad_norm = grad.reshape(batch_size, -1).norm(dim=1)  # (B,)
    penalty = ((grad_norm - 1) ** 2).mean()

    d_loss = critic_loss + 10 * penalty
    return d_loss
    # END SOLUTION


def loss_wasserstein_gp_g(g, d, x_real, *, device):
    """
    Arguments:
    - g (network.Generator): The generator network
    - d (network.Discriminator): The discriminator network
      - Note that d outputs value of discriminator, of shape (batch_size,)
    - x_real (torch.Tensor): training data samples (batch_size, 1, 28, 28)
    - device (torch.device), keyword-only: where new tensors are made (z is drawn there)

    Returns:
    - g_loss (torch.Tensor): wasserstein generator loss, a 0-dim tensor:
        -E[d(g(z))]
      The generator minimizes the critic's estimate E[d(x_real)] - E[d(g(z))] of the
      Wasserstein distance, and only its second term depends on g.
    """
    batch_size = x_real.shape[0]
    z = torch.randn(batch_size, g.dim_z, device=device)

    # BEGIN SOLUTION
    g_loss = -d(g(z)).mean()
    return g_loss
    # END SOLUTION
