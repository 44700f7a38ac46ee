"""Shared fixtures: one sandbox for the session, and grading helpers."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Callable

import jsonschema
import pytest

from autograder.assignment import load_assignment
from autograder.results import SCHEMA_PATH
from autograder.sandbox import Sandbox
from variants import Variant, materialize

SCHEMA = json.loads(SCHEMA_PATH.read_text())


@pytest.fixture(scope="session")
def sandbox():
    # Forked before any test imports reference code, as in the real grader.
    with Sandbox() as sb:
        yield sb


@pytest.fixture(scope="session")
def grade(sandbox) -> Callable[..., dict[str, Any]]:
    from autograder.grade import grade as grade_submission

    def run(assignment: str, *paths: Path, **options: Any) -> dict[str, Any]:
        data = grade_submission(load_assignment(assignment), list(paths), sandbox, **options)
        jsonschema.validate(data, SCHEMA)
        json.dumps(data, allow_nan=False)
        return data

    return run


@pytest.fixture
def grade_variants(grade, tmp_path) -> Callable[..., dict[str, Any]]:
    def run(assignment: str, *variants: Variant, **options: Any) -> dict[str, Any]:
        return grade(assignment, materialize(variants, assignment, tmp_path / "submission"),
                     **options)

    return run
