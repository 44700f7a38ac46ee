"""Render notebooks to HTML, each in a forked child: ``python -I render_notebook.py``.

Started once per batch by ``notebook_html.py``, by path and isolated (``-I``), so that it
imports nbconvert and nothing of the grader. Importing nbconvert and compiling its templates
takes most of a second; rendering a notebook after that, a few hundredths. So this server
pays the first once (it renders a small notebook of its own at start) and forks a child per
notebook, which renders under a memory limit and an alarm: a notebook that breaks nbconvert,
or takes it forever, costs its own rendering only.

Requests come one per line on stdin, ``{"notebook": PATH, "dest": PATH}``; each gets one
line on stdout, ``{"note": null}`` (rendered) or ``{"note": "not rendered: why"}``. Outputs
are kept as submitted (nothing is executed); HTML and scripts in outputs and Markdown are
sanitized.
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
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        f.write(body)
    os.chmod(tmp, 0o644)
    os.replace(tmp, dest)


def render_in_child(exporter, notebook: Path, dest: Path) -> str | None:
    """Render in a forked child, limited; None, or why it could not be done."""
    reason_end, child_end = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(reason_end)
        code = 1
        try:
            resource.setrlimit(resource.RLIMIT_AS, (MEMORY_BYTES, MEMORY_BYTES))
            signal.alarm(TIMEOUT_SECONDS)  # its default action ends the child
            render(exporter, notebook, dest)
            code = 0
        except BaseException as exc:  # noqa: BLE001 - the reason goes to the report
            os.write(child_end, f"{type(exc).__name__}: {exc}".encode()[:1000])
        os._exit(code)
    os.close(child_end)
    _, status = os.waitpid(pid, 0)
    with os.fdopen(reason_end, "rb") as f:
        reason = f.read().decode(errors="replace").strip()
    code = os.waitstatus_to_exitcode(status)
    if code == 0 and dest.is_file():
        return None
    if code == -signal.SIGALRM:
        return f"not rendered: nbconvert took more than {TIMEOUT_SECONDS} s"
    if not reason:
        reason = f"the renderer was killed by signal {-code}" if code < 0 else \
            f"the renderer exited with status {code}"
    return f"not rendered: {reason.splitlines()[-1][:300]}"


def serve() -> None:
    exporter = _exporter()
    for line in sys.stdin:
        request = json.loads(line)
        note = render_in_child(exporter, Path(request["notebook"]), Path(request["dest"]))
        sys.stdout.write(json.dumps({"note": note}) + "\n")
        sys.stdout.flush()


if __name__ == "__main__":
    serve()
