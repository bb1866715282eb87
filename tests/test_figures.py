"""The consolidated layer on a real run: the samples plus two restatements of Rødovre's 2021 figures (one
agreeing, one with another received count), through `ankestat run` into a real DuckDB file."""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pandas as pd
import pypdfium2 as pdfium
import pytest

from flows.cli import main
from tests.expected import SAMPLES

pytestmark = pytest.mark.slow
RESTATEMENTS = Path(__file__).parent / "fixtures" / "restatements"


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("figures")
    minutes = tmp / "minutes"
    shutil.copytree(SAMPLES, minutes)
    for path in RESTATEMENTS.iterdir():
        shutil.copy(path, minutes)
    db, out = tmp / "x.duckdb", tmp / "out"
    assert main(["run", "--input", str(minutes), "--db", str(db), "--out", str(out)]) == 0
    return db, out


def query(db, sql):
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute(sql).df().to_dict("records")


def test_three_statements_of_rodovre_2021_are_one_figure_in_conflict(run):
    db, _ = run
    (row,) = query(db, "SELECT * FROM kommune_figures WHERE municipality = 'Rødovre' AND period = '2021'")
    assert (row["kommune_code"], row["scope"], row["n_sources"], row["status"]) == (175, "all", 3, "conflict")
    assert "226" in row["messages"] and "231" in row["messages"]
    assert row["received"] == 226  # stated by two of the three sources
    assert (row["decided"], row["realitetsbehandlede"], row["rate_pct"]) == (238, 213, 30.0)
    committees = {source["committee"] for source in row["sources"]}
    assert committees == {"Beskæftigelsesudvalget", "Handicaprådet", "Kommunalbestyrelsen"}
    assert all(source["meeting_date"] is not None and source["agenda_item"] for source in row["sources"])


def test_a_sources_warning_carries_through(run):
    db, _ = run
    (row,) = query(db, "SELECT * FROM kommune_figures WHERE municipality = 'Gladsaxe' AND period = '2021-Q3' "
                       "AND scope = 'all'")
    assert row["status"] == "warning" and row["messages"]


def test_one_row_per_kommune_period_scope_area_and_paragraphs(run):
    db, _ = run
    (dupes,) = query(db, "SELECT count(*) AS n FROM (SELECT municipality, period, scope, area_label, paragraph_key "
                         "FROM kommune_figures GROUP BY ALL HAVING count(*) > 1)")
    assert dupes["n"] == 0
    (official,) = query(db, "SELECT rate_pct, national_rate_pct, national_source FROM kommune_figures "
                            "WHERE municipality = 'Rødovre' AND period = '2020'")
    assert official == {"rate_pct": 46.0, "national_rate_pct": 29.0, "national_source": "officiel"}


def test_national_figures_show_official_and_stated_rates(run):
    db, _ = run
    rows = {(r["period"], r["scope"]): r for r in query(
        db, "SELECT * FROM national_figures WHERE paragraphs IS NULL AND area_label IS NULL")}
    assert list(rows[("2018", "all")]["official_rates"]) == [30.0, 30.5]  # the 2018 double, shown as such
    assert pd.isna(rows[("2018", "all")]["official_rate_pct"])  # no one value to pick
    assert rows[("2021", "all")]["status"] == "agrees" and rows[("2021", "all")]["n_sources"] == 1
    assert rows[("2020", "adult_disability")]["status"] == "differs"  # Hvidovre's 42,1 against 42,4


def test_report_and_exports_of_the_run(run):
    _, out = run
    document = pdfium.PdfDocument(out / "ankestat-rapport.pdf")
    text = "\n".join(page.get_textpage().get_text_range() for page in document)
    document.close()
    for expected in ("Rødovre Kommune (175)", "Placering", "Udvikling", "213",
                     "Beskæftigelsesudvalget, 17. maj 2022, punkt 19", "Handicaprådet, 2. juni 2022",
                     "modtagne klager er oplyst forskelligt"):
        assert expected in text, expected
    assert sorted(p.name for p in (out / "kommuner").glob("*.pdf")) == ["gladsaxe.pdf", "hvidovre.pdf",
                                                                        "roedovre.pdf"]
    csv_text = (out / "tal" / "kommunetal.csv").read_text(encoding="utf-8-sig")
    assert csv_text.splitlines()[0].startswith("municipality;kommune_code;period")
    assert (out / "tal" / "ankestat-tal.xlsx").stat().st_size > 0
