"""Extra tests in the platform's idiom (unittest + gradescope-utils), graded in the sandbox.

flows_gans' part 1d is graded by ``solutions/flows_gans/tests/test_maf_training.py``. Its
tests run in the sandbox like any part, under the part's timeout; the grader takes from what
they wrote only a score, clamped to each test's declared weight, and the feedback text.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import jsonschema
import pytest

from autograder import extra_tests
from autograder.assignment import EXTRA_TESTS_DIR, PRIVATE, load_assignment
from autograder.delivery.package import autograder_files
from helpers import MODES, full_scores, part_scores
from variants import ROOT, change, materialize

NAME, PART = "flows_gans", "1d"
FN = "flow_network.py"
DECLARED = {  # what the test file declares, as results.json must show it
    "1d.01": ("1d MAF samples and trains: MAF.sample gives n finite 2-D points "
              "(MADE.forward in every flow)", ["1d", "sampling"]),
    "1d.02": ("1d MAF samples and trains: 50 gradient steps on the two moons lower the "
              "validation loss", ["1d", "training"]),
}


def _extra(data: dict) -> list[dict]:
    return [t for t in data["tests"] if t["extra_data"]["part"] == PART]


def _with(folder: Path, code: str) -> Path:
    """``folder``'s flow_network.py with ``code`` run when it is imported."""
    path = folder / FN
    path.write_text(path.read_text() + "\n" + textwrap.dedent(code))
    return folder


def test_the_part_is_declared_by_its_tests():
    a = load_assignment(NAME)
    assert a.parts[PART].tests == "test_maf_training.py" and not a.cases_of(PART)
    assert sum(t.weight for t in a.tests_of(PART)) == a.parts[PART].points == 2
    assert a.total_points == 29  # 27 in cases, and the two extra points
    assert EXTRA_TESTS_DIR in PRIVATE  # never shipped to students
    files = autograder_files(a)  # the grader's zip has the tests and the loaders they use
    assert f"solutions/{NAME}/tests/test_maf_training.py" in files
    assert "datasets/moons.py" in files and "datasets/digits28.npz" not in files


@pytest.mark.parametrize("mode", MODES)
def test_the_reference_passes_and_the_entries_are_as_declared(grade, mode):
    data = grade(NAME, ROOT / "solutions" / NAME, parts={PART}, mode=mode)
    assert part_scores(data) == {PART: 2.0}, [t["output"] for t in data["tests"]]
    assert {t["number"]: (t["name"], t["tags"]) for t in _extra(data)} == DECLARED
    for test in _extra(data):
        assert (test["score"], test["max_score"], test["status"]) == (1.0, 1.0, "passed")
        assert test["visibility"] == "visible" and test["output"] == "Passed."
        assert test["extra_data"]["run"] == "ok"
    assert data["extra_data"]["parts"][PART]["run"] == "ok"


def test_the_stubs_score_zero_and_are_told_so(grade):
    data = grade(NAME, ROOT / "assignments" / NAME, parts={PART})
    assert data["score"] == 0 and len(_extra(data)) == 2
    assert all(t["output"].startswith("Not implemented yet") for t in _extra(data))


def test_a_failed_assertion_gives_the_tests_message(grade_variants):
    data = grade_variants(NAME, change(PART, FN, "MAF.log_probs", """
        def log_probs(self, x):
            return self.base_dist.log_prob(x).sum(dim=1).mean() + 0 * sum(
                p.sum() for p in self.parameters())
    """), parts={PART})
    training = next(t for t in _extra(data) if t["number"] == "1d.02")
    assert training["score"] == 0 and training["extra_data"]["status"] == "failed"
    assert training["output"].startswith("Test Failed: 50 gradient steps (lr 0.02, batches")
    assert "check that MAF.log_probs adds every layer's log-determinant" in training["output"]


