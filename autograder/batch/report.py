"""The summary report of a batch: Markdown with PNG plots, for the course staff.

First what a TA looks at: each submission's share of each part's points (a heatmap) next to
each test's pass rate; then the score distribution, the mean score per part, the most
frequent diagnosed mistakes, the submissions that timed out, crashed or could not be graded,
and a row per submission with its grades and its notebook rendered to HTML. Every fact is
read from the results' ``extra_data`` (each test's ``status`` and ``diagnosis``, each part's
``score``, ``run``, ``exit_code`` and ``seconds``), never from the feedback's text.
"""

from __future__ import annotations

import functools
import statistics
from collections import Counter
from pathlib import Path
from typing import Any
from urllib.parse import quote

import numpy as np

from autograder.assignment import Assignment
from autograder.batch.gradebook import Graded, status
from autograder.batch.notebook_html import read_index

TOP_MISTAKES = 15
# Each test's extra_data.status, in the order the report counts them (see grade.py).
STATUSES = ("passed", "failed", "timed out", "out of time", "crashed", "not run")
PLOTS = {"parts": "part_scores.png", "rates": "test_pass_rates.png",
         "scores": "score_distribution.png"}


def write_report(folder: Path, assignment: Assignment, graded: list[Graded],
                 source: Path) -> Path:
    """Write ``report.md`` and its plots (``PLOTS``) to ``folder``, which holds the results."""
    full = assignment.total_points
    totals = [data["score"] for _, data in graded]
    rates = _pass_rates(graded)
    _plot_parts(folder / PLOTS["parts"], assignment, graded)
    _plot_rates(folder / PLOTS["rates"], rates)
    _plot_scores(folder / PLOTS["scores"], totals, full)
    lines = [f"# {assignment.name}: batch grading report", "",
             f"{assignment.title}: {len(graded)} submissions from `{source}`.", ""]
    if totals:
        lines += ["| mean | median | min | max | full marks | zero |", "|---|---|---|---|---|---|",
                  f"| {statistics.mean(totals):.2f} | {statistics.median(totals):.2f} | "
                  f"{min(totals):.2f} | {max(totals):.2f} | {totals.count(full)} | "
                  f"{totals.count(0)} |", ""]
    lines += ["## Share of each part's points, per submission", "",
              f"![share of each part's points per submission]({PLOTS['parts']})", "",
              "## Pass rate per test", "", f"![pass rate per test]({PLOTS['rates']})", "",
              "| test | name | passed | rate | not passed |", "|---|---|---|---|---|"]
    lines += [f"| {number} | {_cell(name)} | {counts['passed']}/{sum(counts.values())} | "
              f"{counts['passed'] / sum(counts.values()):.0%} | {_not_passed(counts)} |"
              for number, (name, counts) in rates.items()]
    lines += ["", "## Score distribution", "", f"![score distribution]({PLOTS['scores']})", "",
              "## Mean score per part", "", "| part | title | mean | points |", "|---|---|---|---|"]
    for part in assignment.parts.values():
        scores = [s["score"] for s in (_part(data, part.id) for _, data in graded) if s]
        mean = f"{statistics.mean(scores):.2f}" if scores else "-"
        lines.append(f"| {part.id} | {_cell(part.title)} | {mean} | {part.points:g} |")
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
    lines += ["", "## Submissions", "", *_submissions(folder, assignment, graded)]
    path = folder / "report.md"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _part(data: dict[str, Any], part_id: str) -> dict[str, Any] | None:
    """A part's ``extra_data.parts`` entry; None when the submission was not graded."""
    return data["extra_data"].get("parts", {}).get(part_id)


def _pass_rates(graded: list[Graded]) -> dict[str, tuple[str, Counter[str]]]:
    """Test number -> (name, how many submissions ended it in each status)."""
    rates: dict[str, tuple[str, Counter[str]]] = {}
    for _, data in graded:
        for test in data["tests"]:
            rates.setdefault(test["number"], (test["name"], Counter()))[1][
                test["extra_data"]["status"]] += 1
    return rates


def _not_passed(counts: Counter[str]) -> str:
    return ", ".join(f"{counts[s]} {s}" for s in STATUSES[1:] if counts[s]) or "-"


def _mistakes(graded: list[Graded]) -> Counter[tuple[str, str]]:
    """(part, diagnosed cause) -> how many submissions show it."""
    counts: Counter[tuple[str, str]] = Counter()
    for _, data in graded:
        counts.update({(t["extra_data"]["part"], t["extra_data"]["diagnosis"])
                       for t in data["tests"] if t["extra_data"].get("diagnosis")})
    return counts


