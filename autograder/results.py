"""Gradescope's results.json: built in memory by the trusted process, written once, atomically.

``write`` always leaves a valid file behind: if the results cannot be serialised, a
fallback that says so is written instead.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Any

SCHEMA_PATH = Path(__file__).with_name("results.schema.json")


def test_entry(*, name: str, number: str, score: float, max_score: float, output: str,
               tags: list[str], visibility: str, extra: dict[str, Any]) -> dict[str, Any]:
    """One test; ``tags`` start with its part's id."""
    return {
        "name": name,
        "number": number,
        "score": score,
        "max_score": max_score,
        "status": "passed" if score >= max_score else "failed",
        "output": output,
        "output_format": "text",
        "tags": tags,
        "visibility": visibility,
        "extra_data": extra,
    }


def results(tests: list[dict[str, Any]], *, output: str, execution_time: float,
            extra: dict[str, Any]) -> dict[str, Any]:
    return {
        "score": round(sum(t["score"] for t in tests), 4),
        "execution_time": round(execution_time, 3),
        "output": output,
        "output_format": "text",
        "test_output_format": "text",
        "visibility": "visible",
        "stdout_visibility": "hidden",
        "extra_data": extra,
        "tests": tests,
    }


def fallback(message: str, execution_time: float = 0.0) -> dict[str, Any]:
    return results([], output=f"The autograder could not grade this submission: {message}\n"
                   "This is not a verdict on your code; please tell the course staff.",
                   execution_time=execution_time, extra={"error": message})


def write(path: Path, data: dict[str, Any]) -> None:
    """Write ``data`` to ``path`` atomically; a fallback if it cannot be serialised."""
    try:
        text = json.dumps(data, indent=2, allow_nan=False)
    except (TypeError, ValueError) as exc:
        text = json.dumps(fallback(f"results could not be serialised ({exc})"), indent=2)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".results-", suffix=".json")
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        f.write(text + "\n")
    os.chmod(tmp, 0o644)
    os.replace(tmp, path)
