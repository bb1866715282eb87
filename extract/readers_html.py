"""HTML bytes to plain text with the stdlib parser: page chrome dropped, block structure kept as lines,
table rows as "cell | cell". Used by :func:`extract.readers.read_document`."""

from __future__ import annotations

import codecs
import re
from html.parser import HTMLParser

from extract.encodings import strip_nul, utf16_without_bom
from extract.models import DocumentText, UnreadableDocument

NOISE_TAGS = frozenset(
    "script style noscript nav header footer aside form svg template button select iframe canvas".split()
)
NOISE_ROLES = frozenset({"navigation", "banner", "contentinfo", "search"})
# An <article>/<main> may have its own <header>/<footer>: that holds the item's title, not page chrome.
CONTENT_TAGS = frozenset({"article", "main"})
PARAGRAPH_TAGS = frozenset("p h1 h2 h3 h4 h5 h6".split())
SECTION_TAGS = frozenset("div section article main ul ol dl dt dd blockquote pre title".split())
BLOCK_TAGS = PARAGRAPH_TAGS | SECTION_TAGS | frozenset("figure figcaption caption address hr".split())
VOID_TAGS = frozenset("area base br col embed hr img input link meta param source track wbr".split())
# Elements whose end tag HTML lets out: skipping one (for a hidden attribute) could swallow the page.
OPTIONAL_END_TAGS = frozenset("html head body p li dt dd tr td th thead tbody tfoot option optgroup".split())
# A cell longer than this is a layout table holding whole paragraphs: keep its lines instead of joining.
MAX_INLINE_CELL = 300
# Tables nested deeper than this are flattened into the one above: each level re-joins its cells' text,
# so unbounded nesting costs quadratic time.
MAX_TABLE_DEPTH = 8

