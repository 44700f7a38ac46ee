"""Common mistakes in vae_gan_planar, recognised by the grader to explain a wrong answer.

Each entry of MISTAKES names a part, the reference attribute it replaces ("<file stem>:<qualified
name>"), a complete wrong implementation with the same signature as that attribute (provided
lines included), and one sentence for the student. The grader swaps the function into the
reference module, runs the same test inputs, and shows the message when the outputs match the
student's. The GAN mistakes of 2.3 and 2.5 build on the correct helpers at the top of this file.
"""
import math

import numpy as np
import torch
import torch.nn.functional as F


# ---------------------------------------------------------------------------------------------
# Correct GAN helpers (copies of the reference), used by the 2.3 and 2.5 mistakes.

AVAILABLE_LOSSES = ['JSD', 'W1']
AVAILABLE_REGULARIZERS = ['GP', 'R1', None]


def _jsd(cp, cq):
    return 0.5 * (F.logsigmoid(cp).mean() + F.logsigmoid(-cq).mean()) + math.log(2)


def _w1(cp, cq):
    return cp.mean() - cq.mean()


def _r1gp(p, cp, q, cq, critic):
    x = p.detach().requires_grad_(True)
    grad = torch.autograd.grad(critic(x).sum(), x, create_graph=True)[0]
    return (grad.reshape(grad.size(0), -1).norm(2, dim=1) ** 2).mean()


def _ogp(p, cp, q, cq, critic):
    eps = torch.rand(p.size(0), device=p.device).view(-1, *[1] * (p.dim() - 1))
    x_hat = (eps * p + (1 - eps) * q).detach().requires_grad_(True)
    grad = torch.autograd.grad(critic(x_hat).sum(), x_hat, create_graph=True)[0]
    return ((grad.reshape(grad.size(0), -1).norm(2, dim=1) - 1) ** 2).mean()


def _check_names(loss_type, reg_type, reg_cf):
    assert reg_cf > 0, 'reg_cf must be positive'
    if loss_type not in AVAILABLE_LOSSES:
        raise NotImplementedError(f'Unknown loss {loss_type!r}: choose one of {AVAILABLE_LOSSES}')
    if reg_type not in AVAILABLE_REGULARIZERS:
        raise NotImplementedError(f'Unknown regularizer {reg_type!r}: choose one of {AVAILABLE_REGULARIZERS}')


def _make_losses(loss_type, reg_type=None, reg_cf=1.):
    _check_names(loss_type, reg_type, reg_cf)
    head = {'JSD': _jsd, 'W1': _w1}[loss_type]
    reg = {'GP': _ogp, 'R1': _r1gp, None: None}[reg_type]

    def metric(p, q, critic):
        return head(critic(p), critic(q))

    def critic_loss(p, q, critic):
        cp, cq = critic(p), critic(q)
        loss = -head(cp, cq)
        if reg is not None:
            loss = loss + reg_cf * reg(p, cp, q, cq, critic)
        return loss

    return metric, critic_loss


def _ema(source, target, alpha):
    with torch.no_grad():
        for s, t in zip(source.parameters(), target.parameters()):
            t.copy_(alpha * t + (1 - alpha) * s)


def _check_train_args(critic_inner_iters, alpha_ema):
    assert critic_inner_iters >= 1, 'critic_inner_iters must be at least 1'
    assert alpha_ema is None or 0 < alpha_ema < 1, 'alpha_ema must be None or in (0, 1)'


# ---------------------------------------------------------------------------------------------
# 1.1 log_likelihood_bernoulli

def bernoulli_negated(mu, target):
    batch_size = mu.size(0)
    mu = mu.view(batch_size, -1)
    target = target.view(batch_size, -1)
    return -(target * torch.log(mu) + (1 - target) * torch.log(1 - mu)).sum(dim=1)


def bernoulli_mean_over_dims(mu, target):
    batch_size = mu.size(0)
    mu = mu.view(batch_size, -1)
    target = target.view(batch_size, -1)
    return (target * torch.log(mu) + (1 - target) * torch.log(1 - mu)).mean(dim=1)


def bernoulli_missing_zero_term(mu, target):
    batch_size = mu.size(0)
    mu = mu.view(batch_size, -1)
    target = target.view(batch_size, -1)
    return (target * torch.log(mu)).sum(dim=1)


def bernoulli_mu_as_logits(mu, target):
    batch_size = mu.size(0)
    mu = mu.view(batch_size, -1)
    target = target.view(batch_size, -1)
    return -F.binary_cross_entropy_with_logits(mu, target, reduction='none').sum(dim=1)


# ---------------------------------------------------------------------------------------------
# 1.2 log_likelihood_normal

def normal_missing_log_2pi(mu, logvar, z):
    batch_size = mu.size(0)
    mu = mu.view(batch_size, -1)
    logvar = logvar.view(batch_size, -1)
    z = z.view(batch_size, -1)
    return -0.5 * (logvar + (z - mu) ** 2 / torch.exp(logvar)).sum(dim=1)


def normal_logvar_as_variance(mu, logvar, z):
    batch_size = mu.size(0)
    mu = mu.view(batch_size, -1)
    logvar = logvar.view(batch_size, -1)
    z = z.view(batch_size, -1)
    return -0.5 * (math.log(2 * math.pi) + logvar + (z - mu) ** 2 / logvar).sum(dim=1)


def normal_exp_logvar_as_std(mu, logvar, z):
    batch_size = mu.size(0)
    mu = mu.view(batch_size, -1)
    logvar = logvar.view(batch_size, -1)
    z = z.view(batch_size, -1)
    return torch.distributions.Normal(mu, torch.exp(logvar)).log_prob(z).sum(dim=1)


def normal_mean_over_dims(mu, logvar, z):
    batch_size = mu.size(0)
    mu = mu.view(batch_size, -1)
    logvar = logvar.view(batch_size, -1)
    z = z.view(batch_size, -1)
    return -0.5 * (math.log(2 * math.pi) + logvar + (z - mu) ** 2 / torch.exp(logvar)).mean(dim=1)


# ---------------------------------------------------------------------------------------------
# 1.3 log_mean_exp

def lme_no_max_shift(y):
    batch_size = y.size(0)
    sample_size = y.size(1)
    return torch.log(torch.exp(y).mean(dim=1))


def lme_missing_log_k(y):
    batch_size = y.size(0)
    sample_size = y.size(1)
    return torch.logsumexp(y, dim=1)