def _what(data: dict[str, Any], state: str) -> str:
    """What went wrong with a submission whose status is not ``ok``."""
    extra = data["extra_data"]
    if state == "error":
        return extra["error"]
    if state == "no files":
        return "; ".join(extra.get("notes", []))
    ended = {t["extra_data"]["part"]: t["extra_data"]["run"] for t in data["tests"]
             if t["extra_data"]["run"] != "ok"}
    return "; ".join(_ended(part, run, extra["parts"][part]) for part, run in ended.items())


def _ended(part: str, run: str, data: dict[str, Any]) -> str:
    """How the process of a part ended early, from its ``run``, ``exit_code`` and ``seconds``."""
    after = f" after {data['seconds']:.1f} s" if data.get("seconds") is not None else ""
    if run != "crashed":
        return {"timed out": f"part {part}: timed out{after}",
                "out of time": f"part {part}: stopped by the time budget{after}",
                "not run": f"part {part}: not run, no time was left"}.get(
                    run, f"part {part}: {run}")
    code = data.get("exit_code")
    if code is None:
        return f"part {part}: the sandbox stopped"
    if code == 0:
        return f"part {part}: exited{after} before all its tests ran"
    how = f"killed by signal {-code}" if code < 0 else f"exited with status {code}"
    return f"part {part}: {how}{after}"


def _submissions(folder: Path, assignment: Assignment, graded: list[Graded]) -> list[str]:
    """One row per submission: its part scores, total, status and rendered notebooks."""
    parts = list(assignment.parts)
    rows = [f"| id | name | {' | '.join(parts)} | total | status | notebook |",
            "|---|---|" + "---|" * len(parts) + "---|---|---|"]
    for sub, data in graded:
        scores = [f"{p['score']:g}" if p else "-" for p in (_part(data, i) for i in parts)]
        rows.append(f"| {sub.id} | {_cell(sub.name)} | {' | '.join(scores)} | "
                    f"{data['score']:g} | {status(data)} | "
                    f"{_notebooks(sub.id, read_index(folder / sub.id))} |")
    return rows


def _notebooks(submission_id: str, entries: list[dict[str, Any]]) -> str:
    """Links to a submission's rendered notebooks, and why any could not be rendered."""
    cells = [f"[{_cell(e['path'])}]({quote(submission_id)}/{e['html']})" if e.get("html")
             else f"{_cell(e.get('path', '?'))}: {_cell(e.get('note', ''))}" for e in entries]
    return "<br>".join(cells) or "-"


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


@functools.cache
def load_plotting() -> Any:
    """matplotlib's pyplot, on the non-interactive backend; imported once (a second)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def _plot_parts(path: Path, assignment: Assignment, graded: list[Graded]) -> None:
    """Submissions x parts, each cell the share of the part's points (grey: not graded)."""
    plt = load_plotting()
    parts = list(assignment.parts.values())
    shares = np.array([[(s["score"] / s["max_score"]) if s and s["max_score"] else np.nan
                        for s in (_part(data, p.id) for p in parts)] for _, data in graded],
                      dtype=float).reshape(len(graded), len(parts))
    labelled = len(graded) <= 120
    fig, ax = plt.subplots(figsize=(2.5 + 0.55 * len(parts),
                                    min(1.8 + 0.2 * len(graded), 40 if labelled else 12)))
    cmap = plt.get_cmap("RdYlGn").with_extremes(bad="lightgrey")
    image = ax.imshow(np.ma.masked_invalid(shares), cmap=cmap, vmin=0, vmax=1, aspect="auto",
                      interpolation="nearest")
    ax.set_xticks(range(len(parts)), [p.id for p in parts])
    ax.xaxis.tick_top()
    if labelled:
        ax.set_yticks(range(len(graded)), [sub.id for sub, _ in graded], fontsize=7)
    else:
        ax.set_ylabel(f"{len(graded)} submissions, by id")
        ax.set_yticks([])
    fig.colorbar(image, ax=ax, label="share of the part's points", fraction=0.08)
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)


def _plot_scores(path: Path, totals: list[float], full: float) -> None:
    plt = load_plotting()
    fig, ax = plt.subplots(figsize=(7, 3.5))
    ax.hist(totals, bins=[full * i / 20 for i in range(21)], color="tab:blue", edgecolor="white")
    ax.set(xlabel=f"total score (out of {full:g})", ylabel="submissions", xlim=(0, full),
           title="Score distribution")
    ax.yaxis.get_major_locator().set_params(integer=True)
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)


def _plot_rates(path: Path, rates: dict[str, tuple[str, Counter[str]]]) -> None:
    plt = load_plotting()
    fig, ax = plt.subplots(figsize=(7, 1 + 0.25 * max(len(rates), 1)))
    numbers = list(rates)
    ax.barh(numbers, [100 * c["passed"] / sum(c.values()) for _, c in rates.values()],
            color="tab:green")
    ax.invert_yaxis()
    ax.set(xlabel="submissions passing (%)", xlim=(0, 100), title="Pass rate per test")
    ax.tick_params(axis="y", labelsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)
