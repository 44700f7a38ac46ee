"""Graded files written in a notebook: a student may submit an ``.ipynb`` instead of ``.py`` files.

Convention (the course's usual pattern): each graded file is one code cell that starts with
``%%writefile <file>`` (the rest of the cell is the file, exactly what running the cell
writes), or a code cell tagged ``graded:<file>`` (the whole cell is the file). When several
cells write the same file, the notebook's order decides, as when it runs: ``%%writefile``
replaces the file, ``%%writefile -a`` appends to it. A file no such cell provides is built
from the functions the notebook's plain code cells define (``autograder/definitions.py``).
Nothing in the notebook is executed.
"""

from __future__ import annotations

import json
import shlex
from pathlib import PurePosixPath
from typing import NamedTuple

from autograder import definitions

CONVENTION = ("put the whole file in one code cell that starts with `%%writefile <file>` "
              "(for example `%%writefile gan.py`), or tag that cell `graded:<file>`")
TAG_PREFIX = "graded:"


class NotebookError(ValueError):
    """A file that cannot be read as a Jupyter notebook."""


class GradedCell(NamedTuple):
    number: int  # 1-based position of the cell in the notebook (markdown cells count)
    source: bytes  # the file's content


class CodeCell(NamedTuple):
    number: int  # as in GradedCell
    source: str
    tags: list


def _cells(notebook: bytes) -> list:
    """The cells of ``notebook``, in Jupyter's format 4 (every Jupyter and Colab since 2015).

    Read as plain JSON: the grading environment holds no Jupyter packages.
    """
    try:
        content = json.loads(notebook.decode("utf-8-sig"))
    except UnicodeDecodeError as exc:
        raise NotebookError(f"not UTF-8 text ({exc.reason} at byte {exc.start})") from None
    except (ValueError, RecursionError) as exc:
        raise NotebookError(f"not a Jupyter notebook: invalid JSON ({exc})") from None
    if not isinstance(content, dict) or not isinstance(content.get("cells"), list):
        version = content.get("nbformat") if isinstance(content, dict) else None
        raise NotebookError("not a Jupyter notebook of format 4 (this one: "
                            f"{version or 'no format'}); save it again with a recent Jupyter")
    return content["cells"]


def _file_name(path: str) -> str:
    return PurePosixPath(path.replace("\\", "/")).name


def _writefile(first_line: str) -> tuple[str, bool] | None:
    """(file name, append) of a ``%%writefile [-a] <path>`` line; None for any other line."""
    try:
        words = shlex.split(first_line)
    except ValueError:  # unbalanced quotes
        return None
    if words[:1] != ["%%writefile"]:
        return None
    paths = [w for w in words[1:] if w not in ("-a", "--append")]
    return (_file_name(paths[0]), len(paths) < len(words) - 1) if len(paths) == 1 else None


def _code_cells(notebook: bytes) -> list[CodeCell]:
    """The code cells of ``notebook``; raises NotebookError when it is not a notebook."""
    cells = []
    for number, cell in enumerate(_cells(notebook), start=1):
        try:
            if cell.get("cell_type") != "code":
                continue
            source = cell.get("source", "")
            source = source if isinstance(source, str) else "".join(source)
            tags = cell.get("metadata", {}).get("tags", [])
        except (AttributeError, TypeError):
            raise NotebookError(f"cell {number} is malformed") from None
        cells.append(CodeCell(number, source, tags))
    return cells


def _graded_files(cells: list[CodeCell]) -> dict[str, GradedCell]:
    files: dict[str, GradedCell] = {}
    for number, source, tags in cells:
        first_line, _, body = source.lstrip().partition("\n")
        magic = _writefile(first_line)
        if magic:
            name, append = magic
            previous = files[name].source if append and name in files else b""
            files[name] = GradedCell(number, previous + body.encode(errors="replace"))
            continue
        for tag in tags:
            if isinstance(tag, str) and tag.startswith(TAG_PREFIX) and tag != TAG_PREFIX:
                name = _file_name(tag[len(TAG_PREFIX):])
                files[name] = GradedCell(number, source.encode(errors="replace"))
    return files


def extract_files(notebook: bytes) -> dict[str, GradedCell]:
    """File name -> the cell that provides it, for every graded-file cell of ``notebook``.

    Raises NotebookError, with a readable reason, when ``notebook`` is not a notebook.
    """
    return _graded_files(_code_cells(notebook))


def _plain_cells(path: str, cells: list[CodeCell], stub: str, own_modules: set[str],
                 notes: list[str]) -> tuple[str, bytes] | None:
    """Where and the content of the file built from the functions the plain ``cells`` of
    notebook ``path`` define, with notes on what is missing; None when they define none."""
    built = definitions.build(stub, [(c.number, c.source) for c in cells], own_modules)
    if built.broken:
        note = (f"Skipped the cells of {path} that are not valid Python: "
                + ", ".join(f"cell {cell} (line {line}: {message})"
                            for cell, line, message in built.broken))
        if note not in notes:
            notes.append(note)
    if built.content is None:
        return None
    if built.missing:
        notes.append(f"{path} defines no {', '.join(built.missing)}: graded as not implemented")
    for u in built.untaken:
        notes.append(f"{u.user} uses `{u.name}`, which cell {u.cell} of {path} sets in a "
                     "statement the grader does not take (from plain cells it takes only "
                     f"definitions, imports of other modules and constants): `{u.name}` is "
                     f"undefined when {u.user} runs")
    where = ", ".join(f"{n} (cell {cell})" for n, cell in built.found.items())
    return f"{where} of {path}", built.content.encode()


def pick(name: str, aliases: list[str], notebooks: dict[str, bytes | None], notes: list[str],
         stub: str) -> tuple[str | None, bytes | None]:
    """Where (``cell 3 of hw.ipynb``) and the content of graded file ``name`` (or one of its
    ``aliases``) in the submitted ``notebooks`` (path -> bytes, None when too large to read),
    or (None, None) with a note that says why. ``stub`` is the file as handed out: the
    provided code and the functions the student writes, which plain cells may define.

    A ``%%writefile`` or tagged cell in any notebook wins over plain cells; among notebooks,
    the shallowest wins."""
    code: dict[str, list[CodeCell]] = {}
    for path in sorted(notebooks, key=lambda p: (p.count("/"), p)):
        try:
            if notebooks[path] is None:
                raise NotebookError("too large to read (clear its outputs)")
            code[path] = _code_cells(notebooks[path])
        except NotebookError as exc:
            note = f"{path} was not used: {exc}"
            if note not in notes:
                notes.append(note)
    graded = {path: _graded_files(cells) for path, cells in code.items()}
    for wanted in (PurePosixPath(n).name for n in (name, *aliases)):  # cells name files only
        for path, files in graded.items():
            if wanted in files:
                where = f"cell {files[wanted].number} of {path}"
                if wanted != PurePosixPath(name).name:
                    notes.append(f"Graded {wanted} from {where} as {name} "
                                 "(its name in the original course)")
                return where, files[wanted].source
    own_modules = {PurePosixPath(n).stem for n in (name, *aliases)}
    for path, cells in code.items():
        found = _plain_cells(path, cells, stub, own_modules, notes)
        if found:
            return found
    if notebooks:
        functions = ", ".join(definitions.student_names(stub))
        notes.append(f"No cell of {', '.join(sorted(notebooks))} provides {name}: to submit "
                     f"a notebook, define its functions ({functions}) in code cells, or "
                     f"{CONVENTION}")
    return None, None
