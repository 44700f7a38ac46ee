"""Test cases of ``vae_gmvae_iwae``: the VAE family of XCS236 Problem Set 2.

Isolation: the grader imports the homework as one package, and each part's process sees the
student's file of that part only. Under a model part (1b ... 5b), ``utils`` is the reference's
and the networks are the provided ones, so a mistake in ``sample_gaussian`` (1a) or
``log_normal`` (2a) costs only those parts; under 1a and 2a the model files are the stubs.

Models: each case builds the student's class with the course's constructor, loads weights
drawn here (the contract's ``state_dict`` keys; keys the student added keep their own
values), then seeds the global generator: the bound's one ``sample_gaussian`` draw is then
the reference's. Values are compared at about 1e-4, with the gradients of the bound (the
first output, which training differentiates) with respect to every trained weight.

IWAE (3b, 3d): the contract accepts two sample layouts, copy-major (``ut.duplicate``) and
example-major (each example's samples in consecutive rows); a case accepts the record of the
example-major alternative too. Their ``kl`` and ``rec`` are checked for shape and finiteness
only: the course's solutions estimate them in several ways.
"""

from __future__ import annotations

from contextlib import contextmanager
from typing import Any, Iterator

import torch

from autograder.case import Call, Case, ContractError, Probe, random_weights, unpack
from autograder.compare import Tolerance

VALUES = Tolerance(rtol=1e-4, atol=1e-4)
# A bound adds up hundreds of terms of size 1 in float32: a weight's gradient near 0 carries
# an absolute rounding error of about 1e-5 that differs between correct orders of summation.
MODEL_GRADS = Tolerance(rtol=1e-3, atol=1e-4)
# The IWAE bound's weight gradients reach 10 to 50 (each of iw * batch samples pulls the
# encoder hard, and the weights share them out), and correct orders of computation
# (torch.logsumexp, one (batch, iw, z) draw) differ by up to 2e-5 of that largest gradient.
IWAE_GRADS = Tolerance(rtol=1e-3, atol=1e-2)
# the models' constants, by the contract: never differentiated
FROZEN = {"z_prior_m": torch.zeros, "z_prior_v": torch.ones,
          "pi": lambda shape: torch.ones(shape) / shape[0]}
LABELS = {"enc": "the encoder's weights", "dec": "the decoder's weights",
          "cls": "the classifier's weights", "z_pre": "the mixture prior's parameters (z_pre)",
          "m": "the mean m", "v": "the variance v", "x": "x", "z": "z"}
STABLE_MIXTURE = ("Compute the mixture's log density from the components' log densities with "
                  "ut.log_mean_exp (or torch.logsumexp): exp of a log density of -1000 is 0.")


# ---- 1a, 2a: the functions of utils.py ------------------------------------------------------

def _positive(gen: torch.Generator, shape: tuple[int, ...]) -> torch.Tensor:
    """Variances between about 0.1 and 3."""
    return torch.exp(2 * torch.rand(shape, generator=gen) - 1) ** 2 * 0.4 + 0.05


def _utils_probe(function: str, args: tuple[str, ...], output: str, inputs) -> Probe:
    """ut.<function>(*args): one output, with gradients with respect to every argument."""

    def call(m, inp):
        leaves = {a: inp[a].requires_grad_() for a in args}
        return Call({output: getattr(m.utils, function)(*leaves.values())}, wrt=leaves)

    return Probe(inputs, call, labels=LABELS)


def _gaussian_inputs(ref, gen, *, shape):
    return {"m": 2 * torch.randn(shape, generator=gen), "v": _positive(gen, shape)}


def _normal_inputs(ref, gen, *, x_shape, shape, spread=1.5):
    m = 2 * torch.randn(shape, generator=gen)
    v = _positive(gen, shape)
    x = torch.randn(x_shape, generator=gen) * spread + m.mean()
    return {"x": x, "m": m, "v": v}


def _mixture_inputs(ref, gen, *, B, k, d, far=0.0):
    """z (B, d) and the components' m, v (B, k, d); ``far`` moves z that many units away
    from every component, where each component's log density is below -1000."""
    m = 2 * torch.randn(B, k, d, generator=gen)
    v = _positive(gen, (B, k, d))
    z = torch.randn(B, d, generator=gen) * 2 + far
    return {"z": z, "m": m, "v": v}


