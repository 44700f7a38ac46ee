"""Test cases of ``flows_gans``: MADE forward/inverse, MAF log-probability, GAN losses.

Every probe loads seeded weights into the student's modules (MADE/MAF through the
reference's state_dict, the GAN losses through the small networks below), so only the
student's function decides the outcome.
"""

from __future__ import annotations

import torch
import torch.nn as nn
import torch.nn.functional as F

from autograder.case import (Call, Case, Probe, parameters, random_state, stand_in, unpack,
                             with_state)

CPU = torch.device("cpu")
IMAGE = (1, 28, 28)
NUM_CLASSES = 3


# ---- MADE and MAF ---------------------------------------------------------------------

def _made_inputs(ref, gen, *, D, H, n_hidden, B):
    made = ref.flow_network.MADE(D, H, n_hidden)
    return {"size": (D, H, n_hidden), "state": random_state(made, gen),
            "data": torch.randn(B, D, generator=gen)}


def _made(m, inp):
    return with_state(m.flow_network.MADE(*inp["size"]), inp["state"])


def _made_forward(m, inp):
    """Values and log-determinants only: forward is the sampling direction, which the course
    runs under no_grad (MAF.sample), so writing x in place, column by column, is correct."""
    made = _made(m, inp)
    with torch.no_grad():
        outputs = unpack(made.forward(inp["data"]), ("x", "log_det"), "MADE.forward")
    return Call(outputs)


def _made_inverse(m, inp):
    made, x = _made(m, inp), inp["data"].requires_grad_()
    outputs = unpack(made.inverse(x), ("z", "log_det"), "MADE.inverse")
    return Call(outputs, wrt={"x": x, **parameters("made", made)})


