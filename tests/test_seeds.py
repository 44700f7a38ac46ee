"""Seeds and inputs are keyed by each case's id: inserting a case changes no other case."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from variants import ROOT

# Prints, for every case of the assignment, its seeds (as the visible or hidden test it is,
# for one submission id), the digest of the inputs drawn from them and its record's name.
SEEDS_AND_INPUTS = """
import hashlib, json, sys
import torch
from autograder.assignment import load_assignment
from autograder.grade import case_seed, reference
from autograder.worker import record_path

def digest(value, h):
    if isinstance(value, torch.Tensor):
        h.update(f"{value.dtype}{tuple(value.shape)}".encode() + value.detach().numpy().tobytes())
    elif isinstance(value, dict):
        for key in sorted(value, key=repr):
            h.update(repr(key).encode())
            digest(value[key], h)
    elif isinstance(value, (list, tuple)):
        for item in value:
            digest(item, h)
    else:
        h.update(repr(value).encode())
    return h

assignment = load_assignment(sys.argv[1])
ref = reference(assignment)
found = {}
for case in assignment.cases:
    seed = case_seed(assignment.name, case, "student-1")
    inputs = case.probe.inputs(ref, torch.Generator().manual_seed(seed), **case.params)
    found[case.id] = [seed, digest(inputs, hashlib.sha256()).hexdigest(),
                      record_path("", case)]
print(json.dumps(found))
"""

INSERTED = """
import dataclasses as _dataclasses
_hidden = next(c for c in CASES if not c.visible)
CASES.insert(0, _dataclasses.replace(CASES[0], label="a visible case inserted first"))
CASES.insert(1, _dataclasses.replace(_hidden, label="a hidden case inserted second"))
"""


def _seeds_and_inputs(assignment: str, solutions: Path | None = None) -> dict[str, list]:
    env = {**os.environ, **({"AUTOGRADER_SOLUTIONS": str(solutions)} if solutions else {})}
    done = subprocess.run([sys.executable, "-c", SEEDS_AND_INPUTS, assignment], cwd=ROOT,
                          env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_inserting_cases_first_changes_no_other_case(tmp_path):
    solutions = tmp_path / "solutions"
    shutil.copytree(ROOT / "solutions", solutions,
                    ignore=shutil.ignore_patterns("__pycache__"))
    with (solutions / "flows_gans" / "cases.py").open("a") as f:
        f.write(INSERTED)

    before = _seeds_and_inputs("flows_gans")
    after = _seeds_and_inputs("flows_gans", solutions)
    assert [i.split(": ", 1)[1] for i in list(after)[:2]] == [
        "a visible case inserted first", "a hidden case inserted second"]
    assert list(after)[2:] == list(before)
    assert {i: after[i] for i in before} == before
    assert len({seed for seed, _, _ in after.values()}) == len(after)
