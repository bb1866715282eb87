"""The report layer: charts read back from their artists, the PDF read back as text, and a timed full
report on 100 kommuner. Frames are built here with the figures of the sample minutes."""

from __future__ import annotations

import shutil
import subprocess
from datetime import date, datetime
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.image as mpimg  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pypdfium2 as pdfium  # noqa: E402
import pytest  # noqa: E402
from hypothesis import given  # noqa: E402
from hypothesis import strategies as st  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from flows.render import CHART_WEIGHT, PDF_NAME, share_pages, write_report  # noqa: E402
from reports.charts import plot_outcomes, plot_paragraphs, plot_ranking, plot_rate  # noqa: E402
from reports.danish import fmt_date, fmt_number, fmt_pct, fmt_points, period_label, scope_name, slug  # noqa: E402
from reports.frames import official_index, prepare  # noqa: E402
from reports.layout import paginate  # noqa: E402
from reports.pages import statistics_blocks  # noqa: E402
from reports.plan import Chart  # noqa: E402
from reports.report import PagePlan, iter_pdf_pages  # noqa: E402

OFFICIAL_CSV = Path(__file__).resolve().parents[1] / "flows" / "national_rates.csv"
GENERATED_AT = datetime(2024, 1, 2, 10, 30)
COLUMNS = (
    "stat_id document document_sha256 municipality committee meeting_date agenda_item period year scope "
    "area_label paragraphs paragraph_key received decided stadfaestet hjemvist aendret afvist reversed "
    "stadfaestet_pct hjemvist_pct aendret_pct reported_rate_pct computed_rate_pct national_rate_pct status "
    "messages page char_start char_end quote"
).split()
COUNTS = (
    "received",
    "decided",
    "stadfaestet",
    "hjemvist",
    "aendret",
    "afvist",
    "reversed",
    "page",
    "char_start",
    "char_end",
    "year",
)
SHARES = (
    "stadfaestet_pct",
    "hjemvist_pct",
    "aendret_pct",
    "reported_rate_pct",
    "computed_rate_pct",
    "national_rate_pct",
)
DOCUMENTS = {  # kommune -> (document, committee, meeting)
    "Rødovre": ("000_03d8cac4ca15eb82.txt", "Beskæftigelsesudvalget", date(2022, 5, 17)),
    "Gladsaxe": ("002_d6347c3e8119a208.txt", "Beskæftigelses- og Integrationsudvalget", date(2022, 3, 2)),
    "Hvidovre": ("003_a0a4e38bb360a38c.pdf", "Social- og Arbejdsmarkedsudvalget", date(2022, 9, 5)),
}
WARNING_REASON = "andel afrundet i kilden: 9 af 92 er 9,8 pct., ikke 9 pct."
QUARANTINE_REASON = "omgørelsesprocent 95 passer ikke med 7 af 9 (77,8)"


def stat(kommune: str, period: str, scope: str, quote: str, **values) -> dict:
    document, committee, meeting = DOCUMENTS.get(
        kommune, (f"{slug(kommune)}.txt", "Socialudvalget", date(2022, 3, 1))
    )
    row = dict.fromkeys(COLUMNS)
    row.update(
        document=document,
        document_sha256="ab" * 32,
        municipality=kommune,
        committee=committee,
        meeting_date=meeting,
        agenda_item="Ankestatistik",
        period=period,
        year=int(period[:4]),
        scope=scope,
        status="valid",
        messages="",
        quote=quote,
        char_start=100,
        char_end=100 + len(quote),
        page=3 if document.endswith(".pdf") else None,
    )
    row.update(values)
    return row


def frame(rows: list[dict]) -> pd.DataFrame:
    stats = pd.DataFrame(rows, columns=COLUMNS)
    stats["stat_id"] = range(1, len(stats) + 1)
    stats[list(COUNTS)] = stats[list(COUNTS)].astype("Int64")
    stats[list(SHARES)] = stats[list(SHARES)].astype("Float64")
    return stats


