"""Common mistakes in flows_gans, recognised by the grader to explain a wrong answer.

Each entry of MISTAKES names the student part, the reference attribute it stands in for
("<file stem>:<qualified name>"), a complete wrong implementation with the same signature,
and a one-sentence message for the student. The grader swaps the function in for the target,
runs the same test inputs, and shows the message when the student's outputs match the
mistake's. Every function is self-contained and repeats the provided lines (such as the z
draw) so that the random stream matches the student's.
"""
import torch
import torch.nn.functional as F


# ---------------------------------------------------------------- 1a: MADE.forward (z -> x)

def made_forward_one_pass(self, z):
    mu, alpha = self.net(z).chunk(2, dim=1)
    x = mu + torch.exp(alpha) * z
    return x, alpha.sum(dim=1)


def made_forward_exp_neg_alpha(self, z):
    x = torch.zeros_like(z)
    for _ in range(self.input_size):
        mu, alpha = self.net(x).chunk(2, dim=1)
        x = mu + torch.exp(-alpha) * z
    return x, alpha.sum(dim=1)


def made_forward_inverse_formula(self, z):
    x = torch.zeros_like(z)
    for _ in range(self.input_size):
        mu, alpha = self.net(x).chunk(2, dim=1)
        x = (z - mu) * torch.exp(-alpha)
    return x, alpha.sum(dim=1)


def made_forward_negative_logdet(self, z):
    x = torch.zeros_like(z)
    for _ in range(self.input_size):
        mu, alpha = self.net(x).chunk(2, dim=1)
        x = mu + torch.exp(alpha) * z
    return x, -alpha.sum(dim=1)


def made_forward_logdet_first_pass(self, z):
    x = torch.zeros_like(z)
    log_det = None
    for _ in range(self.input_size):
        mu, alpha = self.net(x).chunk(2, dim=1)
        x = mu + torch.exp(alpha) * z
        if log_det is None:
            log_det = alpha.sum(dim=1)
    return x, log_det


def made_forward_logdet_not_summed(self, z):
    x = torch.zeros_like(z)
    for _ in range(self.input_size):
        mu, alpha = self.net(x).chunk(2, dim=1)
        x = mu + torch.exp(alpha) * z
    return x, alpha


def made_forward_logdet_keepdim(self, z):
    x = torch.zeros_like(z)
    for _ in range(self.input_size):
        mu, alpha = self.net(x).chunk(2, dim=1)
        x = mu + torch.exp(alpha) * z
    return x, alpha.sum(dim=1, keepdim=True)


def made_forward_swapped_mu_alpha(self, z):
    x = torch.zeros_like(z)
    for _ in range(self.input_size):
        alpha, mu = self.net(x).chunk(2, dim=1)
        x = mu + torch.exp(alpha) * z
    return x, alpha.sum(dim=1)


# ---------------------------------------------------------------- 1b: MADE.inverse (x -> z)

def made_inverse_positive_logdet(self, x):
    mu, alpha = self.net(x).chunk(2, dim=1)
    z = (x - mu) * torch.exp(-alpha)
    return z, alpha.sum(dim=1)


def made_inverse_exp_alpha(self, x):
    mu, alpha = self.net(x).chunk(2, dim=1)
    z = (x - mu) * torch.exp(alpha)
    return z, -alpha.sum(dim=1)


def made_inverse_logdet_not_summed(self, x):
    mu, alpha = self.net(x).chunk(2, dim=1)
    z = (x - mu) * torch.exp(-alpha)
    return z, -alpha


def made_inverse_logdet_summed_over_batch(self, x):
    mu, alpha = self.net(x).chunk(2, dim=1)
    z = (x - mu) * torch.exp(-alpha)
    return z, -alpha.sum()


def made_inverse_mu_after_scaling(self, x):
    mu, alpha = self.net(x).chunk(2, dim=1)
    z = x * torch.exp(-alpha) - mu
    return z, -alpha.sum(dim=1)


def made_inverse_swapped_mu_alpha(self, x):
    alpha, mu = self.net(x).chunk(2, dim=1)
    z = (x - mu) * torch.exp(-alpha)
    return z, -alpha.sum(dim=1)


# ---------------------------------------------------------------- 1c: MAF.log_probs

