"""Test cases of ``vae_gan_planar``: VAE building blocks, GAN objectives, planar flows.

Isolation: every probe exercises one student function. Where a function builds on others,
the probe swaps stand-ins for them into the namespace the function under test resolves
them in: ``make_losses`` (2.3) runs with heads and penalties linearized around the test
point from the reference (so, on that point, equal in value and gradient to correct ones),
``make_train_step`` (2.5) with simple known losses and a recording moving average, and
``Flow.forward`` (3.6) with simple known layers. A mistake costs its own part only, and no
correct implementation of another part is written here: this file ships to students with
the self-check.

Randomness: ``kl_gaussian_gaussian_mc`` (1.5) is judged by statistics (a two-sample test
of its mean and of the mean of its gradients against the reference's, its spread, the
effect of ``num_samples``, two calls differing), never by the order of random calls.
``ogp`` (2.2) follows the contract's draw (``torch.rand`` of N values first), which every
usual way of drawing eps reproduces under the same seed; a linear critic, whose penalty
does not depend on eps at all, checks the norm and the centring on their own.
"""

from __future__ import annotations

import math
from contextlib import contextmanager
from typing import Any, Callable, Iterator

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

from autograder.case import (Call, Case, ContractError, Probe, parameters, random_state, stand_in,
                             unpack, with_state)
from autograder.compare import Tolerance, mismatch
from autograder.judge import DETACHED_HINT


def _uniform(gen: torch.Generator, shape: tuple[int, ...], low: float, high: float) -> torch.Tensor:
    return low + (high - low) * torch.rand(shape, generator=gen)


def _sign(gen: torch.Generator, shape: tuple[int, ...]) -> torch.Tensor:
    return torch.where(torch.rand(shape, generator=gen) < 0.5, -1.0, 1.0)


# ---- 1.1-1.4: deterministic VAE functions -------------------------------------------------

def _vae_probe(function: str, args: tuple[str, ...], output: str,
               inputs: Callable[..., dict[str, Any]],
               data: tuple[str, ...] = ()) -> Probe:
    """vae.<function>(*args): one output, gradients with respect to every argument but the
    ``data`` ones (observations, which nobody differentiates by)."""

    def call(m, inp):
        leaves = {a: inp[a].requires_grad_() for a in args if a not in data}
        values = [leaves.get(a, inp[a]) for a in args]
        return Call({output: getattr(m.vae, function)(*values)}, wrt=leaves)

    return Probe(inputs, call)


def _bernoulli_inputs(ref, gen, *, B, shape, extreme=False):
    if extreme:  # probabilities within 1e-5 of 0 or 1: log(mu) or log(1 - mu) near -11.5
        # (not closer: the float32 gradient is ill-conditioned there, and correct formulations
        # such as torch.distributions.Bernoulli, through logits, differ by percents)
        tail = 10 ** _uniform(gen, (B, *shape), -5, -1)
        mu = torch.where(torch.rand(B, *shape, generator=gen) < 0.5, tail, 1 - tail)
    else:
        mu = torch.sigmoid(2 * torch.randn(B, *shape, generator=gen))
    target = (torch.rand(B, *shape, generator=gen) < 0.5).float()
    return {"mu": mu, "target": target}


def _normal_inputs(ref, gen, *, B, shape, logvar=(-2.0, 2.0), spread=2.0):
    """z lies `spread` standard deviations from mu, on average."""
    mu = 2 * torch.randn(B, *shape, generator=gen)
    logvar_t = _uniform(gen, (B, *shape), *logvar)
    z = mu + spread * torch.exp(0.5 * logvar_t) * torch.randn(B, *shape, generator=gen)
    return {"mu": mu, "logvar": logvar_t, "z": z}


def _lme_inputs(ref, gen, *, B, K, center=0.0, scale=3.0):
    return {"y": center + scale * torch.randn(B, K, generator=gen)}


def _kl_inputs(ref, gen, *, B, shape, logvar=(-2.0, 2.0), mean_gap=1.0, same=False):
    mu_q = torch.randn(B, *shape, generator=gen)
    logvar_q = _uniform(gen, (B, *shape), *logvar)
    if same:
        return {"mu_q": mu_q, "logvar_q": logvar_q, "mu_p": mu_q.clone(), "logvar_p": logvar_q.clone()}
    mu_p = mu_q + mean_gap * torch.randn(B, *shape, generator=gen)
    logvar_p = _uniform(gen, (B, *shape), *logvar)
    return {"mu_q": mu_q, "logvar_q": logvar_q, "mu_p": mu_p, "logvar_p": logvar_p}


KL_ARGS = ("mu_q", "logvar_q", "mu_p", "logvar_p")
BERNOULLI = _vae_probe("log_likelihood_bernoulli", ("mu", "target"), "log_likelihood",
                       _bernoulli_inputs, data=("target",))
NORMAL = _vae_probe("log_likelihood_normal", ("mu", "logvar", "z"), "log_density", _normal_inputs)
LOG_MEAN_EXP = _vae_probe("log_mean_exp", ("y",), "log_mean_exp", _lme_inputs)
KL_ANALYTIC = _vae_probe("kl_gaussian_gaussian_analytic", KL_ARGS, "kl", _kl_inputs)
IMAGE = (1, 28, 28)


# ---- 1.5: the Monte Carlo KL, judged by statistics ----------------------------------------

MC_REPEATS = 2000  # single-sample estimates per row
MC_GROUPS = 200  # estimates with num_samples=MC_SAMPLES per row
MC_SAMPLES = 50
MC_Z = 6.0  # standard errors allowed between two means (a false alarm: well below 1e-6)
MC_SPREAD = 3.0  # factor allowed between two variances (about 9 standard errors of the log-ratio)
MC_KL = "kl"
MC_ONE = "kl (num_samples=1)"
MC_MANY = f"kl (num_samples={MC_SAMPLES})"
MC_DIFFER = "two calls differ"


def _mc_grad(leaf: str) -> str:
    return f"gradient of kl (num_samples=1) with respect to {leaf}"


