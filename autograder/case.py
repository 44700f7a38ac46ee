"""What an assignment's tests are made of.

A :class:`Probe` says how to exercise one student function: ``inputs`` builds seeded
inputs on the trusted side (it may use the reference modules, e.g. for a state_dict), and
``call`` runs the function on those inputs. ``call`` runs twice, in two processes: on the
reference, next to the expected values, and on the student's code, in the sandbox. A
:class:`Case` is one probe with one set of parameters, visible or hidden.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from types import MethodType, SimpleNamespace
from typing import Any, Callable

import torch

from autograder.compare import Tolerance

Modules = SimpleNamespace  # one attribute per graded file, e.g. modules.gan


class ContractError(Exception):
    """The student's function broke the interface (e.g. returned one value instead of two)."""


@dataclass
class Call:
    """What a probe's call produced: named outputs, and the leaves to differentiate them by."""

    outputs: dict[str, Any]
    wrt: dict[str, torch.Tensor] = field(default_factory=dict)
    # Outputs whose gradients are compared; None means every output that should carry one.
    grad_of: tuple[str, ...] | None = None


@dataclass(frozen=True)
class Probe:
    inputs: Callable[..., dict[str, Any]]  # (reference modules, torch.Generator, **params)
    call: Callable[[Modules, dict[str, Any]], Call]
    # Extra trusted-side checks: (case, expected record, actual record) -> problems.
    check: Callable[["Case", dict, dict], list[str]] | None = None
    # How feedback names a group of leaves in ``Call.wrt``: {"d": "the discriminator"}.
    labels: dict[str, str] = field(default_factory=dict)
    # Outputs compared with the reference by kind, type, dtype, shape and finiteness only:
    # ``check`` judges their values (random estimates, or values it derives itself).
    judged_by_check: frozenset[str] = frozenset()
    # Outputs the contract does not require (call counts, a return value nobody uses): a
    # difference from the reference is a note in the feedback, never lost points.
    noted: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Case:
    part: str
    label: str
    probe: Probe
    params: dict[str, Any] = field(default_factory=dict)
    visible: bool = True
    tol: Tolerance = Tolerance()
    grad_tol: Tolerance = Tolerance(rtol=1e-3, atol=1e-5)
    # Said when an output or a gradient is NaN or infinite where the reference's is finite:
    # what a student should change to make the computation stable on these inputs.
    nonfinite_hint: str = ""
    # Names of correct alternatives (``ALTERNATIVES`` in mistakes.py) whose outputs on this
    # case are right answers too: where the contract accepts more than one result (IWAE's two
    # sample layouts draw the same noise for different rows).
    accepts: tuple[str, ...] = ()

    @property
    def id(self) -> str:
        """Stable and unique within an assignment: seeds and record names derive from it, so
        adding or moving a case changes no other case's inputs."""
        return f"{self.part}: {self.label}"


def unpack(value: Any, names: tuple[str, ...], what: str) -> dict[str, Any]:
    """Name the items of a returned tuple, or explain why the return value does not fit."""
    if not isinstance(value, (tuple, list)) or len(value) != len(names):
        got = (f"a {type(value).__name__} of length {len(value)}"
               if isinstance(value, (tuple, list)) else f"a {type(value).__name__}")
        raise ContractError(f"{what} must return a tuple ({', '.join(names)}); it returned {got}")
    return dict(zip(names, value))


def random_state(module: torch.nn.Module, gen: torch.Generator,
                 gain: float = 1.0) -> dict[str, torch.Tensor]:
    """The module's state_dict with every parameter redrawn from ``gen`` (buffers kept).

    Weights get a standard deviation of gain / sqrt(fan_in), biases 0.1 * gain, so outputs
    stay in a range where mistakes show. Loading this into the student's module makes the
    comparison independent of the student's own initialisation and random draws.
    """
    params = dict(module.named_parameters())
    drawn = random_weights({n: tuple(p.shape) for n, p in params.items()}, gen, gain)
    return {name: drawn[name] if name in params else t.clone()
            for name, t in module.state_dict().items()}


def random_weights(shapes: dict[str, tuple[int, ...]], gen: torch.Generator,
                   gain: float = 1.0) -> dict[str, torch.Tensor]:
    """A tensor of each shape drawn from ``gen``, in order, as :func:`random_state` draws a
    module's parameters. Cheaper to send than the weights: the names, shapes and a seed."""
    weights = {}
    for name, shape in shapes.items():
        std = gain / (math.prod(shape[1:]) ** 0.5) if len(shape) >= 2 else 0.1 * gain
        weights[name] = torch.randn(shape, generator=gen) * std
    return weights


def with_state(module: torch.nn.Module, state: dict[str, torch.Tensor]) -> torch.nn.Module:
    """Load ``state`` into ``module`` strictly and return it."""
    module.load_state_dict(state)
    return module


def parameters(prefix: str, module: torch.nn.Module) -> dict[str, torch.Tensor]:
    return {f"{prefix}.{name}": p for name, p in module.named_parameters()}


def stand_in(cls: type, args: tuple, state: dict[str, torch.Tensor],
             methods: dict[str, Callable[..., Any]]) -> torch.nn.Module:
    """An instance of the student's ``cls``, built by its own constructor, whose ``methods``
    are known maps of the new parameters in ``state`` (copied): a layer that isolates the
    code that uses it from the student's own version of those methods.

    The methods are replaced on this instance only, so to the student's code it *is* a
    ``cls``: ``type(layer) is cls``, ``isinstance``, ``__class__`` and its other methods
    all hold (a subclass would fail ``type(layer) == cls``, a check students write).
    """
    layer = cls(*args)
    for name, value in state.items():
        setattr(layer, name, torch.nn.Parameter(value.detach().clone()))
    for name, function in methods.items():
        # an instance attribute is found before the class's method, by calls and by nn.Module
        setattr(layer, name, MethodType(function, layer))
    return layer