def sample_rows() -> list[dict]:
    return [
        stat(
            "Rødovre",
            "2021",
            "all",
            "Af kommunens 238 afgjorte sager i 2021 har Ankestyrelsen stadfæstet "
            "149 sager, ændret/ophævet 25 sager, hjemvist 39 sager og afvist 25 sager.",
            received=226,
            decided=238,
            stadfaestet=149,
            hjemvist=39,
            aendret=25,
            afvist=25,
            reversed=64,
            reported_rate_pct=30,
            computed_rate_pct=30.05,
            national_rate_pct=26,
        ),
        stat(
            "Rødovre",
            "2020",
            "all",
            "I 2020 omgjorde Ankestyrelsen til sammenligning 75 sager svarende til en andel på 46 procent.",
            received=198,
            decided=218,
            reversed=75,
            reported_rate_pct=46,
        ),
        stat(
            "Gladsaxe",
            "2021-Q3",
            "all",
            "afgjorde Ankestyrelsen i alt 92 klagesager i 3. kvartal 2021, hvoraf "
            "69 (75 pct.) blev stadfæstet, 14 (15 pct.) hjemvist og 9 (9 pct.) ændret.",
            status="warning",
            messages=WARNING_REASON,
            decided=92,
            stadfaestet=69,
            hjemvist=14,
            aendret=9,
            stadfaestet_pct=75,
            hjemvist_pct=15,
            aendret_pct=9,
            reported_rate_pct=25,
            computed_rate_pct=25.0,
            national_rate_pct=24,
        ),
        stat(
            "Gladsaxe",
            "2021-Q3",
            "committee",
            "På Beskæftigelses- og Integrationsudvalget område var der i "
            "alt 66 klagesager, hvoraf 48 (73 pct.) blev stadfæstet",
            area_label="Beskæftigelses- og Integrationsudvalgets område",
            decided=66,
            stadfaestet=48,
            hjemvist=10,
            aendret=8,
            reported_rate_pct=27,
            computed_rate_pct=27.27,
        ),
        stat(
            "Hvidovre",
            "2021",
            "child_disability",
            "Altså bliver omgørelsesprocenten for ovenstående "
            "paragraffer 26,7pct, hvor landsgennemsnittet ligger på 35,9 pct.",
            decided=30,
            aendret=1,
            hjemvist=7,
            aendret_pct=3.3,
            hjemvist_pct=23.3,
            reported_rate_pct=26.7,
            national_rate_pct=35.9,
        ),
        stat(
            "Hvidovre",
            "2021",
            "child_disability",
            "Merudgiftsydelse § 41. I alt 13 afgørelser, hvoraf 11 er stadfæstet og 2 er hjemvist.",
            paragraphs="§ 41",
            paragraph_key="41",
            decided=13,
            stadfaestet=11,
            hjemvist=2,
            computed_rate_pct=15.38,
        ),
        stat(
            "Hvidovre",
            "2021",
            "child_disability",
            "Tabt arbejdsfortjeneste §§42, 42. I alt 12 afgørelser, heraf "
            "er 10 stadfæstet, 1 er ændret/ophævet og 1 er hjemvist.",
            paragraphs="§ 42",
            paragraph_key="42",
            decided=12,
            stadfaestet=10,
            aendret=1,
            hjemvist=1,
            computed_rate_pct=16.67,
        ),
        stat(
            "Hvidovre",
            "2021",
            "child_disability",
            "Pasningstilbud, hjemmetræning m.m. §§32, 32a, 36, 39-40. I "
            "alt 4 afgørelser, heraf er alle 4 hjemvist.",
            paragraphs="§§ 32, 32a, 36, 39-40",
            paragraph_key="32",
            decided=4,
            hjemvist=4,
            computed_rate_pct=100.0,
        ),
        stat(
            "Hvidovre",
            "2021",
            "child_disability",
            "Personlig hjælp og ledsagelse §§44, 45. I alt 1 afgørelse, heraf er 1 stadfæstet.",
            paragraphs="§§ 44-45",
            paragraph_key="44",
            decided=1,
            stadfaestet=1,
            computed_rate_pct=0.0,
        ),
        stat(
            "Hvidovre",
            "2020",
            "child_disability",
            "I 2020 var omgørelsesprocenten for børnehandicapområdet i "
            "Hvidovre på 53 pct., hvor landsgennemsnittet lå på 52 pct.",
            reported_rate_pct=53,
            national_rate_pct=52,
        ),
        stat(
            "Hvidovre",
            "2020",
            "adult_disability",
            "I 2020 var omgørelsesprocenten på voksenhandicapområdet i "
            "Hvidovre på 41,2 pct. og landsgennemsnittet 42,1 pct.",
            reported_rate_pct=41.2,
            national_rate_pct=42.1,
        ),
        stat(
            "Hvidovre",
            "2019",
            "adult_disability",
            "I 2019 blev 7 ud af 9 sager omgjort, svarende til 95 pct.",
            status="quarantined",
            messages=QUARANTINE_REASON,
            decided=9,
            reversed=7,
            reported_rate_pct=95,
            computed_rate_pct=77.78,
        ),
    ]


