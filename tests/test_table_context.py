"""Tables whose columns are periods: what their rows of kommuner and of the country store, and what they must
not. Each text is a short agenda item; the checks come from three adversarial reviews (each failed on a version
of the rule before). The golden cases in tests/fixtures/cases show whole documents."""

from __future__ import annotations

import pytest

from extract.document import extract_document
from extract.readers import read_document

HEAD = "Socialudvalget, Vejen Kommune\nMødedato: 3. maj 2024\nPunkt 5: Ankestyrelsens statistik for 2023\n"
RATES = ("Omgørelsesprocent      2022      2023\n"
         "Vejen Kommune          27,0 %    21,8 %\n"
         "Hele landet            30,0 %    29,5 %\n")


def _stats(body: str, head: str = HEAD) -> list[dict]:
    text = head + body + "\nBeslutning: Til efterretning.\n"
    extraction = extract_document("x.txt", read_document("x.txt", text.encode("utf-8")))
    return [vars(s) for s in extraction.statistics]


def _kommune_rates(stats: list[dict]) -> set[tuple]:
    return {(s["municipality"], s["period"], s["scope"], s["reported_rate_pct"]) for s in stats
            if s["reported_rate_pct"] is not None}


def test_years_as_columns_under_a_rate_header_give_each_kommune_row_its_rates():
    stats = _stats("Omgørelsesprocent      2022      2023\n"
                   "Vejen Kommune          27,0 %    21,8 %\n"
                   "Kolding Kommune        30,1 %    26,0 %\n"
                   "Hele landet            30,0 %    29,5 %\n")
    rates = {(s["municipality"], s["period"]): (s["reported_rate_pct"], s["national_rate_pct"]) for s in stats}
    assert rates == {("Vejen", "2022"): (27.0, 30.0), ("Vejen", "2023"): (21.8, 29.5),
                     ("Kolding", "2022"): (30.1, 30.0), ("Kolding", "2023"): (26.0, 29.5)}


@pytest.mark.parametrize(("text", "where"), [
    (f"Tabellen nedenfor viser tallene for voksenhandicapområdet.\n\n{RATES}", "above the table"),
    (f"{RATES}\nTallene ovenfor dækker alene voksenhandicapområdet.", "after the table"),
    ("Udvalget har bedt om at se nærmere på børnehandicapområdet, hvor der har været mange klager.\n\n"
     f"{RATES}", "mid-sentence, before"),
    (f"Tabellen viser omgørelsesprocenten for sager efter serviceloven:\n\n{RATES}", "a law"),
    (f"Tabellen viser omgørelsesprocenten i sager om tabt arbejdsfortjeneste efter § 42:\n\n{RATES}", "a §"),
    (f"Nedenstående tabel viser omgørelsesprocenten i sygedagpengesager:\n\n{RATES}", "a kind of case"),
    (f"På børnehandicapområdet bad udvalget på sidste møde om en tidsserie. Den ses herunder.\n\n{RATES}",
     "an area that opens a sentence"),
    (f"Udvalget har ønsket at se klagerne, som Klagenævnet for Specialundervisning behandler:\n\n{RATES}",
     "another appeal body"),
])
def test_kommune_rows_are_not_read_where_the_item_names_an_area_or_a_kind_of_case(text, where):
    assert _kommune_rates(_stats(text)) == set(), where


def test_kommune_rows_are_not_read_when_an_area_line_stands_inside_the_table():
    stats = _stats("Omgørelsesprocent          2022      2023\n"
                   "Børnehandicapområdet\n"
                   "Vejen Kommune              40 %      35 %\n"
                   "Hele landet                44 %      41 %\n")
    assert _kommune_rates(stats) == set()


def test_targets_are_not_rates():
    stats = _stats("Nedenfor ses de faktiske tal for 2023 og målene for de kommende år.\n\n"
                   "Omgørelsesprocent      2023      Mål 2024      Mål 2025\n"
                   "Vejen Kommune          31 %      27 %          24 %\n")
    assert not any(s["period"] in ("2024", "2025") for s in stats)


