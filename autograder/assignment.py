"""An assignment: its manifest (files, parts, points), its test cases and where its code lives.

Each assignment is a folder ``autograder/assignments/<name>/`` with ``manifest.json``
(what an instructor edits: titles, points, timeouts) and ``cases.py`` (a list ``CASES``).
The reference lives in ``solutions/<name>/``, the generated student files in
``assignments/<name>/``.
"""

from __future__ import annotations

import functools
import importlib
import json
import os
from dataclasses import dataclass
from pathlib import Path

from autograder.case import Case

PACKAGE_DIR = Path(__file__).resolve().parent
ROOT = PACKAGE_DIR.parent


@dataclass(frozen=True)
class Part:
    id: str
    title: str
    file: str
    points: float
    timeout: float


@dataclass(frozen=True)
class Assignment:
    name: str
    title: str
    files: dict[str, list[str]]  # graded file name -> accepted alternative names
    provided: list[str]  # files we supply next to the student's (never taken from them)
    parts: dict[str, Part]
    cases: list[Case]

    @property
    def solution_dir(self) -> Path:
        return Path(os.environ.get("AUTOGRADER_SOLUTIONS", ROOT / "solutions")) / self.name

    @property
    def student_dir(self) -> Path:
        return ROOT / "assignments" / self.name

    def cases_of(self, part_id: str) -> list[tuple[int, Case]]:
        return [(i, c) for i, c in enumerate(self.cases) if c.part == part_id]


def available() -> list[str]:
    return sorted(p.parent.name for p in (PACKAGE_DIR / "assignments").glob("*/manifest.json"))


@functools.cache
def load_assignment(name: str) -> Assignment:
    if name not in available():
        raise ValueError(f"unknown assignment {name!r}; available: {', '.join(available())}")
    manifest = json.loads((PACKAGE_DIR / "assignments" / name / "manifest.json").read_text())
    cases = importlib.import_module(f"autograder.assignments.{name}.cases").CASES
    parts = {p["id"]: Part(p["id"], p["title"], p["file"], float(p["points"]),
                           float(p.get("timeout", manifest.get("timeout", 60))))
             for p in manifest["parts"]}
    unknown = {c.part for c in cases} - set(parts)
    if unknown:
        raise ValueError(f"{name}: cases for parts missing from the manifest: {sorted(unknown)}")
    return Assignment(name, manifest["title"], manifest["files"], manifest.get("provided", []),
                      parts, cases)
