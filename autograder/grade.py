"""Grade one submission: stage it, run each part in the sandbox, judge against the reference.

The caller creates the :class:`~autograder.sandbox.Sandbox` *before* calling anything here:
this module is where reference code is imported and expected values are computed.
"""

from __future__ import annotations

import functools
import hashlib
import logging
import os
import tempfile
import time
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import torch

import autograder
from autograder.assignment import ROOT, Assignment, Part, load_assignment
from autograder.budget import TimeBudget
from autograder.case import Case
from autograder.extra_tests import ExtraTest, judge as judge_test
from autograder.judge import error_message, verdict
from autograder import stand_ins
from autograder.modules import attribute_name, forget_package, import_folder
from autograder.runner import Record, run_case
from autograder.sandbox import Sandbox, SandboxError
from autograder.submission import Staged, part_folder, stage
from autograder.values import InvalidRecord, attach_arrays, load_record
from autograder.variants import Change, module_from_source
from autograder.worker import record_path
from autograder import results


# How much memory a part's process may add to what it inherits from the grader (address space).
DEFAULT_MEMORY_MB = 2048


def case_seed(assignment: str, case: Case | ExtraTest, submission_id: str) -> int:
    """Visible cases (and extra tests): a fixed seed. Hidden ones: derived from the
    submission, reproducible.

    Keyed by the case's id, not its position: adding a case reseeds no other."""
    key = f"{assignment}:{case.id}" + ("" if case.visible else f":{submission_id}")
    return int.from_bytes(hashlib.sha256(key.encode()).digest()[:4], "big") & 0x7FFFFFFF


def reference(assignment: Assignment) -> SimpleNamespace:
    return _reference(assignment.name)


@functools.cache
def _reference(name: str) -> SimpleNamespace:
    assignment = load_assignment(name)
    stand_ins.ensure_importable(assignment.stand_ins)
    if assignment.package:
        forget_package([assignment.package])
    modules, errors = import_folder(assignment.solution_dir,
                                    [*assignment.provided, *assignment.files])
    if errors:
        raise RuntimeError(f"the reference solution is broken: {errors}")
    return modules


def changed_reference(assignment: Assignment, change: Change) -> SimpleNamespace:
    """The reference modules with ``change`` made in its file.

    The changed file is executed afresh as a module of its own; the other files stay the
    reference's, so a mistake in one function is exactly what a student's would be."""
    path = assignment.solution_dir / change.file
    stem = attribute_name(change.file)
    modules = SimpleNamespace(**vars(reference(assignment)))
    setattr(modules, stem, module_from_source(stem, change.apply(path.read_text()), str(path)))
    return modules


@functools.cache
def _mistaken_reference(name: str, index: int) -> SimpleNamespace:
    assignment = load_assignment(name)
    return changed_reference(assignment, assignment.mistakes[index])


@functools.cache
def _accepted_reference(name: str, alternative: str) -> SimpleNamespace:
    assignment = load_assignment(name)
    found = [a for a in assignment.alternatives if a.name == alternative]
    if not found:
        raise RuntimeError(f"{name}: a case accepts {alternative!r}, which is no alternative")
    return changed_reference(assignment, found[0])


def accepted_references(assignment: Assignment, case: Case) -> list[SimpleNamespace]:
    """The reference modules with each alternative the case accepts (``Case.accepts``) made."""
    return [_accepted_reference(assignment.name, name) for name in case.accepts]


def accepted_records(assignment: Assignment, case: Case, inputs: dict, seed: int):
    """Lazily, the record of each alternative the case accepts."""
    for name, modules in zip(case.accepts, accepted_references(assignment, case)):
        yield _reference_record(assignment, case, f"accepts {name}", modules, inputs, seed)


# A visible case has the same seed for every submission (``case_seed``), and its inputs are
# a function of the seed, so its inputs and every record the reference side makes of it are
# the same too: made once per process (a batch worker), not once per submission.
_FIXED: dict[tuple[str, str, int, str], Any] = {}


