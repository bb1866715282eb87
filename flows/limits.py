"""Limits that keep one bad file or a second run from spoiling the nightly run."""

from __future__ import annotations

import fcntl
import time
from contextlib import contextmanager
from pathlib import Path


class DatabaseBusy(Exception):
    """Another ankestat run holds the database."""


@contextmanager
def run_lock(db_path: Path, wait_seconds: float):
    """Hold ``<db>.lock`` for a whole run, so that two runs against one database cannot interleave.
    A second run waits up to ``wait_seconds``, then gives up with DatabaseBusy."""
    db_path.parent.mkdir(parents=True, exist_ok=True)
    lock_path = db_path.with_name(db_path.name + ".lock")
    deadline = time.monotonic() + wait_seconds
    with lock_path.open("w") as handle:
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise DatabaseBusy(
                        f"another ankestat run is using {db_path}; waited {wait_seconds:g} s, try again later"
                    ) from None
                time.sleep(0.2)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
