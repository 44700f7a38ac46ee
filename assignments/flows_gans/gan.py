import torch
from torch.nn import functional as F


def loss_nonsaturating_d(g, d, x_real, *, device):
    """
    Arguments:
    - g (network.Generator): The generator network
    - d (network.Discriminator): The discriminator network
      - Note that d outputs logits, of shape (batch_size,)
    - x_real (torch.Tensor): training data samples (64, 1, 28, 28)
    - device (torch.device): 'cpu' by default

    Returns:
    - d_loss (torch.Tensor): nonsaturating discriminator loss, a 0-dim tensor:
        -E[log sigmoid(d(x_real))] - E[log(1 - sigmoid(d(g(z))))]
      with expectations taken as means over the batch.

    Note that 1 - sigmoid(t) = sigmoid(-t).
    """
    batch_size = x_real.shape[0]
    z = torch.randn(batch_size, g.dim_z, device=device)

    # You may find some or all of the below useful:
    #   - F.binary_cross_entropy_with_logits
    #   - F.logsigmoid
    # YOUR CODE HERE
    raise NotImplementedError


def loss_nonsaturating_g(g, d, x_real, *, device):
    """
    Arguments:
    - g (network.Generator): The generator network
    - d (network.Discriminator): The discriminator network
      - Note that d outputs logits, of shape (batch_size,)
    - x_real (torch.Tensor): training data samples (64, 1, 28, 28)
    - device (torch.device): 'cpu' by default

    Returns:
    - g_loss (torch.Tensor): nonsaturating generator loss, a 0-dim tensor:
        -E[log sigmoid(d(g(z)))]
      with the expectation taken as a mean over the batch.
    """
    batch_size = x_real.shape[0]
    z = torch.randn(batch_size, g.dim_z, device=device)

    # You may find some or all of the below useful:
    #   - F.logsigmoid
    # YOUR CODE HERE
    raise NotImplementedError


def conditional_loss_nonsaturating_d(g, d, x_real, y_real, *, device):
    """
    Arguments:
    - g (network.ConditionalGenerator): The generator network
    - d (network.ConditionalDiscriminator): The discriminator network
      - Note that d outputs logits, of shape (batch_size,)
    - x_real (torch.Tensor): training data samples (64, 1, 28, 28)
    - y_real (torch.Tensor): training data labels (64), a long tensor
    - device (torch.device): 'cpu' by default

    Returns:
    - d_loss (torch.Tensor): nonsaturating conditional discriminator loss, a 0-dim tensor:
        -E[log sigmoid(d(x_real, y_real))] - E[log(1 - sigmoid(d(g(z, y_real), y_real)))]
      The fake samples are generated with the real labels y_real.
    """
    batch_size = x_real.shape[0]
    z = torch.randn(batch_size, g.dim_z, device=device)

    # You may find some or all of the below useful:
    #   - F.binary_cross_entropy_with_logits
    #   - F.logsigmoid
    # YOUR CODE HERE
    raise NotImplementedError


def conditional_loss_nonsaturating_g(g, d, x_real, y_real, *, device):
    """
    Arguments:
    - g (network.ConditionalGenerator): The generator network
    - d (network.ConditionalDiscriminator): The discriminator network
      - Note that d outputs logits, of shape (batch_size,)
    - x_real (torch.Tensor): training data samples (64, 1, 28, 28)
    - y_real (torch.Tensor): training data labels (64), a long tensor
    - device (torch.device): 'cpu' by default

    Returns:
    - g_loss (torch.Tensor): nonsaturating conditional generator loss, a 0-dim tensor:
        -E[log sigmoid(d(g(z, y_real), y_real))]
    """
    batch_size = x_real.shape[0]
    z = torch.randn(batch_size, g.dim_z, device=device)

    # You may find some or all of the below useful:
    #   - F.logsigmoid
    # YOUR CODE HERE
    raise NotImplementedError


def loss_wasserstein_gp_d(g, d, x_real, *, device):
    """
    Arguments:
    - g (network.Generator): The generator network
    - d (network.Discriminator): The discriminator network
      - Note that d outputs value of discriminator, of shape (batch_size,)
    - x_real (torch.Tensor): training data samples (64, 1, 28, 28)
    - device (torch.device): 'cpu' by default

    Returns:
    - d_loss (torch.Tensor): wasserstein discriminator loss with gradient penalty, 0-dim:
        E[d(x_fake)] - E[d(x_real)] + 10 * E[(||grad_r d(r)||_2 - 1)^2]
      where x_fake = g(z) and r = alpha * x_fake + (1 - alpha) * x_real, with one
      alpha ~ U(0, 1) per sample, drawn as torch.rand(batch_size, 1, 1, 1, device=device)
      right after z. The norm is taken over each sample's whole gradient (1 x 28 x 28).

    The penalty must stay differentiable with respect to d's parameters: compute the
    gradient with torch.autograd.grad(..., create_graph=True).
    """
    batch_size = x_real.shape[0]
    z = torch.randn(batch_size, g.dim_z, device=device)

    # You may find some or all of the below useful:
    #   - torch.rand
    #   - torch.autograd.grad(..., create_graph=True)
    # YOUR CODE HERE
    raise NotImplementedError


def loss_wasserstein_gp_g(g, d, x_real, *, device):
    """
    Arguments:
    - g (network.Generator): The generator network
    - d (network.Discriminator): The discriminator network
      - Note that d outputs value of discriminator, of shape (batch_size,)
    - x_real (torch.Tensor): training data samples (64, 1, 28, 28)
    - device (torch.device): 'cpu' by default

    Returns:
    - g_loss (torch.Tensor): wasserstein generator loss, a 0-dim tensor:
        -E[d(g(z))]
    """
    batch_size = x_real.shape[0]
    z = torch.randn(batch_size, g.dim_z, device=device)

    # YOUR CODE HERE
    raise NotImplementedError
