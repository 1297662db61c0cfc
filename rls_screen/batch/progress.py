"""The progress line of a batch run on a terminal.

Headless: imports neither textual nor rich.
"""

from __future__ import annotations

import time
from typing import IO

from rls_screen.core.texts import ui


class Progress:
    """One line on a terminal, redrawn with \\r at most ten times a second."""

    INTERVAL = 0.1

    def __init__(self, stream: IO[str], total_bytes: int | None) -> None:
        self.stream = stream
        self.total = total_bytes
        self.start = self.next = time.monotonic()  # the first update draws
        self.shown = False

    def update(self, records: int, done_bytes: int | None) -> None:
        now = time.monotonic()
        if now < self.next:
            return
        self.next = now + self.INTERVAL
        rate = records / max(now - self.start, 1e-9)
        if self.total and done_bytes is not None:
            read = min(done_bytes / self.total, 1.0)
            text = ui("batch.progress.line_read", records=records, rate=rate, read=read)
        else:
            text = ui("batch.progress.line", records=records, rate=rate)
        self.stream.write(f"\r{text}\x1b[K")
        self.stream.flush()
        self.shown = True

    def clear(self) -> None:
        if self.shown:
            self.stream.write("\r\x1b[K")
            self.stream.flush()
            self.shown = False
