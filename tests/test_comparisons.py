"""What the comparison rule ("X pct. mod Y pct. året før") and the implied counts ("N ud af M sager", "som
alle blev …") must not store: the false positives a review of both found. Each text is a short agenda item;
each check names a statistic (or a field of one) that must not be there, and one that must.

The golden cases in tests/fixtures/cases show what they do store."""

from __future__ import annotations

import pytest

from extract.document import extract_document
from extract.readers import read_document

HEAD = "Socialudvalget, Faxe Kommune\nMødedato: 14. marts 2023\nPunkt 5: Ankestyrelsens årsstatistik 2022\n"


def _stats(body: str, head: str = HEAD) -> list[dict]:
    text = head + body + "\nBeslutning: Til efterretning.\n"
    extraction = extract_document("x.txt", read_document("x.txt", text.encode("utf-8")))
    return [vars(s) for s in extraction.statistics]


def _has(stats: list[dict], **fields) -> bool:
    return any(all(s.get(k) == v for k, v in fields.items()) for s in stats)


@pytest.mark.parametrize(("body", "place"), [
    ("Omgørelsesprocenten var 27,4 pct. mod 31 pct. i 2022 i resten af landet.", "the rest of the country"),
    ("Omgørelsesprocenten var 27,4 pct. mod 31 pct. i 2022 i gennemsnit.", "the average"),
    ("Omgørelsesprocenten var 27,4 pct. mod 31 pct. i 2022 på landsbasis.", "the country"),
    ("Omgørelsesprocenten var 27,4 pct. mod 31 pct. for Vejle.", "another kommune"),
    ("Omgørelsesprocenten var 27,4 pct. mod 31 pct. i Vejle Kommune.", "another kommune"),
    ("Omgørelsesprocenten var 27,4 pct. mod 31 pct. året før i hele Danmark.", "the country"),
    ("Omgørelsesprocenten var 27,4 pct. mod 31 pct. året før i sammenligningsgruppen.", "a group of kommuner"),
])
def test_a_comparison_with_another_place_keeps_the_kommunes_own_rate(body, place):
    stats = _stats("Ankestyrelsen afgjorde i 2022 i alt 212 sager fra Faxe Kommune på socialområdet.\n" + body)
    assert _has(stats, municipality="Faxe", period="2022", reported_rate_pct=27.4), place
    assert not _has(stats, municipality="Faxe", reported_rate_pct=31.0), place


def test_a_comparison_with_another_area_is_not_this_areas_figure():
    stats = _stats("Ankestyrelsen afgjorde i 2022 i alt 150 sager fra Faxe Kommune.\nOmgørelsesprocenten på "
                   "beskæftigelsesområdet var 12 pct. mod 30 pct. i 2022 på socialområdet.")
    assert _has(stats, period="2022", scope="employment", reported_rate_pct=12.0)
    assert not _has(stats, scope="employment", reported_rate_pct=30.0)


@pytest.mark.parametrize("change", ["faldt med 4 pct.", "faldt 4 pct."])
def test_a_change_compared_with_the_year_before_is_no_rate_of_that_year(change):
    stats = _stats("Ankestyrelsen afgjorde i 2022 i alt 212 sager fra Faxe Kommune på socialområdet.\n"
                   f"Omgørelsesprocenten {change} mod 6 pct. året før.")
    assert not _has(stats, period="2021")


def test_a_compared_quarter_without_its_year_is_not_filed_under_this_year():
    head = "Beskæftigelsesudvalget, Faxe Kommune\nMødedato: 10. december 2024\nPunkt 7: Kvartalsstatistik\n"
    stats = _stats("I 3. kvartal 2024 afgjorde Ankestyrelsen 52 sager fra Faxe Kommune på beskæftigelsesområdet. "
                   "Omgørelsesprocenten var 19,2 pct. mod 24,0 pct. i 4. kvartal.", head)
    assert _has(stats, period="2024-Q3", reported_rate_pct=19.2)
    assert not _has(stats, period="2024-Q4")


def test_none_of_the_cases_decided_in_a_month_is_not_the_areas_count():
    stats = _stats("På voksenhandicapområdet blev 4 sager hjemvist i 2022. Ingen af de fem sager på "
                   "voksenhandicapområdet, der blev afgjort i december, blev omgjort.")
    assert not any(s.get("reversed") == 0 for s in stats)


def test_a_clause_about_the_compared_year_stays_with_it():
    stats = _stats("I 2022 afgjorde Ankestyrelsen 80 sager fra Faxe Kommune. Omgørelsesprocenten var 30 pct. mod "
                   "24 pct. året før, hvor der blev afgjort 61 sager.")
    assert _has(stats, period="2022", decided=80, reported_rate_pct=30.0)
    assert _has(stats, period="2021", decided=61, reported_rate_pct=24.0)