def lme_max_not_added_back(y):
    batch_size = y.size(0)
    sample_size = y.size(1)
    a = y.max(dim=1, keepdim=True)[0]
    return torch.log(torch.exp(y - a).mean(dim=1))


# ---------------------------------------------------------------------------------------------
# 1.4 kl_gaussian_gaussian_analytic

def kl_reversed(mu_q, logvar_q, mu_p, logvar_p):
    batch_size = mu_q.size(0)
    mu_q = mu_q.view(batch_size, -1)
    logvar_q = logvar_q.view(batch_size, -1)
    mu_p = mu_p.view(batch_size, -1)
    logvar_p = logvar_p.view(batch_size, -1)
    kl = logvar_q - logvar_p + (torch.exp(logvar_p) + (mu_p - mu_q) ** 2) / torch.exp(logvar_q) - 1
    return 0.5 * kl.sum(dim=1)


def kl_missing_minus_one(mu_q, logvar_q, mu_p, logvar_p):
    batch_size = mu_q.size(0)
    mu_q = mu_q.view(batch_size, -1)
    logvar_q = logvar_q.view(batch_size, -1)
    mu_p = mu_p.view(batch_size, -1)
    logvar_p = logvar_p.view(batch_size, -1)
    kl = logvar_p - logvar_q + (torch.exp(logvar_q) + (mu_q - mu_p) ** 2) / torch.exp(logvar_p)
    return 0.5 * kl.sum(dim=1)


def kl_missing_half(mu_q, logvar_q, mu_p, logvar_p):
    batch_size = mu_q.size(0)
    mu_q = mu_q.view(batch_size, -1)
    logvar_q = logvar_q.view(batch_size, -1)
    mu_p = mu_p.view(batch_size, -1)
    logvar_p = logvar_p.view(batch_size, -1)
    kl = logvar_p - logvar_q + (torch.exp(logvar_q) + (mu_q - mu_p) ** 2) / torch.exp(logvar_p) - 1
    return kl.sum(dim=1)


def kl_log_ratio_flipped(mu_q, logvar_q, mu_p, logvar_p):
    batch_size = mu_q.size(0)
    mu_q = mu_q.view(batch_size, -1)
    logvar_q = logvar_q.view(batch_size, -1)
    mu_p = mu_p.view(batch_size, -1)
    logvar_p = logvar_p.view(batch_size, -1)
    kl = logvar_q - logvar_p + (torch.exp(logvar_q) + (mu_q - mu_p) ** 2) / torch.exp(logvar_p) - 1
    return 0.5 * kl.sum(dim=1)


# ---------------------------------------------------------------------------------------------
# 1.5 kl_gaussian_gaussian_mc

def mc_samples_from_p(mu_q, logvar_q, mu_p, logvar_p, num_samples=1):
    batch_size = mu_q.size(0)
    input_size = np.prod(mu_q.size()[1:])
    mu_q = mu_q.view(batch_size, -1).unsqueeze(1).expand(batch_size, num_samples, input_size)
    logvar_q = logvar_q.view(batch_size, -1).unsqueeze(1).expand(batch_size, num_samples, input_size)
    mu_p = mu_p.view(batch_size, -1).unsqueeze(1).expand(batch_size, num_samples, input_size)
    logvar_p = logvar_p.view(batch_size, -1).unsqueeze(1).expand(batch_size, num_samples, input_size)
    z = mu_p + torch.exp(0.5 * logvar_p) * torch.randn_like(mu_p)
    log_q = -0.5 * (math.log(2 * math.pi) + logvar_q + (z - mu_q) ** 2 / torch.exp(logvar_q))
    log_p = -0.5 * (math.log(2 * math.pi) + logvar_p + (z - mu_p) ** 2 / torch.exp(logvar_p))
    return (log_q - log_p).sum(dim=2).mean(dim=1)


def mc_not_reparameterized(mu_q, logvar_q, mu_p, logvar_p, num_samples=1):
    batch_size = mu_q.size(0)
    input_size = np.prod(mu_q.size()[1:])
    mu_q = mu_q.view(batch_size, -1).unsqueeze(1).expand(batch_size, num_samples, input_size)
    logvar_q = logvar_q.view(batch_size, -1).unsqueeze(1).expand(batch_size, num_samples, input_size)
    mu_p = mu_p.view(batch_size, -1).unsqueeze(1).expand(batch_size, num_samples, input_size)
    logvar_p = logvar_p.view(batch_size, -1).unsqueeze(1).expand(batch_size, num_samples, input_size)
    z = torch.distributions.Normal(mu_q, torch.exp(0.5 * logvar_q)).sample()
    log_q = -0.5 * (math.log(2 * math.pi) + logvar_q + (z - mu_q) ** 2 / torch.exp(logvar_q))
    log_p = -0.5 * (math.log(2 * math.pi) + logvar_p + (z - mu_p) ** 2 / torch.exp(logvar_p))
    return (log_q - log_p).sum(dim=2).mean(dim=1)


def mc_logvar_as_log_std(mu_q, logvar_q, mu_p, logvar_p, num_samples=1):
    batch_size = mu_q.size(0)
    input_size = np.prod(mu_q.size()[1:])
    mu_q = mu_q.view(batch_size, -1).unsqueeze(1).expand(batch_size, num_samples, input_size)
    logvar_q = logvar_q.view(batch_size, -1).unsqueeze(1).expand(batch_size, num_samples, input_size)
    mu_p = mu_p.view(batch_size, -1).unsqueeze(1).expand(batch_size, num_samples, input_size)
    logvar_p = logvar_p.view(batch_size, -1).unsqueeze(1).expand(batch_size, num_samples, input_size)
    z = mu_q + torch.exp(logvar_q) * torch.randn_like(mu_q)
    log_q = -0.5 * (math.log(2 * math.pi) + logvar_q + (z - mu_q) ** 2 / torch.exp(logvar_q))
    log_p = -0.5 * (math.log(2 * math.pi) + logvar_p + (z - mu_p) ** 2 / torch.exp(logvar_p))
    return (log_q - log_p).sum(dim=2).mean(dim=1)