def documents_frame() -> pd.DataFrame:
    rows = [
        (*DOCUMENTS["Rødovre"], "Rødovre", "ok", None, 2),
        (
            "001_a3c02bf7999fce44.txt",
            "Beskæftigelses- og Integrationsudvalget",
            date(2021, 3, 8),
            "Svendborg",
            "ok",
            None,
            0,
        ),
        (*DOCUMENTS["Gladsaxe"], "Gladsaxe", "ok", None, 2),
        (*DOCUMENTS["Hvidovre"], "Hvidovre", "ok", None, 8),
        ("004_d675881337821316.txt", "Beskæftigelsesudvalget", date(2020, 10, 6), "Randers", "ok", None, 0),
        ("005_scan.pdf", None, None, None, "rejected", "PDF uden tekstlag (scannet billede)", 0),
    ]
    docs = pd.DataFrame(
        rows,
        columns=["document", "committee", "meeting_date", "municipality", "status", "reason", "n_statistics"],
    )
    return docs.assign(
        sha256="0" * 64,
        format=docs["document"].str.rsplit(".", n=1).str[-1],
        loaded_at=pd.Timestamp("2024-01-02 10:00"),
    )


@pytest.fixture(scope="module")
def official() -> pd.DataFrame:
    return pd.read_csv(OFFICIAL_CSV)


@pytest.fixture(scope="module")
def stats() -> pd.DataFrame:
    return frame(sample_rows())


def draw(plot, rows: pd.DataFrame, **kwargs):
    fig = Figure(figsize=(8, 4.5))
    ax = fig.add_subplot()
    plot(ax, rows, **kwargs)
    fig.canvas.draw()  # tick labels exist only once drawn
    return ax


def national_values(ax) -> dict[str, float]:
    """National markers read back from the artists: gid 'national:<period>' -> the drawn value."""
    found = {}
    for line in ax.get_lines():
        gid = line.get_gid() or ""
        if gid.startswith("national:"):
            data = line.get_xdata() if gid == "national:ranking" else line.get_ydata()
            assert len(set(np.round(data, 6))) == 1, "a national marker is level"
            found[gid.split(":", 1)[1]] = float(data[0])
    return found


def texts(ax) -> list[str]:
    tick_texts = [t.get_text() for t in ax.get_xticklabels() + ax.get_yticklabels()]
    return tick_texts + [t.get_text() for t in ax.texts]


def footnote(ax) -> str:
    return " ".join(t.get_text() for t in ax.texts if t.get_gid() == "footnote").replace("\n", " ")


def only(stats: pd.DataFrame, kommune: str, scope: str | None = None) -> pd.DataFrame:
    rows = stats[stats["municipality"] == kommune]
    return rows if scope is None else rows[rows["scope"] == scope]


# Danish text ------------------------------------------------------------------------------------------


