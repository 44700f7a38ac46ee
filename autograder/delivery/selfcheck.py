"""The student bundle's self-check: Gradescope's visible tests, judged as there, with no reference.

Visible cases have fixed seeds, so their inputs and the reference's records on them are
computed once, when the bundle is built (``write_expected``), and shipped in
``expected/<assignment>/``. ``check`` then runs the student's files on those inputs in the
grader's own worker and judges them with the grader's own code, so a visible test says
exactly what it says on Gradescope. Hidden cases need the reference and seeds drawn from
the submission: they run on Gradescope only, as do the parts graded by extra unittest tests
(their test files stay with the grader). Neither the reference nor the mistake catalogue is
shipped, so a failed test never gets Gradescope's "Likely cause" line.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import tempfile
import textwrap
import time
from collections import deque
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import torch

from autograder.assignment import ROOT, Assignment, load_assignment
from autograder.case import Case
from autograder.grade import (_collect, _judge_part, _prepare_dirs, _submit_parts,
                              accepted_references, case_seed, reference)
from autograder.runner import run_case
from autograder.sandbox import Sandbox
from autograder.submission import Staged, stage
from autograder.values import load_record, save_record
from autograder.worker import record_path

EXPECTED_DIR = ROOT / "expected"


def visible_seeds(assignment: Assignment) -> dict[str, int]:
    """Case id -> seed, for the visible cases (their seeds ignore the submission)."""
    return {case.id: case_seed(assignment.name, case, "")
            for case in assignment.cases if case.visible}


def write_expected(assignment: Assignment, folder: Path) -> None:
    """Write the visible cases' inputs (``inputs.pt``) and the reference's records on them."""
    ref = reference(assignment)
    seeds = visible_seeds(assignment)
    cases = {c.id: c for c in assignment.cases}
    inputs = {i: cases[i].probe.inputs(ref, torch.Generator().manual_seed(seed), **cases[i].params)
              for i, seed in seeds.items()}
    folder.mkdir(parents=True, exist_ok=True)
    torch.save(inputs, folder / "inputs.pt")
    for i, seed in seeds.items():
        save_record(record_path(str(folder), cases[i]), *run_case(cases[i], ref, inputs[i], seed))
        for k, modules in enumerate(accepted_references(assignment, cases[i])):
            save_record(_accepted_path(folder, cases[i], k), *run_case(cases[i], modules,
                                                                       inputs[i], seed))


def _accepted_path(folder: Path, case: Case, k: int) -> str:
    """Where the record of the k-th alternative a case accepts goes."""
    return f"{record_path(str(folder), case)}-accepts-{k}"


class LocalRunner:
    """The sandbox's ``submit``/``result``, each job in a fresh Python process.

    For systems where the fork server does not run (macOS): slower, no resource limits,
    but a crash, an exit or a hang still costs only its part.
    """

    def __init__(self) -> None:
        self._pool = ThreadPoolExecutor(os.cpu_count() or 1)
        self._pending: deque = deque()

    def submit(self, job: dict[str, Any]) -> None:
        self._pending.append(self._pool.submit(_run_job, job))

    def result(self) -> dict[str, Any]:
        return self._pending.popleft().result()

    def __enter__(self) -> "LocalRunner":
        return self

    def __exit__(self, *exc: object) -> None:
        self._pool.shutdown()


def _run_job(job: dict[str, Any]) -> dict[str, Any]:
    code = "import json, sys\nfrom autograder.worker import run_part\nrun_part(json.loads(sys.argv[1]))"
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])}
    start = time.monotonic()
    try:
        done = subprocess.run([sys.executable, "-c", code, json.dumps(job)], env=env,
                              cwd=job["submission_dir"], timeout=job["timeout"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        timed_out, exit_code = False, done.returncode
    except subprocess.TimeoutExpired:
        timed_out, exit_code = True, -signal.SIGKILL
    return {"timed_out": timed_out, "exit_code": exit_code,
            "seconds": round(time.monotonic() - start, 3)}


def check(assignment: Assignment, sources: list[Path], runner: Sandbox | LocalRunner,
          folder: Path) -> tuple[list[dict[str, Any]], Staged]:
    """The visible tests' entries of results.json for ``sources``, and what was staged;
    ``folder`` holds what ``write_expected`` wrote."""
    seeds = visible_seeds(assignment)
    inputs = torch.load(folder / "inputs.pt", weights_only=True)
    expected = {c.id: load_record(record_path(str(folder), c))
                for c in assignment.cases if c.id in seeds}
    accepted = {c.id: [load_record(_accepted_path(folder, c, k)) for k in range(len(c.accepts))]
                for c in assignment.cases if c.id in seeds}
    with tempfile.TemporaryDirectory(prefix="selfcheck-") as tmp:
        work = Path(tmp)
        staged = stage(assignment, sources, work / "submission")
        _prepare_dirs(work)  # as root, the sandbox runs student code as nobody
        parts = [p for p in assignment.parts.values() if not p.tests]
        jobs = _submit_parts(assignment, parts, runner, work, inputs, seeds, 1.0)
        outcomes = _collect(runner, jobs)
        tests = [test for part in parts
                 for test in _judge_part(assignment, part, jobs.get(part.id),
                                         outcomes.get(part.id), expected, inputs, seeds,
                                         accepted=accepted)]
    return tests, staged


def report(assignment: Assignment, tests: list[dict[str, Any]], staged: Staged) -> str:
    """What ``check.py`` prints: each visible test, and the feedback of those that failed."""
    lines = [f"{assignment.title}: Gradescope's visible tests", *staged.notes, ""]
    for t in tests:
        lines.append(f"[{t['status']}] {t['number']} {t['name']}  "
                     f"{t['score']:.2f} / {t['max_score']:.2f}")
        if t["status"] == "failed":
            lines.append(textwrap.indent(t["output"], "    "))
    total = sum(p.points for p in assignment.parts.values())
    visible = sum(t["max_score"] for t in tests)
    lines += ["", f"Visible tests: {sum(t['score'] for t in tests):.2f} / {visible:.2f} points.",
              f"The hidden tests{_and_extra_parts(assignment)} ({total - visible:.2f} more "
              "points) run on Gradescope only, after you submit."]
    return "\n".join(lines)


def _and_extra_parts(assignment: Assignment) -> str:
    extra = [p.id for p in assignment.parts.values() if p.tests]
    if not extra:
        return ""
    return f" and the tests of part{'s' if len(extra) > 1 else ''} {', '.join(extra)}"


def main(name: str, sources: list[Path]) -> int:
    """Check ``sources``; exit status 0 when every visible test passes."""
    assignment = load_assignment(name)
    with Sandbox() if sys.platform == "linux" else LocalRunner() as runner:
        tests, staged = check(assignment, sources, runner, EXPECTED_DIR / name)
    print(report(assignment, tests, staged))
    return 0 if all(t["status"] == "passed" for t in tests) else 1
