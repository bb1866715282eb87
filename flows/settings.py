"""One frozen settings object, built by the CLI and passed down."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Settings:
    input_dir: Path = Path("data/samples")
    db_path: Path = Path("data/ankestat.duckdb")
    out_dir: Path = Path("data/reports")
    reference_csv: Path = Path("data/reference/national_rates.csv")
    strict: bool = False
    max_file_bytes: int = 50 * 1024 * 1024  # a minutes file larger than this is rejected, not read
    max_pages: int = 2000
    seconds_per_document: float = 60.0  # a document still being read after this is rejected
    max_memory_bytes: int = 2 * 1024**3  # address space of the child process reading a document
    lock_wait_seconds: float = 10.0
    rebuild: bool = False  # read every document again, changed or not (after an extractor upgrade)
    prune: bool = False  # forget documents whose file is gone, instead of marking them missing
    task_runner: str = "local"  # 'local' or 'dask'
    workers: int = 2  # Dask workers of a local cluster
    reader_processes: int = 2  # child processes that read and extract at once in a local run (one per core)
    batch_size: int = 500  # documents per batch streamed through extract -> validate -> load
    dask_address: str | None = None  # an existing Dask scheduler, e.g. tcp://127.0.0.1:8786

    @property
    def task_runner_label(self) -> str:
        if self.task_runner != "dask":
            return f"local ({self.reader_processes} reader processes)"
        if self.dask_address:
            return f"dask ({self.dask_address})"
        return f"dask (local cluster, {self.workers} workers)"
