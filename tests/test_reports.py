"""The report layer on hand-made consolidated figures: the Danish text it writes, the charts read back from
their artists, and whole reports written by typst and read back with pypdfium2 (no poppler needed).

The frames have the columns of the view ``kommune_figures``/``national_figures``; the SQL that builds them
is tested on real runs in tests/test_figures.py.
"""

from __future__ import annotations

import csv
import ctypes
import re
import zipfile
from datetime import date, datetime
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pypdfium2 as pdfium  # noqa: E402
import pypdfium2.raw as pdfium_c  # noqa: E402
import pytest  # noqa: E402
from hypothesis import given  # noqa: E402
from hypothesis import strategies as st  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from matplotlib.text import Annotation  # noqa: E402

from flows.render import CHART_DIR, KOMMUNE_DIR, PDF_NAME, TABLE_DIR, write_report  # noqa: E402
from reports.charts import Panel, Point, Ranking, draw_ranking, draw_series, label_above  # noqa: E402
from reports.danish import fmt_date, fmt_number, fmt_pct, fmt_points, period_label, scope_name, slug  # noqa: E402
from reports.figures import area_rows, latest, rankings, with_cases  # noqa: E402
from reports.reasons import danish_reason  # noqa: E402
from reports.report import build_report, item_label, source_text  # noqa: E402

GENERATED_AT = datetime(2024, 1, 2, 10, 30)
FIGURE_COLUMNS = (
    "municipality kommune_code period year scope area_label paragraphs paragraph_key received decided "
    "stadfaestet hjemvist aendret afvist reversed stadfaestet_pct hjemvist_pct aendret_pct realitetsbehandlede "
    "reported_rate_pct computed_rate_pct rate_pct national_rate_pct national_source n_sources sources status "
    "messages"
).split()
CODES = {"Rødovre": 175, "Hvidovre": 167, "Gladsaxe": 159}


def source(document="000.txt", committee="Beskæftigelsesudvalget", day=date(2022, 5, 17),
           item="19: Ankestyrelsens klagestatistik 2021", page=None) -> dict:
    return {"document": document, "committee": committee, "meeting_date": day, "agenda_item": item,
            "page": page, "stat_id": f"{document}#1"}


def figure(kommune: str, period: str, scope: str = "all", *, sources=None, status="valid", messages=None,
           **values) -> dict:
    row = dict.fromkeys(FIGURE_COLUMNS)
    row.update(municipality=kommune, kommune_code=CODES.get(kommune, 999), period=period, year=int(period[:4]),
               scope=scope, sources=sources or [source()], n_sources=len(sources or [1]), status=status,
               messages=messages)
    row.update(values)
    if all(row[k] is not None for k in ("stadfaestet", "hjemvist", "aendret")):
        row["realitetsbehandlede"] = row["stadfaestet"] + row["hjemvist"] + row["aendret"]
        row["computed_rate_pct"] = round(100 * (row["hjemvist"] + row["aendret"]) / row["realitetsbehandlede"], 2)
    row["rate_pct"] = row["reported_rate_pct"] if row["reported_rate_pct"] is not None else row["computed_rate_pct"]
    if row["national_rate_pct"] is not None and row["national_source"] is None:
        row["national_source"] = "referat"
    return row


def frame(rows: list[dict]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=FIGURE_COLUMNS)


def national_frame(rows=()) -> pd.DataFrame:
    columns = ["period", "year", "scope", "area_label", "paragraphs", "official_rate_pct", "official_rates",
               "official_sources", "stated_rates", "n_sources", "sources", "status"]
    base = [
        {"period": "2020", "year": 2020, "scope": "all", "official_rate_pct": 29.0, "official_rates": [29.0],
         "official_sources": ["https://ast.dk"], "n_sources": 0, "status": "official_only"},
        {"period": "2021", "year": 2021, "scope": "all", "official_rate_pct": 26.0, "official_rates": [26.0],
         "official_sources": ["https://ast.dk"], "stated_rates": [26.0], "n_sources": 1,
         "sources": [source()], "status": "agrees"},
        {"period": "2018", "year": 2018, "scope": "all", "official_rate_pct": None, "official_rates": [30.0, 30.5],
         "official_sources": ["https://ast.dk/a", "https://ast.dk/b"], "n_sources": 0, "status": "official_only"},
    ]
    return pd.DataFrame([*base, *rows], columns=columns)


def statements_frame(rows=()) -> pd.DataFrame:
    columns = ["municipality", "period", "scope", "area_label", "paragraphs", "status", "messages", "committee",
               "document", "meeting_date", "agenda_item", "page"]
    return pd.DataFrame(list(rows), columns=columns).assign(status=lambda f: f["status"].fillna("valid"))


def documents_frame(rejected: int = 0) -> pd.DataFrame:
    rows = [{"document": "000.txt", "status": "ok", "reason": None}]
    rows += [{"document": f"broken{i}.pdf", "status": "rejected", "reason": "no text layer (scanned PDF?)"}
             for i in range(rejected)]
    return pd.DataFrame(rows)


