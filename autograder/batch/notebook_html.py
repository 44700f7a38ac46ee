"""A submitted notebook, rendered to HTML next to its grades, for the TA to read.

The first notebook of a submission (the shallowest, as grading prefers) becomes
``<id>/notebook.html``, any other ``notebook-2.html`` and so on, rendered by nbconvert with
the outputs as submitted by a :class:`Renderer`. ``<id>/notebooks.json`` lists them:
``{"path", "digest", "html"}``, or ``{"path", "digest", "note"}`` for a notebook that could
not be rendered: a note in the report, never a batch failure. Each notebook is rendered in
a process of its own, under a time and a memory limit (``render_notebook.py``), and only
when it changed.
"""

from __future__ import annotations

import hashlib
import json
import selectors
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from autograder.submission import MAX_NOTEBOOK_BYTES, find_notebooks

INDEX = "notebooks.json"
RENDERER = Path(__file__).with_name("render_notebook.py")
# the server's own limit is a minute a notebook; past this it is taken for stuck, and replaced
ANSWER_SECONDS = 90


def read_index(folder: Path) -> list[dict[str, Any]]:
    """The notebooks rendered for the submission whose results are in ``folder``."""
    try:
        entries = json.loads((folder / INDEX).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return []
    return entries if isinstance(entries, list) else []


class Renderer:
    """The rendering server (``render_notebook.py``), started on first use and again if it
    dies; ``render(data, dest)`` gives None, or why the notebook was not rendered.

    Rendering is a function of the notebook's bytes, so bytes rendered once are copied from
    that rendering (a class often hands in the notebook as it was given out: 60 ms each)."""

    def __init__(self) -> None:
        self._process: subprocess.Popen | None = None
        self._errors = tempfile.TemporaryFile()  # what a server that died said last
        self._rendered: dict[str, Path] = {}  # digest -> the first rendering of those bytes

    def render(self, data: bytes, dest: Path) -> str | None:
        dest.unlink(missing_ok=True)
        self._rendered = {d: p for d, p in self._rendered.items() if p != dest}
        digest = hashlib.sha256(data).hexdigest()
        earlier = self._rendered.get(digest)
        if earlier is not None and earlier.is_file():
            shutil.copyfile(earlier, dest)
            return None
        note = self._render(data, dest)
        if note is None:
            self._rendered[digest] = dest
        return note

    def _render(self, data: bytes, dest: Path) -> str | None:
        fd, source = tempfile.mkstemp(dir=dest.parent, prefix=".notebook-", suffix=".ipynb")
        with open(fd, "wb") as f:
            f.write(data)
        try:
            return self._ask({"notebook": source, "dest": str(dest)})
        finally:
            Path(source).unlink(missing_ok=True)

    def _ask(self, request: dict[str, str]) -> str | None:
        if self._process is not None and self._process.poll() is not None:
            self.close()  # it died since its last answer: not this notebook's doing
        if self._process is None:
            try:
                self._process = subprocess.Popen(
                    [sys.executable, "-I", str(RENDERER)], stdin=subprocess.PIPE,
                    stdout=subprocess.PIPE, stderr=self._errors, text=True)
            except OSError as exc:
                return f"not rendered: the renderer could not start ({exc})"
        process = self._process
        try:
            process.stdin.write(json.dumps(request) + "\n")
            process.stdin.flush()
            with selectors.DefaultSelector() as selector:
                selector.register(process.stdout, selectors.EVENT_READ)
                line = process.stdout.readline() if selector.select(ANSWER_SECONDS) else ""
            return json.loads(line)["note"]
        except (OSError, ValueError, KeyError):  # it died, or is stuck: the next starts afresh
            self.close()
            return f"not rendered: {self._last_error()}"

    def _last_error(self) -> str:
        self._errors.seek(0)
        lines = self._errors.read().decode(errors="replace").strip().splitlines()
        self._errors.seek(0)
        self._errors.truncate()
        return lines[-1][:300] if lines else "the renderer stopped"

    def close(self) -> None:
        if self._process is not None:
            self._process.kill()
            self._process.wait()
            for stream in (self._process.stdin, self._process.stdout):
                try:
                    stream.close()
                except OSError:  # what it could not be sent any more
                    pass
            self._process = None

    def __enter__(self) -> "Renderer":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
        self._errors.close()


def render_notebooks(source: Path, folder: Path, renderer: Renderer) -> list[dict[str, Any]]:
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
            note = renderer.render(data, folder / html)
        entries.append({"path": path, "digest": digest,
                        **({"note": note} if note else {"html": html})})
    for stale in previous.keys() - {e.get("html") for e in entries}:
        if isinstance(stale, str) and stale.startswith("notebook") and "/" not in stale:
            (folder / stale).unlink(missing_ok=True)
    (folder / INDEX).write_text(json.dumps(entries, indent=2) + "\n", encoding="utf-8")
    return entries

