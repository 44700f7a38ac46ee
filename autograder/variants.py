"""Versions of the reference that differ in one function: catalogued mistakes and correct alternatives.

An assignment's ``mistakes.py`` (next to its reference, never given to students) lists
:class:`Mistake` s and :class:`Alternative` s. Each names a graded file, a function in it
(``MADE.inverse``, ``loss_nonsaturating_d``) and how it differs from the reference: ``edits``,
``(old, new)`` replacements inside the reference's definition (each ``old`` must occur exactly
once there, so a variant fails loudly when the reference changes under it), or ``source``, a
whole new definition. The same list drives the feedback (a student's wrong answer that matches
a mistake's gets its ``message`` as "Likely cause") and our tests (every mistake loses points
on its own part only and is named; every alternative gets full marks).
"""

from __future__ import annotations

import ast
import textwrap
from dataclasses import KW_ONLY, dataclass
from types import ModuleType

from autograder.markers import BEGIN, END


class VariantError(ValueError):
    """A variant that no longer applies to the reference (its function or an edit is gone)."""


@dataclass(frozen=True)
class Change:
    name: str  # short, unique within the assignment: test ids, examples, references
    _: KW_ONLY
    part: str
    file: str  # a graded file, e.g. "gan.py"
    function: str  # qualified name in ``file``, e.g. "MADE.inverse"
    edits: tuple[tuple[str, str], ...] = ()
    source: str = ""  # a whole replacement definition, at any indentation

    def __post_init__(self) -> None:
        object.__setattr__(self, "edits", tuple(tuple(e) for e in self.edits))
        if bool(self.edits) == bool(self.source):
            raise VariantError(f"{self.label}: give either edits or source")

    @property
    def label(self) -> str:
        return f"{self.part} {self.name!r} ({self.file}:{self.function})"

    def apply(self, text: str) -> str:
        """The file ``text`` with this change made to the definition of ``function``."""
        node = find_definition(ast.parse(text), self.function, self.label)
        lines = text.splitlines(keepends=True)
        start = min([node.lineno, *(d.lineno for d in node.decorator_list)]) - 1
        old = "".join(lines[start:node.end_lineno])
        if self.source:
            indent = " " * node.col_offset
            new = textwrap.indent(textwrap.dedent(self.source).strip("\n") + "\n", indent)
        else:
            new = old
            for before, after in self.edits:
                if new.count(before) != 1:
                    raise VariantError(f"{self.label}: {before!r} occurs {new.count(before)} "
                                       "times in the reference's definition, not once")
                new = new.replace(before, after)
        return "".join(lines[:start]) + new + "".join(lines[node.end_lineno:])


@dataclass(frozen=True)
class Mistake(Change):
    """A realistic wrong implementation and the sentence that explains it to a student."""

    message: str = ""  # the "Likely cause" sentence
    # A phrase the feedback must contain instead, for mistakes the feedback explains by itself
    # (an error, a wrong type or shape): a "Likely cause" needs an output to match.
    says: str = ""
    example: bool = False  # also one of the bundled examples `make grade` grades

    def __post_init__(self) -> None:
        super().__post_init__()
        if not (self.message or self.says):
            raise VariantError(f"{self.label}: a mistake needs a message or says")


@dataclass(frozen=True)
class Alternative(Change):
    """A correct implementation written in another style: it must get full marks."""


def find_definition(tree: ast.Module, qualname: str, label: str = "") -> ast.AST:
    """The ``def`` (or ``class``) node of ``qualname`` (``Class.method``) at the top of ``tree``."""
    body, node = tree.body, None
    for name in qualname.split("."):
        node = next((n for n in body if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef,
                                                       ast.ClassDef)) and n.name == name), None)
        if node is None:
            raise VariantError(f"{label or qualname}: no definition of {name!r}")
        body = node.body
    return node


def without_markers(text: str) -> str:
    """``text`` without its solution marker lines (what a student's file would look like)."""
    return "".join(line for line in text.splitlines(keepends=True)
                   if line.strip() not in (BEGIN, END))


def module_from_source(name: str, text: str, origin: str) -> ModuleType:
    """A module ``name`` executed from ``text``; not registered in ``sys.modules``."""
    module = ModuleType(name)
    module.__file__ = origin
    exec(compile(text, origin, "exec"), module.__dict__)  # noqa: S102 - our own reference
    return module