def _mc_inputs(ref, gen, *, B, shape, far=False):
    """q and p differ in every dimension: means at least 0.5 apart, variances e^0.7 to e^1.2
    apart, and the variance of q on the same side of 1 as its ratio to p's, so that the
    usual mistakes (samples from p, exp(logvar) as the std, no reparameterization) all move
    the mean of the estimate or of its gradient by many standard errors.

    ``far``: means 3 to 4 apart with variances near e^-4, so that p's density at samples of q
    (about e^-60 per dimension) underflows in float32: a ratio of densities breaks there,
    a difference of log-densities does not."""
    full = (B, *shape)
    side = _sign(gen, full)
    logvar_q = side * _uniform(gen, full, 0.5, 1.2) - (4.5 if far else 0.0)
    logvar_p = logvar_q - side * _uniform(gen, full, 0.7, 1.2)
    mu_q = torch.randn(full, generator=gen)
    gap = (3.0, 4.0) if far else (0.5, 1.0)
    mu_p = mu_q + _sign(gen, full) * _uniform(gen, full, *gap)
    return {"mu_q": mu_q, "logvar_q": logvar_q, "mu_p": mu_p, "logvar_p": logvar_p}


def _mc_call(m, inp):
    kl = m.vae.kl_gaussian_gaussian_mc
    args = [inp[a] for a in KL_ARGS]
    outputs: dict[str, Any] = {MC_KL: kl(*args, num_samples=MC_SAMPLES)}
    leaves = [a.repeat_interleave(MC_REPEATS, dim=0).requires_grad_() for a in args]
    one = kl(*leaves, num_samples=1)
    if not isinstance(one, torch.Tensor):
        raise ContractError(f"kl_gaussian_gaussian_mc must return a torch.Tensor; it returned "
                            f"a {type(one).__name__}")
    if not one.requires_grad:
        raise ContractError("The result of kl_gaussian_gaussian_mc is detached from the autograd "
                            "graph, so no gradient reaches mu_q and logvar_q: draw the samples "
                            "with the reparameterization z = mu_q + exp(logvar_q / 2) * eps and "
                            f"{DETACHED_HINT}")
    grads = torch.autograd.grad(one.sum(), leaves, allow_unused=True)
    outputs[MC_ONE] = one
    for name, g in zip(KL_ARGS, grads):
        if g is None:
            raise ContractError(f"No gradient of kl_gaussian_gaussian_mc reaches {name}: "
                                f"{DETACHED_HINT}")
        outputs[_mc_grad(name)] = g
    groups = [a.repeat_interleave(MC_GROUPS, dim=0) for a in args]
    outputs[MC_MANY] = kl(*groups, num_samples=MC_SAMPLES)
    first, second = kl(*args, num_samples=1), kl(*args, num_samples=1)
    outputs[MC_DIFFER] = not (isinstance(first, torch.Tensor) and isinstance(second, torch.Tensor)
                              and torch.equal(first.detach(), second.detach()))
    return Call(outputs)


def _rows(record: dict, name: str, batch: int, n: int) -> np.ndarray:
    return np.asarray(record["outputs"][name]["array"], dtype=np.float64).reshape(batch, n, -1)


def _mean_problem(what: str, a: np.ndarray, e: np.ndarray, reveal: bool, hint: str) -> str | None:
    """Two-sample z-test of the means of ``a`` and ``e`` (batch, n, k) along axis 1."""
    n = a.shape[1]
    with np.errstate(invalid="ignore", over="ignore"):  # inf estimates: reported elsewhere
        ma, me = a.mean(1), e.mean(1)
        se = np.sqrt(a.var(1, ddof=1) / n + e.var(1, ddof=1) / n)
        gap = np.abs(ma - me)
    bad = gap > MC_Z * se + 1e-6 * (1 + np.abs(me))
    if not bad.any():
        return None
    i = np.unravel_index(int(np.argmax(np.where(bad, gap / np.maximum(se, 1e-300), 0))), bad.shape)
    text = (f"{what} is wrong on average: over {n} independent estimates, its mean differs from "
            f"the reference's by more than {MC_Z:g} standard errors")
    if reveal:
        text += (f" (row {i[0]}{f', element {i[1]}' if a.shape[2] > 1 else ''}: mean "
                 f"{ma[i]:.5g}, expected {me[i]:.5g}, standard error {se[i]:.2g})")
    return f"{text}. {hint}"


def _mc_check(case: Case, expected: dict, actual: dict) -> list[str]:
    B, reveal = case.params["B"], case.visible
    problems = []
    if expected["outputs"][MC_DIFFER]["value"] and not actual["outputs"][MC_DIFFER]["value"]:
        problems.append("Two calls with the same inputs returned identical values: the estimate "
                        "must draw fresh samples on every call (eps = torch.randn_like(mu_q); do "
                        "not reseed or reuse a fixed eps).")
    sample_hint = ("Draw z from q with z = mu_q + exp(logvar_q / 2) * eps, eps ~ N(0, I), and "
                   "average log q(z) - log p(z), summed over the dimensions.")
    grad_hint = ("The gradient must flow through the samples: reparameterize, "
                 "z = mu_q + exp(logvar_q / 2) * eps (not .sample()).")
    one_a, one_e = (_rows(r, MC_ONE, B, MC_REPEATS) for r in (actual, expected))
    problem = _mean_problem(f"`{MC_ONE}`", one_a, one_e, reveal, sample_hint)
    if problem:
        return problems + [problem]
    for leaf in KL_ARGS:
        name = _mc_grad(leaf)
        problem = _mean_problem(f"The {name}", _rows(actual, name, B, MC_REPEATS),
                                _rows(expected, name, B, MC_REPEATS), reveal, grad_hint)
        if problem:
            return problems + [problem]
    var_a, var_e = one_a.var(1, ddof=1)[:, 0], one_e.var(1, ddof=1)[:, 0]
    ratio = var_a / np.maximum(var_e, 1e-300)
    if np.any((ratio > MC_SPREAD) | (ratio < 1 / MC_SPREAD)):
        problems.append(
            "The single-sample estimates do not spread like log q(z) - log p(z) with z ~ q"
            + (f" (their variance is {ratio.min() if ratio.min() < 1 else ratio.max():.3g} times "
               "the reference's)" if reveal else "") + f". {sample_hint}")
        return problems
    many_a, many_e = (_rows(r, MC_MANY, B, MC_GROUPS) for r in (actual, expected))
    problem = _mean_problem(f"`{MC_MANY}`", many_a, many_e, reveal,
                            "Average over the num_samples samples (dimension 1 of the expanded "
                            "inputs), after summing over the dimensions.")
    if problem:
        return problems + [problem]
    shrink = var_a / np.maximum(many_a.var(1, ddof=1)[:, 0], 1e-300)
    if np.any((shrink > MC_SPREAD * MC_SAMPLES) | (shrink < MC_SAMPLES / MC_SPREAD)):
        problems.append(
            f"num_samples is not honoured: with num_samples={MC_SAMPLES} the variance of the "
            f"estimate should be about {MC_SAMPLES} times smaller than with one sample"
            + (f", but it is {np.median(shrink):.3g} times smaller" if reveal else "")
            + ". Average log q(z) - log p(z) over all num_samples samples of each row.")
    return problems