def sample_figures() -> pd.DataFrame:
    return frame([
        figure("Rødovre", "2020", decided=218, reported_rate_pct=46.0, national_rate_pct=29.0,
               national_source="officiel"),
        figure("Rødovre", "2021", received=226, decided=238, stadfaestet=149, hjemvist=39, aendret=25, afvist=25,
               reported_rate_pct=30.0, national_rate_pct=26.0, status="conflict",
               messages="modtagne klager er oplyst forskelligt: 226 (A), 231 (B)",
               sources=[source(), source("001.txt", "Handicaprådet", date(2022, 6, 2), "4. Klagestatistik", 3)]),
        figure("Hvidovre", "2020", "social", reported_rate_pct=34.0, national_rate_pct=36.2),
        figure("Hvidovre", "2021", "social", decided=86, stadfaestet=70, hjemvist=13, aendret=3,
               reported_rate_pct=19.0, national_rate_pct=31.8, sources=[source("003.pdf", page=7)]),
        figure("Hvidovre", "2021", "adult_disability", decided=9, reported_rate_pct=11.0, national_rate_pct=34.3),
        figure("Hvidovre", "2021", "child_disability", paragraphs="§ 41", paragraph_key="41", decided=13,
               stadfaestet=11, hjemvist=2, aendret=0),
        figure("Gladsaxe", "2021-Q3", decided=92, stadfaestet=69, hjemvist=14, aendret=9, reported_rate_pct=25.0,
               national_rate_pct=24.0, status="warning",
               messages="ændret-andelen er oplyst som 9 pct., men 9 af 92 er 9,8 pct."),
    ])


# Danish text and the figures a reader is shown ----------------------------------------------------------


def test_danish_numbers_dates_periods_and_names():
    assert fmt_pct(26.7) == "26,7\u00a0%"
    assert fmt_pct(30.05) == "30,1\u00a0%"  # rounded half up like the official tables
    assert fmt_pct(30) == "30\u00a0%"
    assert fmt_number(1246) == "1.246"
    assert fmt_points(30 - 26) == "+4"
    assert fmt_points(26.7 - 35.9) == "−9,2"
    assert fmt_date(date(2022, 5, 17)) == "17. maj 2022"
    assert period_label("2021-Q3") == "3. kvt. 2021"
    assert period_label("2021-H1") == "1. halvår 2021"
    assert scope_name("law", "aktivloven") == "Aktivloven"
    assert slug("Høje-Taastrup") == "hoeje-taastrup"


def test_sources_are_named_as_a_reader_looks_them_up():
    assert source_text(source(page=3)) == "Beskæftigelsesudvalget, 17. maj 2022, punkt 19, s. 3"
    assert source_text(source(committee=None, day=None, item=None)) == "000.txt"
    # A record from a frame: NaN where the minutes name no committee (a news text).
    assert source_text({"committee": float("nan"), "document": "news.txt", "meeting_date": pd.NaT,
                        "agenda_item": float("nan"), "page": float("nan")}) == "news.txt"
    assert item_label("201. Orientering om ankestatistik") == "punkt 201"
    assert item_label("Punkt 7 - Klagesager") == "punkt 7"
    assert item_label("Orientering om Ankestyrelsens statistik") == "Orientering om Ankestyrelsens statistik"


def test_cases_behind_a_rate_and_the_few_cases_mark():
    figures = with_cases(sample_figures())
    rodovre = figures[(figures["municipality"] == "Rødovre") & (figures["period"] == "2021")].iloc[0]
    assert (rodovre["n"], rodovre["n_kind"], rodovre["few"]) == (213, "realitetsbehandlede", False)
    adult = figures[figures["scope"] == "adult_disability"].iloc[0]
    assert (adult["n"], adult["n_kind"], adult["few"]) == (9, "afgjorte", True)  # 9 decided: at most 9 real
    social_2020 = figures[(figures["scope"] == "social") & (figures["period"] == "2020")].iloc[0]
    assert pd.isna(social_2020["n"]) and not social_2020["few"]


def test_change_since_the_previous_period_of_the_same_kind():
    areas = area_rows(with_cases(sample_figures()))
    change = {(r.municipality, r.scope, r.period): r.change_pp for r in areas.itertuples()}
    assert change[("Rødovre", "all", "2021")] == pytest.approx(-16)
    assert change[("Hvidovre", "social", "2021")] == pytest.approx(-15)
    assert pd.isna(change[("Rødovre", "all", "2020")])
    assert pd.isna(change[("Gladsaxe", "all", "2021-Q3")])  # a quarter follows no year
    assert "41" not in set(areas["paragraph_key"].dropna())  # a paragraph's figure is not an area's


