"""Mutation testing of an assignment's own tests: ``python -m autograder audit ASSIGNMENT``.

Every solution block of the reference is mutated one syntax-tree site at a time
(:mod:`autograder.mutants`), and each mutant is graded on the parts whose cases run the
function it changes (found by tracing the reference on each part's cases). Per part, a mutant
is *killed* when some case fails; *likely equivalent* when its records (outputs, gradients,
errors, inputs changed in place) equal the reference's, bit for bit, on every case (outputs
no case grades by value left out: shape-only ones that no check reads, and noted ones); else
it *survived*: it computes something else, and every test still passes. A survivor that is a
real mistake calls for a new case.

A mutant is graded in-process, on the trusted side, without the sandbox. It is our own code,
not a student's, so nothing needs confining; and a submission's grade is, by construction,
``judge.record_problems`` between ``runner.run_case`` on the submitted modules and the
reference's record on the same inputs and seed, which is what is computed here on
``grade.changed_reference`` (as the feedback does for catalogued mistakes). Hidden cases count
too, seeded with the fixed submission id :data:`SUBMISSION_ID`. This skips staging, a sandbox
child per part and the records' trip through files: milliseconds per mutant, not a second.
Mutants are graded in worker processes, one per core, each case under the part's timeout, so
a mutant that loops counts as killed, as it would when graded. The workers are forks of the
audit, which holds no student code: they start in milliseconds with the reference and its
records already computed (fresh interpreters, as the batch's, would pay an ``import torch``
each, as much as grading a few hundred mutants). torch runs on one thread here before any
fork, so no thread pool is left broken in a child.
"""

from __future__ import annotations

import json
import math
import multiprocessing
import sys
import time
import warnings
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Iterator

import numpy as np
import torch

from autograder.assignment import load_assignment
from autograder.batch.progress import Progress
from autograder.case import Case
from autograder.grade import accepted_records, case_seed, changed_reference, reference
from autograder.judge import is_accepted, record_problems
from autograder.modules import time_limit
from autograder.mutants import Mutant, assignment_mutants
from autograder.runner import Record, run_case
from autograder.values import attach_arrays

SUBMISSION_ID = "audit"  # seeds the hidden cases
KILLED, SURVIVED, EQUIVALENT = "killed", "survived", "likely equivalent"


@dataclass(frozen=True)
class Verdict:
    status: str  # KILLED, SURVIVED or EQUIVALENT
    case: str = ""  # killed: the first case that failed
    reason: str = ""  # killed: the first line of its first problem
    error: bool = False  # killed: by an error (an exception, a timeout), not by its values
    difference: float = 0.0  # survived: see `difference`, the largest over the part's cases


def difference(a: Any, b: Any) -> float:
    """The largest absolute difference between the numbers of two records: 0.0 when they are
    equal to the bit (NaN where NaN), inf when anything else differs (structure, types,
    shapes, flags such as requires_grad, errors)."""
    if isinstance(a, np.ndarray) or isinstance(b, np.ndarray):
        if not (isinstance(a, np.ndarray) and isinstance(b, np.ndarray)
                and a.dtype == b.dtype and a.shape == b.shape):
            return math.inf
        if a.dtype.kind not in "fc":
            return 0.0 if np.array_equal(a, b) else math.inf
        nan = np.isnan(a)
        if (nan != np.isnan(b)).any():
            return math.inf
        with np.errstate(invalid="ignore"):
            gap = np.where(nan | (a == b), 0.0, np.abs(a - b))
        return float(gap.max(initial=0.0))
    if isinstance(a, dict):
        if not isinstance(b, dict) or a.keys() != b.keys():
            return math.inf
        return max((difference(a[k], b[k]) for k in a), default=0.0)
    if isinstance(a, (list, tuple)):
        if not isinstance(b, (list, tuple)) or len(a) != len(b):
            return math.inf
        return max((difference(x, y) for x, y in zip(a, b)), default=0.0)
    if type(a) is not type(b):
        return math.inf
    if isinstance(a, float):
        return 0.0 if a == b or (math.isnan(a) and math.isnan(b)) else abs(a - b)
    return 0.0 if a == b else math.inf


