"""The command line and the shapes a submission comes in: folders, zips, single files."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import jsonschema

from autograder.results import SCHEMA_PATH
from autograder.assignment import load_assignment
from autograder.sandbox import PARALLEL
from helpers import broken_reference, feedback, full_scores, part_scores
from variants import ROOT, materialize, mistake, sleeping

SCHEMA = json.loads(SCHEMA_PATH.read_text())


def _cli(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "autograder", *args], cwd=ROOT, text=True,
                          capture_output=True, env={**os.environ, **(env or {})}, timeout=300)


def _zip(folder: Path, archive: Path, prefix: str = "") -> Path:
    with zipfile.ZipFile(archive, "w") as z:
        for path in folder.rglob("*.py"):
            z.write(path, prefix + path.relative_to(folder).as_posix())
    return archive


def test_cli_grades_a_nested_zip_and_writes_valid_results(tmp_path):
    folder = materialize([], "flows_gans", tmp_path / "s")
    archive = _zip(folder, tmp_path / "submission.zip", prefix="XCS236/src/submission/")
    out = tmp_path / "results.json"
    done = _cli("grade", "--assignment", "flows_gans", str(archive), "--out", str(out))
    assert done.returncode == 0, done.stderr
    data = json.loads(out.read_text())
    jsonschema.validate(data, SCHEMA)
    total = sum(full_scores("flows_gans").values())
    assert data["score"] == total
    assert "total" in done.stdout and f"{total:.2f} / {total:g}" in done.stdout
    assert "XCS236/src/submission/gan.py" in data["output"]


def test_cli_exits_zero_for_a_zero_score(tmp_path):
    out = tmp_path / "results.json"
    done = _cli("grade", "--assignment", "flows_gans", "assignments/flows_gans", "--out", str(out))
    assert done.returncode == 0
    assert json.loads(out.read_text())["score"] == 0


def test_results_are_written_even_when_the_grader_fails(tmp_path):
    out = tmp_path / "results.json"
    done = _cli("grade", "--assignment", "flows_gans", "solutions/flows_gans", "--out", str(out),
                env={"AUTOGRADER_SOLUTIONS": str(broken_reference(tmp_path))})
    assert done.returncode == 2
    data = json.loads(out.read_text())
    jsonschema.validate(data, SCHEMA)
    assert "could not grade" in data["output"] and data["tests"] == []


RUNS = ("timed out", "out of time", "not run")  # in the order a hanging submission meets them


def test_parts_share_the_time_budget(tmp_path):
    """Every function sleeps: the first parts time out on their own (3 s each), the budget
    stops the ones running when it runs out (up to ``PARALLEL`` run at once), the rest are
    not run; results come in time."""
    out, budget = tmp_path / "results.json", 9
    start = time.monotonic()
    done = _cli("grade", "--assignment", "flows_gans", str(sleeping("flows_gans", tmp_path / "s")),
                "--time-budget", str(budget), "--timeout-scale", "0.05", "--out", str(out))
    seconds = time.monotonic() - start
    assert done.returncode == 0, done.stderr
    assert seconds < budget + 3, seconds
    data = json.loads(out.read_text())
    jsonschema.validate(data, SCHEMA)
    order = list(load_assignment("flows_gans").parts)
    runs = [data["extra_data"]["parts"][p]["run"] for p in order]
    assert runs[0] == "timed out" and runs[-1] == "not run", runs
    assert runs == sorted(runs, key=RUNS.index) and runs.count("out of time") <= PARALLEL, runs
    assert "did not finish within 3 s" in feedback(data, order[0])
    last = order[len(runs) - runs.count("not run") - 1]
    for test in data["tests"]:
        assert test["extra_data"]["run"] == runs[order.index(test["tags"][0])]
        if test["extra_data"]["run"] == "not run":
            assert (f"Not run: the submission used up the time budget ({budget} s for the whole "
                    f"submission) in part {last}.") in test["output"]


def test_the_time_budget_comes_from_the_environment_too(tmp_path):
    out = tmp_path / "results.json"
    done = _cli("grade", "--assignment", "flows_gans", "solutions/flows_gans", "--out", str(out),
                env={"AUTOGRADER_TIME_BUDGET": "0.5"})  # gone before the first part can start
    assert done.returncode == 0, done.stderr
    data = json.loads(out.read_text())
    assert data["score"] == 0 and {t["extra_data"]["run"] for t in data["tests"]} == {"not run"}
    assert "Not run: the time budget (0.5 s for the whole submission) was used up before any " \
           "part ran." in data["tests"][0]["output"]


def test_a_bad_time_budget_is_refused_clearly(tmp_path):
    for value in ("-5", "soon"):
        done = _cli("grade", "--assignment", "flows_gans", "solutions/flows_gans",
                    "--time-budget", value)
        assert done.returncode == 2
        assert "a time budget is a positive number of seconds" in done.stderr
    out = tmp_path / "results.json"
    done = _cli("grade", "--assignment", "flows_gans", "solutions/flows_gans", "--out", str(out),
                env={"AUTOGRADER_TIME_BUDGET": "soon"})
    assert done.returncode == 2
    assert "AUTOGRADER_TIME_BUDGET: a time budget is a positive number of seconds, not 'soon'" \
        in json.loads(out.read_text())["output"]


def test_single_files_and_a_missing_one(grade):
    data = grade("flows_gans", ROOT / "solutions" / "flows_gans" / "flow_network.py")
    scores = part_scores(data)
    assert scores["1a"] == full_scores("flows_gans")["1a"] and scores["2b"] == 0
    assert "gan.py was not found in your submission" in data["output"]
    assert "gan.py was not found" in feedback(data, "2b")


def test_duplicates_take_the_shallowest_and_say_so(grade, tmp_path):
    good = materialize([], "flows_gans", tmp_path / "s")
    (good / "old").mkdir()
    (good / "old" / "gan.py").write_text("raise SystemExit")
    data = grade("flows_gans", good)
    assert data["score"] == sum(full_scores("flows_gans").values())
    assert "Found gan.py in 2 places" in data["output"]


def test_zip_entries_outside_the_archive_are_ignored(grade, tmp_path):
    archive = tmp_path / "evil.zip"
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr("../../gan.py", "raise SystemExit")
        z.writestr("/abs/flow_network.py", "raise SystemExit")
    data = grade("flows_gans", archive)
    assert data["score"] == 0
    assert "unsafe path: ../../gan.py" in data["output"]
    assert not (tmp_path.parent / "gan.py").exists()


def test_hidden_seeds_follow_the_submission_id(grade):
    folder = ROOT / "solutions" / "flows_gans"
    first = grade("flows_gans", folder, submission_id="123")
    again = grade("flows_gans", folder, submission_id="123")
    other = grade("flows_gans", folder, submission_id="456")

    def seeds(data, visible):
        return [t["extra_data"]["seed"] for t in data["tests"]
                if (t["visibility"] == "visible") == visible]

    assert seeds(first, False) == seeds(again, False) != seeds(other, False)
    assert seeds(first, True) == seeds(other, True)
    hidden = [t for t in first["tests"] if t["visibility"] == "after_due_date"]
    assert hidden and all("seed" in t["output"] for t in hidden)


def test_hidden_feedback_reveals_no_expected_values(grade_variants):

    data = grade_variants("flows_gans", mistake("flows_gans", "positive log_det"))
    hidden = [t["output"] for t in data["tests"] if t["visibility"] != "visible" and "1b" in t["tags"]]
    visible = [t["output"] for t in data["tests"] if t["visibility"] == "visible" and "1b" in t["tags"]]
    assert any("expected" in text for text in visible)
    assert hidden and not any("Greatest" in text or "got" in text for text in hidden)
