"""What is specific to ``vae_gan_planar``: original file names, extreme values, statistics of
the Monte Carlo KL, closed-form penalties, the planar log-determinant, isolation of the parts,
and a mistake catalogue that the cases can all tell apart."""

from __future__ import annotations

import shutil

import numpy as np
import pytest
import torch

from autograder.assignment import cases_module, load_assignment
from autograder.grade import _in_memory, case_seed, changed_reference, reference
from autograder.judge import record_problems
from autograder.runner import run_case
from autograder.variants import Change
from helpers import feedback, full_scores, part_scores
from variants import materialize

NAME = "vae_gan_planar"
ASSIGNMENT = load_assignment(NAME)
C = cases_module(NAME)


def _variant(name: str) -> Change:
    return next(v for v in (*ASSIGNMENT.mistakes, *ASSIGNMENT.alternatives) if v.name == name)


def _cases(part: str) -> list[tuple[int, C.Case]]:
    return list(enumerate(ASSIGNMENT.cases_of(part)))


def _record(case, inputs, seed, change: Change | None = None):
    modules = reference(ASSIGNMENT) if change is None else changed_reference(ASSIGNMENT, change)
    return _in_memory(run_case(case, modules, inputs, seed))


def _inputs(index: int, case, submission_id: str = "tests"):
    seed = case_seed(NAME, case, submission_id)
    return case.probe.inputs(reference(ASSIGNMENT), torch.Generator().manual_seed(seed),
                             **case.params), seed


# ---- file names ------------------------------------------------------------------------------

def test_original_file_names_are_graded_like_the_new_ones(grade, tmp_path):
    broken = [_variant("no max shift"), _variant("bias outside the tanh")]
    new = materialize(broken, NAME, tmp_path / "new")
    old = tmp_path / "old" / "src" / "submission"
    old.mkdir(parents=True)
    for graded, original in (("vae.py", "q1_solution.py"), ("gan.py", "gan.py"),
                             ("planar_flow.py", "solution.py")):
        shutil.copyfile(new / graded, old / original)

    data_new, data_old = grade(NAME, new), grade(NAME, tmp_path / "old")
    assert data_new["extra_data"]["submission_id"] == data_old["extra_data"]["submission_id"]
    summary = [(t["number"], t["score"], t["output"]) for t in data_new["tests"]]
    assert summary == [(t["number"], t["score"], t["output"]) for t in data_old["tests"]]
    assert part_scores(data_old)["1.3"] < full_scores(NAME)["1.3"]
    assert part_scores(data_old)["3.1"] < full_scores(NAME)["3.1"]
    assert data_old["extra_data"]["files"] == {
        "vae.py": "src/submission/q1_solution.py", "gan.py": "src/submission/gan.py",
        "planar_flow.py": "src/submission/solution.py"}
    assert "Graded src/submission/q1_solution.py as vae.py" in data_old["output"]
    assert "Graded src/submission/solution.py as planar_flow.py" in data_old["output"]
    assert "Graded vae.py from vae.py" in data_new["output"]


def test_the_new_name_wins_over_the_original_one(grade, tmp_path):
    folder = materialize([], NAME, tmp_path / "sub")
    shutil.copyfile(ROOT_STUBS / "vae.py", folder / "q1_solution.py")  # an old, unfinished copy
    data = grade(NAME, folder)
    assert data["score"] == pytest.approx(sum(full_scores(NAME).values()))
    assert data["extra_data"]["files"]["vae.py"] == "vae.py"


# ---- extreme values --------------------------------------------------------------------------

@pytest.mark.parametrize("part", ["1.1", "1.2", "1.3", "1.4"])
def test_each_numerical_part_has_visible_extreme_cases_and_batch_size_1(part):
    labels = [c.label for _, c in _cases(part) if c.visible]
    extreme = ("1e-5", "tiny variances", "1000", "far-apart")
    assert any(word in label for label in labels for word in extreme), labels
    assert any("batch 1" in label for label in labels), labels
    shapes = [c.params.get("shape") for _, c in _cases(part)]
    if part != "1.3":
        assert C.IMAGE in shapes  # (B, 1, 28, 28) inputs


