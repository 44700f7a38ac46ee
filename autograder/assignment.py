"""An assignment: the one folder ``solutions/<name>/`` that holds everything about it.

``assignment.json`` (what an instructor edits: title, graded files, parts with their points and
timeouts; validated against ``assignment.schema.json``), ``cases.py`` (a list ``CASES`` of
test cases), ``mistakes.py`` (``MISTAKES`` and ``ALTERNATIVES``, see ``autograder/variants.py``),
``tests/`` (``unittest`` files of the parts graded by extra tests, see
``autograder/extra_tests.py``) and the reference files, with solution markers. This module is
the one place that reads them.
The generated student files live in ``assignments/<name>/``.
"""

from __future__ import annotations

import functools
import json
import os
import shutil
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, Iterable

import jsonschema

from autograder.modules import import_file
from autograder.variants import Alternative, Change, Mistake

if TYPE_CHECKING:  # both import torch: a batch starts its workers before this process does
    from autograder.case import Case
    from autograder.extra_tests import ExtraTest

PACKAGE_DIR = Path(__file__).resolve().parent
ROOT = PACKAGE_DIR.parent
STAND_INS = PACKAGE_DIR / "stand_ins"
SCHEMA = PACKAGE_DIR / "assignment.schema.json"
DEFINITION, CASES_FILE, MISTAKES_FILE = "assignment.json", "cases.py", "mistakes.py"
EXTRA_TESTS_DIR = "tests"  # unittest tests in the platform's idiom (gradescope-utils)
# Never given to students: what only the grader and our tests read.
PRIVATE = frozenset({DEFINITION, CASES_FILE, MISTAKES_FILE, EXTRA_TESTS_DIR})


class AssignmentError(ValueError):
    """An assignment folder that does not define a valid assignment."""


def solutions_dir() -> Path:
    return Path(os.environ.get("AUTOGRADER_SOLUTIONS", ROOT / "solutions"))


def assignments_dir() -> Path:
    """Where the generated student files go (a scaffold in a temporary folder: elsewhere)."""
    return Path(os.environ.get("AUTOGRADER_ASSIGNMENTS", ROOT / "assignments"))


@dataclass(frozen=True)
class Part:
    id: str
    title: str
    file: str
    points: float
    timeout: float
    tests: str | None = None  # a file of tests/ that grades this part instead of cases


@dataclass(frozen=True)
class Assignment:
    name: str
    title: str
    files: dict[str, list[str]]  # graded file name -> accepted alternative names
    provided: list[str]  # files we supply next to the student's (never taken from them)
    data: list[str] | None  # paths inside datasets/ that the student bundle ships
    parts: dict[str, Part]
    cases: list[Case]
    extra_tests: list[ExtraTest]  # none in the student bundle, which has no tests/
    package: str | None = None  # the files form this Python package (see the schema)
    package_aliases: tuple[str, ...] = ()  # other names it is imported by
    shared: tuple[str, ...] = ()  # graded files whose reference the other parts run over
    stand_ins: tuple[str, ...] = ()  # folders of autograder/stand_ins/ on the student's path

    @property
    def solution_dir(self) -> Path:
        return solutions_dir() / self.name

    @property
    def student_dir(self) -> Path:
        return assignments_dir() / self.name

    @property
    def total_points(self) -> float:
        return sum(p.points for p in self.parts.values())

    def cases_of(self, part_id: str) -> list[Case]:
        return [c for c in self.cases if c.part == part_id]

    def tests_of(self, part_id: str) -> list[ExtraTest]:
        return [t for t in self.extra_tests if t.part == part_id]

    @property
    def mistakes(self) -> list[Mistake]:
        return _catalogue(self.name)[0]

    @property
    def alternatives(self) -> list[Alternative]:
        return _catalogue(self.name)[1]


def available() -> list[str]:
    """Every assignment: each folder of ``solutions/`` with an ``assignment.json``."""
    return sorted(p.parent.name for p in solutions_dir().glob(f"*/{DEFINITION}"))


@functools.cache
def cases_module(name: str) -> ModuleType:
    """``solutions/<name>/cases.py``, imported once."""
    return import_file(solutions_dir() / name / CASES_FILE, f"_cases_{name}")


@functools.cache
def _catalogue(name: str) -> tuple[list[Mistake], list[Alternative]]:
    path = solutions_dir() / name / MISTAKES_FILE
    if not path.exists():  # the student bundle has none
        return [], []
    module = import_file(path, f"_mistakes_{name}")
    return list(getattr(module, "MISTAKES", [])), list(getattr(module, "ALTERNATIVES", []))


def read_definition(name: str) -> dict:
    """``assignment.json`` of ``name``, checked against the schema."""
    path = solutions_dir() / name / DEFINITION
    try:
        definition = json.loads(path.read_text())
    except (OSError, ValueError) as exc:
        raise AssignmentError(f"{path}: {exc}") from None
    check_definition(definition, path)
    return definition


