"""Document bytes to plain text: pure functions, no I/O. Every failure is an :class:`UnreadableDocument`
with a short reason, so the flow can record the document as rejected and move on.

Text offsets into ``DocumentText.text`` are stored as provenance, so readers never re-flow text after
returning it. PDF and HTML live in ``readers_pdf`` and ``readers_html``.
"""

from __future__ import annotations

import codecs
import io
import re
import xml.etree.ElementTree as ET
import zipfile
import zlib
from collections.abc import Iterator
from pathlib import PurePosixPath

from extract.encodings import strip_nul, utf16_without_bom
from extract.models import DocumentText, UnreadableDocument
from extract.readers_html import read_html
from extract.readers_pdf import read_pdf

SUPPORTED_SUFFIXES = (".txt", ".pdf", ".html", ".htm", ".docx")
MAX_DOCX_XML_BYTES = 50 * 1024 * 1024  # word/document.xml of a long report is a few MB; more is a zip bomb
MAX_CONTROL_SHARE = 0.05  # share of control characters above which "text" is really binary data

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
_CONTROL_CHARS = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x9f]")
_CP1252_UNDEFINED = re.compile(rb"[\x81\x8d\x8f\x90\x9d]")
_UTF8_SEQUENCE = re.compile(rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}")
_HIGH_BYTE = re.compile(rb"[\x80-\xff]")


def _cp1252_for_stray_bytes(error: UnicodeDecodeError) -> tuple[str, int]:
    stray = error.object[error.start : error.end]
    return stray.decode("cp1252", "replace"), error.end


codecs.register_error("ankestat-cp1252", _cp1252_for_stray_bytes)


def read_document(name: str, data: bytes, *, max_pages: int | None = None) -> DocumentText:
    """Plain text of the document ``name`` (only its suffix matters) holding ``data``."""
    suffix = PurePosixPath(name.replace("\\", "/")).suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        raise UnreadableDocument(f"unsupported format '{suffix}'" if suffix else "no file suffix")
    if not data.strip():
        raise UnreadableDocument("empty file")
    try:
        if suffix == ".pdf":
            _expect(b"%PDF-" in data[:1024], "not a PDF", data)  # readers allow junk before the header
            return read_pdf(data, max_pages=max_pages)
        if suffix == ".docx":
            return read_docx(data)
        _expect(not data.startswith((b"%PDF-", b"PK\x03\x04")), "not text", data)
        return read_html(data) if suffix in (".html", ".htm") else read_text(data)
    except UnreadableDocument:
        raise
    except RecursionError:
        raise UnreadableDocument("document nested too deeply") from None
    except Exception as error:  # a reader tripping over odd input must not stop the whole flow
        reason = f"cannot read {suffix[1:]}: {type(error).__name__}: {error}"
        raise UnreadableDocument(reason[:200]) from error


def _expect(condition: bool, reason: str, data: bytes) -> None:
    if not condition:
        raise UnreadableDocument(f"{reason}: {describe_start(data)}")


def describe_start(data: bytes) -> str:
    """A few words on what ``data`` looks like, for rejection reasons."""
    if b"%PDF-" in data[:1024]:
        return "looks like a PDF"
    head = data[:1024].lstrip().lower()
    if head.startswith(b"pk\x03\x04"):
        return "looks like a ZIP archive"
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        return "looks like an old Office file (.doc/.xls) or an encrypted Office file"
    if b"<html" in head or b"<body" in head or head.startswith(b"<!doctype html"):
        return "looks like HTML"
    return f"starts with {data[:12]!r}"


# --- plain text ---------------------------------------------------------------------------------


def read_text(data: bytes) -> DocumentText:
    text, encoding, notes = decode_text(data)
    # A few NULs (a bad copy, a NUL-padded export) are dropped; many of them mean binary data.
    if text.count("\x00") + len(_CONTROL_CHARS.findall(text)) > MAX_CONTROL_SHARE * len(text):
        raise UnreadableDocument("binary data, not text")
    text = strip_nul(text, notes)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise UnreadableDocument("empty file")
    return DocumentText(text, "txt", (0,), encoding, tuple(notes))


