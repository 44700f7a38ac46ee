"""Import a folder's graded files as modules, each under its own file name."""

from __future__ import annotations

import importlib.util
import sys
import traceback
from pathlib import Path
from types import ModuleType, SimpleNamespace


def import_file(path: Path, name: str) -> ModuleType:
    """Import ``path`` as module ``name``; registered in sys.modules so siblings can import it."""
    spec = importlib.util.spec_from_file_location(name, path)
    if spec is None or spec.loader is None:
        raise ImportError(f"cannot import {path.name}")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    try:
        spec.loader.exec_module(module)
    except BaseException:
        sys.modules.pop(name, None)
        raise
    return module


def import_folder(folder: Path, stems: list[str]) -> tuple[SimpleNamespace, dict[str, str]]:
    """Import ``folder/<stem>.py`` for each stem; return the modules and an error per failure."""
    if str(folder) not in sys.path:
        sys.path.insert(0, str(folder))
    modules, errors = SimpleNamespace(), {}
    for stem in stems:
        path = folder / f"{stem}.py"
        if not path.exists():
            errors[stem] = f"{stem}.py was not found in your submission"
            continue
        try:
            setattr(modules, stem, import_file(path, stem))
        except BaseException as exc:  # noqa: BLE001 - SyntaxError, SystemExit at import, ...
            errors[stem] = describe_import_error(exc, path)
    return modules, errors


def describe_import_error(exc: BaseException, path: Path) -> str:
    if isinstance(exc, SyntaxError):
        where = f"line {exc.lineno}" + (f", column {exc.offset}" if exc.offset else "")
        text = (exc.text or "").rstrip()
        return (f"{path.name} could not be imported: {type(exc).__name__} at {where}: {exc.msg}"
                + (f"\n    {text}" if text else ""))
    frames = [f for f in traceback.extract_tb(exc.__traceback__) if f.filename == str(path)]
    where = f" (line {frames[-1].lineno})" if frames else ""
    return f"{path.name} could not be imported{where}: {type(exc).__name__}: {exc}"
