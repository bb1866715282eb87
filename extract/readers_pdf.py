"""PDF bytes to clean text with pypdfium2: one text per page, wrapped lines and hyphenation undone,
running headers/footers and page numbers dropped. Used by :func:`extract.readers.read_document`."""

from __future__ import annotations

import re
import threading
from collections import Counter

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from extract.models import DocumentText, UnreadableDocument

PAGE_SEPARATOR = "\n\n"
# Lines at the top/bottom of a page searched for running headers, footers and page numbers.
EDGE_LINES = 3
# PDFium is not thread-safe and Prefect may run tasks in threads, so all PDFium calls are serialised.
_PDFIUM_LOCK = threading.Lock()

# PDFium reports a hyphen it judged to be end-of-line hyphenation as U+FFFE (older builds: U+0002)
# and drops the line break after it.
_SOFT_HYPHENS = "\ufffe\x02"
_HYPHEN_BREAK = re.compile(r"(\w)(?:[\ufffe\x02]|-[ \t]*\n[ \t]*)(\w+)")
_CONJUNCTIONS = {"og", "eller"}  # "social- og beskæftigelsesområdet" keeps its hyphen
# "3", "- 3 -", "Side 3", "Side 3 af 12", "3/12"; three digits at most so a bare year is kept.
_PAGE_NUMBER = re.compile(r"(?:side|page|s\.)?\s*-?\s*\d{1,3}\s*-?\s*(?:(?:af|of|/)\s*\d{1,3})?", re.I)
_SENTENCE_END = tuple(".!?:;")
# A page reference inside a running header/footer ("Referat 12.03.2021, side 3"): differs per page.
_PAGE_REF = re.compile(r"(?:side|page|s\.)\s*\d{1,3}(?:\s*(?:af|of|/)\s*\d{1,3})?|\b\d{1,3}\s*(?:af|of|/)\s*\d{1,3}\b")


def read_pdf(data: bytes, *, max_pages: int | None = None) -> DocumentText:
    _check_pdf_bytes(data)
    with _PDFIUM_LOCK:
        raw_pages = _page_texts(data, max_pages)
    pages = [_split_lines(_normalise(text)) for text in raw_pages]
    edges_dropped = _drop_running_lines(pages)
    texts = [_join_wrapped_lines(lines) for lines in pages]
    if not any(text.strip() for text in texts):
        raise UnreadableDocument("no text layer (scanned PDF?)")
    _check_text_is_mapped("".join(texts))

    page_starts, offset = [], 0
    for text in texts:
        page_starts.append(offset)
        offset += len(text) + len(PAGE_SEPARATOR)
    notes = []
    blank = sum(1 for text in texts if not text.strip())
    if blank:
        notes.append(f"{blank} of {len(texts)} pages have no text (scanned?)")
    if edges_dropped:
        notes.append(f"dropped {edges_dropped} header/footer/page-number lines")
    return DocumentText(PAGE_SEPARATOR.join(texts), "pdf", tuple(page_starts), None, tuple(notes))


def _check_pdf_bytes(data: bytes) -> None:
    # PDFium happily recovers a cut-off download by rebuilding the xref table and silently loses the
    # missing pages, so a file without its final %%EOF is treated as truncated.
    if b"%%EOF" not in data[-2048:]:
        raise UnreadableDocument("truncated PDF (no %%EOF at the end)")


def _page_texts(data: bytes, max_pages: int | None) -> list[str]:
    try:
        document = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as error:
        if error.err_code in (pdfium_c.FPDF_ERR_PASSWORD, pdfium_c.FPDF_ERR_SECURITY):
            raise UnreadableDocument("encrypted PDF") from None
        raise UnreadableDocument(f"corrupt PDF ({_pdfium_reason(error)})") from None
    try:
        count = len(document)
        if count == 0:
            raise UnreadableDocument("PDF has no pages")
        if max_pages is not None and count > max_pages:
            raise UnreadableDocument(f"too many pages: {count} > {max_pages}")
        texts = []
        for index in range(count):
            try:
                page = document[index]
                textpage = page.get_textpage()
                texts.append(textpage.get_text_range())
                textpage.close()
                page.close()
            except pdfium.PdfiumError:
                raise UnreadableDocument(f"corrupt PDF (page {index + 1} cannot be read)") from None
        return texts
    finally:
        document.close()


def _pdfium_reason(error: pdfium.PdfiumError) -> str:
    match = re.search(r"PDFium: ([^)]*)", str(error))
    return match.group(1).lower() if match else "cannot be loaded"


def _normalise(text: str) -> str:
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "")
    return _HYPHEN_BREAK.sub(_undo_hyphenation, text)


def _undo_hyphenation(match: re.Match[str]) -> str:
    before, after = match.group(1), match.group(2)
    if after.lower() in _CONJUNCTIONS:
        return f"{before}- {after}"
    if before.islower() and after[0].islower():
        return before + after  # "beskæf-\ntigelse" -> "beskæftigelse"
    return f"{before}-{after}"  # "EU-\nborgere", "§ 41-\n43": the hyphen is part of the text


def _split_lines(text: str) -> list[str]:
    lines = [line.strip() for line in text.split("\n")]
    # Leftover markers (a hyphen PDFium flagged but that we could not attach to a word) are hyphens.
    return [line.translate({ord(c): "-" for c in _SOFT_HYPHENS}) for line in lines if line]


def _edge_indexes(lines: list[str]) -> set[int]:
    count = len(lines)
    return set(range(min(EDGE_LINES, count))) | set(range(max(0, count - EDGE_LINES), count))


def _edge_key(line: str) -> str:
    # Only page references are masked, not every digit: a table's "I alt 245" row at the foot of each
    # page differs in its numbers and must be kept.
    return _PAGE_REF.sub("#", " ".join(line.lower().split()))


def _drop_running_lines(pages: list[list[str]]) -> int:
    """Remove, in place, bare page numbers and lines repeated at the top/bottom of most pages."""
    seen = Counter(key for lines in pages for key in {_edge_key(lines[i]) for i in _edge_indexes(lines)})
    needed = max(2, len(pages) // 2 + 1)
    running = {key for key, pages_with_key in seen.items() if pages_with_key >= needed}
    dropped = 0
    for lines in pages:
        doomed = {i for i in _edge_indexes(lines) if _edge_key(lines[i]) in running or _PAGE_NUMBER.fullmatch(lines[i])}
        dropped += len(doomed)
        lines[:] = [line for i, line in enumerate(lines) if i not in doomed]
    return dropped


def _join_wrapped_lines(lines: list[str]) -> str:
    """Join a line to the previous one when the PDF wrapped a sentence there."""
    parts: list[str] = []
    for line in lines:
        if parts and line[0].islower() and not parts[-1].endswith(_SENTENCE_END):
            parts.append(" ")
        elif parts:
            parts.append("\n")
        parts.append(line)
    return "".join(parts)


def _check_text_is_mapped(text: str) -> None:
    # Fonts without a ToUnicode map come out as control or private-use characters: that is no text.
    visible = [c for c in text if not c.isspace()]
    unmapped = sum(1 for c in visible if ord(c) < 32 or 0xE000 <= ord(c) <= 0xF8FF or c == "\ufffd")
    if unmapped > 0.3 * len(visible):
        raise UnreadableDocument("unreadable text layer (fonts without Unicode mapping)")