def test_latest_figure_per_kommune_and_area():
    newest = latest(area_rows(with_cases(sample_figures())))
    assert sorted(zip(newest["municipality"], newest["scope"], newest["period"], strict=True)) == [
        ("Gladsaxe", "all", "2021-Q3"), ("Hvidovre", "adult_disability", "2021"), ("Hvidovre", "social", "2021"),
        ("Rødovre", "all", "2021")]


def test_ranking_uses_whole_years_of_comparable_areas_highest_first():
    rows = [figure(f"K{i}", "2021", decided=50, reported_rate_pct=rate) for i, rate in enumerate((20, 45, 31))]
    rows += [figure("K9", "2021-Q2", decided=50, reported_rate_pct=99.0),
             figure("K8", "2020", decided=50, reported_rate_pct=98.0),
             figure("K7", "2021", "committee", area_label="Udvalgets område", decided=50, reported_rate_pct=97.0)]
    ranked = rankings(area_rows(with_cases(frame(rows))))
    assert [(scope, year) for scope, year, _ in ranked] == [("all", "2021")]
    assert list(ranked[0][2]["municipality"]) == ["K1", "K2", "K0"]


def test_report_data_is_danish_with_n_beside_every_rate():
    content = build_report(sample_figures(), national_frame(), statements_frame(), documents_frame(1),
                           generated_at=GENERATED_AT)
    data = content.data
    overview = {(r["kommune"], r["area"]): r for r in data["overview"]}
    rodovre = overview[("Rødovre (175)", "Social- og beskæftigelsesområdet samlet")]
    assert (rodovre["rate"], rodovre["n"], rodovre["national"]) == ("30\u00a0%*", "213", "26\u00a0%")
    assert rodovre["change"] == "−16 (fra 2020)" and rodovre["difference"] == "+4"
    assert overview[("Hvidovre (167)", "Voksenhandicapområdet")]["few"] is True
    assert all(r["n"] for r in data["overview"] if r["area"] != "Socialområdet" or r["period"] != "2020")
    kommune = {k["name"]: k for k in data["kommuner"]}["Rødovre"]
    assert [s["text"] for s in kommune["sources"]] == [
        "Beskæftigelsesudvalget, 17. maj 2022, punkt 19", "Handicaprådet, 2. juni 2022, punkt 4, s. 3"]
    row_2021 = kommune["groups"][0]["rows"][1]
    assert (row_2021["rate"], row_2021["n"], row_2021["sources"], row_2021["status"]) == ("30\u00a0%", "213", "1, 2",
                                                                                          "modstrid")
    assert kommune["messages"][0]["text"].startswith("modtagne klager er oplyst forskelligt: 226")
    official_2020 = kommune["groups"][0]["rows"][0]["national"]
    assert official_2020 == "29\u00a0%°"  # the official rate is marked as such
    national = {r["period"]: r for r in data["national"]}
    assert national["2018"]["official"] == "30\u00a0% og 30,5\u00a0%"
    assert data["appendix"]["rejected"] == [
        {"document": "broken0.pdf", "text": "PDF uden tekstlag (scannet?): teksten kan ikke læses uden OCR"}]
    assert {c.file_name for c in content.charts} >= {"roedovre-udvikling.png", "placering-all-2021.png"}


# Charts -------------------------------------------------------------------------------------------------


def _labels(ax) -> list:
    """A series panel's point labels (annotations; the axis labels are plain texts)."""
    return [t for t in ax.texts if isinstance(t, Annotation)]


def _axis_labels(ax, ha: str) -> list[str]:
    """A series panel's rate labels (``right``: left of the axis) or period labels (``center``)."""
    return [t.get_text() for t in ax.texts if not isinstance(t, Annotation) and t.get_horizontalalignment() == ha]


def test_series_chart_has_n_beside_every_point_and_a_0_to_100_axis():
    panel = Panel("Socialområdet", (Point("2020", 34.0, None, False, False), Point("2021", 19.0, 86, False, True)),
                  (36.2, 31.8))
    fig = Figure(figsize=(6.7, 3))
    draw_series(fig, [panel])
    ax = fig.axes[0]
    assert ax.get_ylim() == (0, 100)
    assert _axis_labels(ax, "right") == ["0\u00a0%", "20\u00a0%", "40\u00a0%", "60\u00a0%", "80\u00a0%", "100\u00a0%"]
    assert _axis_labels(ax, "center") == ["2020\nn ukendt", "2021\nn = 86"]
    assert [t.get_text() for t in _labels(ax)] == ["34\u00a0%", "19\u00a0%*"]
    # 34 % is a peak of the kommune's line with room above under the national line: above; 19 % a dip: below.
    assert [t.get_verticalalignment() for t in _labels(ax)] == ["bottom", "top"]


@pytest.mark.parametrize(("rate", "national", "above"), [
    (46, 29, True),   # above the line: label above
    (19, 31.8, False),  # below the line: label below
    (15.8, 30, False),  # room below, and above would run into the line
    (3, 30, True),    # no room below: above, clear of the line
    (96, 40, False),  # no room above
    (31, 29, True),   # just above the line: above keeps clear of it
    (28, 30, False),
])
def test_a_label_goes_where_it_fits_and_the_national_line_misses_it(rate, national, above):
    assert label_above(rate, national) is above


