"""Student submissions made from the reference: with mistakes, alternatives or other changes.

The changes themselves (:class:`~autograder.variants.Mistake`, ``Alternative``) live with each
assignment, in ``solutions/<name>/mistakes.py``; ``change`` makes a one-off one for a test.
"""

from __future__ import annotations

import ast
from pathlib import Path
from typing import Iterable

from autograder.assignment import load_assignment, write_submission
from autograder.variants import (Alternative, Change, Mistake, find_definition,
                                 without_markers)

ROOT = Path(__file__).resolve().parents[1]


def change(part: str, file: str, function: str, source: str, name: str = "test") -> Alternative:
    """A one-off replacement of ``function`` in ``file`` by ``source`` (say, an attack)."""
    return Alternative(name, part=part, file=file, function=function, source=source)


def replace_function(text: str, qualname: str, source: str) -> str:
    """``text`` (a file) with the definition of ``qualname`` replaced by ``source``."""
    return change("", "", qualname, source).apply(text)


def mistake(assignment: str, name: str) -> Mistake:
    return next(m for m in load_assignment(assignment).mistakes if m.name == name)


def alternative(assignment: str, name: str) -> Alternative:
    return next(a for a in load_assignment(assignment).alternatives if a.name == name)


def materialize(changes: Iterable[Change], assignment: str, dest: Path) -> Path:
    """Write the reference's graded and provided files, with ``changes`` made, into ``dest``."""
    return write_submission(load_assignment(assignment), changes, dest)


def sleeping(assignment: str, dest: Path) -> Path:
    """The stubs of ``assignment`` with every unwritten function sleeping for ever instead."""
    dest.mkdir(parents=True, exist_ok=True)
    for file in load_assignment(assignment).files:
        source = (ROOT / "assignments" / assignment / file).read_text()
        (dest / file).write_text(source.replace("raise NotImplementedError",
                                                "__import__('time').sleep(10**6)"))
    return dest


def changed_definition(assignment: str, c: Change) -> str:
    """The source of ``c.function`` after the change, as a student would write it."""
    text = without_markers(c.apply((ROOT / "solutions" / assignment / c.file).read_text()))
    return ast.get_source_segment(text, find_definition(ast.parse(text), c.function))