def test_danish_numbers_dates_periods_and_names():
    assert fmt_pct(26.7) == "26,7 %"
    assert fmt_pct(30.05) == "30,1 %"  # rounded half up like the official tables
    assert fmt_pct(30) == "30 %"
    assert fmt_number(1246) == "1.246"
    assert fmt_number(31.8, 1) == "31,8"
    assert fmt_points(30 - 26) == "+4"
    assert fmt_points(26.7 - 35.9) == "−9,2"
    assert fmt_date(date(2022, 5, 17)) == "17. maj 2022"
    assert period_label("2021") == "2021"
    assert period_label("2021-Q3") == "3. kvt. 2021"
    assert period_label("2021-H1") == "1. halvår 2021"
    assert scope_name("all") == "Social- og beskæftigelsesområdet samlet"
    assert scope_name("committee", None) == "Udvalgets område"
    assert scope_name("law", "aktivloven") == "Aktivloven"
    assert slug("Rødovre") == "roedovre"
    assert slug("Høje-Taastrup") == "hoeje-taastrup"
    assert slug("Ærø Å") == "aeroe-aa"


def test_official_table_keeps_the_more_precise_of_two_2018_values(official):
    rate = official_index(official)[("2018", "all", "")]
    assert rate.value == 30.5
    assert rate.others == (30.0,)


# Rate chart -------------------------------------------------------------------------------------------


def test_rate_chart_title_axes_bars_and_national_markers(stats, official):
    ax = draw(plot_rate, only(stats, "Rødovre"), official=official)
    assert ax.get_title(loc="left") == "Omgørelsesprocent – Rødovre\nSocial- og beskæftigelsesområdet samlet"
    assert ax.get_ylabel() == "Omgørelsesprocent"
    assert ax.get_xlabel() == "Periode"
    assert ax.get_ylim() == (0, 100)
    assert [t.get_text() for t in ax.get_xticklabels()] == ["2020", "2021"]
    assert [round(p.get_height(), 2) for p in ax.patches] == [46, 30]
    # 2021: the referat's own 26; 2020: the referat states none, so the official 'all' figure for 2020.
    assert national_values(ax) == {"2021": 26.0, "2020": 29.0}
    note = footnote(ax)
    assert "oplyst i referatet (2021)" in note
    assert "Ankestyrelsen/Social- og Boligministeriet (officiel) (2020)" in note
    assert "17. maj 2022" in note


def test_rate_chart_prefers_the_referat_and_prints_decimal_commas(stats, official):
    ax = draw(plot_rate, only(stats, "Hvidovre", "adult_disability"), official=official)
    assert national_values(ax) == {"2020": 42.1}  # the official page says 42,4; the referat said 42,1
    shown = texts(ax)
    assert "41,2 %" in shown and "42,1 %" in shown
    assert not any("." in text and text[0].isdigit() for text in shown), shown
    assert footnote(ax).startswith("Kilde: referat fra Social- og Arbejdsmarkedsudvalget, 5. september 2022.")
    assert "Landsgennemsnit: oplyst i referatet." in footnote(ax)


def test_official_fallback_is_the_same_scope_never_another(stats, official):
    rows = only(stats, "Hvidovre", "adult_disability").assign(national_rate_pct=pd.NA)
    ax = draw(plot_rate, rows, official=official)
    # Official 2020 figures: adult 42,4, child 52, social 36,2, all 29. Only the adult one may appear.
    assert national_values(ax) == {"2020": 42.4}
    assert "Landsgennemsnit: Ankestyrelsen/Social- og Boligministeriet (officiel)." in footnote(ax)


def test_a_chart_says_which_of_two_official_2018_values_it_draws(official):
    rows = frame([stat("Rødovre", "2018", "all", "I 2018 var det 33 procent.", reported_rate_pct=33)])
    ax = draw(plot_rate, rows, official=official)
    assert national_values(ax) == {"2018": 30.5}
    said = "Officielle kilder angiver også 30 % for 2018; den mest præcise værdi, 30,5 %, er vist."
    assert said in footnote(ax)


def test_committee_scope_gets_no_average_and_says_so(stats, official):
    ax = draw(plot_rate, only(stats, "Gladsaxe", "committee"), official=official)
    assert national_values(ax) == {}
    assert "ikke oplyst for samme område og periode" in footnote(ax)
    assert ax.get_title(loc="left").endswith("Beskæftigelses- og Integrationsudvalgets område")


