"""Generate the student files from the reference: one source of truth, in the style of otter assign.

In ``solutions/<assignment>/``, the code a student writes sits between a line
``# BEGIN SOLUTION`` and a line ``# END SOLUTION``. The student's copy in
``assignments/<assignment>/`` has each such block replaced by ``raise NotImplementedError``
at the same indentation; every other line is kept as it is. Files listed as ``private`` in
the manifest (the mistake catalogue) are not copied.
"""

from __future__ import annotations

import json
from pathlib import Path

from autograder.assignment import PACKAGE_DIR, ROOT

BEGIN, END = "# BEGIN SOLUTION", "# END SOLUTION"
ALWAYS_PRIVATE = {"__pycache__"}


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


def generated_files(name: str) -> dict[str, str]:
    """Relative path -> content of every student file of assignment ``name``."""
    manifest = json.loads((PACKAGE_DIR / "assignments" / name / "manifest.json").read_text())
    private = set(manifest.get("private", [])) | ALWAYS_PRIVATE
    source_dir = ROOT / "solutions" / name
    files = {}
    for path in sorted(source_dir.rglob("*")):
        rel = path.relative_to(source_dir)
        if path.is_dir() or private & {rel.as_posix(), *rel.parts}:
            continue
        text = path.read_text(encoding="utf-8")
        files[rel.as_posix()] = strip_solutions(text, str(path)) if path.suffix == ".py" else text
    return files


def write_stubs(name: str) -> list[str]:
    """Regenerate ``assignments/<name>/``; returns the files written."""
    target = ROOT / "assignments" / name
    files = generated_files(name)
    for path in sorted(target.rglob("*"), reverse=True) if target.exists() else []:
        rel = path.relative_to(target).as_posix()
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
    target = ROOT / "assignments" / name
    files = generated_files(name)
    on_disk = {p.relative_to(target).as_posix() for p in target.rglob("*")
               if p.is_file() and "__pycache__" not in p.parts} if target.exists() else set()
    stale = [rel for rel, text in files.items()
             if rel not in on_disk or (target / rel).read_text(encoding="utf-8") != text]
    return sorted(stale + [f"{rel} (not generated)" for rel in on_disk - set(files)])
