"""Decide whether a student's record matches the reference's, and explain why not.

Works on records only (plain descriptions and numpy arrays), in the trusted process.
Problems are reported in the order a student should fix them: errors, types, dtypes,
shapes, NaN/inf, values, gradients, inputs changed in place.
"""

from __future__ import annotations

from typing import Any, Callable, Iterable, NamedTuple

import numpy as np

from autograder.case import Case
from autograder.compare import Tolerance, describe_nonfinite, mismatch, relation

Record = dict[str, Any]
DETACHED_HINT = ("avoid .detach(), .item(), .data, .numpy(), torch.tensor(...) on results "
                 "and torch.no_grad() in the computation")


def error_message(error: dict[str, Any]) -> str:
    kind, message = error.get("type", "Error"), error.get("message", "")
    if kind == "NotImplementedError":
        return "Not implemented yet: the function still raises NotImplementedError."
    if kind in ("ContractError", "ImportError", "Timeout", "Crash"):
        return message
    text = f"Your code raised {kind}: {message}" if message else f"Your code raised {kind}."
    if kind == "SystemExit":
        text = "Your code called sys.exit() (or exit()) while being tested; never exit from a graded function."
    if error.get("where"):
        text += f"\n    at {error['where']}"
    return text


def _shape_hint(actual: list[int], expected: list[int]) -> str:
    if int(np.prod(actual)) == int(np.prod(expected)):
        return " (same number of elements: reshape, squeeze or a missing reduction over a dimension?)"
    if len(actual) < len(expected):
        return " (did you reduce over a dimension that should be kept, e.g. the batch?)"
    if len(actual) > len(expected):
        return " (a dimension is not reduced, or an extra dimension was added by broadcasting)"
    return ""


def _tensor_problems(name: str, exp: dict, act: dict, tol: Tolerance, reveal: bool,
                     values: bool = True) -> list[str]:
    if act.get("kind") != "tensor":
        return [f"`{name}` is a {act.get('type', '?')}, expected a torch.Tensor"]
    problems = []
    if not act.get("exact_type"):
        problems.append(f"`{name}` is a {act.get('type')} (a subclass of torch.Tensor); "
                        "return a plain torch.Tensor")
    if act.get("device") != exp["device"]:
        problems.append(f"`{name}` is on device '{act.get('device')}', expected '{exp['device']}'")
    if act.get("dtype") != exp["dtype"]:
        hint = (" (float64 usually comes from numpy or Python floats turned into tensors)"
                if act.get("dtype") == "float64" else "")
        problems.append(f"`{name}` has dtype torch.{act.get('dtype')}, expected torch.{exp['dtype']}{hint}")
    if act.get("shape") != exp["shape"]:
        problems.append(f"`{name}` has shape {tuple(act.get('shape') or ())}, expected "
                        f"{tuple(exp['shape'])}{_shape_hint(act.get('shape') or [], exp['shape'])}")
    if problems:
        return problems
    if not isinstance(act.get("array"), np.ndarray):
        return [f"`{name}`'s values cannot be read ({act.get('unreadable', 'no data')})"]
    nonfinite = describe_nonfinite(act["array"], exp["array"])
    if nonfinite:
        return [f"`{name}` {nonfinite}"]
    if not values:
        return []
    report = mismatch(act["array"], exp["array"], tol, reveal=reveal)
    if report is None:
        return []
    hint = relation(act["array"], exp["array"], tol) if reveal else None
    return [f"`{name}` has the right shape but wrong values" + (f": {hint}" if hint else "")
            + f":\n{_indent(report)}"]


def _value_problems(name: str, exp: dict, act: dict, tol: Tolerance, reveal: bool,
                    values: bool = True) -> list[str]:
    if act.get("kind") != "value" or type(act.get("value")) is not type(exp["value"]):
        return [f"`{name}` is a {act.get('type', '?')}, expected a {exp['type']}"]
    if not values:
        return []
    a, e = act["value"], exp["value"]
    same = (np.isclose(a, e, rtol=tol.rtol, atol=tol.atol) if isinstance(e, float) else a == e)
    if same:
        return []
    return [f"`{name}` is {a!r}, expected {e!r}" if reveal else f"`{name}` has the wrong value"]


def output_problems(exp: dict, act: dict, tol: Tolerance, reveal: bool,
                    judged_by_check: frozenset[str] = frozenset(),
                    noted: frozenset[str] = frozenset()) -> list[str]:
    """Problems with ``act``'s outputs; those in ``judged_by_check`` are not compared by value,
    those in ``noted`` not at all (see :func:`output_notes`)."""
    problems = []
    for name, e in exp.items():
        if name in noted:
            continue
        a = act.get(name, {"kind": "missing", "type": "missing value"})
        if e["kind"] == "tensor":
            problems += _tensor_problems(name, e, a, tol, reveal, name not in judged_by_check)
        elif e["kind"] == "value":
            problems += _value_problems(name, e, a, tol, reveal, name not in judged_by_check)
        elif a.get("type") != e.get("type"):
            problems.append(f"`{name}` is a {a.get('type')}, expected a {e.get('type')}")
    return problems


def output_notes(exp: dict, act: dict, tol: Tolerance, reveal: bool,
                 noted: frozenset[str]) -> list[str]:
    """Differences in outputs the contract does not require: worth knowing, worth no points."""
    notes = []
    for name in sorted(noted & exp.keys()):
        a = act.get(name, {"kind": "missing", "type": "missing value"})
        for problem in output_problems({name: exp[name]}, {name: a}, tol, reveal):
            notes.append(f"{problem} (not graded: the contract does not require it)")
    return notes