def _fixed(assignment: Assignment, case: Case, seed: int, what: str, make: Any) -> Any:
    """``make()``, kept for the next submission when ``case`` is visible."""
    if not case.visible:
        return make()
    key = (assignment.name, case.id, seed, what)
    if key not in _FIXED:
        _FIXED[key] = make()
    return _FIXED[key]


def case_inputs(assignment: Assignment, case: Case, seed: int) -> dict:
    """The inputs of ``case`` drawn with ``seed`` (callers copy before changing them)."""
    return _fixed(assignment, case, seed, "inputs", lambda: case.probe.inputs(
        reference(assignment), torch.Generator().manual_seed(seed), **case.params))


def _reference_record(assignment: Assignment, case: Case, what: str, modules: SimpleNamespace,
                      inputs: dict, seed: int) -> Record:
    """The record of ``case`` run on ``modules``, a version of the reference named ``what``."""
    return _fixed(assignment, case, seed, what,
                  lambda: _in_memory(run_case(case, modules, inputs, seed)))


def _in_memory(record_and_arrays: tuple[Record, dict]) -> Record:
    record, arrays = record_and_arrays
    return attach_arrays(record, arrays)


def _mistake_records(assignment: Assignment, case: Case, inputs: dict, seed: int):
    """Lazily, (message, record) for each catalogued mistake of the case's part."""
    for index, mistake in enumerate(assignment.mistakes):  # none in the self-check
        if mistake.part == case.part and mistake.message:
            modules = _mistaken_reference(assignment.name, index)
            yield mistake.message, _reference_record(assignment, case, f"mistake {index}",
                                                     modules, inputs, seed)


def part_status(outcome: dict[str, Any] | None) -> str:
    """How a part's process ended: ok, timed out (its own timeout), out of time (the
    grading's time budget ran out), crashed, or not run (no time was left to start it)."""
    if outcome is None:
        return "crashed"  # the sandbox itself stopped
    if not outcome.get("started", True):  # the self-check's runner has no budget
        return "not run"
    if outcome["timed_out"]:
        return "out of time" if outcome.get("budget_cut") else "timed out"
    return "ok" if outcome["exit_code"] == 0 else "crashed"


def _missing_record(status: str, outcome: dict[str, Any] | None, part: Part,
                    budget: TimeBudget | None, exhausted_by: str | None) -> Record:
    """The record of a case that wrote none: say why the process ended early."""
    whole = f"{budget.seconds:g} s for the whole submission" if budget else ""
    if outcome is None:
        message = "The grading sandbox was stopped before this test ran; nothing was recorded."
        kind = "Crash"
    elif status == "not run":
        message = (f"Not run: the submission used up the time budget ({whole}) in part "
                   f"{exhausted_by}." if exhausted_by else
                   f"Not run: the time budget ({whole}) was used up before any part ran.")
        kind = "Timeout"
    elif status == "out of time":
        message = (f"Timed out: the time budget ({whole}) ran out while part {part.id} was "
                   f"running, {outcome['seconds']:.1f} s into it (an infinite loop, or far too "
                   "much work?)")
        kind = "Timeout"
    elif status == "timed out":
        message = (f"Timed out: part {part.id} did not finish within "
                   f"{outcome.get('timeout', part.timeout):g} s "
                   "(an infinite loop, or far too much work?)")
        kind = "Timeout"
    else:
        code = outcome["exit_code"]
        how = f"killed by signal {-code}" if code < 0 else f"exited with status {code}"
        message = (f"The process running your code {how} before this test finished "
                   "(os._exit, a crash, or running out of memory?)")
        kind = "Crash"
    return {"status": "error", "error": {"type": kind, "message": message}}


def _readable(folder: Path) -> None:
    """Let an unprivileged sandbox user read ``folder`` and everything in it."""
    for path in folder.rglob("*"):
        os.chmod(path, 0o755 if path.is_dir() else 0o644)
    os.chmod(folder, 0o755)


def _prepare_dirs(work: Path) -> None:
    """Let an unprivileged sandbox user reach the submission and its job folders, nothing else."""
    os.chmod(work, 0o711)
    _readable(work / "submission")