def test_quarantined_rows_are_not_drawn(stats, official):
    ax = draw(plot_rate, only(stats, "Hvidovre", "adult_disability"), official=official)
    assert [t.get_text() for t in ax.get_xticklabels()] == ["2020"]
    assert "95 %" not in texts(ax)
    for page in iter_pdf_pages(stats, documents_frame(), official, generated_at=GENERATED_AT):
        for axes in page.axes:
            if axes.axison:  # a chart, not the axes a block of text is laid on
                assert "2019" not in " ".join(t.get_text() for t in axes.get_xticklabels())
                assert "95 %" not in " ".join(t.get_text() for t in axes.texts)


def test_warning_rows_are_hatched_and_starred(stats, official):
    ax = draw(plot_rate, only(stats, "Gladsaxe", "all"), official=official)
    assert [p.get_hatch() for p in ax.patches] == ["///"]
    assert "25 %*" in texts(ax)
    assert "* og skravering: advarsel ved validering" in footnote(ax)
    assert national_values(ax) == {"2021-Q3": 24.0}
    assert [t.get_text() for t in ax.get_xticklabels()] == ["3. kvt. 2021"]


def test_a_chart_refuses_rows_of_several_scopes_or_kommuner(stats, official):
    with pytest.raises(ValueError, match="scope"):
        draw(plot_rate, only(stats, "Hvidovre"), official=official)
    with pytest.raises(ValueError, match="kommune"):
        draw(plot_rate, stats[stats["scope"] == "all"], official=official)


# Outcomes and paragraphs ------------------------------------------------------------------------------


def test_outcome_chart_stacks_the_stated_counts(stats):
    ax = draw(plot_outcomes, only(stats, "Rødovre"))
    assert ax.get_ylabel() == "Antal afgørelser"
    assert [t.get_text() for t in ax.get_legend().get_texts()] == [
        "Stadfæstet",
        "Hjemvist",
        "Ændret/ophævet",
        "Afvist",
    ]
    assert sorted(round(p.get_height()) for p in ax.patches) == [25, 25, 39, 149]
    assert "Ingen fordeling på udfald oplyst for 2020." in footnote(ax)


def test_outcome_chart_uses_shares_where_only_shares_are_stated(stats):
    rows = only(stats, "Gladsaxe", "all").assign(stadfaestet=pd.NA, hjemvist=pd.NA, aendret=pd.NA)
    ax = draw(plot_outcomes, rows)
    assert ax.get_ylabel() == "Andel af afgørelserne"
    assert "Kun andele er oplyst i referatet, ikke antal." in footnote(ax)
    assert {"75 %", "15 %", "9 %"} <= set(texts(ax))


def test_paragraph_chart_counts_per_paragraph_without_the_areas_average(stats):
    rows = only(stats, "Hvidovre", "child_disability")
    ax = draw(plot_paragraphs, rows[rows["period"] == "2021"])
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert labels == ["§§ 32, 32a, 36, 39-40", "§ 41", "§ 42", "§§ 44-45"]
    assert ax.get_xlabel() == "Antal afgørelser"
    assert national_values(ax) == {}  # the area's 35,9 % belongs to the total, not to any paragraph
    assert "13 afg. · omg. 15,4 %" in texts(ax)
    assert "landsplan" not in " ".join(texts(ax))


def test_paragraph_chart_shows_a_paragraphs_own_stated_average():
    rows = frame(
        [
            stat(
                "Hvidovre",
                "2021",
                "adult_disability",
                "§ 100 Merudgifter. I alt ni afgørelser, hvoraf otte er stadfæstet og én er hjemvist.",
                paragraphs="§ 100",
                paragraph_key="100",
                decided=9,
                stadfaestet=8,
                hjemvist=1,
                computed_rate_pct=11.11,
                national_rate_pct=38.1,
            )
        ]
    )
    ax = draw(plot_paragraphs, rows)
    assert "9 afg. · omg. 11,1 % (landsplan 38,1 %)" in texts(ax)


# Ranking ------------------------------------------------------------------------------------------------


