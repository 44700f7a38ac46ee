"""Time grading one complete submission, as a whole process from a cold start, against
``python -c "import torch"`` on the same machine, runs interleaved so both see the same load.

    python scripts/benchmark.py [--repeat 5] [--assignment flows_gans ...]

Prints the median of each and their ratio (the target is at most 1.5).
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def seconds(command: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(command, cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


def main() -> int:
    from autograder.assignment import available

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--assignment", action="append", choices=available())
    args = parser.parse_args()
    baseline = [sys.executable, "-c", "import torch"]
    for name in args.assignment or available():
        grade = [sys.executable, "-m", "autograder", "grade", "--assignment", name,
                 f"solutions/{name}", "--quiet"]
        seconds(baseline), seconds(grade)  # warm the file cache
        torch_times, grade_times = [], []
        for _ in range(args.repeat):
            torch_times.append(seconds(baseline))
            grade_times.append(seconds(grade))
        t, g = statistics.median(torch_times), statistics.median(grade_times)
        print(f"{name}: import torch {t:.2f} s, grade one submission {g:.2f} s, "
              f"ratio {g / t:.2f} (target <= 1.5; median of {args.repeat})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
