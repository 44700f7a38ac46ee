"""Scaffolding (``new``, ``new-part``) and ``lint``, run as an instructor runs them.

Each command runs in its own process, on a course folder in a temporary directory
($AUTOGRADER_SOLUTIONS, $AUTOGRADER_ASSIGNMENTS): the engine caches what it loads.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from autograder.assignment import DEFINITION, available, solutions_dir
from autograder.authoring import format_definition
from variants import ROOT


def _course(root: Path) -> dict[str, str]:
    return {"AUTOGRADER_SOLUTIONS": str(root / "solutions"),
            "AUTOGRADER_ASSIGNMENTS": str(root / "assignments")}


def _run(*args: str, env: dict[str, str] | None = None,
         module: tuple[str, ...] = ("autograder",)) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", *module, *args], cwd=ROOT, text=True,
                          capture_output=True, env={**os.environ, **(env or {})}, timeout=600)


def _ok(done: subprocess.CompletedProcess) -> str:
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


@pytest.fixture(scope="module")
def course(tmp_path_factory) -> Path:
    """A course with assignment ``demo``: ``new``, a second part on a new file, the stubs.
    Tests that change it work on a copy."""
    root = tmp_path_factory.mktemp("course")
    env = _course(root)
    _ok(_run("new", "demo", "--title", "A demo", env=env))
    _ok(_run("new-part", "demo", "2", "--file", "model.py", "--function", "row_energy",
             "--points", "2.5", "--title", "Energy of each row", env=env))
    _ok(_run("stubs", env=env))
    return root


def _snapshot(folder: Path) -> dict[str, str]:
    return {p.name: p.read_text() for p in sorted(folder.iterdir()) if p.is_file()}


def test_a_scaffolded_assignment_lints_clean_and_passes_the_generic_tests(course):
    env = _course(course)
    folder = course / "solutions" / "demo"
    assert sorted(_snapshot(folder)) == [DEFINITION, "cases.py", "functions.py", "mistakes.py",
                                         "model.py"]
    parts = json.loads((folder / DEFINITION).read_text())["parts"]
    assert [(p["id"], p["file"], p["points"]) for p in parts] == [
        ("1", "functions.py", 1), ("2", "model.py", 2.5)]
    assert "raise NotImplementedError" in (course / "assignments/demo/model.py").read_text()
    assert _ok(_run("lint", "demo", env=env)).strip() == "demo: ok"
    # the reference gets full marks, the stubs zero, the mistake loses its own part only
    # and is named: the engine's generic tests, on this course alone
    out = _ok(_run("-p", "no:cacheprovider", "-q", "tests/test_assignments.py", env=env,
                   module=("pytest",)))
    assert " passed" in out and "failed" not in out


def test_lint_names_each_problem_on_its_own_line(course, tmp_path):
    shutil.copytree(course, tmp_path, dirs_exist_ok=True)
    env = _course(tmp_path)
    folder = tmp_path / "solutions" / "demo"
    cases = folder / "cases.py"
    cases.write_text(cases.read_text().replace(
        'dict(B=7, D=5), visible=False)', 'dict(B=7, D=5))', 1))
    mistakes = folder / "mistakes.py"
    mistakes.write_text(mistakes.read_text().replace(
        'function="squared_norm",\n            edits=[(".sum(dim=1)"',
        'function="squared_norm",\n            edits=[(".sum(dim=0)"') + '''
MISTAKES += [
    Mistake("same thing", part="2", file="model.py", function="row_energy",
            edits=[("(x ** 2)", "(x * x)")], message="Not a mistake at all."),
]
''')
    done = _run("lint", "demo", env=env)
    assert done.returncode == 1, done.stdout + done.stderr
    lines = done.stdout.splitlines()
    assert "demo: part 1 has no hidden case" in lines
    assert any(line.startswith("demo: does not apply: 1 'squared_norm: mean instead of sum' "
                               "(functions.py:squared_norm): '.sum(dim=0)' occurs 0 times")
               for line in lines), lines
    assert "demo: 2 'same thing' (model.py:row_energy) is not caught: every case of part 2 " \
           "passes" in lines
    assert len(lines) == 3, lines


def test_scaffolding_refuses_what_it_cannot_do_and_writes_nothing(course):
    env = _course(course)
    folder = course / "solutions" / "demo"
    before = _snapshot(folder)
    refusals = {
        ("new", "demo"): "exists already",
        ("new-part", "demo", "2", "--file", "model.py", "--function", "other"):
            "part 2 exists already",
        ("new-part", "demo", "3", "--file", "model.py", "--function", "row_energy"):
            "model.py already defines row_energy",
        ("new-part", "demo", "3", "--file", "torch.py", "--function", "f"):
            "would shadow the installed module 'torch'",
        ("new-part", "demo", "3", "--file", "model.py", "--function", "f", "--points", "0"):
            "points must be a positive number",
    }
    for args, message in refusals.items():
        done = _run(*args, env=env)
        assert done.returncode == 2 and message in done.stderr, (args, done.stderr)
    assert _snapshot(folder) == before


@pytest.mark.parametrize("assignment", available())
def test_assignment_json_is_written_back_as_the_course_wrote_it(assignment):
    text = (solutions_dir() / assignment / DEFINITION).read_text()
    assert format_definition(json.loads(text)) == text


def test_lint_passes_on_every_assignment():
    out = _ok(_run("lint"))
    assert out.splitlines() == [f"{name}: ok" for name in available()]