def maf_log_probs_sum_over_batch(self, x):
    log_prob = torch.zeros(x.size(0), device=x.device)
    for flow in self.nf:
        x, log_det = flow.inverse(x)
        log_prob = log_prob + log_det.view(-1)
    log_prob = log_prob + self.base_dist.log_prob(x).sum(dim=1)
    return log_prob.sum()


def maf_log_probs_no_mean(self, x):
    log_prob = torch.zeros(x.size(0), device=x.device)
    for flow in self.nf:
        x, log_det = flow.inverse(x)
        log_prob = log_prob + log_det.view(-1)
    log_prob = log_prob + self.base_dist.log_prob(x).sum(dim=1)
    return log_prob


def maf_log_probs_no_base_density(self, x):
    log_prob = torch.zeros(x.size(0), device=x.device)
    for flow in self.nf:
        x, log_det = flow.inverse(x)
        log_prob = log_prob + log_det.view(-1)
    return log_prob.mean()


def maf_log_probs_no_log_dets(self, x):
    for flow in self.nf:
        x, log_det = flow.inverse(x)
    return self.base_dist.log_prob(x).sum(dim=1).mean()


def maf_log_probs_subtract_log_dets(self, x):
    log_prob = torch.zeros(x.size(0), device=x.device)
    for flow in self.nf:
        x, log_det = flow.inverse(x)
        log_prob = log_prob - log_det.view(-1)
    log_prob = log_prob + self.base_dist.log_prob(x).sum(dim=1)
    return log_prob.mean()


def maf_log_probs_forward(self, x):
    log_prob = torch.zeros(x.size(0), device=x.device)
    for flow in self.nf:
        x, log_det = flow.forward(x)
        log_prob = log_prob + log_det.view(-1)
    log_prob = log_prob + self.base_dist.log_prob(x).sum(dim=1)
    return log_prob.mean()


def maf_log_probs_reversed_order(self, x):
    log_prob = torch.zeros(x.size(0), device=x.device)
    for flow in self.nf[::-1]:
        x, log_det = flow.inverse(x)
        log_prob = log_prob + log_det.view(-1)
    log_prob = log_prob + self.base_dist.log_prob(x).sum(dim=1)
    return log_prob.mean()


def maf_log_probs_base_density_of_input(self, x):
    log_prob = self.base_dist.log_prob(x).sum(dim=1)
    for flow in self.nf:
        x, log_det = flow.inverse(x)
        log_prob = log_prob + log_det.view(-1)
    return log_prob.mean()


def maf_log_probs_no_log_2pi(self, x):
    log_prob = torch.zeros(x.size(0), device=x.device)
    for flow in self.nf:
        x, log_det = flow.inverse(x)
        log_prob = log_prob + log_det.view(-1)
    log_prob = log_prob - 0.5 * (x ** 2).sum(dim=1)
    return log_prob.mean()


def maf_log_probs_negated(self, x):
    log_prob = torch.zeros(x.size(0), device=x.device)
    for flow in self.nf:
        x, log_det = flow.inverse(x)
        log_prob = log_prob + log_det.view(-1)
    log_prob = log_prob + self.base_dist.log_prob(x).sum(dim=1)
    return -log_prob.mean()


def maf_log_probs_python_float(self, x):
    log_prob = torch.zeros(x.size(0), device=x.device)
    for flow in self.nf:
        x, log_det = flow.inverse(x)
        log_prob = log_prob + log_det.view(-1)
    log_prob = log_prob + self.base_dist.log_prob(x).sum(dim=1)
    return log_prob.mean().item()


# ---------------------------------------------------------------- 2b: non-saturating GAN

def nonsat_d_sum(g, d, x_real, *, device):
    batch_size = x_real.shape[0]
    z = torch.randn(batch_size, g.dim_z, device=device)
    return -F.logsigmoid(d(x_real)).sum() - F.logsigmoid(-d(g(z))).sum()


def nonsat_d_no_minus(g, d, x_real, *, device):
    batch_size = x_real.shape[0]
    z = torch.randn(batch_size, g.dim_z, device=device)
    return F.logsigmoid(d(x_real)).mean() + F.logsigmoid(-d(g(z))).mean()


def nonsat_d_fake_log_sigmoid(g, d, x_real, *, device):
    batch_size = x_real.shape[0]
    z = torch.randn(batch_size, g.dim_z, device=device)
    return -F.logsigmoid(d(x_real)).mean() - F.logsigmoid(d(g(z))).mean()


