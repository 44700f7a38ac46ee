"""Peak memory and time of run_autograder grading the reference, on a simulated /autograder.

    python scripts/measure_gradescope.py [ASSIGNMENT ...]

The whole process tree (grader, fork server, the part being run) is sampled every 20 ms.
Its memory, as the platform's 768 MB limit counts it, is estimated as every process's
private pages plus the largest set of shared ones (the processes are forks of the grader,
so they share much the same pages); summed RSS, which counts shared pages once per process,
bounds it from above. CPU time is that of every process in the tree; at the platform's
0.5 vCPU a run takes at least twice its CPU time.
"""

from __future__ import annotations

import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from autograder.assignment import available, load_assignment  # noqa: E402
from autograder.delivery.package import autograder_files, write_zip  # noqa: E402
from gradescope_sim import environment, is_root, platform_root, setup  # noqa: E402


def _tree(pid: int) -> list[int]:
    parents = {}
    for entry in os.listdir("/proc"):
        try:
            with open(f"/proc/{entry}/stat", "rb") as f:
                stat = f.read()
            parents[int(entry)] = int(stat[stat.rfind(b")") + 2:].split()[1])
        except (OSError, ValueError):
            continue
    tree, frontier = [pid], [pid]
    while frontier:
        frontier = [p for p, parent in parents.items() if parent in frontier]
        tree += frontier
    return tree


def _memory_kb(pids: list[int]) -> tuple[int, int]:
    """(estimate, summed RSS) of ``pids``' memory in kB; see the module's docstring."""
    private = shared = rss = 0
    for pid in pids:
        try:
            with open(f"/proc/{pid}/smaps_rollup") as f:
                fields = dict(line.split()[:2] for line in f if line.endswith("kB\n"))
        except OSError:
            continue
        mine = int(fields["Private_Clean:"]) + int(fields["Private_Dirty:"])
        private, rss = private + mine, rss + int(fields["Rss:"])
        shared = max(shared, int(fields["Rss:"]) - mine)
    return private + shared, rss


def measure(name: str) -> str:
    assignment = load_assignment(name)
    with tempfile.TemporaryDirectory() as tmp:
        root = platform_root(write_zip(Path(tmp) / "autograder.zip", autograder_files(assignment)))
        try:
            if is_root():
                setup(root).check_returncode()
            for file in assignment.files:
                shutil.copy(ROOT / "solutions" / name / file, root / "submission")
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            start = time.monotonic()
            process = subprocess.Popen([root / "source" / "run_autograder"], cwd=root,
                                       env=environment(root), stdout=subprocess.DEVNULL)
            peak_estimate = peak_rss = 0
            while process.poll() is None:
                estimate, rss = _memory_kb(_tree(process.pid))
                peak_estimate, peak_rss = max(peak_estimate, estimate), max(peak_rss, rss)
                time.sleep(0.02)
            wall = time.monotonic() - start
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
        finally:
            shutil.rmtree(root, ignore_errors=True)
    cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    return (f"{name}: {wall:.1f} s wall, {cpu:.1f} s CPU; peak memory {peak_estimate / 1024:.0f} MB"
            f" (at most {peak_rss / 1024:.0f} MB, summed RSS)")


if __name__ == "__main__":
    for assignment in sys.argv[1:] or available():
        print(measure(assignment))