KL_MC = Probe(_mc_inputs, _mc_call, check=_mc_check,
              judged_by_check=frozenset({MC_KL, MC_ONE, MC_MANY, MC_DIFFER,
                                         *(_mc_grad(a) for a in KL_ARGS)}))


# ---- 2: critics, and stand-ins for the parts a GAN function builds on ------------------------

class TinyCritic(nn.Module):
    """(N, *sample_shape) -> (N,): a smooth MLP on the flattened samples (penalties have curvature)."""

    def __init__(self, in_features: int, hidden: int = 8) -> None:
        super().__init__()
        self.fc1 = nn.Linear(in_features, hidden)
        self.fc2 = nn.Linear(hidden, 1)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.fc2(torch.tanh(self.fc1(x.reshape(x.shape[0], -1)))).squeeze(1)


class LinearCritic(nn.Module):
    """c(x) = <a, x> + b: its gradient is a everywhere, so ogp = (|a| - 1)^2 and r1 = |a|^2,
    whatever eps is."""

    def __init__(self, in_features: int) -> None:
        super().__init__()
        self.fc = nn.Linear(in_features, 1)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.fc(x.reshape(x.shape[0], -1)).squeeze(1)


def _numel(shape: tuple[int, ...]) -> int:
    return int(np.prod(shape)) if shape else 1


def _critic(kind: str, shape: tuple[int, ...]) -> nn.Module:
    return LinearCritic(_numel(shape)) if kind == "linear" else TinyCritic(_numel(shape))


@contextmanager
def _stand_ins(function: Any, module: Any, replacements: dict[str, Callable]) -> Iterator[None]:
    """Swap ``replacements`` into the global namespace ``function`` resolves names in (the
    student's module, or the catalogue's for a catalogued mistake), for the duration."""
    namespace = getattr(function, "__globals__", None)
    namespace = namespace if isinstance(namespace, dict) else vars(module)
    missing = object()
    saved = {name: namespace.get(name, missing) for name in replacements}
    namespace.update(replacements)
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is missing:
                namespace.pop(name, None)
            else:
                namespace[name] = value


CRITIC_LABELS = {"critic": "the critic's parameters", "q": "the fake samples q",
                 "cp": "`cp`", "cq": "`cq`"}


# ---- 2.1 jsd and w1 -------------------------------------------------------------------------

def _head_inputs(ref, gen, *, N, M, scale=2.0, saturated=False):
    """Critic values; ``saturated``: logits of 90 to 150 in size and of either sign, as a
    critic gives late in training (sigmoid rounds to 0 or 1 and exp overflows there)."""
    if saturated:
        return {"cp": _sign(gen, (N,)) * _uniform(gen, (N,), 90.0, 150.0),
                "cq": _sign(gen, (M,)) * _uniform(gen, (M,), 90.0, 150.0)}
    return {"cp": scale * torch.randn(N, generator=gen) + 0.5,
            "cq": scale * torch.randn(M, generator=gen) - 0.5}


def _head_probe(function: str) -> Probe:
    def call(m, inp):
        cp, cq = inp["cp"].requires_grad_(), inp["cq"].requires_grad_()
        return Call({function: getattr(m.gan, function)(cp, cq)}, wrt={"cp": cp, "cq": cq})

    return Probe(_head_inputs, call, labels=CRITIC_LABELS)


JSD, W1 = _head_probe("jsd"), _head_probe("w1")


# ---- 2.2 penalties --------------------------------------------------------------------------

def _samples(gen: torch.Generator, n: int, shape: tuple[int, ...]) -> tuple[torch.Tensor, torch.Tensor]:
    p = torch.randn(n, *shape, generator=gen) + 1.0
    q = 1.5 * torch.randn(n, *shape, generator=gen) - 1.0
    return p, q


def _penalty_inputs(ref, gen, *, N, shape, critic="mlp"):
    p, q = _samples(gen, N, shape)
    return {"shape": list(shape), "critic": critic,
            "state": random_state(_critic(critic, shape), gen, gain=2.0), "p": p, "q": q}


def _penalty_probe(function: str) -> Probe:
    def call(m, inp):
        critic = with_state(_critic(inp["critic"], tuple(inp["shape"])), inp["state"])
        p, q = inp["p"], inp["q"]
        with torch.no_grad():
            cp, cq = critic(p), critic(q)
        penalty = getattr(m.gan, function)(p, cp, q, cq, critic)
        return Call({"penalty": penalty}, wrt=parameters("critic", critic))

    return Probe(_penalty_inputs, call, labels=CRITIC_LABELS)


R1GP, OGP = _penalty_probe("r1gp"), _penalty_probe("ogp")


# ---- 2.3 make_losses ------------------------------------------------------------------------

def _linearized_head(data: dict[str, torch.Tensor]) -> Callable:
    """head(cp, cq) to first order around the test point: there, the value and the gradient
    of the reference's head."""

    def head(cp, cq):
        return (data["value"] + ((cp - data["cp"]) * data["d_cp"]).sum()
                + ((cq - data["cq"]) * data["d_cq"]).sum())

    return head


def _linearized_penalty(data: dict[str, Any]) -> Callable:
    """reg(p, cp, q, cq, critic) to first order in the critic's parameters around the test
    point; called with other samples than the test's, it is off by a random amount."""

    def penalty(p, cp, q, cq, critic):
        value = data["value"] + sum(((t - data["params"][name]) * data["d_params"][name]).sum()
                                    for name, t in critic.named_parameters())
        return value + sum(((x.detach() - data[k]) * data[f"tag_{k}"]).sum()
                           for k, x in (("p", p), ("q", q)))

    return penalty


