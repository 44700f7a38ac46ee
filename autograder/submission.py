"""Find the graded files in whatever a student handed in, and copy them to a clean folder.

A submission is a folder, a .zip, or single files. Files are found by name at any depth
(the course's ``src/submission/`` layout works), alternative names are accepted, and only
the graded files are copied: anything else a submission ships (a ``torch.py``, a
``conftest.py``, data) never reaches the folder the student's code is imported from.
A graded file missing as a file may come from a submitted notebook
(``autograder/notebooks.py``): from a ``%%writefile`` cell, or built from the file's stub and
the functions the notebook's code cells define.
"""

from __future__ import annotations

import hashlib
import shutil
import zipfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Callable

from autograder import notebooks, stand_ins
from autograder.assignment import Assignment
from autograder.modules import UNDERLAY

MAX_FILE_BYTES = 2 * 2**20  # a graded .py file
MAX_NOTEBOOK_BYTES = 20 * 2**20  # a notebook: its outputs (plots) make it larger
MAX_ZIP_ENTRIES = 10_000
MAX_ZIP_BYTES = 32 * 2**20  # what is read out of one zip, all entries together
SKIPPED_DIRS = {"__MACOSX", ".git", "__pycache__", ".ipynb_checkpoints"}


@dataclass
class Staged:
    folder: Path
    found: dict[str, str] = field(default_factory=dict)  # graded name -> path in the submission
    notes: list[str] = field(default_factory=list)
    digest: str = ""


def _candidates(sources: list[Path], wanted: Callable[[str], bool],
                notes: list[str]) -> dict[str, bytes | Path]:
    """Every file of the submission whose name is ``wanted``: relative path -> bytes or path."""
    found: dict[str, bytes | Path] = {}
    for source in sources:
        if source.is_dir():
            for path in sorted(source.rglob("*")):
                rel = path.relative_to(source)
                if (wanted(path.name) and path.is_file() and not path.is_symlink()
                        and not SKIPPED_DIRS & set(rel.parts)):
                    found[rel.as_posix()] = path
        elif source.suffix == ".zip":
            found.update(_zip_members(source, wanted, notes))
        elif source.is_file():
            found[source.name] = source
        else:
            notes.append(f"{source} does not exist")
    return found


def _size_limit(name: str) -> int:
    return MAX_NOTEBOOK_BYTES if name.endswith(".ipynb") else MAX_FILE_BYTES


def _zip_members(archive: Path, wanted: Callable[[str], bool],
                 notes: list[str]) -> dict[str, bytes]:
    members: dict[str, bytes] = {}
    budget = MAX_ZIP_BYTES
    try:
        with zipfile.ZipFile(archive) as z:
            for info in z.infolist()[:MAX_ZIP_ENTRIES]:
                name = PurePosixPath(info.filename.replace("\\", "/"))
                if info.is_dir() or not wanted(name.name) or SKIPPED_DIRS & set(name.parts):
                    continue
                if name.is_absolute() or ".." in name.parts:
                    notes.append(f"Ignored zip entry with an unsafe path: {info.filename}")
                    continue
                limit = _size_limit(name.name)
                if info.file_size > limit:
                    notes.append(f"Ignored {info.filename}: larger than {limit // 2**20} MB")
                    continue
                if budget <= 0:
                    notes.append(f"Stopped reading {archive.name} after {MAX_ZIP_BYTES // 2**20} MB")
                    break
                with z.open(info) as f:  # read at most the limit, whatever the header claims
                    data = f.read(limit + 1)
                budget -= len(data)
                if len(data) > limit:
                    notes.append(f"Ignored {info.filename}: larger than {limit // 2**20} MB")
                    continue
                members[name.as_posix()] = data
    except (zipfile.BadZipFile, OSError) as exc:
        notes.append(f"{archive.name} could not be opened as a zip file ({exc})")
    return members


def _read(item: bytes | Path) -> bytes | None:
    if isinstance(item, bytes):
        return item
    return item.read_bytes() if item.stat().st_size <= _size_limit(item.name) else None


