"""Render notebooks to HTML: ``python -I render_notebook.py``, a server for one batch.

Started by ``notebook_html.py``, by path and isolated (``-I``), so that it imports nbconvert
and nothing of the grader. Importing nbconvert and compiling its templates takes most of a
second; rendering a notebook after that, a few hundredths. So this server pays the first
once (it renders a small notebook of its own at start), then renders one notebook after
another under a memory limit and an alarm: a notebook that nbconvert chokes on, or takes
forever with, costs its own rendering only. (Nothing in a notebook is executed, so one
notebook cannot change how the next is rendered.)

Requests come one per line on stdin, ``{"notebook": PATH, "dest": PATH}``; each gets one
line on stdout, ``{"note": null}`` (rendered) or ``{"note": "not rendered: why"}``. Outputs
are kept as submitted; HTML and scripts in outputs and Markdown are sanitized.
"""

from __future__ import annotations

import json
import os
import resource
import signal
import sys
import tempfile
from pathlib import Path

MEMORY_BYTES = 4 * 2**30
TIMEOUT_SECONDS = 60


def _exporter():
    """An HTML exporter that has rendered once already: templates and sanitizer are ready."""
    import nbformat
    from nbconvert import HTMLExporter

    exporter = HTMLExporter(sanitize_html=True)
    output = nbformat.v4.new_output("execute_result", {"text/plain": "1", "text/html": "<b>1</b>"},
                                    execution_count=1)
    exporter.from_notebook_node(nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_markdown_cell("# A *title*"),
        nbformat.v4.new_code_cell("1", execution_count=1, outputs=[output])]))
    return exporter


def render(exporter, notebook: Path, dest: Path) -> None:
    """Render ``notebook`` to ``dest``, written whole or not at all."""
    import nbformat

    try:
        node = nbformat.reads(notebook.read_bytes().decode("utf-8-sig"), as_version=4)
    except Exception as exc:  # noqa: BLE001 - nbformat raises many kinds on bad input
        raise ValueError(f"not a readable notebook ({type(exc).__name__}: {exc})") from None
    body, _ = exporter.from_notebook_node(node)
    fd, tmp = tempfile.mkstemp(dir=dest.parent, prefix=".notebook-", suffix=".html")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(body)
        os.chmod(tmp, 0o644)
        os.replace(tmp, dest)
    except BaseException:  # the alarm, say: leave nothing half-written behind
        os.unlink(tmp)
        raise


class _TooLong(Exception):
    pass


def _too_long(signum, frame):
    raise _TooLong


def render_limited(exporter, notebook: Path, dest: Path) -> str | None:
    """Render within ``TIMEOUT_SECONDS``; None, or why it could not be done."""
    signal.alarm(TIMEOUT_SECONDS)
    try:
        render(exporter, notebook, dest)
        return None
    except _TooLong:
        return f"not rendered: nbconvert took more than {TIMEOUT_SECONDS} s"
    except MemoryError:
        return f"not rendered: nbconvert needed more than {MEMORY_BYTES // 2**30} GiB"
    except Exception as exc:  # noqa: BLE001 - the reason goes to the report
        return " ".join(f"not rendered: {type(exc).__name__}: {exc}".split())[:300]
    finally:
        signal.alarm(0)


def serve() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_BYTES, MEMORY_BYTES))
    signal.signal(signal.SIGALRM, _too_long)
    exporter = _exporter()
    for line in sys.stdin:
        request = json.loads(line)
        note = render_limited(exporter, Path(request["notebook"]), Path(request["dest"]))
        sys.stdout.write(json.dumps({"note": note}) + "\n")
        sys.stdout.flush()


if __name__ == "__main__":
    serve()
