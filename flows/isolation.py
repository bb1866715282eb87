"""Reading one document's bytes into text and statistics, within the per-document limits."""

from __future__ import annotations

from extract.document import extract_document
from extract.models import DocumentText, Extraction, UnreadableDocument
from extract.readers import read_document
from flows.limits import DocumentTimeout, time_limit
from flows.settings import Settings


def read_isolated(name: str, data: bytes, settings: Settings) -> tuple[DocumentText, Extraction]:
    try:
        with time_limit(settings.seconds_per_document):
            doc = read_document(name, data, max_pages=settings.max_pages)
            return doc, extract_document(name, doc)
    except DocumentTimeout as error:
        raise UnreadableDocument(str(error)) from None
