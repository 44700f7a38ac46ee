"""Student files are generated from the reference, and the committed ones are up to date."""

import pytest

from autograder.assignment import available
from autograder.stubs import StubError, stale_stubs, strip_solutions


def test_solution_blocks_become_stubs():
    source = "def f(x):\n    \"\"\"Doc.\"\"\"\n    y = 1\n    # BEGIN SOLUTION\n    return x + y\n    # END SOLUTION\n"
    assert strip_solutions(source, "f.py") == (
        "def f(x):\n    \"\"\"Doc.\"\"\"\n    y = 1\n    # YOUR CODE HERE\n    raise NotImplementedError\n")


@pytest.mark.parametrize("source", ["# BEGIN SOLUTION\n", "# END SOLUTION\n",
                                    "# BEGIN SOLUTION\n# BEGIN SOLUTION\n"])
def test_unbalanced_markers_are_errors(source):
    with pytest.raises(StubError):
        strip_solutions(source, "f.py")


@pytest.mark.parametrize("assignment", available())
def test_committed_stubs_are_up_to_date(assignment):
    assert stale_stubs(assignment) == [], "run `make stubs`"


@pytest.mark.parametrize("assignment", available())
def test_student_files_hold_no_solution_or_private_file(assignment):
    from autograder.assignment import ROOT

    folder = ROOT / "assignments" / assignment
    assert not (folder / "mistakes.py").exists()
    for path in folder.rglob("*.py"):
        assert "BEGIN SOLUTION" not in path.read_text()
