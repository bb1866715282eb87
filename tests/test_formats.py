"""The samples as PDF, HTML and cp1252 text yield the same statistics as the plain text."""

from __future__ import annotations

import pytest

from extract.document import extract_document
from extract.models import REPORTED_FIELDS
from extract.readers import read_document
from tests.expected import SAMPLES
from tests.formats import to_cp1252, to_html, to_pdf

WITH_STATISTICS = ["000_03d8cac4ca15eb82.txt", "002_d6347c3e8119a208.txt", "003_a0a4e38bb360a38c.txt"]
ALL_SAMPLES = sorted(p.name for p in SAMPLES.glob("*.txt"))


def _figures(name: str, data: bytes) -> dict:
    doc = read_document(name, data)
    extraction = extract_document(name, doc)
    return {
        (s.municipality, s.period, s.scope, s.paragraph_key): tuple(getattr(s, f) for f in REPORTED_FIELDS)
        for s in extraction.statistics
    }


def _plain(name: str) -> tuple[str, dict]:
    text = (SAMPLES / name).read_text(encoding="utf-8")
    return text, _figures(name, text.encode("utf-8"))


@pytest.mark.parametrize("name", ALL_SAMPLES)
def test_cp1252_copy_gives_the_same_statistics(name):
    text, expected = _plain(name)
    assert _figures(name, to_cp1252(text)) == expected


@pytest.mark.parametrize("name", ALL_SAMPLES)
def test_html_page_gives_the_same_statistics(name):
    text, expected = _plain(name)
    assert _figures(name.replace(".txt", ".html"), to_html(text)) == expected


@pytest.mark.parametrize("name", ALL_SAMPLES)
def test_pdf_gives_the_same_statistics(name):
    text, expected = _plain(name)
    assert _figures(name.replace(".txt", ".pdf"), to_pdf(text)) == expected


@pytest.mark.parametrize("name", WITH_STATISTICS)
def test_pdf_statistics_know_their_page(name):
    text, _ = _plain(name)
    doc = read_document("x.pdf", to_pdf(text))
    extraction = extract_document(name, doc)
    pages = {doc.page_of(s.char_start) for s in extraction.statistics}
    assert None not in pages and pages <= set(range(1, len(doc.page_starts) + 1))
    for stat in extraction.statistics:
        assert doc.text[stat.char_start : stat.char_end] == stat.quote
