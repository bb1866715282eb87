"""One frozen settings object, built by the CLI and passed down."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from importlib import resources
from pathlib import Path

# The official national rates ship inside the package, so a run works from any folder.
OFFICIAL_RATES = Path(str(resources.files("flows") / "national_rates.csv"))


@dataclass(frozen=True)
class Settings:
    input_dir: Path = Path("data/samples")
    db_path: Path = Path("data/ankestat.duckdb")
    out_dir: Path = Path("data/reports")
    reference_csv: Path = OFFICIAL_RATES
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

    def to_parameters(self) -> dict:
        """The settings as plain JSON values: the parameters of a served run, shown and editable in the UI."""
        return {name: str(value) if isinstance(value, Path) else value for name, value in asdict(self).items()}

    @classmethod
    def from_parameters(cls, parameters: dict) -> Settings:
        """The inverse of ``to_parameters``; a name Settings does not know is an error, not ignored."""
        paths = {name for name, value in asdict(cls()).items() if isinstance(value, Path)}
        return cls(**{name: Path(value) if name in paths else value for name, value in parameters.items()})

    @property
    def task_runner_label(self) -> str:
        if self.task_runner != "dask":
            return f"local ({self.reader_processes} reader processes)"
        if self.dask_address:
            return f"dask ({self.dask_address})"
        return f"dask (local cluster, {self.workers} workers)"
