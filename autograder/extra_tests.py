"""Extra tests in the platform's idiom: ``unittest`` tests with gradescope-utils decorators.

Some checks do not fit a seeded comparison with the reference (samples are finite, a few
training steps lower the loss). A part of ``assignment.json`` may name a file of such tests,
``"tests": "test_<x>.py"`` in ``solutions/<name>/tests/`` (never given to students). Such a
part has no cases: its tests are its tests, and its points are the sum of their ``@weight``.

- ``collect`` (trusted, when the assignment loads, before the sandbox forks) imports the
  file, which is our code, and reads each test's decorators: ``weight`` (required),
  ``number``, ``visibility``, ``tags``. A test imports the submission's modules by file stem
  inside the test or its ``setUpClass`` (the worker has imported them under those names);
  while the file loads in the grader they are blocked, so no student code is ever imported
  there.
- ``run`` (the sandboxed child) runs one test with gradescope-utils' ``JSONTestRunner``,
  which the sandbox gives the part's timeout and isolation (the runner has neither).
- ``judge`` (trusted) reads what that child wrote as untrusted input: only the score,
  clamped to the test's declared weight, and the feedback text are taken from it (not the
  runner's ``execution_time``, a string; the sandbox times the part). Name, number, points,
  visibility and tags come from the declarations.

The verdict itself is reached in a process that runs student code, so a submission can make
its own extra tests pass: they never count for more than their declared weights, and a
part graded this way is best kept to sanity checks worth few points.
"""

from __future__ import annotations

import contextlib
import io
import json
import math
import sys
import unittest
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable, Iterator

import jsonschema
from gradescope_utils.autograder_utils.json_test_runner import JSONTestResult, JSONTestRunner

from autograder.judge import error_message
from autograder.modules import import_file
from autograder.runner import where_raised

VISIBILITIES = ("visible", "hidden", "after_due_date", "after_published")
MAX_OUTPUT_CHARS = 4000
# What a child writes for one test: the runner's JSON, and the exception the test raised.
RECORD_SCHEMA = {
    "type": "object",
    "required": ["result", "error"],
    "properties": {
        "result": {
            "type": "object", "required": ["tests"],
            "properties": {"tests": {"type": "array", "maxItems": 1, "items": {
                "type": "object", "required": ["score"],
                "properties": {"score": {"type": "number"}, "output": {"type": "string"}}}}},
        },
        "error": {"anyOf": [{"type": "null"}, {
            "type": "object", "required": ["type", "message"],
            "properties": {"type": {"type": "string"}, "message": {"type": "string"},
                           "where": {"type": ["string", "null"]}}}]},
    },
}
# built once: jsonschema.validate checks the schema itself on every call (3 ms)
RECORD_VALIDATOR = jsonschema.validators.validator_for(RECORD_SCHEMA)(RECORD_SCHEMA)


class ExtraTestError(ValueError):
    """A test file that cannot be read without running student code, or does not load."""


@dataclass(frozen=True)
class ExtraTest:
    part: str
    case: type[unittest.TestCase]
    method: str
    description: str  # the docstring's first line, else the method's name
    weight: float  # as declared: problems() checks it is a number above 0
    number: str
    visibility: str
    tags: tuple[str, ...]  # the test's own, besides its part

    @property
    def id(self) -> str:
        """"part: Class.method": seeds and record names derive from it, as from a case's."""
        return f"{self.part}: {self.case.__name__}.{self.method}"

    @property
    def visible(self) -> bool:
        return self.visibility == "visible"


@contextlib.contextmanager
def _blocked(stems: Iterable[str]) -> Iterator[None]:
    """While inside, ``import <stem>`` fails for each stem (whatever sys.modules held)."""
    stems = list(stems)
    saved = {s: sys.modules[s] for s in stems if s in sys.modules}
    sys.modules.update(dict.fromkeys(stems))
    try:
        yield
    finally:
        for stem in stems:
            sys.modules.pop(stem, None)
        sys.modules.update(saved)


def _flatten(suite: unittest.TestSuite) -> Iterator[unittest.TestCase]:
    for item in suite:
        if isinstance(item, unittest.TestSuite):
            yield from _flatten(item)
        else:
            yield item


