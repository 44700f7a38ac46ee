"""Gradescope delivery: the zips of `make zips`, run the way the platform runs them.

Each autograder zip is unpacked into a folder laid out like /autograder and graded by its
own run_autograder (``gradescope_sim``). Run as root (as here and in CI), setup.sh creates
the `student` user and the tests check what student code can reach. The platform's tests
run in both sandbox modes: with namespaces, and without (``AUTOGRADER_NAMESPACES=0``), as
on Gradescope, whose Docker container refuses them. Each student bundle is
searched for the reference, and its self-check is run on the stubs and on the reference.
"""

from __future__ import annotations

import dataclasses
import json
import re
import shutil
import subprocess
import sys
import textwrap
import time
import zipfile
from pathlib import Path

import jsonschema
import pytest

from autograder.assignment import available, load_assignment
from autograder.delivery.package import LeakError, build, leaks, solution_bodies
from autograder.results import SCHEMA_PATH
from autograder.sandbox import PARALLEL
from autograder.delivery.selfcheck import LocalRunner, check, write_expected
from autograder.worker import record_path
from autograder.stubs import BEGIN
from gradescope_sim import is_root, platform_root, run_autograder, setup, unpack
from helpers import MODES, NO_NAMESPACES, end_to_end_parts
from variants import ROOT, materialize, sleeping

SCHEMA = json.loads(SCHEMA_PATH.read_text())
ASSIGNMENTS = available()
STUDENT = "student"
MODE_ENV = {mode: {"AUTOGRADER_NAMESPACES": "0" if mode == NO_NAMESPACES else "1"}
            for mode in MODES}


