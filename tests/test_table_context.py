"""Tables whose columns are periods, and the sentence right above a table: what they store and what they must
not. Each text is a short agenda item; the golden cases in tests/fixtures/cases show whole documents."""

from __future__ import annotations

import pytest

from extract.document import extract_document
from extract.readers import read_document

HEAD = "Socialudvalget, Vejen Kommune\nMødedato: 3. maj 2024\nPunkt 5: Ankestyrelsens statistik for 2023\n"
TABLE = ("Kommune          Afgjorte   Stadfæstet   Hjemvist   Ændret   Omgørelsesprocent\n"
         "Vejen Kommune    187        130          33         24       30,5\n")


def _stats(body: str, head: str = HEAD) -> list[dict]:
    text = head + body + "\nBeslutning: Til efterretning.\n"
    extraction = extract_document("x.txt", read_document("x.txt", text.encode("utf-8")))
    return [vars(s) for s in extraction.statistics]


def _scopes(stats: list[dict]) -> set[str]:
    return {s["scope"] for s in stats if s["decided"] == 187}


@pytest.mark.parametrize(("intro", "scope"), [
    ("Tabellen nedenfor viser tallene for voksenhandicapområdet.", "adult_disability"),
    ("Herunder ses en oversigt over sagerne på børnehandicapområdet.", "child_disability"),
    ("Tabellen viser tallene på beskæftigelsesområdet.", "employment"),
])
def test_the_sentence_right_above_a_table_gives_it_its_area(intro, scope):
    assert _scopes(_stats(f"{intro}\n\n{TABLE}")) == {scope}


@pytest.mark.parametrize("intro", [
    "Oversigten over sagerne på beskæftigelsesområdet er vedlagt som bilag 2.",  # a table elsewhere
    "Skemaet for beskæftigelsesområdet behandles på næste møde, og tabellen herunder viser årets tal.",
    "Tabellen nedenfor viser tallene, og på sidste møde så vi børnehandicapområdet.",  # not about the table
    "Tabellen nedenfor viser tallene for børnehandicapområdet og voksenhandicapområdet samlet.",  # two areas
    "Ventelisterne på ældreområdet er uændrede.",  # no table word
])
def test_a_sentence_that_does_not_name_the_tables_one_area_leaves_it_all(intro):
    assert _scopes(_stats(f"{intro}\n\n{TABLE}")) == {"all"}


def test_a_sentence_that_names_an_area_the_table_only_partly_holds_leaves_it_all():
    intro = "I oversigten nedenfor er også medtaget sager på voksenhandicapområdet fra 2021."
    assert _scopes(_stats(f"{intro}\n\n{TABLE}")) == {"all"}


def test_a_table_sentence_with_text_between_it_and_the_table_gives_it_nothing():
    body = f"Tabellen nedenfor viser tallene for voksenhandicapområdet.\nDer er flere klager end sidste år.\n\n{TABLE}"
    assert _scopes(_stats(body)) == {"all"}


def test_years_as_columns_under_a_rate_header_give_each_kommune_row_its_rates():
    stats = _stats("Omgørelsesprocent      2022      2023\n"
                   "Vejen Kommune          27,0 %    21,8 %\n"
                   "Kolding Kommune        30,1 %    26,0 %\n"
                   "Hele landet            30,0 %    29,5 %\n")
    rates = {(s["municipality"], s["period"]): (s["reported_rate_pct"], s["national_rate_pct"]) for s in stats}
    assert rates == {("Vejen", "2022"): (27.0, 30.0), ("Vejen", "2023"): (21.8, 29.5),
                     ("Kolding", "2022"): (30.1, 30.0), ("Kolding", "2023"): (26.0, 29.5)}


@pytest.mark.parametrize("header", [
    "                       2022      2023",  # names no figure
    "Stadfæstet og omgjort  2022      2023",  # names two
    "Udvikling              2022      2023",
])
def test_years_as_columns_under_a_header_without_one_figure_give_kommune_rows_nothing(header):
    stats = _stats(f"{header}\nVejen Kommune          27        21\nKolding Kommune        30        26\n")
    assert stats == []


def test_under_a_count_header_neither_the_kommune_nor_the_country_gives_a_figure():
    """"Afgjorte sager", "Antal" or "Antal klager" over rows of kommuner may be complaints the kommune received,
    cases still open or the cases per 10,000 inhabitants: only the rate's own name is read; the country's counts
    are never a national rate."""
    stats = _stats("Afgjorte sager         2022      2023\n"
                   "Vejen Kommune           96       104\n"
                   "Hele landet          9.850    10.210\n")
    assert stats == []


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


@pytest.mark.parametrize("intro", [
    "For at vise niveauet i resten af landet viser tabellen omgørelsesprocenterne for alle landets kommuner under ét:",
    "Udvalget har ønsket at se klagerne, som Klagenævnet for Specialundervisning behandler:",
])
def test_rows_under_a_table_of_the_country_or_another_body_are_not_the_kommunes(intro):
    stats = _stats(f"{intro}\n\nOmgørelsesprocent      2022     2023\nVejen Kommune          40 %     25 %\n"
                   "Børnehandicapområdet   44 %     41 %\n")
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
    assert {(s["period"], s["scope"], s["reported_rate_pct"]) for s in stats} == {("2023", "child_disability", 41.0)}


@pytest.mark.parametrize("label", ["Slagelse, børnehandicap", "Øvrige kommuner i regionen", "Vejen Kommune (pct.)"])
def test_a_row_that_is_more_than_a_kommunes_name_gives_nothing(label):
    stats = _stats(f"Omgørelsesprocent                  2022     2023\n{label:<35}38 %     35 %\n")
    assert stats == []