def _losses_inputs(ref, gen, *, loss, reg, reg_cf, N, shape):
    """Samples, a critic, and the reference's heads and penalties at that point (with the
    eps that the case's seed gives ogp's first draw)."""
    seed = gen.initial_seed()
    p, q = _samples(gen, N, shape)
    critic = with_state(TinyCritic(_numel(shape)), random_state(TinyCritic(_numel(shape)), gen, gain=2.0))
    heads = {}
    with torch.no_grad():
        cp0, cq0 = critic(p), critic(q)
    for name in ("jsd", "w1"):
        cp, cq = cp0.clone().requires_grad_(), cq0.clone().requires_grad_()
        value = getattr(ref.gan, name)(cp, cq)
        d_cp, d_cq = torch.autograd.grad(value, (cp, cq))
        heads[name] = {"value": value.detach(), "cp": cp0, "cq": cq0, "d_cp": d_cp, "d_cq": d_cq}
    penalties = {}
    params = dict(critic.named_parameters())
    for name in ("r1gp", "ogp"):
        with torch.random.fork_rng():
            torch.manual_seed(seed)
            value = getattr(ref.gan, name)(p, critic(p), q, critic(q), critic)
        grads = [torch.zeros_like(t) if g is None else g  # the output bias: no part in a penalty
                 for t, g in zip(params.values(),
                                 torch.autograd.grad(value, list(params.values()), allow_unused=True))]
        penalties[name] = {"value": value.detach(), "p": p, "q": q,
                           "params": {k: v.detach().clone() for k, v in params.items()},
                           "d_params": dict(zip(params, grads)),
                           "tag_p": torch.randn(p.shape, generator=gen),
                           "tag_q": torch.randn(q.shape, generator=gen)}
    return {"config": [loss, reg, reg_cf], "shape": list(shape), "seed": seed,
            "state": {k: v.detach().clone() for k, v in critic.state_dict().items()},
            "p": p, "q": q, "heads": heads, "penalties": penalties}


def _losses_probe(which: str) -> Probe:
    """metric: gradients for the critic and the fake samples; critic_loss: for the critic only
    (detaching q there is legitimate)."""

    def call(m, inp):
        critic = with_state(TinyCritic(_numel(tuple(inp["shape"]))), inp["state"])
        q = inp["q"].requires_grad_()
        stand_ins = {**{k: _linearized_head(v) for k, v in inp["heads"].items()},
                     **{k: _linearized_penalty(v) for k, v in inp["penalties"].items()}}
        torch.manual_seed(inp["seed"])  # as when the penalties were linearized
        with _stand_ins(m.gan.make_losses, m.gan, stand_ins):
            functions = unpack(m.gan.make_losses(*inp["config"]), ("metric", "critic_loss"),
                               "make_losses")
            value = functions[which](inp["p"], q, critic)
        wrt = parameters("critic", critic)
        if which == "metric":
            wrt["q"] = q
        return Call({which: value}, wrt=wrt)

    return Probe(_losses_inputs, call, labels=CRITIC_LABELS)


METRIC, CRITIC_LOSS = _losses_probe("metric"), _losses_probe("critic_loss")


# ---- 2.4 apply_exponential_moving_average ---------------------------------------------------

EMA_TARGET = "target's parameters after"
EMA_SOURCE = "source's parameters after"
EMA_KEPT = "target's parameters are the same leaf tensors, without autograd history"


def _ema_inputs(ref, gen, *, alpha):
    net = TinyCritic(3, 4)
    return {"alpha": alpha, "source": random_state(net, gen, gain=2.0),
            "target": random_state(net, gen, gain=2.0)}


def _flat(module: nn.Module) -> torch.Tensor:
    return torch.cat([p.detach().reshape(-1) for p in module.parameters()]).clone()


def _ema_call(m, inp):
    source = with_state(TinyCritic(3, 4), inp["source"])
    target = with_state(TinyCritic(3, 4), inp["target"])
    before = [(name, p) for name, p in target.named_parameters()]
    args = () if inp["alpha"] is None else (inp["alpha"],)
    returned = m.gan.apply_exponential_moving_average(source, target, *args)
    after = dict(target.named_parameters())
    kept = all(after.get(name) is p and p.is_leaf and p.grad_fn is None and p.requires_grad
               for name, p in before)
    return Call({"returned value": returned, EMA_TARGET: _flat(target), EMA_SOURCE: _flat(source),
                 EMA_KEPT: kept})


EMA = Probe(_ema_inputs, _ema_call, noted=frozenset({"returned value"}))


# ---- 2.5 make_train_step --------------------------------------------------------------------

class CountingIterator:
    """The training data: a fixed list of batches; counts next() calls."""

    def __init__(self, batches: torch.Tensor) -> None:
        self.batches, self.calls = batches, 0

    def __iter__(self) -> "CountingIterator":
        return self

    def __next__(self) -> torch.Tensor:
        if self.calls >= len(self.batches):
            raise StopIteration
        self.calls += 1
        return self.batches[self.calls - 1].clone()


class NoiseGenerator(nn.Module):
    """generator() -> (N, *sample_shape): a linear map of the next of a fixed list of noise
    batches (deterministic, yet a new sample at every call); counts its calls."""

    def __init__(self, n: int, shape: tuple[int, ...], noise_dim: int = 3, draws: int = 8) -> None:
        super().__init__()
        self.n, self.shape, self.calls = n, tuple(shape), 0
        self.fc = nn.Linear(noise_dim, _numel(self.shape))
        self.register_buffer("noise", torch.zeros(draws, n, noise_dim))

    def forward(self) -> torch.Tensor:
        z = self.noise[self.calls % len(self.noise)]
        self.calls += 1
        return self.fc(z).view(self.n, *self.shape)


class PlainSGD:
    """Plain SGD with the interface train_step uses (zero_grad, step); counts its steps.

    Not torch.optim.SGD: its first step imports torch._dynamo, seconds of grading time.
    """

    def __init__(self, params, lr: float) -> None:
        self.param_groups = [{"params": list(params), "lr": lr}]
        self.steps = 0

    def zero_grad(self, set_to_none: bool = True) -> None:
        for group in self.param_groups:
            for p in group["params"]:
                if p.grad is None:
                    continue
                if set_to_none:
                    p.grad = None
                else:
                    p.grad.detach_()
                    p.grad.zero_()

    def step(self, closure=None):
        loss = None
        if closure is not None:
            with torch.enable_grad():
                loss = closure()
        self.steps += 1
        with torch.no_grad():
            for group in self.param_groups:
                for p in group["params"]:
                    if p.grad is not None:
                        p.add_(p.grad, alpha=-group["lr"])
        return loss


def _train_inputs(ref, gen, *, loss, reg, reg_cf, iters, alpha, N, shape):
    generator = NoiseGenerator(N, shape)
    states = {}
    for name in ("generator", "test_generator"):
        state = random_state(generator, gen, gain=1.5)
        state["noise"] = torch.randn(state["noise"].shape, generator=gen)
        states[name] = state
    critic = TinyCritic(_numel(shape))
    stale = {name: torch.randn(p.shape, generator=gen) for net, prefix in (
        (critic, "critic"), (generator, "generator"))
        for name, p in parameters(prefix, net).items()}
    return {"config": [loss, iters, reg, reg_cf, alpha], "N": N, "shape": list(shape),
            "critic": random_state(critic, gen, gain=2.0), **states,
            "data": torch.randn(iters + 4, N, *shape, generator=gen) + 1.0, "stale": stale}