def decode_text(data: bytes) -> tuple[str, str, list[str]]:
    """Detect the encoding: UTF-8 (BOM stripped), UTF-16 with or without BOM, else cp1252 or latin-1."""
    notes = []
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16"), "utf-16", ["decoded as utf-16"]
        except UnicodeDecodeError:
            raise UnreadableDocument("binary data, not text") from None
    utf16 = utf16_without_bom(data)
    if utf16:
        return data[: len(data) // 2 * 2].decode(utf16), utf16, [f"decoded as {utf16} (no byte-order mark)"]
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
        notes.append("stripped UTF-8 BOM")
    try:
        return data.decode("utf-8"), "utf-8", notes
    except UnicodeDecodeError:
        pass
    sequences = _UTF8_SEQUENCE.findall(data)
    stray = len(_HIGH_BYTE.findall(data)) - sum(len(sequence) for sequence in sequences)
    if len(sequences) > stray:
        # A UTF-8 file with a few pasted-in cp1252 bytes: decoding it all as cp1252 would garble every æøå.
        notes.append(f"mixed encodings: {stray} stray bytes decoded as cp1252")
        return data.decode("utf-8", "ankestat-cp1252"), "utf-8", notes
    # cp1252 is latin-1 plus printable characters in 0x80-0x9F; bytes it leaves undefined mean latin-1.
    encoding = "latin-1" if _CP1252_UNDEFINED.search(data) else "cp1252"
    notes.append(f"decoded as {encoding}")
    return data.decode(encoding), encoding, notes


# --- DOCX ---------------------------------------------------------------------------------------


def read_docx(data: bytes) -> DocumentText:
    xml = _docx_document_xml(data)
    if b"<!DOCTYPE" in xml:  # Word never writes one; a DTD only serves entity tricks
        raise UnreadableDocument("corrupt DOCX (document.xml has a DTD)")
    try:
        root = ET.fromstring(xml)
    except ET.ParseError:
        raise UnreadableDocument("corrupt DOCX (document.xml is not valid XML)") from None
    body = root.find(f"{_W}body")
    if body is None:
        raise UnreadableDocument("corrupt DOCX (no document body)")
    _drop_fallbacks(root)
    text = re.sub(r"\n{3,}", "\n\n", "\n".join(_block_lines(body))).strip("\n")
    if not text.strip():
        raise UnreadableDocument("no text in DOCX")
    return DocumentText(text, "docx", (0,), None, ())


def _docx_document_xml(data: bytes) -> bytes:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        info = archive.getinfo("word/document.xml")
    except KeyError:
        raise UnreadableDocument("not a DOCX: no word/document.xml in the ZIP archive") from None
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        looks_like = "corrupt ZIP archive" if data.startswith(b"PK") else describe_start(data)
        raise UnreadableDocument(f"not a DOCX: {looks_like}") from None
    if info.file_size > MAX_DOCX_XML_BYTES:
        raise UnreadableDocument("DOCX too large when unpacked (zip bomb?)")
    try:
        with archive.open(info) as member:
            xml = member.read(MAX_DOCX_XML_BYTES + 1)  # the stated size may lie
    except (zipfile.BadZipFile, zlib.error, NotImplementedError, RuntimeError, OSError, EOFError, ValueError):
        raise UnreadableDocument("corrupt DOCX (word/document.xml cannot be unpacked)") from None
    if len(xml) > MAX_DOCX_XML_BYTES:
        raise UnreadableDocument("DOCX too large when unpacked (zip bomb?)")
    return xml


def _drop_fallbacks(root: ET.Element) -> None:
    # Text boxes are stored twice (DrawingML and a VML fallback); keep one copy.
    fallbacks = [(parent, child) for parent in root.iter() for child in parent if child.tag == _MC_FALLBACK]
    for parent, child in fallbacks:
        parent.remove(child)


def _block_lines(container: ET.Element) -> Iterator[str]:
    for child in container:
        if child.tag == f"{_W}p":
            yield _paragraph_text(child)
        elif child.tag == f"{_W}tbl":
            for row in child.findall(f"{_W}tr"):
                yield " | ".join(_cell_text(cell) for cell in row.findall(f"{_W}tc"))
        elif child.tag == f"{_W}sdt":  # content control: its blocks sit in w:sdtContent
            for content in child.findall(f"{_W}sdtContent"):
                yield from _block_lines(content)


def _cell_text(cell: ET.Element) -> str:
    # A cell's paragraphs go on one line, so each table row stays one line of text.
    parts = (_paragraph_text(p).replace("\n", " ") for p in cell.iter(f"{_W}p"))
    return " ".join(part.strip() for part in parts if part.strip())


# What a run's non-text children stand for.
_RUN_MARKS = {f"{_W}tab": "\t", f"{_W}br": "\n", f"{_W}cr": "\n", f"{_W}noBreakHyphen": "-"}


def _paragraph_text(paragraph: ET.Element) -> str:
    # Only children of runs count: w:tab also appears in w:pPr as a tab-stop definition.
    text = "".join(
        (child.text or "") if child.tag == f"{_W}t" else _RUN_MARKS.get(child.tag, "")
        for run in paragraph.iter(f"{_W}r")
        for child in run
    )
    is_list_item = paragraph.find(f"{_W}pPr/{_W}numPr") is not None
    return f"- {text}" if is_list_item and text.strip() else text
