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


def grade_all(assignment: str, tasks: list[tuple[str, Path]], *, jobs: int,
              on_result: Callable[[str, dict[str, Any]], None], timeout_scale: float = 1.0,
              time_budget: float = DEFAULT_SECONDS, user: str | None = None,
              log: IO[str] | None = None,
              hide: tuple[Path, ...] = ()) -> None:
    """Grade each ``(submission_id, path)`` in ``jobs`` workers; ``on_result(id, results)``.

    ``hide``: folders student code must not see, such as the other students' submissions.
    """
    command = [sys.executable, "-m", "autograder.batch.pool", assignment, str(timeout_scale),
               str(time_budget), *([user] if user else [])]
    env = {**os.environ, "AUTOGRADER_HIDE": os.pathsep.join(str(p) for p in hide)}
    queue = list(reversed(tasks))
    with selectors.DefaultSelector() as selector:

        def start() -> None:
            worker = _Worker(subprocess.Popen(command, stdin=subprocess.PIPE, env=env,
                                              stdout=subprocess.PIPE, stderr=log, text=True))
            selector.register(worker.process.stdout, selectors.EVENT_READ, worker)
            worker.give(queue.pop())

        try:
            for _ in range(min(jobs, len(queue))):
                start()
            while selector.get_map():
                for key, _ in selector.select():
                    worker, answer = key.data, key.data.answer()
                    on_result(worker.task[0], answer["results"])
                    if answer["alive"] and queue:
                        worker.give(queue.pop())
                        continue
                    selector.unregister(worker.process.stdout)
                    worker.stop()
                    if queue:  # it died, or its sandbox did
                        start()
        finally:
            for key in list(selector.get_map().values()):
                key.data.process.kill()
                key.data.process.wait()


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