def test_under_a_count_header_neither_the_kommune_nor_the_country_gives_a_figure():
    """"Afgjorte sager", "Antal" or "Antal klager" over rows of kommuner may be complaints the kommune received,
    cases still open or the cases per 10,000 inhabitants: only the rate's own name is read; the country's counts
    are never a national rate."""
    stats = _stats("Afgjorte sager         2022      2023\n"
                   "Vejen Kommune           96       104\n"
                   "Hele landet          9.850    10.210\n")
    assert stats == []


def test_the_countrys_share_of_reversed_cases_is_its_rate():
    stats = _stats("Andel omgjorte sager    2022     2023\n"
                   "Hele landet             30 %     29 %\n"
                   "Omgørelsesprocent       2022     2023\n"
                   "Vejen Kommune           32 %     27 %\n")
    assert {(s["period"], s["national_rate_pct"]) for s in stats} == {("2022", 30.0), ("2023", 29.0)}


@pytest.mark.parametrize("header", [
    "Forskel til landsgennemsnittet",
    "Udvikling i omgørelsesprocenten (procentpoint)",
    "Placering efter omgørelsesprocent",
    "Antal klagesager pr. 10.000 indbyggere",
    "Verserende sager ved årets udgang",
])
def test_a_header_that_names_another_measure_gives_kommune_rows_nothing(header):
    stats = _stats(f"{header}     2022     2023\nVejen Kommune     2,0     3,5\nKolding Kommune     4,1     1,2\n")
    assert stats == []


def test_area_rows_under_a_rate_header_are_not_read():
    """"Omgørelsesprocent | 2022 | 2023" over "Børnehandicapområdet | 44 % | 41 %" is as often the country's
    table as the kommune's."""
    stats = _stats("Tal for hele landet\n\nOmgørelsesprocent          2022      2023\n"
                   "Børnehandicapområdet       44 %      41 %\nVoksenhandicapområdet      33 %      31 %\n")
    assert stats == []


def test_kommune_rows_do_not_take_an_area_from_the_text_before_the_table():
    stats = _stats("På børnehandicapområdet har Vejen Kommune fået omgjort 41 % af sagerne.\n\n"
                   "Kommunens samlede omgørelsesprocent\n\n"
                   "Omgørelsesprocent      2021     2022     2023\n"
                   "Vejen Kommune          26 %     27 %     25 %\n")
    assert _kommune_rates(stats) == {("Vejen", "2023", "child_disability", 41.0)}


@pytest.mark.parametrize("label", ["Slagelse, børnehandicap", "Øvrige kommuner i regionen", "Vejen Kommune (pct.)"])
def test_a_row_that_is_more_than_a_kommunes_name_gives_nothing(label):
    stats = _stats(f"Omgørelsesprocent                  2022     2023\n{label:<35}38 %     35 %\n")
    assert stats == []


def test_figure_rows_of_a_table_whose_area_is_named_only_in_passing_are_not_all_cases():
    """"Tabellen nedenfor viser tallene for voksenhandicapområdet." names the area too far into its sentence to
    set it; the figures below are that area's, not the kommune's for all cases, nor the country's."""
    stats = _stats("Tabellen nedenfor viser tallene for voksenhandicapområdet.\n\n"
                   "                      2022     2023\n"
                   "Afgjorte sager        95       104\n"
                   "Omgørelsesprocent     35,8     31,7\n"
                   "Landsplan             33,5     32,1\n")
    assert not any(s["scope"] == "all" for s in stats)


def test_the_countrys_row_of_a_table_about_one_paragraph_is_no_national_rate_of_all_cases():
    text = HEAD + ("Tabellen viser omgørelsesprocenten i sager om tabt arbejdsfortjeneste efter § 42:\n\n" + RATES
                   + "\nBeslutning: Til efterretning.\n")
    extraction = extract_document("x.txt", read_document("x.txt", text.encode("utf-8")))
    assert [(r.period, r.scope) for r in extraction.national_rates if r.scope == "all"] == []


def test_a_table_with_its_own_rows_of_areas_still_gives_the_kommunes_totals():
    stats = _stats("Antal sager                     2022     2023\n"
                   "Beskæftigelsesområdet            120      131\n"
                   "Socialområdet                    182      213\n"
                   "Sager i alt                      302      344\n"
                   "Heraf omgjort                     71       79\n")
    totals = {(s["period"], s["decided"], s["reversed"]) for s in stats if s["scope"] == "all"}
    assert totals == {("2022", 302, 71), ("2023", 344, 79)}
