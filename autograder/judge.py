"""Decide whether a student's record matches the reference's, and explain why not.

Works on records only (plain descriptions and numpy arrays), in the trusted process.
Problems are reported in the order a student should fix them: errors, types, dtypes,
shapes, NaN/inf, values, gradients, inputs changed in place.
"""

from __future__ import annotations

from typing import Any, Callable, Iterable, Iterator, NamedTuple

import numpy as np

from autograder.case import Case
from autograder.compare import Tolerance, describe_nonfinite, mismatch, relation
from autograder.values import JSON_VALUE_TYPES, MAX_DEPTH

Record = dict[str, Any]
DETACHED_HINT = ("avoid .detach(), .item(), .data, .numpy(), torch.tensor(...) on results "
                 "and torch.no_grad() in the computation")
MISSING = {"kind": "missing", "type": "missing value"}
UNREADABLE = {"kind": "unreadable", "type": "unreadable value"}
SHOWN_ITEMS = 20  # a length mismatch shows both sequences of plain values up to this length
SHOWN_LINES = 8  # of an error's message (torch's may print a whole tensor)


def error_message(error: dict[str, Any]) -> str:
    kind, message = error.get("type", "Error"), error.get("message", "")
    if kind == "NotImplementedError":
        return "Not implemented yet: the function still raises NotImplementedError."
    if kind in ("ContractError", "ImportError", "Timeout", "Crash"):
        return message
    lines = message.splitlines()
    if len(lines) > SHOWN_LINES:
        message = "\n".join([*lines[:SHOWN_LINES - 2], f"[{len(lines) - SHOWN_LINES + 1} more "
                             "lines left out]", lines[-1]])
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


def compare(name: str, exp: dict, act: Any, tol: Tolerance, reveal: bool,
            values: bool = True) -> list[str]:
    """Problems with ``act``, the description of what a student's code gave for ``name``,
    where ``exp`` is the reference's. Tuples, lists and dicts are compared item by item,
    recursively, as ``torch.testing.assert_close`` does (any sequence for a sequence, any
    dict for a dict): first the length or the keys, then each item, named ``out[1]`` or
    ``out['mu']``. ``values=False`` compares everything but the values."""
    act = act if isinstance(act, dict) else UNREADABLE
    compare_kind = {"tensor": _tensor_problems, "value": _value_problems,
                    "sequence": _sequence_problems, "mapping": _mapping_problems}.get(exp["kind"])
    if compare_kind is not None:
        return compare_kind(name, exp, act, tol, reveal, values)
    if act.get("type") != exp.get("type"):
        return [_is_not(name, act, str(exp.get("type")))]
    return []


def _tensor_problems(name: str, exp: dict, act: dict, tol: Tolerance, reveal: bool,
                     values: bool) -> list[str]:
    if act.get("kind") != "tensor":
        return [_is_not(name, act, "torch.Tensor")]
    problems = []
    if not act.get("exact_type"):
        problems.append(f"`{name}` is a {act.get('type')} (a subclass of torch.Tensor); "
                        "return a plain torch.Tensor")
    if act.get("device") != exp["device"]:
        problems.append(f"`{name}` is on device '{act.get('device')}', expected '{exp['device']}'")
    if act.get("dtype") != exp["dtype"] and not _widened(exp, act):
        problems.append(f"`{name}` has dtype torch.{act.get('dtype')}, expected torch.{exp['dtype']}")
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


def _widened(exp: dict, act: dict) -> bool:
    """float64 where the reference gives float32: the same values, held more precisely. No
    contract names a dtype, so it costs nothing (see ``output_notes``)."""
    return act.get("dtype") == "float64" and exp.get("dtype") == "float32"


def _value_problems(name: str, exp: dict, act: dict, tol: Tolerance, reveal: bool,
                    values: bool) -> list[str]:
    if act.get("kind") != "value" or type(act.get("value")) is not type(exp["value"]):
        return [_is_not(name, act, exp["type"])]
    if not values:
        return []
    a, e = act["value"], exp["value"]
    same = (np.isclose(a, e, rtol=tol.rtol, atol=tol.atol, equal_nan=True)
            if isinstance(e, float) else a == e)
    if same:
        return []
    return [f"`{name}` is {a!r}, expected {e!r}" if reveal else f"`{name}` has the wrong value"]