def test_ranking_sorts_highlights_and_draws_the_kommunes_own_average(stats, official):
    others = [
        stat(name, "2021", "all", f"{name}: {rate} pct.", reported_rate_pct=rate)
        for name, rate in (("Albertslund", 35.5), ("Brøndby", 22.0), ("Ishøj", 41.0))
    ]
    peers = pd.concat([only(stats, "Rødovre"), frame(others)])
    ax = draw(plot_ranking, peers[peers["period"] == "2021"], municipality="Rødovre", official=official)
    names = [t.get_text() for t in ax.get_yticklabels()]
    assert names == ["Ishøj", "Albertslund", "Rødovre", "Brøndby"]  # highest on top
    assert len(ax.patches) == 4
    colours = {name: tuple(p.get_facecolor()) for name, p in zip(names, ax.patches, strict=True)}
    assert len({colours[n] for n in names if n != "Rødovre"}) == 1
    assert colours["Rødovre"] != colours["Ishøj"]
    assert ax.get_yticklabels()[2].get_fontweight() == "bold"
    assert national_values(ax) == {"ranking": 26.0}
    assert "nr. 3 af 4 kommuner" in footnote(ax)
    assert ax.get_xlabel() == "Omgørelsesprocent"


def test_ranking_of_many_kommuner_keeps_the_kommune_and_both_ends(official):
    rows = frame(
        [stat(f"Kommune {i:03d}", "2021", "social", "…", reported_rate_pct=float(i)) for i in range(100)]
    )
    ax = draw(plot_ranking, rows, municipality="Kommune 050", official=official)
    names = [t.get_text() for t in ax.get_yticklabels()]
    assert names[0] == "Kommune 099" and names[-1] == "Kommune 000" and "Kommune 050" in names
    assert len(ax.patches) <= 21
    assert any(name.startswith("… ") for name in names)
    assert national_values(ax) == {"ranking": 31.8}  # official 2021 socialområdet: no referat states one


# Files and pages ---------------------------------------------------------------------------------------


def test_chart_files_have_stable_names_and_are_wide_enough(written):
    _out, paths = written
    assert [path.name for path in paths[:-1]] == [
        "gladsaxe-all-rate.png",
        "gladsaxe-all-outcomes.png",
        "gladsaxe-committee-beskaeftigelses-og-integrationsudvalgets-omraade-rate.png",
        "gladsaxe-committee-beskaeftigelses-og-integrationsudvalgets-omraade-outcomes.png",
        "hvidovre-child_disability-rate.png",
        "hvidovre-child_disability-outcomes.png",
        "hvidovre-child_disability-paragraphs-2021.png",
        "hvidovre-adult_disability-rate.png",
        "roedovre-all-rate.png",
        "roedovre-all-outcomes.png",
    ]
    for png in paths[:-1]:
        height, width, _channels = mpimg.imread(png).shape
        assert width >= 1200 and height >= 300, png.name


def test_pdf_pages_are_a4_portrait(stats, official):
    pages = list(iter_pdf_pages(stats, documents_frame(), official, generated_at=GENERATED_AT))
    # Overview 1; Gladsaxe's 4 charts: 3, then 1 with its table under it (2); Hvidovre's 4 charts the
    # same (2); Rødovre's 2 charts and its table on one page (1); appendix 1.
    assert len(pages) == 7
    for page in pages:
        assert tuple(np.round(page.get_size_inches(), 2)) == (8.27, 11.69)


def test_a_long_statistics_table_runs_onto_more_pages_with_its_header():
    rows = frame(
        [
            stat(
                "Aarhus",
                f"{year}-Q{q}",
                "employment",
                "Ankestyrelsen har afgjort " + "mange sager " * 40,
                reported_rate_pct=20.0 + q,
                decided=100,
            )
            for year in range(2010, 2022)
            for q in (1, 2, 3, 4)
        ]
    )
    pages = list(paginate(statistics_blocks("Aarhus", prepare(rows))))
    assert len(pages) > 1
    for page in pages[1:]:
        assert page[0].keep_with_next and page[0].rule == "thick"  # the repeated table header