def _stand_in_losses(calls: list[str]) -> Callable:
    """make_losses for 2.5: simple known objectives (not the GAN's) that depend on the
    configuration; records each configuration it is asked for."""

    def make_losses(loss_type, reg_type=None, reg_cf=1.):
        calls.append(f"make_losses({loss_type!r}, {reg_type!r}, {float(reg_cf)!r})")
        scale = {"JSD": 1.0, "W1": 0.6}.get(loss_type, 0.3)
        decay = {None: 0.0, "GP": 0.5, "R1": 0.25}.get(reg_type, 0.75) * reg_cf

        def metric(p, q, critic):
            return scale * (torch.tanh(critic(p)).mean() - torch.tanh(critic(q)).mean())

        def critic_loss(p, q, critic):
            gap = torch.tanh(critic(p)).mean() - torch.tanh(critic(q)).mean()
            return -scale * gap + decay * sum((w ** 2).sum() for w in critic.parameters())

        return metric, critic_loss

    return make_losses


def _recording_average(calls: list[str], names: dict[int, str]) -> Callable:
    """apply_exponential_moving_average for 2.5: records the call and moves the target by a
    simple known in-place update (target += alpha * source), not the moving average."""

    def apply_exponential_moving_average(source, target, alpha=0.998):
        calls.append(f"{names.get(id(source), 'another module')} -> "
                     f"{names.get(id(target), 'another module')}, alpha={float(alpha)!r}")
        with torch.no_grad():
            for s, t in zip(source.parameters(), target.parameters()):
                t.add_(alpha * s)

    return apply_exponential_moving_average


def _train_call(m, inp):
    shape = tuple(inp["shape"])
    critic = with_state(TinyCritic(_numel(shape)), inp["critic"])
    generator = with_state(NoiseGenerator(inp["N"], shape), inp["generator"])
    test_generator = with_state(NoiseGenerator(inp["N"], shape), inp["test_generator"])
    # stale gradients, as left by a previous step: they must be zeroed before each update
    for name, p in {**parameters("critic", critic), **parameters("generator", generator)}.items():
        p.grad = inp["stale"][name].clone()
    data = CountingIterator(inp["data"])
    critic_optim = PlainSGD(critic.parameters(), lr=0.1)
    generator_optim = PlainSGD(generator.parameters(), lr=0.1)
    loss_calls: list[str] = []
    average_calls: list[str] = []
    names = {id(critic): "critic", id(generator): "generator", id(test_generator): "test_generator"}
    losses, average = _stand_in_losses(loss_calls), _recording_average(average_calls, names)
    # the catalogue's mistakes bind these helpers as _make_losses and _ema
    stand_ins = {"make_losses": losses, "_make_losses": losses,
                 "apply_exponential_moving_average": average, "_ema": average}
    test_before = _flat(test_generator)
    with _stand_ins(m.gan.make_train_step, m.gan, stand_ins):
        train_step = m.gan.make_train_step(*inp["config"])
        returned = train_step(data, critic, critic_optim, generator, test_generator, generator_optim)
    if type(returned) is float:  # the metric's value, as .item() gives it: the contract's too
        returned = torch.tensor(returned)
    return Call({
        "returned metric": returned,
        "critic's parameters after the step": _flat(critic),
        GENERATOR_AFTER: _flat(generator),
        TEST_BEFORE: test_before,
        TEST_AFTER: _flat(test_generator),
        **{name: count for name, count in zip(TRAIN_COUNTS, (
            data.calls, generator.calls, critic_optim.steps, generator_optim.steps,
            test_generator.calls))},
        "configurations asked of make_losses": sorted(set(loss_calls)),
        "calls of apply_exponential_moving_average": average_calls,
    })


GENERATOR_AFTER = "generator's parameters after the step"
TEST_BEFORE = "test_generator's parameters before the step"
TEST_AFTER = "test_generator's parameters after the step"
TRAIN_COUNTS = ("number of next(train_data_iter) calls", "number of generator() calls",
                "number of critic_optim.step() calls", "number of generator_optim.step() calls",
                "number of test_generator() calls")


def _train_check(case: Case, expected: dict, actual: dict) -> list[str]:
    """The test generator after the step: either what the stand-in moving average gives, or
    the moving average itself written out in train_step (which the stand-in cannot see)."""
    act = actual["outputs"][TEST_AFTER]["array"]
    exp = expected["outputs"][TEST_AFTER]["array"]
    if mismatch(act, exp, case.tol) is None:
        return []
    alpha = case.params["alpha"]
    before = expected["outputs"][TEST_BEFORE]["array"]
    average = (before if alpha is None
               else alpha * before + (1 - alpha) * expected["outputs"][GENERATOR_AFTER]["array"])
    report = mismatch(act, average, case.tol, reveal=case.visible)
    if report is None:
        return []
    what = ("test_generator must not change when alpha_ema is None" if alpha is None else
            f"test_generator must become the moving average alpha_ema * test_generator + "
            f"(1 - alpha_ema) * generator (alpha_ema = {alpha:g}), applied once, after the "
            "generator's update, with apply_exponential_moving_average")
    return [f"`{TEST_AFTER}` has wrong values: {what}:\n"
            + "\n".join("    " + line for line in report.splitlines())]


TRAIN_STEP = Probe(_train_inputs, _train_call, check=_train_check,
                   judged_by_check=frozenset({TEST_BEFORE, TEST_AFTER}),
                   noted=frozenset({*TRAIN_COUNTS, "configurations asked of make_losses",
                                    "calls of apply_exponential_moving_average"}))


# ---- 3: planar flows ------------------------------------------------------------------------

def _stand_in_forward(self, x: torch.Tensor) -> torch.Tensor:
    return x * torch.exp(self.s) + self.t


def _stand_in_logdet(self, x: torch.Tensor, eps: float = 1e-8) -> torch.Tensor:
    return torch.tanh(x @ self.a.t() + self.c)


def stand_in_layer(planar_class: type, dim: int, values: dict[str, torch.Tensor]) -> nn.Module:
    """One of the student's PlanarTransformations (its own constructor: it has u, w, b and
    adjust_u) with known maps of the parameters ``values`` (s, t, a, c), for testing
    Flow.forward alone: forward is x * exp(s) + t, and get_logdet(x) a known function of its
    input, tanh(x a^T + c), (B, 1) (not the log-determinant of forward: Flow.forward only adds
    what get_logdet returns)."""
    return stand_in(planar_class, (dim,), values,
                    {"forward": _stand_in_forward, "get_logdet": _stand_in_logdet})


