"""Scaffold an assignment and its parts: ``python -m autograder new`` and ``new-part``.

A part is a reference function with a solution block in a graded file, a probe and two cases
(one visible, one hidden) in ``cases.py``, a mistake in ``mistakes.py`` and an entry in
``assignment.json``: everything in ``solutions/<name>/``. The generated example computes the
squared norm of each row of a batch; it passes the generic tests as it is, and shows the
idioms an instructor keeps (inputs drawn from the case's generator, a leaf whose gradient is
compared, a visible and a hidden case, a mistake as an edit of the reference).
"""

from __future__ import annotations

import ast
import json
import keyword
import math
import re
from dataclasses import dataclass
from importlib.util import find_spec
from pathlib import Path

from autograder.assignment import (CASES_FILE, DEFINITION, MISTAKES_FILE, check_definition,
                                   load_assignment, read_definition, solutions_dir)

NAME = re.compile(r"[A-Za-z][A-Za-z0-9_]*")


class AuthoringError(ValueError):
    """A scaffold that cannot be written as asked; nothing was written."""


@dataclass(frozen=True)
class NewPart:
    """A part to scaffold; the probe, its helpers and the mistake are named after ``function``."""

    part_id: str
    file: str
    function: str
    title: str
    points: float = 1

    @property
    def module(self) -> str:
        return Path(self.file).stem

    @property
    def probe(self) -> str:
        return self.function.upper()

    @property
    def mistake(self) -> str:
        return f"{self.function}: mean instead of sum"

    def definition_entry(self) -> dict:
        return {"id": self.part_id, "title": self.title, "file": self.file,
                "points": self.points}


FIRST_PART = NewPart("1", "functions.py", "squared_norm", "squared_norm")
# What the generated blocks use, which the file they go into must define or import.
NEEDS = {CASES_FILE: {"torch", "Call", "Case", "Probe", "CASES"},
         MISTAKES_FILE: {"Mistake", "MISTAKES"}}


def _python_name(text: str, what: str) -> None:
    if not text.isidentifier() or keyword.iskeyword(text):
        raise AuthoringError(f"{what} {text!r} is not a Python name")


def _one_line(text: str, what: str) -> None:
    if not text.strip() or "\n" in text:
        raise AuthoringError(f"{what} must be one non-empty line")


