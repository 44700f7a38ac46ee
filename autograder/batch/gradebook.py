"""The gradebook: one CSV row per submission, with who submitted it and how grading went."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

from autograder.assignment import Assignment
from autograder.batch.roster import Submission

Graded = tuple[Submission, dict[str, Any]]  # a submission and its results.json content
OUT_OF_TIME = {"timed out", "out of time", "not run"}  # how a test's run ended (grade.py)


def status(data: dict[str, Any]) -> str:
    """``ok``, ``timed out`` (a part's timeout or the time budget), ``crashed``, ``no files``
    or ``error`` (the grader failed), from how each test's run ended."""
    if "error" in data.get("extra_data", {}):
        return "error"
    runs = {t["extra_data"]["run"] for t in data["tests"]}
    if runs & OUT_OF_TIME:
        return "timed out"
    if "crashed" in runs:
        return "crashed"
    return "ok" if data["extra_data"].get("files") else "no files"


def write_gradebook(path: Path, assignment: Assignment, graded: list[Graded]) -> None:
    """``id, name, email, sid``, one column per part, ``total, seconds, status``."""
    parts = list(assignment.parts)
    with path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(["id", "name", "email", "sid", *parts, "total", "seconds", "status"])
        for sub, data in graded:
            scores = data.get("extra_data", {}).get("parts", {})
            writer.writerow([sub.id, sub.name, sub.email, sub.sid,
                             *(scores.get(p, {}).get("score", 0.0) for p in parts),
                             data["score"], data["execution_time"], status(data)])