def mc_log_ratio_reversed(mu_q, logvar_q, mu_p, logvar_p, num_samples=1):
    batch_size = mu_q.size(0)
    input_size = np.prod(mu_q.size()[1:])
    mu_q = mu_q.view(batch_size, -1).unsqueeze(1).expand(batch_size, num_samples, input_size)
    logvar_q = logvar_q.view(batch_size, -1).unsqueeze(1).expand(batch_size, num_samples, input_size)
    mu_p = mu_p.view(batch_size, -1).unsqueeze(1).expand(batch_size, num_samples, input_size)
    logvar_p = logvar_p.view(batch_size, -1).unsqueeze(1).expand(batch_size, num_samples, input_size)
    z = mu_q + torch.exp(0.5 * logvar_q) * torch.randn_like(mu_q)
    log_q = -0.5 * (math.log(2 * math.pi) + logvar_q + (z - mu_q) ** 2 / torch.exp(logvar_q))
    log_p = -0.5 * (math.log(2 * math.pi) + logvar_p + (z - mu_p) ** 2 / torch.exp(logvar_p))
    return (log_p - log_q).sum(dim=2).mean(dim=1)


def mc_log_of_density_ratio(mu_q, logvar_q, mu_p, logvar_p, num_samples=1):
    batch_size = mu_q.size(0)
    input_size = np.prod(mu_q.size()[1:])
    mu_q = mu_q.view(batch_size, -1).unsqueeze(1).expand(batch_size, num_samples, input_size)
    logvar_q = logvar_q.view(batch_size, -1).unsqueeze(1).expand(batch_size, num_samples, input_size)
    mu_p = mu_p.view(batch_size, -1).unsqueeze(1).expand(batch_size, num_samples, input_size)
    logvar_p = logvar_p.view(batch_size, -1).unsqueeze(1).expand(batch_size, num_samples, input_size)
    z = mu_q + torch.exp(0.5 * logvar_q) * torch.randn_like(mu_q)
    q = torch.exp(-0.5 * (z - mu_q) ** 2 / torch.exp(logvar_q)) / torch.sqrt(2 * math.pi * torch.exp(logvar_q))
    p = torch.exp(-0.5 * (z - mu_p) ** 2 / torch.exp(logvar_p)) / torch.sqrt(2 * math.pi * torch.exp(logvar_p))
    return torch.log(q / p).sum(dim=2).mean(dim=1)


# ---------------------------------------------------------------------------------------------
# 2.1 jsd and w1

def jsd_log_of_sigmoid(cp, cq):
    return 0.5 * (torch.log(torch.sigmoid(cp)).mean() + torch.log(1 - torch.sigmoid(cq)).mean()) + math.log(2)


def jsd_log_sigmoid_by_cases(cp, cq):
    def log_sigmoid(x):
        return torch.where(x >= 0, -torch.log1p(torch.exp(-x)), x - torch.log1p(torch.exp(x)))
    return 0.5 * (log_sigmoid(cp).mean() + log_sigmoid(-cq).mean()) + math.log(2)


def jsd_missing_log2(cp, cq):
    return 0.5 * (F.logsigmoid(cp).mean() + F.logsigmoid(-cq).mean())


def jsd_missing_half(cp, cq):
    return F.logsigmoid(cp).mean() + F.logsigmoid(-cq).mean() + math.log(2)


def jsd_fake_term_not_negated(cp, cq):
    return 0.5 * (F.logsigmoid(cp).mean() + F.logsigmoid(cq).mean()) + math.log(2)


def jsd_real_fake_swapped(cp, cq):
    return 0.5 * (F.logsigmoid(cq).mean() + F.logsigmoid(-cp).mean()) + math.log(2)


def w1_sign_swapped(cp, cq):
    return cq.mean() - cp.mean()


def w1_sum_instead_of_mean(cp, cq):
    return cp.sum() - cq.sum()


def w1_through_sigmoid(cp, cq):
    return torch.sigmoid(cp).mean() - torch.sigmoid(cq).mean()


# ---------------------------------------------------------------------------------------------
# 2.2 r1gp and ogp

def r1_not_squared(p, cp, q, cq, critic):
    x = p.detach().requires_grad_(True)
    grad = torch.autograd.grad(critic(x).sum(), x, create_graph=True)[0]
    return grad.reshape(grad.size(0), -1).norm(2, dim=1).mean()


def r1_norm_over_last_dim(p, cp, q, cq, critic):
    x = p.detach().requires_grad_(True)
    grad = torch.autograd.grad(critic(x).sum(), x, create_graph=True)[0]
    return (grad.norm(2, dim=-1) ** 2).mean()


def r1_without_create_graph(p, cp, q, cq, critic):
    x = p.detach().requires_grad_(True)
    grad = torch.autograd.grad(critic(x).sum(), x)[0]
    return (grad.reshape(grad.size(0), -1).norm(2, dim=1) ** 2).mean()


def r1_one_centred(p, cp, q, cq, critic):
    x = p.detach().requires_grad_(True)
    grad = torch.autograd.grad(critic(x).sum(), x, create_graph=True)[0]
    return ((grad.reshape(grad.size(0), -1).norm(2, dim=1) - 1) ** 2).mean()


def ogp_eps_on_fake(p, cp, q, cq, critic):
    eps = torch.rand(p.size(0), device=p.device).view(-1, *[1] * (p.dim() - 1))
    x_hat = (eps * q + (1 - eps) * p).detach().requires_grad_(True)
    grad = torch.autograd.grad(critic(x_hat).sum(), x_hat, create_graph=True)[0]
    return ((grad.reshape(grad.size(0), -1).norm(2, dim=1) - 1) ** 2).mean()


def ogp_missing_minus_one(p, cp, q, cq, critic):
    eps = torch.rand(p.size(0), device=p.device).view(-1, *[1] * (p.dim() - 1))
    x_hat = (eps * p + (1 - eps) * q).detach().requires_grad_(True)
    grad = torch.autograd.grad(critic(x_hat).sum(), x_hat, create_graph=True)[0]
    return (grad.reshape(grad.size(0), -1).norm(2, dim=1) ** 2).mean()


def ogp_norm_over_last_dim(p, cp, q, cq, critic):
    eps = torch.rand(p.size(0), device=p.device).view(-1, *[1] * (p.dim() - 1))
    x_hat = (eps * p + (1 - eps) * q).detach().requires_grad_(True)
    grad = torch.autograd.grad(critic(x_hat).sum(), x_hat, create_graph=True)[0]
    return ((grad.norm(2, dim=-1) - 1) ** 2).mean()