SAMPLE_GAUSSIAN = _utils_probe("sample_gaussian", ("m", "v"), "z", _gaussian_inputs)
LOG_NORMAL = _utils_probe("log_normal", ("x", "m", "v"), "log_prob", _normal_inputs)
LOG_NORMAL_MIXTURE = _utils_probe("log_normal_mixture", ("z", "m", "v"), "log_prob",
                                  _mixture_inputs)


# ---- the models' bounds ---------------------------------------------------------------------

def _model_state(weights: dict[str, Any]) -> dict[str, torch.Tensor]:
    """A case's weights, from their names, shapes and seed: each trained tensor drawn as
    ``random_state`` draws it; the mixture prior's means spread over the latent space; the
    prior's constants as the contract has them. Both sides draw them (cheaper than sending)."""
    shapes = weights["shapes"]
    gen = torch.Generator().manual_seed(weights["seed"])
    state = random_weights({n: s for n, s in shapes.items() if n not in FROZEN}, gen)
    if "z_pre" in state:
        state["z_pre"] = torch.randn(shapes["z_pre"], generator=gen)
    return {name: FROZEN[name](shape) if name in FROZEN else state[name]
            for name, shape in shapes.items()}


@contextmanager
def _uninitialised_layers() -> Iterator[None]:
    """Build ``nn.Linear`` layers without drawing their initial weights (most of the time a
    model's constructor takes). Used on the grader's side only, for the weights' names and
    shapes: torch.device("meta") would do it too, but imports torch's compiler (2 s)."""
    reset = torch.nn.Linear.reset_parameters
    torch.nn.Linear.reset_parameters = lambda self: None
    try:
        yield
    finally:
        torch.nn.Linear.reset_parameters = reset


def _binary(gen: torch.Generator, shape: tuple[int, ...]) -> torch.Tensor:
    return (torch.rand(shape, generator=gen) < 0.3).float()


def _one_hot(gen: torch.Generator, B: int, classes: int = 10) -> torch.Tensor:
    return torch.eye(classes)[torch.randint(0, classes, (B,), generator=gen)]


def _model_inputs(ref, gen, *, model: str, B: int, iw: int = 0, **kwargs) -> dict[str, Any]:
    """The model's weights (built with the reference's constructor), the data, the seed of
    the bound's draw and the constructor's arguments."""
    module, cls = MODELS[model]
    with _uninitialised_layers():  # names and shapes only
        reference_model = getattr(getattr(ref, module), cls)(**kwargs)
    shapes = {name: tuple(t.shape) for name, t in reference_model.state_dict().items()}
    seeds = torch.randint(0, 2**31 - 1, (2,), generator=gen).tolist()
    inputs = {"weights": {"shapes": shapes, "seed": seeds[0]}, "kwargs": kwargs, "iw": iw,
              "draw_seed": seeds[1]}
    if model == "fsvae":
        inputs["x"] = torch.rand(B, 3072, generator=gen)
        inputs["y"] = _one_hot(gen, B)
    else:
        inputs["x"] = _binary(gen, (B, 784))
    return inputs


def _students_model(modules, model: str, inp: dict[str, Any]) -> torch.nn.Module:
    """The student's class, built as the course builds it, with the case's weights."""
    module, cls = MODELS[model]
    instance = getattr(getattr(modules, module), cls)(**inp["kwargs"])
    # strict=False: weights a student added keep their own values
    _, absent = instance.load_state_dict(_model_state(inp["weights"]), strict=False)
    if absent:
        raise ContractError(f"{cls} lacks the weights {', '.join(absent)} of the provided "
                            "constructor: keep self.enc, self.dec (and self.cls, z_pre, the "
                            "prior's parameters) as the handout builds them")
    return instance


# The weights whose gradients are compared: every bias, and the weights of the layers next to
# the latent code and of the prior. Backpropagation reaches the other weight matrices only
# through these layers' inputs and outputs, so no correct bound differs on them alone, and
# comparing 10 thousand numbers a case instead of 700 thousand keeps grading fast.
COMPARED_WEIGHTS = ("enc.net.4.", "dec.net.0.", "cls.net.4.", "z_pre")