@pytest.fixture(scope="module")
def dist(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    for name in ASSIGNMENTS:
        try:
            build(name, out)
        except LeakError as exc:  # the autograder zip is written, the bundle refused
            (out / f"{name}-student.refused").write_text(str(exc))
    return out


def _student_zip(dist: Path, name: str) -> Path:
    refused = dist / f"{name}-student.refused"
    if refused.exists():
        pytest.xfail(refused.read_text())
    return dist / f"{name}-student.zip"


@pytest.fixture
def platform(dist):
    """A factory of fresh /autograder look-alikes (one per submission, as on Gradescope)."""
    roots = []

    def make(name: str) -> Path:
        roots.append(platform_root(dist / f"{name}-autograder.zip"))
        if is_root():
            done = setup(roots[-1])
            assert done.returncode == 0, done.stderr
        return roots[-1]

    yield make
    for root in roots:
        shutil.rmtree(root, ignore_errors=True)


def _total(name: str) -> float:
    return sum(p.points for p in load_assignment(name).parts.values())


def _test_count(name: str) -> int:
    return len(load_assignment(name).cases) + len(load_assignment(name).extra_tests)


def _graded(name: str, dest: Path, folder: Path | None = None) -> Path:
    """Only the graded files of ``folder`` (default: the reference), where the student's
    copies are (a package's files at their paths), as a student uploads."""
    for file in load_assignment(name).files:
        (dest / file).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(folder / file if folder else ROOT / "solutions" / name / file, dest / file)
    return dest


def test_zips_are_deterministic_and_laid_out_for_gradescope(dist, tmp_path):
    name = ASSIGNMENTS[0]
    again = build(name, tmp_path)
    assert [p.read_bytes() for p in again] == [(dist / p.name).read_bytes() for p in again]
    with zipfile.ZipFile(dist / f"{name}-autograder.zip") as z:
        names = z.namelist()
        modes = {i.filename: i.external_attr >> 16 & 0o777 for i in z.infolist()}
        assert modes["run_autograder"] == modes["setup.sh"] == 0o755
        assert z.read("run_autograder").startswith(b"#!/usr/bin/env bash\n")
        assert re.search(rb"^torch==[\d.]+$", z.read("requirements.txt"), re.M)
    assert f"solutions/{name}/cases.py" in names and f"solutions/{name}/assignment.json" in names
    assert f"solutions/{name}/mistakes.py" in names
    assert not [n for n in names for other in ASSIGNMENTS if other != name and other in n]


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("name", ASSIGNMENTS)
def test_platform_grades_the_reference_and_the_stubs(platform, tmp_path, name, mode):
    total = _total(name)
    done, data = run_autograder(platform(name), _graded(name, tmp_path / "reference"),
                                env=MODE_ENV[mode])
    assert done.returncode == 0, done.stderr
    jsonschema.validate(data, SCHEMA)
    assert data["score"] == pytest.approx(total), data["output"]
    assert all(t["status"] == "passed" for t in data["tests"])
    assert data["extra_data"]["submission_id"] == "123456789"  # seeds from the metadata

    done, data = run_autograder(platform(name), _graded(
        name, tmp_path / "stubs", ROOT / "assignments" / name), env=MODE_ENV[mode])
    jsonschema.validate(data, SCHEMA)
    assert data["score"] == 0 and len(data["tests"]) == _test_count(name)
    assert all("Not implemented yet" in t["output"] for t in data["tests"])


@pytest.mark.skipif(not is_root(), reason="the platform runs as root; here we are not")
@pytest.mark.parametrize("mode", MODES)
def test_student_code_reads_no_reference_and_writes_no_results(platform, tmp_path, mode):
    """Without namespaces (as on Gradescope) only file permissions keep student code out."""
    name = ASSIGNMENTS[0]
    root = platform(name)
    secret = root / "source" / "solutions" / name / next(iter(load_assignment(name).files))
    as_student = ["runuser", "-u", STUDENT, "--", "cat", str(secret)]
    assert subprocess.run(as_student, capture_output=True).returncode == 0  # open until...
    probes = {"reference": (str(secret), "r"), "metadata": (f"{root}/submission_metadata.json", "r"),
              "results": (f"{root}/results/results.json", "w")}
    spy = textwrap.dedent(f"""
        import socket as _socket
        _seen = []
        for _what, (_path, _mode) in {probes!r}.items():
            try:
                open(_path, _mode).close()
                _seen.append(_what + ": opened")
            except OSError as _e:
                _seen.append(_what + ": " + type(_e).__name__)
        try:
            _connection = _socket.socket()  # not create_connection: no name to look up
            _connection.settimeout(2)
            _connection.connect(("127.0.0.1", 9))
            _seen.append("network: opened")
        except OSError as _e:
            _seen.append("network: " + type(_e).__name__)
        raise RuntimeError("; ".join(_seen))
    """)
    submission = _graded(name, tmp_path / "spy")
    (submission / secret.name).write_text(secret.read_text() + spy)

    done, data = run_autograder(root, submission, env=MODE_ENV[mode])
    jsonschema.validate(data, SCHEMA)
    spied = [t["output"] for t in data["tests"] if "RuntimeError: reference:" in t["output"]]
    assert spied and not any("opened" in text for text in spied), spied
    # no namespace: seccomp refuses the socket; in one, the network is unreachable, not refused
    refused = "network: PermissionError" if mode == NO_NAMESPACES else "network: OSError"
    assert all(refused in text for text in spied), spied
    assert sum(t["score"] for t in data["tests"]) > 0  # the other files were graded as usual
    assert subprocess.run(as_student, capture_output=True).returncode != 0  # ...run_autograder


def test_a_submission_that_hangs_everywhere_gets_feedback_in_time(platform, tmp_path):
    """The worst case, as on Gradescope (no namespaces): every function sleeps for ever.
    Every part gets its tests and a reason, within the time budget."""
    name, budget = "vae_gan_planar", 10
    start = time.monotonic()
    done, data = run_autograder(platform(name), sleeping(name, tmp_path / "s"),
                                env={**MODE_ENV[NO_NAMESPACES],
                                     "AUTOGRADER_TIME_BUDGET": str(budget)})
    seconds = time.monotonic() - start
    jsonschema.validate(data, SCHEMA)
    assert seconds < budget + 3, seconds
    order = list(load_assignment(name).parts)
    runs = [data["extra_data"]["parts"][p]["run"] for p in order]
    ran = runs.count("out of time")  # the parts running when the budget ran out
    assert 1 <= ran <= PARALLEL and runs == ["out of time"] * ran + ["not run"] * (len(runs) - ran)
    assert "the time budget (10 s for the whole submission) ran out" in data["tests"][0]["output"]
    assert len(data["tests"]) == _test_count(name) and data["score"] == 0
    assert all(f"used up the time budget (10 s for the whole submission) in part {order[ran - 1]}."
               in t["output"] for t in data["tests"] if t["tags"][0] not in order[:ran])


def test_results_are_written_even_when_the_grader_cannot_start(platform, tmp_path):
    name = ASSIGNMENTS[0]
    done, data = run_autograder(platform(name), _graded(name, tmp_path / "s"),
                                python=str(tmp_path / "no-python"))
    assert done.returncode == 0
    jsonschema.validate(data, SCHEMA)
    assert data["tests"] == [] and "could not grade" in data["output"]


def test_the_search_finds_every_solution_block():
    markers = sum(p.read_text().count(BEGIN) for p in (ROOT / "solutions").rglob("*.py"))
    assert len(solution_bodies()) == markers > 10
    for name in ASSIGNMENTS:
        reference = {f: (ROOT / "solutions" / name / f).read_bytes() for f in load_assignment(name).files}
        stubs = {f: (ROOT / "assignments" / name / f).read_bytes() for f in reference}
        assert set(leaks(reference)) == set(reference) and not leaks(stubs)


@pytest.mark.parametrize("name", ASSIGNMENTS)
def test_student_bundle_holds_no_solution_no_mistake_no_hidden_case(dist, name):
    with zipfile.ZipFile(_student_zip(dist, name)) as z:
        files = {n: z.read(n) for n in z.namelist()}
    assert not leaks(files)
    catalogue = [" ".join(m.message.split()) for a in ASSIGNMENTS
                 for m in load_assignment(a).mistakes if m.message]
    text = {n: " ".join(data.decode("utf-8", "replace").split()) for n, data in files.items()}
    assert catalogue and not [(n, c[:60]) for n, t in text.items() for c in catalogue if c in t]
    # of solutions/<name>/, only the definition and the cases (the self-check runs them)
    assert sorted(n.rsplit("/", 1)[1] for n in files if "/solutions/" in n) == [
        "assignment.json", "cases.py"]
    shipped = {m.group(1) for n in files if (m := re.search(r"/expected/.*/(case-\w+)\.record$", n))}
    visible = [c for c in load_assignment(name).cases if c.visible]
    assert shipped == {Path(record_path("", c)).name for c in visible}


def _check(bundle: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "check.py"], cwd=bundle, capture_output=True,
                          text=True, timeout=300)