def ogp_one_eps_for_the_batch(p, cp, q, cq, critic):
    eps = torch.rand(1, device=p.device)
    x_hat = (eps * p + (1 - eps) * q).detach().requires_grad_(True)
    grad = torch.autograd.grad(critic(x_hat).sum(), x_hat, create_graph=True)[0]
    return ((grad.reshape(grad.size(0), -1).norm(2, dim=1) - 1) ** 2).mean()


# ---------------------------------------------------------------------------------------------
# 2.3 make_losses

def losses_critic_not_negated(loss_type, reg_type=None, reg_cf=1.):
    _check_names(loss_type, reg_type, reg_cf)
    head = {'JSD': _jsd, 'W1': _w1}[loss_type]
    reg = {'GP': _ogp, 'R1': _r1gp, None: None}[reg_type]

    def metric(p, q, critic):
        return head(critic(p), critic(q))

    def critic_loss(p, q, critic):
        cp, cq = critic(p), critic(q)
        loss = head(cp, cq)
        if reg is not None:
            loss = loss + reg_cf * reg(p, cp, q, cq, critic)
        return loss

    return metric, critic_loss


def losses_reg_subtracted(loss_type, reg_type=None, reg_cf=1.):
    _check_names(loss_type, reg_type, reg_cf)
    head = {'JSD': _jsd, 'W1': _w1}[loss_type]
    reg = {'GP': _ogp, 'R1': _r1gp, None: None}[reg_type]

    def metric(p, q, critic):
        return head(critic(p), critic(q))

    def critic_loss(p, q, critic):
        cp, cq = critic(p), critic(q)
        loss = -head(cp, cq)
        if reg is not None:
            loss = loss - reg_cf * reg(p, cp, q, cq, critic)
        return loss

    return metric, critic_loss


def losses_metric_negated(loss_type, reg_type=None, reg_cf=1.):
    _check_names(loss_type, reg_type, reg_cf)
    head = {'JSD': _jsd, 'W1': _w1}[loss_type]
    reg = {'GP': _ogp, 'R1': _r1gp, None: None}[reg_type]

    def metric(p, q, critic):
        return -head(critic(p), critic(q))

    def critic_loss(p, q, critic):
        cp, cq = critic(p), critic(q)
        loss = -head(cp, cq)
        if reg is not None:
            loss = loss + reg_cf * reg(p, cp, q, cq, critic)
        return loss

    return metric, critic_loss


def losses_reg_cf_ignored(loss_type, reg_type=None, reg_cf=1.):
    _check_names(loss_type, reg_type, reg_cf)
    head = {'JSD': _jsd, 'W1': _w1}[loss_type]
    reg = {'GP': _ogp, 'R1': _r1gp, None: None}[reg_type]

    def metric(p, q, critic):
        return head(critic(p), critic(q))

    def critic_loss(p, q, critic):
        cp, cq = critic(p), critic(q)
        loss = -head(cp, cq)
        if reg is not None:
            loss = loss + reg(p, cp, q, cq, critic)
        return loss

    return metric, critic_loss


def losses_regularizers_swapped(loss_type, reg_type=None, reg_cf=1.):
    _check_names(loss_type, reg_type, reg_cf)
    head = {'JSD': _jsd, 'W1': _w1}[loss_type]
    reg = {'GP': _r1gp, 'R1': _ogp, None: None}[reg_type]

    def metric(p, q, critic):
        return head(critic(p), critic(q))

    def critic_loss(p, q, critic):
        cp, cq = critic(p), critic(q)
        loss = -head(cp, cq)
        if reg is not None:
            loss = loss + reg_cf * reg(p, cp, q, cq, critic)
        return loss

    return metric, critic_loss


# ---------------------------------------------------------------------------------------------
# 2.4 apply_exponential_moving_average

def ema_weights_swapped(source, target, alpha=0.998):
    with torch.no_grad():
        for s, t in zip(source.parameters(), target.parameters()):
            t.copy_((1 - alpha) * t + alpha * s)


def ema_not_in_place(source, target, alpha=0.998):
    with torch.no_grad():
        for s, t in zip(source.parameters(), target.parameters()):
            t = alpha * t + (1 - alpha) * s


def ema_updates_source(source, target, alpha=0.998):
    with torch.no_grad():
        for s, t in zip(source.parameters(), target.parameters()):
            s.copy_(alpha * s + (1 - alpha) * t)


def ema_copies_source(source, target, alpha=0.998):
    with torch.no_grad():
        for s, t in zip(source.parameters(), target.parameters()):
            t.copy_(s)


# ---------------------------------------------------------------------------------------------
# 2.5 make_train_step

def train_generator_first(loss_type, critic_inner_iters=1, reg_type=None, reg_cf=1., alpha_ema=None):
    _check_train_args(critic_inner_iters, alpha_ema)
    metric, critic_loss = _make_losses(loss_type, reg_type, reg_cf)

    def train_step(train_data_iter, critic, critic_optim, generator, test_generator, generator_optim):
        p = next(train_data_iter)
        q = generator()
        generator_optim.zero_grad()
        loss = metric(p, q, critic)
        loss.backward()
        generator_optim.step()

        for _ in range(critic_inner_iters):
            p = next(train_data_iter)
            q = generator()
            critic_optim.zero_grad()
            critic_loss(p, q, critic).backward()
            critic_optim.step()

        if alpha_ema is not None:
            _ema(generator, test_generator, alpha_ema)
        return loss

    return train_step


def train_reuses_p(loss_type, critic_inner_iters=1, reg_type=None, reg_cf=1., alpha_ema=None):
    _check_train_args(critic_inner_iters, alpha_ema)
    metric, critic_loss = _make_losses(loss_type, reg_type, reg_cf)

    def train_step(train_data_iter, critic, critic_optim, generator, test_generator, generator_optim):
        for _ in range(critic_inner_iters):
            p = next(train_data_iter)
            q = generator()
            critic_optim.zero_grad()
            critic_loss(p, q, critic).backward()
            critic_optim.step()

        q = generator()
        generator_optim.zero_grad()
        loss = metric(p, q, critic)
        loss.backward()
        generator_optim.step()

        if alpha_ema is not None:
            _ema(generator, test_generator, alpha_ema)
        return loss

    return train_step