def _trained(model: torch.nn.Module, contract: dict[str, Any]) -> dict[str, torch.Tensor]:
    """The contract's trained weights whose gradients are compared."""
    return {name: p for name, p in model.named_parameters()
            if name in contract and name not in FROZEN
            and (name.endswith("bias") or name.startswith(COMPARED_WEIGHTS))}


def _bound_probe(model: str, method: str, outputs: tuple[str, ...], *,
                 shape_only: frozenset[str] = frozenset()) -> Probe:
    """model.<method>(x [, y] [, iw]) after seeding: the named outputs, each a 0-dim tensor,
    and the gradients of the first (the bound training minimises)."""
    cls = MODELS[model][1]

    def call(m, inp):
        instance = _students_model(m, model, inp)
        args = [inp["x"], *([inp["y"]] if "y" in inp else []), *([inp["iw"]] if inp["iw"] else [])]
        torch.default_generator.manual_seed(inp["draw_seed"])
        values = unpack(getattr(instance, method)(*args), outputs, f"{cls}.{method}")
        return Call(values, wrt=_trained(instance, inp["weights"]["shapes"]), grad_of=outputs[:1])

    return Probe(_model_inputs, call, labels=LABELS, judged_by_check=shape_only)


MODELS = {"vae": ("vae", "VAE"), "gmvae": ("gmvae", "GMVAE"), "ssvae": ("ssvae", "SSVAE"),
          "fsvae": ("fsvae", "FSVAE")}
IWAE_DECOMPOSITION = frozenset({"kl", "rec"})
VAE_ELBO = _bound_probe("vae", "negative_elbo_bound", ("nelbo", "kl", "rec"))
GMVAE_ELBO = _bound_probe("gmvae", "negative_elbo_bound", ("nelbo", "kl", "rec"))
VAE_IWAE = _bound_probe("vae", "negative_iwae_bound", ("niwae", "kl", "rec"),
                        shape_only=IWAE_DECOMPOSITION)
GMVAE_IWAE = _bound_probe("gmvae", "negative_iwae_bound", ("niwae", "kl", "rec"),
                          shape_only=IWAE_DECOMPOSITION)
SSVAE_ELBO = _bound_probe("ssvae", "negative_elbo_bound", ("nelbo", "kl_z", "kl_y", "rec"))
FSVAE_ELBO = _bound_probe("fsvae", "negative_elbo_bound", ("nelbo", "kl_z", "rec"))


def _case(part: str, label: str, probe: Probe, visible: bool = True, **params) -> Case:
    if "model" not in params:  # a function of utils.py
        return Case(part, label, probe, params, visible=visible, tol=VALUES,
                    nonfinite_hint=STABLE_MIXTURE if probe is LOG_NORMAL_MIXTURE else "")
    return Case(part, label, probe, params, visible=visible, tol=VALUES, grad_tol=MODEL_GRADS)


def _iwae(part: str, label: str, probe: Probe, visible: bool = True, **params) -> Case:
    return Case(part, label, probe, params, visible=visible, tol=VALUES, grad_tol=IWAE_GRADS,
                accepts=(f"{part} example-major layout",))


