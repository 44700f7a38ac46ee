"""Shared fixtures: one sandbox per mode for the session, and grading helpers."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Callable, Iterator

import jsonschema
import pytest

from autograder.assignment import available, load_assignment
from autograder.results import SCHEMA_PATH
from autograder.sandbox import Sandbox
from helpers import NAMESPACES, NO_NAMESPACES
from autograder.variants import Change
from variants import materialize

SCHEMA = json.loads(SCHEMA_PATH.read_text())


@pytest.fixture(scope="session")
def sandboxes() -> Iterator[dict[str, Sandbox]]:
    # Both forked before any test imports reference code, and after the assignments are
    # loaded (their cases and extra tests), as in the real grader: the sandbox's children
    # cannot read solutions/.
    for name in available():
        load_assignment(name)
    with Sandbox() as with_namespaces, Sandbox(namespaces=False) as without:
        yield {NAMESPACES: with_namespaces, NO_NAMESPACES: without}


@pytest.fixture(scope="session")
def sandbox(sandboxes) -> Sandbox:
    return sandboxes[NAMESPACES]


@pytest.fixture(scope="session")
def grade(sandboxes) -> Callable[..., dict[str, Any]]:
    """``grade(assignment, *paths, mode=NAMESPACES, **options of autograder.grade.grade)``."""
    from autograder.grade import grade as grade_submission

    def run(assignment: str, *paths: Path, mode: str = NAMESPACES,
            **options: Any) -> dict[str, Any]:
        data = grade_submission(load_assignment(assignment), list(paths), sandboxes[mode],
                                **options)
        jsonschema.validate(data, SCHEMA)
        json.dumps(data, allow_nan=False)
        if mode == NO_NAMESPACES:
            assert {p["sandbox"]["network"] for p in data["extra_data"]["parts"].values()
                    if p["sandbox"]} <= {"seccomp"}, "the network filter is missing"
        return data

    return run


@pytest.fixture
def grade_variants(grade, tmp_path) -> Callable[..., dict[str, Any]]:
    def run(assignment: str, *variants: Change, **options: Any) -> dict[str, Any]:
        return grade(assignment, materialize(variants, assignment, tmp_path / "submission"),
                     **options)

    return run