def _in_memory(record_and_arrays: tuple[Record, dict]) -> Record:
    record, arrays = record_and_arrays
    return attach_arrays(record, arrays)


class Judge:
    """Grades mutants of one assignment; the reference's inputs, seed and record for each
    case are computed once (the worker processes inherit them)."""

    def __init__(self, name: str) -> None:
        torch.set_num_threads(1)  # tiny tensors; one process per core
        self.assignment = load_assignment(name)
        self.reference = reference(self.assignment)
        self.known: dict[str, tuple[dict, int, Record]] = {}
        self.accepted: dict[str, list[Record]] = {}

    def _case(self, case: Case) -> tuple[dict, int, Record]:
        if case.id not in self.known:
            seed = case_seed(self.assignment.name, case, SUBMISSION_ID)
            inputs = case.probe.inputs(self.reference, torch.Generator().manual_seed(seed),
                                       **case.params)
            expected = _in_memory(run_case(case, self.reference, inputs, seed))
            self.known[case.id] = (inputs, seed, expected)
        return self.known[case.id]

    def _accepted(self, case: Case) -> list[Record]:
        """The records of the alternatives ``case`` accepts, computed once."""
        if case.id not in self.accepted:
            inputs, seed, _ = self._case(case)
            self.accepted[case.id] = list(accepted_records(self.assignment, case, inputs, seed))
        return self.accepted[case.id]

    def parts_running(self, functions: set[tuple[str, str]],
                      parts: list[str]) -> dict[tuple[str, str], list[str]]:
        """For each (file, qualified name) of the reference, those of ``parts`` whose cases
        call it (the reference traced on every case)."""
        codes = {_code(self.reference, file, name): (file, name) for file, name in functions}
        found: dict[tuple[str, str], list[str]] = {f: [] for f in functions}
        for part in parts:
            called: set[tuple[str, str]] = set()

            def profile(frame: Any, event: str, arg: object) -> None:
                if event == "call" and frame.f_code in codes:
                    called.add(codes[frame.f_code])

            for case in self.assignment.cases_of(part):
                inputs, seed, _ = self._case(case)
                sys.setprofile(profile)
                try:
                    run_case(case, self.reference, inputs, seed)
                finally:
                    sys.setprofile(None)
            for function in called:
                found[function].append(part)
        return found

    def verdicts(self, mutant: Mutant, parts: list[str]) -> dict[str, Verdict]:
        """How each of ``parts`` judges ``mutant``."""
        try:
            modules = changed_reference(self.assignment, mutant.change(parts[0]))
        except Exception as exc:  # noqa: BLE001 - a mutant that does not even load
            return {p: Verdict(KILLED, "", f"{type(exc).__name__}: {exc}", error=True)
                    for p in parts}
        return {p: self._verdict(modules, p) for p in parts}

    def _verdict(self, modules: Any, part_id: str) -> Verdict:
        with warnings.catch_warnings():  # a mutant's overflows and NaNs: the verdict says it
            warnings.simplefilter("ignore")
            return self._judged(modules, part_id)

    def _judged(self, modules: Any, part_id: str) -> Verdict:
        part = self.assignment.parts[part_id]
        largest = 0.0
        for case in self.assignment.cases_of(part_id):
            inputs, seed, expected = self._case(case)
            try:
                with time_limit(part.timeout, TimeoutError(
                        f"the mutant ran past the part's timeout ({part.timeout:g} s)")):
                    actual = _in_memory(run_case(case, modules, inputs, seed))
                    problems = record_problems(case, expected, actual, reveal=case.visible)
                    if problems and is_accepted(case, actual, self._accepted(case)):
                        problems = []
            except Exception as exc:  # noqa: BLE001 - the timeout, outside the case's own code
                actual, problems = {"status": "error"}, [f"{type(exc).__name__}: {exc}"]
            if problems:
                return Verdict(KILLED, case.label, problems[0].splitlines()[0],
                               error=actual.get("status") != "ok")
            largest = max(largest, difference(_value_graded(case, expected),
                                           _value_graded(case, actual)))
        return Verdict(SURVIVED, difference=largest) if largest else Verdict(EQUIVALENT)


