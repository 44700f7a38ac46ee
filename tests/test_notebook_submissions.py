"""A notebook may be submitted instead of the .py files: its graded-file cells are graded, or
the functions its plain code cells define."""

import ast

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from autograder.assignment import ROOT, load_assignment
from autograder.definitions import Untaken, build, python_code, student_names
from autograder.delivery.package import autograder_files
from autograder.notebooks import GradedCell, NotebookError, extract_files, pick
from autograder.submission import stage
from helpers import full_scores, part_scores
from variants import changed_definition, materialize, mistake

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
    found = pick("vae.py", ["q1_solution.py"], {"hw/hw.ipynb": nb}, notes, "")
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
    folder = materialize([load_assignment("flows_gans").mistakes[0]], "flows_gans", tmp_path / "py")
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


# Functions in plain code cells: found by name, with what they need, and nothing else runs.

STUB = '''import torch

SCALE = 2


def provided(x):
    return x


def f(x):
    # YOUR CODE HERE
    raise NotImplementedError


class G:
    def __call__(self, x):
        # YOUR CODE HERE
        raise NotImplementedError
'''


def test_the_student_functions_are_those_the_stub_leaves_to_write():
    assert student_names(STUB) == ["f", "G"]
    assert student_names((ROOT / "assignments/flows_gans/flow_network.py").read_text()) == [
        "MADE", "MAF"]


@pytest.mark.parametrize("source,code", [
    ("%matplotlib inline\nx = 1", "pass\nx = 1"),
    ("!pip install torch \\\n    numpy\nx = 1", "pass\n\nx = 1"),
    ("files = !ls\nfor f in files:\n    !echo $f\n    torch.randn?\n",
     "pass\nfor f in files:\n    pass\n    pass"),
    ("%%time\nx = 1", "\nx = 1"),
    ("%%bash\necho 1", None),
    ("s = '''\n%d\n'''", "s = '''\n%d\n'''"),  # valid Python is left alone
])
def test_ipython_syntax_is_neutralized(source, code):
    assert python_code(source) == code


def test_only_the_definitions_and_what_they_need_are_taken():
    cells = [
        (1, "import numpy as np, json\nfrom os import path, sep\nEPS = 1e-6\nLOG2 = np.log(2)\n"
            "data = np.load('/content/drive/data.npy')\nmean = data.mean()"),
        (2, "def helper(x):\n    return x * EPS + mean\n\n"
            "def unused():\n    return json.dumps({})"),
        (3, "def f(x):\n    return helper(x) + LOG2 + n_sep\nn_sep = len(sep)"),
        (4, "class Base:\n    pass\n\nclass G(Base):\n    def __call__(self, x):\n"
            "        return provided(x) * SCALE + f(x)"),
        (5, "class Base:\n    broken = True\nEPS = 1e-3"),
        (6, "def broken(:\n    pass"),
        (7, "for i in range(3):\n    f(i)\nmodel = G()\nwhile True:\n    model(1)"),
    ]
    built = build(STUB, cells, {"hw"})
    assert built.content == STUB + (
        "\n\n# Taken from the notebook's code cells by the grader\n"
        "# cell 1\nimport numpy as np\n\n\n"
        "# cell 1\nLOG2 = np.log(2)\n\n\n"
        "# cell 2\ndef helper(x):\n    return x * EPS + mean\n\n\n"
        "# cell 3\ndef f(x):\n    return helper(x) + LOG2 + n_sep\n\n\n"
        "# cell 4\nclass Base:\n    pass\n\n\n"  # what G's definition sees: the first Base
        "# cell 4\nclass G(Base):\n    def __call__(self, x):\n"
        "        return provided(x) * SCALE + f(x)\n\n\n"
        "# cell 5\nEPS = 1e-3\n")  # what helper sees when called: the last EPS
    assert (built.found, built.missing) == ({"f": 3, "G": 4}, [])
    assert built.broken == [(6, 1, "invalid syntax")]
    assert built.untaken == [Untaken("mean", 1, "f"), Untaken("n_sep", 3, "f")]
    exec(compile(built.content, "built", "exec"), {})  # defines, runs nothing of the notebook


