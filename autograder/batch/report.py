"""The summary report of a batch: Markdown with PNG plots, for the course staff.

Score distribution, mean score per part, each test's pass rate, the most frequent diagnosed
mistakes (the ``Likely cause:`` lines of failing tests), and every submission that timed
out, crashed or could not be graded.
"""

from __future__ import annotations

import statistics
from collections import Counter
from pathlib import Path
from typing import Any

from autograder.assignment import Assignment
from autograder.batch.gradebook import OUT_OF_TIME, Graded, status

CAUSE = "Likely cause: "
TOP_MISTAKES = 15


def write_report(folder: Path, assignment: Assignment, graded: list[Graded],
                 source: Path) -> Path:
    """Write ``report.md``, ``score_distribution.png`` and ``test_pass_rates.png`` to ``folder``."""
    full = sum(p.points for p in assignment.parts.values())
    totals = [data["score"] for _, data in graded]
    rates = _pass_rates(graded)
    _plot_scores(folder / "score_distribution.png", totals, full)
    _plot_rates(folder / "test_pass_rates.png", rates)
    lines = [f"# {assignment.name}: batch grading report", "",
             f"{assignment.title}: {len(graded)} submissions from `{source}`.", ""]
    if totals:
        lines += ["| mean | median | min | max | full marks | zero |", "|---|---|---|---|---|---|",
                  f"| {statistics.mean(totals):.2f} | {statistics.median(totals):.2f} | "
                  f"{min(totals):.2f} | {max(totals):.2f} | {totals.count(full)} | "
                  f"{totals.count(0)} |", ""]
    lines += ["## Score distribution", "", "![score distribution](score_distribution.png)", "",
              "## Mean score per part", "", "| part | title | mean | points |", "|---|---|---|---|"]
    for part in assignment.parts.values():
        scores = [d["extra_data"]["parts"][part.id]["score"] for _, d in graded
                  if part.id in d["extra_data"].get("parts", {})]
        mean = f"{statistics.mean(scores):.2f}" if scores else "-"
        lines.append(f"| {part.id} | {_cell(part.title)} | {mean} | {part.points:g} |")
    lines += ["", "## Pass rate per test", "", "![pass rate per test](test_pass_rates.png)", "",
              "| test | name | passed | rate |", "|---|---|---|---|"]
    lines += [f"| {number} | {_cell(name)} | {passed}/{count} | {passed / count:.0%} |"
              for number, (name, passed, count) in rates.items()]
    lines += ["", "## Most frequent diagnosed mistakes", ""]
    mistakes = _mistakes(graded)
    lines += (["| submissions | part | likely cause |", "|---|---|---|"]
              + [f"| {n} | {part} | {_cell(cause)} |"
                 for (part, cause), n in mistakes.most_common(TOP_MISTAKES)]
              if mistakes else ["No failing test matched a catalogued mistake."])
    lines += ["", "## Timed out, crashed or not graded", ""]
    problems = [(sub, data, status(data)) for sub, data in graded if status(data) != "ok"]
    lines += (["| id | name | status | what happened |", "|---|---|---|---|"]
              + [f"| {sub.id} | {_cell(sub.name)} | {state} | {_cell(_what(data, state))} |"
                 for sub, data, state in problems]
              if problems else ["None."])
    path = folder / "report.md"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _pass_rates(graded: list[Graded]) -> dict[str, tuple[str, int, int]]:
    """Test number -> (name, submissions passing it, submissions that ran it)."""
    rates: dict[str, tuple[str, int, int]] = {}
    for _, data in graded:
        for test in data["tests"]:
            name, passed, count = rates.get(test["number"], (test["name"], 0, 0))
            rates[test["number"]] = (name, passed + (test["status"] == "passed"), count + 1)
    return rates


def _mistakes(graded: list[Graded]) -> Counter[tuple[str, str]]:
    """(part, diagnosed cause) -> how many submissions show it."""
    counts: Counter[tuple[str, str]] = Counter()
    for _, data in graded:
        counts.update({(t["tags"][0], line[len(CAUSE):].strip())
                       for t in data["tests"] if t["status"] != "passed"
                       for line in t["output"].splitlines() if line.startswith(CAUSE)})
    return counts


def _what(data: dict[str, Any], state: str) -> str:
    if state == "error":
        return data["extra_data"]["error"]
    if state == "no files":
        return "; ".join(data["output"].splitlines()[1:-1])  # the staging notes
    runs = OUT_OF_TIME if state == "timed out" else {"crashed"}
    return next(t["output"].splitlines()[0].lstrip("- ") for t in data["tests"]
                if t["extra_data"]["run"] in runs)


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _pyplot() -> Any:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def _plot_scores(path: Path, totals: list[float], full: float) -> None:
    plt = _pyplot()
    fig, ax = plt.subplots(figsize=(7, 3.5))
    ax.hist(totals, bins=[full * i / 20 for i in range(21)], color="tab:blue", edgecolor="white")
    ax.set(xlabel=f"total score (out of {full:g})", ylabel="submissions", xlim=(0, full),
           title="Score distribution")
    ax.yaxis.get_major_locator().set_params(integer=True)
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)


def _plot_rates(path: Path, rates: dict[str, tuple[str, int, int]]) -> None:
    plt = _pyplot()
    fig, ax = plt.subplots(figsize=(7, 1 + 0.25 * max(len(rates), 1)))
    numbers = list(rates)
    ax.barh(numbers, [100 * p / n for _, p, n in rates.values()], color="tab:green")
    ax.invert_yaxis()
    ax.set(xlabel="submissions passing (%)", xlim=(0, 100), title="Pass rate per test")
    ax.tick_params(axis="y", labelsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)