def nonsat_d_swapped_labels(g, d, x_real, *, device):
    batch_size = x_real.shape[0]
    z = torch.randn(batch_size, g.dim_z, device=device)
    return -F.logsigmoid(-d(x_real)).mean() - F.logsigmoid(d(g(z))).mean()


def nonsat_d_no_fake_term(g, d, x_real, *, device):
    batch_size = x_real.shape[0]
    z = torch.randn(batch_size, g.dim_z, device=device)
    return -F.logsigmoid(d(x_real)).mean()


def nonsat_g_saturating(g, d, x_real, *, device):
    batch_size = x_real.shape[0]
    z = torch.randn(batch_size, g.dim_z, device=device)
    return F.logsigmoid(-d(g(z))).mean()


def nonsat_g_no_minus(g, d, x_real, *, device):
    batch_size = x_real.shape[0]
    z = torch.randn(batch_size, g.dim_z, device=device)
    return F.logsigmoid(d(g(z))).mean()


def nonsat_g_fake_label(g, d, x_real, *, device):
    batch_size = x_real.shape[0]
    z = torch.randn(batch_size, g.dim_z, device=device)
    return -F.logsigmoid(-d(g(z))).mean()


def nonsat_g_sum(g, d, x_real, *, device):
    batch_size = x_real.shape[0]
    z = torch.randn(batch_size, g.dim_z, device=device)
    return -F.logsigmoid(d(g(z))).sum()


def nonsat_g_detached(g, d, x_real, *, device):
    batch_size = x_real.shape[0]
    z = torch.randn(batch_size, g.dim_z, device=device)
    return -F.logsigmoid(d(g(z).detach())).mean()


# ---------------------------------------------------------------- 4b: conditional GAN

def cond_d_random_fake_labels(g, d, x_real, y_real, *, device):
    batch_size = x_real.shape[0]
    z = torch.randn(batch_size, g.dim_z, device=device)
    y_fake = y_real[torch.randperm(batch_size, device=device)]
    x_fake = g(z, y_fake)
    return -F.logsigmoid(d(x_real, y_real)).mean() - F.logsigmoid(-d(x_fake, y_fake)).mean()


def cond_d_fake_scored_with_other_labels(g, d, x_real, y_real, *, device):
    batch_size = x_real.shape[0]
    z = torch.randn(batch_size, g.dim_z, device=device)
    y_other = y_real[torch.randperm(batch_size, device=device)]
    x_fake = g(z, y_real)
    return -F.logsigmoid(d(x_real, y_real)).mean() - F.logsigmoid(-d(x_fake, y_other)).mean()


def cond_d_sum(g, d, x_real, y_real, *, device):
    batch_size = x_real.shape[0]
    z = torch.randn(batch_size, g.dim_z, device=device)
    x_fake = g(z, y_real)
    return -F.logsigmoid(d(x_real, y_real)).sum() - F.logsigmoid(-d(x_fake, y_real)).sum()


def cond_d_fake_log_sigmoid(g, d, x_real, y_real, *, device):
    batch_size = x_real.shape[0]
    z = torch.randn(batch_size, g.dim_z, device=device)
    x_fake = g(z, y_real)
    return -F.logsigmoid(d(x_real, y_real)).mean() - F.logsigmoid(d(x_fake, y_real)).mean()


def cond_d_no_minus(g, d, x_real, y_real, *, device):
    batch_size = x_real.shape[0]
    z = torch.randn(batch_size, g.dim_z, device=device)
    x_fake = g(z, y_real)
    return F.logsigmoid(d(x_real, y_real)).mean() + F.logsigmoid(-d(x_fake, y_real)).mean()


def cond_g_random_labels(g, d, x_real, y_real, *, device):
    batch_size = x_real.shape[0]
    z = torch.randn(batch_size, g.dim_z, device=device)
    y_fake = y_real[torch.randperm(batch_size, device=device)]
    return -F.logsigmoid(d(g(z, y_fake), y_fake)).mean()


def cond_g_scored_with_other_labels(g, d, x_real, y_real, *, device):
    batch_size = x_real.shape[0]
    z = torch.randn(batch_size, g.dim_z, device=device)
    y_other = y_real[torch.randperm(batch_size, device=device)]
    return -F.logsigmoid(d(g(z, y_real), y_other)).mean()


