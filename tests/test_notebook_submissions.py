"""A notebook may be submitted instead of the .py files: its graded-file cells are graded."""

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from autograder.assignment import load_assignment
from autograder.notebooks import GradedCell, NotebookError, extract_files, pick
from autograder.submission import stage
from helpers import full_scores, part_scores
from variants import materialize
from variants_flows_gans import MUTANTS

TRAINING = new_code_cell("import train\nmodel, history = train.train_maf()")


def notebook(*cells) -> bytes:
    return nbformat.writes(new_notebook(cells=list(cells))).encode()


def tagged(source: str, name: str):
    return new_code_cell(source, metadata={"tags": [f"graded:{name}"]})


def test_writefile_and_tagged_cells_provide_files_and_nothing_else_does():
    files = extract_files(notebook(
        new_markdown_cell("%%writefile markdown.py\nx = 0"),
        new_code_cell("\n%%writefile src/submission/gan.py\ndef f():\n    return 1\n"),
        TRAINING,
        tagged("y = 2", "flow_network.py"),
        new_code_cell("%%writefile -a gan.py\ng = 3\n"),
        new_code_cell('%%writefile "my model.py"\nz = 1'),
        new_code_cell("%%writefile\nno file name"),
    ))
    assert files == {"gan.py": GradedCell(5, b"def f():\n    return 1\ng = 3\n"),
                     "flow_network.py": GradedCell(4, b"y = 2"),
                     "my model.py": GradedCell(6, b"z = 1")}


def test_a_later_cell_replaces_the_file_as_when_the_notebook_runs():
    files = extract_files(notebook(new_code_cell("%%writefile gan.py\nold = 1"),
                                   tagged("new = 2", "gan.py")))
    assert files == {"gan.py": GradedCell(2, b"new = 2")}


@pytest.mark.parametrize("data,reason", [
    (b'{"cells": [', r"not a Jupyter notebook: invalid JSON \(Expecting value: line 1"),
    (b"[" * 100_000, "invalid JSON"),
    (b"[1, 2]", r"not a Jupyter notebook of format 4 \(this one: no format\)"),
    (b'{"nbformat": 3, "worksheets": []}', r"format 4 \(this one: 3\); save it again"),
    (b'{"cells": [{"cell_type": "code", "source": 7}]}', "cell 1 is malformed"),
    (b"\xff\xfe{}", "not UTF-8 text"),
])
def test_what_is_not_a_notebook_is_reported_clearly(data, reason):
    with pytest.raises(NotebookError, match=reason):
        extract_files(data)


def test_the_original_course_names_are_accepted_in_cells():
    notes = []
    nb = notebook(new_code_cell("%%writefile q1_solution.py\nv = 1"))
    found = pick("vae.py", ["q1_solution.py"], {"hw/hw.ipynb": nb}, notes)
    assert found == ("cell 1 of hw/hw.ipynb", b"v = 1")
    assert notes == ["Graded q1_solution.py from cell 1 of hw/hw.ipynb as vae.py "
                     "(its name in the original course)"]


def test_py_files_win_over_cells_and_cells_fill_in_missing_files(tmp_path):
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "gan.py").write_text("from_file = 1\n")
    (tmp_path / "sub" / "hw.ipynb").write_bytes(notebook(
        new_code_cell("%%writefile gan.py\nfrom_cell = 1"), TRAINING,
        new_code_cell("%%writefile flow_network.py\nfrom_cell = 2")))
    staged = stage(load_assignment("flows_gans"), [tmp_path / "sub"], tmp_path / "staged")
    assert staged.found == {"flow_network.py": "cell 3 of hw.ipynb", "gan.py": "gan.py"}
    assert (tmp_path / "staged" / "gan.py").read_text() == "from_file = 1\n"
    assert (tmp_path / "staged" / "flow_network.py").read_text() == "from_cell = 2"
    assert staged.notes == []


def test_a_notebook_is_graded_exactly_like_its_py_files(grade, tmp_path):
    folder = materialize([MUTANTS[0]], "flows_gans", tmp_path / "py")
    flow_network, gan = ((folder / name).read_text() for name in ("flow_network.py", "gan.py"))
    submitted = tmp_path / "nb" / "hw.ipynb"
    submitted.parent.mkdir()
    submitted.write_bytes(notebook(new_markdown_cell("# My homework"),
                                   new_code_cell(f"%%writefile flow_network.py\n{flow_network}"),
                                   TRAINING, tagged(gan, "gan.py")))

    by_py = grade("flows_gans", folder / "flow_network.py", folder / "gan.py")
    by_notebook = grade("flows_gans", submitted)

    assert part_scores(by_notebook) == part_scores(by_py) != full_scores("flows_gans")
    assert ([(t["name"], t["score"], t["output"]) for t in by_notebook["tests"]]
            == [(t["name"], t["score"], t["output"]) for t in by_py["tests"]])
    assert "Graded flow_network.py from cell 2 of hw.ipynb" in by_notebook["output"]
    assert "Graded gan.py from cell 4 of hw.ipynb" in by_notebook["output"]


def test_a_notebook_without_graded_cells_says_how_to_mark_them(grade, tmp_path):
    submitted = tmp_path / "hw.ipynb"
    submitted.write_bytes(notebook(TRAINING))
    data = grade("flows_gans", submitted)
    assert data["score"] == 0
    assert "No cell of hw.ipynb provides gan.py" in data["output"]
    assert "`%%writefile <file>`" in data["output"] and "`graded:<file>`" in data["output"]


def test_an_unreadable_notebook_is_named_in_the_feedback(grade, tmp_path):
    submitted = tmp_path / "hw.ipynb"
    submitted.write_bytes(b'{"cells": [')
    data = grade("flows_gans", submitted)
    assert "hw.ipynb was not used: not a Jupyter notebook: invalid JSON" in data["output"]