def _planar_state(gen: torch.Generator, dim: int, adjust: bool) -> dict[str, torch.Tensor]:
    """u, w, b of one layer; u w^T < -1 (so adjust_u changes u) when ``adjust``, else > -0.9."""
    w = torch.randn(1, dim, generator=gen)
    u = torch.randn(1, dim, generator=gen)
    wu = float(w @ u.t())
    if adjust:
        u = u + (-(1.5 + float(torch.rand(1, generator=gen))) - wu) * w / (w ** 2).sum()
    elif wu < -0.9:
        u = -u
    return {"u": u, "w": w, "b": 0.5 * torch.randn(1, generator=gen)}


def _vanishing_state(dim: int) -> dict[str, torch.Tensor]:
    """w = 2 e_1, u = -e_1 / 2, b = 0.5: w u^T = -1 exactly (adjust_u leaves u alone), so the
    Jacobian determinant 1 + (1 - tanh^2(x w^T + b)) w u^T is exactly 0 where x_1 = -0.25."""
    w, u = torch.zeros(1, dim), torch.zeros(1, dim)
    w[0, 0], u[0, 0] = 2.0, -0.5
    return {"u": u, "w": w, "b": torch.tensor([0.5])}


def _planar_inputs(ref, gen, *, dim, B, adjust=False, vanishing=False, eps=None):
    x = 1.5 * torch.randn(B, dim, generator=gen)
    if vanishing:  # every other row sits where the determinant vanishes; the others well away
        # from it, where float32 rounding cannot tell two correct formulas apart
        x[:, 0] = -0.25 + _sign(gen, (B,)) * _uniform(gen, (B,), 0.4, 1.0)
        x[::2, 0] = -0.25
    state = _vanishing_state(dim) if vanishing else _planar_state(gen, dim, adjust)
    return {"dim": dim, "state": state, "x": x, "eps": eps, "vanishing": vanishing}


def _planar_layer(m, inp):
    return with_state(m.planar_flow.PlanarTransformation(inp["dim"]), inp["state"])


PLANAR_LABELS = {"x": "the input x", "layer": "the layer's parameters (u, w, b)",
                 "flow": "the layers' parameters", "z0": "`z0`", "logdet": "`logdet`",
                 "target_density": "`target_density`"}


def _planar_forward(m, inp):
    layer, x = _planar_layer(m, inp), inp["x"].requires_grad_()
    return Call({"f(x)": layer(x)}, wrt={"x": x, **parameters("layer", layer)})


# |.| has no derivative where the determinant is 0 (torch.abs says 0 there, torch.where or a
# plain det, correct as well, say 1): where it vanishes, gradients are compared on the others.
AWAY = "logdet of the rows where the determinant is not 0"


def _planar_logdet(m, inp):
    layer, x = _planar_layer(m, inp), inp["x"].requires_grad_()
    eps = () if inp["eps"] is None else (inp["eps"],)
    wrt = {"x": x, **parameters("layer", layer)}
    logdet = layer.get_logdet(x, *eps)
    if not inp["vanishing"]:
        return Call({"logdet": logdet}, wrt=wrt)
    return Call({"logdet": logdet, AWAY: layer.get_logdet(x[1::2], *eps)}, wrt=wrt,
                grad_of=(AWAY,))


PLANAR_FORWARD = Probe(_planar_inputs, _planar_forward, labels=PLANAR_LABELS)
PLANAR_LOGDET = Probe(_planar_inputs, _planar_logdet, labels=PLANAR_LABELS,
                      judged_by_check=frozenset({AWAY}))  # its values are rows of logdet


def _flow_inputs(ref, gen, *, dim, layers, B):
    states = [{"s": 0.3 * torch.randn(dim, generator=gen), "t": 0.5 * torch.randn(dim, generator=gen),
               "a": torch.randn(1, dim, generator=gen), "c": 0.5 * torch.randn(1, generator=gen)}
              for _ in range(layers)]
    return {"dim": dim, "states": states, "x": 1.5 * torch.randn(B, dim, generator=gen)}


def _flow_forward(m, inp):
    """The student's Flow with every layer replaced by a stand-in."""
    flow = m.planar_flow.Flow(inp["dim"], len(inp["states"]))
    flow_params = {}
    for i, values in enumerate(inp["states"]):
        layer = stand_in_layer(m.planar_flow.PlanarTransformation, inp["dim"], values)
        flow.layers[i] = layer
        flow_params.update({f"flow.{i}.{name}": getattr(layer, name) for name in values})
    x = inp["x"].requires_grad_()
    outputs = unpack(flow(x), ("z", "logdet"), "Flow.forward")
    return Call(outputs, wrt={"x": x, **flow_params})


FLOW = Probe(_flow_inputs, _flow_forward, labels=PLANAR_LABELS)


def _flow_loss_inputs(ref, gen, *, dim, B):
    z0 = 1.5 * torch.randn(B, dim, generator=gen)
    x = 2 * torch.randn(B, dim, generator=gen)
    return {"z0": z0, "logdet": torch.randn(B, 1, generator=gen),
            "target_density": ref.planar_flow.density_arcs(x)}


def _loss1(m, inp):
    z0, logdet = inp["z0"].requires_grad_(), inp["logdet"].requires_grad_()
    return Call({"loss1": m.planar_flow.loss1(z0, logdet)}, wrt={"z0": z0, "logdet": logdet})


def _loss2(m, inp):
    leaves = {k: inp[k].requires_grad_() for k in ("target_density", "z0", "logdet")}
    return Call({"loss2": m.planar_flow.loss2(*leaves.values())}, wrt=leaves)


LOSS1 = Probe(_flow_loss_inputs, _loss1, labels=PLANAR_LABELS)
LOSS2 = Probe(_flow_loss_inputs, _loss2, labels=PLANAR_LABELS)


# ---- the cases ------------------------------------------------------------------------------

EXTREME = Tolerance(rtol=1e-4, atol=1e-4)
SATURATED_HINT = (
    "A trained critic gives logits this large, so jsd must stay finite here, in value and in "
    "gradient: compute log sigmoid(x) with F.logsigmoid(x) (and log(1 - sigmoid(x)) as "
    "F.logsigmoid(-x)), not torch.log(torch.sigmoid(x)), which rounds to log(0) = -inf, nor "
    "with torch.where over two formulas, whose unused branch overflows and makes the gradient NaN.")
