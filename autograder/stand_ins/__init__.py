"""Inert stand-ins for libraries a course imports but grading never uses (see README.md)."""

from __future__ import annotations

import importlib.util
import shutil
from pathlib import Path

from autograder.modules import import_file

FOLDER = Path(__file__).resolve().parent


def copy_into(names: tuple[str, ...], folder: Path) -> None:
    """Put the stand-ins ``names`` into ``folder``, which a part's process has first on its
    path: there they win over any installed copy."""
    for name in names:
        shutil.copytree(FOLDER / name, folder / name, dirs_exist_ok=True,
                        ignore=shutil.ignore_patterns("__pycache__"))


def ensure_importable(names: tuple[str, ...]) -> None:
    """In the grader's own process: import each of ``names`` that is not installed as its
    stand-in (the reference imports them; the grader's batch report needs the real
    matplotlib where it is installed)."""
    for name in names:
        if importlib.util.find_spec(name) is None:
            import_file(FOLDER / name / "__init__.py", name)