def train_no_zero_grad(loss_type, critic_inner_iters=1, reg_type=None, reg_cf=1., alpha_ema=None):
    _check_train_args(critic_inner_iters, alpha_ema)
    metric, critic_loss = _make_losses(loss_type, reg_type, reg_cf)

    def train_step(train_data_iter, critic, critic_optim, generator, test_generator, generator_optim):
        for _ in range(critic_inner_iters):
            p = next(train_data_iter)
            q = generator()
            critic_loss(p, q, critic).backward()
            critic_optim.step()

        p = next(train_data_iter)
        q = generator()
        loss = metric(p, q, critic)
        loss.backward()
        generator_optim.step()

        if alpha_ema is not None:
            _ema(generator, test_generator, alpha_ema)
        return loss

    return train_step


def train_ema_reversed(loss_type, critic_inner_iters=1, reg_type=None, reg_cf=1., alpha_ema=None):
    _check_train_args(critic_inner_iters, alpha_ema)
    metric, critic_loss = _make_losses(loss_type, reg_type, reg_cf)

    def train_step(train_data_iter, critic, critic_optim, generator, test_generator, generator_optim):
        for _ in range(critic_inner_iters):
            p = next(train_data_iter)
            q = generator()
            critic_optim.zero_grad()
            critic_loss(p, q, critic).backward()
            critic_optim.step()

        p = next(train_data_iter)
        q = generator()
        generator_optim.zero_grad()
        loss = metric(p, q, critic)
        loss.backward()
        generator_optim.step()

        if alpha_ema is not None:
            _ema(test_generator, generator, alpha_ema)
        return loss

    return train_step


def train_returns_critic_loss(loss_type, critic_inner_iters=1, reg_type=None, reg_cf=1., alpha_ema=None):
    _check_train_args(critic_inner_iters, alpha_ema)
    metric, critic_loss = _make_losses(loss_type, reg_type, reg_cf)

    def train_step(train_data_iter, critic, critic_optim, generator, test_generator, generator_optim):
        for _ in range(critic_inner_iters):
            p = next(train_data_iter)
            q = generator()
            critic_optim.zero_grad()
            c_loss = critic_loss(p, q, critic)
            c_loss.backward()
            critic_optim.step()

        p = next(train_data_iter)
        q = generator()
        generator_optim.zero_grad()
        metric(p, q, critic).backward()
        generator_optim.step()

        if alpha_ema is not None:
            _ema(generator, test_generator, alpha_ema)
        return c_loss

    return train_step


# ---------------------------------------------------------------------------------------------
# 3.1 PlanarTransformation.forward

def planar_forward_missing_b(self, x):
    if self.u @ self.w.t() < -1:
        self.adjust_u()
    return x + self.u * torch.tanh(x @ self.w.t())


def planar_forward_b_outside_tanh(self, x):
    if self.u @ self.w.t() < -1:
        self.adjust_u()
    return x + self.u * torch.tanh(x @ self.w.t()) + self.b


def planar_forward_u_w_swapped(self, x):
    if self.u @ self.w.t() < -1:
        self.adjust_u()
    return x + self.w * torch.tanh(x @ self.u.t() + self.b)


def planar_forward_missing_x(self, x):
    if self.u @ self.w.t() < -1:
        self.adjust_u()
    return self.u * torch.tanh(x @ self.w.t() + self.b)


# ---------------------------------------------------------------------------------------------
# 3.4 PlanarTransformation.get_logdet

def logdet_derivative_not_squared(self, x, eps=1e-8):
    if self.u @ self.w.t() < -1:
        self.adjust_u()
    h_prime = 1 - torch.tanh(x @ self.w.t() + self.b)
    return torch.log(eps + torch.abs(1 + h_prime * (self.w @ self.u.t())))


def logdet_missing_one(self, x, eps=1e-8):
    if self.u @ self.w.t() < -1:
        self.adjust_u()
    h_prime = 1 - torch.tanh(x @ self.w.t() + self.b) ** 2
    return torch.log(eps + torch.abs(h_prime * (self.w @ self.u.t())))


def logdet_missing_b(self, x, eps=1e-8):
    if self.u @ self.w.t() < -1:
        self.adjust_u()
    h_prime = 1 - torch.tanh(x @ self.w.t()) ** 2
    return torch.log(eps + torch.abs(1 + h_prime * (self.w @ self.u.t())))


def logdet_without_eps(self, x, eps=1e-8):
    if self.u @ self.w.t() < -1:
        self.adjust_u()
    h_prime = 1 - torch.tanh(x @ self.w.t() + self.b) ** 2
    return torch.log(torch.abs(1 + h_prime * (self.w @ self.u.t())))


def logdet_fixed_eps(self, x, eps=1e-8):
    if self.u @ self.w.t() < -1:
        self.adjust_u()
    h_prime = 1 - torch.tanh(x @ self.w.t() + self.b) ** 2
    return torch.log(1e-8 + torch.abs(1 + h_prime * (self.w @ self.u.t())))


def logdet_missing_log(self, x, eps=1e-8):
    if self.u @ self.w.t() < -1:
        self.adjust_u()
    h_prime = 1 - torch.tanh(x @ self.w.t() + self.b) ** 2
    return eps + torch.abs(1 + h_prime * (self.w @ self.u.t()))


# ---------------------------------------------------------------------------------------------
# 3.6 Flow.forward and loss1

def flow_logdet_of_output(self, x):
    logdet = x.new_zeros(x.size(0), 1)
    for layer in self.layers:
        x = layer(x)
        logdet = logdet + layer.get_logdet(x)
    return x, logdet


def flow_logdet_not_accumulated(self, x):
    logdet = x.new_zeros(x.size(0), 1)
    for layer in self.layers:
        logdet = layer.get_logdet(x)
        x = layer(x)
    return x, logdet


def flow_layers_on_original_input(self, x):
    logdet = x.new_zeros(x.size(0), 1)
    z = x
    for layer in self.layers:
        logdet = logdet + layer.get_logdet(x)
        z = layer(x)
    return z, logdet


def flow_layers_reversed(self, x):
    logdet = x.new_zeros(x.size(0), 1)
    for layer in reversed(self.layers):
        logdet = logdet + layer.get_logdet(x)
        x = layer(x)
    return x, logdet


def loss1_sign_flipped(z0, logdet):
    log_normal = -0.5 * (math.log(2 * math.pi) + z0 ** 2).sum(dim=1, keepdim=True)
    return log_normal + logdet


def loss1_missing_logdet(z0, logdet):
    log_normal = -0.5 * (math.log(2 * math.pi) + z0 ** 2).sum(dim=1, keepdim=True)
    return -log_normal


