"""A local stand-in for Gradescope: unpack an autograder zip into a folder laid out like
/autograder, run its setup.sh and run_autograder there, read results.json.

setup.sh builds no venv here: ``AUTOGRADER_PYTHON`` points both scripts at this
interpreter, which already has the pinned requirements (see setup.sh).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path
from typing import Any

METADATA = {"id": 123456789, "created_at": "2025-01-01T12:00:00.000000-08:00",
            "assignment": {"due_date": "2025-01-08T23:59:00.000000-08:00"},
            "users": [{"name": "A Student", "email": "student@example.edu"}],
            "previous_submissions": []}


def is_root() -> bool:
    return hasattr(os, "geteuid") and os.geteuid() == 0


def unpack(archive: Path, dest: Path) -> Path:
    """Extract ``archive`` into ``dest`` with the modes it records, as ``unzip`` does."""
    with zipfile.ZipFile(archive) as z:
        for info in z.infolist():
            path = Path(z.extract(info, dest))
            mode = info.external_attr >> 16 & 0o777
            if mode:
                path.chmod(mode)
    return dest


def platform_root(archive: Path) -> Path:
    """A fresh /autograder look-alike: source/ (the zip), submission/, results/, metadata.

    It lives in the shared temporary folder, open to every user like /autograder, so that
    only run_autograder's own permissions keep the student user out of it.
    """
    root = Path(tempfile.mkdtemp(prefix="gradescope-"))
    root.chmod(0o755)
    unpack(archive, root / "source")
    (root / "submission").mkdir()
    (root / "results").mkdir()
    (root / "submission_metadata.json").write_text(json.dumps(METADATA))
    return root


def environment(root: Path) -> dict[str, str]:
    return {**os.environ, "AUTOGRADER_ROOT": str(root), "AUTOGRADER_PYTHON": sys.executable}


def setup(root: Path) -> subprocess.CompletedProcess:
    """Run setup.sh the way the platform does (as root), minus the venv."""
    return subprocess.run(["bash", str(root / "source" / "setup.sh")], env=environment(root),
                          capture_output=True, text=True, timeout=120)


def run_autograder(root: Path, submission: Path, python: str | None = None,
                   env: dict[str, str] | None = None,
                   ) -> tuple[subprocess.CompletedProcess, dict[str, Any]]:
    """Copy ``submission`` (a folder) into the root, run run_autograder, read results.json.

    ``env``: more environment variables, such as ``AUTOGRADER_NAMESPACES=0`` (as on the
    platform, whose Docker container refuses namespaces)."""
    shutil.copytree(submission, root / "submission", dirs_exist_ok=True)
    env = environment(root) | ({"AUTOGRADER_PYTHON": python} if python else {}) | (env or {})
    done = subprocess.run([str(root / "source" / "run_autograder")], env=env, cwd=root,
                          capture_output=True, text=True, timeout=600)
    return done, json.loads((root / "results" / "results.json").read_text())