def test_a_naive_log_mean_exp_fails_exactly_the_extreme_cases(grade_variants):
    data = grade_variants(NAME, _variant("no max shift"))
    tests = [t for t in data["tests"] if t["tags"] == ["1.3"]]
    for t in tests:
        extreme = "1000" in t["name"]
        assert (t["status"] == "failed") == extreme, t["name"]
        if extreme:
            assert "inf value" in t["output"] or "NaN" in t["output"], t["output"]
            assert "subtract the row maximum" in t["output"]


def test_a_naive_normal_density_fails_only_far_in_the_tails(grade_variants):
    data = grade_variants(NAME, _variant("density first, log after"))
    tests = [t for t in data["tests"] if t["tags"] == ["1.2"]]
    failed = {t["name"] for t in tests if t["status"] == "failed"}
    assert failed and all("tiny variances" in name for name in failed), failed
    assert any(t["status"] == "passed" for t in tests)


# ---- 1.5: statistics instead of random-call order --------------------------------------------

@pytest.mark.parametrize("submission", ["a", "b", "c"])
def test_mc_kl_with_other_random_draws_passes(submission):
    """Independent draws (another seed, another eps layout) pass; the z-tests keep a margin."""
    sample_major = _variant("mc kl drawing eps sample-major")
    for index, case in _cases("1.5"):
        inputs, seed = _inputs(index, case, submission)
        expected = _record(case, inputs, seed)
        for actual in (_record(case, inputs, seed + 1),
                       _record(case, inputs, seed + 2, sample_major)):
            assert record_problems(case, expected, actual, reveal=True) == []


def test_mc_kl_check_reads_statistics_not_values():
    index, case = _cases("1.5")[0]
    inputs, seed = _inputs(index, case)
    expected = _record(case, inputs, seed)
    other = _record(case, inputs, seed + 1)
    one_e = expected["outputs"][C.MC_ONE]["array"]
    assert not np.allclose(one_e, other["outputs"][C.MC_ONE]["array"])  # really other draws
    # the mean of the estimates is the analytic KL (the reference is unbiased)
    kl = _in_memory(run_case(next(c for _, c in _cases("1.4")), reference(ASSIGNMENT),
                             {k: inputs[k] for k in C.KL_ARGS}, 0))["outputs"]["kl"]["array"]
    rows = one_e.reshape(case.params["B"], C.MC_REPEATS)
    se = rows.std(1, ddof=1) / np.sqrt(C.MC_REPEATS)
    assert np.all(np.abs(rows.mean(1) - kl) < 5 * se)
    assert expected["outputs"][C.MC_DIFFER]["value"] is True


# ---- 2.2: a critic whose gradient is known ---------------------------------------------------

@pytest.mark.parametrize("part_case", [(i, c) for i, c in _cases("2.2") if c.params.get("critic") == "linear"],
                         ids=lambda ic: ic[1].label)
def test_linear_critic_penalties_have_their_closed_form_whatever_eps(part_case):
    index, case = part_case
    inputs, seed = _inputs(index, case)
    a = inputs["state"]["fc.weight"].double().norm().item()
    closed = (a - 1) ** 2 if case.label.startswith("ogp") else a ** 2
    values = {float(_record(case, inputs, s)["outputs"]["penalty"]["array"]) for s in (seed, seed + 1)}
    assert all(v == pytest.approx(closed, rel=1e-5) for v in values)
    assert len(values) == 1 or np.ptp(list(values)) < 1e-6


def test_usual_ways_of_drawing_eps_give_the_same_numbers():
    n = 7
    draws = [lambda: torch.rand(n), lambda: torch.rand(n, 1, 1, 1), lambda: torch.rand_like(torch.zeros(n)),
             lambda: torch.empty(n).uniform_(), lambda: torch.distributions.Uniform(0., 1.).sample((n,))]
    values = []
    for draw in draws:
        torch.manual_seed(3)
        values.append(draw().flatten())
    assert all(torch.equal(values[0], v) for v in values)


