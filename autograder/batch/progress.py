"""A one-line progress bar with an ETA: ``[########------------] 12/30  40%  8s, ETA 12s``."""

from __future__ import annotations

import sys
import time
from typing import TextIO


class Progress:
    """Redrawn in place on a terminal; elsewhere (logs, CI) a line every tenth of the way."""

    def __init__(self, total: int, stream: TextIO = sys.stderr, width: int = 24) -> None:
        self.total, self.stream, self.width = total, stream, width
        self.done = 0
        self.start = time.monotonic()
        self.live = stream.isatty()

    def advance(self, note: str = "") -> None:
        self.done += 1
        if self.live or self.done == self.total or self.done % max(self.total // 10, 1) == 0:
            end = "\n" if not self.live or self.done == self.total else ""
            self.stream.write(("\r\033[K" if self.live else "") + self.line(note) + end)
            self.stream.flush()

    def line(self, note: str = "") -> str:
        elapsed = time.monotonic() - self.start
        filled = self.width * self.done // max(self.total, 1)
        eta = elapsed / self.done * (self.total - self.done) if self.done else 0.0
        return (f"[{'#' * filled}{'-' * (self.width - filled)}] {self.done}/{self.total} "
                f"{100 * self.done // max(self.total, 1):3d}%  {elapsed:.0f}s, ETA {eta:.0f}s"
                + (f"  {note}" if note else ""))