def test_the_last_definition_wins_and_a_star_import_may_supply_a_name():
    built = build(STUB, [(1, "def f(x):\n    return 1"), (2, "from math import *"),
                         (3, "def f(x):\n    return floor(x)")], {"hw"})
    assert built.found == {"f": 3} and built.missing == ["G"]
    assert built.content.endswith("# cell 2\nfrom math import *\n\n\n"
                                  "# cell 3\ndef f(x):\n    return floor(x)\n")


def test_imports_of_the_graded_file_itself_are_not_taken():
    built = build(STUB, [(1, "from hw import provided, helper\nimport hw"),
                         (2, "def f(x):\n    return provided(x) + helper(x) + hw.SCALE")],
                  {"hw", "homework"})
    assert built.content.endswith("grader\n# cell 2\ndef f(x):\n"
                                  "    return provided(x) + helper(x) + hw.SCALE\n")
    assert built.untaken == [Untaken("helper", 1, "f"), Untaken("hw", 1, "f")]


def test_cells_defining_none_of_the_functions_provide_nothing():
    built = build(STUB, [(1, "def provided(x):\n    return 2"), (2, "x = (")], {"hw"})
    assert (built.content, built.missing, built.broken) == (None, ["f", "G"],
                                                           [(2, 1, "'(' was never closed")])


def test_files_and_writefile_cells_win_over_plain_cells(tmp_path):
    gan = (ROOT / "solutions/flows_gans/gan.py").read_text()
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "hw.ipynb").write_bytes(notebook(
        new_code_cell("class MADE:\n    pass"), new_code_cell("%%writefile flow_network.py\nx = 1"),
        *(cell for _, cell in definition_cells(gan, ["loss_nonsaturating_d"]))))
    flows_gans = load_assignment("flows_gans")
    staged = stage(flows_gans, [tmp_path / "sub"], tmp_path / "staged")
    assert staged.found == {"flow_network.py": "cell 2 of hw.ipynb",
                            "gan.py": "loss_nonsaturating_d (cell 3) of hw.ipynb"}
    assert staged.notes == ["hw.ipynb defines no loss_nonsaturating_g, "
                            "conditional_loss_nonsaturating_d, conditional_loss_nonsaturating_g, "
                            "loss_wasserstein_gp_d, loss_wasserstein_gp_g: "
                            "graded as not implemented"]
    (tmp_path / "sub" / "gan.py").write_text("from_file = 1\n")
    staged = stage(flows_gans, [tmp_path / "sub"], tmp_path / "staged2")
    assert staged.found["gan.py"] == "gan.py"


@pytest.mark.parametrize("assignment", ["flows_gans", "vae_gan_planar"])
def test_the_autograder_ships_the_stubs_that_plain_cells_are_built_on(assignment):
    graded = load_assignment(assignment)
    files = autograder_files(graded)
    for name in graded.files:
        assert files[f"assignments/{assignment}/{name}"] == (graded.student_dir / name).read_bytes()


def definition_cells(source: str, names: list[str]) -> list:
    """(name, code cell) for each top-level definition of ``source`` in ``names``, in order."""
    return [(node.name, new_code_cell(ast.get_source_segment(source, node)))
            for node in ast.parse(source).body if getattr(node, "name", None) in names]


SETUP = ("%matplotlib inline\n!pip install -q torch\nimport math\nimport numpy as np\n"
         "import torch\nimport torch.nn as nn\nimport torch.nn.functional as F\nfrom torch import autograd\n"
         "from google.colab import drive\ndrive.mount('/content/drive')\ntorch.randn?")
BROKEN = "def unfinished(x:\n    return"
CRASH = "import os, signal\nos.kill(os.getpid(), signal.SIGKILL)\nwhile True:\n    pass"


