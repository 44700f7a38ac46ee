"""The sandboxed side: import the student's files and run one part's cases.

Runs in a child process forked from the sandbox's server, after confinement. It writes
one record per case into the job's folder as soon as the case ends, so that a crash, an
exit or a timeout later in the part costs only the cases not yet run.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path
from typing import Any

import torch

from autograder.assignment import load_assignment
from autograder.case import Case
from autograder.modules import import_folder
from autograder.runner import run_case
from autograder.values import save_record


def record_path(out_dir: str, case: Case) -> str:
    """Where a case's record goes: named after its id, whatever its position."""
    return os.path.join(out_dir, "case-" + hashlib.sha256(case.id.encode()).hexdigest()[:16])


def run_part(job: dict[str, Any]) -> None:
    """Job keys: assignment, part, submission_dir, inputs (path), out_dir, seeds {case id: seed}."""
    torch.set_num_threads(1)
    assignment = load_assignment(job["assignment"])
    part = assignment.parts[job["part"]]
    folder = Path(job["submission_dir"])
    stems = [Path(name).stem for name in (*assignment.provided, part.file)]
    modules, errors = import_folder(folder, stems)
    inputs = torch.load(job["inputs"], weights_only=True)
    student_files = tuple(f"/{name}" for name in assignment.files)
    for case in assignment.cases_of(part.id):
        if case.id not in job["seeds"]:  # a job may run some of the cases (the self-check)
            continue
        path = record_path(job["out_dir"], case)
        if Path(part.file).stem in errors:
            save_record(path, {"status": "error", "error": {
                "type": "ImportError", "message": errors[Path(part.file).stem]}}, {})
            continue
        record, arrays = run_case(case, modules, inputs[case.id], job["seeds"][case.id],
                                  student_files)
        save_record(path, record, arrays)
