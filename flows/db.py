"""DuckDB: schema, loads (Arrow tables, one transaction per run), read-only queries."""

from __future__ import annotations

import time
from contextlib import contextmanager
from datetime import datetime
from importlib import resources
from pathlib import Path

import duckdb
import pandas as pd
import pyarrow as pa

from extract.municipalities import KOMMUNE_CODES
from flows.limits import DatabaseBusy, holder_of_duckdb_lock
from transform.frames import FINDING_COLUMNS, NATIONAL_COLUMNS, STATISTIC_COLUMNS, Finding


class ReadOnlyViolation(Exception):
    """A statement tried to change the database through the read-only connection."""


@contextmanager
def connect(path: Path, *, read_only: bool = False, wait_seconds: float = 10.0):
    """A connection to ``path``. DuckDB lets one process write a file at a time; a second run waits
    up to ``wait_seconds`` for the lock, then gives up with DatabaseBusy."""
    if read_only and not path.exists():
        raise FileNotFoundError(f"no database at {path}: run 'ankestat run' first")
    path.parent.mkdir(parents=True, exist_ok=True)
    con = _connect_waiting(path, read_only=read_only, wait_seconds=wait_seconds)
    try:
        yield con
    finally:
        con.close()


def _connect_waiting(path: Path, *, read_only: bool, wait_seconds: float, config: dict | None = None):
    deadline = time.monotonic() + wait_seconds
    while True:
        try:
            return duckdb.connect(str(path), read_only=read_only, config=config or {})
        except duckdb.IOException as error:
            if "lock" not in str(error).lower():
                raise
            if time.monotonic() >= deadline:
                holder = holder_of_duckdb_lock(str(error))
                raise DatabaseBusy(f"{path} is in use by {holder}; waited {wait_seconds:g} s, try again when it "
                                   f"ends") from None
            time.sleep(0.5)


def apply_schema(con: duckdb.DuckDBPyConnection) -> None:
    if _has_column(con, "core_statistics", "row_status"):
        _forget_old_layout(con)
    con.execute(resources.files("flows").joinpath("schema.sql").read_text(encoding="utf-8"))
    apply_figures(con)


def apply_figures(con: duckdb.DuckDBPyConnection) -> None:
    """The consolidated views (figures.sql) and the kommune codes they give every kommune."""
    con.execute(resources.files("flows").joinpath("figures.sql").read_text(encoding="utf-8"))
    con.executemany("INSERT OR REPLACE INTO reference_kommuner VALUES (?, ?)", list(KOMMUNE_CODES.items()))


def _has_column(con: duckdb.DuckDBPyConnection, table: str, column: str) -> bool:
    return bool(con.execute("SELECT count(*) FROM duckdb_columns() WHERE table_name = ? AND column_name = ?",
                            [table, column]).fetchone()[0])


def _forget_old_layout(con: duckdb.DuckDBPyConnection) -> None:
    """A database made before the findings table kept each statistic's status in its row and the failed
    checks in a table per run, not per document. Those rows cannot be split into findings again, so they are
    dropped and every document is forgotten: the next run reads them all once, as after ``--rebuild``."""
    con.execute("BEGIN TRANSACTION")
    for view in ("appeal_stats", "sql_findings", "validation_results"):
        if con.execute("SELECT count(*) FROM duckdb_views() WHERE view_name = ?", [view]).fetchone()[0]:
            con.execute(f"DROP VIEW {view}")
    for table in ("validation_results", "core_statistics", "reported_national_rates"):
        con.execute(f"DROP TABLE IF EXISTS {table}")
    con.execute("DELETE FROM documents")
    con.execute("COMMIT")


def known_documents(con: duckdb.DuckDBPyConnection) -> dict[str, tuple[str, str, str]]:
    """document name -> (sha256, status, reason) of what is loaded."""
    rows = con.execute("SELECT document, sha256, status, reason FROM documents").fetchall()
    return {name: (sha, status, reason) for name, sha, status, reason in rows}


