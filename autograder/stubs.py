"""Generate the student files from the reference: one source of truth, in the style of otter assign.

In ``solutions/<assignment>/``, the code a student writes sits between a line
``# BEGIN SOLUTION`` and a line ``# END SOLUTION``. The student's copy in
``assignments/<assignment>/`` has each such block replaced by ``raise NotImplementedError``
at the same indentation; every other line is kept as it is. In a notebook (``.ipynb``), a
code cell tagged ``solution`` becomes a stub cell as a whole, and a cell holding the markers
has each block replaced; outputs are cleared. What only the grader reads (``assignment.json``,
``cases.py``, ``mistakes.py``, ``tests/``) and files listed as ``private`` are not copied.
"""

from __future__ import annotations


import nbformat

from autograder.assignment import PRIVATE, assignments_dir, read_definition, solutions_dir
from autograder.markers import BEGIN, END

STUB_CELL = "# YOUR CODE HERE\nraise NotImplementedError"
# never copied from solutions/, and left alone in assignments/ (caches, notebook output)
ALWAYS_PRIVATE = {"__pycache__", ".ipynb_checkpoints", "figures"}


class StubError(ValueError):
    """Unbalanced solution markers."""


def strip_solutions(source: str, where: str) -> str:
    """``source`` with every solution block replaced by a stub."""
    out, inside = [], False
    for lineno, line in enumerate(source.splitlines(keepends=True), start=1):
        marker = line.strip()
        if marker == BEGIN:
            if inside:
                raise StubError(f"{where}:{lineno}: BEGIN SOLUTION inside another solution block")
            inside = True
            indent = line[: len(line) - len(line.lstrip())]
            out.append(f"{indent}# YOUR CODE HERE\n{indent}raise NotImplementedError\n")
        elif marker == END:
            if not inside:
                raise StubError(f"{where}:{lineno}: END SOLUTION without BEGIN SOLUTION")
            inside = False
        elif not inside:
            out.append(line)
    if inside:
        raise StubError(f"{where}: a solution block is never closed")
    return "".join(out)


def strip_notebook(source: str, where: str) -> str:
    """``source``, a notebook, with outputs cleared and every solution cell stubbed.

    Stub cells are tagged ``raises-exception``, so that running the whole notebook goes on
    past them (in Jupyter and in CI): no later cell may depend on one.
    """
    notebook = nbformat.reads(source, as_version=4)
    for number, cell in enumerate(notebook.cells, start=1):
        if cell.cell_type != "code":
            continue
        cell.outputs, cell.execution_count = [], None
        tags = cell.metadata.get("tags", [])
        if "solution" in tags:
            cell.source = STUB_CELL
        elif BEGIN in cell.source:
            cell.source = strip_solutions(cell.source, f"{where}, cell {number}").rstrip("\n")
        else:
            continue
        cell.metadata.tags = [t for t in tags if t != "solution"] + ["raises-exception"]
    return nbformat.writes(notebook) + "\n"


STRIPPERS = {".py": strip_solutions, ".ipynb": strip_notebook}


def generated_files(name: str) -> dict[str, str]:
    """Relative path -> content of every student file of assignment ``name``."""
    private = set(read_definition(name).get("private", [])) | ALWAYS_PRIVATE | PRIVATE
    source_dir = solutions_dir() / name
    files = {}
    for path in sorted(source_dir.rglob("*")):
        rel = path.relative_to(source_dir)
        if path.is_dir() or private & {rel.as_posix(), *rel.parts}:
            continue
        text = path.read_text(encoding="utf-8")
        strip = STRIPPERS.get(path.suffix)
        files[rel.as_posix()] = strip(text, str(path)) if strip else text
    return files


def write_stubs(name: str) -> list[str]:
    """Regenerate ``assignments/<name>/``; returns the files written."""
    target = assignments_dir() / name
    files = generated_files(name)
    for path in sorted(target.rglob("*"), reverse=True) if target.exists() else []:
        rel = path.relative_to(target).as_posix()
        if ALWAYS_PRIVATE & set(path.relative_to(target).parts):
            continue
        if path.is_file() and rel not in files:
            path.unlink()
        elif path.is_dir() and not any(path.iterdir()):
            path.rmdir()
    for rel, text in files.items():
        (target / rel).parent.mkdir(parents=True, exist_ok=True)
        (target / rel).write_text(text, encoding="utf-8")
    return sorted(files)


def stale_stubs(name: str) -> list[str]:
    """Files of ``assignments/<name>/`` that differ from what ``write_stubs`` would write."""
    target = assignments_dir() / name
    files = generated_files(name)
    on_disk = {p.relative_to(target).as_posix() for p in target.rglob("*")
               if p.is_file() and not ALWAYS_PRIVATE & set(p.relative_to(target).parts)
               } if target.exists() else set()
    stale = [rel for rel, text in files.items()
             if rel not in on_disk or (target / rel).read_text(encoding="utf-8") != text]
    return sorted(stale + [f"{rel} (not generated)" for rel in on_disk - set(files)])