def _self_checked(data: dict) -> list[dict]:
    """The tests of ``data`` that the self-check runs: the visible ones, less the parts graded
    by extra tests (their files stay with the grader)."""
    extra = end_to_end_parts(data["extra_data"]["assignment"])
    return [t for t in data["tests"]
            if t["visibility"] == "visible" and t["extra_data"]["part"] not in extra]


def _says_what_the_platform_says(stdout: str, data: dict) -> None:
    """Every test of ``data`` the self-check runs appears in its output, with its feedback
    (less the "Likely cause" line, which needs the mistake catalogue)."""
    for t in _self_checked(data):
        assert f"[{t['status']}] {t['number']} {t['name']}" in stdout
        if t["status"] == "failed":
            feedback = "\n".join(line for line in t["output"].splitlines()
                                 if not line.startswith("Likely cause"))
            assert textwrap.indent(feedback, "    ") in stdout


@pytest.mark.parametrize("name", ASSIGNMENTS)
def test_self_check_runs_on_the_stubs_and_on_the_reference(dist, grade, tmp_path, name):
    bundle = unpack(_student_zip(dist, name), tmp_path) / name
    stubs = grade(name, ROOT / "assignments" / name)
    visible = sum(t["max_score"] for t in _self_checked(stubs))

    done = _check(bundle)
    assert done.returncode == 1, done.stderr
    assert f"Visible tests: 0.00 / {visible:.2f} points" in done.stdout
    _says_what_the_platform_says(done.stdout, stubs)

    _graded(name, bundle)
    done = _check(bundle)
    assert done.returncode == 0, done.stdout + done.stderr
    assert f"Visible tests: {visible:.2f} / {visible:.2f} points" in done.stdout


def test_self_check_feedback_on_a_mistake_is_the_platforms(dist, grade, tmp_path):

    bundle = unpack(_student_zip(dist, "flows_gans"), tmp_path) / "flows_gans"
    mutant = materialize([next(m for m in load_assignment("flows_gans").mistakes if m.example)], "flows_gans", tmp_path / "m")
    _graded("flows_gans", bundle, mutant)
    done = _check(bundle)
    assert done.returncode == 1
    _says_what_the_platform_says(done.stdout, grade("flows_gans", mutant))


def test_local_runner_matches_the_sandbox(grade, tmp_path):
    """The self-check's runner where the fork server does not run (macOS), on two parts."""
    name = ASSIGNMENTS[0]
    full = load_assignment(name)
    first, last = list(full.parts.values())[0], list(full.parts.values())[-1]
    assert first.file != last.file
    assignment = dataclasses.replace(full, parts={first.id: first, last.id: last})
    write_expected(assignment, tmp_path / "expected")
    submission = _graded(name, tmp_path / "s", ROOT / "assignments" / name)
    shutil.copy(ROOT / "solutions" / name / first.file, submission)  # one part right, one not
    with LocalRunner() as runner:
        tests, _ = check(assignment, [submission], runner, tmp_path / "expected")
    platform = [t for t in grade(name, submission)["tests"]
                if t["visibility"] == "visible" and t["tags"][0] in assignment.parts]
    assert [(t["number"], t["status"], t["output"]) for t in tests] == [
        (t["number"], t["status"], t["output"]) for t in platform]
    assert {t["status"] for t in tests} == {"passed", "failed"}