def loss1_logdet_subtracted(z0, logdet):
    log_normal = -0.5 * (math.log(2 * math.pi) + z0 ** 2).sum(dim=1, keepdim=True)
    return -(log_normal - logdet)


def loss1_missing_log_2pi(z0, logdet):
    log_normal = -0.5 * (z0 ** 2).sum(dim=1, keepdim=True)
    return -(log_normal + logdet)


# ---------------------------------------------------------------------------------------------
# 3.8 loss2

def loss2_plus_logdet(target_density, z0, logdet):
    log_normal = -0.5 * (math.log(2 * math.pi) + z0 ** 2).sum(dim=1, keepdim=True)
    return log_normal + logdet + target_density.view(-1, 1)


def loss2_energy_subtracted(target_density, z0, logdet):
    log_normal = -0.5 * (math.log(2 * math.pi) + z0 ** 2).sum(dim=1, keepdim=True)
    return log_normal - logdet - target_density.view(-1, 1)


def loss2_energy_not_reshaped(target_density, z0, logdet):
    log_normal = -0.5 * (math.log(2 * math.pi) + z0 ** 2).sum(dim=1, keepdim=True)
    return log_normal - logdet + target_density


def loss2_missing_base_density(target_density, z0, logdet):
    return -logdet + target_density.view(-1, 1)