def cond_g_saturating(g, d, x_real, y_real, *, device):
    batch_size = x_real.shape[0]
    z = torch.randn(batch_size, g.dim_z, device=device)
    return F.logsigmoid(-d(g(z, y_real), y_real)).mean()


def cond_g_no_minus(g, d, x_real, y_real, *, device):
    batch_size = x_real.shape[0]
    z = torch.randn(batch_size, g.dim_z, device=device)
    return F.logsigmoid(d(g(z, y_real), y_real)).mean()


def cond_g_sum(g, d, x_real, y_real, *, device):
    batch_size = x_real.shape[0]
    z = torch.randn(batch_size, g.dim_z, device=device)
    return -F.logsigmoid(d(g(z, y_real), y_real)).sum()


# ---------------------------------------------------------------- 5e: WGAN-GP

def wgan_gp_d_alpha_on_real(g, d, x_real, *, device):
    batch_size = x_real.shape[0]
    z = torch.randn(batch_size, g.dim_z, device=device)
    alpha = torch.rand(batch_size, 1, 1, 1, device=device)
    x_fake = g(z)
    r = alpha * x_real + (1 - alpha) * x_fake
    grad = torch.autograd.grad(d(r).sum(), r, create_graph=True)[0]
    penalty = ((grad.reshape(batch_size, -1).norm(dim=1) - 1) ** 2).mean()
    return d(x_fake).mean() - d(x_real).mean() + 10 * penalty


def wgan_gp_d_no_create_graph(g, d, x_real, *, device):
    batch_size = x_real.shape[0]
    z = torch.randn(batch_size, g.dim_z, device=device)
    alpha = torch.rand(batch_size, 1, 1, 1, device=device)
    x_fake = g(z)
    r = alpha * x_fake + (1 - alpha) * x_real
    grad = torch.autograd.grad(d(r).sum(), r)[0]
    penalty = ((grad.reshape(batch_size, -1).norm(dim=1) - 1) ** 2).mean()
    return d(x_fake).mean() - d(x_real).mean() + 10 * penalty


def wgan_gp_d_norm_last_dim(g, d, x_real, *, device):
    batch_size = x_real.shape[0]
    z = torch.randn(batch_size, g.dim_z, device=device)
    alpha = torch.rand(batch_size, 1, 1, 1, device=device)
    x_fake = g(z)
    r = alpha * x_fake + (1 - alpha) * x_real
    grad = torch.autograd.grad(d(r).sum(), r, create_graph=True)[0]
    penalty = ((grad.norm(dim=-1) - 1) ** 2).mean()
    return d(x_fake).mean() - d(x_real).mean() + 10 * penalty


def wgan_gp_d_norm_whole_batch(g, d, x_real, *, device):
    batch_size = x_real.shape[0]
    z = torch.randn(batch_size, g.dim_z, device=device)
    alpha = torch.rand(batch_size, 1, 1, 1, device=device)
    x_fake = g(z)
    r = alpha * x_fake + (1 - alpha) * x_real
    grad = torch.autograd.grad(d(r).sum(), r, create_graph=True)[0]
    penalty = (grad.norm() - 1) ** 2
    return d(x_fake).mean() - d(x_real).mean() + 10 * penalty


def wgan_gp_d_weight_1(g, d, x_real, *, device):
    batch_size = x_real.shape[0]
    z = torch.randn(batch_size, g.dim_z, device=device)
    alpha = torch.rand(batch_size, 1, 1, 1, device=device)
    x_fake = g(z)
    r = alpha * x_fake + (1 - alpha) * x_real
    grad = torch.autograd.grad(d(r).sum(), r, create_graph=True)[0]
    penalty = ((grad.reshape(batch_size, -1).norm(dim=1) - 1) ** 2).mean()
    return d(x_fake).mean() - d(x_real).mean() + penalty


def wgan_gp_d_swapped_critic_terms(g, d, x_real, *, device):
    batch_size = x_real.shape[0]
    z = torch.randn(batch_size, g.dim_z, device=device)
    alpha = torch.rand(batch_size, 1, 1, 1, device=device)
    x_fake = g(z)
    r = alpha * x_fake + (1 - alpha) * x_real
    grad = torch.autograd.grad(d(r).sum(), r, create_graph=True)[0]
    penalty = ((grad.reshape(batch_size, -1).norm(dim=1) - 1) ** 2).mean()
    return d(x_real).mean() - d(x_fake).mean() + 10 * penalty


