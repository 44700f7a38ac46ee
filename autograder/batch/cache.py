"""When a regrade can be skipped: a cache key per submission, stored next to its results.json.

The key covers what the results depend on: the graded files (their digest, where they were
found, the staging notes), the submission id (it seeds the hidden tests), the timeout scale
and the time budget, and the grader itself (the engine's code, the assignment's folder in
solutions/: its definition, cases, reference and mistake catalogue; the provided files).
"""

from __future__ import annotations

import hashlib
import json
import tempfile
from pathlib import Path
from typing import Any

import autograder
from autograder.assignment import PACKAGE_DIR, Assignment
from autograder.submission import stage

KEY_FILE = "cache.json"
# Top-level engine modules that never change a result (nor do the batch and delivery
# subpackages, which the fingerprint leaves out): editing them keeps the cache.
NOT_GRADING = {"__main__.py", "cli.py", "stubs.py"}


def grader_fingerprint(assignment: Assignment) -> str:
    """A digest of the grader version and every file that decides this assignment's results."""
    files = [*(p for p in PACKAGE_DIR.glob("*.py") if p.name not in NOT_GRADING),
             *(p for p in assignment.solution_dir.rglob("*")
               if p.suffix in (".py", ".json") and "__pycache__" not in p.parts),
             *(assignment.student_dir / name for name in assignment.provided)]
    digest = hashlib.sha256(autograder.__version__.encode())
    for path in sorted(files):
        digest.update(f"\0{path.name}\0".encode() + path.read_bytes())
    return digest.hexdigest()


def cache_key(assignment: Assignment, path: Path, submission_id: str, fingerprint: str,
              timeout_scale: float, time_budget: float) -> dict[str, Any] | None:
    """The key of one submission; stages it in a scratch folder to digest its graded files.

    ``None`` when it cannot even be staged: it is graded every time, and its results say why.
    """
    try:
        with tempfile.TemporaryDirectory(prefix="autograder-key-") as tmp:
            staged = stage(assignment, [path], Path(tmp))
    except Exception:  # noqa: BLE001 - one submission never stops the batch
        return None
    parts = {"grader": fingerprint, "digest": staged.digest, "found": staged.found,
             "notes": staged.notes, "submission_id": submission_id, "timeout_scale": timeout_scale,
             "time_budget": time_budget}
    key = hashlib.sha256(json.dumps(parts, sort_keys=True).encode()).hexdigest()
    return {"key": key, **parts}


def is_fresh(folder: Path, key: dict[str, Any] | None) -> bool:
    """True when ``folder`` holds a results.json graded under this very key."""
    if key is None:
        return False
    try:
        stored = json.loads((folder / KEY_FILE).read_text())
    except (OSError, ValueError):
        return False
    return (folder / "results.json").is_file() and stored.get("key") == key["key"]


def store(folder: Path, key: dict[str, Any] | None) -> None:
    """Record ``key`` next to the results just written; ``None`` forgets it (regrade next time)."""
    if key is None:
        (folder / KEY_FILE).unlink(missing_ok=True)
    else:
        (folder / KEY_FILE).write_text(json.dumps(key, indent=2) + "\n")
