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
    lock_wait_seconds: float = 10.0
