"""Limits that keep one bad file or a second run from spoiling the nightly run."""

from __future__ import annotations

import fcntl
import os
import re
import time
from contextlib import contextmanager
from pathlib import Path


class DatabaseBusy(Exception):
    """Another ankestat run holds the database."""


@contextmanager
def run_lock(db_path: Path, wait_seconds: float, kind: str = "run"):
    """Hold ``<db>.lock`` for a whole run (or report), so that two of them cannot interleave. A second one
    waits up to ``wait_seconds``, then gives up with DatabaseBusy naming the holder; ``kind`` is what this
    holder is called in that message."""
    db_path.parent.mkdir(parents=True, exist_ok=True)
    lock_path = db_path.with_name(db_path.name + ".lock")
    deadline = time.monotonic() + wait_seconds
    with lock_path.open("a+") as handle:
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    handle.seek(0)
                    holder = handle.read().strip() or "another ankestat run"
                    raise DatabaseBusy(f"{holder} is using {db_path}; waited {wait_seconds:g} s, try again later"
                                       ) from None
                time.sleep(0.2)
        handle.seek(0)
        handle.truncate()
        handle.write(f"another ankestat {kind} (pid {os.getpid()})")
        handle.flush()
        try:
            yield
        finally:
            handle.truncate(0)
            fcntl.flock(handle, fcntl.LOCK_UN)


def holder_of_duckdb_lock(message: str) -> str:
    """Who holds a DuckDB file, from DuckDB's lock error ("... Conflicting lock is held in ... (PID 123)"):
    an open `ankestat sql`, an ankestat run, or some other process."""
    match = re.search(r"PID (\d+)", message)
    if not match:
        return "another process"
    pid = int(match.group(1))
    try:
        args = Path(f"/proc/{pid}/cmdline").read_bytes().decode(errors="replace").split("\0")
    except OSError:
        return f"another process (pid {pid})"
    is_ankestat = any(a.endswith(("ankestat", "flows.cli")) for a in args)
    if is_ankestat and "sql" in args:
        return f"an open `ankestat sql` (pid {pid})"
    for kind in ("run", "report", "serve"):
        if is_ankestat and kind in args:
            return f"an ankestat {kind} (pid {pid})"
    return f"another process (pid {pid}: {' '.join(a for a in args if a)[:80]})"
