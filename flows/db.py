"""DuckDB: schema, atomic loads, read-only queries."""

from __future__ import annotations

import time
from contextlib import contextmanager
from importlib import resources
from pathlib import Path

import duckdb
import pandas as pd

from extract.municipalities import KOMMUNE_CODES
from flows.limits import DatabaseBusy, holder_of_duckdb_lock
from transform.frames import NATIONAL_COLUMNS, STATISTIC_COLUMNS


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
    con.execute(resources.files("flows").joinpath("schema.sql").read_text(encoding="utf-8"))
    apply_figures(con)


def apply_figures(con: duckdb.DuckDBPyConnection) -> None:
    """The consolidated views (figures.sql) and the kommune codes they give every kommune."""
    con.execute(resources.files("flows").joinpath("figures.sql").read_text(encoding="utf-8"))
    con.executemany("INSERT OR REPLACE INTO reference_kommuner VALUES (?, ?)", list(KOMMUNE_CODES.items()))


def known_documents(con: duckdb.DuckDBPyConnection) -> dict[str, tuple[str, str, str]]:
    """document name -> (sha256, status, reason) of what is loaded."""
    rows = con.execute("SELECT document, sha256, status, reason FROM documents").fetchall()
    return {name: (sha, status, reason) for name, sha, status, reason in rows}


def load_run(
    con: duckdb.DuckDBPyConnection,
    *,
    documents: list[dict],
    statistics: list[dict],
    national_rates: list[dict],
    reference: pd.DataFrame,
    findings: list[dict],
    run_id: str,
    missing: list[str] = (),
    prune: bool = False,
) -> None:
    """Replace the given documents' rows, mark (or with ``prune`` forget) documents whose file is gone, and
    record the run's findings, all in one transaction: a run that dies halfway leaves the database as it was."""
    names = [d["document"] for d in documents]
    gone = list(missing) if prune else []
    con.execute("BEGIN TRANSACTION")
    try:
        if names or gone:
            for table in ("core_statistics", "reported_national_rates", "documents"):
                con.execute(f"DELETE FROM {table} WHERE document IN (SELECT unnest(?))", [names + gone])
        con.execute("UPDATE documents SET is_missing = document IN (SELECT unnest(?::VARCHAR[])) "
                    "WHERE is_missing IS DISTINCT FROM (document IN (SELECT unnest(?::VARCHAR[])))",
                    [list(missing), list(missing)])
        _insert(con, "documents", documents, list(documents[0]) if documents else [])
        _insert(con, "core_statistics", statistics, STATISTIC_COLUMNS)
        _insert(con, "reported_national_rates", national_rates, NATIONAL_COLUMNS)
        con.execute("DELETE FROM reference_national_rates")
        con.register("reference_frame", reference)
        con.execute("INSERT INTO reference_national_rates BY NAME SELECT * FROM reference_frame")
        con.unregister("reference_frame")
        sql_findings = con.execute("SELECT stat_id, check_name, severity, message FROM sql_findings").fetchall()
        rows = findings + [
            {"stat_id": s, "check_name": c, "severity": sev, "message": m} for s, c, sev, m in sql_findings
        ]
        con.execute("DELETE FROM validation_results WHERE run_id = ?", [run_id])
        _insert(con, "validation_results", [{**r, "run_id": run_id} for r in rows],
                ["run_id", "check_name", "severity", "stat_id", "message"], stamp="checked_at")
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise


def _insert(con, table: str, rows: list[dict], columns, stamp: str | None = None) -> None:
    if not rows:
        return
    frame = pd.DataFrame(rows, columns=list(columns))
    con.register("incoming", frame)
    stamp_sql = f", now()::TIMESTAMP AS {stamp}" if stamp else ""
    con.execute(f"INSERT INTO {table} BY NAME SELECT *{stamp_sql} FROM incoming")
    con.unregister("incoming")


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