CASES: list[Case] = [
    _case("1a", "(4, 2)", SAMPLE_GAUSSIAN, shape=(4, 2)),
    _case("1a", "(1, 10)", SAMPLE_GAUSSIAN, shape=(1, 10)),
    _case("1a", "(7, 5)", SAMPLE_GAUSSIAN, False, shape=(7, 5)),
    _case("1a", "(3, 4, 6): any number of dimensions", SAMPLE_GAUSSIAN, False, shape=(3, 4, 6)),
    _case("2a", "log_normal (5, 3)", LOG_NORMAL, x_shape=(5, 3), shape=(5, 3)),
    _case("2a", "log_normal (6, 4, 2), x broadcast over the middle dimension", LOG_NORMAL,
          x_shape=(6, 1, 2), shape=(6, 4, 2)),
    _case("2a", "log_normal (9, 10)", LOG_NORMAL, False, x_shape=(9, 10), shape=(9, 10)),
    _case("2a", "log_normal (2, 3, 7), m and v broadcast over the batch", LOG_NORMAL, False,
          x_shape=(2, 3, 7), shape=(1, 3, 7)),
    _case("2a", "log_normal_mixture batch 4, k=3, d=2", LOG_NORMAL_MIXTURE, B=4, k=3, d=2),
    _case("2a", "log_normal_mixture batch 2, k=1, d=5", LOG_NORMAL_MIXTURE, B=2, k=1, d=5),
    _case("2a", "log_normal_mixture far from every component", LOG_NORMAL_MIXTURE,
          B=3, k=4, d=3, far=60.0),
    _case("2a", "log_normal_mixture batch 6, k=20, d=10", LOG_NORMAL_MIXTURE, False,
          B=6, k=20, d=10),
    _case("2a", "log_normal_mixture batch 5, k=7, d=4, far", LOG_NORMAL_MIXTURE, False,
          B=5, k=7, d=4, far=-80.0),
    _case("1b", "batch 8, z_dim=2", VAE_ELBO, model="vae", B=8, z_dim=2),
    _case("1b", "batch 1, z_dim=10", VAE_ELBO, model="vae", B=1, z_dim=10),
    _case("1b", "batch 13, z_dim=10", VAE_ELBO, False, model="vae", B=13, z_dim=10),
    _case("1b", "batch 5, z_dim=3", VAE_ELBO, False, model="vae", B=5, z_dim=3),
    _case("2b", "batch 6, z_dim=2, k=3", GMVAE_ELBO, model="gmvae", B=6, z_dim=2, k=3),
    _case("2b", "batch 1, z_dim=10, k=1", GMVAE_ELBO, model="gmvae", B=1, z_dim=10, k=1),
    _case("2b", "batch 9, z_dim=10, k=50", GMVAE_ELBO, False, model="gmvae", B=9, z_dim=10, k=50),
    _case("2b", "batch 4, z_dim=3, k=500", GMVAE_ELBO, False, model="gmvae", B=4, z_dim=3, k=500),
    _iwae("3b", "batch 5, z_dim=2, iw=3", VAE_IWAE, model="vae", B=5, z_dim=2, iw=3),
    _iwae("3b", "batch 4, z_dim=10, iw=1", VAE_IWAE, model="vae", B=4, z_dim=10, iw=1),
    _iwae("3b", "batch 7, z_dim=10, iw=10", VAE_IWAE, False, model="vae", B=7, z_dim=10, iw=10),
    _iwae("3b", "batch 3, z_dim=4, iw=6", VAE_IWAE, False, model="vae", B=3, z_dim=4, iw=6),
    _iwae("3d", "batch 5, z_dim=2, k=3, iw=4", GMVAE_IWAE, model="gmvae", B=5, z_dim=2, k=3,
          iw=4),
    _iwae("3d", "batch 3, z_dim=10, k=10, iw=1", GMVAE_IWAE, model="gmvae", B=3, z_dim=10,
          k=10, iw=1),
    _iwae("3d", "batch 6, z_dim=10, k=50, iw=10", GMVAE_IWAE, False, model="gmvae", B=6,
          z_dim=10, k=50, iw=10),
    _iwae("3d", "batch 4, z_dim=3, k=5, iw=7", GMVAE_IWAE, False, model="gmvae", B=4, z_dim=3,
          k=5, iw=7),
    _case("4b", "batch 4", SSVAE_ELBO, model="ssvae", B=4),
    _case("4b", "batch 1", SSVAE_ELBO, model="ssvae", B=1),
    _case("4b", "batch 7", SSVAE_ELBO, False, model="ssvae", B=7),
    _case("4b", "batch 3, gen_weight=0.5, class_weight=10", SSVAE_ELBO, False, model="ssvae",
          B=3, gen_weight=0.5, class_weight=10),
    _case("5b", "batch 3", FSVAE_ELBO, model="fsvae", B=3),
    _case("5b", "batch 6", FSVAE_ELBO, False, model="fsvae", B=6),
]
