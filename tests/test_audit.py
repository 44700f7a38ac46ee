"""The audit: mutants of the solution blocks, their verdicts, and the command line."""

from __future__ import annotations

import ast
import json
import math
import subprocess
import sys

import numpy as np
import pytest

from autograder.audit import EQUIVALENT, KILLED, SURVIVED, Judge, difference
from autograder.mutants import mutants_of
from autograder.assignment import load_assignment
from helpers import full_scores, part_scores
from variants import ROOT

load_assignment("vae_gan_planar")  # its cases load before the test sandboxes fork, as in grading

SOURCE = '''import torch


def f(x, y):
    """Doc."""
    n = x.size(0)
    # BEGIN SOLUTION
    return (x - y).mean(dim=1) * 2  # a comment
    # END SOLUTION


def g(x):
    return x + 1
'''


def test_mutants_of_a_small_function_cover_each_operator_at_its_site():
    mutants = mutants_of(SOURCE, "m.py")
    edits = {(m.operator, m.before, m.after) for m in mutants}
    assert {
        ("arithmetic", "(x - y).mean(dim=1)", "(x + y).mean(dim=1)"),
        ("arithmetic", "(x - y).mean(dim=1) * 2", "(x - y).mean(dim=1) / 2"),
        ("mean/sum", "(x - y).mean(dim=1)", "(x - y).sum(dim=1)"),
        ("dim", "(x - y).mean(dim=1)", "(x - y).mean(dim=0)"),
        ("keepdim", "(x - y).mean(dim=1)", "(x - y).mean(dim=1, keepdim=True)"),
        ("drop keyword", "(x - y).mean(dim=1)", "(x - y).mean()"),
        ("drop reduction", "(x - y).mean(dim=1)", "x - y"),
        ("drop term", "(x - y).mean(dim=1)", "x.mean(dim=1)"),
        ("drop term", "(x - y).mean(dim=1)", "(-y).mean(dim=1)"),
        ("swap operands", "(x - y).mean(dim=1)", "(y - x).mean(dim=1)"),
        ("constant", "(x - y).mean(dim=1) * 2", "(x - y).mean(dim=1) * 3"),
        ("variable", "(x - y).mean(dim=1)", "(x - x).mean(dim=1)"),
        ("sign", "return (x - y).mean(dim=1) * 2", "return -((x - y).mean(dim=1) * 2)"),
        ("detach", "return (x - y).mean(dim=1) * 2",
         "return ((x - y).mean(dim=1) * 2).detach()"),
    } <= edits
    assert {(m.file, m.function, m.line) for m in mutants} == {("m.py", "f", 8)}  # g is not ours
    assert len({m.source for m in mutants}) == len(mutants)
    swapped = next(m for m in mutants if m.operator == "swap operands")
    assert swapped.description == "m.py:f line 8: `(x - y).mean(dim=1)` -> `(y - x).mean(dim=1)`"
    text = swapped.change("1").apply(SOURCE)  # the rest of the file, comment included, stays
    assert text == SOURCE.replace("(x - y).mean", "(y - x).mean")
    ast.parse(text)


def _mutant(description_end: str):
    text = (ROOT / "solutions" / "vae_gan_planar" / "vae.py").read_text()
    return next(m for m in mutants_of(text, "vae.py") if m.description.endswith(description_end))


@pytest.fixture(scope="module")
def judge() -> Judge:
    return Judge("vae_gan_planar")


@pytest.mark.parametrize("part, edit, status", [
    ("1.2", "`-0.5 * (math.log(2 * math.pi) +…` -> `0.5 * (math.log(2 * math.pi) +…`", KILLED),
    ("1.2", "`(z - mu) ** 2 / torch.exp(logvar)` -> `(mu - z) ** 2 / torch.exp(logvar)`",
     EQUIVALENT),  # squared
    # log_mean_exp's gradient through the maximum cancels: only rounding tells them apart
    ("1.3", "`a = y.max(dim=1, keepdim=True)[0]` -> `a = y.max(dim=1, keepdim=True)[0].detach()`",
     SURVIVED),
])
def test_verdicts_agree_with_the_sandboxed_grader(judge, grade_variants, part, edit, status):
    mutant = _mutant(edit)
    verdict = judge.verdicts(mutant, [part])[part]
    assert verdict.status == status, verdict
    if status == KILLED:
        assert verdict.case and verdict.reason
    assert (0 < verdict.difference < 1e-3) if status == SURVIVED else verdict.difference == 0
    data = grade_variants("vae_gan_planar", mutant.change(part), submission_id="audit",
                          parts={part})
    assert data["extra_data"]["parts"][part]["run"] == "ok"
    lost = part_scores(data)[part] < full_scores("vae_gan_planar")[part]
    assert lost == (status == KILLED)


def test_outputs_graded_by_shape_only_do_not_make_a_survivor():
    # the contract grades IWAE's kl and rec by shape: a mutant of rec alone is equivalent
    file = "submission/models/vae.py"
    text = (ROOT / "solutions" / "vae_gmvae_iwae" / file).read_text()
    mutant = next(m for m in mutants_of(text, file) if m.function == "VAE.negative_iwae_bound"
                  and m.description.endswith("`-log_px_z.mean()` -> `-log_px_z.sum()`"))
    assert Judge("vae_gmvae_iwae").verdicts(mutant, ["3b"])["3b"].status == EQUIVALENT


def test_the_parts_of_a_function_are_those_whose_cases_call_it(judge):
    parts = judge.parts_running({("vae.py", "log_mean_exp"), ("gan.py", "jsd")},
                                ["1.3", "2.1", "2.3"])
    # make_losses (2.3) is tested with stand-ins for jsd, never with jsd itself
    assert parts == {("vae.py", "log_mean_exp"): ["1.3"], ("gan.py", "jsd"): ["2.1"]}


def test_difference_of_records():
    a = {"status": "ok", "outputs": {"x": {"array": np.array([1.0, np.nan]), "shape": [2]}}}
    b = {"status": "ok", "outputs": {"x": {"array": np.array([1.5, np.nan]), "shape": [2]}}}
    assert difference(a, a) == 0.0
    assert difference(a, b) == 0.5
    assert math.isinf(difference(a, {**a, "status": "error"}))
    assert math.isinf(difference(a, {"status": "ok", "outputs": {
        "x": {"array": np.array([1.0, 2.0]), "shape": [2]}}}))  # NaN where a number was


def test_cli_audits_one_part_with_a_limit_in_worker_processes(tmp_path):
    out = tmp_path / "audit.json"
    done = subprocess.run([sys.executable, "-m", "autograder", "audit", "flows_gans",
                           "--part", "1b", "--limit", "4", "--jobs", "2", "--out", str(out)],
                          cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    data = json.loads(out.read_text())
    assert list(data["parts"]) == ["1b"] and data["jobs"] == 2
    part = data["parts"]["1b"]
    assert part["mutants"] == 4 == len(part["verdicts"])
    assert part["killed"] + part["survived"] + part["likely equivalent"] == 4
    assert all(v["mutant"].startswith("flow_network.py:MADE.inverse line ")
               for v in part["verdicts"])
    assert "| 1b | MADE.inverse" in done.stdout
    unknown = subprocess.run([sys.executable, "-m", "autograder", "audit", "flows_gans",
                              "--part", "9z"], cwd=ROOT, capture_output=True, text=True,
                             timeout=300)
    assert unknown.returncode == 2 and "no part 9z" in unknown.stderr
