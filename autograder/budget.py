"""The time budget of one grading: a single deadline that all of its parts share.

Gradescope stops a submission at its timeout (10 minutes by default) and then shows no
feedback at all, so grading keeps its own, shorter deadline: each part's timeout is cut to
the time left, parts not reached are not run, and the end of the budget is kept for
judging and writing results.json.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

ENV = "AUTOGRADER_TIME_BUDGET"
DEFAULT_SECONDS = 480.0  # Gradescope's default timeout is 600 s
RESERVE_FRACTION, MAX_RESERVE = 0.1, 30.0  # kept for judging and writing


@dataclass(frozen=True)
class TimeBudget:
    seconds: float
    deadline: float  # on the time.monotonic() clock, which every process of the machine shares

    @classmethod
    def starting_at(cls, start: float, seconds: float) -> "TimeBudget":
        """A budget of ``seconds`` from ``start`` (a ``time.monotonic()`` reading)."""
        return cls(seconds, start + seconds)

    @property
    def parts_deadline(self) -> float:
        """When the last part must have ended: what is left after it judges and writes."""
        return self.deadline - min(RESERVE_FRACTION * self.seconds, MAX_RESERVE)

    @property
    def stuck_after(self) -> float:
        """When a sandbox still owing outcomes is taken as stuck: halfway through the
        reserve, a grace for its cleaning up that still leaves time to judge."""
        return (self.parts_deadline + self.deadline) / 2


def parse_seconds(text: str) -> float:
    """A budget in seconds: a positive number."""
    try:
        seconds = float(text)
    except ValueError:
        seconds = float("nan")
    if not seconds > 0 or seconds == float("inf"):
        raise ValueError(f"a time budget is a positive number of seconds, not {text!r}")
    return seconds


def seconds_from_env() -> float:
    """``$AUTOGRADER_TIME_BUDGET``, else the default."""
    value = os.environ.get(ENV)
    if value is None:
        return DEFAULT_SECONDS
    try:
        return parse_seconds(value)
    except ValueError as exc:
        raise ValueError(f"{ENV}: {exc}") from None