def plain_notebook(assignment: str, folder, path) -> dict[str, str]:
    """Write at ``path`` a notebook with the functions of ``folder``'s graded files in plain
    cells, among training, shell and broken cells; returns where each file's functions are."""
    cells = [new_markdown_cell("# Homework"), new_code_cell(SETUP), new_code_cell(BROKEN)]
    where = {}
    for name in load_assignment(assignment).files:
        names = student_names((ROOT / "assignments" / assignment / name).read_text())
        found = []
        for function, cell in definition_cells((folder / name).read_text(), names):
            cells.append(cell)
            found.append(f"{function} (cell {len(cells)})")
        cells.append(new_code_cell(CRASH))
        where[name] = ", ".join(found)
    path.write_bytes(notebook(*cells))
    return where


@pytest.mark.parametrize("assignment", ["flows_gans", "vae_gan_planar"])
def test_functions_in_plain_cells_are_graded_by_name(grade, tmp_path, assignment):
    where = plain_notebook(assignment, ROOT / "solutions" / assignment, tmp_path / "hw.ipynb")
    data = grade(assignment, tmp_path / "hw.ipynb")
    assert part_scores(data) == full_scores(assignment)
    for name, functions in where.items():
        assert f"Graded {name} from {functions} of hw.ipynb" in data["output"]
    assert ("Skipped the cells of hw.ipynb that are not valid Python: cell 3 (line 1: "
            in data["output"])


@pytest.mark.parametrize("assignment,mutant", [
    ("flows_gans", mistake("flows_gans", "positive log_det")),
    ("vae_gan_planar", mistake("vae_gan_planar", "no log 2 pi")),
], ids=["flows_gans", "vae_gan_planar"])
def test_a_wrong_function_in_a_plain_cell_loses_its_part_only(grade, tmp_path, assignment,
                                                               mutant):
    folder = materialize([mutant], assignment, tmp_path / "py")
    plain_notebook(assignment, folder, tmp_path / "hw.ipynb")
    scores = part_scores(grade(assignment, tmp_path / "hw.ipynb"))
    assert scores == part_scores(grade(assignment, *(folder / n for n in
                                                     load_assignment(assignment).files)))
    assert scores == {**full_scores(assignment), mutant.part: scores[mutant.part]}
    assert scores[mutant.part] < full_scores(assignment)[mutant.part]


@pytest.mark.parametrize("wrong_first", [True, False])
def test_a_function_defined_twice_is_graded_as_last_defined(grade, tmp_path, wrong_first):
    gan = (ROOT / "solutions/flows_gans/gan.py").read_text()
    right = [cell for _, cell in definition_cells(gan, student_names(
        (ROOT / "assignments/flows_gans/gan.py").read_text()))]
    wrong = new_code_cell(changed_definition("flows_gans", mistake("flows_gans", "d loss summed")))
    (tmp_path / "hw.ipynb").write_bytes(notebook(*([wrong, *right] if wrong_first
                                                   else [*right, wrong])))
    data = grade("flows_gans", tmp_path / "hw.ipynb")
    assert (part_scores(data)["2b"] == 4) == wrong_first
    assert f"loss_nonsaturating_d (cell {2 if wrong_first else 7})" in data["output"]


def test_the_feedback_names_the_cells_and_what_is_missing():
    notes = []
    nb = notebook(new_code_cell("data = load()"), new_code_cell("x = ("),
                  new_code_cell("def f(x):\n    return data"))
    assert pick("hw.py", [], {"hw.ipynb": nb}, notes, STUB) == (
        "f (cell 3) of hw.ipynb", build(STUB, [(1, "data = load()"), (2, "x = ("),
                                              (3, "def f(x):\n    return data")], {"hw"})
        .content.encode())
    assert notes == [
        "Skipped the cells of hw.ipynb that are not valid Python: cell 2 (line 1: "
        "'(' was never closed)",
        "hw.ipynb defines no G: graded as not implemented",
        "f uses `data`, which cell 1 of hw.ipynb sets in a statement the grader does not take "
        "(from plain cells it takes only definitions, imports of other modules and constants): "
        "`data` is undefined when f runs"]
