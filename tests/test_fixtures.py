"""Golden cases: short Danish texts in tests/fixtures/cases/, each with the statistics it must yield.

Every ``<name>.txt`` has a ``<name>.json`` in the format of samples_expected.json (see its 'about'), plus
``national_rates``: the national averages the text states, as (period, scope, rate_pct). Each case shows
one thing (a phrasing, a period form, a distractor); its 'about' says what.
"""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path

import pytest

from extract.document import extract_document
from extract.readers import read_document
from tests.expected import differences
from transform.arithmetic import computed_rate_pct

CASES = Path(__file__).parent / "fixtures" / "cases"
MIN_CASES = 30


def _case_names() -> list[str]:
    return sorted(path.stem for path in CASES.glob("*.txt"))


def _load(name: str) -> dict:
    return json.loads((CASES / f"{name}.json").read_text(encoding="utf-8"))


def _extract(name: str):
    document = f"{name}.txt"
    doc = read_document(document, (CASES / document).read_bytes())
    return extract_document(document, doc)


def _rows(document: str, extraction) -> list[dict]:
    return [
        {**asdict(s), "document": document, "computed_rate_pct": computed_rate_pct(s)}
        for s in extraction.statistics
    ]


def _rate_set(rates) -> set[tuple[str, str, float]]:
    return {(period, scope, round(float(rate), 2)) for period, scope, rate in rates}


def test_enough_cases_and_every_text_has_its_expectation():
    texts = {path.stem for path in CASES.glob("*.txt")}
    expectations = {path.stem for path in CASES.glob("*.json")}
    assert len(texts) >= MIN_CASES
    assert texts - expectations == set(), "texts without a .json"
    assert expectations - texts == set(), ".json files without a text"


@pytest.mark.parametrize("name", _case_names())
def test_case_yields_expected_statistics(name):
    expected = _load(name)
    document = f"{name}.txt"
    extraction = _extract(name)
    assert differences(_rows(document, extraction), expected) == []
    if "national_rates" in expected:
        actual = _rate_set((r.period, r.scope, r.rate_pct) for r in extraction.national_rates)
        wanted = _rate_set((r["period"], r["scope"], r["rate_pct"]) for r in expected["national_rates"])
        assert actual == wanted


@pytest.mark.parametrize("name", _case_names())
def test_case_expectation_is_well_formed(name):
    """Guards the cases themselves: one document, statistics only in cases that say they have them."""
    expected = _load(name)
    document = f"{name}.txt"
    assert [d["document"] for d in expected["documents"]] == [document]
    assert all(s["document"] == document for s in expected["statistics"])
    assert expected["documents"][0]["has_statistics"] == bool(expected["statistics"])
    for spec in expected["statistics"]:
        required = spec["required"]
        if all(k in required for k in ("stadfaestet", "hjemvist", "aendret")):
            merits = required["stadfaestet"] + required["hjemvist"] + required["aendret"]
            rate = round(100 * (required["hjemvist"] + required["aendret"]) / merits, 2)
            assert abs(required["computed_rate_pct"] - rate) <= 0.01
        else:
            assert "computed_rate_pct" not in required