_SPACES = re.compile(r"[ \t\r\n\f\v\xa0]+")
_META_CHARSET = re.compile(rb"""<meta[^>]*?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
# html.parser raises AssertionError on marked sections other than CDATA and Word's <![if ...]>; they
# carry no text, so they go (an unterminated one runs to the end, as browsers read it).
_MARKED_SECTION = re.compile(r"<!\[(?!cdata\[)[^>]*>?", re.IGNORECASE)


def read_html(data: bytes) -> DocumentText:
    markup, encoding, notes = decode_html(data)
    markup = strip_nul(markup, notes)
    collector = _TextCollector()
    try:
        collector.feed(_MARKED_SECTION.sub("", markup))
        # feed() stops at the first tag or comment left open at the end and keeps the rest pending.
        # close() would then rescan the rest once per "<" (quadratic: minutes for 100 KB of "<a "), while
        # a browser lets an unclosed tag or comment swallow the rest. Do as the browser does.
        if collector.rawdata.startswith("<"):
            collector.rawdata = ""
        collector.close()
    except AssertionError as error:  # the parser's way of saying "malformed declaration"
        raise UnreadableDocument(f"malformed HTML ({error})") from None
    text = _tidy(collector.text())
    if not text:
        raise UnreadableDocument("no text in HTML")
    return DocumentText(text, "html", (0,), encoding, tuple(notes))


def decode_html(data: bytes) -> tuple[str, str, list[str]]:
    """Decode by BOM, then <meta charset>, then UTF-8, then cp1252 (what browsers do for old Danish pages)."""
    if data.startswith(codecs.BOM_UTF8):
        return data[3:].decode("utf-8", "replace"), "utf-8", []
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16", "replace"), "utf-16", []
    utf16 = utf16_without_bom(data)
    if utf16:  # browsers would show this as spaced-out garbage; the text is plainly UTF-16
        return data[: len(data) // 2 * 2].decode(utf16), utf16, [f"decoded as {utf16} (no byte-order mark)"]
    declared = _declared_charset(data[:4096])
    for encoding in dict.fromkeys(e for e in (declared, "utf-8", "cp1252") if e):
        try:
            text = data.decode(encoding)
        except (UnicodeError, LookupError):
            continue
        notes = [] if encoding in (declared, "utf-8") else [f"decoded as {encoding}"]
        if declared and encoding != declared:
            notes.insert(0, f"declared charset {declared} does not fit the bytes")
        return text, encoding, notes
    return data.decode("latin-1"), "latin-1", ["decoded as latin-1"]


def _declared_charset(head: bytes) -> str | None:
    match = _META_CHARSET.search(head)
    if not match:
        return None
    try:
        name = codecs.lookup(match.group(1).decode("ascii")).name
    except (LookupError, UnicodeError):
        return None
    if name in ("latin-1", "iso8859-1", "ascii"):
        return "cp1252"  # the WHATWG rule: these labels mean windows-1252
    if name.startswith("utf-16"):
        return "utf-8"  # a UTF-16 page without a BOM is not really UTF-16 (WHATWG)
    # Only plain text codecs; codecs.lookup also knows "unicode_escape", "rot13", "zlib" ...
    return name if name == "utf-8" or name.startswith(("cp", "iso8859", "mac", "koi8")) else None


class _TextCollector(HTMLParser):
    """Streams visible text into buffers: one root buffer plus one per open table cell.

    Block boundaries are recorded as pending line breaks and written only before the next text, so
    "</p><p>" or "</tr> <tr>" give one break, not a pile of blank lines.
    """

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.buffers: list[list[str]] = [[]]
        self.pending = 0  # line breaks owed before the next text
        self.tables: list[dict] = []  # per open table: cells in the current row, whether a cell is open
        self.flattened_tables = 0  # open tables beyond MAX_TABLE_DEPTH
        self.skip_tag: str | None = None
        self.skip_depth = 0
        self.content_depth = 0
        self.pre_depth = 0

    def text(self) -> str:
        while self.tables:
            self._close_cell()
            self.tables.pop()
        return "".join(piece for buffer in self.buffers for piece in buffer)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.skip_tag:
            self.skip_depth += tag == self.skip_tag
            return
        if tag not in VOID_TAGS and tag not in OPTIONAL_END_TAGS and self._is_noise(tag, dict(attrs)):
            self.skip_tag, self.skip_depth = tag, 1
            return
        self.content_depth += tag in CONTENT_TAGS
        self.pre_depth += tag == "pre"
        if tag == "table" and len(self.tables) >= MAX_TABLE_DEPTH:
            self.flattened_tables += 1
        elif tag == "table":
            self._break(2)
            self.tables.append({"cells": 0, "open": False})
        elif tag == "tr":
            self._close_cell()
            self._table()["cells"] = 0
            self._break(1)
        elif tag in ("td", "th"):
            self._open_cell()
        elif tag == "li":
            self._break(1)
            self._emit("- ")
        elif tag in BLOCK_TAGS or tag == "br":
            self._break(2 if tag in PARAGRAPH_TAGS else 1)

    def handle_endtag(self, tag: str) -> None:
        if self.skip_tag:
            if tag == self.skip_tag:
                self.skip_depth -= 1
                self.skip_tag = self.skip_tag if self.skip_depth else None
            return
        self.content_depth -= tag in CONTENT_TAGS and self.content_depth > 0
        self.pre_depth -= tag == "pre" and self.pre_depth > 0
        if tag in ("td", "th", "tr"):
            self._close_cell()
        elif tag == "table" and self.flattened_tables:
            self.flattened_tables -= 1
        elif tag == "table":
            self._close_cell()
            if self.tables:
                self.tables.pop()
            self._break(2)
        elif tag in BLOCK_TAGS or tag == "li":
            self._break(2 if tag in PARAGRAPH_TAGS else 1)

    def handle_data(self, data: str) -> None:
        if not self.skip_tag:
            self._emit(data if self.pre_depth else _SPACES.sub(" ", data))

    def _is_noise(self, tag: str, attrs: dict[str, str | None]) -> bool:
        if tag in ("header", "footer") and self.content_depth:
            return False
        hidden = "hidden" in attrs or (attrs.get("aria-hidden") or "").lower() == "true"
        style = (attrs.get("style") or "").replace(" ", "").lower()
        return (
            tag in NOISE_TAGS or (attrs.get("role") or "").lower() in NOISE_ROLES or hidden or "display:none" in style
        )

    def _break(self, newlines: int) -> None:
        self.pending = max(self.pending, newlines)

    def _emit(self, text: str) -> None:
        if self.pending and not text.strip():
            return  # whitespace between blocks
        if self.pending:
            self.buffers[-1].append("\n" * self.pending)
            self.pending = 0
        self.buffers[-1].append(text)

    def _table(self) -> dict:
        if not self.tables:  # a <tr>/<td> without <table>
            self.tables.append({"cells": 0, "open": False})
        return self.tables[-1]

    def _open_cell(self) -> None:
        self._close_cell()  # "<td>a<td>b": HTML lets the end tag out
        table = self._table()
        table.update(open=True, sep=table["cells"] > 0, pending=self.pending)
        table["cells"] += 1
        self.buffers.append([])
        self.pending = 0

    def _close_cell(self) -> None:
        if not self.tables or not self.tables[-1]["open"] or len(self.buffers) == 1:
            return
        table = self.tables[-1]
        table["open"] = False
        lines = [" ".join(line.split()) for line in "".join(self.buffers.pop()).split("\n")]
        lines = [line for line in lines if line]
        self.pending = table["pending"]  # breaks owed in the cell die with it; the row's are restored
        joined = " ".join(lines)
        if len(joined) > MAX_INLINE_CELL:
            self._break(1)
            self._emit("\n".join(lines))
            self._break(1)
            table["cells"] = 0  # the next cell starts a line of its own, without a separator
        elif joined:
            # Word's HTML wraps every cell value in <p>: joining keeps each table row on one line.
            self._emit((" | " if table["sep"] else "") + joined)
        elif table["sep"]:
            self._emit(" |")


def _tidy(text: str) -> str:
    lines = [re.sub(r" {2,}", " ", line).strip() for line in text.split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()
