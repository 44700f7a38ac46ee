"""Grade many submissions at once in worker processes, each with its own sandbox.

A worker is ``python -m autograder.batch.pool ASSIGNMENT TIMEOUT_SCALE TIME_BUDGET [USER]``
(the budget in seconds, each submission's own, from the start of its grading): it imports torch
once, forks its :class:`~autograder.sandbox.Sandbox` *before* any reference code loads, then
grades the tasks it reads from stdin, one JSON line each, and answers one JSON line each.
Workers are fresh processes rather than forks of the caller so that the sandboxed children
inherit no channel to the caller: a child's stdin/stdout are replaced, and the worker opens
nothing else before its sandbox exists.

A worker that dies takes only the submission it was grading with it (that one gets a
fallback results.json) and is replaced; so is one whose sandbox was killed by student code.
"""

from __future__ import annotations

import json
import os
import selectors
import subprocess
import sys
import time
import traceback
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, Callable

from autograder import results
from autograder.budget import DEFAULT_SECONDS, TimeBudget


@dataclass
class _Worker:
    process: subprocess.Popen
    task: tuple[str, Path] = ("", Path())

    def give(self, task: tuple[str, Path]) -> None:
        self.task = task
        try:
            self.process.stdin.write(json.dumps({"id": task[0], "path": str(task[1])}) + "\n")
            self.process.stdin.flush()
        except OSError:
            pass  # it died: reading its answer reports the end of file

    def answer(self) -> dict[str, Any]:
        """``{"results": ..., "alive": ...}``; a fallback when the worker died on this task."""
        try:
            return json.loads(self.process.stdout.readline())
        except ValueError:  # end of file, or garbage: the worker is gone
            self.process.kill()
            return {"results": results.fallback("the grading process died while grading "
                                                "this submission"), "alive": False}

    def stop(self) -> None:
        self.process.stdin.close()  # its loop ends, its sandbox closes
        self.process.wait()


class Pool:
    """``jobs`` grading workers, started at once: each imports torch and readies its sandbox
    while the caller reads the class (a batch's own process imports torch after this).

    ``hide``: folders student code must not see, such as the other students' submissions.
    ``grade`` once, then ``close`` (or use ``with``).
    """

    def __init__(self, assignment: str, *, jobs: int, timeout_scale: float = 1.0,
                 time_budget: float = DEFAULT_SECONDS, user: str | None = None,
                 log: IO[str] | None = None, hide: tuple[Path, ...] = ()) -> None:
        self._command = [sys.executable, "-m", "autograder.batch.pool", assignment,
                         str(timeout_scale), str(time_budget), *([user] if user else [])]
        self._env = {**os.environ, "AUTOGRADER_HIDE": os.pathsep.join(str(p) for p in hide)}
        self._log = log
        self._alive: list[_Worker] = []
        self._idle = [self._start() for _ in range(jobs)]

    def _start(self) -> _Worker:
        worker = _Worker(subprocess.Popen(self._command, stdin=subprocess.PIPE, env=self._env,
                                          stdout=subprocess.PIPE, stderr=self._log, text=True))
        self._alive.append(worker)
        return worker

    def _stop(self, worker: _Worker) -> None:
        self._alive.remove(worker)
        worker.stop()

    def grade(self, tasks: list[tuple[str, Path]],
              on_result: Callable[[str, dict[str, Any]], None]) -> None:
        """Grade each ``(submission_id, path)``; ``on_result(id, results)`` as each ends. Workers
        beyond the number of tasks are killed unused: they hold nothing."""
        queue = list(reversed(tasks))
        with selectors.DefaultSelector() as selector:

            def give(worker: _Worker) -> None:
                selector.register(worker.process.stdout, selectors.EVENT_READ, worker)
                worker.give(queue.pop())

            while self._idle and queue:
                give(self._idle.pop())
            while selector.get_map():
                for key, _ in selector.select():
                    worker, answer = key.data, key.data.answer()
                    on_result(worker.task[0], answer["results"])
                    if answer["alive"] and queue:
                        worker.give(queue.pop())
                        continue
                    selector.unregister(worker.process.stdout)
                    self._stop(worker)
                    if queue:  # it died, or its sandbox did
                        give(self._start())
        self.close()

    def close(self) -> None:
        """Kill every worker still there (after an error, or Ctrl-C)."""
        for worker in self._alive:
            worker.process.kill()
            worker.process.wait()
        self._alive, self._idle = [], []

    def __enter__(self) -> "Pool":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _serve(assignment_name: str, timeout_scale: float, time_budget: float,
           user: str | None) -> None:
    """The worker: a sandbox first, then grade each task read from stdin."""
    from autograder.assignment import load_assignment
    from autograder.sandbox import Sandbox

    assignment = load_assignment(assignment_name)
    # forked before the reference is imported; one part at a time: a worker runs per core
    with Sandbox(user=user, parallel=1) as sandbox:
        from autograder.grade import grade

        channel = os.fdopen(os.dup(1), "w")  # opened after the sandbox: no child inherits it
        os.dup2(2, 1)  # anything printed while grading goes to the log, not the channel
        for line in sys.stdin:
            task = json.loads(line)
            start = time.monotonic()
            try:
                data = grade(assignment, [Path(task["path"])], sandbox,
                             submission_id=task["id"], timeout_scale=timeout_scale,
                             budget=TimeBudget.starting_at(start, time_budget))
            except Exception as exc:  # noqa: BLE001 - one submission never stops the batch
                traceback.print_exc()
                data = results.fallback(f"{type(exc).__name__}: {exc}", time.monotonic() - start)
            alive = os.waitid(os.P_PID, sandbox.pid, os.WEXITED | os.WNOHANG | os.WNOWAIT) is None
            channel.write(json.dumps({"results": data, "alive": alive}) + "\n")
            channel.flush()
            if not alive:
                return


if __name__ == "__main__":
    _serve(sys.argv[1], float(sys.argv[2]), float(sys.argv[3]),
           sys.argv[4] if len(sys.argv) > 4 else None)