def _stand_in_inverse(self, x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    """A known elementwise affine map, z (B, D), with a log-det (B,) that differs by row."""
    log_scale = torch.tanh(x @ self.mix + self.offset)  # (B, D)
    return (x - self.shift) * torch.exp(-log_scale), -log_scale.sum(dim=1)


def stand_in_made(made_class: type, values: dict[str, torch.Tensor]) -> nn.Module:
    """One of the student's MADEs (its own constructor: same attributes, same `net`) whose
    inverse is ``_stand_in_inverse`` of the parameters ``values`` (shift, mix, offset).

    MAF.log_probs is tested on a flow of these and the provided PermuteLayers, so that a
    mistake in the student's MADE.inverse costs part 1b only, not 1c as well.
    """
    return stand_in(made_class, (len(values["shift"]), 4, 1), values,
                    {"inverse": _stand_in_inverse})


def _maf_inputs(ref, gen, *, D, n_flows, B):
    layers = [{"shift": 0.5 * torch.randn(D, generator=gen),
               "mix": torch.randn(D, D, generator=gen) / D ** 0.5,
               "offset": 0.3 * torch.randn(D, generator=gen)} for _ in range(n_flows)]
    return {"size": (D, n_flows), "layers": layers, "x": torch.randn(B, D, generator=gen) * 2}


def _maf_log_probs(m, inp):
    """The student's MAF with every MADE of `nf` replaced by a stand-in (PermuteLayers kept)."""
    D, n_flows = inp["size"]
    maf = m.flow_network.MAF(D, 4, 1, n_flows)
    flow_params = {}
    for i, values in enumerate(inp["layers"]):
        layer = stand_in_made(m.flow_network.MADE, values)
        maf.nf[2 * i] = layer
        flow_params.update({f"flow.{i}.{name}": getattr(layer, name) for name in values})
    # log p(x) is trained through the flow's parameters; nobody differentiates it by x
    return Call({"log_prob": maf.log_probs(inp["x"])}, wrt=flow_params)


MADE_LABELS = {"z": "the input z", "x": "the input x", "made": "the MADE's weights"}
MADE_FORWARD = Probe(_made_inputs, _made_forward, labels=MADE_LABELS)
MADE_INVERSE = Probe(_made_inputs, _made_inverse, labels=MADE_LABELS)
MAF_LOG_PROBS = Probe(_maf_inputs, _maf_log_probs, labels={"flow": "the flow's parameters"})


# ---- GAN losses -----------------------------------------------------------------------

class TinyGenerator(nn.Module):
    """z (B, dim_z) [and labels y (B,)] -> images (B, 1, 28, 28) in [-1, 1]."""

    def __init__(self, dim_z: int, num_classes: int = 0) -> None:
        super().__init__()
        self.dim_z, self.num_classes = dim_z, num_classes
        self.fc = nn.Linear(dim_z + num_classes, 28 * 28)

    def forward(self, z: torch.Tensor, y: torch.Tensor | None = None) -> torch.Tensor:
        if self.num_classes:
            if y is None:
                raise TypeError("this generator is conditional: call g(z, y)")
            z = torch.cat([z, F.one_hot(y, self.num_classes).to(z.dtype)], dim=1)
        return torch.tanh(self.fc(z)).view(-1, *IMAGE)


class TinyDiscriminator(nn.Module):
    """images (B, 1, 28, 28) [and labels y (B,)] -> logits (B,); smooth, so penalties have curvature."""

    def __init__(self, num_classes: int = 0, hidden: int = 16) -> None:
        super().__init__()
        self.num_classes = num_classes
        self.fc1 = nn.Linear(28 * 28, hidden)
        self.fc2 = nn.Linear(hidden, 1)
        self.embed = nn.Embedding(num_classes, hidden) if num_classes else None

    def forward(self, x: torch.Tensor, y: torch.Tensor | None = None) -> torch.Tensor:
        h = torch.tanh(self.fc1(x.flatten(1)))
        if self.embed is not None:
            if y is None:
                raise TypeError("this discriminator is conditional: call d(x, y)")
            h = h + self.embed(y)
        return self.fc2(h).squeeze(1)


def _gan_inputs(ref, gen, *, B, dim_z=4, conditional=False, gain=3.0):
    classes = NUM_CLASSES if conditional else 0
    return {"dim_z": dim_z, "classes": classes,
            "g": random_state(TinyGenerator(dim_z, classes), gen),
            "d": random_state(TinyDiscriminator(classes), gen, gain=gain),
            "x_real": torch.tanh(torch.randn(B, *IMAGE, generator=gen)),
            "y_real": torch.randint(0, max(classes, 1), (B,), generator=gen)}


def _gan_loss(function: str, output: str, trained: str, conditional: bool = False,
              gain: float = 3.0) -> Probe:
    """A probe calling gan.<function>; gradients are compared for the trained network.
    ``gain`` scales the discriminator's weights (see ``_loss_cases``)."""

    def call(m, inp):
        g = with_state(TinyGenerator(inp["dim_z"], inp["classes"]), inp["g"])
        d = with_state(TinyDiscriminator(inp["classes"]), inp["d"])
        labels = (inp["y_real"],) if conditional else ()
        loss = getattr(m.gan, function)(g, d, inp["x_real"], *labels, device=CPU)
        return Call({output: loss}, wrt=parameters(trained, g if trained == "g" else d))

    def inputs(ref, gen, **params):
        return _gan_inputs(ref, gen, conditional=conditional, gain=gain, **params)

    return Probe(inputs, call, labels={"d": "the discriminator's parameters",
                                       "g": "the generator's parameters"})


# ---- the cases ------------------------------------------------------------------------

def _made_cases(part: str, probe: Probe) -> list[Case]:
    return [
        Case(part, "D=2, batch 1", probe, dict(D=2, H=8, n_hidden=1, B=1)),
        Case(part, "D=3, batch 4", probe, dict(D=3, H=10, n_hidden=1, B=4)),
        Case(part, "D=5, two hidden layers, batch 7", probe, dict(D=5, H=16, n_hidden=2, B=7),
             visible=False),
        Case(part, "D=4, no hidden layer, batch 9", probe, dict(D=4, H=12, n_hidden=0, B=9),
             visible=False),
    ]


def _loss_cases(part: str, what: str, function: str, output: str, trained: str,
                conditional: bool = False, gain: float = 3.0) -> list[Case]:
    probe = _gan_loss(function, output, trained, conditional, gain)
    return [
        Case(part, f"{what}, batch 1", probe, dict(B=1)),
        Case(part, f"{what}, batch 4", probe, dict(B=4)),
        Case(part, f"{what}, batch 6, dim_z 7", probe, dict(B=6, dim_z=7), visible=False),
    ]


# A sure discriminator (logits past 10) makes 1 - sigmoid about 1e-5, where the common
# log(p + 1e-6) is a tenth off the exact loss's gradient: in the non-saturating losses' cases
# its weights are scaled to keep its logits within about 6.
UNSURE_GAIN = 1.5

CASES: list[Case] = [
    *_made_cases("1a", MADE_FORWARD),
    *_made_cases("1b", MADE_INVERSE),
    Case("1c", "D=2, 2 flows, batch 1", MAF_LOG_PROBS, dict(D=2, n_flows=2, B=1)),
    Case("1c", "D=2, 5 flows, batch 6", MAF_LOG_PROBS, dict(D=2, n_flows=5, B=6)),
    Case("1c", "D=4, 3 flows, batch 5", MAF_LOG_PROBS, dict(D=4, n_flows=3, B=5), visible=False),
    Case("1c", "D=3, 1 flow, batch 8", MAF_LOG_PROBS, dict(D=3, n_flows=1, B=8), visible=False),
    *_loss_cases("2b", "discriminator loss", "loss_nonsaturating_d", "d_loss", "d",
                 gain=UNSURE_GAIN),
    *_loss_cases("2b", "generator loss", "loss_nonsaturating_g", "g_loss", "g", gain=UNSURE_GAIN),
    *_loss_cases("4b", "discriminator loss", "conditional_loss_nonsaturating_d", "d_loss", "d",
                 conditional=True, gain=UNSURE_GAIN),
    *_loss_cases("4b", "generator loss", "conditional_loss_nonsaturating_g", "g_loss", "g",
                 conditional=True, gain=UNSURE_GAIN),
    *_loss_cases("5e", "critic loss", "loss_wasserstein_gp_d", "d_loss", "d"),
    *_loss_cases("5e", "generator loss", "loss_wasserstein_gp_g", "g_loss", "g"),
]
