"""Check an assignment before it is handed out: ``python -m autograder lint``.

What the generic tests (tests/test_assignments.py) check by grading, judged here in process
with the grader's own functions, in a fraction of their time: the folder loads (the schema,
the cases), every part has a visible and a hidden case and a mistake, every mistake and
alternative applies to the reference and compiles, every mistake fails cases of its own part
only and the feedback names it, every alternative passes, and the student files are up to date.
A student file that imports another graded one is not modelled (the grader runs the student's
copy of it): the generic tests, which grade each mistake as a submission, stay the last word.
"""

from __future__ import annotations

import numpy as np
import torch

from autograder.assignment import Assignment, AssignmentError, load_assignment
from autograder.case import Case, Modules
from autograder.grade import (_mistake_records, accepted_records, case_seed, changed_reference,
                             reference)
from autograder.judge import Record, Verdict, error_message, verdict
from autograder.runner import run_case
from autograder.stubs import StubError, stale_stubs
from autograder.values import attach_arrays
from autograder.variants import Alternative, Change, VariantError

SUBMISSION_ID = "lint"  # seeds the hidden cases, as a submission's id would


def lint(name: str) -> list[str]:
    """Every problem of assignment ``name``, one line each; none when it is ready."""
    try:
        assignment = load_assignment(name)
        changes: list[Change] = [*assignment.mistakes, *assignment.alternatives]
    except Exception as exc:  # noqa: BLE001 - a broken cases.py or mistakes.py raises anything
        return [str(exc).removeprefix(f"{name}: ") if isinstance(exc, AssignmentError)
                else f"{type(exc).__name__}: {exc}"]
    problems = _structure(assignment, changes)
    try:
        reference(assignment)
    except RuntimeError as exc:  # it does not import
        problems.append(str(exc))
    else:
        with np.errstate(all="ignore"):  # the NaN and inf of mistakes are judged, not warned of
            problems += _verdicts(assignment, [c for c in changes if _valid(assignment, c)])
    try:
        problems += [f"assignments/{name}/{f} is stale (run `make stubs`)"
                     for f in stale_stubs(name)]
    except StubError as exc:
        problems.append(str(exc))
    return problems


def _valid(assignment: Assignment, change: Change) -> bool:
    return change.part in assignment.parts and change.file in assignment.files


def _structure(assignment: Assignment, changes: list[Change]) -> list[str]:
    problems = []
    for part in assignment.parts:
        if assignment.parts[part].tests:  # graded by its unittest file, which lint does not judge
            continue
        cases = assignment.cases_of(part)
        if not any(c.visible for c in cases):
            problems.append(f"part {part} has no visible case")
        if all(c.visible for c in cases):
            problems.append(f"part {part} has no hidden case")
        if not any(m.part == part for m in assignment.mistakes):
            problems.append(f"part {part} has no mistake")
    names = [c.name for c in changes]
    problems += [f"two mistakes or alternatives are named {n!r}"
                 for n in sorted({n for n in names if names.count(n) > 1})]
    for change in changes:
        if change.part not in assignment.parts:
            problems.append(f"{change.label}: there is no part {change.part}")
        elif change.file not in assignment.files:
            problems.append(f"{change.label}: {change.file} is not a graded file")
    return problems


def _verdicts(assignment: Assignment, changes: list[Change]) -> list[str]:
    """Run the cases on the reference and on each change of it, and judge them as the grader.

    A change is judged on the cases of the parts graded on its file: the grader imports a
    part's own file (and the provided ones) only, so no other part can see the change."""
    torch.set_num_threads(1)
    ref = reference(assignment)
    seeds = {c.id: case_seed(assignment.name, c, SUBMISSION_ID) for c in assignment.cases}
    inputs, expected, problems = {}, {}, []

    def record(case: Case, modules: Modules) -> Record:
        return attach_arrays(*run_case(case, modules, inputs[case.id], seeds[case.id]))

    def judge(case: Case, actual: Record) -> Verdict:
        return verdict(case, expected[case.id], actual, reveal=case.visible,
                       mistakes=lambda: _mistake_records(assignment, case, inputs[case.id],
                                                         seeds[case.id]),
                       accepted=lambda: accepted_records(assignment, case, inputs[case.id],
                                                         seeds[case.id]))

    for case in assignment.cases:
        gen = torch.Generator().manual_seed(seeds[case.id])
        try:
            inputs[case.id] = case.probe.inputs(ref, gen, **case.params)
        except Exception as exc:  # noqa: BLE001 - the probe's own code
            problems.append(f"case {case.id!r}: its inputs fail: {type(exc).__name__}: {exc}")
            continue
        expected[case.id] = record(case, ref)
        if expected[case.id]["status"] != "ok":
            error = error_message(expected.pop(case.id)["error"])
            problems.append(f"case {case.id!r}: the reference fails: {error}")
        elif not judge(case, record(case, ref)).passed:  # a second run, as the sandbox's
            problems.append(f"case {case.id!r}: the reference does not pass its own check")
            del expected[case.id]
    for change in changes:
        try:
            modules = changed_reference(assignment, change)
        except VariantError as exc:
            problems.append(f"does not apply: {exc}")
            continue
        except SyntaxError as exc:
            problems.append(f"{change.label} does not compile: {exc.msg} (line {exc.lineno})")
            continue
        except Exception as exc:  # noqa: BLE001 - the changed file fails as it is imported
            problems.append(f"{change.label} fails to import: {type(exc).__name__}: {exc}")
            continue
        reached = [c for c in assignment.cases
                   if c.id in expected and assignment.parts[c.part].file == change.file]
        problems += _judged(change, [(c, judge(c, record(c, modules))) for c in reached])
    return problems


def _judged(change: Change, verdicts: list[tuple[Case, Verdict]]) -> list[str]:
    """What is wrong with a change, from its verdicts on the cases it can reach."""
    failed = [(c, v) for c, v in verdicts if not v.passed]
    if isinstance(change, Alternative):
        return [f"{change.label}, a correct alternative, fails case {c.id!r}" for c, _ in failed]
    own = [v for c, v in failed if c.part == change.part]
    others = sorted({c.part for c, _ in failed} - {change.part})
    problems = [f"{change.label} also fails part {p}" for p in others]
    if not own:
        return [f"{change.label} is not caught: every case of part {change.part} passes",
                *problems]
    said = own[0].feedback.splitlines()[0].removeprefix("- ")
    if change.says and not any(change.says.lower() in v.feedback.lower() for v in own):
        problems.append(f"{change.label} is not named: no feedback says {change.says!r} "
                        f"(it says: {said})")
    elif not change.says and not any(v.diagnosis == change.message for v in own):
        problems.append(f"{change.label} is not named: no failing case gives its message as the "
                        f"likely cause (another mistake's first?); the feedback says: {said}")
    return problems