# Arrow types of what a run loads, as schema.sql declares the tables.
_DOCUMENT_SCHEMA = pa.schema([
    ("document", pa.string()), ("sha256", pa.string()), ("format", pa.string()), ("municipality", pa.string()),
    ("committee", pa.string()), ("meeting_date", pa.date32()), ("status", pa.string()), ("reason", pa.string()),
    ("n_statistics", pa.int32()), ("loaded_at", pa.timestamp("us")), ("is_missing", pa.bool_()),
    ("notes", pa.string()),
])
_COUNT = pa.int32()
_STATISTIC_TYPES = {
    "meeting_date": pa.date32(), "year": _COUNT, "page": _COUNT, "char_start": _COUNT, "char_end": _COUNT,
    **{name: _COUNT for name in ("received", "decided", "stadfaestet", "hjemvist", "aendret", "afvist", "reversed")},
    **{name: pa.float64() for name in ("stadfaestet_pct", "hjemvist_pct", "aendret_pct", "reported_rate_pct",
                                       "computed_rate_pct", "national_rate_pct", "rate_pct")},
}
STATISTIC_SCHEMA = pa.schema([(c, _STATISTIC_TYPES.get(c, pa.string())) for c in STATISTIC_COLUMNS])
NATIONAL_SCHEMA = pa.schema([(c, _STATISTIC_TYPES.get(c, pa.string())) for c in NATIONAL_COLUMNS])
FINDING_SCHEMA = pa.schema([(c, pa.int32() if c == "position" else pa.string()) for c in FINDING_COLUMNS])


def statistics_table(rows: list[dict]) -> pa.Table:
    return pa.Table.from_pylist(rows, schema=STATISTIC_SCHEMA)


def load_batch(
    con: duckdb.DuckDBPyConnection,
    *,
    documents: list[dict],
    statistics: pa.Table,
    national_rates: list[dict],
    findings: list[Finding],
    run_id: str,
    checked_at: datetime,
) -> None:
    """Replace the given documents' rows and findings with these. The caller holds the run's transaction
    (``run_transaction``): nothing is visible, or kept after a crash, until the whole run commits."""
    names = [d["document"] for d in documents]
    if names:
        for table in ("findings", "core_statistics", "reported_national_rates", "documents"):
            con.execute(f"DELETE FROM {table} WHERE document IN (SELECT unnest(?::VARCHAR[]))", [names])
    finding_table = pa.table({c: [getattr(f, c) for f in findings] for c in FINDING_COLUMNS}, schema=FINDING_SCHEMA)
    finding_table = finding_table.append_column("run_id", pa.array([run_id] * len(findings), pa.string()))
    finding_table = finding_table.append_column("checked_at", pa.array([checked_at] * len(findings),
                                                                       pa.timestamp("us")))
    for table, incoming in (("documents", pa.Table.from_pylist(documents, schema=_DOCUMENT_SCHEMA)),
                            ("core_statistics", statistics),
                            ("reported_national_rates", pa.Table.from_pylist(national_rates, schema=NATIONAL_SCHEMA)),
                            ("findings", finding_table)):
        if incoming.num_rows:
            con.register("incoming", incoming)
            con.execute(f"INSERT INTO {table} BY NAME SELECT * FROM incoming")
            con.unregister("incoming")


def finish_run(con: duckdb.DuckDBPyConnection, *, reference: pa.Table, missing: list[str] = (),
               prune: bool = False) -> None:
    """Mark (or with ``prune`` forget) documents whose file is gone, and refresh the official rates."""
    gone = list(missing) if prune else []
    if gone:
        for table in ("findings", "core_statistics", "reported_national_rates", "documents"):
            con.execute(f"DELETE FROM {table} WHERE document IN (SELECT unnest(?::VARCHAR[]))", [gone])
    con.execute("UPDATE documents SET is_missing = document IN (SELECT unnest(?::VARCHAR[])) "
                "WHERE is_missing IS DISTINCT FROM (document IN (SELECT unnest(?::VARCHAR[])))",
                [list(missing), list(missing)])
    con.execute("DELETE FROM reference_national_rates")
    con.register("reference_frame", reference)
    con.execute("INSERT INTO reference_national_rates BY NAME SELECT * FROM reference_frame")
    con.unregister("reference_frame")


