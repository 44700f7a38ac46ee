"""The gradebook: one CSV row per submission, with who submitted it and how grading went."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

from autograder.assignment import Assignment
from autograder.batch.roster import Submission

Graded = tuple[Submission, dict[str, Any]]  # a submission and its results.json content


def status(data: dict[str, Any]) -> str:
    """``ok``, ``timed out``, ``crashed``, ``no files`` or ``error`` (the grader failed)."""
    if "error" in data.get("extra_data", {}):
        return "error"
    outputs = [t["output"] for t in data["tests"]]
    if any("Timed out" in text for text in outputs):
        return "timed out"
    if any("The process running your code" in text for text in outputs):
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
