"""One document's text to everything it yields: metadata, statistics, national rates."""

from __future__ import annotations

from extract.metadata import extract_meta, publication_year
from extract.models import DocumentText, Extraction
from extract.statistics import extract_statistics


def extract_document(name: str, doc: DocumentText) -> Extraction:
    meta = extract_meta(doc.text, name)
    published = publication_year(doc.text)
    meeting_year = meta.meeting_date.year if meta.meeting_date else published
    # Minutes name their committee or meeting date; a web page with a date stamp, or a text without either,
    # is read as an article.
    is_minutes = published is None and (meta.committee is not None or meta.meeting_date is not None)
    statistics, national_rates = extract_statistics(doc.text, meta.municipality, meeting_year, is_minutes=is_minutes)
    return Extraction(meta, tuple(statistics), tuple(national_rates))
