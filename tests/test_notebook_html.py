"""The notebook renderer of the batch: one server, a forked child per notebook, restarted if it dies."""

from __future__ import annotations

import signal
import time
from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_notebook

from autograder.batch import notebook_html, render_notebook
from autograder.batch.notebook_html import Renderer


def _notebook(text: str) -> bytes:
    return nbformat.writes(new_notebook(cells=[new_code_cell(text)])).encode()


def test_each_notebook_is_rendered_by_the_same_server(tmp_path: Path):
    with Renderer() as renderer:
        assert renderer.render(_notebook("print('one')"), tmp_path / "a.html") is None
        server = renderer._process.pid
        assert renderer.render(_notebook("print('two')"), tmp_path / "b.html") is None
        assert renderer._process.pid == server
    assert "one" in (tmp_path / "a.html").read_text()
    assert "two" in (tmp_path / "b.html").read_text()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.html", "b.html"]  # no leftovers


def test_a_bad_notebook_costs_only_its_own_rendering(tmp_path: Path):
    with Renderer() as renderer:
        note = renderer.render(b"{not json", tmp_path / "bad.html")
        assert note.startswith("not rendered: ValueError: not a readable notebook")
        assert renderer.render(_notebook("1"), tmp_path / "good.html") is None
    assert not (tmp_path / "bad.html").exists()


def test_a_server_that_dies_is_replaced(tmp_path: Path):
    with Renderer() as renderer:
        assert renderer.render(_notebook("1"), tmp_path / "a.html") is None
        renderer._process.kill()
        renderer._process.wait()
        assert renderer.render(_notebook("2"), tmp_path / "b.html") is None


def test_a_stuck_server_is_given_up_on(tmp_path: Path, monkeypatch):
    monkeypatch.setattr(notebook_html, "ANSWER_SECONDS", 0.5)
    monkeypatch.setattr(notebook_html, "RENDERER", tmp_path / "stuck.py")
    (tmp_path / "stuck.py").write_text("import time\ntime.sleep(60)\n")
    with Renderer() as renderer:
        assert renderer.render(_notebook("1"), tmp_path / "a.html") == \
            "not rendered: the renderer stopped"
        assert renderer._process is None


class _Exporter:
    """Stands in for nbconvert's exporter: slow, or out of memory."""

    def __init__(self, fails: type[BaseException] | None = None) -> None:
        self.fails = fails

    def from_notebook_node(self, node):
        if self.fails:
            raise self.fails()
        time.sleep(5)
        return "<html></html>", {}


def test_a_notebook_that_takes_too_long_or_too_much_memory_is_a_note(tmp_path, monkeypatch):
    monkeypatch.setattr(render_notebook, "TIMEOUT_SECONDS", 1)
    previous = signal.signal(signal.SIGALRM, render_notebook._too_long)
    notebook = tmp_path / "nb.ipynb"
    notebook.write_bytes(_notebook("1"))
    try:
        start = time.monotonic()
        assert render_notebook.render_limited(_Exporter(), notebook, tmp_path / "a.html") == \
            "not rendered: nbconvert took more than 1 s"
        assert time.monotonic() - start < 3
        assert render_notebook.render_limited(_Exporter(MemoryError), notebook,
                                              tmp_path / "b.html").startswith(
            "not rendered: nbconvert needed more than")
    finally:
        signal.signal(signal.SIGALRM, previous)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["nb.ipynb"]


def test_the_same_bytes_are_rendered_once(tmp_path: Path, monkeypatch):
    with Renderer() as renderer:
        asked = []
        ask = renderer._ask
        monkeypatch.setattr(renderer, "_ask", lambda request: asked.append(request) or ask(request))
        data = _notebook("print('handout')")
        assert renderer.render(data, tmp_path / "a.html") is None
        assert renderer.render(data, tmp_path / "b.html") is None
        assert renderer.render(_notebook("print('edited')"), tmp_path / "c.html") is None
    assert len(asked) == 2
    assert (tmp_path / "a.html").read_bytes() == (tmp_path / "b.html").read_bytes()
    (tmp_path / "a.html").write_text("changed later")  # a copy, not a link
    assert "handout" in (tmp_path / "b.html").read_text()