def _value_graded(case: Case, record: Record) -> Record:
    """``record`` without the outputs the case never compares by value: the contract leaves
    them free (IWAE's kl and rec), so a mutant that changes only them is equivalent."""
    probe = case.probe
    free = probe.noted | (probe.judged_by_check if probe.check is None else frozenset())
    if not free or not isinstance(record.get("outputs"), dict):
        return record
    return {**record, "outputs": {k: v for k, v in record["outputs"].items() if k not in free}}


def _code(modules: Any, file: str, qualname: str) -> Any:
    obj = getattr(modules, Path(file).stem)
    for name in qualname.split("."):
        obj = getattr(obj, name)
    return obj.__code__


_worker: Judge | None = None


def _start_worker(judge: Judge) -> None:
    global _worker
    _worker = judge


def _grade_in_worker(mutant: Mutant, parts: list[str]) -> dict[str, Verdict]:
    assert _worker is not None
    return _worker.verdicts(mutant, parts)


@dataclass
class PartAudit:
    part: str
    title: str
    verdicts: list[tuple[Mutant, Verdict]] = field(default_factory=list)

    def count(self, status: str) -> int:
        return sum(v.status == status for _, v in self.verdicts)

    @property
    def by_error(self) -> int:
        return sum(v.error for _, v in self.verdicts)

    @property
    def killed_share(self) -> float | None:
        """Killed among the mutants that are not likely equivalent (None: there are none)."""
        judged = len(self.verdicts) - self.count(EQUIVALENT)
        return self.count(KILLED) / judged if judged else None


def _differs(verdict: Verdict) -> str:
    if verdict.status != SURVIVED:
        return ""
    if math.isinf(verdict.difference):
        return "; differs in more than values: a type, a flag or a shape"
    return f"; values differ by at most {verdict.difference:.2g}"


@dataclass
class Audit:
    assignment: str
    parts: list[PartAudit]
    untested: list[Mutant]  # mutants of functions that no case calls
    seconds: float
    jobs: int

    def as_json(self) -> dict[str, Any]:
        return {"assignment": self.assignment, "seconds": round(self.seconds, 1),
                "jobs": self.jobs, "untested": [m.description for m in self.untested],
                "parts": {p.part: {
                    "title": p.title, "mutants": len(p.verdicts), "killed": p.count(KILLED),
                    "killed by an error": p.by_error,
                    "survived": p.count(SURVIVED), "likely equivalent": p.count(EQUIVALENT),
                    "killed share": p.killed_share,
                    "verdicts": [{"mutant": m.description, "operator": m.operator, **asdict(v),
                                  "difference": None if math.isinf(v.difference)
                                  else v.difference} for m, v in p.verdicts]}
                    for p in self.parts}}

    def table(self) -> str:
        rows = ["| part | title | mutants | killed (by an error) | survived | likely equivalent "
                "| killed of non-equivalent |", "|---|---|---:|---:|---:|---:|---:|"]
        for p in self.parts:
            share = "n/a" if p.killed_share is None else f"{100 * p.killed_share:.1f}%"
            rows.append(f"| {p.part} | {p.title} | {len(p.verdicts)} | {p.count(KILLED)} "
                        f"({p.by_error}) | {p.count(SURVIVED)} | {p.count(EQUIVALENT)} "
                        f"| {share} |")
        return "\n".join(rows)

    def markdown(self) -> str:
        total = len({m for p in self.parts for m, _ in p.verdicts})
        lines = [f"## {self.assignment}: {total} mutants, {self.seconds:.0f} s "
                 f"({self.jobs} process{'es' if self.jobs > 1 else ''})", "", self.table()]
        for title, status in (("Survived", SURVIVED), ("Likely equivalent", EQUIVALENT)):
            listed = [(p.part, m, v) for p in self.parts for m, v in p.verdicts
                      if v.status == status]
            if listed:
                lines += ["", f"{title}:", ""]
                lines += [f"- {part} {m.description} ({m.operator}{_differs(v)})"
                          for part, m, v in listed]
        if self.untested:
            lines += ["", "Not run by any case:", ""]
            lines += [f"- {m.description} ({m.operator})" for m in self.untested]
        return "\n".join(lines) + "\n"