def _sequence_problems(name: str, exp: dict, act: dict, tol: Tolerance, reveal: bool,
                       values: bool) -> list[str]:
    n = exp["length"]
    if act.get("kind") != "sequence":
        return [_is_not(name, act, f"{exp['type']} of {_items(n)}")]
    if act.get("length") != n:
        return [f"`{name}` has {_items(act.get('length'))}, expected {n}"
                + _plain_values(exp, act, reveal)]
    if exp["items"] is None:
        return [f"`{name}` has {_items(n)}: too many to compare one by one"]
    items = act.get("items")
    if not isinstance(items, list) or len(items) != n:
        return [f"`{name}` cannot be read"]
    problems = []
    for i, (e, a) in enumerate(zip(exp["items"], items)):
        problems += compare(f"{name}[{i}]", e, a, tol, reveal, values)
    return problems


def _mapping_problems(name: str, exp: dict, act: dict, tol: Tolerance, reveal: bool,
                      values: bool) -> list[str]:
    expected = _by_key(exp)
    if expected is None:
        return [f"`{name}` has {_items(exp['length'])}: too many to compare one by one"]
    if act.get("kind") != "mapping":
        return [_is_not(name, act, f"{exp['type']} with {_keys(list(expected.values()))}")]
    actual = _by_key(act)
    if actual is None:
        return [f"`{name}` has {_items(act.get('length'))}, expected {len(expected)}"
                if act.get("items") is None else f"`{name}` cannot be read"]
    problems = []
    missing = [pair for k, pair in expected.items() if k not in actual]
    extra = [pair for k, pair in actual.items() if k not in expected]
    if missing:
        problems.append(f"`{name}` is missing the {_keys(missing)}")
    if extra:
        problems.append(f"`{name}` has the unexpected {_keys(extra)}")
    for k, (key, e) in expected.items():
        if k in actual:
            problems += compare(f"{name}[{key!r}]", e, actual[k][1], tol, reveal, values)
    return problems


def _by_key(desc: dict) -> dict[tuple[str, Any], tuple[Any, Any]] | None:
    """A mapping's ``[key, description]`` pairs by (key type, key), so that 1 and True differ;
    None when its items are not recorded (too many) or malformed."""
    items = desc.get("items")
    if not isinstance(items, list) or not all(
            isinstance(p, list) and len(p) == 2 and isinstance(p[0], JSON_VALUE_TYPES)
            for p in items):
        return None
    return {(type(key).__name__, key): (key, d) for key, d in items}


def _is_not(name: str, act: dict, expected: str) -> str:
    return f"`{name}` is {_a(str(act.get('type', '?')))}, expected {_a(expected)}"


def _a(what: str) -> str:
    return ("an " if what[:1].lower() in tuple("aeiou") else "a ") + what


def _items(n: Any) -> str:
    return "1 item" if n == 1 else f"{n} items"


def _keys(pairs: list[tuple[Any, Any]]) -> str:
    keys = sorted(repr(key) for key, _ in pairs)
    return ("key " if len(keys) == 1 else "keys ") + ", ".join(keys)


def _plain_values(exp: dict, act: dict, reveal: bool) -> str:
    """``: got [..], expected [..]`` for short sequences of plain values, when values may show."""
    lists = [d.get("items") for d in (act, exp)]
    if not reveal or not all(isinstance(items, list) and len(items) <= SHOWN_ITEMS and all(
            isinstance(d, dict) and d.get("kind") == "value" for d in items) for items in lists):
        return ""
    got, expected = ([d.get("value") for d in items] for items in lists)
    return f": got {got!r}, expected {expected!r}"


def output_problems(exp: dict, act: dict, tol: Tolerance, reveal: bool,
                    judged_by_check: frozenset[str] = frozenset(),
                    noted: frozenset[str] = frozenset()) -> list[str]:
    """Problems with ``act``'s outputs; those in ``judged_by_check`` are not compared by value,
    those in ``noted`` not at all (see :func:`output_notes`)."""
    problems = []
    for name, e in exp.items():
        if name not in noted:
            problems += compare(name, e, act.get(name, MISSING), tol, reveal,
                                values=name not in judged_by_check)
    return problems