def grad_problems(exp: dict, act: dict, tol: Tolerance, reveal: bool,
                  labels: dict[str, str]) -> list[str]:
    problems = []
    for out, exp_grads in exp.items():
        act_grads = act.get(out)
        if "detached" in exp_grads or act_grads is None:
            continue
        if act_grads.get("detached"):
            problems.append(f"`{out}` is detached from the autograd graph, so no gradient "
                            f"can flow back through it: {DETACHED_HINT}")
            continue
        if "error" in act_grads:
            problems.append(f"Backpropagating through `{out}` failed: {act_grads['error']}")
            continue
        problems += _leaf_problems(out, exp_grads, act_grads, tol, reveal, labels)
    return problems


def _leaf_problems(out: str, exp_grads: dict, act_grads: dict, tol: Tolerance, reveal: bool,
                   labels: dict[str, str]) -> list[str]:
    """One problem per group of leaves (e.g. all parameters of d), named by ``labels``."""
    problems, reported = [], set()
    for leaf, e in exp_grads.items():
        group = leaf.split(".")[0]
        if e is None or group in reported:
            continue
        a = act_grads.get(leaf)
        what = labels.get(group, f"`{leaf}`")
        readable = isinstance((a or {}).get("array"), np.ndarray) and a.get("shape") == e["shape"]
        nonfinite = describe_nonfinite(a["array"], e["array"]) if readable else None
        if a is None:
            problems.append(f"No gradient of `{out}` reaches {what}: {DETACHED_HINT}")
        elif nonfinite:
            problems.append(f"The gradient of `{out}` with respect to {what} {nonfinite}")
        else:
            report = mismatch(a["array"], e["array"], tol, reveal=reveal) if readable else "unreadable"
            if report is None:
                continue
            problems.append(f"The gradient of `{out}` with respect to {what} is wrong "
                            f"(`{leaf}`):\n{_indent(report)}")
        reported.add(group)
    return problems


def _arrays(record: Record) -> dict[str, np.ndarray]:
    """Every array of a record's outputs and gradients, by a name unique within the record."""
    found = {}
    for name, desc in record.get("outputs", {}).items():
        if isinstance(desc, dict) and isinstance(desc.get("array"), np.ndarray):
            found[f"out.{name}"] = desc["array"]
    for out, grads in record.get("grads", {}).items():
        for leaf, desc in (grads.items() if isinstance(grads, dict) else ()):
            if isinstance(desc, dict) and isinstance(desc.get("array"), np.ndarray):
                found[f"grad.{out}.{leaf}"] = desc["array"]
    return found


def has_nonfinite(expected: Record, actual: Record) -> bool:
    """True when ``actual`` has NaN or inf where ``expected`` (of the same shape) is finite."""
    exp = _arrays(expected)
    return any(key in exp and a.shape == exp[key].shape
               and describe_nonfinite(a, exp[key]) is not None
               for key, a in _arrays(actual).items())


def record_problems(case: Case, expected: Record, actual: Record, *, reveal: bool) -> list[str]:
    if actual.get("status") != "ok":
        return [error_message(actual.get("error", {}))]
    problems = output_problems(expected["outputs"], actual.get("outputs", {}), case.tol, reveal,
                               case.probe.judged_by_check, case.probe.noted)
    if not problems:
        problems = grad_problems(expected.get("grads", {}), actual.get("grads", {}),
                                 case.grad_tol, reveal, case.probe.labels)
    mutated = actual.get("mutated") or []
    if mutated:
        problems.append(f"Your code changed its input(s) {', '.join(f'`{m}`' for m in mutated)} "
                        "in place; compute new tensors instead (y = x * 2, not x *= 2)")
    if case.probe.check is not None and not problems:
        problems += case.probe.check(case, expected, actual)
    if problems and case.nonfinite_hint and has_nonfinite(expected, actual):
        problems.append(case.nonfinite_hint)
    return problems


def diagnose(case: Case, actual: Record, mistakes: Iterable[tuple[str, Record]]) -> str | None:
    """The message of the first catalogued mistake whose outputs the student's match."""
    for message, record in mistakes:
        if record.get("status") == "ok" and not record_problems(case, record, actual, reveal=False):
            return message
    return None


class Verdict(NamedTuple):
    passed: bool
    feedback: str
    diagnosis: str | None  # the matching catalogued mistake's message, if any


def verdict(case: Case, expected: Record, actual: Record, *, reveal: bool,
            mistakes: Callable[[], Iterable[tuple[str, Record]]]) -> Verdict:
    """Whether one case passed, what to tell the student, and the likely cause."""
    problems = record_problems(case, expected, actual, reveal=reveal)
    notes = [] if actual.get("status") != "ok" else output_notes(
        expected["outputs"], actual.get("outputs", {}), case.tol, reveal, case.probe.noted)
    note_lines = [f"Note: {n}" for n in notes]
    if not problems:
        return Verdict(True, "\n".join(["Passed: outputs and gradients match the reference.",
                                        *note_lines]), None)
    lines = [f"- {p}" for p in problems]
    known = diagnose(case, actual, mistakes()) if actual.get("status") == "ok" else None
    if known:
        lines.append(f"Likely cause: {known}")
    return Verdict(False, "\n".join([*lines, *note_lines]), known)


def _indent(text: str) -> str:
    return "\n".join("    " + line for line in text.splitlines())