def _part_folder(assignment: Assignment, part: Part, work: Path) -> Path:
    """What the part's process imports from: the staged submission, or for a package
    assignment the part's own composition of it (see ``submission.part_folder``)."""
    if not assignment.package:
        return work / "submission"
    folder = part_folder(assignment, part.file, work / "submission", work / "views" / part.id)
    os.chmod(folder.parent, 0o711)
    _readable(folder)
    return folder


def grade(assignment: Assignment, sources: list[Path], sandbox: Sandbox, *,
          submission_id: str | None = None, timeout_scale: float = 1.0,
          budget: TimeBudget | None = None, parts: set[str] | None = None) -> dict[str, Any]:
    """Grade ``sources`` (folders, zips or files); returns the results.json content.

    With a ``budget``, all parts share its deadline and the results are ready by its end.
    ``parts``: grade only these (the audit grades a mutant on the part it mutates).
    """
    start = time.monotonic()
    torch.set_num_threads(1)  # tiny tensors: threads only contend with the sandboxed children
    with tempfile.TemporaryDirectory(prefix="autograder-") as tmp:
        work = Path(tmp)
        staged = stage(assignment, sources, work / "submission")
        _prepare_dirs(work)
        sid = submission_id or staged.digest[:16]
        graded = [p for p in assignment.parts.values() if parts is None or p.id in parts]
        cases = [c for p in graded for c in assignment.cases_of(p.id)]
        tests = [t for p in graded for t in assignment.tests_of(p.id)]
        seeds = {c.id: case_seed(assignment.name, c, sid) for c in (*cases, *tests)}
        ref = reference(assignment)
        # each part is sent as soon as its inputs exist, so the sandbox starts working early
        jobs, inputs = {}, {}
        for part in graded:
            inputs.update({c.id: case_inputs(assignment, c, seeds[c.id])
                           for c in assignment.cases_of(part.id)})
            jobs.update(_submit_parts(assignment, [part], sandbox, work, inputs, seeds,
                                      timeout_scale, budget.parts_deadline if budget else None))
        expected = {c.id: _reference_record(assignment, c, "reference", ref, inputs[c.id],
                                            seeds[c.id]) for c in cases}
        outcomes = _collect(sandbox, jobs, until=budget.stuck_after if budget else None)
        exhausted_by = _exhausted_by(jobs, outcomes)
        entries = []
        for part in graded:
            entries += _judge_part(assignment, part, jobs.get(part.id), outcomes.get(part.id),
                                   expected, inputs, seeds, budget=budget,
                                   exhausted_by=exhausted_by)
    _log_sandbox_notes(outcomes)
    return results.results(
        entries, output=_summary(assignment, staged, sid),
        execution_time=time.monotonic() - start,
        extra={"assignment": assignment.name, "grader_version": autograder.__version__,
               "submission_id": sid, "digest": staged.digest, "files": staged.found,
               "notes": staged.notes,
               "parts": _part_scores(graded, entries, outcomes)})


def _hidden_paths(assignment: Assignment) -> list[str]:
    """Folders student code must not see: the reference, our tests, built zips, git history,
    and those named in $AUTOGRADER_HIDE (a batch hides the class's submissions and results)."""
    extra = [Path(p) for p in os.environ.get("AUTOGRADER_HIDE", "").split(os.pathsep) if p]
    candidates = (assignment.solution_dir.parent, ROOT / "tests", ROOT / ".git", ROOT / "dist",
                  ROOT / "grading", *extra)
    return [str(p.resolve()) for p in candidates if p.is_dir()]


