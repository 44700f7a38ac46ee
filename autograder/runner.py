"""Run one test case on some implementation and describe what came out.

The same function runs on both sides: in the grader for the reference (and the catalogued
mistakes), and in the sandboxed child for the student's code. A record holds the outputs,
the gradients of each output with respect to the probe's leaves, the inputs that were
changed in place, or the error that was raised.
"""

from __future__ import annotations

import copy
import random
import traceback
from typing import Any

import numpy as np
import numpy.random  # loaded lazily by numpy: here, before the sandbox forks
import torch

from autograder.case import Case, ContractError, Modules
from autograder.values import describe

Record = dict[str, Any]


def reset_torch_state(seed: int) -> None:
    """Undo global changes a submission may have made at import time, then seed."""
    torch.set_grad_enabled(True)
    torch.set_default_dtype(torch.float32)
    torch.autograd.set_detect_anomaly(False)
    if torch.are_deterministic_algorithms_enabled():  # the setter imports torch._inductor: slow
        torch.use_deterministic_algorithms(False)
    # the CPU generator alone: torch.manual_seed also queues a CUDA seeding, recording a stack
    # trace each time (2 ms a case), for a device no grading has
    torch.default_generator.manual_seed(seed)
    # Drawing from numpy or Python breaks the grading contract, but should do so the same way
    # every time (in a batch, too), so that the diagnosis of such code can name it.
    np.random.seed(seed % 2**32)
    random.seed(seed)


def _grad_weights(shape: torch.Size, dtype: torch.dtype, seed: int) -> torch.Tensor:
    """Fixed random weights, so a gradient sees every element of an output."""
    gen = torch.Generator().manual_seed(seed)
    return torch.randn(shape, generator=gen, dtype=torch.float64).to(dtype)


def _gradients(call_outputs: dict[str, Any], wrt: dict[str, torch.Tensor], grad_of,
               seed: int, arrays: dict[str, np.ndarray]) -> dict[str, Any]:
    grads: dict[str, Any] = {}
    names = grad_of if grad_of is not None else tuple(call_outputs)
    leaves = list(wrt.values())
    for i, name in enumerate(names):
        out = call_outputs.get(name)
        if not (isinstance(out, torch.Tensor) and out.is_floating_point()) or not leaves:
            continue
        if not out.requires_grad:
            grads[name] = {"detached": True}
            continue
        try:
            weights = _grad_weights(out.shape, out.dtype, seed + i)
            gs = torch.autograd.grad((out * weights).sum(), leaves, retain_graph=True,
                                     allow_unused=True)
        except Exception as exc:  # noqa: BLE001 - a broken graph is the student's error
            grads[name] = {"error": f"{type(exc).__name__}: {exc}"[:500]}
            continue
        grads[name] = {leaf: (None if g is None else describe(g, arrays, f"grad.{name}.{leaf}"))
                       for leaf, g in zip(wrt, gs)}
    return grads


def where_raised(exc: BaseException, student_files: tuple[str, ...]) -> str | None:
    """The last line of the student's own code in a traceback."""
    frames = [f for f in traceback.extract_tb(exc.__traceback__)
              if f.filename.endswith(student_files)]
    if not frames:
        return None
    f = frames[-1]
    name = f.filename.rsplit("/", 1)[-1]
    return f"{name}, line {f.lineno}, in {f.name}" + (f": {f.line.strip()}" if f.line else "")


def run_case(case: Case, modules: Modules, inputs: dict[str, Any], seed: int,
             student_files: tuple[str, ...] = ()) -> tuple[Record, dict[str, np.ndarray]]:
    """Run ``case`` on ``modules``; returns the record and the arrays it refers to."""
    arrays: dict[str, np.ndarray] = {}
    inputs = copy.deepcopy(inputs)  # each run gets its own copy to change, or not
    before = {k: v.clone() for k, v in inputs.items() if isinstance(v, torch.Tensor)}
    reset_torch_state(seed)
    try:
        call = case.probe.call(modules, inputs)
    except ContractError as exc:
        return {"status": "error", "error": {"type": "ContractError", "message": str(exc)}}, arrays
    except BaseException as exc:  # noqa: BLE001 - SystemExit, KeyboardInterrupt included
        return {"status": "error", "error": {
            "type": type(exc).__name__, "message": str(exc)[:1000],
            "where": where_raised(exc, student_files)}}, arrays
    record: Record = {
        "status": "ok",
        "outputs": {name: describe(v, arrays, f"out.{name}") for name, v in call.outputs.items()},
        "grads": _gradients(call.outputs, call.wrt, call.grad_of, seed, arrays),
        "mutated": [k for k, v in before.items()
                    if not (v.shape == inputs[k].shape and torch.equal(v, inputs[k].detach()))],
    }
    return record, arrays
