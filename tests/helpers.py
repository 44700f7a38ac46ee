"""Reading grading results in tests."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

from autograder.assignment import ROOT, load_assignment

# The sandbox's modes: namespaces where the machine allows them (as root here and in CI),
# and none, as on Gradescope, where a seccomp filter blocks the network instead.
NAMESPACES, NO_NAMESPACES = "namespaces", "no namespaces"
MODES = (NAMESPACES, NO_NAMESPACES)


def part_scores(data: dict[str, Any]) -> dict[str, float]:
    return {p: v["score"] for p, v in data["extra_data"]["parts"].items()}


def full_scores(assignment: str) -> dict[str, float]:
    return {p.id: p.points for p in load_assignment(assignment).parts.values()}


def end_to_end_parts(assignment: str) -> set[str]:
    """The parts graded by extra unittest tests: they run a whole file, so a mistake (or an
    attack) anywhere in it may cost their points too."""
    return {p.id for p in load_assignment(assignment).parts.values() if p.tests}


def feedback(data: dict[str, Any], part: str) -> str:
    return "\n".join(t["output"] for t in data["tests"] if part in t["tags"])


def broken_reference(tmp_path: Path) -> Path:
    """A copy of solutions/ whose flows_gans reference does not even import."""
    copy = tmp_path / "solutions"
    shutil.copytree(ROOT / "solutions", copy)
    (copy / "flows_gans" / "flow_network.py").write_text("def broken(:\n")
    return copy
