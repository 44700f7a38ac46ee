"""Student submissions made from the reference by swapping one function for another version.

A :class:`Variant` names a graded file, a function in it (``MADE.inverse`` or
``loss_nonsaturating_d``) and the source of its replacement. A *mutant* is a realistic
mistake: it must lose points on its part, only there, and the feedback must contain
``expect``. An *alternative* is a correct implementation written differently: full marks.
"""

from __future__ import annotations

import ast
import shutil
import textwrap
from dataclasses import dataclass
from pathlib import Path

from autograder.assignment import load_assignment

ROOT = Path(__file__).resolve().parents[1]


@dataclass(frozen=True)
class Variant:
    name: str
    part: str
    file: str
    function: str  # qualified name in ``file``
    source: str  # the replacement definition, at any indentation
    expect: str = ""  # mutants: a phrase the failing part's feedback must contain (any case)
    example: bool = False  # also one of the bundled examples that `make grade` grades


def _find(tree: ast.AST, qualname: str) -> ast.FunctionDef:
    *owners, name = qualname.split(".")
    body = tree.body
    for owner in owners:
        body = next(n for n in body if isinstance(n, ast.ClassDef) and n.name == owner).body
    return next(n for n in body if isinstance(n, ast.FunctionDef) and n.name == name)


def replace_function(source: str, qualname: str, replacement: str) -> str:
    """``source`` with the definition of ``qualname`` replaced by ``replacement``."""
    node = _find(ast.parse(source), qualname)
    lines = source.splitlines(keepends=True)
    start = min([node.lineno, *(d.lineno for d in node.decorator_list)]) - 1
    indent = " " * node.col_offset
    new = textwrap.indent(textwrap.dedent(replacement).strip("\n") + "\n", indent)
    return "".join(lines[:start]) + new + "".join(lines[node.end_lineno:])


def reference_source(assignment: str, file: str, qualname: str) -> str:
    """The reference's definition of ``qualname``, without its solution markers."""
    source = (ROOT / "solutions" / assignment / file).read_text()
    text = ast.get_source_segment(source, _find(ast.parse(source), qualname), padded=True)
    return "".join(line for line in text.splitlines(keepends=True)
                   if line.strip() not in ("# BEGIN SOLUTION", "# END SOLUTION"))


def edited(source: str, *changes: tuple[str, str]) -> str:
    """``source`` with each ``(old, new)`` applied; ``old`` must occur exactly once."""
    for old, new in changes:
        if source.count(old) != 1:
            raise ValueError(f"{old!r} occurs {source.count(old)} times, not once")
        source = source.replace(old, new)
    return source


def materialize(variants: list[Variant] | tuple[Variant, ...], assignment: str,
                dest: Path) -> Path:
    """Write the reference's graded files, with ``variants`` applied, into ``dest``."""
    shutil.copytree(ROOT / "solutions" / assignment, dest, dirs_exist_ok=True,
                    ignore=shutil.ignore_patterns("mistakes.py", "__pycache__"))
    for v in variants:
        path = dest / v.file
        path.write_text(replace_function(path.read_text(), v.function, v.source))
    return dest


def sleeping(assignment: str, dest: Path) -> Path:
    """The stubs of ``assignment`` with every unwritten function sleeping for ever instead."""
    dest.mkdir(parents=True, exist_ok=True)
    for file in load_assignment(assignment).files:
        source = (ROOT / "assignments" / assignment / file).read_text()
        (dest / file).write_text(source.replace("raise NotImplementedError",
                                                "__import__('time').sleep(10**6)"))
    return dest
