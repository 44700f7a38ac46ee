"""Our pinned sets: pyproject.toml declares them; the platform's lock installs on its Python.

pyproject.toml pins every dependency once; the grader set (its dependencies and the grader
extra) is what gradescope/requirements.txt locks for Gradescope, with the same packages and
versions unless ours has no release for the platform's Python. That image is Ubuntu 22.04:
CPython 3.10, glibc 2.35, x86_64. We develop on 3.11+, so pip resolves the lock for that
target without installing anything (``--dry-run`` with the target's interpreter, ABI and
platform tags, wheels only): a pin with no release for 3.10 fails here rather than when an
instructor uploads the autograder. Only the registry
takes part: no find-links, extra index, constraint or config file of this machine (its
local wheels are for 3.11). torch is left out of the resolution: it comes from the CPU index
(setup.sh), which these machines cannot be counted on to reach. pip evaluates environment
markers for the interpreter that runs it, not for the target: a dependency marked
``python_version < "3.11"`` would be missed (the set has none today).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from autograder.delivery.dependencies import PLATFORM_LOCK, PYPROJECT, canonical, lock, pinned

INDEX = os.environ.get("PIP_INDEX_URL", "https://pypi.org/simple")
GLIBC_MINOR = 35  # Ubuntu 22.04
TARGET = ["--python-version", "3.10", "--implementation", "cp", "--abi", "cp310",
          *(f"--platform={tag}" for tag in (
              *(f"manylinux_2_{minor}_x86_64" for minor in range(GLIBC_MINOR, 4, -1)),
              "manylinux2014_x86_64", "manylinux2010_x86_64", "manylinux1_x86_64",
              "linux_x86_64"))]
# How pip reaches the registry; every other pip setting of this machine is left out.
CONNECTION = {"PIP_CERT", "PIP_CLIENT_CERT", "PIP_TRUSTED_HOST", "PIP_PROXY"}
FROM_CPU_INDEX = "torch"


def _pip(*args: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PIP_") or k in CONNECTION}
    return subprocess.run(
        [sys.executable, "-m", "pip", *args, "--index-url", INDEX, "--retries", "1",
         "--timeout", "15", "--disable-pip-version-check"],
        env=env | {"PIP_CONFIG_FILE": os.devnull}, capture_output=True, text=True, timeout=300)


@pytest.fixture(scope="module")
def registry() -> str:
    """The registry's URL, once it has answered (else every test here is skipped)."""
    done = _pip("index", "versions", "pip")
    if done.returncode != 0:
        pytest.skip(f"no package registry answers at {INDEX} (PIP_INDEX_URL), so the "
                    "platform's pins cannot be resolved for CPython 3.10; pip says: "
                    + " ".join(done.stderr.split())[-300:])
    return INDEX


def _resolve_for_platform(tmp_path: Path, *requirements: str) -> subprocess.CompletedProcess:
    """pip's verdict on installing ``requirements`` (and their dependencies) on the platform."""
    return _pip("install", "--dry-run", "--ignore-installed", "--only-binary=:all:",
                "--target", str(tmp_path / "never-written"), *TARGET,
                "--report", str(tmp_path / "report.json"), *requirements)


def test_every_dependency_is_pinned_and_dev_holds_every_set():
    grader, student, dev = pinned("grader"), pinned("student"), pinned("dev")
    assert {**grader, **student}.items() <= dev.items()
    assert "pytest" not in grader | student  # no test tools for the platform or students
    assert {"jsonschema", "gradescope-utils", "torch", "numpy"} <= grader.keys() & student.keys()


def test_the_platform_lock_holds_the_grader_set():
    assert lock().keys() == pinned("grader").keys(), f"{PLATFORM_LOCK} and {PYPROJECT}"


def test_the_platform_set_resolves_for_cpython_310(registry, tmp_path):
    wanted = {n: v for n, v in lock().items() if n != FROM_CPU_INDEX}
    done = _resolve_for_platform(tmp_path, *(f"{n}=={v}" for n, v in wanted.items()))
    assert done.returncode == 0, f"{PLATFORM_LOCK} does not install on CPython 3.10 " \
        f"from {registry}:\n{done.stderr}"
    report = json.loads((tmp_path / "report.json").read_text())
    resolved = {canonical(i["metadata"]["name"]): i["metadata"]["version"]
                for i in report["install"]}
    assert {n: resolved.get(n) for n in wanted} == wanted


def test_the_platform_grades_with_our_torch():
    assert lock()[FROM_CPU_INDEX] == pinned()[FROM_CPU_INDEX]


def test_pins_differ_from_ours_only_where_ours_has_no_310_release(registry, tmp_path):
    platform, ours = lock(), pinned("grader")
    differ = sorted(n for n in platform.keys() & ours.keys() - {FROM_CPU_INDEX}
                    if platform[n] != ours[n])
    needless = [f"{n}: ours is {ours[n]}, which also installs on 3.10 (the platform has "
                f"{platform[n]}): pin {ours[n]} in both"
                for n in differ if _resolve_for_platform(tmp_path, f"{n}=={ours[n]}",
                                                         "--no-deps").returncode == 0]
    assert not needless