def _top_level_names(source: str, where: str) -> set[str]:
    """Names that ``source`` defines, assigns or imports at its top level."""
    try:
        tree = ast.parse(source)
    except SyntaxError as exc:
        raise AuthoringError(f"{where} does not parse (line {exc.lineno}: {exc.msg})") from None
    names = set()
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.add(node.name)
        elif isinstance(node, (ast.Assign, ast.AnnAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            names |= {t.id for t in targets if isinstance(t, ast.Name)}
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            names |= {(a.asname or a.name).split(".")[0] for a in node.names}
    return names


# ---- the generated text --------------------------------------------------------------------

def _literal(text: str) -> str:
    """A Python string literal of ``text``, in double quotes as the course's files write them."""
    return json.dumps(text, ensure_ascii=False)


def _reference_block(part: NewPart) -> str:
    return f'''def {part.function}(x):
    """
    {part.part_id} {part.title}: the squared Euclidean norm of each row (an example: replace it).

    :param x: (FloatTensor) - shape: (batch_size, dim)
    :return: (FloatTensor) - shape: (batch_size,)
    """
    # BEGIN SOLUTION
    return (x ** 2).sum(dim=1)
    # END SOLUTION
'''


def _cases_block(part: NewPart) -> str:
    f, p = part.function, part.part_id
    return f'''# ---- {p}: {part.title}

def _{f}_inputs(ref, gen, *, B, D):
    """Draw every random number from ``gen``: the case's seed decides the inputs."""
    return {{"x": torch.randn(B, D, generator=gen)}}


def _{f}_call(m, inp):
    """``x`` is a leaf: the gradient of the output with respect to it is compared too."""
    x = inp["x"].requires_grad_()
    return Call({{"{f}": m.{part.module}.{f}(x)}}, wrt={{"x": x}})


{part.probe} = Probe(_{f}_inputs, _{f}_call)
CASES += [
    Case({_literal(p)}, "batch 4, dim 3", {part.probe}, dict(B=4, D=3)),
    Case({_literal(p)}, "batch 7, dim 5", {part.probe}, dict(B=7, D=5), visible=False),
]
'''


def _mistakes_block(part: NewPart) -> str:
    return f'''# ---- {part.part_id}: {part.title}
MISTAKES += [
    Mistake({_literal(part.mistake)}, part={_literal(part.part_id)},
            file={_literal(part.file)}, function={_literal(part.function)},
            edits=[(".sum(dim=1)", ".mean(dim=1)")],
            message="The squares are averaged over the dimensions: sum them over each row."),
]
'''


def _module_doc(title: str, part: NewPart) -> str:
    return f'"""{title}: {part.module}."""\n'


def _cases_header(name: str, title: str) -> str:
    return f'''"""Test cases of ``{name}``: {title}.

Each part has a ``Probe`` (seeded inputs, and how to call the student's function on them) and
``Case`` s (the probe with parameters, visible or hidden); see autograder/case.py. This file
ships to students with the self-check: no solution code in it.
"""

from __future__ import annotations

import torch

from autograder.case import Call, Case, Probe

CASES: list[Case] = []
'''


def _mistakes_header(name: str) -> str:
    return f'''"""Common mistakes in ``{name}``, and correct implementations in other styles.

Never given to students. A ``Mistake`` is an edit of one reference function (``edits`` or a
whole ``source``) with the sentence the feedback gives when a student's answer matches it; an
``Alternative`` is a correct implementation that must get full marks. See autograder/variants.py.
"""

from autograder.variants import Alternative, Mistake

MISTAKES: list[Mistake] = []
ALTERNATIVES: list[Alternative] = []
'''


def format_definition(definition: dict) -> str:
    """``assignment.json`` as the course writes it: one key per line, one part per line."""
    def dump(value: object) -> str:
        return json.dumps(value, ensure_ascii=False)

    lines = []
    for key, value in definition.items():
        text = dump(value)
        if key == "parts":
            text = "[\n" + ",\n".join(f"    {dump(p)}" for p in value) + "\n  ]"
        lines.append(f"  {dump(key)}: {text}")
    return "{\n" + ",\n".join(lines) + "\n}\n"


def _appended(text: str, block: str) -> str:
    return text.rstrip("\n") + "\n\n\n" + block


# ---- the commands --------------------------------------------------------------------------

def _check_part(part: NewPart, definition: dict, folder: Path) -> None:
    """Refuse what would not load, shadow a module, or overwrite a definition."""
    _python_name(part.function, "function")
    _one_line(part.title, "the title")
    package = definition.get("package", {}).get("name")
    in_package = bool(package) and part.file.startswith(f"{package}/")
    if not part.file.endswith(".py") or ("/" in part.file and not in_package):
        where = f"in the package folder {package}/" if package else "in the folder's top"
        raise AuthoringError(f"{part.file!r}: a part's file is a .py file {where}")
    _python_name(part.module, "the file's module name")
    if part.file in definition.get("provided", []):
        raise AuthoringError(f"{part.file} is a provided file, not a graded one")
    if not in_package and part.file not in definition["files"] and find_spec(part.module) is not None:
        raise AuthoringError(f"{part.file} would shadow the installed module {part.module!r}")
    if any(p["id"] == part.part_id for p in definition["parts"]):
        raise AuthoringError(f"part {part.part_id} exists already")
    path = folder / part.file
    if path.exists() and part.function in _top_level_names(path.read_text(), str(path)):
        raise AuthoringError(f"{part.file} already defines {part.function}")
    if not 0 < part.points < math.inf:
        raise AuthoringError(f"points must be a positive number, not {part.points}")


def _texts(part: NewPart, definition: dict, texts: dict[str, str], folder: Path) -> dict[str, str]:
    """``texts`` (file name -> current content) with ``part`` added; checked, not written."""
    names = {file: _top_level_names(texts[file], str(folder / file)) for file in NEEDS}
    for file, needed in NEEDS.items():
        if needed - names[file]:
            raise AuthoringError(f"{file} does not define or import "
                                 f"{', '.join(sorted(needed - names[file]))}")
    taken = sorted(names[CASES_FILE] & {f"_{part.function}_inputs", f"_{part.function}_call",
                                        part.probe})
    if taken:
        raise AuthoringError(f"{CASES_FILE} already defines {', '.join(taken)}")
    definition = {**definition, "files": {**definition["files"]},
                  "parts": [*definition["parts"], part.definition_entry()]}
    definition["files"].setdefault(part.file, [])
    check_definition(definition, folder / DEFINITION)
    new = {DEFINITION: format_definition(definition),
           part.file: _appended(texts[part.file], _reference_block(part)),
           CASES_FILE: _appended(texts[CASES_FILE], _cases_block(part)),
           MISTAKES_FILE: _appended(texts[MISTAKES_FILE], _mistakes_block(part))}
    for file in (part.file, CASES_FILE, MISTAKES_FILE):
        _top_level_names(new[file], f"the generated {file}")
    return new


def _write(folder: Path, texts: dict[str, str]) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    for file, text in texts.items():
        (folder / file).write_text(text, encoding="utf-8")
    return [folder / file for file in texts]


def new_assignment(name: str, title: str | None = None) -> list[Path]:
    """Create ``solutions/<name>/`` with one example part; returns the files written."""
    if not NAME.fullmatch(name):
        raise AuthoringError(f"{name!r}: an assignment's name is letters, digits and _")
    folder = solutions_dir() / name
    if folder.exists():
        raise AuthoringError(f"{folder} exists already")
    title = title or name
    _one_line(title, "the title")
    definition = {"title": title, "files": {}, "timeout": 60, "parts": []}
    _check_part(FIRST_PART, definition, folder)
    texts = {FIRST_PART.file: _module_doc(title, FIRST_PART),
             CASES_FILE: _cases_header(name, title), MISTAKES_FILE: _mistakes_header(name)}
    return _write(folder, _texts(FIRST_PART, definition, texts, folder))


def new_part(name: str, part: NewPart) -> list[Path]:
    """Add ``part`` to assignment ``name``; returns the files written."""
    assignment = load_assignment(name)  # refuses a folder that does not load
    folder = assignment.solution_dir
    definition = read_definition(name)
    _check_part(part, definition, folder)
    if part.mistake in {c.name for c in assignment.mistakes + assignment.alternatives}:
        raise AuthoringError(f"a mistake named {part.mistake!r} exists already")
    current = {file: (folder / file).read_text(encoding="utf-8")
               for file in (part.file, CASES_FILE, MISTAKES_FILE) if (folder / file).exists()}
    texts = {part.file: _module_doc(assignment.title, part), MISTAKES_FILE: _mistakes_header(name),
             **current}
    return _write(folder, _texts(part, definition, texts, folder))