@pytest.mark.parametrize("n_paragraphs", range(1, 9))
def test_charts_filling_a_page_to_its_bottom_leave_the_table_for_the_next_page(official, n_paragraphs):
    # Rate, outcomes and a paragraph chart of growing height: one of them ends within a hair of the bottom
    # margin, where the bench's corpus once crashed the report ("Width and height ... non-negative").
    total = stat(
        "Aarhus",
        "2021",
        "child_disability",
        "I alt 200 afgørelser, heraf 150 stadfæstet, 30 hjemvist og 20 ændret.",
        decided=200, stadfaestet=150, hjemvist=30, aendret=20, reported_rate_pct=25.0,
    )
    parts = [
        stat(
            "Aarhus",
            "2021",
            "child_disability",
            f"§ {40 + i}. I alt 10 afgørelser, heraf 8 stadfæstet og 2 hjemvist.",
            paragraphs=f"§ {40 + i}", paragraph_key=str(40 + i), decided=10, stadfaestet=8, hjemvist=2,
        )
        for i in range(n_paragraphs)
    ]
    pages = list(iter_pdf_pages(frame([total, *parts]), documents_frame(), official, generated_at=GENERATED_AT))
    texts = [text.get_text() for page in pages for ax in page.axes for text in ax.texts]
    assert any("I alt 200 afgørelser" in text for text in texts)  # the table's quote made it onto a page


@given(charts_per_page=st.lists(st.integers(0, 4), max_size=60), n=st.integers(1, 5))
def test_pages_are_shared_in_order_contiguously_and_evenly(charts_per_page, n):
    chart = Chart("x.png", 4.5, lambda ax: None)
    pages = [PagePlan(i + 1, charts=(chart,) * k) for i, k in enumerate(charts_per_page)]
    shares = share_pages(pages, n)
    assert 1 <= len(shares) <= n
    assert [page for share in shares for page in share] == pages  # every page once, in order
    assert all(shares) or shares == [[]]
    weight = [sum(1 + CHART_WEIGHT * len(page.charts) for page in share) for share in shares]
    heaviest_page = max((1 + CHART_WEIGHT * k for k in charts_per_page), default=0)
    assert max(weight, default=0) <= sum(weight) / n + heaviest_page  # no share more than a page over its due


@pytest.fixture(scope="module")
def written(tmp_path_factory, stats, official) -> tuple[Path, list[Path]]:
    out = tmp_path_factory.mktemp("rapport") / "ud"
    return out, write_report(stats, documents_frame(), official, out, generated_at=GENERATED_AT)


def test_write_report_writes_pngs_and_the_pdf(written):
    out, paths = written
    assert paths[-1] == out / PDF_NAME
    assert len(paths) == 11 and all(p.exists() and p.parent == out for p in paths)
    for png in paths[:-1]:
        height, width, _channels = mpimg.imread(png).shape
        assert width >= 1200, png.name


def _tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        pytest.skip(f"{name} (poppler-utils) is not installed, so the PDF cannot be read back as text")
    return found


def test_pdf_metadata_and_page_count(written):
    out, _paths = written
    info = subprocess.run(
        [_tool("pdfinfo"), str(out / PDF_NAME)], capture_output=True, text=True, check=True
    ).stdout
    assert "Ankestyrelsens omgørelsesprocenter i kommunale referater" in info
    assert "Pages:           7" in info  # as counted in test_pdf_pages_are_a4_portrait
    assert "2024" in info.split("CreationDate:")[1].splitlines()[0]


def test_pdf_text_names_kommuner_sources_and_problems(written):
    out, _paths = written
    text = subprocess.run(
        [_tool("pdftotext"), str(out / PDF_NAME), "-"], capture_output=True, text=True, check=True
    ).stdout
    for expected in (
        "Rødovre",
        "Gladsaxe",
        "Hvidovre",
        "Landsgennemsnit",
        "Udarbejdet 2. januar 2024",
        "Randers",
        "Svendborg",  # read, but without statistics
        "Dokumenter læst: 6, heraf afvist: 1",
        "PDF uden tekstlag",
        "Af kommunens 238 afgjorte sager",
        "000_03d8cac4ca15eb82.txt",
        "s. 3",
        "9,8 pct.",
        QUARANTINE_REASON,
        "26,7 %",
    ):
        assert expected in text, expected


# 100 kommuner ------------------------------------------------------------------------------------------


