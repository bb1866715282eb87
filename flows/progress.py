"""Progress of a long run: documents done, rate, time left."""

from __future__ import annotations

import sys
import time


def progress_line(done: int, total: int, elapsed: float, width: int = 24) -> str:
    """'[#########·······]  1200/2000  60%  85.1 docs/s  0:09 left'."""
    share = done / total if total else 1.0
    filled = int(round(share * width))
    rate = done / elapsed if elapsed > 0 else 0.0
    left = (total - done) / rate if rate > 0 else 0.0
    minutes, seconds = divmod(int(round(left)), 60)
    return (f"[{'#' * filled}{'·' * (width - filled)}] {done:>{len(str(total))}}/{total} {share:4.0%} "
            f"{rate:6.1f} docs/s  {minutes}:{seconds:02d} left")


class Progress:
    """Redraws one line on a terminal; on a log (no terminal) it writes a line every tenth of the run."""

    def __init__(self, total: int, log, stream=None):
        self.total, self.log = total, log
        self.stream = stream if stream is not None else sys.stderr
        self.done, self.started = 0, time.monotonic()
        self.next_log = 0.1
        self.live = self.stream.isatty()

    def update(self, n: int) -> None:
        self.done += n
        line = progress_line(self.done, self.total, time.monotonic() - self.started)
        if self.live:
            self.stream.write("\r" + line)
            self.stream.flush()
        elif self.total and self.done / self.total >= self.next_log:
            self.log(line)
            self.next_log = self.done / self.total + 0.1

    def close(self) -> None:
        if self.live and self.total:
            self.stream.write("\n")