# ---- 2.5 and 3.x: the instruments --------------------------------------------------------------

def test_plain_sgd_steps_like_torch_sgd():
    torch.manual_seed(0)
    a, b = torch.nn.Linear(3, 2), torch.nn.Linear(3, 2)
    b.load_state_dict(a.state_dict())
    ours, theirs = C.PlainSGD(a.parameters(), lr=0.1), torch.optim.SGD(b.parameters(), lr=0.1)
    x = torch.randn(4, 3)
    for net, opt in ((a, ours), (b, theirs)):
        for _ in range(2):
            opt.zero_grad()
            net(x).pow(2).sum().backward()
            opt.step()
    assert all(torch.equal(p, q) for p, q in zip(a.parameters(), b.parameters()))
    assert ours.steps == 2


def test_planar_cases_cover_adjust_u_and_the_reference_agrees_with_autograd():
    """The grader compares get_logdet with the reference; the reference is log(eps + |det df/dx|),
    from autograd's Jacobian of the reference's forward, on every 3.4 input (adjust_u and
    vanishing determinants included)."""
    ref = reference(ASSIGNMENT)
    adjusted = 0
    for index, case in _cases("3.4"):
        for submission in ("x", "y", "z"):
            inputs, seed = _inputs(index, case, submission)
            state = inputs["state"]
            wu = float(state["w"] @ state["u"].t())
            assert (wu < -1) == bool(case.params.get("adjust")), case.label
            adjusted += wu < -1
            logdet = _record(case, inputs, seed)["outputs"]["logdet"]["array"]
            layer = ref.planar_flow.PlanarTransformation(inputs["dim"]).double()
            layer.load_state_dict({k: v.double() for k, v in state.items()})
            x = inputs["x"].double()
            layer.get_logdet(x)  # runs adjust_u when u w^T < -1
            assert float((layer.w @ layer.u.t()).detach()) >= -1
            jac = torch.autograd.functional.jacobian(lambda rows: layer(rows).sum(0), x)
            eps = 1e-8 if inputs["eps"] is None else inputs["eps"]
            det = torch.linalg.det(jac.permute(1, 0, 2)).abs().unsqueeze(1)
            if case.params.get("vanishing"):  # exactly singular on every other row
                assert torch.all(det[::2] == 0), case.label
            expected = torch.log(eps + det)
            np.testing.assert_allclose(logdet, expected.detach().numpy(), rtol=1e-4, atol=1e-5)
    assert adjusted >= 2


def test_stand_ins_equal_the_reference_at_the_test_point():
    """make_losses is run with linearized heads and penalties: at the test point they give the
    reference's values and gradients, so a correct make_losses that computes them itself
    (inline) is graded like one that calls them."""
    inline = _variant("make_losses with if/else and a detached fake in the critic loss")
    for index, case in _cases("2.3"):
        inputs, seed = _inputs(index, case)
        expected = _record(case, inputs, seed)
        assert record_problems(case, expected, _record(case, inputs, seed, inline),
                               reveal=True) == [], case.label


def test_parts_are_isolated_from_the_parts_they_build_on(grade_variants):
    broken = [_variant("jsd without log 2"), _variant("w1 with sums"),
              _variant("r1 norm over the last dimension"), _variant("ogp eps on the fake sample"),
              _variant("ema weights swapped"), _variant("u and w swapped"),
              _variant("determinant, not its log"), _variant("log-det after the layer")]
    data = grade_variants(NAME, *broken)
    scores, full = part_scores(data), full_scores(NAME)
    for part in ("2.1", "2.2", "2.4", "3.1", "3.4", "3.6"):
        assert scores[part] < full[part], part
    for part in ("2.3", "2.5", "3.8", "1.1", "1.5"):
        assert scores[part] == full[part], (part, feedback(data, part))


def test_bundled_examples_exist():
    assert 1 <= sum(m.example for m in ASSIGNMENT.mistakes) <= 2


ROOT_STUBS = ASSIGNMENT.student_dir