def _pick(name: str, aliases: list[str], candidates: dict[str, bytes | Path],
          notes: list[str]) -> str | None:
    """The path of the graded file ``name`` (a file name, or a path inside a package such as
    ``submission/models/vae.py``): a match by file name at any depth, preferring one under
    the same folders, then the shallowest; the proper name before its aliases."""
    for wanted in (name, *aliases):
        base = PurePosixPath(wanted).name
        matches = sorted((p for p in candidates if PurePosixPath(p).name == base),
                         key=lambda p: (not (p == wanted or p.endswith(f"/{wanted}")),
                                        p.count("/"), p))
        if not matches:
            continue
        if len(matches) > 1:
            notes.append(f"Found {base} in {len(matches)} places ({', '.join(matches)}); "
                         f"graded {matches[0]}")
        if base != PurePosixPath(name).name:
            notes.append(f"Graded {matches[0]} as {name} (its name in the original course)")
        return matches[0]
    return None


def find_notebooks(sources: list[Path], notes: list[str]) -> dict[str, bytes | None]:
    """Every notebook of a submission, the shallowest first: its path -> its content (None
    when larger than ``MAX_NOTEBOOK_BYTES``)."""
    found = _candidates(sources, lambda n: n.endswith(".ipynb"), notes)
    return {p: _read(found[p]) for p in sorted(found, key=lambda p: (p.count("/"), p))}


def stage(assignment: Assignment, sources: list[Path], folder: Path) -> Staged:
    """Copy the graded files of ``sources`` and the provided files into ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    staged = Staged(folder)
    names = {PurePosixPath(n).name for name, aliases in assignment.files.items()
             for n in (name, *aliases)}
    candidates = _candidates(sources, lambda n: n in names or n.endswith(".ipynb"), staged.notes)
    in_notebooks = {p: _read(item) for p, item in candidates.items() if p.endswith(".ipynb")}
    digest = hashlib.sha256()
    for name, aliases in assignment.files.items():
        path = _pick(name, aliases, candidates, staged.notes)
        data = _read(candidates[path]) if path else None
        if not path and in_notebooks:  # e.g. a %%writefile cell: see autograder/notebooks.py
            stub = (assignment.student_dir / name).read_text(encoding="utf-8")
            path, data = notebooks.pick(name, aliases, in_notebooks, staged.notes, stub)
        if path and data is None:
            staged.notes.append(f"{path} is larger than {MAX_FILE_BYTES // 2**20} MB; not graded")
        if data is None:
            if not path:
                staged.notes.append(f"{name} was not found in your submission (searched every folder)")
            continue
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_bytes(data)
        staged.found[name] = path
        digest.update(name.encode() + b"\0" + data + b"\0")
    _copy_provided(assignment, folder)
    staged.digest = digest.hexdigest()
    return staged


def _copy_provided(assignment: Assignment, folder: Path) -> None:
    """Our copies of the provided files, and the stand-ins the student's code may import."""
    for name in assignment.provided:
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(assignment.student_dir / name, folder / name)
    stand_ins.copy_into(assignment.stand_ins, folder)


def part_folder(assignment: Assignment, part_file: str, staged: Path, folder: Path) -> Path:
    """The folder one part of a package assignment imports from: the package with the
    part's file from the student, each ``shared`` file from the reference (the student's own
    where there is no reference: the self-check), every other graded file as its stub; and
    under ``UNDERLAY`` the student's own copy of each file replaced so, from which the part's
    process adds to ours the names only theirs defines (``modules.layer``): their own helpers
    (a function, a constant) stay reachable, every name ours defines is ours.

    So a mistake, or a crash at import, in one graded file costs only the parts of that file
    (and, for a shared file, nothing else: the others run over the reference's). No model
    solution is ever in a student's process: the files of other parts are stubs."""
    for name in assignment.files:
        reference = assignment.solution_dir / name
        if name == part_file:
            source = staged / name
        elif name in assignment.shared and reference.is_file():
            source = reference
        elif name in assignment.shared and (staged / name).is_file():
            source = staged / name
        else:
            source = assignment.student_dir / name
        if source.is_file():
            _copy(source, folder / name)
        if source != staged / name and (staged / name).is_file():
            _copy(staged / name, folder / UNDERLAY / name)
    _copy_provided(assignment, folder)
    return folder


def _copy(source: Path, dest: Path) -> None:
    dest.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(source, dest)
