"""The sandboxed side: import the student's files and run one part's cases.

Runs in a child process forked from the sandbox's server, after confinement. It writes
one record per case into the job's folder as soon as the case ends, so that a crash, an
exit or a timeout later in the part costs only the cases not yet run.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import torch

from autograder.assignment import load_assignment
from autograder.modules import import_folder
from autograder.runner import run_case
from autograder.values import save_record


def record_path(out_dir: str, case_index: int) -> str:
    return os.path.join(out_dir, f"case-{case_index}")


def run_part(job: dict[str, Any]) -> None:
    """Job keys: assignment, part, submission_dir, inputs (path), out_dir, seeds {index: seed}."""
    torch.set_num_threads(1)
    assignment = load_assignment(job["assignment"])
    part = assignment.parts[job["part"]]
    folder = Path(job["submission_dir"])
    stems = [Path(name).stem for name in (*assignment.provided, part.file)]
    modules, errors = import_folder(folder, stems)
    inputs = torch.load(job["inputs"], weights_only=True)
    student_files = tuple(f"/{name}" for name in assignment.files)
    for index, case in assignment.cases_of(part.id):
        if str(index) not in job["seeds"]:  # a job may run some of the cases (the self-check)
            continue
        path = record_path(job["out_dir"], index)
        if Path(part.file).stem in errors:
            save_record(path, {"status": "error", "error": {
                "type": "ImportError", "message": errors[Path(part.file).stem]}}, {})
            continue
        record, arrays = run_case(case, modules, inputs[index], job["seeds"][str(index)],
                                  student_files)
        save_record(path, record, arrays)