def _submit_parts(assignment: Assignment, parts: list[Part], sandbox: Sandbox, work: Path,
                  inputs: dict,
                  seeds: dict, timeout_scale: float,
                  deadline: float | None = None) -> dict[str, str]:
    """Send one job per part to the sandbox; returns part id -> its output folder.

    A part graded by extra tests gets a ``tests`` job, any other a ``cases`` job.
    ``deadline`` (``time.monotonic()``): no part runs past it, and none starts after it."""
    jobs = {}
    hide = [p for p in _hidden_paths(assignment) if not str(work).startswith(p + os.sep)]
    for part in parts:
        out_dir = work / "parts" / part.id
        out_dir.mkdir(parents=True)
        os.chmod(out_dir.parent, 0o711)
        if part.tests:
            ids = [t.id for t in assignment.tests_of(part.id) if t.id in seeds]
            job = {"kind": "tests"}
        else:
            ids = [c.id for c in assignment.cases_of(part.id) if c.id in inputs]
            torch.save({i: inputs[i] for i in ids}, out_dir / "inputs.pt")
            os.chmod(out_dir / "inputs.pt", 0o644)
            job = {"kind": "cases", "inputs": str(out_dir / "inputs.pt")}
        sandbox.submit({
            **job, "assignment": assignment.name, "part": part.id,
            "submission_dir": str(_part_folder(assignment, part, work)),
            "out_dir": str(out_dir), "seeds": {i: seeds[i] for i in ids},
            "timeout": part.timeout * timeout_scale, "deadline": deadline, "hide": hide,
            "memory_mb": int(os.environ.get("AUTOGRADER_MEMORY_MB", DEFAULT_MEMORY_MB)),
        })
        jobs[part.id] = str(out_dir)
    return jobs


def _collect(sandbox: Sandbox, jobs: dict[str, str],
             until: float | None = None) -> dict[str, dict[str, Any]]:
    """Each job's outcome, in order; ``until`` (``time.monotonic()``): give up waiting then."""
    outcomes = {}
    for part_id in jobs:
        try:
            if until is None:
                outcomes[part_id] = sandbox.result()
            else:
                outcomes[part_id] = sandbox.result(timeout=max(until - time.monotonic(), 0.1))
        except SandboxError:
            break  # the parts after this one get "sandbox stopped" records
    return outcomes


def _exhausted_by(jobs: dict[str, str], outcomes: dict[str, dict[str, Any]]) -> str | None:
    """The part that ran last before the time budget was gone (None: none ran)."""
    order = list(jobs)
    first = next((i for i, p in enumerate(order) if part_status(outcomes.get(p)) == "not run"),
                 None)
    return order[first - 1] if first else None


def _log_sandbox_notes(outcomes: dict[str, dict[str, Any]]) -> None:
    """Tell the course staff (stderr) where the sandbox was weaker than it should be."""
    notes = {n for o in outcomes.values() for n in ((o.get("sandbox") or {}).get("notes") or [])}
    for note in sorted(notes):
        logging.getLogger(__name__).warning("sandbox: %s", note)


def _judge_part(assignment: Assignment, part: Part, out_dir: str | None,
                outcome: dict[str, Any] | None, expected: dict[int, Record],
                inputs: dict, seeds: dict, *, budget: TimeBudget | None = None,
                exhausted_by: str | None = None,
                accepted: dict[str, list[Record]] | None = None) -> list[dict[str, Any]]:
    """One test entry per case (or extra test); its ``extra_data["run"]`` says how its run
    ended: ``ok`` (it wrote its record) or, for a case that wrote none, the part's status (an
    early exit with status 0 counts as ``crashed``). ``accepted``: the records of the
    alternatives each case accepts, where they cannot be computed here (the self-check)."""
    if part.tests:
        return _judge_tests(assignment, part, out_dir, outcome, seeds, budget=budget,
                            exhausted_by=exhausted_by)
    cases = assignment.cases_of(part.id)
    status = part_status(outcome)
    tests = []
    for number, case in enumerate(cases, start=1):
        i = case.id
        if i not in expected:  # the self-check judges the visible cases only
            continue
        actual, run = _written_record(out_dir, case), "ok"
        if actual is None:
            run = _run_without_record(status)
            actual = _missing_record(run, outcome, part, budget, exhausted_by)
        judged = verdict(
            case, expected[i], actual, reveal=case.visible,
            mistakes=lambda case=case, i=i: _mistake_records(assignment, case, inputs[i], seeds[i]),
            accepted=(lambda i=i: accepted[i]) if accepted is not None else
            (lambda case=case, i=i: accepted_records(assignment, case, inputs[i], seeds[i])))
        points = part.points / len(cases)
        seed_note = "" if case.visible else f"\n(hidden test, seed {seeds[i]})"
        tests.append(results.test_entry(
            name=f"{part.id} {part.title}: {case.label}" + ("" if case.visible else " [hidden]"),
            number=f"{part.id}.{number:02d}", score=points if judged.passed else 0.0,
            max_score=points, output=judged.feedback + seed_note, tags=[part.id],
            visibility="visible" if case.visible else "after_due_date",
            extra={"part": part.id, "case": case.id, "seed": seeds[i], "run": run,
                   "status": "passed" if judged.passed else ("failed" if run == "ok" else run),
                   "diagnosis": judged.diagnosis}))
    return tests


