"""Golden test: the bundled sample minutes must yield exactly tests/fixtures/samples_expected.json."""

from __future__ import annotations

from dataclasses import asdict

import pytest

from extract.document import extract_document
from extract.readers import read_document
from tests.expected import SAMPLES, differences, load_expected
from transform.arithmetic import computed_rate_pct

EXPECTED = load_expected()


def _rows(name: str) -> list[dict]:
    doc = read_document(name, (SAMPLES / name).read_bytes())
    extraction = extract_document(name, doc)
    return [
        {**asdict(s), "document": name, "computed_rate_pct": computed_rate_pct(s)}
        for s in extraction.statistics
    ]


@pytest.mark.parametrize("document", [d["document"] for d in EXPECTED["documents"]])
def test_sample_yields_expected_statistics(document):
    wanted = {**EXPECTED, "statistics": [s for s in EXPECTED["statistics"] if s["document"] == document]}
    assert differences(_rows(document), wanted) == []


@pytest.mark.parametrize("spec", EXPECTED["documents"], ids=lambda d: d["document"])
def test_sample_metadata(spec):
    name = spec["document"]
    extraction = extract_document(name, read_document(name, (SAMPLES / name).read_bytes()))
    assert extraction.meta.municipality == spec["municipality"]
    assert extraction.meta.committee == spec["committee"]
    assert extraction.meta.meeting_date.isoformat() == spec["meeting_date"]


def test_every_number_appears_in_its_quote():
    for spec in EXPECTED["documents"]:
        for row in _rows(spec["document"]):
            for field in ("received", "decided", "stadfaestet", "hjemvist", "aendret", "afvist", "reversed"):
                if row[field] is not None:
                    assert _number_in(row[field], row["quote"]), (field, row[field], row["quote"][:200])


def _number_in(value, quote: str) -> bool:
    from extract.numbers import find_values

    return any(abs(v.value - value) < 1e-9 for v in find_values(quote))


def test_national_rates_stated_without_a_kommune_are_kept():
    doc = read_document("x.txt", (SAMPLES / "000_03d8cac4ca15eb82.txt").read_bytes())
    extraction = extract_document("000_03d8cac4ca15eb82.txt", doc)
    assert [(r.period, r.scope, r.rate_pct) for r in extraction.national_rates] == [("2021", "all", 26.0)]