def test_between_two_clear_sides_a_label_avoids_the_kommunes_own_line():
    assert label_above(60, 20, (40, 45)) is True  # a peak: above
    assert label_above(60, 20, (70, 80)) is False  # a dip: below, though the national line is further below
    assert label_above(60, 20, (50, 70)) is True  # rising through: away from the national line


@given(st.floats(0, 100), st.one_of(st.none(), st.floats(0, 100)), st.lists(st.floats(0, 100), max_size=2))
def test_a_label_always_fits_inside_the_axis(rate, national, neighbours):
    from reports.charts import LABEL_HEIGHT, LABEL_OFFSET

    if label_above(rate, national, tuple(neighbours)):
        assert rate + LABEL_OFFSET + LABEL_HEIGHT <= 100 or rate - LABEL_OFFSET - LABEL_HEIGHT < 0
    else:
        assert rate - LABEL_OFFSET - LABEL_HEIGHT >= 0 or rate + LABEL_OFFSET + LABEL_HEIGHT > 100


def test_ranking_chart_puts_values_and_n_right_of_the_plot():
    ranking = Ranking("Samlet 2021", ("A (101)", "B (147)"), (Point("2021", 40.0, 120, False, False),
                                                              Point("2021", 10.0, 12, True, True)), 26.0,
                      "Landsplan 26\u00a0%")
    fig = Figure(figsize=(6.7, 2))
    draw_ranking(fig, ranking)
    ax = fig.axes[0]
    top_down = sorted(ax.get_yticklabels(), key=lambda t: -t.get_position()[1])
    assert [t.get_text() for t in top_down] == ["A (101)", "B (147)"]  # highest rate on top
    values = sorted(ax.child_axes[0].get_yticklabels(), key=lambda t: -t.get_position()[1])
    assert [t.get_text() for t in values] == ["40\u00a0% (n = 120)", "10\u00a0%* (n = 12)"]
    assert ax.get_xlim() == (0, 100)
    bars = [p for p in ax.patches]
    assert bars[1].get_hatch() == "////" and bars[0].get_hatch() is None


# Whole reports --------------------------------------------------------------------------------------------


def pdf_text(path: Path) -> str:
    document = pdfium.PdfDocument(path)
    try:
        text = "\n".join(page.get_textpage().get_text_range() for page in document)
        return text.replace("\u00a0", " ")  # "30 %" is set with a no-break space
    finally:
        document.close()


@pytest.fixture(scope="module")
def written(tmp_path_factory):
    out = tmp_path_factory.mktemp("report")
    paths = write_report(sample_figures(), national_frame(), statements_frame(), documents_frame(1), out,
                         cache_dir=out / ".cache", generated_at=GENERATED_AT, workers=0)
    return out, paths


def test_report_writes_charts_pdfs_and_tables(written):
    out, paths = written
    names = {p.relative_to(out).as_posix() for p in paths}
    assert {f"{CHART_DIR}/roedovre-udvikling.png", f"{CHART_DIR}/hvidovre-udvikling.png",
            f"{CHART_DIR}/placering-all-2021.png", PDF_NAME, f"{KOMMUNE_DIR}/roedovre.pdf",
            f"{KOMMUNE_DIR}/hvidovre.pdf", f"{KOMMUNE_DIR}/gladsaxe.pdf", f"{TABLE_DIR}/kommunetal.csv",
            f"{TABLE_DIR}/landstal.csv", f"{TABLE_DIR}/ankestat-tal.xlsx"} <= names
    assert all(p.exists() and p.stat().st_size > 0 for p in paths)


def test_pdf_is_danish_with_contents_bookmarks_and_sources(written):
    out, _ = written
    text = pdf_text(out / PDF_NAME)
    for expected in ("Indhold", "Oversigt", "Placering", "Landstal", "Rødovre Kommune (175)", "Bilag",
                     "Beskæftigelsesudvalget, 17. maj 2022, punkt 19", "Handicaprådet, 2. juni 2022, punkt 4, s. 3",
                     "modtagne klager er oplyst forskelligt: 226 (A), 231 (B)", "30 % og 30,5 %", "PDF uden tekstlag",
                     "−16 (fra 2020)", "9 †"):
        assert expected in text, expected
    document = pdfium.PdfDocument(out / PDF_NAME)
    titles = [item.get_title() for item in document.get_toc(max_depth=8) if item.level == 0]
    document.close()
    assert titles == ["Oversigt", "Placering", "Landstal", "Gladsaxe Kommune (159)", "Hvidovre Kommune (167)",
                      "Rødovre Kommune (175)", "Bilag"]