FAR_KL_HINT = (
    "For far-apart q and p, p's density at samples of q is too small for float32 (it rounds "
    "to 0): compute log q(z) - log p(z) from the log-densities themselves (e.g. with "
    "log_likelihood_normal), never as the log of a ratio or of a density.")
VANISHING_HINT = (
    "Here 1 + (1 - tanh^2(x w^T + b)) (w u^T) is exactly 0, so the log needs its eps: "
    "log(eps + |...|), with the eps argument the caller passes.")
# Near mu = 1, torch.distributions.Bernoulli's gradient (through logits) is off by up to 0.6%.
EXTREME_GRAD = Tolerance(rtol=1e-2, atol=1e-4)


def _gan_cases(part: str, probe: Probe, what: str, configs: list[tuple[str, dict, bool]]) -> list[Case]:
    return [Case(part, f"{what}, {label}", probe, params, visible=visible)
            for label, params, visible in configs]


def _planar_cases(part: str, probe: Probe) -> list[Case]:
    return [
        Case(part, "dim 2, batch 4", probe, dict(dim=2, B=4)),
        Case(part, "dim 2, batch 1", probe, dict(dim=2, B=1)),
        Case(part, "dim 2, batch 5, u w^T < -1 (adjust_u changes u)", probe,
             dict(dim=2, B=5, adjust=True)),
        Case(part, "dim 3, batch 6", probe, dict(dim=3, B=6), visible=False),
        Case(part, "dim 4, batch 3, u w^T < -1", probe, dict(dim=4, B=3, adjust=True),
             visible=False),
    ]


