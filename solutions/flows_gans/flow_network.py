import torch
import torch.nn as nn
import torch.nn.functional as F


class MaskedLinear(nn.Linear):
    """Same as nn.Linear, except that a fixed 0/1 mask is applied to the weights."""

    def __init__(self, input_size, output_size, mask):
        super().__init__(input_size, output_size)
        self.register_buffer("mask", mask)  # (output_size, input_size)

    def forward(self, input):
        return F.linear(input, self.mask * self.weight, self.bias)


class PermuteLayer(nn.Module):
    """Layer to permute the ordering of inputs (here: reverse them).

    Reversing is its own inverse, so forward() and inverse() reorder the data in the same
    way. A permutation is volume preserving: its log-determinant is 0, returned as (B, 1).
    """

    def __init__(self, num_inputs):
        super().__init__()
        self.perm = list(range(num_inputs))[::-1]

    def forward(self, inputs):
        return inputs[:, self.perm], torch.zeros(inputs.size(0), 1, device=inputs.device)

    def inverse(self, inputs):
        return inputs[:, self.perm], torch.zeros(inputs.size(0), 1, device=inputs.device)


class MADE(nn.Module):
    """Masked Autoencoder for Distribution Estimation.
    https://arxiv.org/abs/1502.03509

    Uses sequential ordering as in the MAF paper.
    Gaussian MADE to work with real-valued inputs: self.net(x) has shape (B, 2 * D); its
    first D columns are the means mu, its last D columns the log standard deviations alpha,
    and mu_i, alpha_i depend only on x_1, ..., x_{i-1}.
    """

    def __init__(self, input_size, hidden_size, n_hidden):
        super().__init__()
        self.input_size = input_size
        self.hidden_size = hidden_size
        self.n_hidden = n_hidden

        masks = self.create_masks()

        # construct layers: input, hidden(s), output
        self.net = [MaskedLinear(self.input_size, self.hidden_size, masks[0])]
        self.net += [nn.ReLU()]
        for i in range(self.n_hidden):
            self.net += [MaskedLinear(self.hidden_size, self.hidden_size, masks[i + 1])]
            self.net += [nn.ReLU()]
        # the output layer predicts mu and alpha: same mask, repeated twice
        self.net += [
            MaskedLinear(self.hidden_size, self.input_size * 2, masks[-1].repeat(2, 1))
        ]
        self.net = nn.Sequential(*self.net)

    def create_masks(self):
        """Creates masks for sequential (natural) ordering."""
        input_degrees = torch.arange(self.input_size)
        degrees = [input_degrees]  # m(k) in the paper, for every layer
        for _ in range(self.n_hidden + 1):
            degrees += [torch.arange(self.hidden_size) % (self.input_size - 1)]
        # output i gets degree i - 1, so that it only sees inputs x_<i
        degrees += [input_degrees % self.input_size - 1]

        masks = []
        for d_in, d_out in zip(degrees[:-1], degrees[1:]):
            masks += [(d_out[:, None] >= d_in[None, :]).float()]  # (out, in)
        return masks

    def forward(self, z):
        """
        Run the forward mapping (z -> x) of MAF through one MADE block: the sampling direction.

            x_i = mu_i + exp(alpha_i) * z_i

        where mu_i and alpha_i are self.net's outputs for x_1, ..., x_{i-1}: conditioned on
        x, not on z. So x_i can only be computed once every x_<i is known, and sampling is
        sequential, one dimension at a time.

        :param z: Input noise of size (batch_size, self.input_size)
        :return: (x, log_det). x has size (batch_size, self.input_size).
            log_det = log |det dx/dz| should be 1-D (batch_size,)

        Hint: the Jacobian of an autoregressive map is triangular, so its determinant is
        the product of its diagonal. Make sure the alphas in log_det are those computed from
        the final x. Writing into a tensor in place (x[:, i] = ...) after self.net has read it
        is fine under torch.no_grad() (as in sample()), but breaks autograd otherwise.
        """
        # BEGIN SOLUTION
        x = torch.zeros_like(z)
        for _ in range(self.input_size):
            # x_i only depends on x_<i: pass i fixes dimension i for good, and the
            # dimensions before it do not change any more
            mu, alpha = self.net(x).chunk(2, dim=1)  # (B, D) each
            x = mu + torch.exp(alpha) * z
        log_det = alpha.sum(dim=1)  # (B,)
        return x, log_det
        # END SOLUTION

    def inverse(self, x):
        """
        Run the inverse mapping (x -> z) of MAF through one MADE block: the density direction.
        It undoes forward(): given x, recover the z that forward() maps to x.

        Here x is known in full, so every mu_i and alpha_i can be computed at once.

        :param x: Input data of size (batch_size, self.input_size)
        :return: (z, log_det). z has size (batch_size, self.input_size).
            log_det = log |det dz/dx| should be 1-D (batch_size,)

        Hint: solve forward's formula for z_i. The Jacobian of an inverse map is the inverse
        of the map's Jacobian (and it is triangular here too).
        """
        # BEGIN SOLUTION
        mu, alpha = self.net(x).chunk(2, dim=1)  # (B, D) each
        z = (x - mu) * torch.exp(-alpha)
        log_det = -alpha.sum(dim=1)  # (B,)
        return z, log_det
        # END SOLUTION