def _selected(mutants: list[Mutant], parts_of: dict[tuple[str, str], list[str]],
              limit: int | None) -> list[tuple[Mutant, list[str]]]:
    """The mutants to grade, each with its parts, at most ``limit`` per part."""
    taken: dict[str, int] = {}
    chosen = []
    for m in mutants:
        parts = [p for p in parts_of[(m.file, m.function)]
                 if limit is None or taken.get(p, 0) < limit]
        if parts:
            for p in parts:
                taken[p] = taken.get(p, 0) + 1
            chosen.append((m, parts))
    return chosen


def _graded(judge: Judge, chosen: list[tuple[Mutant, list[str]]],
            jobs: int) -> Iterator[dict[str, Verdict]]:
    """The verdicts on each chosen mutant, in order: here, or in ``jobs`` worker processes."""
    if jobs <= 1 or len(chosen) <= 1:
        for mutant, parts in chosen:
            yield judge.verdicts(mutant, parts)
        return
    with ProcessPoolExecutor(jobs, mp_context=multiprocessing.get_context("fork"),
                             initializer=_start_worker, initargs=(judge,)) as pool:
        yield from pool.map(_grade_in_worker, *zip(*chosen), chunksize=4)


def audit(name: str, *, jobs: int = 1, parts: set[str] | None = None,
          limit: int | None = None, progress: bool = True) -> Audit:
    """Generate the mutants of ``name``'s reference and grade them in ``jobs`` processes
    (1: in this one); ``parts``: only those; ``limit``: at most that many mutants per part."""
    start = time.monotonic()
    assignment = load_assignment(name)
    unknown = sorted((parts or set()) - set(assignment.parts))
    if unknown:
        raise ValueError(f"{name} has no part {', '.join(unknown)}; its parts: "
                         f"{', '.join(assignment.parts)}")
    mutants = assignment_mutants(assignment.solution_dir, list(assignment.files))
    judge = Judge(name)
    audited = [p for p in assignment.parts.values() if parts is None or p.id in parts]
    parts_of = judge.parts_running({(m.file, m.function) for m in mutants},
                                   [p.id for p in audited])
    chosen = _selected(mutants, parts_of, limit)
    bar = Progress(len(chosen)) if progress and chosen else None
    audits = {p.id: PartAudit(p.id, p.title) for p in audited}
    for (mutant, graded), verdicts in zip(chosen, _graded(judge, chosen, jobs)):
        for p in graded:
            audits[p].verdicts.append((mutant, verdicts[p]))
        if bar:
            bar.advance()
    untested = [m for m in mutants if not parts_of[(m.file, m.function)]] if parts is None else []
    return Audit(name, list(audits.values()), untested, time.monotonic() - start, max(jobs, 1))


def write(result: Audit, path: Path) -> None:
    """``path``: ``.json`` for data, anything else for the markdown report."""
    path.parent.mkdir(parents=True, exist_ok=True)
    text = (json.dumps(result.as_json(), indent=1) + "\n" if path.suffix == ".json"
            else result.markdown())
    path.write_text(text)
