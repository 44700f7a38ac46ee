"""Every assignment in solutions/, whatever it is: the verdicts its tests give.

The reference gets full marks and the untouched stubs zero; every catalogued mistake loses
points on its own part only and the feedback names it; every correct alternative gets full
marks. A part graded by extra unittest tests exercises the file end to end: a mistake in
another part may cost its points too. A new assignment is covered by adding its folder:
nothing here names one.
"""

from __future__ import annotations

import pytest

from autograder.assignment import available, load_assignment
from helpers import end_to_end_parts, feedback, full_scores, part_scores

ASSIGNMENTS = available()


def _params(kind: str) -> list:
    return [pytest.param(name, change, id=f"{name}-{change.part}-{change.name}")
            for name in ASSIGNMENTS for change in getattr(load_assignment(name), kind)]


def _failed(data: dict) -> list[str]:
    return [f"{t['number']}: {t['output']}" for t in data["tests"] if t["status"] != "passed"]


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_reference_gets_full_marks(grade, assignment):
    data = grade(assignment, load_assignment(assignment).solution_dir)
    assert not _failed(data), "\n".join(_failed(data))
    assert data["score"] == pytest.approx(load_assignment(assignment).total_points)


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_stubs_get_zero_without_crashing(grade, assignment):
    data = grade(assignment, load_assignment(assignment).student_dir)
    assert data["score"] == 0
    a = load_assignment(assignment)
    assert len(data["tests"]) == len(a.cases) + len(a.extra_tests)
    assert all("Not implemented yet" in t["output"] for t in data["tests"])


@pytest.mark.parametrize("assignment, mistake", _params("mistakes"))
def test_mistake_loses_points_on_its_part_only_and_is_named(grade_variants, assignment, mistake):
    data = grade_variants(assignment, mistake)
    scores, full = part_scores(data), full_scores(assignment)
    assert scores[mistake.part] < full[mistake.part], "the mistake went unnoticed"
    others = full.keys() - end_to_end_parts(assignment) - {mistake.part}
    assert {p: scores[p] for p in others} == {p: full[p] for p in others}
    text = feedback(data, mistake.part)
    if mistake.says:
        assert mistake.says.lower() in text.lower(), text
    else:
        assert f"Likely cause: {mistake.message}" in text, text


@pytest.mark.parametrize("assignment, alternative", _params("alternatives"))
def test_correct_alternative_gets_full_marks(grade_variants, assignment, alternative):
    data = grade_variants(assignment, alternative)
    assert not _failed(data), "\n".join(_failed(data))


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_every_part_has_visible_and_hidden_cases_and_mistakes(assignment):
    a = load_assignment(assignment)
    for part in (p.id for p in a.parts.values() if not p.tests):
        cases = a.cases_of(part)
        assert any(c.visible for c in cases) and not all(c.visible for c in cases), part
        assert any(m.part == part for m in a.mistakes), part
    names = [c.name for c in a.mistakes + a.alternatives]
    assert len(names) == len(set(names)), "two mistakes or alternatives share a name"