def test_the_contents_list_gives_each_sections_page_and_links_to_it(written):
    out, _ = written
    document = pdfium.PdfDocument(out / PDF_NAME)
    try:
        pages = {item.get_title(): item.get_dest().get_index() + 1 for item in document.get_toc(max_depth=8)
                 if item.level == 0}
        front = document[0].get_textpage().get_text_range()
        listed = dict(re.findall(r"^(\S.*?)[ .]+ (\d+)\s*$", front.split("Indhold", 1)[1], re.MULTILINE))
        assert {title: int(page) for title, page in listed.items()} == pages
        assert set(_link_targets(document, 0)) == {page - 1 for page in pages.values()}  # a link can be in parts
    finally:
        document.close()


def _link_targets(document: pdfium.PdfDocument, page_index: int) -> list[int]:
    """The page indices the links on a page go to."""
    page = document[page_index]
    targets, position, link = [], ctypes.c_int(0), pdfium_c.FPDF_LINK()
    while pdfium_c.FPDFLink_Enumerate(page, ctypes.byref(position), ctypes.byref(link)):
        destination = pdfium_c.FPDFLink_GetDest(document, link) or pdfium_c.FPDFAction_GetDest(
            document, pdfium_c.FPDFLink_GetAction(link))
        targets.append(pdfium_c.FPDFDest_GetDestPageIndex(document, destination))
    return targets


def test_each_kommune_pdf_holds_its_own_pages_only(written):
    out, _ = written
    text = pdf_text(out / KOMMUNE_DIR / "roedovre.pdf")
    assert "Rødovre Kommune (175)" in text
    assert "Hvidovre Kommune" not in text and "Oversigt" not in text
    assert "Rødovre Kommune (175) · 1 af" in text  # the footer counts the kommune's own pages


