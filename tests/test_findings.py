"""One findings table, replaced with its document; status derived once, in appeal_stats. A real DuckDB file,
real documents read through the child reader; no Prefect."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

import duckdb
import pyarrow as pa
import pytest

from flows import db
from flows.documents import process_file
from flows.settings import Settings
from tests.expected import SAMPLES
from transform.frames import Finding

NOW = datetime(2024, 1, 1)
RODOVRE = "000_03d8cac4ca15eb82.txt"
REFERENCE = pa.table({"period": ["2021"], "scope": ["all"], "area_label": [None], "national_rate_pct": [26.0],
                      "source_url": [None], "quote": [None]})


def _load(con, result, findings, run_id="run-1"):
    with db.RunTransaction(con) as transaction:
        db.load_batch(con, documents=[result.document], statistics=db.statistics_table(result.statistics),
                      national_rates=result.national_rates, findings=findings, run_id=run_id, checked_at=NOW)
        db.finish_run(con, reference=REFERENCE)
        transaction.commit()


def _status(con):
    return con.execute("SELECT stat_id, status, messages FROM appeal_stats ORDER BY stat_id").fetchall()


@pytest.fixture
def loaded(tmp_path):
    result = process_file(SAMPLES / RODOVRE, RODOVRE, Settings(), NOW)
    assert result.statistics and not result.findings
    con = duckdb.connect(str(tmp_path / "f.duckdb"))
    db.apply_schema(con)
    yield con, result
    con.close()


def test_status_is_derived_once_from_all_findings(loaded):
    con, result = loaded
    sid = result.statistics[0]["stat_id"]
    _load(con, result, [])
    assert _status(con)[0][1:] == ("valid", "")
    warn = Finding(RODOVRE, sid, "shares_match_counts", "warning", "andelen passer ikke", "row", 0)
    quarantine = Finding(RODOVRE, sid, "scope_is_known", "quarantine", "området skal være et kendt område",
                         "expectation", 100)
    _load(con, result, [quarantine, warn])
    assert _status(con)[0][1:] == ("quarantined", "andelen passer ikke; området skal være et kendt område")
    _load(con, result, [warn, replace(warn, code="values_in_range")])  # the same message twice: shown once
    assert _status(con)[0][1:] == ("warning", "andelen passer ikke")


def test_a_documents_findings_are_replaced_with_it_and_an_uncommitted_run_leaves_nothing(loaded):
    con, result = loaded
    sid = result.statistics[0]["stat_id"]
    _load(con, result, [Finding(RODOVRE, sid, "rate_matches_counts", "quarantine", "gammel", "row", 0)])
    _load(con, result, [], run_id="run-2")  # the document read again: its old finding goes with its old rows
    assert con.execute("SELECT count(*) FROM findings").fetchone() == (0,)
    with pytest.raises(RuntimeError), db.RunTransaction(con):
        db.load_batch(con, documents=[result.document], statistics=db.statistics_table(result.statistics),
                      national_rates=[], findings=[Finding(RODOVRE, sid, "x", "quarantine", "ny", "row", 0)],
                      run_id="run-3", checked_at=NOW)
        raise RuntimeError("the run dies before its commit")
    assert con.execute("SELECT count(*) FROM findings").fetchone() == (0,)
    assert _status(con)[0][1] == "valid"
    assert len(_status(con)) == len(result.statistics)


def test_validation_results_is_a_view_over_all_findings(loaded):
    con, result = loaded
    changed = [dict(row, national_rate_pct=27.0) if row["scope"] == "all" and row["paragraph_key"] is None else row
               for row in result.statistics]
    _load(con, replace(result, statistics=changed), [])
    [(code, severity, source, message)] = con.execute(
        "SELECT check_name, severity, source, message FROM validation_results").fetchall()
    assert (code, severity, source) == ("national_matches_official", "warning", "sql")
    assert message.startswith("landsgennemsnittet 27 pct. afviger fra det officielle 26 pct.")


def test_a_database_of_the_old_layout_is_read_again(tmp_path):
    """Before the findings table a statistic's status sat in its row; such a database forgets its documents
    once, so the next run reads them all and writes their findings."""
    path = tmp_path / "old.duckdb"
    with duckdb.connect(str(path)) as con:
        con.execute("CREATE TABLE documents (document VARCHAR PRIMARY KEY, sha256 VARCHAR NOT NULL, format VARCHAR, "
                    "municipality VARCHAR, committee VARCHAR, meeting_date DATE, status VARCHAR NOT NULL, "
                    "reason VARCHAR, n_statistics INTEGER NOT NULL, loaded_at TIMESTAMP NOT NULL, "
                    "is_missing BOOLEAN NOT NULL DEFAULT false)")
        con.execute("INSERT INTO documents VALUES ('a.txt', 'abc', 'txt', NULL, NULL, NULL, 'ok', NULL, 1, "
                    "'2024-01-01', false)")
        con.execute("CREATE TABLE core_statistics (stat_id VARCHAR PRIMARY KEY, document VARCHAR, "
                    "row_status VARCHAR NOT NULL, row_messages VARCHAR)")
        con.execute("CREATE TABLE validation_results (run_id VARCHAR, check_name VARCHAR)")
        con.execute("CREATE VIEW appeal_stats AS SELECT row_status AS status FROM core_statistics")
    with duckdb.connect(str(path)) as con:
        db.apply_schema(con)
        assert db.known_documents(con) == {}
        assert con.execute("SELECT count(*) FROM appeal_stats").fetchone() == (0,)
        assert con.execute("SELECT count(*) FROM validation_results").fetchone() == (0,)
        db.apply_schema(con)  # and from then on it is the current layout
