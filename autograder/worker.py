"""The sandboxed side: import the student's files and run one part's job.

Runs in a child process forked from the sandbox's server, after confinement. A job's
``kind`` is ``cases`` (the part's test cases: run each on its seeded inputs) or ``tests``
(the part's extra unittest tests, see ``autograder/extra_tests.py``). It writes one record
per case or test into the job's folder as soon as it ends, so that a crash, an exit or a
timeout later in the part costs only those not yet run.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path
from typing import Any

import torch
import torch.utils.serialization  # torch.load imports it: here, once for every child

from autograder import extra_tests
from autograder.assignment import load_assignment
from autograder.case import Case
from autograder.extra_tests import ExtraTest
from autograder.modules import (UNDERLAY, alias_package, attribute_name, forget_package,
                                import_folder, layer)
from autograder.runner import reset_torch_state, run_case
from autograder.values import save_record


def record_path(out_dir: str, item: Case | ExtraTest) -> str:
    """Where a case's (or an extra test's) record goes: named after its id, whatever its
    position."""
    return os.path.join(out_dir, "case-" + hashlib.sha256(item.id.encode()).hexdigest()[:16])


def run_part(job: dict[str, Any]) -> None:
    """Job keys: kind (cases or tests), assignment, part, submission_dir, out_dir, seeds
    {case or test id: seed}, and for cases inputs (path)."""
    torch.set_num_threads(1)
    assignment = load_assignment(job["assignment"])
    part = assignment.parts[job["part"]]
    folder = Path(job["submission_dir"])
    # what this process may have inherited from the grader's (the reference, real libraries)
    forget_package([*assignment.stand_ins, *([assignment.package] if assignment.package else [])])
    others = [f for f in assignment.files if f != part.file]
    if assignment.package:
        alias_package(list(assignment.package_aliases), assignment.package)
        layer(folder, others)
    # The grader wrote the inputs, and they are read before any student code runs: the pickle
    # is ours, so the full unpickler (twice as fast as weights_only) is safe here.
    inputs = torch.load(job["inputs"], weights_only=False) if job["kind"] == "cases" else {}
    modules, errors = import_folder(folder, [part.file, *assignment.provided])
    import_error = errors.get(attribute_name(part.file))
    # where a traceback is the student's: their files, not our copies that replace them
    student_files = ((f"/{part.file}", *(f"/{UNDERLAY}/{name}" for name in others))
                     if assignment.package else tuple(f"/{name}" for name in assignment.files))
    if job["kind"] == "tests":
        _run_tests(assignment.tests_of(part.id), job, import_error, student_files)
    else:
        _run_cases(assignment.cases_of(part.id), job, inputs, modules, import_error,
                   student_files)


def _run_tests(tests: list[ExtraTest], job: dict[str, Any], import_error: str | None,
               student_files: tuple[str, ...]) -> None:
    for test in tests:
        if test.id not in job["seeds"]:
            continue
        path = record_path(job["out_dir"], test)
        if import_error:
            save_record(path, extra_tests.import_error_record(import_error), {})
            continue
        reset_torch_state(job["seeds"][test.id])
        save_record(path, extra_tests.run(test, student_files), {})


def _run_cases(cases: list[Case], job: dict[str, Any], inputs: dict[str, Any], modules: Any,
               import_error: str | None, student_files: tuple[str, ...]) -> None:
    for case in cases:
        if case.id not in job["seeds"]:  # a job may run some of the cases (the self-check)
            continue
        path = record_path(job["out_dir"], case)
        if import_error:
            save_record(path, {"status": "error", "error": {
                "type": "ImportError", "message": import_error}}, {})
            continue
        record, arrays = run_case(case, modules, inputs[case.id], job["seeds"][case.id],
                                  student_files)
        save_record(path, record, arrays)