def synthetic(n: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    """n kommuner, two scopes, three years each, outcomes drawn at random; a few warnings."""
    rng = np.random.default_rng(7)
    rows = []
    for k in range(n):
        for scope in ("all", "social"):
            for year in (2019, 2020, 2021):
                st, hj, ae, af = (int(x) for x in rng.integers([50, 5, 3, 0], [300, 60, 40, 30]))
                rate = 100 * (hj + ae) / (st + hj + ae)
                rows.append(
                    stat(
                        f"Kommune {k:03d}",
                        str(year),
                        scope,
                        f"Af kommunens {st + hj + ae + af} afgjorte sager i {year} har Ankestyrelsen "
                        f"stadfæstet {st}, ændret {ae}, hjemvist {hj} og afvist {af}.",
                        decided=st + hj + ae + af,
                        stadfaestet=st,
                        hjemvist=hj,
                        aendret=ae,
                        afvist=af,
                        reversed=hj + ae,
                        reported_rate_pct=round(rate),
                        computed_rate_pct=round(rate, 2),
                        national_rate_pct=None if year == 2019 else 26.0,
                        status="warning" if rng.random() < 0.05 else "valid",
                    )
                )
    stats = frame(rows)
    docs = stats.groupby("document", as_index=False).agg(
        municipality=("municipality", "first"),
        committee=("committee", "first"),
        meeting_date=("meeting_date", "first"),
        n_statistics=("stat_id", "size"),
    )
    docs = docs.assign(
        sha256="0" * 64, format="txt", status="ok", reason=None, loaded_at=pd.Timestamp("2024-01-02")
    )
    return stats, docs


@pytest.mark.slow
def test_a_report_on_100_kommuner_is_drawn_in_parts_and_joined_in_order(tmp_path, official):
    # Its speed (under two minutes here) is measured by the bench: python -m tests.bench --report-only.
    stats, docs = synthetic(100)
    paths = write_report(stats, docs, official, tmp_path, generated_at=GENERATED_AT)
    assert len(paths) == 100 * 2 * 3 + 1  # rate, outcomes and ranking per kommune and scope, and the PDF
    kommuner = [path.name[: len("kommune-000")] for path in paths[:-1]]
    assert kommuner == sorted(kommuner)  # drawn in several processes, returned in report order
    assert sorted(path.name for path in tmp_path.iterdir()) == sorted(path.name for path in paths)  # no parts left
    # The parts were joined in order: page i says "Side i", and every kommune has its section.
    pdf = pdfium.PdfDocument(paths[-1])
    texts = [pdf[i].get_textpage().get_text_range() for i in range(len(pdf))]
    assert len(pdf) > 300
    assert [f"Side {i + 1}" in text for i, text in enumerate(texts)] == [True] * len(pdf)
    assert all(any(f"Kommune {k:03d}" in text for text in texts) for k in range(100))


# Text from documents is text ------------------------------------------------------------------------------


def test_text_from_documents_is_never_read_as_markup_and_long_names_fit(tmp_path, official):
    # "$\foo$" made matplotlib parse TeX and fail; a 281-letter committee area made a 300-byte PNG name.
    tex = r"$\foo$"
    rows = sample_rows()
    rows[0]["quote"] += f" jf. {tex} regel"
    rows[1].update(status="warning", messages=f"kilden skriver {tex}")
    long_name = "Udvalget" + "for" * 91
    for row in rows:
        if row["scope"] == "committee":
            row["area_label"] = long_name
    docs = documents_frame()
    docs.loc[len(docs)] = docs.iloc[-1]
    docs.loc[len(docs) - 1, ["document", "status", "reason"]] = [f"{tex}.pdf", "rejected", f"kan ikke læses {tex}"]
    paths = write_report(frame(rows), docs, official, tmp_path, generated_at=GENERATED_AT, workers=0)
    assert all(len(path.name.encode()) < 120 for path in paths)
    pdf = pdfium.PdfDocument(paths[-1])
    text = "".join(pdf[i].get_textpage().get_text_range() for i in range(len(pdf)))
    assert text.count(tex) >= 4, "quote, message, file name and reason are printed as written"
    assert long_name[:40] in text