MISTAKES = [
    # 1.1
    {"part": "1.1", "target": "vae:log_likelihood_bernoulli", "function": bernoulli_negated,
     "message": "The sign is flipped (this is the binary cross-entropy loss): return the log-likelihood sum_d t log mu + (1 - t) log(1 - mu) itself."},
    {"part": "1.1", "target": "vae:log_likelihood_bernoulli", "function": bernoulli_mean_over_dims,
     "message": "The log-likelihood is averaged over the dimensions: the contract wants it summed over every dimension of each batch row."},
    {"part": "1.1", "target": "vae:log_likelihood_bernoulli", "function": bernoulli_missing_zero_term,
     "message": "The (1 - t) log(1 - mu) term for the zeros of the target is missing: each dimension contributes t log mu + (1 - t) log(1 - mu)."},
    {"part": "1.1", "target": "vae:log_likelihood_bernoulli", "function": bernoulli_mu_as_logits,
     "message": "mu is treated as logits, but it already holds the probabilities p(x=1): use log(mu) and log(1 - mu) directly, without a sigmoid."},
    # 1.2
    {"part": "1.2", "target": "vae:log_likelihood_normal", "function": normal_missing_log_2pi,
     "message": "The log(2 pi) constant is missing: each dimension contributes -0.5 * (log(2 pi) + logvar + (z - mu)^2 / exp(logvar))."},
    {"part": "1.2", "target": "vae:log_likelihood_normal", "function": normal_logvar_as_variance,
     "message": "logvar is used as the variance in (z - mu)^2 / logvar: it is the log of the variance, so divide by exp(logvar)."},
    {"part": "1.2", "target": "vae:log_likelihood_normal", "function": normal_exp_logvar_as_std,
     "message": "exp(logvar) is used as the standard deviation, but it is the variance: the standard deviation is exp(0.5 * logvar)."},
    {"part": "1.2", "target": "vae:log_likelihood_normal", "function": normal_mean_over_dims,
     "message": "The log-density is averaged over the dimensions: the contract wants it summed over every dimension of each batch row."},
    # 1.3
    {"part": "1.3", "target": "vae:log_mean_exp", "function": lme_no_max_shift,
     "message": "exp(y) overflows or underflows for values like +-1000: subtract the row maximum a before exp and add it back after the log."},
    {"part": "1.3", "target": "vae:log_mean_exp", "function": lme_missing_log_k,
     "message": "This is log-sum-exp, not log-mean-exp: divide the sum by the number of samples K (subtract log K)."},
    {"part": "1.3", "target": "vae:log_mean_exp", "function": lme_max_not_added_back,
     "message": "The row maximum a is subtracted before exp but never added back: the result is log((1/K) sum_k exp(y_k - a)) + a."},
    # 1.4
    {"part": "1.4", "target": "vae:kl_gaussian_gaussian_analytic", "function": kl_reversed,
     "message": "This computes KL(p || q): the contract wants KL(q || p), with the expectation under q (the first pair of arguments)."},
    {"part": "1.4", "target": "vae:kl_gaussian_gaussian_analytic", "function": kl_missing_minus_one,
     "message": "The -1 inside the sum is missing: each dimension contributes 0.5 * (logvar_p - logvar_q + (exp(logvar_q) + (mu_q - mu_p)^2) / exp(logvar_p) - 1)."},
    {"part": "1.4", "target": "vae:kl_gaussian_gaussian_analytic", "function": kl_missing_half,
     "message": "The factor 0.5 in front of the sum is missing: each dimension contributes 0.5 * (logvar_p - logvar_q + (exp(logvar_q) + (mu_q - mu_p)^2) / exp(logvar_p) - 1)."},
    {"part": "1.4", "target": "vae:kl_gaussian_gaussian_analytic", "function": kl_log_ratio_flipped,
     "message": "The log-variance term has the wrong sign: it is logvar_p - logvar_q, the log of the variance ratio sigma_p^2 / sigma_q^2."},
    # 1.5
    {"part": "1.5", "target": "vae:kl_gaussian_gaussian_mc", "function": mc_samples_from_p,
     "message": "The samples are drawn from p: KL(q || p) is an expectation under q, so draw z = mu_q + exp(logvar_q / 2) * eps."},
    {"part": "1.5", "target": "vae:kl_gaussian_gaussian_mc", "function": mc_not_reparameterized,
     "message": "The samples are not reparameterized (.sample() cuts the gradient through z): write z = mu_q + exp(logvar_q / 2) * eps with eps = torch.randn_like(mu_q)."},
    {"part": "1.5", "target": "vae:kl_gaussian_gaussian_mc", "function": mc_logvar_as_log_std,
     "message": "The samples use exp(logvar_q) as the standard deviation: it is the variance, so scale eps by exp(logvar_q / 2)."},
    {"part": "1.5", "target": "vae:kl_gaussian_gaussian_mc", "function": mc_log_ratio_reversed,
     "message": "The log-ratio is reversed: KL(q || p) averages log q(z) - log p(z) over samples z from q."},
    # 2.1
    {"part": "1.5", "target": "vae:kl_gaussian_gaussian_mc", "function": mc_log_of_density_ratio,
     "message": "The estimate takes the log of a ratio of densities, which underflows to log(x / 0) when q and p are far apart: subtract the log-densities instead, log q(z) - log p(z), each computed in log space."},
    {"part": "2.1", "target": "gan:jsd", "function": jsd_log_of_sigmoid,
     "message": "torch.log(torch.sigmoid(x)) rounds to log(0) = -inf once the critic's logits are large (about 100, common late in training): use F.logsigmoid(cp) and F.logsigmoid(-cq)."},
    {"part": "2.1", "target": "gan:jsd", "function": jsd_log_sigmoid_by_cases,
     "message": "Writing log sigmoid with torch.where over two formulas gives the right values but NaN gradients for large logits (the unused branch overflows, and 0 * inf is NaN): use F.logsigmoid."},
    {"part": "2.1", "target": "gan:jsd", "function": jsd_missing_log2,
     "message": "The + log 2 constant is missing: jsd = 0.5 * (E[log sigmoid(cp)] + E[log sigmoid(-cq)]) + log 2."},
    {"part": "2.1", "target": "gan:jsd", "function": jsd_missing_half,
     "message": "The factor 0.5 on the two expectations is missing: jsd = 0.5 * (E[log sigmoid(cp)] + E[log sigmoid(-cq)]) + log 2."},
    {"part": "2.1", "target": "gan:jsd", "function": jsd_fake_term_not_negated,
     "message": "The fake term uses log sigmoid(cq): it should be log(1 - sigmoid(cq)) = log sigmoid(-cq)."},
    {"part": "2.1", "target": "gan:jsd", "function": jsd_real_fake_swapped,
     "message": "Real and fake are swapped: the critic gives positive values to real data, so use log sigmoid(cp) for the real term and log sigmoid(-cq) for the fake one."},
    {"part": "2.1", "target": "gan:w1", "function": w1_sign_swapped,
     "message": "The sign is swapped: the critic gives positive values to real data, so w1 = E[cp] - E[cq]."},
    {"part": "2.1", "target": "gan:w1", "function": w1_sum_instead_of_mean,
     "message": "The critic values are summed: w1 uses the means, E[cp] - E[cq]."},
    {"part": "2.1", "target": "gan:w1", "function": w1_through_sigmoid,
     "message": "The critic values go through a sigmoid: w1 uses the raw critic values, E[cp] - E[cq]."},
    # 2.2
    {"part": "2.2", "target": "gan:r1gp", "function": r1_not_squared,
     "message": "The gradient norm is not squared: R1 is E_p[||grad_x critic(p)||^2]."},
    {"part": "2.2", "target": "gan:r1gp", "function": r1_norm_over_last_dim,
     "message": "The norm is taken over the last dimension only: take the 2-norm of each sample's whole gradient, e.g. grad.reshape(N, -1).norm(2, dim=1)."},
    {"part": "2.2", "target": "gan:r1gp", "function": r1_without_create_graph,
     "message": "The penalty is not differentiable with respect to the critic's parameters: call autograd.grad with create_graph=True."},
    {"part": "2.2", "target": "gan:r1gp", "function": r1_one_centred,
     "message": "R1 is zero-centred: penalize ||grad_x critic(p)||^2, not (||grad|| - 1)^2 (that is the GP of ogp)."},
    {"part": "2.2", "target": "gan:ogp", "function": ogp_eps_on_fake,
     "message": "eps multiplies the fake sample: the contract interpolates x_hat = eps * p + (1 - eps) * q, with eps on the real sample."},
    {"part": "2.2", "target": "gan:ogp", "function": ogp_missing_minus_one,
     "message": "The penalty is not one-centred: ogp is E[(||grad_x critic(x_hat)|| - 1)^2]."},
    {"part": "2.2", "target": "gan:ogp", "function": ogp_norm_over_last_dim,
     "message": "The norm is taken over the last dimension only: take the 2-norm of each sample's whole gradient, e.g. grad.reshape(N, -1).norm(2, dim=1)."},
    {"part": "2.2", "target": "gan:ogp", "function": ogp_one_eps_for_the_batch,
     "message": "A single eps is shared by the whole batch: draw one eps per sample with torch.rand(N) and reshape it to broadcast over the sample shape."},
    # 2.3
    {"part": "2.3", "target": "gan:make_losses", "function": losses_critic_not_negated,
     "message": "critic_loss does not negate the head: the critic maximizes the divergence, so it minimizes -head(cp, cq) + reg_cf * reg."},
    {"part": "2.3", "target": "gan:make_losses", "function": losses_reg_subtracted,
     "message": "The penalty is subtracted in critic_loss: it is a cost for the critic, so critic_loss = -head(cp, cq) + reg_cf * reg(p, cp, q, cq, critic)."},
    {"part": "2.3", "target": "gan:make_losses", "function": losses_metric_negated,
     "message": "metric is negated: it is the divergence estimate head(critic(p), critic(q)) itself, which the generator minimizes."},
    {"part": "2.3", "target": "gan:make_losses", "function": losses_reg_cf_ignored,
     "message": "reg_cf is ignored: the penalty enters critic_loss as reg_cf * reg(p, cp, q, cq, critic)."},
    {"part": "2.3", "target": "gan:make_losses", "function": losses_regularizers_swapped,
     "message": "The regularizers are swapped: 'GP' is the one-centred ogp and 'R1' the zero-centred r1gp."},
    # 2.4
    {"part": "2.4", "target": "gan:apply_exponential_moving_average", "function": ema_weights_swapped,
     "message": "The weights are swapped: alpha goes on the target, target = alpha * target + (1 - alpha) * source."},
    {"part": "2.4", "target": "gan:apply_exponential_moving_average", "function": ema_not_in_place,
     "message": "The new value is assigned to a local name and the target's parameters never change: write it into them in place, e.g. t.copy_(alpha * t + (1 - alpha) * s) under torch.no_grad()."},
    {"part": "2.4", "target": "gan:apply_exponential_moving_average", "function": ema_updates_source,
     "message": "The source is updated instead of the target: only the target moves, target = alpha * target + (1 - alpha) * source."},
    {"part": "2.4", "target": "gan:apply_exponential_moving_average", "function": ema_copies_source,
     "message": "The source is copied into the target: the moving average keeps a fraction alpha of the target, target = alpha * target + (1 - alpha) * source."},
    # 2.5
    {"part": "2.5", "target": "gan:make_train_step", "function": train_generator_first,
     "message": "The generator is updated before the critic: do the critic_inner_iters critic steps first, then one generator step."},
    {"part": "2.5", "target": "gan:make_train_step", "function": train_reuses_p,
     "message": "The generator step reuses the last critic batch: draw a fresh p = next(train_data_iter) (and q = generator()) for it."},
    {"part": "2.5", "target": "gan:make_train_step", "function": train_no_zero_grad,
     "message": "Gradients are not zeroed, so they accumulate across backward calls: call critic_optim.zero_grad() before each critic step and generator_optim.zero_grad() before the generator step."},
    {"part": "2.5", "target": "gan:make_train_step", "function": train_ema_reversed,
     "message": "The moving average goes the wrong way: apply it from generator (the source) into test_generator (the target)."},
    {"part": "2.5", "target": "gan:make_train_step", "function": train_returns_critic_loss,
     "message": "train_step returns the critic loss: return the metric computed for the generator step."},
    # 3.1
    {"part": "3.1", "target": "planar_flow:PlanarTransformation.forward", "function": planar_forward_missing_b,
     "message": "The bias b is missing: f(x) = x + u * tanh(x w^T + b)."},
    {"part": "3.1", "target": "planar_flow:PlanarTransformation.forward", "function": planar_forward_b_outside_tanh,
     "message": "The bias b is added outside the tanh: f(x) = x + u * tanh(x w^T + b)."},
    {"part": "3.1", "target": "planar_flow:PlanarTransformation.forward", "function": planar_forward_u_w_swapped,
     "message": "u and w are swapped: w sets the direction inside the tanh and u scales the output, f(x) = x + u * tanh(x w^T + b)."},
    {"part": "3.1", "target": "planar_flow:PlanarTransformation.forward", "function": planar_forward_missing_x,
     "message": "The identity term is missing: the planar map adds to its input, f(x) = x + u * tanh(x w^T + b)."},
    # 3.4
    {"part": "3.4", "target": "planar_flow:PlanarTransformation.get_logdet", "function": logdet_derivative_not_squared,
     "message": "The derivative of tanh is 1 - tanh^2, not 1 - tanh: logdet = log(eps + |1 + (1 - tanh^2(x w^T + b)) * (w u^T)|)."},
    {"part": "3.4", "target": "planar_flow:PlanarTransformation.get_logdet", "function": logdet_missing_one,
     "message": "The 1 of the identity is missing: by the matrix determinant lemma det = 1 + (1 - tanh^2(x w^T + b)) * (w u^T)."},
    {"part": "3.4", "target": "planar_flow:PlanarTransformation.get_logdet", "function": logdet_missing_b,
     "message": "The bias b is missing inside the tanh: the derivative is taken at x w^T + b."},
    {"part": "3.4", "target": "planar_flow:PlanarTransformation.get_logdet", "function": logdet_without_eps,
     "message": "eps is missing: where the determinant vanishes, log(|...|) is -inf; the contract's log(eps + |1 + (1 - tanh^2(x w^T + b)) * (w u^T)|) stays finite."},
    {"part": "3.4", "target": "planar_flow:PlanarTransformation.get_logdet", "function": logdet_fixed_eps,
     "message": "eps is written as the constant 1e-8 instead of the eps argument: use the eps the caller passes."},
    {"part": "3.4", "target": "planar_flow:PlanarTransformation.get_logdet", "function": logdet_missing_log,
     "message": "This returns the absolute determinant, not its log: logdet = log(eps + |1 + (1 - tanh^2(x w^T + b)) * (w u^T)|)."},
    # 3.6
    {"part": "3.6", "target": "planar_flow:Flow.forward", "function": flow_logdet_of_output,
     "message": "Each layer's log-determinant is evaluated at its output: add layer.get_logdet(x) of the layer's input first, then transform x."},
    {"part": "3.6", "target": "planar_flow:Flow.forward", "function": flow_logdet_not_accumulated,
     "message": "The log-determinant is overwritten by each layer: start from zero and add every layer's get_logdet."},
    {"part": "3.6", "target": "planar_flow:Flow.forward", "function": flow_layers_on_original_input,
     "message": "Every layer is applied to the original input: feed each layer the output of the previous one (x = layer(x))."},
    {"part": "3.6", "target": "planar_flow:Flow.forward", "function": flow_layers_reversed,
     "message": "The layers run in reverse order: apply them in the order of self.layers."},
    {"part": "3.6", "target": "planar_flow:loss1", "function": loss1_sign_flipped,
     "message": "The sign is flipped: loss1 is the negative log-likelihood, -(log N(z0; 0, I) + logdet)."},
    {"part": "3.6", "target": "planar_flow:loss1", "function": loss1_missing_logdet,
     "message": "The log-determinant is missing: by the change of variables, loss1 = -(log N(z0; 0, I) + logdet)."},
    {"part": "3.6", "target": "planar_flow:loss1", "function": loss1_logdet_subtracted,
     "message": "The log-determinant has the wrong sign: log p(x) = log N(z0; 0, I) + logdet, so loss1 = -(log N(z0; 0, I) + logdet)."},
    {"part": "3.6", "target": "planar_flow:loss1", "function": loss1_missing_log_2pi,
     "message": "The log(2 pi) constant of the standard Normal is missing: log N(z0; 0, I) = sum_d -0.5 * (log(2 pi) + z0_d^2)."},
    # 3.8
    {"part": "3.8", "target": "planar_flow:loss2", "function": loss2_plus_logdet,
     "message": "The log-determinant has the wrong sign: log q(x) = log N(z0; 0, I) - logdet, so loss2 = log N(z0; 0, I) - logdet + U(x)."},
    {"part": "3.8", "target": "planar_flow:loss2", "function": loss2_energy_subtracted,
     "message": "The energy is subtracted: target_density is U(x) = -log p~(x), so loss2 = log N(z0; 0, I) - logdet + U(x)."},
    {"part": "3.8", "target": "planar_flow:loss2", "function": loss2_energy_not_reshaped,
     "message": "target_density has shape (B,) and broadcasts against the (B, 1) terms into a (B, B) result: reshape it to (B, 1) first."},
    {"part": "3.8", "target": "planar_flow:loss2", "function": loss2_missing_base_density,
     "message": "The base log-density is missing: loss2 = log N(z0; 0, I) - logdet + U(x)."},
]