class MAF(nn.Module):
    """
    Masked Autoregressive Flow, using MADE layers.
    https://arxiv.org/abs/1705.07057
    """

    def __init__(self, input_size, hidden_size, n_hidden, n_flows):
        super().__init__()
        self.input_size = input_size
        self.hidden_size = hidden_size
        self.n_hidden = n_hidden
        self.n_flows = n_flows
        self.base_dist = torch.distributions.normal.Normal(0, 1)

        # need to flip ordering of inputs for every layer
        nf_blocks = []
        for _ in range(self.n_flows):
            nf_blocks.append(MADE(self.input_size, self.hidden_size, self.n_hidden))
            nf_blocks.append(PermuteLayer(self.input_size))  # permute dims
        self.nf = nn.Sequential(*nf_blocks)

    def log_probs(self, x):
        """
        Obtain the average log-likelihood log p(x) of a batch under the flow.
        By the change of variables formula, with z = f(x) the composition of every layer's
        inverse (self.nf in order):
            log p(x) = log p_base(z) + sum over layers of log |det dz_layer/dx_layer|
        where p_base is the standard Normal self.base_dist (its log-density is per dimension:
        sum it over dimensions).

        :param x: Input data of size (batch_size, self.input_size)
        :return: log_prob, the mean of log p(x) over the batch. This should be a 0-dim
            tensor that keeps its autograd graph (training calls loss(x).backward()).

        Hint: every layer has inverse(x) -> (z, log_det); MADE's log_det is (batch_size,)
        but PermuteLayer's is (batch_size, 1).
        """
        # BEGIN SOLUTION
        log_prob = torch.zeros(x.size(0), device=x.device)  # (B,)
        for flow in self.nf:
            x, log_det = flow.inverse(x)
            log_prob = log_prob + log_det.view(-1)
        log_prob = log_prob + self.base_dist.log_prob(x).sum(dim=1)
        return log_prob.mean()
        # END SOLUTION

    def loss(self, x):
        """
        Compute the loss.
        :param x: Input data of size (batch_size, self.input_size)
        :return: loss, the negative mean log-likelihood: a 0-dim tensor.
        """
        return -self.log_probs(x)

    def sample(self, device, n):
        """
        Draw <n> number of samples from the model.
        :param device: [cpu,cuda]
        :param n: Number of samples to be drawn.
        :return: x_sample. This should be a numpy array of size (n, self.input_size)
        """
        with torch.no_grad():
            x_sample = torch.randn(n, self.input_size).to(device)
            for flow in self.nf[::-1]:
                x_sample, log_det = flow.forward(x_sample)
            x_sample = x_sample.view(n, self.input_size)
            x_sample = x_sample.cpu().data.numpy()

        return x_sample