def _written_record(out_dir: str | None, item: Any) -> Record | None:
    """What a case or an extra test wrote, or None when it wrote nothing readable."""
    if out_dir is None:
        return None
    try:
        return load_record(record_path(out_dir, item))
    except (InvalidRecord, FileNotFoundError):
        return None


def _run_without_record(status: str) -> str:
    """How a case that wrote no record ended: its part's status (an exit 0 is a crash)."""
    return "crashed" if status == "ok" else status


def _judge_tests(assignment: Assignment, part: Part, out_dir: str | None,
                 outcome: dict[str, Any] | None, seeds: dict, *, budget: TimeBudget | None,
                 exhausted_by: str | None) -> list[dict[str, Any]]:
    """One entry per extra test of ``part``: the score its run reported, clamped to its
    declared weight; everything else from its declaration."""
    status = part_status(outcome)
    entries = []
    for test in assignment.tests_of(part.id):
        if test.id not in seeds:
            continue
        record, run = _written_record(out_dir, test), "ok"
        judged = judge_test(record, test) if record is not None else None
        if judged is None:
            run = _run_without_record(status)
            missing = _missing_record(run, outcome, part, budget, exhausted_by)
            judged = 0.0, error_message(missing["error"])
        score, output = judged
        passed = score >= test.weight
        hidden = "" if test.visible else " [hidden]"
        seed_note = "" if test.visible else f"\n(hidden test, seed {seeds[test.id]})"
        entries.append(results.test_entry(
            name=f"{part.id} {part.title}: {test.description}{hidden}", number=test.number,
            score=score, max_score=float(test.weight), output=output + seed_note,
            tags=[part.id, *test.tags], visibility=test.visibility,
            extra={"part": part.id, "case": test.id, "seed": seeds[test.id], "run": run,
                   "status": "passed" if passed else ("failed" if run == "ok" else run),
                   "diagnosis": None}))
    return entries


def _part_scores(parts: list[Part], tests: list[dict[str, Any]],
                 outcomes: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """Per part: its score, how its process ended (``run``, see ``part_status``, and its
    ``exit_code``: negative for a signal), its seconds, and its confinement as the sandbox
    reported it (``sandbox``)."""
    return {p.id: {"score": round(sum(t["score"] for t in tests
                                      if t["extra_data"]["part"] == p.id), 4),
                   "max_score": p.points, "run": part_status(outcomes.get(p.id)),
                   "exit_code": outcomes[p.id]["exit_code"] if p.id in outcomes else None,
                   "seconds": outcomes[p.id]["seconds"] if p.id in outcomes else None,
                   "sandbox": outcomes[p.id].get("sandbox") if p.id in outcomes else None}
            for p in parts}


def _summary(assignment: Assignment, staged: Staged, sid: str) -> str:
    lines = [f"{assignment.title}"]
    lines += [f"Graded {name} from {path}" for name, path in staged.found.items()]
    lines += staged.notes
    lines.append(f"Submission id {sid}: hidden tests use seeds derived from it, so a regrade "
                 "gives the same result.")
    return "\n".join(lines)