def wgan_gp_d_one_alpha(g, d, x_real, *, device):
    batch_size = x_real.shape[0]
    z = torch.randn(batch_size, g.dim_z, device=device)
    alpha = torch.rand(1, device=device)
    x_fake = g(z)
    r = alpha * x_fake + (1 - alpha) * x_real
    grad = torch.autograd.grad(d(r).sum(), r, create_graph=True)[0]
    penalty = ((grad.reshape(batch_size, -1).norm(dim=1) - 1) ** 2).mean()
    return d(x_fake).mean() - d(x_real).mean() + 10 * penalty


def wgan_gp_d_squared_norm(g, d, x_real, *, device):
    batch_size = x_real.shape[0]
    z = torch.randn(batch_size, g.dim_z, device=device)
    alpha = torch.rand(batch_size, 1, 1, 1, device=device)
    x_fake = g(z)
    r = alpha * x_fake + (1 - alpha) * x_real
    grad = torch.autograd.grad(d(r).sum(), r, create_graph=True)[0]
    penalty = (grad.reshape(batch_size, -1).norm(dim=1) ** 2).mean()
    return d(x_fake).mean() - d(x_real).mean() + 10 * penalty


def wgan_g_no_minus(g, d, x_real, *, device):
    batch_size = x_real.shape[0]
    z = torch.randn(batch_size, g.dim_z, device=device)
    return d(g(z)).mean()


def wgan_g_sum(g, d, x_real, *, device):
    batch_size = x_real.shape[0]
    z = torch.randn(batch_size, g.dim_z, device=device)
    return -d(g(z)).sum()


def wgan_g_with_real_term(g, d, x_real, *, device):
    batch_size = x_real.shape[0]
    z = torch.randn(batch_size, g.dim_z, device=device)
    return d(x_real).mean() - d(g(z)).mean()


def wgan_g_nonsaturating(g, d, x_real, *, device):
    batch_size = x_real.shape[0]
    z = torch.randn(batch_size, g.dim_z, device=device)
    return -F.logsigmoid(d(g(z))).mean()


def wgan_g_detached(g, d, x_real, *, device):
    batch_size = x_real.shape[0]
    z = torch.randn(batch_size, g.dim_z, device=device)
    return -d(g(z).detach()).mean()


