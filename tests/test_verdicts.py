"""The grader's verdicts: reference full marks, stubs zero, mutants lose their part, alternatives pass.

Every assignment that has a ``variants_<name>.py`` next to this file is covered.
"""

from __future__ import annotations

import importlib

import pytest

from autograder.assignment import available, load_assignment
from helpers import feedback, full_scores, part_scores
from variants import ROOT

ASSIGNMENTS = [a for a in available() if (ROOT / "tests" / f"variants_{a}.py").exists()]


def _variants(kind: str) -> list:
    params = []
    for assignment in ASSIGNMENTS:
        module = importlib.import_module(f"variants_{assignment}")
        params += [pytest.param(assignment, v, id=f"{assignment}-{v.part}-{v.name}")
                   for v in getattr(module, kind)]
    return params


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_reference_gets_full_marks(grade, assignment):
    data = grade(assignment, ROOT / "solutions" / assignment)
    failed = [f"{t['number']}: {t['output']}" for t in data["tests"] if t["status"] != "passed"]
    assert not failed, "\n".join(failed)
    assert data["score"] == pytest.approx(sum(full_scores(assignment).values()))


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_stubs_get_zero_without_crashing(grade, assignment):
    data = grade(assignment, ROOT / "assignments" / assignment)
    assert data["score"] == 0
    assert len(data["tests"]) == len(load_assignment(assignment).cases)
    assert all("Not implemented yet" in t["output"] for t in data["tests"])


@pytest.mark.parametrize("assignment, mutant", _variants("MUTANTS"))
def test_mutant_loses_points_on_its_part_only(grade_variants, assignment, mutant):
    data = grade_variants(assignment, mutant)
    scores, full = part_scores(data), full_scores(assignment)
    assert scores[mutant.part] < full[mutant.part], "the mistake went unnoticed"
    others = {p: s for p, s in scores.items() if p != mutant.part}
    assert others == {p: s for p, s in full.items() if p != mutant.part}
    text = feedback(data, mutant.part)
    assert mutant.expect.lower() in text.lower(), text


@pytest.mark.parametrize("assignment, alternative", _variants("ALTERNATIVES"))
def test_correct_alternative_gets_full_marks(grade_variants, assignment, alternative):
    data = grade_variants(assignment, alternative)
    failed = [f"{t['number']}: {t['output']}" for t in data["tests"] if t["status"] != "passed"]
    assert not failed, "\n".join(failed)


def test_suites_are_big_enough():
    for assignment in ASSIGNMENTS:
        module = importlib.import_module(f"variants_{assignment}")
        per_part = {p: 0 for p in load_assignment(assignment).parts}
        for v in module.MUTANTS:
            per_part[v.part] += 1
        minimum = 4 if assignment == "flows_gans" else 3
        assert min(per_part.values()) >= minimum, per_part
        assert len(module.ALTERNATIVES) >= (6 if assignment == "flows_gans" else 8)
