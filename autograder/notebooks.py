"""Graded files written in a notebook: a student may submit an ``.ipynb`` instead of ``.py`` files.

Convention (the course's usual pattern): each graded file is one code cell that starts with
``%%writefile <file>`` (the rest of the cell is the file, exactly what running the cell
writes), or a code cell tagged ``graded:<file>`` (the whole cell is the file). Every other
cell (training, plots, answers) is ignored, and nothing in the notebook is executed. When
several cells write the same file, the notebook's order decides, as when it runs:
``%%writefile`` replaces the file, ``%%writefile -a`` appends to it.
"""

from __future__ import annotations

import json
import shlex
from pathlib import PurePosixPath
from typing import NamedTuple

CONVENTION = ("put each graded file in one code cell that starts with `%%writefile <file>` "
              "(for example `%%writefile gan.py`), or tag that cell `graded:<file>`")
TAG_PREFIX = "graded:"


class NotebookError(ValueError):
    """A file that cannot be read as a Jupyter notebook."""


class GradedCell(NamedTuple):
    number: int  # 1-based position of the cell in the notebook (markdown cells count)
    source: bytes  # the file's content


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


def extract_files(notebook: bytes) -> dict[str, GradedCell]:
    """File name -> the cell that provides it, for every graded-file cell of ``notebook``.

    Raises NotebookError, with a readable reason, when ``notebook`` is not a notebook.
    """
    files: dict[str, GradedCell] = {}
    for number, cell in enumerate(_cells(notebook), start=1):
        try:
            if cell.get("cell_type") != "code":
                continue
            source = cell.get("source", "")
            source = source if isinstance(source, str) else "".join(source)
            tags = cell.get("metadata", {}).get("tags", [])
        except (AttributeError, TypeError):
            raise NotebookError(f"cell {number} is malformed") from None
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


def pick(name: str, aliases: list[str], notebooks: dict[str, bytes | None],
         notes: list[str]) -> tuple[str | None, bytes | None]:
    """Where (``cell 3 of hw.ipynb``) and the content of graded file ``name`` (or one of its
    ``aliases``) in the submitted ``notebooks`` (path -> bytes, None when too large to read),
    or (None, None) with a note that says why. The shallowest notebook wins."""
    cells: dict[str, dict[str, GradedCell]] = {}
    for path in sorted(notebooks, key=lambda p: (p.count("/"), p)):
        try:
            if notebooks[path] is None:
                raise NotebookError("too large to read (clear its outputs)")
            cells[path] = extract_files(notebooks[path])
        except NotebookError as exc:
            note = f"{path} was not used: {exc}"
            if note not in notes:
                notes.append(note)
    for wanted in (name, *aliases):
        for path, files in cells.items():
            if wanted in files:
                where = f"cell {files[wanted].number} of {path}"
                if wanted != name:
                    notes.append(f"Graded {wanted} from {where} as {name} "
                                 "(its name in the original course)")
                return where, files[wanted].source
    if notebooks:
        notes.append(f"No cell of {', '.join(sorted(notebooks))} provides {name}: to submit "
                     f"a notebook, {CONVENTION}")
    return None, None