MISTAKES = [
    # 1a
    {"part": "1a", "target": "flow_network:MADE.forward", "function": made_forward_one_pass,
     "message": "You computed mu and alpha in a single pass of self.net on z, but sampling is sequential: mu_i and alpha_i must come from the x_<i already generated, so run self.net on the x built so far, D times, one dimension per pass."},
    {"part": "1a", "target": "flow_network:MADE.forward", "function": made_forward_exp_neg_alpha,
     "message": "The scale has the wrong sign: in the sampling direction x_i = mu_i + exp(alpha_i) * z_i, with exp(+alpha)."},
    {"part": "1a", "target": "flow_network:MADE.forward", "function": made_forward_inverse_formula,
     "message": "forward applies the density-direction formula z = (x - mu) * exp(-alpha); forward goes from z to x: x_i = mu_i + exp(alpha_i) * z_i."},
    {"part": "1a", "target": "flow_network:MADE.forward", "function": made_forward_negative_logdet,
     "message": "The log-determinant has the wrong sign: x = mu + exp(alpha) * z gives log|det dx/dz| = +sum_i alpha_i."},
    {"part": "1a", "target": "flow_network:MADE.forward", "function": made_forward_logdet_first_pass,
     "message": "log_det uses the alpha of the first pass, computed before any x_i was known: take alpha from the last pass, once every x_<i is final."},
    {"part": "1a", "target": "flow_network:MADE.forward", "function": made_forward_logdet_not_summed,
     "message": "log_det has shape (batch_size, D): sum alpha over the dimensions (dim=1) to return one log-determinant per sample, shape (batch_size,)."},
    {"part": "1a", "target": "flow_network:MADE.forward", "function": made_forward_logdet_keepdim,
     "message": "log_det has shape (batch_size, 1), but the contract wants a 1-D tensor of shape (batch_size,): sum over dim=1 without keepdim."},
    {"part": "1a", "target": "flow_network:MADE.forward", "function": made_forward_swapped_mu_alpha,
     "message": "mu and alpha are swapped: the first D columns of self.net(x) are the means mu and the last D the log standard deviations alpha."},
    # 1b
    {"part": "1b", "target": "flow_network:MADE.inverse", "function": made_inverse_positive_logdet,
     "message": "The log-determinant has the wrong sign: z = (x - mu) * exp(-alpha) gives log|det dz/dx| = -sum(alpha)."},
    {"part": "1b", "target": "flow_network:MADE.inverse", "function": made_inverse_exp_alpha,
     "message": "The scale has the wrong sign: inverting x = mu + exp(alpha) * z gives z = (x - mu) * exp(-alpha)."},
    {"part": "1b", "target": "flow_network:MADE.inverse", "function": made_inverse_logdet_not_summed,
     "message": "log_det has shape (batch_size, D): sum -alpha over the dimensions (dim=1) to return one log-determinant per sample, shape (batch_size,)."},
    {"part": "1b", "target": "flow_network:MADE.inverse", "function": made_inverse_logdet_summed_over_batch,
     "message": "log_det was summed over the whole batch into one number: sum -alpha over dim=1 only, to get one log-determinant per sample, shape (batch_size,)."},
    {"part": "1b", "target": "flow_network:MADE.inverse", "function": made_inverse_mu_after_scaling,
     "message": "The mean is subtracted after scaling: subtract mu first, z = (x - mu) * exp(-alpha)."},
    {"part": "1b", "target": "flow_network:MADE.inverse", "function": made_inverse_swapped_mu_alpha,
     "message": "mu and alpha are swapped: the first D columns of self.net(x) are the means mu and the last D the log standard deviations alpha."},
    # 1c
    {"part": "1c", "target": "flow_network:MAF.log_probs", "function": maf_log_probs_sum_over_batch,
     "message": "log_probs sums over the batch; the contract wants the mean of log p(x) over the batch."},
    {"part": "1c", "target": "flow_network:MAF.log_probs", "function": maf_log_probs_no_mean,
     "message": "log_probs returns one value per sample; the contract wants a 0-dim tensor, the mean of log p(x) over the batch."},
    {"part": "1c", "target": "flow_network:MAF.log_probs", "function": maf_log_probs_no_base_density,
     "message": "The base log-density is missing: add self.base_dist.log_prob(z) of the final z, summed over dimensions, to the log-determinants."},
    {"part": "1c", "target": "flow_network:MAF.log_probs", "function": maf_log_probs_no_log_dets,
     "message": "The log-determinants are missing: by the change of variables formula, add every layer's log_det from inverse to the base log-density."},
    {"part": "1c", "target": "flow_network:MAF.log_probs", "function": maf_log_probs_subtract_log_dets,
     "message": "The log-determinants are subtracted, but inverse already returns log|det dz/dx|, which is added: log p(x) = log p(z) + sum of the log_dets."},
    {"part": "1c", "target": "flow_network:MAF.log_probs", "function": maf_log_probs_forward,
     "message": "You ran the layers' forward (the sampling direction z -> x); evaluating a density needs the inverse direction x -> z: call flow.inverse(x)."},
    {"part": "1c", "target": "flow_network:MAF.log_probs", "function": maf_log_probs_reversed_order,
     "message": "The layers are visited in reverse; going from x to z means calling inverse through self.nf in its own order (sampling is what runs self.nf[::-1])."},
    {"part": "1c", "target": "flow_network:MAF.log_probs", "function": maf_log_probs_base_density_of_input,
     "message": "The base density is evaluated at the input x; it must be evaluated at the final z that comes out of the last layer's inverse."},
    {"part": "1c", "target": "flow_network:MAF.log_probs", "function": maf_log_probs_no_log_2pi,
     "message": "The base log-density misses the normalizing constant: a standard Normal has log N(z; 0, 1) = -0.5 * z^2 - 0.5 * log(2 pi) per dimension (use self.base_dist.log_prob)."},
    {"part": "1c", "target": "flow_network:MAF.log_probs", "function": maf_log_probs_negated,
     "message": "log_probs returns the negative log-likelihood; return the log-likelihood itself, since loss already negates it."},
    {"part": "1c", "target": "flow_network:MAF.log_probs", "function": maf_log_probs_python_float,
     "message": "log_probs returns a Python number (.item()), which drops the autograd graph; return the 0-dim tensor so that loss(x).backward() can train the flow."},
    # 2b
    {"part": "2b", "target": "gan:loss_nonsaturating_d", "function": nonsat_d_sum,
     "message": "The discriminator loss sums over the batch; the expectations are means over the batch."},
    {"part": "2b", "target": "gan:loss_nonsaturating_d", "function": nonsat_d_no_minus,
     "message": "The discriminator loss has the wrong sign: it is the negative log-likelihood -E[log sigmoid(d(x_real))] - E[log(1 - sigmoid(d(g(z))))]."},
    {"part": "2b", "target": "gan:loss_nonsaturating_d", "function": nonsat_d_fake_log_sigmoid,
     "message": "The fake term uses log sigmoid(d(g(z))); the discriminator should call fakes fake, log(1 - sigmoid(d(g(z)))) = log sigmoid(-d(g(z)))."},
    {"part": "2b", "target": "gan:loss_nonsaturating_d", "function": nonsat_d_swapped_labels,
     "message": "The real and fake labels are swapped: the discriminator maximizes log sigmoid(d(x_real)) + log(1 - sigmoid(d(g(z))))."},
    {"part": "2b", "target": "gan:loss_nonsaturating_d", "function": nonsat_d_no_fake_term,
     "message": "The fake term is missing: add -E[log(1 - sigmoid(d(g(z))))] for the generated samples."},
    {"part": "2b", "target": "gan:loss_nonsaturating_g", "function": nonsat_g_saturating,
     "message": "This is the saturating generator loss E[log(1 - sigmoid(d(g(z))))]; the non-saturating loss is -E[log sigmoid(d(g(z)))]."},
    {"part": "2b", "target": "gan:loss_nonsaturating_g", "function": nonsat_g_no_minus,
     "message": "The generator loss has the wrong sign: it is -E[log sigmoid(d(g(z)))], which the generator minimizes."},
    {"part": "2b", "target": "gan:loss_nonsaturating_g", "function": nonsat_g_fake_label,
     "message": "The generator loss rewards fakes that look fake: it is -E[log sigmoid(d(g(z)))], not -E[log(1 - sigmoid(d(g(z))))]."},
    {"part": "2b", "target": "gan:loss_nonsaturating_g", "function": nonsat_g_sum,
     "message": "The generator loss sums over the batch; the expectation is a mean over the batch."},
    {"part": "2b", "target": "gan:loss_nonsaturating_g", "function": nonsat_g_detached,
     "message": "The fake samples are detached, so no gradient reaches the generator: score g(z) itself with d."},
    # 4b
    {"part": "4b", "target": "gan:conditional_loss_nonsaturating_d", "function": cond_d_random_fake_labels,
     "message": "The fakes are generated with labels other than y_real; the contract generates them as g(z, y_real) and scores them with d(., y_real)."},
    {"part": "4b", "target": "gan:conditional_loss_nonsaturating_d", "function": cond_d_fake_scored_with_other_labels,
     "message": "The fakes are scored with labels other than the ones they were generated with: use d(g(z, y_real), y_real)."},
    {"part": "4b", "target": "gan:conditional_loss_nonsaturating_d", "function": cond_d_sum,
     "message": "The discriminator loss sums over the batch; the expectations are means over the batch."},
    {"part": "4b", "target": "gan:conditional_loss_nonsaturating_d", "function": cond_d_fake_log_sigmoid,
     "message": "The fake term uses log sigmoid(d(g(z, y), y)); the discriminator should call fakes fake, log(1 - sigmoid(d(g(z, y), y))) = log sigmoid(-d(g(z, y), y))."},
    {"part": "4b", "target": "gan:conditional_loss_nonsaturating_d", "function": cond_d_no_minus,
     "message": "The discriminator loss has the wrong sign: it is -E[log sigmoid(d(x_real, y_real))] - E[log(1 - sigmoid(d(g(z, y_real), y_real)))]."},
    {"part": "4b", "target": "gan:conditional_loss_nonsaturating_g", "function": cond_g_random_labels,
     "message": "The fakes are generated with labels other than y_real; the contract uses the real labels: -E[log sigmoid(d(g(z, y_real), y_real))]."},
    {"part": "4b", "target": "gan:conditional_loss_nonsaturating_g", "function": cond_g_scored_with_other_labels,
     "message": "The fakes are scored with labels other than the ones they were generated with: use d(g(z, y_real), y_real)."},
    {"part": "4b", "target": "gan:conditional_loss_nonsaturating_g", "function": cond_g_saturating,
     "message": "This is the saturating generator loss E[log(1 - sigmoid(d(g(z, y), y)))]; the non-saturating loss is -E[log sigmoid(d(g(z, y_real), y_real))]."},
    {"part": "4b", "target": "gan:conditional_loss_nonsaturating_g", "function": cond_g_no_minus,
     "message": "The generator loss has the wrong sign: it is -E[log sigmoid(d(g(z, y_real), y_real))], which the generator minimizes."},
    {"part": "4b", "target": "gan:conditional_loss_nonsaturating_g", "function": cond_g_sum,
     "message": "The generator loss sums over the batch; the expectation is a mean over the batch."},
    # 5e
    {"part": "5e", "target": "gan:loss_wasserstein_gp_d", "function": wgan_gp_d_alpha_on_real,
     "message": "alpha multiplies the real sample; the contract interpolates r = alpha * x_fake + (1 - alpha) * x_real."},
    {"part": "5e", "target": "gan:loss_wasserstein_gp_d", "function": wgan_gp_d_no_create_graph,
     "message": "The gradient penalty has the right value but no gradient: call torch.autograd.grad(..., create_graph=True) so the optimizer can differentiate the penalty."},
    {"part": "5e", "target": "gan:loss_wasserstein_gp_d", "function": wgan_gp_d_norm_last_dim,
     "message": "The norm is taken over the last dimension only; take the 2-norm of each sample's whole gradient, e.g. grad.reshape(batch_size, -1).norm(dim=1)."},
    {"part": "5e", "target": "gan:loss_wasserstein_gp_d", "function": wgan_gp_d_norm_whole_batch,
     "message": "The norm is taken over the whole batch's gradient at once; take one 2-norm per sample, e.g. grad.reshape(batch_size, -1).norm(dim=1), and average the penalty over the batch."},
    {"part": "5e", "target": "gan:loss_wasserstein_gp_d", "function": wgan_gp_d_weight_1,
     "message": "The gradient penalty has weight 1; the contract weighs it by 10: E[d(x_fake)] - E[d(x_real)] + 10 * E[(norm - 1)^2]."},
    {"part": "5e", "target": "gan:loss_wasserstein_gp_d", "function": wgan_gp_d_swapped_critic_terms,
     "message": "The critic terms have the wrong sign: the critic minimizes E[d(x_fake)] - E[d(x_real)] (plus the penalty), giving real data high values."},
    {"part": "5e", "target": "gan:loss_wasserstein_gp_d", "function": wgan_gp_d_one_alpha,
     "message": "One alpha is shared by the whole batch; draw one alpha per sample as torch.rand(batch_size, 1, 1, 1, device=device)."},
    {"part": "5e", "target": "gan:loss_wasserstein_gp_d", "function": wgan_gp_d_squared_norm,
     "message": "The penalty is the squared norm; the gradient penalty pushes the norm towards 1: E[(norm - 1)^2]."},
    {"part": "5e", "target": "gan:loss_wasserstein_gp_g", "function": wgan_g_no_minus,
     "message": "The generator loss has the wrong sign: the generator minimizes -E[d(g(z))]."},
    {"part": "5e", "target": "gan:loss_wasserstein_gp_g", "function": wgan_g_sum,
     "message": "The generator loss sums over the batch; the expectation is a mean over the batch."},
    {"part": "5e", "target": "gan:loss_wasserstein_gp_g", "function": wgan_g_with_real_term,
     "message": "The generator loss includes the real-data term; the contract's generator loss is only -E[d(g(z))]."},
    {"part": "5e", "target": "gan:loss_wasserstein_gp_g", "function": wgan_g_nonsaturating,
     "message": "This is the non-saturating GAN loss; the Wasserstein generator loss uses the critic values directly: -E[d(g(z))]."},
    {"part": "5e", "target": "gan:loss_wasserstein_gp_g", "function": wgan_g_detached,
     "message": "The fake samples are detached, so no gradient reaches the generator: score g(z) itself with d."},
]
