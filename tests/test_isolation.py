"""A crash, exit, hang or exception in one part costs that part only."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time

import pytest

from helpers import MODES, end_to_end_parts, feedback, full_scores, part_scores
from autograder.variants import Alternative
from variants import ROOT, change

FN = "flow_network.py"


def _inverse_doing(body: str) -> Alternative:
    return change("1b", FN, "MADE.inverse",
                  "def inverse(self, x):\n" + "\n".join(f"    {line}" for line in body.splitlines()))


HOSTILE = {
    "infinite loop": ("while True:\n    pass", "Timed out"),
    "sleep": ("import time\ntime.sleep(3600)", "Timed out"),
    "os._exit": ("import os\nos._exit(0)", "exited with status 0"),
    "segfault": ("import ctypes\nctypes.string_at(0)", "killed by signal 11"),
    "sys.exit": ("import sys\nsys.exit(0)", "sys.exit()"),
    "exception": ("raise ValueError('boom')", "ValueError: boom"),
    "KeyboardInterrupt": ("raise KeyboardInterrupt", "KeyboardInterrupt"),
    "swallowed timeout": ("import signal, time\nsignal.signal(signal.SIGTERM, signal.SIG_IGN)\n"
                          "while True:\n    try:\n        time.sleep(10)\n"
                          "    except BaseException:\n        pass", "Timed out"),
}


@pytest.mark.parametrize("name", HOSTILE)
def test_hostile_part_costs_only_its_part(grade_variants, name):
    body, message = HOSTILE[name]
    data = grade_variants("flows_gans", _inverse_doing(body), timeout_scale=0.05)
    scores, full = part_scores(data), full_scores("flows_gans")
    assert scores["1b"] == 0
    others = full.keys() - end_to_end_parts("flows_gans") - {"1b"}
    assert {p: scores[p] for p in others} == {p: full[p] for p in others}
    assert message in feedback(data, "1b")


def test_error_points_at_the_students_line(grade_variants):
    data = grade_variants("flows_gans", _inverse_doing("y = x * 2\nreturn y.foo()"))
    text = feedback(data, "1b")
    assert "AttributeError" in text and "flow_network.py, line" in text and "y.foo()" in text


def test_broken_file_costs_only_the_parts_in_it(grade, tmp_path):
    from variants import materialize

    folder = materialize([], "flows_gans", tmp_path / "s")
    (folder / "gan.py").write_text("import torch\ndef loss_nonsaturating_d(:\n")
    data = grade("flows_gans", folder)
    scores = part_scores(data)
    assert scores["2b"] == scores["4b"] == scores["5e"] == 0
    assert scores["1a"] == full_scores("flows_gans")["1a"]
    assert "gan.py could not be imported: SyntaxError at line 2" in feedback(data, "2b")


def test_exit_at_import_costs_only_the_parts_in_that_file(grade, tmp_path):
    from variants import materialize

    folder = materialize([], "flows_gans", tmp_path / "s")
    (folder / "gan.py").write_text("import sys\nsys.exit(3)\n")
    data = grade("flows_gans", folder)
    assert part_scores(data)["5e"] == 0 and part_scores(data)["1c"] > 0
    assert "SystemExit" in feedback(data, "5e")


@pytest.mark.parametrize("mode", MODES)
def test_student_code_may_import_anything_installed(grade_variants, mode):
    """As root, student code runs as another user: the whole Python installation stays usable
    (in a mount namespace the sandbox makes it reachable; without one, its permissions must)."""
    data = grade_variants("flows_gans", _inverse_doing(
        "import statistics, secrets, cProfile\nimport numpy as np\nnp.random.randn(3)\n"
        "torch.optim.SGD([torch.nn.Parameter(torch.zeros(2))], lr=0.1).step()\n"
        "mu, alpha = self.net(x).chunk(2, dim=1)\n"
        "return (x - mu) * torch.exp(-alpha), -alpha.sum(dim=1)"), mode=mode)
    notes = data["extra_data"]["parts"]["1b"]["sandbox"]["notes"]
    if notes:  # here Python may live under /root; Gradescope's venv is open to every user
        pytest.skip(notes[0])
    assert part_scores(data) == full_scores("flows_gans"), feedback(data, "1b")


HONEST = """
import multiprocessing, socket, threading, numpy as np, torch
from autograder.netblock import block_network
assert block_network() is None
try:
    socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    raise SystemExit("AF_INET is open")
except PermissionError:
    pass
parameter = torch.nn.Parameter(torch.randn(3))
optimiser = torch.optim.Adam([parameter], lr=0.1)
(parameter ** 2).sum().backward()
optimiser.step()
np.linalg.svd(np.random.randn(3, 3))
left, right = socket.socketpair()
left.sendall(b"x")
assert right.recv(1) == b"x"
worker = threading.Thread(target=torch.randn, args=(2,))
worker.start()
worker.join()
with multiprocessing.get_context("fork").Pool(2) as pool:
    assert pool.map(abs, [-1, -2]) == [1, 2]
print("fine")
"""


def test_the_network_filter_breaks_no_honest_code():
    """Under the seccomp filter (alone: as the user running the tests, who can read the
    whole installation) torch, its optimisers, numpy, threads, AF_UNIX sockets and even
    multiprocessing work."""
    done = subprocess.run([sys.executable, "-c", HONEST], cwd=ROOT, capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 0 and done.stdout == "fine\n", done.stderr


WITHOUT_LIBSECCOMP = """
import json, sys
from pathlib import Path
sys.modules["pyseccomp"] = None  # as if libseccomp (or its binding) were not installed
from autograder.assignment import load_assignment
from autograder.sandbox import Sandbox
with Sandbox(namespaces=False) as sandbox:
    from autograder.grade import grade
    data = grade(load_assignment("flows_gans"), [Path("solutions/flows_gans")], sandbox)
print(json.dumps({"score": data["score"], "parts": data["extra_data"]["parts"]}))
"""


def test_without_libseccomp_grading_goes_on_and_says_the_network_is_open():
    done = subprocess.run([sys.executable, "-c", WITHOUT_LIBSECCOMP], cwd=ROOT,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert data["score"] == sum(full_scores("flows_gans").values())
    sandbox = data["parts"]["1a"]["sandbox"]
    assert sandbox["network"] == "open"
    note = "no seccomp filter, the network is open: ModuleNotFoundError"
    assert any(n.startswith(note) for n in sandbox["notes"]), sandbox
    assert note in done.stderr  # the course staff read it in the grader's log


def test_results_come_in_time_even_from_a_stuck_sandbox(tmp_path):
    """A sandbox that never answers is given up on before the budget ends."""
    from autograder.assignment import load_assignment
    from autograder.budget import TimeBudget
    from autograder.grade import grade
    from autograder.sandbox import Sandbox

    with Sandbox() as stuck:  # forked here, after the reference: it never runs student code
        os.kill(stuck.pid, signal.SIGSTOP)
        budget = TimeBudget.starting_at(time.monotonic(), 8)
        data = grade(load_assignment("flows_gans"), [ROOT / "solutions" / "flows_gans"], stuck,
                     budget=budget)
        assert time.monotonic() < budget.deadline
    assert data["score"] == 0
    assert {p["run"] for p in data["extra_data"]["parts"].values()} == {"crashed"}
    assert all("The grading sandbox was stopped" in t["output"] for t in data["tests"])