def collect(path: Path, module_name: str, part: str,
            student_stems: Iterable[str]) -> list[ExtraTest]:
    """The tests of ``path``, in unittest's order, with their declarations; numbers that are
    not declared are the part's ``<part>.01``, ``<part>.02``, ..."""
    stems = list(student_stems)
    try:
        with _blocked(stems):
            module = import_file(path, module_name)
    except ImportError as exc:
        if exc.name in stems:
            raise ExtraTestError(
                f"{path.name} imports {exc.name} when it loads: import the submission's modules "
                "inside the tests (a test method or setUpClass), so that the grader reads the "
                "tests without importing student code") from None
        raise ExtraTestError(f"{path.name} could not be imported: {exc}") from None
    except Exception as exc:  # noqa: BLE001 - any failure of our own test file
        raise ExtraTestError(f"{path.name} could not be imported: "
                             f"{type(exc).__name__}: {exc}") from None
    tests = []
    for k, test in enumerate(_flatten(unittest.defaultTestLoader.loadTestsFromModule(module)), 1):
        method = test.id().rsplit(".", 1)[-1]
        function = getattr(type(test), method)
        tests.append(ExtraTest(
            part, type(test), method, test.shortDescription() or method,
            getattr(function, "__weight__", None),
            getattr(function, "__number__", None) or f"{part}.{k:02d}",
            getattr(function, "__visibility__", None) or "visible",
            tuple(t for t in getattr(function, "__tags__", ()) if t != part)))
    return tests


def problems(tests: list[ExtraTest], points: float, file: str) -> list[str]:
    """What is wrong with a part's declared tests, given the part's ``points``."""
    found = [] if tests else [f"{file} holds no test"]
    for t in tests:
        name = f"{file}: {t.case.__name__}.{t.method}"
        if isinstance(t.weight, bool) or not isinstance(t.weight, (int, float)) or not t.weight > 0:
            found.append(f"{name} needs @weight(points), a number above 0 (it has {t.weight!r})")
        if t.visibility not in VISIBILITIES:
            found.append(f"{name} has @visibility({t.visibility!r}); use one of {VISIBILITIES}")
        if not all(isinstance(tag, str) for tag in t.tags):
            found.append(f"{name}'s @tags must be strings")
    numbers = [t.number for t in tests]
    twice = sorted({n for n in numbers if numbers.count(n) > 1})
    if twice:
        found.append(f"{file}: test numbers used twice: {twice}")
    if not found and not math.isclose(sum(t.weight for t in tests), points):
        found.append(f"{file}: the tests' weights add up to {sum(t.weight for t in tests):g}, "
                     f"the part's points are {points:g}")
    return found


class _Result(JSONTestResult):
    """gradescope-utils' result that also keeps the exception a test raised (not a failed
    assertion), so that the grader can name it and the line of student code behind it."""

    exception: BaseException | None = None

    def addError(self, test: unittest.TestCase, err: Any) -> None:
        self.exception = err[1]
        if isinstance(test, unittest.TestCase):
            super().addError(test, err)
        else:  # setUpClass failed: the package cannot describe such a test, the error says it
            unittest.TestResult.addError(self, test, err)


class _Runner(JSONTestRunner):
    resultclass = _Result


def run(test: ExtraTest, student_files: tuple[str, ...]) -> dict[str, Any]:
    """In the sandboxed child: run ``test``; returns its record (see ``RECORD_SCHEMA``).

    Each test runs on its own (its class's ``setUpClass`` runs for it), so that a crash or
    a timeout costs only the tests not yet run. Printed output goes to the child's stdout
    file, not into the feedback.
    """
    stream = io.StringIO()
    try:
        exc = _Runner(stream=stream, buffer=False).run(
            unittest.TestSuite([test.case(test.method)])).exception
    except BaseException as escaped:  # noqa: BLE001 - KeyboardInterrupt, which unittest lets by
        return {"result": {"tests": []}, "error": _described(escaped, student_files)}
    return {"result": json.loads(stream.getvalue()),
            "error": None if exc is None else _described(exc, student_files)}


def _described(exc: BaseException, student_files: tuple[str, ...]) -> dict[str, Any]:
    return {"type": type(exc).__name__, "message": str(exc)[:1000],
            "where": where_raised(exc, student_files)}


def import_error_record(message: str) -> dict[str, Any]:
    """The record of a test that cannot run: the part's file did not import."""
    return {"result": {"tests": []}, "error": {"type": "ImportError", "message": message}}


def judge(record: dict[str, Any], test: ExtraTest) -> tuple[float, str] | None:
    """The score and feedback in ``record``, which a child running student code wrote; None
    when it is not a valid record. The score is clamped to ``[0, test.weight]``."""
    if not RECORD_VALIDATOR.is_valid(record):
        return None
    entries, error = record["result"]["tests"], record["error"]
    score = float(entries[0]["score"]) if entries else 0.0
    if not math.isfinite(score):
        return None
    score = min(max(score, 0.0), test.weight)
    if error is not None:
        output = error_message(error)
    elif entries:  # no output: passed, or partial credit given without a failure
        output = entries[0].get("output", "").strip() or (
            "Passed." if score >= test.weight else f"{score:g} of {test.weight:g} points.")
    else:
        output = "The test reported no result (was it skipped?)."
    return score, output[:MAX_OUTPUT_CHARS]
