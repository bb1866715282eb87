"""End to end: `ankestat run` on the samples, a real Prefect flow run into a real DuckDB file."""

from __future__ import annotations

import shutil

import duckdb
import pytest

from flows.cli import main
from tests.expected import SAMPLES, differences, load_expected

pytestmark = pytest.mark.slow
TABLES = ("documents", "core_statistics", "reported_national_rates", "findings")


@pytest.fixture(scope="module")
def sample_run(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("run")
    minutes = tmp / "minutes"
    shutil.copytree(SAMPLES, minutes)
    db, out = tmp / "x.duckdb", tmp / "out"
    code = main(["run", "--input", str(minutes), "--db", str(db), "--out", str(out)])
    return {"tmp": tmp, "minutes": minutes, "db": db, "out": out, "code": code}


def _query(db, sql):
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute(sql).df()


def test_run_exits_zero(sample_run):
    assert sample_run["code"] == 0


def test_stores_exactly_the_expected_statistics(sample_run):
    rows = _query(sample_run["db"], "SELECT * FROM appeal_stats").to_dict("records")
    assert len(rows) == 15
    assert differences(rows, load_expected()) == []


def test_documents_table_accounts_for_every_file(sample_run):
    docs = _query(sample_run["db"], "SELECT * FROM documents ORDER BY document")
    assert list(docs["status"]) == ["ok"] * 5
    counts = dict(zip(docs["document"], docs["n_statistics"], strict=True))
    assert counts["001_a3c02bf7999fce44.txt"] == 0 and counts["004_d675881337821316.txt"] == 0
    assert set(docs["municipality"]) == {"Rødovre", "Svendborg", "Gladsaxe", "Hvidovre", "Randers"}


def test_exactly_two_warnings_on_the_samples(sample_run):
    warned = _query(sample_run["db"], "SELECT municipality, period, scope, messages FROM appeal_stats "
                                      "WHERE status <> 'valid' ORDER BY municipality")
    assert [tuple(r) for r in warned[["municipality", "period", "scope"]].itertuples(index=False)] == [
        ("Gladsaxe", "2021-Q3", "all"),
        ("Hvidovre", "2020", "adult_disability"),
    ]
    assert warned["messages"][0] == "ændret-andelen er oplyst som 9 pct., men 9 af 92 er 9,8 pct."
    assert warned["messages"][1] == ("landsgennemsnittet 42,1 pct. afviger fra det officielle 42,4 pct. for "
                                     "voksenhandicapområdet 2020")


def test_national_rates_table(sample_run):
    rates = _query(sample_run["db"], "SELECT period, scope, rate_pct FROM reported_national_rates "
                                     "WHERE document LIKE '000%'")
    assert rates.to_dict("records") == [{"period": "2021", "scope": "all", "rate_pct": 26.0}]


def test_reports_written(sample_run):
    out = sample_run["out"]
    assert list(out.glob("*.pdf")), "no PDF report"
    assert len(list(out.glob("diagrammer/*.png"))) >= 3
    assert len(list(out.glob("kommuner/*.pdf"))) == 3  # Gladsaxe, Hvidovre, Rødovre: the kommuner with figures
    assert (out / "tal" / "kommunetal.csv").exists() and (out / "tal" / "ankestat-tal.xlsx").exists()
    assert (out / "parquet" / "kommune_figures.parquet").exists()
    assert (out / "data_docs" / "index.html").exists()
    assert (out / "parquet" / "appeal_stats.parquet").exists()


def test_validation_page_is_danish_offline_and_counts_the_arithmetic(sample_run):
    page = (sample_run["out"] / "data_docs" / "index.html").read_text(encoding="utf-8")
    assert "<script" not in page and "http" not in page and "<link" not in page  # nothing fetched
    assert "15 statistikker kontrolleret, 1 af " in page  # shares_match_counts failed once, in the suite too
    assert "<code>shares_match_counts</code>" in page and "<code>scope_is_known</code>" in page
    assert "ændret-andelen er oplyst som 9 pct., men 9 af 92 er 9,8 pct." in page
    assert "landsgennemsnittet 42,1 pct. afviger fra det officielle 42,4 pct." in page


def test_findings_are_typed_with_stable_codes(sample_run):
    rows = _query(sample_run["db"], "SELECT check_name, severity, source FROM validation_results ORDER BY check_name")
    assert [tuple(r) for r in rows.itertuples(index=False)] == [
        ("national_matches_official", "warning", "sql"), ("shares_match_counts", "warning", "row")]


def test_second_run_leaves_identical_tables(sample_run):
    before = {t: _query(sample_run["db"], f"SELECT * FROM {t} ORDER BY ALL") for t in TABLES}
    assert main(["run", "--input", str(sample_run["minutes"]), "--db", str(sample_run["db"]),
                 "--out", str(sample_run["out"])]) == 0
    for table in TABLES:
        after = _query(sample_run["db"], f"SELECT * FROM {table} ORDER BY ALL")
        assert after.equals(before[table]), table


def test_contradicting_total_is_quarantined_with_reason(sample_run, tmp_path):
    minutes = tmp_path / "minutes"
    minutes.mkdir()
    text = (SAMPLES / "000_03d8cac4ca15eb82.txt").read_text(encoding="utf-8")
    (minutes / "000_changed.txt").write_text(text.replace("stadfæstet 149 sager", "stadfæstet 159 sager"),
                                             encoding="utf-8")
    db = tmp_path / "q.duckdb"
    assert main(["run", "--input", str(minutes), "--db", str(db), "--out", str(tmp_path / "out")]) == 0
    assert main(["run", "--input", str(minutes), "--db", str(db), "--out", str(tmp_path / "out"),
                 "--strict"]) != 0
    row = _query(db, "SELECT status, messages FROM appeal_stats WHERE period = '2021'").iloc[0]
    assert row["status"] == "quarantined"
    assert row["messages"] == ("afgjort er 238, men stadfæstet + hjemvist + ændret er 223 og med afviste 248; "
                               "omgørelsesprocenten er oplyst som 30 pct., men tallene giver 28,7 pct.")
    page = (tmp_path / "out" / "data_docs" / "index.html").read_text(encoding="utf-8")
    assert '<td class="karantæne">karantæne</td><td class="n">1</td>' in page  # the database now
    assert "<code>parts_within_total</code>" in page and "og med afviste 248" in page


def test_report_command_rerenders_from_database(sample_run, tmp_path):
    out = tmp_path / "again"
    assert main(["report", "--db", str(sample_run["db"]), "--out", str(out)]) == 0
    assert list(out.glob("*.pdf")) and list(out.glob("diagrammer/*.png"))


def test_sql_command_prints_the_figures(sample_run, capsys):
    sql = "select municipality, period, scope, reported_rate_pct, national_rate_pct from appeal_stats"
    assert main(["sql", sql, "--db", str(sample_run["db"])]) == 0
    printed = capsys.readouterr().out
    for name in ("Rødovre", "Gladsaxe", "Hvidovre", "child_disability", "31.8"):
        assert name in printed


def test_sql_command_cannot_write(sample_run, capsys):
    assert main(["sql", "DELETE FROM documents", "--db", str(sample_run["db"])]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "read-only" in err[0]
    assert len(_query(sample_run["db"], "SELECT * FROM documents")) == 5


def test_run_with_the_default_relative_paths(tmp_path, monkeypatch):
    """`make run` uses relative defaults (data/samples, data/ankestat.duckdb, data/reports); the official rates
    ship inside the package, so a folder without them works too."""
    monkeypatch.chdir(tmp_path)
    shutil.copytree(SAMPLES, tmp_path / "data" / "samples")
    assert main(["run"]) == 0
    assert len(_query(tmp_path / "data" / "ankestat.duckdb", "SELECT * FROM appeal_stats")) == 15
    assert (tmp_path / "data" / "reports" / "data_docs" / "index.html").exists()