@pytest.mark.parametrize("body", [
    "Omgørelsesprocenten var 25 pct., og 10 ud af 40 sager blev behandlet inden for fristen.",
    "Omgørelsesprocenten var 25 pct., og 10 ud af 40 sager drejede sig om hjælpemidler.",
    "Omgørelsesprocenten var 25 pct. Kommunen blev nr. 10 ud af 40 kommuner i regionen.",
])
def test_n_of_m_with_a_verb_of_its_own_or_a_ranking_is_no_reversed_count(body):
    stats = _stats("Ankestyrelsen afgjorde i 2022 i alt 40 sager fra Faxe Kommune på socialområdet. " + body)
    assert not any(s.get("reversed") == 10 for s in stats)


@pytest.mark.parametrize("body", [
    "På børnehandicapområdet blev 9 sager ændret i 2022. Det gælder bl.a. 4 afgørelser, som alle blev ændret.",
    "På voksenhandicapområdet er der i 2022 afgjort 14 sager. Af de hjemviste sager var der én afgørelse, som "
    "blev hjemvist på grund af manglende partshøring.",
    "Ankestyrelsen stadfæstede i 2022 3 afgørelser på børnehandicapområdet. Der var desuden 3 afgørelser, som "
    "alle blev stadfæstet af byretten.",
])
def test_a_part_of_the_cases_that_all_had_one_outcome_is_no_total(body):
    stats = _stats(body)
    assert not any(s.get("decided") in (1, 3, 4) for s in stats)


def test_outcome_lines_under_a_total_are_parts_not_totals():
    stats = _stats("Ankestyrelsen afgjorde i 2022 i alt 10 sager fra Faxe Kommune på socialområdet:\n"
                   "- 6 afgørelser, som alle blev stadfæstet\n- 4 afgørelser, som alle blev ændret")
    assert _has(stats, decided=10, stadfaestet=6, aendret=4)
    assert not any(s.get("notes") for s in stats)


def test_paragraphs_and_counts_joined_by_og_stay_apart():
    stats = _stats("I 2022 afgjorde Ankestyrelsen 12 sager efter § 41 og 25 sager efter § 42 fra Faxe Kommune "
                   "på børnehandicapområdet.")
    assert _has(stats, paragraph_key="41", paragraphs="§ 41", decided=12)
    assert _has(stats, paragraph_key="42", paragraphs="§ 42", decided=25)


def test_a_count_after_og_is_no_paragraph_but_a_rising_list_is():
    stats = _stats("Ankestyrelsen afgjorde i 2022 i alt 80 sager fra Faxe Kommune, og 15 sager efter § 41 og 6 blev "
                   "ændret.")
    assert any(s.get("aendret") == 6 for s in stats)
    stats = _stats("På børnehandicapområdet afgjorde Ankestyrelsen i 2022 sager efter § 41 og 42, og 12 blev "
                   "stadfæstet, mens 5 blev hjemvist.")
    assert not any(s.get("decided") == 42 for s in stats)


@pytest.mark.parametrize("body", [
    "I 83 pct. af sagerne fik kommunen medhold. Landsgennemsnittet for beskæftigelsesområdet var 81 pct.",
    "Andelen af stadfæstede sager var 80 pct. Landsgennemsnittet for beskæftigelsesområdet var 81 pct.",
    "I 83 pct. af sagerne fik kommunen medhold, mens landsgennemsnittet var 81 pct.",
])
def test_the_countrys_share_of_upheld_cases_is_no_national_reversal_rate(body):
    stats = _stats("Ankestyrelsen afgjorde i 2022 i alt 65 sager fra Faxe Kommune på beskæftigelsesområdet. " + body)
    assert not any(s.get("national_rate_pct") == 81.0 for s in stats)


def test_a_national_average_after_a_rate_is_still_the_countrys_rate():
    stats = _stats("Ankestyrelsen afgjorde i 2022 i alt 65 sager fra Faxe Kommune på beskæftigelsesområdet, og "
                   "omgørelsesprocenten var 17 pct. Landsgennemsnittet for beskæftigelsesområdet var 19 pct.")
    assert _has(stats, reported_rate_pct=17.0, national_rate_pct=19.0)


# News articles (a stored page's date stamp, no committee): what the third review found.

def _article(body: str) -> list[dict]:
    text = " date 2024-03 \n" + body + "\n"
    return [vars(s) for s in extract_document("a.txt", read_document("a.txt", text.encode("utf-8"))).statistics]