CASES: list[Case] = [
    # 1.1
    Case("1.1", "batch 4, D=5", BERNOULLI, dict(B=4, shape=(5,))),
    Case("1.1", "(B, 1, 28, 28) images, batch 3", BERNOULLI, dict(B=3, shape=IMAGE)),
    Case("1.1", "batch 1, probabilities within 1e-5 of 0 or 1", BERNOULLI,
         dict(B=1, shape=(12,), extreme=True), tol=EXTREME, grad_tol=EXTREME_GRAD),
    Case("1.1", "batch 5, D=784, probabilities near 0 or 1", BERNOULLI,
         dict(B=5, shape=(784,), extreme=True), visible=False, tol=EXTREME, grad_tol=EXTREME_GRAD),
    Case("1.1", "batch 2, (2, 3, 4) samples", BERNOULLI, dict(B=2, shape=(2, 3, 4)), visible=False),
    # 1.2
    Case("1.2", "batch 4, D=5", NORMAL, dict(B=4, shape=(5,))),
    Case("1.2", "(B, 1, 28, 28) images, batch 2", NORMAL, dict(B=2, shape=IMAGE)),
    Case("1.2", "batch 1, tiny variances (logvar from -20 to -10), z up to 100 std away", NORMAL,
         dict(B=1, shape=(6,), logvar=(-20.0, -10.0), spread=40.0), tol=EXTREME),
    Case("1.2", "batch 3, huge variances (logvar from 10 to 20)", NORMAL,
         dict(B=3, shape=(4,), logvar=(10.0, 20.0)), visible=False, tol=EXTREME),
    Case("1.2", "batch 6, tiny variances, z far from mu", NORMAL,
         dict(B=6, shape=(8,), logvar=(-18.0, -8.0), spread=60.0), visible=False, tol=EXTREME),
    # 1.3
    Case("1.3", "batch 3, K=5", LOG_MEAN_EXP, dict(B=3, K=5)),
    Case("1.3", "batch 2, K=1", LOG_MEAN_EXP, dict(B=2, K=1)),
    Case("1.3", "batch 1, K=200, values near -1000", LOG_MEAN_EXP,
         dict(B=1, K=200, center=-1000.0), tol=EXTREME),
    Case("1.3", "batch 4, K=10, values near +1000", LOG_MEAN_EXP,
         dict(B=4, K=10, center=1000.0), tol=EXTREME),
    Case("1.3", "batch 5, K=20, values from -1000 to +1000 in one row", LOG_MEAN_EXP,
         dict(B=5, K=20, scale=600.0), visible=False, tol=EXTREME),
    Case("1.3", "batch 6, K=50, values near -1000", LOG_MEAN_EXP,
         dict(B=6, K=50, center=-1000.0, scale=5.0), visible=False, tol=EXTREME),
    # 1.4
    Case("1.4", "batch 4, D=5", KL_ANALYTIC, dict(B=4, shape=(5,))),
    Case("1.4", "(B, 1, 28, 28), batch 2", KL_ANALYTIC, dict(B=2, shape=IMAGE)),
    Case("1.4", "batch 1, q = p (KL is 0)", KL_ANALYTIC, dict(B=1, shape=(5,), same=True)),
    Case("1.4", "batch 3, far-apart means, tiny variances", KL_ANALYTIC,
         dict(B=3, shape=(4,), logvar=(-12.0, -6.0), mean_gap=50.0), tol=EXTREME),
    Case("1.4", "batch 5, variances from e^-10 to e^10", KL_ANALYTIC,
         dict(B=5, shape=(6,), logvar=(-10.0, 10.0)), visible=False, tol=EXTREME),
    Case("1.4", "batch 2, (3, 2, 2) samples", KL_ANALYTIC, dict(B=2, shape=(3, 2, 2)), visible=False),
    # 1.5
    Case("1.5", f"batch 3, D=4 (statistics over {MC_REPEATS} estimates per row)", KL_MC,
         dict(B=3, shape=(4,))),
    Case("1.5", "batch 1, (1, 2, 2) samples", KL_MC, dict(B=1, shape=(1, 2, 2))),
    Case("1.5", "batch 2, D=6", KL_MC, dict(B=2, shape=(6,)), visible=False),
    Case("1.5", "batch 2, D=3, far-apart means and small variances", KL_MC,
         dict(B=2, shape=(3,), far=True), nonfinite_hint=FAR_KL_HINT),
    Case("1.5", "batch 1, D=5, far-apart means and small variances", KL_MC,
         dict(B=1, shape=(5,), far=True), visible=False, nonfinite_hint=FAR_KL_HINT),
    # 2.1
    *_gan_cases("2.1", JSD, "jsd", [("N=M=6", dict(N=6, M=6), True),
                                    ("N=1, M=1", dict(N=1, M=1), True),
                                    ("N=5, M=8", dict(N=5, M=8), False)]),
    Case("2.1", "jsd, saturated critic (logits of size 90 to 150, N=M=8)", JSD,
         dict(N=8, M=8, saturated=True), nonfinite_hint=SATURATED_HINT),
    Case("2.1", "jsd, saturated critic (N=5, M=7)", JSD, dict(N=5, M=7, saturated=True),
         visible=False, nonfinite_hint=SATURATED_HINT),
    *_gan_cases("2.1", W1, "w1", [("N=M=6", dict(N=6, M=6), True),
                                  ("N=1, M=1", dict(N=1, M=1), True),
                                  ("N=7, M=3", dict(N=7, M=3), False)]),
    # 2.2
    *_gan_cases("2.2", R1GP, "r1gp", [
        ("scalar samples, N=6", dict(N=6, shape=()), True),
        ("(N, 3, 4, 4) samples, N=4", dict(N=4, shape=(3, 4, 4)), True),
        ("linear critic (closed form |a|^2), (N, 3, 4, 4) samples", dict(N=5, shape=(3, 4, 4), critic="linear"), True),
        ("(N, 2) samples, N=1", dict(N=1, shape=(2,)), False),
        ("(N, 3, 4, 4) samples, N=7", dict(N=7, shape=(3, 4, 4)), False)]),
    *_gan_cases("2.2", OGP, "ogp", [
        ("scalar samples, N=6", dict(N=6, shape=()), True),
        ("(N, 3, 4, 4) samples, N=4", dict(N=4, shape=(3, 4, 4)), True),
        ("linear critic (closed form (|a| - 1)^2, any eps), (N, 3, 4, 4) samples", dict(N=5, shape=(3, 4, 4), critic="linear"), True),
        ("linear critic, scalar samples", dict(N=6, shape=(), critic="linear"), False),
        ("(N, 2) samples, N=1", dict(N=1, shape=(2,)), False),
        ("(N, 3, 4, 4) samples, N=7", dict(N=7, shape=(3, 4, 4)), False)]),
    # 2.3
    *[case for which, probe in (("metric", METRIC), ("critic_loss", CRITIC_LOSS)) for case in _gan_cases(
        "2.3", probe, which, [
            ("JSD, no penalty, scalar samples", dict(loss="JSD", reg=None, reg_cf=1.0, N=6, shape=()), True),
            ("W1, no penalty, scalar samples", dict(loss="W1", reg=None, reg_cf=1.0, N=6, shape=()), True),
            ("W1, GP with reg_cf=0.5, (N, 3, 4, 4) samples", dict(loss="W1", reg="GP", reg_cf=0.5, N=4, shape=(3, 4, 4)), True),
            ("JSD, R1 with reg_cf=2, scalar samples", dict(loss="JSD", reg="R1", reg_cf=2.0, N=5, shape=()), True),
            ("W1, R1 with reg_cf=0.1, (N, 3, 4, 4) samples", dict(loss="W1", reg="R1", reg_cf=0.1, N=3, shape=(3, 4, 4)), False),
            ("JSD, GP with reg_cf=10, scalar samples", dict(loss="JSD", reg="GP", reg_cf=10.0, N=7, shape=()), False)])],
    # 2.4
    Case("2.4", "alpha=0.9", EMA, dict(alpha=0.9)),
    Case("2.4", "default alpha (0.998)", EMA, dict(alpha=None)),
    Case("2.4", "alpha=0.75", EMA, dict(alpha=0.75), visible=False),
    Case("2.4", "alpha=0.3", EMA, dict(alpha=0.3), visible=False),
    # 2.5
    *_gan_cases("2.5", TRAIN_STEP, "train_step", [
        ("JSD, 1 critic step, no EMA, scalar samples",
         dict(loss="JSD", reg=None, reg_cf=1.0, iters=1, alpha=None, N=5, shape=()), True),
        ("W1, GP (reg_cf=0.5), 3 critic steps, EMA 0.9, scalar samples",
         dict(loss="W1", reg="GP", reg_cf=0.5, iters=3, alpha=0.9, N=5, shape=()), True),
        ("JSD, R1 (reg_cf=0.1), 2 critic steps, EMA 0.998, (N, 3, 4, 4) samples",
         dict(loss="JSD", reg="R1", reg_cf=0.1, iters=2, alpha=0.998, N=4, shape=(3, 4, 4)), True),
        ("W1, no penalty, 5 critic steps, EMA 0.75, (N, 2) samples",
         dict(loss="W1", reg=None, reg_cf=1.0, iters=5, alpha=0.75, N=6, shape=(2,)), False),
        ("JSD, GP (reg_cf=2), 2 critic steps, no EMA, (N, 3, 4, 4) samples",
         dict(loss="JSD", reg="GP", reg_cf=2.0, iters=2, alpha=None, N=3, shape=(3, 4, 4)), False)]),
    *_planar_cases("3.1", PLANAR_FORWARD),
    *_planar_cases("3.4", PLANAR_LOGDET),
    Case("3.4", "dim 2, batch 4, a vanishing determinant (default eps)", PLANAR_LOGDET,
         dict(dim=2, B=4, vanishing=True), nonfinite_hint=VANISHING_HINT),
    Case("3.4", "dim 2, batch 3, a vanishing determinant, eps=1e-3", PLANAR_LOGDET,
         dict(dim=2, B=3, vanishing=True, eps=1e-3), nonfinite_hint=VANISHING_HINT),
    Case("3.4", "dim 3, batch 5, a vanishing determinant, eps=1e-5", PLANAR_LOGDET,
         dict(dim=3, B=5, vanishing=True, eps=1e-5), visible=False,
         nonfinite_hint=VANISHING_HINT),
    # 3.6
    Case("3.6", "Flow.forward, 1 layer, batch 1", FLOW, dict(dim=2, layers=1, B=1)),
    Case("3.6", "Flow.forward, 3 layers, batch 5", FLOW, dict(dim=2, layers=3, B=5)),
    Case("3.6", "Flow.forward, dim 3, 4 layers, batch 6", FLOW, dict(dim=3, layers=4, B=6),
         visible=False),
    Case("3.6", "loss1, batch 4", LOSS1, dict(dim=2, B=4)),
    Case("3.6", "loss1, batch 1", LOSS1, dict(dim=2, B=1)),
    Case("3.6", "loss1, dim 3, batch 7", LOSS1, dict(dim=3, B=7), visible=False),
    # 3.8
    Case("3.8", "batch 4", LOSS2, dict(dim=2, B=4)),
    Case("3.8", "batch 1", LOSS2, dict(dim=2, B=1)),
    Case("3.8", "batch 6", LOSS2, dict(dim=2, B=6), visible=False),
]
