"""Student notebooks: generated from the solution notebooks, and they run.

Each student notebook is executed, on tiny settings (HOMEWORK_TINY=1), in a copy of the
student folder whose graded files are replaced by the reference: it must run to the end,
its stub cells may only raise NotImplementedError, and it must write its figures.
"""

import shutil

import nbformat
import pytest
from jupyter_client import KernelManager
from jupyter_client.kernelspec import KernelSpecManager
from nbclient import NotebookClient
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from autograder.assignment import ROOT, available, load_assignment
from autograder.stubs import STUB_CELL, StubError, strip_notebook
from test_training import FIGURES

NOTEBOOKS = [(a, p.name) for a in available()
             for p in sorted((ROOT / "assignments" / a).glob("*.ipynb"))]


def code_cell(source, tags=(), outputs=()):
    return new_code_cell(source, metadata={"tags": list(tags)} if tags else {},
                         outputs=list(outputs), execution_count=3 if outputs else None)


def test_solution_cells_become_stub_cells_and_outputs_are_cleared():
    printed = new_output("stream", name="stdout", text="42\n")
    solution = new_notebook(cells=[
        new_markdown_cell("# Title"),
        code_cell("x = 41", outputs=[printed]),
        code_cell("answer = x + 1\nprint(answer)", tags=["solution", "keep"], outputs=[printed]),
        code_cell("def f():\n    # BEGIN SOLUTION\n    return x\n    # END SOLUTION\ny = 1"),
    ])
    student = nbformat.reads(strip_notebook(nbformat.writes(solution), "hw.ipynb"), as_version=4)

    markdown, plain, tagged, marked = student.cells
    assert markdown.source == "# Title"
    assert (plain.source, plain.outputs, plain.execution_count) == ("x = 41", [], None)
    assert (tagged.source, tagged.outputs) == (STUB_CELL, [])
    assert tagged.metadata.tags == ["keep", "raises-exception"]
    assert marked.source == "def f():\n    # YOUR CODE HERE\n    raise NotImplementedError\ny = 1"
    assert marked.metadata.tags == ["raises-exception"]
    assert "raises-exception" not in plain.metadata.get("tags", [])


def test_notebook_stubs_are_deterministic_and_stable():
    solution = nbformat.writes(new_notebook(cells=[code_cell("1", tags=["solution"])]))
    student = strip_notebook(solution, "hw.ipynb")
    assert strip_notebook(solution, "hw.ipynb") == student
    assert strip_notebook(student, "hw.ipynb") == student
    assert student.endswith("}\n")


def test_unbalanced_markers_in_a_notebook_cell_name_the_cell():
    cells = [new_markdown_cell("x"), code_cell("# BEGIN SOLUTION")]
    solution = nbformat.writes(new_notebook(cells=cells))
    with pytest.raises(StubError, match="hw.ipynb, cell 2"):
        strip_notebook(solution, "hw.ipynb")


@pytest.mark.parametrize("assignment", available())
def test_every_assignment_has_a_student_notebook(assignment):
    assert (assignment, f"{assignment}.ipynb") in NOTEBOOKS


@pytest.mark.parametrize("assignment,notebook", NOTEBOOKS)
def test_student_notebook_holds_no_solution_nor_output(assignment, notebook):
    nb = nbformat.read(ROOT / "assignments" / assignment / notebook, as_version=4)
    for cell in nb.cells:
        assert "BEGIN SOLUTION" not in cell.source
        assert "solution" not in cell.metadata.get("tags", [])
        assert not cell.get("outputs")


def execute(path, cwd):
    """Run the notebook at ``path`` in ``cwd`` with a kernel of this Python; returns it."""
    nb = nbformat.read(path, as_version=4)
    # No kernel folders: the python3 kernel is then ipykernel's own, run by sys.executable
    # (a user-wide kernel.json could name another interpreter).
    km = KernelManager(kernel_name="python3", kernel_spec_manager=KernelSpecManager(kernel_dirs=[]))
    NotebookClient(nb, km=km, timeout=600, resources={"metadata": {"path": str(cwd)}}).execute()
    return nb


@pytest.mark.parametrize("assignment,notebook", NOTEBOOKS)
def test_student_notebook_runs_against_the_reference(assignment, notebook, tmp_path, monkeypatch):
    folder = tmp_path / "assignments" / assignment
    shutil.copytree(ROOT / "assignments" / assignment, folder,
                    ignore=shutil.ignore_patterns("__pycache__", "figures"))
    for name in load_assignment(assignment).files:
        shutil.copyfile(ROOT / "solutions" / assignment / name, folder / name)
    for shared in ("datasets", "autograder"):  # data, and the stand-ins: as in the repository
        (tmp_path / shared).symlink_to(ROOT / shared)
    monkeypatch.setenv("HOMEWORK_TINY", "1")
    monkeypatch.setenv("OMP_NUM_THREADS", "1")  # tiny tensors: threads only contend

    nb = execute(folder / notebook, folder)

    for number, cell in enumerate(nb.cells, start=1):
        for output in cell.get("outputs", []):
            if output.output_type == "error":
                assert "raises-exception" in cell.metadata.get("tags", []), (number, output.evalue)
                assert output.ename == "NotImplementedError", (number, output.evalue)
    assert sorted(p.name for p in (folder / "figures").glob("*.png")) == FIGURES[assignment]
