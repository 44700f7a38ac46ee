"""A submitted notebook, rendered to HTML next to its grades, for the TA to read.

The first notebook of a submission (the shallowest, as grading prefers) becomes
``<id>/notebook.html``, any other ``notebook-2.html`` and so on, rendered by nbconvert with
the outputs as submitted (``render_notebook.py``). ``<id>/notebooks.json`` lists them:
``{"path", "digest", "html"}``, or ``{"path", "digest", "note"}`` for a notebook that could
not be rendered: a note in the report, never a batch failure. Each notebook is rendered in
a process of its own, under a time and a memory limit, and only when it changed.
"""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

from autograder.submission import MAX_NOTEBOOK_BYTES, find_notebooks

INDEX = "notebooks.json"
RENDERER = Path(__file__).with_name("render_notebook.py")
TIMEOUT_SECONDS = 60


def read_index(folder: Path) -> list[dict[str, Any]]:
    """The notebooks rendered for the submission whose results are in ``folder``."""
    try:
        entries = json.loads((folder / INDEX).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return []
    return entries if isinstance(entries, list) else []


def render_notebooks(source: Path, folder: Path) -> list[dict[str, Any]]:
    """Render each notebook of submission ``source`` into ``folder``; write and return the index."""
    folder.mkdir(parents=True, exist_ok=True)
    previous = {e.get("html"): e for e in read_index(folder)}
    entries: list[dict[str, Any]] = []
    try:
        notebooks = find_notebooks([source], [])
    except Exception as exc:  # noqa: BLE001 - one submission never stops the batch
        notebooks = {}
        entries.append({"path": source.name, "digest": None,
                        "note": f"not rendered: the submission cannot be read ({exc})"})
    for number, (path, data) in enumerate(notebooks.items(), start=1):
        html = "notebook.html" if number == 1 else f"notebook-{number}.html"
        digest = hashlib.sha256(data).hexdigest() if data is not None else None
        before = previous.get(html, {})
        unchanged = (before.get("path"), before.get("digest")) == (path, digest)
        if data is None:
            note = f"not rendered: larger than {MAX_NOTEBOOK_BYTES // 2**20} MB"
        elif unchanged and (folder / html).is_file():
            note = None  # rendered from these very bytes last time
        else:
            note = _render(data, folder / html)
        entries.append({"path": path, "digest": digest,
                        **({"note": note} if note else {"html": html})})
    for stale in previous.keys() - {e.get("html") for e in entries}:
        if isinstance(stale, str) and stale.startswith("notebook") and "/" not in stale:
            (folder / stale).unlink(missing_ok=True)
    (folder / INDEX).write_text(json.dumps(entries, indent=2) + "\n", encoding="utf-8")
    return entries


def _render(data: bytes, dest: Path) -> str | None:
    """Render ``data`` to ``dest`` in a child process; None, or why it could not be done."""
    dest.unlink(missing_ok=True)
    try:
        done = subprocess.run([sys.executable, "-I", str(RENDERER), str(dest)], input=data,
                              capture_output=True, timeout=TIMEOUT_SECONDS)
    except subprocess.TimeoutExpired:
        return f"not rendered: nbconvert took more than {TIMEOUT_SECONDS} s"
    except OSError as exc:
        return f"not rendered: the renderer could not start ({exc})"
    if done.returncode == 0 and dest.is_file():
        return None
    reason = (done.stderr.decode(errors="replace").strip().splitlines()
              or [f"the renderer exited with status {done.returncode}"])[-1]
    return f"not rendered: {reason[:300]}"
