"""Outputs that are tuples, lists or dicts are judged item by item, as torch.testing does."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import numpy as np
import torch

from autograder.case import Call, Case, Probe
from autograder.compare import Tolerance
from autograder.judge import compare, verdict
from autograder.runner import run_case
from autograder.values import MAX_DEPTH, MAX_ITEMS, attach_arrays, describe


def _described(value: Any) -> dict:
    """``value`` as the judge sees it: described, then read back with its arrays."""
    arrays: dict[str, np.ndarray] = {}
    return attach_arrays(describe(value, arrays, "out"), arrays)


def _problems(actual: Any, expected: Any, reveal: bool = True) -> list[str]:
    return compare("out", _described(expected), _described(actual), Tolerance(), reveal)


def _pair(mu: float = 0.0) -> tuple[torch.Tensor, torch.Tensor]:
    return torch.arange(3.0) + mu, torch.ones(2)


def test_equal_containers_pass_and_any_sequence_stands_for_a_sequence():
    assert _problems(_pair(), _pair()) == []
    assert _problems(list(_pair()), _pair()) == []  # as torch.testing: a list for a tuple
    assert _problems({"b": [1, 2.0], "a": None}, {"a": None, "b": [1, 2.0 + 1e-9]}) == []


def test_a_wrong_item_of_a_tuple_is_named():
    problems = _problems((torch.arange(3.0), torch.zeros(2)), _pair())
    assert len(problems) == 1
    assert problems[0].startswith("`out[1]` has the right shape but wrong values")
    assert "Mismatched elements: 2 / 2" in problems[0]


def test_nested_items_are_named_by_their_path():
    expected = {"z": _pair(), "stats": {"mean": 0.5, "count": 3}}
    actual = {"z": (torch.arange(3.0), torch.ones(3)), "stats": {"mean": 0.5, "count": 4}}
    assert _problems(actual, expected) == ["`out['z'][1]` has shape (3,), expected (2,)",
                                           "`out['stats']['count']` is 4, expected 3"]


def test_length_mismatch_comes_first():
    assert _problems(_pair()[:1], _pair()) == ["`out` has 1 item, expected 2"]
    assert _problems([1, 2, 3], [1, 2]) == ["`out` has 3 items, expected 2: got [1, 2, 3], "
                                            "expected [1, 2]"]
    assert _problems([1, 2, 3], [1, 2], reveal=False) == ["`out` has 3 items, expected 2"]


def test_missing_and_extra_keys_then_each_common_key():
    expected = {"mu": torch.zeros(2), "logvar": torch.zeros(2), 1: "one"}
    actual = {"mu": torch.ones(2), "sigma": torch.zeros(2), "1": "one"}
    problems = _problems(actual, expected, reveal=False)
    assert problems[:2] == ["`out` is missing the keys 'logvar', 1",
                            "`out` has the unexpected keys '1', 'sigma'"]
    assert problems[2].startswith("`out['mu']` has the right shape but wrong values")
    assert len(problems) == 3


def test_wrong_containers_and_kinds_are_named():
    assert _problems(torch.zeros(2), _pair()) == [
        "`out` is a torch.Tensor, expected a tuple of 2 items"]
    assert _problems(_pair(), {"mu": 1.0}) == ["`out` is a tuple, expected a dict with key 'mu'"]
    assert _problems([[1.0]], [torch.zeros(1)]) == ["`out[0]` is a list, expected a torch.Tensor"]
    assert _problems((1, 2.0), (1, 2)) == ["`out[1]` is a float, expected an int"]


def test_huge_and_deep_containers_stay_small_records():
    huge = _described(list(range(MAX_ITEMS + 1)))
    assert huge["items"] is None and huge["length"] == MAX_ITEMS + 1
    assert _problems(list(range(MAX_ITEMS + 1)), [1, 2]) == [
        f"`out` has {MAX_ITEMS + 1} items, expected 2"]
    deep: list = []
    for _ in range(100):
        deep = [deep]
    inner = _described(deep)
    for _ in range(MAX_DEPTH):
        inner = inner["items"][0]
    assert inner["kind"] == "object" and inner["type"] == "builtins.list"
    assert _problems(deep, [[1]]) == ["`out[0][0]` is a list, expected an int"]


def _case(returned) -> tuple[Case, SimpleNamespace]:
    probe = Probe(inputs=lambda ref, gen: {"x": torch.randn(4, generator=gen)},
                  call=lambda m, inp: Call({"out": m.f(inp["x"])}))
    return Case("1a", "tuple", probe), SimpleNamespace(f=returned)


def test_a_case_that_forgets_to_unpack_a_tuple_still_fails():
    case, reference = _case(lambda x: (x.exp(), {"sum": x.sum()}))
    _, student = _case(lambda x: (x.exp(), {"sum": x.sum() + 1}))
    inputs = case.probe.inputs(None, torch.Generator().manual_seed(0))
    expected, actual = (attach_arrays(*run_case(case, m, inputs, 0)) for m in (reference, student))
    assert verdict(case, expected, expected, reveal=True, mistakes=list).passed
    judged = verdict(case, expected, actual, reveal=False, mistakes=list)
    assert not judged.passed
    assert "`out[1]['sum']` has the right shape but wrong values" in judged.feedback


def test_a_mistake_that_gives_nan_explains_no_finite_answer():
    """A check that compares leniently lets NaN through; the diagnosis must not."""
    def check(case, expected, actual):  # as a statistical check does, NaN compares as no gap
        gap = np.abs(actual["outputs"]["y"]["array"] - expected["outputs"]["y"]["array"])
        return ["`y` is off"] if np.any(gap > 1e-6) else []

    case = Case("1a", "check-graded", Probe(lambda ref, gen: {"x": torch.arange(3.0)},
                                            lambda m, inp: Call({"y": m.f(inp["x"])}),
                                            check=check, judged_by_check=frozenset({"y"})))
    inputs = case.probe.inputs(None, None)
    expected, student, blown_up, same = (
        attach_arrays(*run_case(case, SimpleNamespace(f=f), inputs, 0))
        for f in (lambda x: x * 2, lambda x: x * 3, lambda x: x / 0 * 0, lambda x: x * 3))
    failed = verdict(case, expected, student, reveal=True, mistakes=lambda: [
        ("blows up", blown_up), ("times three", same)])
    assert not failed.passed and failed.diagnosis == "times three"


def test_a_detached_mistake_explains_no_gradient_the_student_has():
    """A detached output's gradients are not compared, so a mistake that detaches it would
    match any student with its values: it names only students whose output is detached too."""
    case = Case("1a", "reparameterized", Probe(
        lambda ref, gen: {"m": torch.arange(3.0), "v": torch.ones(3) * 4},
        lambda m, inp: Call({"z": m.f(inp["m"].requires_grad_(), inp["v"].requires_grad_())},
                            wrt={"m": inp["m"], "v": inp["v"]})))

    def record(f):
        inputs = case.probe.inputs(None, None)
        return attach_arrays(*run_case(case, SimpleNamespace(f=f), inputs, 0))

    expected = record(lambda m, v: m + v.sqrt())
    detached = record(lambda m, v: (m + v.sqrt()).detach())
    half = record(lambda m, v: m + v.sqrt().detach())
    mistakes = lambda: [("the sample is detached", detached)]  # noqa: E731
    assert verdict(case, expected, half, reveal=True, mistakes=mistakes).diagnosis is None
    assert verdict(case, expected, detached, reveal=True,
                   mistakes=mistakes).diagnosis == "the sample is detached"
