"""Property tests: the parser never crashes, and never stores a number its quote does not state."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from extract.models import REPORTED_FIELDS
from extract.numbers import find_values, parse_danish_number
from extract.statistics import extract_statistics

FRAGMENTS = [
    "Ankestyrelsen har i 2021 afgjort", "sager", "klagesager", "hvoraf", "blev stadfæstet", "blev hjemvist",
    "blev ændret", "afvist", "omgørelsesprocenten var", "på landsplan", "landsgennemsnittet på", "pct.", "%",
    "procent", "i 2020", "3. kvartal 2021", "1. halvår", "sidste år", "og", ",", ".", "(", ")", "i alt",
    "otte", "én", "en", "et", "§ 41", "kr.", "17-05-2022", "børnehandicapområdet", "socialområdet",
    "Det svarer til", "hvis", "skulle have været", "\n", "- ", "Punkt 5: Ankestatistik", "Rødovre Kommune",
    "under", "modtaget", "omgjorde", "1.246", "31,8", "26,7pct",
    # tables, lists and articles
    "\t", " | ", "Lovområde", "Afgjorte", "Stadfæstet", "Hjemvist", "Omgørelsesprocent", "Landsplan", "I alt",
    "Serviceloven", "Hele landet", "2019", "2020", "Odense", "Middelfart", "henholdsvis", "fra", "til",
    "Af de", "35.4 %", "1.-3. kvartal 2023", "siden 2013", "tallet", "efter serviceloven", ":",
]
numbers = st.integers(min_value=0, max_value=5000).map(str)
domain_text = st.lists(st.one_of(st.sampled_from(FRAGMENTS), numbers), max_size=60).map(" ".join)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=400))
def test_never_crashes_on_arbitrary_text(text):
    extract_statistics(text, "Rødovre", 2022)


@settings(max_examples=400, deadline=None)
@given(domain_text)
def test_every_stored_number_stands_in_its_quote(text):
    statistics, national = extract_statistics(text, "Rødovre", 2022)
    for stat in statistics:
        assert stat.quote == text[stat.char_start : stat.char_end]
        stated = [v.value for v in find_values(stat.quote)]
        for field in REPORTED_FIELDS:
            value = getattr(stat, field)
            if value is not None:
                assert any(abs(value - s) < 1e-9 for s in stated), (field, value, stat.quote)
    for rate in national:
        assert any(abs(rate.rate_pct - v.value) < 1e-9 for v in find_values(rate.quote))


@given(st.integers(min_value=0, max_value=10**9))
def test_thousands_separators_round_trip(n):
    written = f"{n:,}".replace(",", ".")
    assert parse_danish_number(written) == n


@given(st.integers(min_value=0, max_value=100000), st.integers(min_value=0, max_value=9))
def test_decimal_commas_round_trip(whole, tenth):
    assert parse_danish_number(f"{whole},{tenth}") == whole + tenth / 10


@settings(max_examples=300, deadline=None)
@given(domain_text)
def test_articles_store_only_numbers_their_quote_states(text):
    statistics, _ = extract_statistics(" date 2019-03 " + text, None, 2019, is_minutes=False)
    for stat in statistics:
        assert stat.municipality is not None  # an article's figure always names its kommune
        stated = [v.value for v in find_values(stat.quote)]
        for field in REPORTED_FIELDS:
            value = getattr(stat, field)
            if value is not None:
                assert any(abs(value - s) < 1e-9 for s in stated), (field, value, stat.quote)