def test_an_error_names_the_students_line(grade, tmp_path):
    folder = materialize([], NAME, tmp_path / "s")
    sampling = "            x_sample = torch.randn(n, self.input_size)"
    (folder / FN).write_text((folder / FN).read_text().replace(sampling, sampling + ".foo()"))
    data = grade(NAME, folder, parts={PART})
    sampling = next(t for t in _extra(data) if t["number"] == "1d.01")
    assert "Your code raised AttributeError" in sampling["output"]
    assert "at flow_network.py, line" in sampling["output"]


FORGED = """
    import os as _os
    if _os.environ["HOME"].endswith("/parts/1d"):  # the job of part 1d: forge its records
        from autograder.assignment import load_assignment as _load
        from autograder.values import save_record as _save
        from autograder.worker import record_path as _path
        _forged = {{"result": {{"tests": [{{"score": 1e9, "output": "forged", "name": "forged",
                   "number": "0", "visibility": "hidden", "tags": ["5e"]}}], "score": 1e9}},
                   "error": None, "extra": 1}}
        for _test in _load("flows_gans").tests_of("1d"):
            _save(_path(_os.environ["HOME"], _test), {record}, {{}})
        _os._exit(0)
"""


def test_forged_records_never_beat_the_declarations(grade, tmp_path):
    """Student code running next to its tests can make them pass: never count for more
    than their weights, rename them, hide them or reach another part."""
    folder = _with(materialize([], NAME, tmp_path / "s"), FORGED.format(record="_forged"))
    data = grade(NAME, folder)
    assert part_scores(data) == full_scores(NAME)
    assert data["score"] == pytest.approx(load_assignment(NAME).total_points)
    assert {t["number"]: (t["name"], t["tags"]) for t in _extra(data)} == DECLARED
    assert all(t["max_score"] == t["score"] == 1.0 and t["visibility"] == "visible"
               and t["output"] == "forged" for t in _extra(data))


@pytest.mark.parametrize("record", [
    '{"result": {"tests": [{"score": 1}, {"score": 1}]}, "error": None}',  # two results
    '{"result": {"tests": [{"score": float("nan")}]}, "error": None}',
    '{"result": {"tests": [{"score": "1"}]}, "error": None}',
    '{"result": {"tests": [{"score": True}]}, "error": None}',
    '{"result": [], "error": None}',
    '{"error": None}',
    '[1]',
])
def test_invalid_records_score_zero(grade, tmp_path, record):
    folder = _with(materialize([], NAME, tmp_path / "s"), FORGED.format(record=record))
    data = grade(NAME, folder, parts={PART})
    assert data["score"] == 0
    assert {t["extra_data"]["run"] for t in _extra(data)} == {"crashed"}
    assert all("exited with status 0 before this test finished" in t["output"]
               for t in _extra(data))


def test_a_negative_score_counts_zero_and_text_is_bounded():
    test = load_assignment(NAME).tests_of(PART)[0]
    record = {"result": {"tests": [{"score": -5, "output": "x" * 10**6}]}, "error": None}
    score, output = extra_tests.judge(record, test)
    assert score == 0 and len(output) == extra_tests.MAX_OUTPUT_CHARS


def test_a_hanging_test_times_out_and_costs_its_part_only(grade_variants):
    data = grade_variants(NAME, change(PART, FN, "MADE.forward", """
        def forward(self, z):
            import time
            time.sleep(10**6)
    """), parts={PART, "1b"}, timeout_scale=0.05)
    scores = part_scores(data)
    assert scores[PART] == 0 and scores["1b"] == full_scores(NAME)["1b"]
    assert data["extra_data"]["parts"][PART]["run"] == "timed out"
    assert all("Timed out: part 1d did not finish within 3 s" in t["output"]
               for t in _extra(data))


def _tests_file(tmp_path: Path, body: str, points: float = 1) -> tuple[Path, list[str]]:
    """``problems`` of a test file that starts with our imports, then ``body``."""
    path = tmp_path / "test_x.py"
    path.write_text(HEADER + textwrap.dedent(body))
    tests = extra_tests.collect(path, f"_tests_probe_{abs(hash(body))}", "9z", ["flow_network"])
    return path, extra_tests.problems(tests, points, path.name)


