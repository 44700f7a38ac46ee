"""Grading a whole class: results, gradebook, report, cache, Gradescope exports, bad submissions."""

from __future__ import annotations

import csv
import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import jsonschema
import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from autograder.batch.gradebook import status
from autograder.batch.report import write_report
from autograder.results import SCHEMA_PATH
from autograder.batch.roster import Submission, find_submissions, read_metadata
from autograder.assignment import load_assignment
from helpers import broken_reference, full_scores
from variants import ROOT, materialize, mistake

SCHEMA = json.loads(SCHEMA_PATH.read_text())
FULL = sum(full_scores("flows_gans").values())
PARTS = list(full_scores("flows_gans"))


def _batch(folder: Path, out: Path, *args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "autograder", "grade", "--assignment",
                           "flows_gans", str(folder), "--batch", str(out), "--jobs", "2", *args],
                          cwd=ROOT, text=True, capture_output=True, timeout=600,
                          env={**os.environ, **(env or {})})


def _gradebook(out: Path) -> dict[str, dict[str, str]]:
    with (out / "gradebook.csv").open(newline="") as f:
        return {row["id"]: row for row in csv.DictReader(f)}


def _results(out: Path) -> dict[str, dict]:
    """Each submission's results.json, without the fields that vary: the times taken."""
    found = {}
    for path in sorted(out.glob("*/results.json")):
        data = json.loads(path.read_text())
        del data["execution_time"]
        for part in data["extra_data"].get("parts", {}).values():
            part.pop("seconds", None)
        found[path.parent.name] = data
    return found