@pytest.mark.parametrize("body", [
    "På beskæftigelsesområdet i Rebild Kommune var der i 2023 3 sager, som alle blev hjemvist, mens 20 blev "
    "stadfæstet.",
    "På børnehandicapområdet var der én afgørelse, som blev ændret af Ankestyrelsen i 2023, oplyser Lemvig "
    "Kommune. Kommunen fik i alt 18 sager afgjort på området.",
    "Blandt klagerne efter § 41 fra Samsø Kommune var der i 2023 5 sager, som alle blev hjemvist.",
])
def test_in_an_article_cases_that_all_had_one_outcome_are_no_total(body):
    assert not any(s.get("decided") in (1, 3, 5) for s in _article(body))


@pytest.mark.parametrize("body", [
    "Ankestyrelsen afgjorde i 2023 12 sager på socialområdet og 12 sager på beskæftigelsesområdet fra Rebild "
    "Kommune, og ingen af de 12 sager på beskæftigelsesområdet blev omgjort.",
    "Ankestyrelsen afgjorde i 2023 40 sager fra Lemvig Kommune. Fire af dem handlede om merudgifter efter § 41. "
    "Ingen af de 4 sager blev omgjort.",
])
def test_none_of_them_needs_one_total_of_its_size_and_its_area(body):
    assert not any(s.get("reversed") == 0 for s in _article(body))


def test_a_change_with_its_verb_before_the_subject_adds_no_earlier_rate():
    stats = _article("I Esbjerg Kommune faldt omgørelsesprocenten på socialområdet 4,1 pct. mod 2,3 pct. året før.")
    assert not _has(stats, period="2022")


def test_after_a_clause_about_the_compared_year_the_national_average_is_of_that_year():
    stats = _article("Ankestyrelsen afgjorde i 2023 i alt 50 sager fra Tønder Kommune, og omgørelsesprocenten var "
                     "20 pct. mod 24 pct. året før, hvor Ankestyrelsen afgjorde 45 sager og landsgennemsnittet var "
                     "27 pct.")
    assert not _has(stats, period="2023", national_rate_pct=27.0)


def test_n_of_m_restating_the_compared_rate_belongs_to_its_year():
    stats = _article("Ankestyrelsen afgjorde 21 sager fra Odder Kommune i 2023 og 20 sager i 2022. "
                     "Omgørelsesprocenten var 33,3 pct. mod 40,0 pct. året før, svarende til 8 ud af 20 sager.")
    assert _has(stats, period="2022", decided=20, reported_rate_pct=40.0)
    assert not any(s.get("notes") for s in stats)


# Minutes with several shapes in one item: what the fourth review found.

def test_the_sentences_after_a_comparison_stay_in_this_year():
    stats = _stats("Ankestyrelsen har i 2022 afgjort 112 klagesager på socialområdet fra Faxe Kommune. "
                   "Omgørelsesprocenten blev dermed 25,9 pct. mod 30,4 pct. året før.\nDet svarer til 29 omgjorte "
                   "sager.\nAf de 112 sager blev 83 stadfæstet, 21 hjemvist og 8 ændret.")
    assert _has(stats, period="2022", decided=112, stadfaestet=83, reversed=29, reported_rate_pct=25.9)
    assert _has(stats, period="2021", reported_rate_pct=30.4)
    assert not _has(stats, period="2021", stadfaestet=83)


@pytest.mark.parametrize("aside", ["i 2021 (landsgennemsnit)", "året før (hele landet)",
                                   "i 2021, som var landsgennemsnittet", "året før (Region Sjælland)",
                                   "i 2021 (alle kommuner)", "året før, som var gennemsnittet i regionen",
                                   "i 2021, der var gennemsnittet i regionen", "året før (sammenligningskommunerne)"])
def test_a_compared_national_average_is_not_the_kommunes_own(aside):
    stats = _stats("Ankestyrelsen afgjorde i 2022 i alt 96 sager fra Faxe Kommune på socialområdet. "
                   f"Omgørelsesprocenten var 27,1 pct. mod 31 pct. {aside}.")
    assert _has(stats, period="2022", reported_rate_pct=27.1)
    assert not any(s.get("reported_rate_pct") == 31.0 for s in stats)


def test_none_reversed_beside_other_outcomes_stores_no_zero():
    stats = _stats("Ingen af de 9 sager på børnehandicapområdet blev omgjort, men 2 blev hjemvist.")
    assert not any(s.get("reversed") == 0 for s in stats)


def test_bullets_under_a_list_of_one_outcome_are_no_totals():
    stats = _stats("Ankestyrelsen afgjorde i 2022 31 sager på børnehandicapområdet.\nAf de hjemviste sager kan "
                   "nævnes:\n- § 41, merudgifter: 5 afgørelser, som alle blev hjemvist\n- § 42, tabt "
                   "arbejdsfortjeneste: 3 afgørelser, som alle blev hjemvist")
    assert not any(s.get("decided") in (3, 5) for s in stats)