HEADER = ("import unittest\n"
          "from gradescope_utils.autograder_utils.decorators import weight, visibility\n")


def test_declarations_are_checked(tmp_path):
    _, found = _tests_file(tmp_path, """
        class T(unittest.TestCase):
            def test_a(self):
                pass

            @weight(1)
            @visibility("secret")
            def test_b(self):
                pass
    """)
    assert found == ["test_x.py: T.test_a needs @weight(points), a number above 0 (it has None)",
                     "test_x.py: T.test_b has @visibility('secret'); use one of "
                     f"{extra_tests.VISIBILITIES}"]
    _, found = _tests_file(tmp_path, """
        class T(unittest.TestCase):
            @weight(2)
            def test_a(self):
                pass
    """, points=3)
    assert found == ["test_x.py: the tests' weights add up to 2, the part's points are 3"]


def test_a_test_file_that_imports_student_code_when_it_loads_is_refused(tmp_path):
    with pytest.raises(extra_tests.ExtraTestError, match="imports flow_network when it loads"):
        _tests_file(tmp_path, "from flow_network import MAF\n")
    assert sys.modules.get("flow_network", "absent") is not None  # not left blocked


def test_a_broken_test_file_stops_the_assignment_from_loading(tmp_path):
    copy = tmp_path / "solutions"
    shutil.copytree(ROOT / "solutions", copy)
    (copy / NAME / EXTRA_TESTS_DIR / "test_maf_training.py").write_text("import flow_network\n")
    done = subprocess.run(
        [sys.executable, "-c", "from autograder.assignment import load_assignment\n"
         f"load_assignment({NAME!r})"], cwd=ROOT, capture_output=True, text=True,
        env={"AUTOGRADER_SOLUTIONS": str(copy), "PATH": "/usr/bin:/bin"}, timeout=120)
    assert done.returncode != 0
    assert "AssignmentError: flows_gans: test_maf_training.py imports flow_network when it " \
           "loads" in done.stderr, done.stderr


def test_the_records_schema_is_valid():
    jsonschema.Draft202012Validator.check_schema(extra_tests.RECORD_SCHEMA)


def test_run_reports_partial_credit_and_a_failed_set_up(tmp_path):
    """In-process, on our own test code: what the sandboxed child records, and its verdict."""
    path = tmp_path / "test_y.py"
    path.write_text(HEADER + textwrap.dedent("""
        from gradescope_utils.autograder_utils.decorators import partial_credit

        class Partial(unittest.TestCase):
            @partial_credit(2)
            def test_half(self, set_score=None):
                set_score(1)

        class BrokenSetUp(unittest.TestCase):
            @classmethod
            def setUpClass(cls):
                raise NotImplementedError

            @weight(1)
            def test_never_runs(self):
                pass
    """))
    tests = extra_tests.collect(path, "_tests_probe_run", "9z", [])
    assert not extra_tests.problems(tests, 3, path.name)
    verdicts = {t.method: extra_tests.judge(extra_tests.run(t, ()), t) for t in tests}
    assert verdicts == {"test_half": (1.0, "1 of 2 points."),
                        "test_never_runs": (0.0, "Not implemented yet: the function still "
                                                 "raises NotImplementedError.")}


def test_an_interrupt_that_unittest_lets_by_is_recorded(tmp_path):
    path = tmp_path / "test_z.py"
    path.write_text(HEADER + textwrap.dedent("""
        class Interrupted(unittest.TestCase):
            @weight(1)
            def test_interrupted(self):
                raise KeyboardInterrupt
    """))
    [test] = extra_tests.collect(path, "_tests_probe_interrupt", "9z", [])
    assert extra_tests.judge(extra_tests.run(test, ()), test) == (
        0.0, "Your code raised KeyboardInterrupt.")
