"""Grade a whole class: every submission in a folder, in parallel, skipping unchanged ones.

    python -m autograder grade --assignment A DIR --batch OUT_DIR [--jobs N] [--force]

Under ``OUT_DIR``: ``<id>/results.json`` and its cache key ``<id>/cache.json`` for each
submission, with its notebooks rendered to HTML (``<id>/notebook.html``, listed in
``<id>/notebooks.json``), ``gradebook.csv``, ``report.md`` with its plots, and ``batch.log``
(what the grading workers printed, tracebacks included).
"""

from __future__ import annotations

import json
import os
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from autograder import results
from autograder.assignment import load_assignment
from autograder.budget import DEFAULT_SECONDS
from autograder.batch.cache import cache_key, grader_fingerprint, is_fresh, store
from autograder.batch.gradebook import status, write_gradebook
from autograder.batch.notebook_html import Renderer, render_notebooks
from autograder.batch.pool import Pool
from autograder.batch.progress import Progress
from autograder.batch.report import load_plotting, write_report
from autograder.batch.roster import find_submissions


@dataclass
class Summary:
    out_dir: Path
    submissions: int
    graded: int  # the rest came from the cache
    seconds: float
    jobs: int
    statuses: Counter[str]

    def __str__(self) -> str:
        states = ", ".join(f"{n} {state}" for state, n in sorted(self.statuses.items()))
        return (f"{self.submissions} submissions in {self.seconds:.1f} s: {self.graded} graded "
                f"({self.jobs} in parallel), {self.submissions - self.graded} from the cache; "
                f"{states or 'none'}\n"
                f"gradebook {self.out_dir / 'gradebook.csv'}, report {self.out_dir / 'report.md'}, "
                f"results {self.out_dir}/<id>/results.json")


def default_jobs() -> int:
    """The cores this process may run on."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def grade_batch(assignment_name: str, folder: Path, out_dir: Path, *, jobs: int | None = None,
                force: bool = False, timeout_scale: float = 1.0, user: str | None = None,
                time_budget: float = DEFAULT_SECONDS, progress: bool = True) -> Summary:
    """Grade every submission in ``folder`` into ``out_dir``; write the gradebook and report.

    ``time_budget``: the seconds each submission may take, all its parts together."""
    start = time.monotonic()
    submissions = find_submissions(folder)
    jobs = max(jobs or default_jobs(), 1)
    out_dir.mkdir(parents=True, exist_ok=True)
    with (out_dir / "batch.log").open("w") as log, \
            Pool(assignment_name, jobs=min(jobs, len(submissions)),
                 timeout_scale=timeout_scale, time_budget=time_budget, user=user, log=log,
                 hide=(folder.resolve(), out_dir.resolve())) as pool:
        # The workers start first: their imports overlap this process's (loading the
        # assignment imports torch) and the staging of every submission for its cache key.
        assignment = load_assignment(assignment_name)
        fingerprint = grader_fingerprint(assignment)
        keys = {s.id: cache_key(assignment, s.path, s.id, fingerprint, timeout_scale,
                                time_budget) for s in submissions}
        todo = [s for s in submissions if force or not is_fresh(out_dir / s.id, keys[s.id])]
        bar = Progress(len(todo)) if progress and todo else None
        jobs = min(jobs, len(todo))

        def save(submission_id: str, data: dict[str, Any]) -> None:
            results.write(out_dir / submission_id / "results.json", data)
            graded_ok = "error" not in data["extra_data"]  # a grader failure is retried next time
            store(out_dir / submission_id, keys[submission_id] if graded_ok else None)
            if bar:
                bar.advance(submission_id)

        # While the workers grade, a thread of this process has the notebooks rendered (by one
        # server), then imports what the report plots with (a second, otherwise at the end).
        with Renderer() as renderer, ThreadPoolExecutor(1) as thread:
            rendered = thread.submit(lambda: [render_notebooks(s.path, out_dir / s.id, renderer)
                                              for s in submissions])
            plotting = thread.submit(load_plotting)
            pool.grade([(s.id, s.path.resolve()) for s in todo], on_result=save)
            rendered.result()
            plotting.result()
    graded = [(s, json.loads((out_dir / s.id / "results.json").read_text())) for s in submissions]
    write_gradebook(out_dir / "gradebook.csv", assignment, graded)
    write_report(out_dir, assignment, graded, folder)
    return Summary(out_dir, len(submissions), len(todo), time.monotonic() - start, jobs,
                   Counter(status(data) for _, data in graded))