def test_csv_for_excel_and_xlsx(written):
    out, _ = written
    raw = (out / TABLE_DIR / "kommunetal.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # UTF-8 with BOM: Excel reads the æøå
    rows = list(csv.DictReader(raw.decode("utf-8-sig").splitlines(), delimiter=";"))
    rodovre = [r for r in rows if r["municipality"] == "Rødovre" and r["period"] == "2021"][0]
    assert rodovre["rate_pct"] == "30,0" and rodovre["kommune_code"] == "175"
    assert rodovre["sources"] == ("Beskæftigelsesudvalget, 17. maj 2022, punkt 19; "
                                  "Handicaprådet, 2. juni 2022, punkt 4, s. 3")
    with zipfile.ZipFile(out / TABLE_DIR / "ankestat-tal.xlsx") as book:
        names = book.namelist()
        shared = book.read("xl/sharedStrings.xml").decode("utf-8")
    assert "xl/worksheets/sheet2.xml" in names and "Rødovre" in shared


def test_pdf_pages_are_a4(written):
    out, _ = written
    document = pdfium.PdfDocument(out / PDF_NAME)
    sizes = {tuple(round(v) for v in page.get_size()) for page in document}
    document.close()
    assert sizes == {(595, 842)}


def synthetic(n: int, seed: int = 7) -> pd.DataFrame:
    """n kommuner, four areas, three years each, outcomes drawn at random; a few warnings."""
    rng = np.random.default_rng(seed)
    rows = []
    for k in range(n):
        for scope in ("all", "social", "child_disability", "adult_disability"):
            for year in (2019, 2020, 2021):
                st, hj, ae, af = (int(x) for x in rng.integers([5, 1, 1, 0], [300, 60, 40, 30]))
                rows.append(figure(f"Kommune {k:03d}", str(year), scope, decided=st + hj + ae + af, stadfaestet=st,
                                   hjemvist=hj, aendret=ae, afvist=af, national_rate_pct=30.0,
                                   status="warning" if (k + year) % 17 == 0 else "valid",
                                   messages="advarsel" if (k + year) % 17 == 0 else None))
    return frame(rows)


def test_a_report_on_98_kommuner_has_a_few_pages_each_and_redraws_only_what_changed(tmp_path):
    figures = synthetic(98)
    out = tmp_path / "out"
    cache = tmp_path / "cache"
    write_report(figures, national_frame(), statements_frame(), documents_frame(), out, cache_dir=cache,
                 generated_at=GENERATED_AT)
    pages = len(pdfium.PdfDocument(out / PDF_NAME))
    assert 98 * 1 <= pages <= 98 * 4
    kommune_pdfs = sorted((out / KOMMUNE_DIR).glob("*.pdf"))
    assert len(kommune_pdfs) == 98
    assert all(1 <= len(pdfium.PdfDocument(p)) <= 4 for p in kommune_pdfs[:5])
    before = {p.name: p.stat().st_mtime_ns for p in cache.glob("*.png")}

    write_report(figures, national_frame(), statements_frame(), documents_frame(), out, cache_dir=cache,
                 generated_at=GENERATED_AT)
    assert {p.name: p.stat().st_mtime_ns for p in cache.glob("*.png")} == before  # nothing drawn again

    changed = figures.copy()
    mine = changed["municipality"] == "Kommune 005"
    changed.loc[mine, "rate_pct"] = changed.loc[mine, "rate_pct"] + 1
    write_report(changed, national_frame(), statements_frame(), documents_frame(), out, cache_dir=cache,
                 generated_at=GENERATED_AT)
    after = {p.name: p.stat().st_mtime_ns for p in cache.glob("*.png")}
    new = set(after) - set(before)
    # The kommune's own chart and the rankings it appears in, nothing else.
    assert 1 <= len(new) <= 1 + 4
    assert len(after) == len(before)


@pytest.mark.parametrize(("reason", "danish"), [
    ("no text layer (scanned PDF?)", "PDF uden tekstlag (scannet?): teksten kan ikke læses uden OCR"),
    ("too many pages: 900 > 500", "for mange sider: 900 (grænsen er 500)"),
    ("unsupported format '.png'", "filtypen .png understøttes ikke"),
    ("not text: looks like a PDF", "ikke tekst, selv om filtypen siger det (ligner PDF)"),
    ("took longer than the 30 s limit per document", "læsningen tog mere end 30 sekunder og blev stoppet"),
    ("reading it killed the reader process (signal SIGKILL): most likely over the 512 MiB memory limit "
     "(--max-memory-mb)", "læsningen brugte formentlig mere end 512 MiB hukommelse og blev stoppet"),
    ("something new", "kunne ikke læses (something new)"),
])
def test_rejection_reasons_are_shown_in_danish(reason, danish):
    assert danish_reason(reason) == danish


def test_every_rejection_reason_the_readers_give_has_a_danish_text():
    """Each literal reason in the code that rejects documents is known to the table (a new one fails here)."""
    import re

    root = Path(__file__).resolve().parents[1]
    sources = [*root.glob("extract/readers*.py"), root / "flows" / "documents.py", root / "flows" / "isolation.py"]
    literals = set()
    for path in sources:
        for match in re.finditer(r'(?:UnreadableDocument|TooLarge)\(f?"([^"]+)"', path.read_text("utf-8")):
            literal = re.sub(r"\{[^}]*\}", "7", match[1])  # a placeholder stands for a number or word
            if re.search(r"[a-z]{3}", literal):  # not a wrapper made of placeholders only
                literals.add(literal)
    assert literals, "no reasons found: the pattern no longer matches the code"
    unknown = [r for r in sorted(literals) if danish_reason(r).startswith("kunne ikke læses")]
    assert unknown == []


def test_a_kommune_with_years_and_quarters_gets_a_panel_for_each_and_many_years_the_full_width():
    rows = [figure("Aalborg", str(year), decided=100, reported_rate_pct=20.0 + year % 7) for year in range(2014, 2022)]
    rows += [figure("Aalborg", f"2021-Q{q}", decided=30, reported_rate_pct=25.0) for q in (1, 2)]
    content = build_report(frame(rows), national_frame(), statements_frame(), documents_frame(),
                           generated_at=GENERATED_AT)
    (chart,) = [c for c in content.charts if c.kind == "series"]
    assert [p.title for p in chart.content] == ["Social- og beskæftigelsesområdet samlet",
                                                "Social- og beskæftigelsesområdet samlet (kvartaler)"]
    assert [len(p.points) for p in chart.content] == [8, 2]
    fig = Figure(figsize=(6.7, 5))
    draw_series(fig, list(chart.content))
    assert all(ax.get_position().width > 0.8 for ax in fig.axes if ax.get_visible())


def test_equal_rates_share_a_place_in_the_ranking():
    from reports.report import places

    assert places(pd.Series([40.0, 31.0, 31.0, 20.0])) == [1, 2, 2, 4]


def test_a_long_area_name_is_shortened_in_a_panel_title():
    long = "Social-, Sundheds-, Ældre-, Beskæftigelses- og Integrationsudvalgets ressortområde i kommunen"
    panel = Panel(long, (Point("2021", 30.0, 50, False, False),), (26.0,))
    fig = Figure(figsize=(6.7, 3))
    draw_series(fig, [panel, panel])
    assert fig.axes[0].get_title(loc="left").endswith("…")


def test_a_figure_restated_in_many_minutes_keeps_its_pages_short():
    many = [source(f"{i:03}.txt", "Udvalget", date(2022, 1, 1 + i % 28), f"{i}. Klagestatistik") for i in range(60)]
    rows = [figure("Rødovre", "2021", decided=238, reported_rate_pct=30.0, sources=many)]
    content = build_report(frame(rows), national_frame(), statements_frame(), documents_frame(),
                           generated_at=GENERATED_AT)
    kommune = content.data["kommuner"][0]
    assert len(kommune["sources"]) == 25 and kommune["more_sources"].startswith("… og 35 kilder mere")
    assert kommune["groups"][0]["rows"][0]["sources"] == "1, 2, 3, 4, +56"


def test_a_series_chart_drawn_on_a_used_figure_is_the_same_as_on_a_new_one():
    """flows/render.py draws every chart of a layout on one figure (making the axes is a third of the cost):
    what the figure showed before must leave no trace."""
    import io

    def svg(fig) -> bytes:
        out = io.BytesIO()
        with matplotlib.rc_context({"svg.hashsalt": "ankestat", "svg.fonttype": "none"}):
            fig.savefig(out, format="svg", metadata={"Date": None})
        return out.getvalue()

    first = [Panel("Socialområdet", (Point("2020", 34.0, None, False, False), Point("2021", 96.0, 86, True, True)),
                   (36.2, None)),
             Panel("Beskæftigelsesområdet", (Point("2021", 3.0, 12, True, False),), (30.0,))]
    second = [Panel("Handicap, børn", (Point("2019", 50.0, 40, False, False), Point("2020", 12.5, 300, False, False)),
                    (25.0, 26.0)),
              Panel("Handicap, voksne", (Point("2022", 41.0, 77, False, True),), (None,))]
    used = Figure(figsize=(6.7, 3))
    draw_series(used, first)
    draw_series(used, second)
    new = Figure(figsize=(6.7, 3))
    draw_series(new, second)
    assert svg(used) == svg(new)
    assert svg(used) != svg(_drawn(first))


def _drawn(panels) -> Figure:
    fig = Figure(figsize=(6.7, 3))
    draw_series(fig, panels)
    return fig


def test_a_kommune_full_of_conflicts_keeps_its_pages_few_and_points_to_the_database():
    """Every message stays in kommune_figures; the report shows at most MAX_MESSAGES of a kommune's, each cut
    at MAX_MESSAGE_CHARS, and the appendix at most MAX_APPENDIX_ROWS flagged figures (typst holds ~1.5 MB a
    laid-out page: 10,000 synthetic minutes full of conflicts made a 2 GB layout)."""
    from reports.report import MAX_APPENDIX_ROWS, MAX_MESSAGE_CHARS, MAX_MESSAGES, TABLE_YEARS

    long_message = "afgjorte sager er oplyst forskelligt: " + ", ".join(f"{100 + i} (Socialudvalget 07.07.2020)"
                                                                      for i in range(40))
    rows = [figure(f"Kommune {k:03d}", str(year), scope, decided=100, reported_rate_pct=20.0, status="conflict",
                   messages=long_message)
            for k in range(12) for year in range(2015, 2023) for scope in ("all", "social", "employment", "other")]
    content = build_report(frame(rows), national_frame(), statements_frame(), documents_frame(),
                           generated_at=GENERATED_AT)
    kommune = content.data["kommuner"][0]
    assert len(kommune["messages"]) == MAX_MESSAGES
    shown = TABLE_YEARS * 4  # the messages of the figures in the kommune's table
    assert kommune["more_messages"] == f"… og {shown - MAX_MESSAGES} mere (alle står i kommune_figures.messages)"
    text = kommune["messages"][0]["text"]
    assert text.endswith("… (hele teksten: kommune_figures.messages)")
    assert len(text) <= MAX_MESSAGE_CHARS + len(" (hele teksten: kommune_figures.messages)")
    appendix = content.data["appendix"]
    assert len(appendix["flagged"]) == MAX_APPENDIX_ROWS < len(rows)
    assert appendix["flagged_more"].startswith(f"… og {len(rows) - MAX_APPENDIX_ROWS} mere")


def test_a_kommunes_table_shows_its_newest_years_and_its_chart_every_year():
    """The pages of a kommune stay as many as the years go by: its table holds the TABLE_YEARS years up to its
    newest figure, with their sources and messages; its chart and the tables under tal/ keep every year."""
    from reports.report import TABLE_YEARS

    rows = [figure("Aalborg", str(year), decided=100, reported_rate_pct=20.0 + year % 7,
                   sources=[source(f"{year}.txt", day=date(year + 1, 5, 17))],
                   status="warning" if year % 2 else "valid",
                   messages=f"advarsel {year}" if year % 2 else None) for year in range(2012, 2022)]
    rows += [figure("Aalborg", f"{year}-Q2", decided=30, reported_rate_pct=25.0,
                    sources=[source(f"{year}q.txt", day=date(year, 9, 1))])
             for year in (2016, 2017)]
    content = build_report(frame(rows), national_frame(), statements_frame(), documents_frame(),
                           generated_at=GENERATED_AT)
    (kommune,) = content.data["kommuner"]
    first = 2021 - TABLE_YEARS + 1
    shown = [r["period"] for g in kommune["groups"] for r in g["rows"]]
    assert shown == ["2. kvt. 2017", *(str(y) for y in range(first, 2022))]  # a quarter before its year
    older = len(rows) - len(shown)
    assert kommune["older"] == (f"Tabellen viser tallene fra {first} og frem; {older} ældre tal står i diagrammet, "
                                "tal/kommunetal.csv og kommune_figures.")
    assert [s["document"] for s in kommune["sources"]] == ["2017q.txt", *(f"{y}.txt" for y in range(first, 2022))]
    assert [m["area"].rsplit(", ", 1)[1] for m in kommune["messages"]] == [str(y) for y in range(first, 2022)
                                                                          if y % 2]
    (chart,) = [c for c in content.charts if c.kind == "series"]
    assert [len(p.points) for p in chart.content] == [10, 2]


def test_a_kommune_with_few_years_has_no_note_on_older_figures():
    rows = [figure("Aalborg", str(year), decided=100, reported_rate_pct=20.0) for year in (2019, 2021)]
    content = build_report(frame(rows), national_frame(), statements_frame(), documents_frame(),
                           generated_at=GENERATED_AT)
    assert content.data["kommuner"][0]["older"] == ""


def test_a_chart_taller_than_a_page_stays_with_its_heading(tmp_path):
    """Seven panels of eight years, one under the other, make a chart taller than a page: it is scaled to fit
    under its heading, not moved to the next page with the heading left alone."""
    scopes = ("all", "social", "child_disability", "adult_disability", "employment")
    rows = [figure("Aalborg", str(year), scope, decided=100, reported_rate_pct=20.0 + year % 5,
                   national_rate_pct=28.0) for scope in scopes for year in range(2014, 2022)]
    rows += [figure("Aalborg", f"2021-Q{q}", scope, decided=30, reported_rate_pct=25.0)
             for scope in scopes[:2] for q in (1, 2, 3)]
    out = tmp_path / "out"
    write_report(frame(rows), national_frame(), statements_frame(), documents_frame(), out,
                 cache_dir=tmp_path / "cache", generated_at=GENERATED_AT, workers=0)
    document = pdfium.PdfDocument(out / KOMMUNE_DIR / "aalborg.pdf")
    try:
        texts = [page.get_textpage().get_text_range() for page in document]
    finally:
        document.close()
    (heading_page,) = [t for t in texts if "\nUdvikling" in t or t.startswith("Udvikling")]
    assert "Beskæftigelsesområdet" in heading_page and "100 %" in heading_page  # the last panel, an axis


def test_a_kommune_section_is_headed_by_its_official_name():
    from reports.report import kommune_title

    assert kommune_title("København", "101") == "Københavns Kommune (101)"
    assert kommune_title("Bornholm", "400") == "Bornholms Regionskommune (400)"
    assert kommune_title("Rødovre", "175") == "Rødovre Kommune (175)"
    content = build_report(frame([figure("København", "2021", decided=900, reported_rate_pct=30.0)]),
                           national_frame(), statements_frame(), documents_frame(), generated_at=GENERATED_AT)
    assert content.data["kommuner"][0]["title"] == "Københavns Kommune (999)"


def test_every_source_number_beside_a_figure_is_in_the_list_under_the_table():
    """A kommune with more sources than the list holds: a figure's numbers are only listed ones, in order."""
    from reports.report import MAX_SOURCES

    rows = [figure("Rødovre", str(year), decided=100, reported_rate_pct=30.0,
                   sources=[source(f"{year}-{i}.txt", "Udvalget", date(year + 1, 1 + i % 12, 1 + i % 28), f"{i}. Punkt")
                            for i in range(7)])
            for year in range(2019, 2024)]
    content = build_report(frame(rows), national_frame(), statements_frame(), documents_frame(),
                           generated_at=GENERATED_AT)
    kommune = content.data["kommuner"][0]
    listed = {str(s["n"]) for s in kommune["sources"]}
    assert len(listed) == MAX_SOURCES
    for group in kommune["groups"]:
        for row in group["rows"]:
            numbers = [n for n in row["sources"].split(", ") if not n.startswith("+")]
            assert set(numbers) <= listed and numbers == sorted(numbers, key=int)
    assert kommune["groups"][0]["rows"][-1]["sources"] == "+7"  # 2023's seven sources are numbers 29-35


def test_many_stated_national_rates_are_shown_as_their_range():
    national = national_frame([{"period": "2022", "year": 2022, "scope": "all", "official_rate_pct": 30.0,
                                "official_rates": [30.0], "stated_rates": [29.0, 30.0, 31.5, 22.1, 30.5],
                                "n_sources": 5, "status": "differs"}])
    content = build_report(sample_figures(), national, statements_frame(), documents_frame(),
                           generated_at=GENERATED_AT)
    row = [r for r in content.data["national"] if r["period"] == "2022"][0]
    assert row["stated"] == "22,1–31,5\u00a0% (5 værdier)"


def test_a_shortened_panel_title_keeps_its_kind_of_period():
    from reports.charts import panel_title

    title = panel_title("Social- og beskæftigelsesområdet samlet (kvartaler)", 42)
    assert title.endswith(" (kvartaler)") and len(title) <= 42 and "…" in title
    assert panel_title("Socialområdet (kvartaler)", 42) == "Socialområdet (kvartaler)"
    assert panel_title("Beskæftigelses- og Integrationsudvalget område", 42).endswith("…")