def check_definition(definition: dict, where: Path) -> None:
    """Raise :class:`AssignmentError` unless ``definition`` fits the schema."""
    try:
        jsonschema.validate(definition, json.loads(SCHEMA.read_text()))
    except jsonschema.ValidationError as exc:
        raise AssignmentError(f"{where}: {exc.message}") from None


@functools.cache
def load_assignment(name: str) -> Assignment:
    if name not in available():
        raise AssignmentError(f"unknown assignment {name!r}; available: {', '.join(available())}")
    definition = read_definition(name)
    default_timeout = float(definition.get("timeout", 60))
    parts = {p["id"]: Part(p["id"], p["title"], p["file"], float(p["points"]),
                           float(p.get("timeout", default_timeout)), p.get("tests"))
             for p in definition["parts"]}
    cases = cases_module(name).CASES
    tests, found = _extra_tests(name, definition, parts)
    found += _problems(definition, parts, cases)
    if found:
        raise AssignmentError(f"{name}: " + "; ".join(found))
    package = definition.get("package", {})
    return Assignment(name, definition["title"], definition["files"],
                      definition.get("provided", []), definition.get("data"), parts, cases, tests,
                      package.get("name"), tuple(package.get("aliases", [])),
                      tuple(definition.get("shared", [])), tuple(definition.get("stand_ins", [])))


def _extra_tests(name: str, definition: dict,
                 parts: dict[str, Part]) -> tuple[list[ExtraTest], list[str]]:
    """The tests of every part graded by a test file, and what is wrong with them. The
    student bundle has neither tests/ nor the reference: there a missing file is no error."""
    from autograder import extra_tests

    folder = solutions_dir() / name
    stems = [Path(f).stem for f in (*definition.get("provided", []), *definition["files"])]
    tests, found = [], []
    for part in (p for p in parts.values() if p.tests):
        path = folder / EXTRA_TESTS_DIR / part.tests
        if not path.is_file():
            if (folder / part.file).is_file():
                found.append(f"part {part.id}'s tests {EXTRA_TESTS_DIR}/{part.tests} do not exist")
            continue
        try:
            own = extra_tests.collect(path, f"_tests_{name}_{path.stem}", part.id, stems)
        except extra_tests.ExtraTestError as exc:
            raise AssignmentError(f"{name}: {exc}") from None
        found += extra_tests.problems(own, part.points, f"{EXTRA_TESTS_DIR}/{part.tests}")
        tests += own
    return tests, found


def _problems(definition: dict, parts: dict[str, Part], cases: list[Case]) -> list[str]:
    problems = []
    if "total" in definition and abs(sum(p.points for p in parts.values()) - definition["total"]) > 1e-9:
        problems.append(f"the parts' points add up to {sum(p.points for p in parts.values()):g}, "
                        f"not the total {definition['total']:g}")
    if len(parts) != len(definition["parts"]):
        problems.append("two parts have the same id")
    for part in parts.values():
        if part.file not in definition["files"]:
            problems.append(f"part {part.id}'s file {part.file} is not a graded file")
        has_cases = any(c.part == part.id for c in cases)
        if part.tests and has_cases:
            problems.append(f"part {part.id} has both test cases and extra tests ({part.tests})")
        elif not part.tests and not has_cases:
            problems.append(f"part {part.id} has no test case")
    for file in definition.get("shared", []):
        if file not in definition["files"]:
            problems.append(f"shared file {file} is not a graded file")
    for name in definition.get("stand_ins", []):
        if not (STAND_INS / name).is_dir():
            problems.append(f"there is no stand-in {name!r} in autograder/stand_ins/")
    package = definition.get("package", {}).get("name")
    for file in (*definition["files"], *definition.get("provided", [])):
        if package and not file.startswith(f"{package}/"):
            problems.append(f"{file} is not in the package folder {package}/")
    unknown = sorted({c.part for c in cases} - set(parts))
    if unknown:
        problems.append(f"cases for parts that are not defined: {unknown}")
    ids = [c.id for c in cases]
    twice = sorted({i for i in ids if ids.count(i) > 1})
    if twice:
        problems.append(f"case ids (part and label) used twice: {twice}")
    return problems


def write_submission(assignment: Assignment, changes: Iterable[Change], dest: Path) -> Path:
    """Write the reference's files, with ``changes`` made, into ``dest``: a submission as a
    student with those mistakes (or alternatives) would hand it in."""
    shutil.copytree(assignment.solution_dir, dest, dirs_exist_ok=True,
                    ignore=shutil.ignore_patterns(*PRIVATE, "__pycache__"))
    for change in changes:
        path = dest / change.file
        path.write_text(change.apply(path.read_text()))
    return dest