@pytest.fixture(scope="module")
def classroom(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("class")
    alice = materialize([], "flows_gans", folder / "alice")
    (alice / "flows_gans.ipynb").unlink()  # alice hands in a notebook of her own
    (alice / "hw.ipynb").write_text(nbformat.writes(new_notebook(cells=[
        new_markdown_cell("My answers <script>alert('hi')</script>"),
        new_code_cell("print(2 + 2)", outputs=[
            new_output("stream", name="stdout", text="printed when alice ran it\n")])])))
    with zipfile.ZipFile(folder / "bob.zip", "w") as z:  # the untouched stubs, nested
        for path in (ROOT / "assignments" / "flows_gans").glob("*.py"):
            z.write(path, f"src/submission/{path.name}")
    materialize([mistake("flows_gans", "positive log_det")], "flows_gans",
                folder / "carol")
    (folder / "dave.zip").write_text("not a zip")
    erin = materialize([], "flows_gans", folder / "erin")
    (erin / "gan.py").write_text("def loss_nonsaturating_d(:\n")
    (erin / "scratch.ipynb").write_text('{"cells": 3}')
    frank = materialize([], "flows_gans", folder / "frank")
    (frank / "gan.py").write_text((frank / "gan.py").read_text() + "\nimport os\nos._exit(3)\n")
    return folder


@pytest.fixture(scope="module")
def graded(classroom, tmp_path_factory) -> tuple[Path, subprocess.CompletedProcess]:
    out = tmp_path_factory.mktemp("grades")
    return out, _batch(classroom, out)


def test_every_submission_is_graded_even_the_broken_ones(graded):
    out, done = graded
    assert done.returncode == 0, done.stderr
    results = _results(out)
    assert sorted(results) == ["alice", "bob", "carol", "dave", "erin", "frank"]
    for data in results.values():
        jsonschema.validate(data, SCHEMA)
    assert results["alice"]["score"] == FULL and results["bob"]["score"] == 0
    assert results["carol"]["extra_data"]["parts"]["1b"]["score"] == 0
    assert "could not be opened as a zip file" in results["dave"]["output"]
    assert results["erin"]["extra_data"]["parts"]["1a"]["score"] == full_scores("flows_gans")["1a"]
    assert results["erin"]["extra_data"]["parts"]["2b"]["score"] == 0
    assert results["alice"]["extra_data"]["submission_id"] == "alice"  # seeds its hidden tests
    assert "ETA" in done.stderr and "6 graded" in done.stdout


def test_gradebook_has_a_row_per_submission(graded):
    out, _ = graded
    with (out / "gradebook.csv").open(newline="") as f:
        header = next(csv.reader(f))
    assert header == ["id", "name", "email", "sid", *PARTS, "total", "seconds", "status"]
    rows = _gradebook(out)
    assert float(rows["alice"]["total"]) == FULL and float(rows["carol"]["1b"]) == 0
    assert {k: rows[k]["status"] for k in rows} == {
        "alice": "ok", "bob": "ok", "carol": "ok", "dave": "no files", "erin": "ok",
        "frank": "crashed"}
    assert all(float(row["seconds"]) > 0 for row in rows.values())


def test_report_shows_scores_pass_rates_mistakes_and_problems(graded):
    out, _ = graded
    report = (out / "report.md").read_text()
    for plot in ("part_scores.png", "test_pass_rates.png", "score_distribution.png"):
        assert f"]({plot})" in report
        assert (out / plot).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert report.index("(part_scores.png)") < report.index("(test_pass_rates.png)")
    assert "| 1a.01 |" in report and "4/6" in report
    mistakes = report.split("## Most frequent diagnosed mistakes")[1].split("##")[0]
    assert "| 1 | 1b |" in mistakes and "wrong sign" in mistakes
    problems = report.split("## Timed out, crashed or not graded")[1].split("##")[0]
    assert "| frank |" in problems and "exited with status 3" in problems
    assert "| dave |" in problems and "could not be opened as a zip file" in problems
    assert "| alice |" not in problems


def test_a_notebook_is_rendered_as_submitted_next_to_its_grades(graded):
    out, _ = graded
    rows = report_rows(out)
    assert "[hw.ipynb](alice/notebook.html)" in rows["alice"]
    html = (out / "alice" / "notebook.html").read_text()
    assert "printed when alice ran it" in html and "<script>alert" not in html
    assert "scratch.ipynb: not rendered: ValueError: not a readable notebook" in rows["erin"]
    assert rows["bob"].endswith("| - |")  # no notebook


def report_rows(out: Path) -> dict[str, str]:
    """The rows of the report's table of submissions, by id."""
    table = (out / "report.md").read_text().split("## Submissions")[1]
    return {line.split(" | ")[0].lstrip("| "): line for line in table.splitlines()
            if line.startswith("| ") and not line.startswith("| id ")}


def test_the_report_reads_statuses_and_diagnoses_as_data(tmp_path):
    def test(number: str, part: str, status: str, diagnosis: str | None) -> dict:
        return {"number": number, "name": f"test {number}", "score": 0.0, "tags": [part],
                "output": "feedback in whatever words", "status": "failed",
                "extra_data": {"part": part, "run": "ok", "status": status,
                               "diagnosis": diagnosis}}

    graded = [(Submission(sid, tmp_path / sid), {
        "score": 0.0, "output": "", "tests": [test("1a.01", "1a", "failed", cause),
                                              test("1a.02", "1a", "passed", None)],
        "extra_data": {"files": {"gan.py": "gan.py"}, "parts": {
            p: {"score": 0.0, "max_score": 1.0, "run": "ok"} for p in PARTS}}})
        for sid, cause in (("s1", "A sign is flipped."), ("s2", "A sign is flipped."),
                           ("s3", None))]
    report = write_report(tmp_path, load_assignment("flows_gans"), graded, tmp_path).read_text()
    mistakes = report.split("## Most frequent diagnosed mistakes")[1].split("##")[0]
    assert "| 2 | 1a | A sign is flipped. |" in mistakes
    assert "| 1a.01 | test 1a.01 | 0/3 | 0% | 3 failed |" in report
    assert (tmp_path / "part_scores.png").is_file()


def test_a_regrade_is_served_from_the_cache_unless_forced(classroom, graded, tmp_path):
    first, _ = graded
    folder, out = tmp_path / "class", tmp_path / "grades"
    shutil.copytree(classroom, folder)
    shutil.copytree(first, out)
    times = {p: p.stat().st_mtime_ns for p in (*out.glob("*/results.json"),
                                                  *out.glob("*/notebook.html"))}

    again = _batch(folder, out)
    assert again.returncode == 0 and "0 graded" in again.stdout and "6 from the cache" in again.stdout
    assert times == {p: p.stat().st_mtime_ns for p in times}  # notebooks are not rendered again
    assert json.loads((out / "alice" / "cache.json").read_text())["submission_id"] == "alice"

    (folder / "alice" / "gan.py").write_text("")  # a changed submission is regraded, alone
    changed = _batch(folder, out)
    assert "1 graded" in changed.stdout and "5 from the cache" in changed.stdout
    assert float(_gradebook(out)["alice"]["total"]) < FULL

    forced = _batch(folder, out, "--force")
    assert "6 graded" in forced.stdout
    expected = _results(first)
    expected["alice"] = _results(out)["alice"]
    assert _results(out) == expected  # identical results, hidden seeds included


def test_a_gradescope_export_names_the_students(tmp_path):
    materialize([], "flows_gans", tmp_path / "submission_111")
    shutil.copytree(ROOT / "assignments" / "flows_gans", tmp_path / "submission_222")
    (tmp_path / "submission_metadata.yml").write_text(
        "---\nsubmission_111:\n  :submitters:\n  - :name: Ada Lovelace\n    :sid: '42'\n"
        "    :email: ada@example.edu\n  :score: 27.0\n"
        "submission_222:\n  :submitters:\n  - :name: Alan Turing\n    :email: alan@example.edu\n"
        "  - :name: Grace Hopper\n    :email: grace@example.edu\n")
    out = tmp_path / "grades"
    done = _batch(tmp_path, out)
    assert done.returncode == 0, done.stderr
    rows = _gradebook(out)
    assert (rows["111"]["name"], rows["111"]["email"], rows["111"]["sid"]) == (
        "Ada Lovelace", "ada@example.edu", "42")
    assert rows["222"]["name"] == "Alan Turing; Grace Hopper"
    assert float(rows["111"]["total"]) == FULL
    assert json.loads((out / "111" / "results.json").read_text())["extra_data"]["submission_id"] == "111"


def test_a_grader_failure_writes_fallbacks_and_caches_nothing(classroom, tmp_path):
    folder = tmp_path / "class"
    shutil.copytree(classroom / "alice", folder / "alice")
    shutil.copy(classroom / "dave.zip", folder / "dave.zip")
    out = tmp_path / "grades"
    done = _batch(folder, out, env={"AUTOGRADER_SOLUTIONS": str(broken_reference(tmp_path))})
    assert done.returncode == 2
    for sid in ("alice", "dave"):
        data = json.loads((out / sid / "results.json").read_text())
        jsonschema.validate(data, SCHEMA)
        assert "could not grade" in data["output"] and not (out / sid / "cache.json").exists()
    assert {row["status"] for row in _gradebook(out).values()} == {"error"}
    assert "could not grade" not in (out / "report.md").read_text()  # the reason is listed
    assert "reference solution is broken" in (out / "report.md").read_text()


def test_batch_takes_one_folder(tmp_path):
    done = _batch(ROOT / "README.md", tmp_path / "grades")
    assert done.returncode == 2 and "one folder" in done.stderr


def test_submissions_are_found_by_folder_and_zip_name(tmp_path):
    for name in ("b", "__MACOSX", ".hidden"):
        (tmp_path / name).mkdir()
    for name in ("a.zip", "b.zip", "notes.txt"):
        (tmp_path / name).touch()
    assert [(s.id, s.path.name) for s in find_submissions(tmp_path)] == [
        ("a", "a.zip"), ("b", "b"), ("b.zip", "b.zip")]


def test_gradescope_metadata_is_read_without_a_yaml_library():
    text = """---
submission_1:
  :submitters:
  - :name: Jane O'Neil
    :sid: '007'
    :email: jane@example.edu
  :score: !ruby/object:BigDecimal 18:0.27e2
  :history:
  - :id: 9
    :submitters:
    - :name: Not a submitter of submission_1
'submission_2':
  :submitters: []
"""
    assert read_metadata(text) == {
        "submission_1": [{"name": "Jane O'Neil", "sid": "007", "email": "jane@example.edu"}],
        "submission_2": []}


def test_status_names_timeouts_and_crashes():
    def results(runs: list[str], files: dict) -> dict:
        return {"tests": [{"extra_data": {"run": run}} for run in runs],
                "extra_data": {"files": files}}

    found = {"gan.py": "gan.py"}
    for run in ("timed out", "out of time", "not run"):
        assert status(results(["ok", "crashed", run], found)) == "timed out"
    assert status(results(["ok", "crashed"], found)) == "crashed"
    assert status(results(["ok"], found)) == "ok"
    assert status(results(["ok"], {})) == "no files"
    assert status({"tests": [], "extra_data": {"error": "boom"}}) == "error"