class RunTransaction:
    """One transaction for a whole run: nothing it loads is visible or kept until ``commit()``. A run that
    dies before (an error, Ctrl-C, a kill) leaves the database as it was, and a re-run reads again what this
    one had read."""

    def __init__(self, con: duckdb.DuckDBPyConnection):
        self.con, self.open = con, False

    def __enter__(self) -> RunTransaction:
        self.con.execute("BEGIN TRANSACTION")
        self.open = True
        return self

    def commit(self) -> None:
        self.con.execute("COMMIT")
        self.open = False

    def __exit__(self, *exc) -> None:
        if self.open:  # not committed: an error, or a caller that forgot; either way nothing is kept
            self.open = False
            self.con.execute("ROLLBACK")


def read_frames(con: duckdb.DuckDBPyConnection) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """(appeal_stats, documents, reference_national_rates) for the reports."""
    # execute() returns the connection itself: fetch each result before the next query.
    stats = con.execute("SELECT * FROM appeal_stats ORDER BY municipality, scope, year, period, paragraph_key").df()
    documents = con.execute("SELECT * FROM documents ORDER BY document").df()
    reference = con.execute("SELECT * FROM reference_national_rates ORDER BY period, scope").df()
    return stats, documents, reference


# The analyst's shell reads the database and nothing else: no files, no extensions, no ATTACH, and no
# statement can switch that back on (lock_configuration).
SANDBOX_CONFIG = {
    "enable_external_access": False,
    "autoload_known_extensions": False,
    "autoinstall_known_extensions": False,
    "lock_configuration": True,
}


class RefusedStatement(Exception):
    """A statement the read-only SQL shell does not run."""


def query(path: Path, sql: str) -> pd.DataFrame:
    """Run exactly one statement ``sql`` on a read-only connection that cannot touch any other file."""
    if not path.exists():
        raise FileNotFoundError(f"no database at {path}: run 'ankestat run' first")
    if not sql.strip():
        raise RefusedStatement("the statement is empty: give one SQL statement, e.g. \"SELECT * FROM appeal_stats\"")
    con = _connect_waiting(path, read_only=True, wait_seconds=10.0, config=SANDBOX_CONFIG)
    try:
        try:
            statements = con.extract_statements(sql)
        except duckdb.Error as error:
            raise RefusedStatement(f"the statement does not parse: {_first_line(error)}") from None
        if len(statements) != 1:
            raise RefusedStatement(f"ankestat sql runs exactly one statement; this has {len(statements)}")
        try:
            return con.execute(sql).df()
        except duckdb.PermissionException:
            raise RefusedStatement("refused: ankestat sql reads the database only; files, extensions and "
                                   "other databases are out of reach") from None
        except duckdb.InvalidInputException as error:
            if "configuration has been locked" in str(error):
                raise RefusedStatement("refused: ankestat sql cannot change its settings") from None
            raise
        except duckdb.Error as error:
            if "read-only" in str(error).lower() or "read only" in str(error).lower():
                raise ReadOnlyViolation("the sql command is read-only: it cannot change the database") from None
            raise
    finally:
        con.close()


def _first_line(error: Exception) -> str:
    lines = str(error).strip().splitlines()
    return lines[0] if lines else type(error).__name__


def export_parquet(con: duckdb.DuckDBPyConnection, out_dir: Path) -> list[Path]:
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for name in ("appeal_stats", "documents", "reported_national_rates", "kommune_figures", "national_figures"):
        target = out_dir / f"{name}.parquet"
        con.execute(f"COPY (SELECT * FROM {name}) TO '{target.as_posix()}' (FORMAT parquet)")
        written.append(target)
    return written


def read_figures(con: duckdb.DuckDBPyConnection) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(kommune_figures, national_figures) for the report."""
    figures = con.execute("SELECT * FROM kommune_figures ORDER BY municipality, scope, year, period, "
                          "area_label, paragraph_key").df()
    national = con.execute("SELECT * FROM national_figures ORDER BY year, period, scope, area_label, "
                           "paragraphs").df()
    return figures, national
