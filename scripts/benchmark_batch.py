"""Time batch grading against the single-submission command run once per submission.

    python scripts/benchmark_batch.py [--assignment flows_gans] [--submissions 200] [--loop 20]
                                      [--jobs N]

Generates the submissions (the reference, the stubs, and every mistake and correct
alternative of ``solutions/<assignment>/mistakes.py``, in turn, shuffled with a fixed seed),
then times, as whole commands from a cold start, ``python -m autograder grade --batch`` on
all of them and a shell loop running ``python -m autograder grade`` once per submission.
The loop runs on the first ``--loop`` submissions, half before the batch and half after it
so that both see the same machine, and is extrapolated linearly to all of them (say
``--loop 200`` to run it all). Prints both times, their ratio (the target is at
least 10) and the batch's submissions per second per core.
"""

from __future__ import annotations

import argparse
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

LOOP = 'for s in "$@"; do "$PYTHON" -m autograder grade --assignment "$ASSIGNMENT" "$s" ' \
       '--out "$s.results.json" --quiet; done'


def make_submissions(assignment: str, count: int, dest: Path) -> list[Path]:
    """``count`` submission folders under ``dest``: correct, stubs and wrong ones, mixed."""
    from autograder.assignment import load_assignment, write_submission

    a = load_assignment(assignment)
    kinds = [("reference", []), ("stubs", None),
             *((v.name, [v]) for v in (*a.mistakes, *a.alternatives))]
    order = [kinds[i % len(kinds)] for i in range(count)]
    random.Random(0).shuffle(order)
    folders = []
    for i, (_, variants) in enumerate(order):
        folder = dest / f"student_{i:03d}"
        if variants is None:
            shutil.copytree(ROOT / "assignments" / assignment, folder)
        else:
            write_submission(a, variants, folder)
        folders.append(folder)
    return folders


def seconds(command: list[str], env: dict[str, str] | None = None) -> float:
    start = time.perf_counter()
    subprocess.run(command, cwd=ROOT, check=True, stdout=subprocess.DEVNULL, env=env)
    return time.perf_counter() - start


def main() -> int:
    from autograder.batch import default_jobs

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--assignment", default="flows_gans")
    parser.add_argument("--submissions", type=int, default=200)
    parser.add_argument("--loop", type=int, default=20, help="submissions graded one by one")
    parser.add_argument("--jobs", type=int, default=default_jobs())
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="benchmark-batch-") as tmp:
        folders = make_submissions(args.assignment, args.submissions, Path(tmp) / "class")
        looped = folders[:args.loop]
        env = {"PYTHON": sys.executable, "ASSIGNMENT": args.assignment, "PATH": "/usr/bin:/bin"}
        half = len(looped) // 2  # one half of the loop before the batch, one after: same load
        loop = seconds(["bash", "-c", LOOP, "bash", *map(str, looped[:half])], env=env)
        batch = seconds([sys.executable, "-m", "autograder", "grade", "--assignment",
                         args.assignment, str(Path(tmp) / "class"), "--batch",
                         str(Path(tmp) / "grades"), "--jobs", str(args.jobs), "--quiet"])
        loop += seconds(["bash", "-c", LOOP, "bash", *map(str, looped[half:])], env=env)
    n = len(folders)
    loop_all = loop * n / len(looped)
    how = "measured" if len(looped) == n else f"{loop:.1f} s for {len(looped)}, extrapolated"
    print(f"{args.assignment}, {n} submissions ({len(looped)} in the loop), {args.jobs} cores:")
    print(f"  shell loop, one `grade` per submission: {loop_all:.1f} s ({how})")
    print(f"  batch, `grade --batch --jobs {args.jobs}`:  {batch:.1f} s")
    print(f"  ratio {loop_all / batch:.1f} (target >= 10); batch: "
          f"{n / batch / args.jobs:.2f} submissions per second per core")
    return 0


if __name__ == "__main__":
    sys.exit(main())