def output_notes(exp: dict, act: dict, tol: Tolerance, reveal: bool,
                 noted: frozenset[str]) -> list[str]:
    """Differences in outputs the contract does not require: worth knowing, worth no points."""
    notes = []
    for name in sorted(noted & exp.keys()):
        for problem in compare(name, exp[name], act.get(name, MISSING), tol, reveal):
            notes.append(f"{problem} (not graded: the contract does not require it)")
    for name, e in exp.items():
        a = act.get(name)
        if name not in noted and isinstance(a, dict) and a.get("kind") == "tensor" and _widened(e, a):
            notes.append(f"`{name}` is float64 where the reference's is float32 (not graded); "
                         "float64 usually comes from a numpy value or a torch.tensor of a Python "
                         "float, and spreads to what is computed from it")
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
        found.update(_arrays_in(f"out.{name}", desc))
    for out, grads in record.get("grads", {}).items():
        for leaf, desc in (grads.items() if isinstance(grads, dict) else ()):
            if isinstance(desc, dict) and isinstance(desc.get("array"), np.ndarray):
                found[f"grad.{out}.{leaf}"] = desc["array"]
    return found


def _arrays_in(name: str, desc: Any, depth: int = 0) -> Iterator[tuple[str, np.ndarray]]:
    """The arrays of an output's description, containers included, by path (``out.x[1]['mu']``)."""
    if not isinstance(desc, dict) or depth > MAX_DEPTH:
        return
    items = desc.get("items") if isinstance(desc.get("items"), list) else []
    if isinstance(desc.get("array"), np.ndarray):
        yield name, desc["array"]
    elif desc.get("kind") == "sequence":
        for i, item in enumerate(items):
            yield from _arrays_in(f"{name}[{i}]", item, depth + 1)
    elif desc.get("kind") == "mapping":
        for pair in items:
            if isinstance(pair, list) and len(pair) == 2:
                yield from _arrays_in(f"{name}[{pair[0]!r}]", pair[1], depth + 1)


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


def diagnose(case: Case, expected: Record, actual: Record,
             mistakes: Iterable[tuple[str, Record]]) -> str | None:
    """The message of the first catalogued mistake whose outputs the student's match.

    A mistake that gives NaN or inf where the student's values are finite explains nothing,
    however leniently a check compares them (NaN passes no test and fails none); nor does one
    that detaches an output the reference and the student both differentiate (a detached
    output's gradients are not compared: it would match whatever gradient the student has)."""
    for message, record in mistakes:
        if (record.get("status") == "ok" and not has_nonfinite(actual, record)
                and not _detaches_more(record, expected, actual)
                and not record_problems(case, record, actual, reveal=False)):
            return message
    return None


def _detaches_more(mistake: Record, expected: Record, actual: Record) -> bool:
    def detached(record: Record, out: str) -> bool:
        grads = record.get("grads", {}).get(out)
        return isinstance(grads, dict) and bool(grads.get("detached"))

    return any(detached(mistake, out) and not detached(expected, out) and not detached(actual, out)
               for out in mistake.get("grads", {}))


def is_accepted(case: Case, actual: Record, accepted: Iterable[Record]) -> bool:
    """Whether ``actual`` matches one of the other right answers of ``case``."""
    return actual.get("status") == "ok" and any(
        record.get("status") == "ok" and not record_problems(case, record, actual, reveal=False)
        for record in accepted)


class Verdict(NamedTuple):
    passed: bool
    feedback: str
    diagnosis: str | None  # the matching catalogued mistake's message, if any


def verdict(case: Case, expected: Record, actual: Record, *, reveal: bool,
            mistakes: Callable[[], Iterable[tuple[str, Record]]],
            accepted: Callable[[], Iterable[Record]] = tuple) -> Verdict:
    """Whether one case passed, what to tell the student, and the likely cause.

    ``accepted``: the records of the other right answers (``case.accepts``); a record that
    matches one of them passes, and the feedback names what it differs from: ``expected``."""
    problems = record_problems(case, expected, actual, reveal=reveal)
    if problems and is_accepted(case, actual, accepted()):
        problems = []
    notes = [] if actual.get("status") != "ok" else output_notes(
        expected["outputs"], actual.get("outputs", {}), case.tol, reveal, case.probe.noted)
    note_lines = [f"Note: {n}" for n in notes]
    if not problems:
        return Verdict(True, "\n".join(["Passed: outputs and gradients match the reference.",
                                        *note_lines]), None)
    lines = [f"- {p}" for p in problems]
    known = diagnose(case, expected, actual, mistakes()) if actual.get("status") == "ok" else None
    if known:
        lines.append(f"Likely cause: {known}")
    return Verdict(False, "\n".join([*lines, *note_lines]), known)


def _indent(text: str) -> str:
    return "\n".join("    " + line for line in text.splitlines())
