"""Render one notebook to HTML: ``python -I render_notebook.py DEST.html < NOTEBOOK.ipynb``.

Run by ``notebook_html.py`` in a process of its own, by path and isolated (``-I``), so that
it imports nbconvert and nothing of the grader. Outputs are kept as submitted (nothing is
executed); HTML and scripts in outputs and Markdown are sanitized. On failure it exits with
status 1 and says why on the last line of stderr.
"""

from __future__ import annotations

import os
import resource
import sys
import tempfile
from pathlib import Path

MEMORY_BYTES = 4 * 2**30


def render(dest: Path) -> None:
    """Render the notebook read from stdin to ``dest``, written whole or not at all."""
    import nbformat
    from nbconvert import HTMLExporter

    try:
        notebook = nbformat.reads(sys.stdin.buffer.read().decode("utf-8-sig"), as_version=4)
    except Exception as exc:  # noqa: BLE001 - nbformat raises many kinds on bad input
        raise ValueError(f"not a readable notebook ({type(exc).__name__}: {exc})") from None
    body, _ = HTMLExporter(sanitize_html=True).from_notebook_node(notebook)
    fd, tmp = tempfile.mkstemp(dir=dest.parent, prefix=".notebook-", suffix=".html")
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        f.write(body)
    os.chmod(tmp, 0o644)
    os.replace(tmp, dest)


if __name__ == "__main__":
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_BYTES, MEMORY_BYTES))
    try:
        render(Path(sys.argv[1]))
    except Exception as exc:  # noqa: BLE001 - the reason goes to the report
        print(f"{type(exc).__name__}: {exc}", file=sys.stderr)
        sys.exit(1)
