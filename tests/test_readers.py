"""Tests for extract.readers: every document is built in memory by the test, nothing is mocked."""

from __future__ import annotations

import io
import random
import time
import zipfile

import matplotlib
import pypdfium2 as pdfium
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from matplotlib.backends.backend_pdf import PdfPages
from matplotlib.figure import Figure

from extract.models import DocumentText, UnreadableDocument
from extract.readers import SUPPORTED_SUFFIXES, read_document

DANISH = "Ankestyrelsen stadfæstede 12 sager i Ærø og Århus – “omgjort” 3 gange; 31,8 pct. € ØÆÅ."
LATIN1_DANISH = "Ankestyrelsen stadfæstede 12 sager i Ærø og Århus; 31,8 pct. ØÆÅ æøå."

HEADER = "Social- og Beskæftigelsesudvalget – referat 12. marts 2021"
PAGE_ONE = [
    "Punkt 5: Afrapportering af klagesager for 2020",
    "Ankestyrelsen har i 2020 behandlet 120 klagesager på det",
    "sociale område, og kommunen fik medhold i de fleste af",
    "sagerne. Omgørelsesprocenten på området for beskæf-",
    "tigelse var 28,5 pct. for hele social- og",
    "beskæftigelsesområdet.",
]
PAGE_TWO = [
    "Punkt 6: Orientering om økonomi",
    "Udvalget tog orienteringen til efterretning.",
    "Æbleø Kommune har på landsplan en omgørelsesprocent",
    "på 31,8 pct.",
]
EXPECTED_PAGE_ONE = (
    "Punkt 5: Afrapportering af klagesager for 2020\n"
    "Ankestyrelsen har i 2020 behandlet 120 klagesager på det sociale område, og kommunen fik medhold i "
    "de fleste af sagerne. Omgørelsesprocenten på området for beskæftigelse var 28,5 pct. for hele "
    "social- og beskæftigelsesområdet."
)
EXPECTED_PAGE_TWO = (
    "Punkt 6: Orientering om økonomi\n"
    "Udvalget tog orienteringen til efterretning.\n"
    "Æbleø Kommune har på landsplan en omgørelsesprocent på 31,8 pct."
)


def reason_of(name: str, data: bytes, **kwargs) -> str:
    with pytest.raises(UnreadableDocument) as caught:
        read_document(name, data, **kwargs)
    return caught.value.reason


# --- building documents ---------------------------------------------------------------------------


def matplotlib_pdf(pages: list[list[str]]) -> bytes:
    """A real PDF with a text layer: TrueType fonts (fonttype 42) keep the text extractable."""
    buffer = io.BytesIO()
    with matplotlib.rc_context({"pdf.fonttype": 42, "font.family": "DejaVu Sans"}):
        with PdfPages(buffer) as pdf:
            for number, lines in enumerate(pages, start=1):
                figure = Figure(figsize=(8.27, 11.69))
                figure.text(0.1, 0.96, HEADER, fontsize=9)
                for row, line in enumerate(lines):
                    figure.text(0.1, 0.9 - row * 0.03, line, fontsize=11)
                figure.text(0.45, 0.03, f"Side {number} af {len(pages)}", fontsize=9)
                pdf.savefig(figure)
    return buffer.getvalue()


def hand_written_pdf(content: bytes, trailer_extra: bytes = b"", extra_objects: tuple[bytes, ...] = ()) -> bytes:
    """A one-page PDF written object by object, for cases matplotlib cannot produce (no text, encryption)."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R"
        b" /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(content), content),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        *extra_objects,
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R %s >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        trailer_extra,
        xref,
    )
    return bytes(out)


W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
MC_NS = "http://schemas.openxmlformats.org/markup-compatibility/2006"


def docx(body_xml: str) -> bytes:
    document = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        f'<w:document xmlns:w="{W_NS}"><w:body>{body_xml}</w:body></w:document>'
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        archive.writestr("word/document.xml", document)
    return buffer.getvalue()


def paragraph(*runs: str, list_item: bool = False) -> str:
    properties = "<w:pPr><w:numPr><w:numId w:val='1'/></w:numPr></w:pPr>" if list_item else ""
    return f"<w:p>{properties}{''.join(f'<w:r>{run}</w:r>' for run in runs)}</w:p>"


def table(*rows: list[str]) -> str:
    cells = ("".join(f"<w:tc>{cell}</w:tc>" for cell in row) for row in rows)
    return "<w:tbl>" + "".join(f"<w:tr>{row}</w:tr>" for row in cells) + "</w:tbl>"


def text_run(text: str) -> str:
    return f'<w:t xml:space="preserve">{text}</w:t>'


@pytest.fixture(scope="module")
def minutes_pdf() -> bytes:
    return matplotlib_pdf([PAGE_ONE, PAGE_TWO])


# --- PDF ------------------------------------------------------------------------------------------


def test_pdf_text_is_cleaned_page_by_page(minutes_pdf):
    document = read_document("referat.pdf", minutes_pdf)

    assert document.format == "pdf"
    assert document.text == EXPECTED_PAGE_ONE + "\n\n" + EXPECTED_PAGE_TWO
    assert "beskæftigelse var" in document.text  # hyphenation across the line break undone
    assert "social- og beskæftigelsesområdet" in document.text  # compound hyphen kept
    assert HEADER not in document.text and "Side" not in document.text
    assert "\r" not in document.text


def test_pdf_page_starts_map_offsets_to_pages(minutes_pdf):
    document = read_document("referat.pdf", minutes_pdf)

    assert document.page_starts == (0, len(EXPECTED_PAGE_ONE) + 2)
    assert document.text[document.page_starts[1] :].startswith("Punkt 6")
    assert document.page_of(document.text.index("Omgørelsesprocenten")) == 1
    assert document.page_of(document.text.index("Udvalget tog")) == 2
    assert document.page_of(len(document.text) - 1) == 2


def test_pdf_suffix_is_case_insensitive(minutes_pdf):
    assert read_document("REFERAT.PDF", minutes_pdf).format == "pdf"
    assert read_document("C:\\Referater\\2021\\Referat.Pdf", minutes_pdf).format == "pdf"


def test_pdf_max_pages(minutes_pdf):
    assert reason_of("referat.pdf", minutes_pdf, max_pages=1) == "too many pages: 2 > 1"
    assert len(read_document("referat.pdf", minutes_pdf, max_pages=2).page_starts) == 2


def test_truncated_pdf_is_rejected(minutes_pdf):
    assert reason_of("referat.pdf", minutes_pdf[: len(minutes_pdf) // 2]).startswith("truncated PDF")
    # Only the %%EOF missing: PDFium would recover it, but the download was cut short.
    assert reason_of("referat.pdf", minutes_pdf[:-10]).startswith("truncated PDF")


def test_corrupt_pdf_is_rejected():
    junk = random.Random(1).randbytes(3000)
    assert reason_of("referat.pdf", b"%PDF-1.7\n" + junk + b"\n%%EOF\n").startswith("corrupt PDF")


def test_password_protected_pdf_is_rejected():
    # A standard security handler whose user password is not empty: the text cannot be decrypted.
    encrypt = b"<< /Filter /Standard /V 1 /R 2 /O <%s> /U <%s> /P -44 >>" % (b"ab" * 32, b"cd" * 32)
    data = hand_written_pdf(
        b"BT /F1 12 Tf 72 720 Td (Hemmelig tekst) Tj ET",
        trailer_extra=b"/Encrypt 6 0 R /ID [<%s> <%s>]" % (b"01" * 16, b"01" * 16),
        extra_objects=(encrypt,),
    )
    assert reason_of("referat.pdf", data) == "encrypted PDF"


def test_pdf_without_text_layer_is_rejected():
    drawing_only = hand_written_pdf(b"0 0 m 300 300 l S 50 50 200 200 re f")
    assert reason_of("scan.pdf", drawing_only) == "no text layer (scanned PDF?)"


def test_hand_written_pdf_with_text_is_read():
    # Guards the helper used above: the same kind of PDF with a text object is readable.
    document = read_document("a.pdf", hand_written_pdf(b"BT /F1 12 Tf 72 720 Td (Klagesager 2020) Tj ET"))
    assert (document.text, document.page_starts) == ("Klagesager 2020", (0,))


def test_text_file_named_pdf_is_rejected():
    assert reason_of("referat.pdf", b"Dette er ikke en PDF") == "not a PDF: starts with b'Dette er ikk'"
    error_page = b"<!DOCTYPE html><html><body>404</body></html>"
    assert reason_of("referat.pdf", error_page) == "not a PDF: looks like HTML"


def test_hundred_page_pdf_reads_fast(minutes_pdf):
    source = pdfium.PdfDocument(minutes_pdf)
    big = pdfium.PdfDocument.new()
    for _ in range(50):
        big.import_pages(source)
    buffer = io.BytesIO()
    big.save(buffer)

    started = time.perf_counter()
    document = read_document("stor.pdf", buffer.getvalue())
    elapsed = time.perf_counter() - started

    assert len(document.page_starts) == 100
    assert HEADER not in document.text
    assert document.text.count("beskæftigelse var") == 50
    assert elapsed < 2.0


# --- plain text -----------------------------------------------------------------------------------


def test_utf8_text_is_kept_as_is():
    document = read_document("referat.txt", ("  " + DANISH + "\t\n\nslut\n").encode("utf-8"))
    assert document.text == "  " + DANISH + "\t\n\nslut\n"
    assert (document.format, document.encoding, document.notes) == ("txt", "utf-8", ())
    assert document.page_of(3) is None


@pytest.mark.parametrize(
    ("data", "encoding", "note"),
    [
        (b"\xef\xbb\xbf" + DANISH.encode("utf-8"), "utf-8", "stripped UTF-8 BOM"),
        (DANISH.encode("cp1252"), "cp1252", "decoded as cp1252"),
        (DANISH.encode("utf-16"), "utf-16", "decoded as utf-16"),
    ],
    ids=["utf-8-bom", "cp1252", "utf-16"],
)
def test_text_encodings_give_the_utf8_string(data, encoding, note):
    document = read_document("referat.txt", data)
    assert document.text == DANISH
    assert document.encoding == encoding
    assert note in document.notes


def test_latin1_text_gives_the_utf8_string():
    # Danish latin-1 has no bytes in 0x80-0x9F, where the two differ, so cp1252 reads it identically.
    assert read_document("referat.txt", LATIN1_DANISH.encode("latin-1")).text == LATIN1_DANISH
    with_c1_byte = read_document("referat.txt", LATIN1_DANISH.encode("latin-1") + b"\x81")
    assert with_c1_byte.encoding == "latin-1"
    assert with_c1_byte.text == LATIN1_DANISH + "\x81"
    assert "decoded as latin-1" in with_c1_byte.notes


def test_utf8_with_stray_cp1252_bytes_keeps_the_utf8_letters():
    data = DANISH.encode("utf-8") + " Kø".encode("cp1252")
    document = read_document("referat.txt", data)
    assert document.text == DANISH + " Kø"
    assert document.encoding == "utf-8"
    assert any(note.startswith("mixed encodings") for note in document.notes)


def test_line_endings_are_normalised():
    assert read_document("a.txt", b"en\r\nto\rtre\n").text == "en\nto\ntre\n"


def test_binary_junk_named_txt_is_rejected():
    junk = random.Random(7).randbytes(4096)
    assert reason_of("referat.txt", junk) == "binary data, not text"
    assert reason_of("referat.txt", b"tekst\x00med nul") == "binary data, not text"


@pytest.mark.parametrize("suffix", [".txt", ".html"])
def test_a_stray_nul_byte_is_dropped_and_noted_not_a_rejection(suffix):
    data = DANISH.encode("utf-8")
    document = read_document("referat" + suffix, data[:10] + b"\x00" + data[10:])
    assert document.text == DANISH
    assert "removed 1 NUL byte" in document.notes


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
@pytest.mark.parametrize("suffix", [".txt", ".html"])
def test_utf16_without_byte_order_mark_is_detected(encoding, suffix):
    document = read_document("referat" + suffix, DANISH.encode(encoding))
    assert document.text == DANISH
    assert (document.encoding, document.notes) == (encoding, (f"decoded as {encoding} (no byte-order mark)",))


@pytest.mark.parametrize("suffix", SUPPORTED_SUFFIXES)
@pytest.mark.parametrize("data", [b"", b"  \r\n\t  "], ids=["empty", "whitespace"])
def test_empty_file_is_rejected(suffix, data):
    assert reason_of("referat" + suffix, data) == "empty file"


def test_bom_only_text_is_empty():
    assert reason_of("referat.txt", b"\xef\xbb\xbf\n") == "empty file"


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("referat.xyz", "unsupported format '.xyz'"),
        ("referat.doc", "unsupported format '.doc'"),
        ("README", "no file suffix"),
    ],
)
def test_unsupported_suffix_is_rejected(name, reason):
    assert reason_of(name, b"tekst") == reason


# --- HTML -----------------------------------------------------------------------------------------

NOISY_HTML = """<!DOCTYPE html>
<html><head><meta charset="windows-1252"><title>Referat</title>
<style>p { color: red }</style><script>var x = "<p>ikke tekst</p>";</script></head>
<body><nav><ul><li>Forside</li></ul></nav><div role="navigation">Menu</div><header>Sidehoved</header>
<main><article><header><h1>Punkt 5: Klagesager</h1></header>
<p>Ankestyrelsen   har
   behandlet <b>120</b>&nbsp;sager i 2020 &amp; 2021.</p><p>Næste afsnit.</p>
<table><tr><th>Område</th><th>Antal</th><th>Omgjort</th></tr>
<tr><td><p class=MsoNormal>§ 41</p></td><td>12</td><td>3</td></tr>
<tr><td>§ 42<td>8<td>2</table>
<ul><li>første punkt<li>andet punkt</ul>
<div hidden>skjult</div><noscript>Slå JavaScript til</noscript><form><label>Søg</label></form>
<aside>Relaterede sider</aside><svg><text>grafik</text></svg>
</article></main><footer>Kontakt os</footer></body></html>"""


def test_html_keeps_content_and_structure_without_noise():
    document = read_document("referat.html", NOISY_HTML.encode("cp1252"))

    assert document.text == (
        "Referat\n\n"
        "Punkt 5: Klagesager\n\n"
        "Ankestyrelsen har behandlet 120 sager i 2020 & 2021.\n\n"
        "Næste afsnit.\n\n"
        "Område | Antal | Omgjort\n"
        "§ 41 | 12 | 3\n"
        "§ 42 | 8 | 2\n\n"
        "- første punkt\n"
        "- andet punkt"
    )
    assert (document.format, document.encoding, document.page_starts) == ("html", "cp1252", (0,))


def test_html_without_charset_falls_back_to_cp1252():
    document = read_document("referat.htm", "<p>Ærø – Århus</p>".encode("cp1252"))
    assert document.text == "Ærø – Århus"
    assert "decoded as cp1252" in document.notes


def test_html_sentences_in_blocks_never_run_together():
    html = "<div>Første sætning<div>Anden sætning</div>Tredje<br>Fjerde</div><h2>Overskrift</h2>Slut"
    assert read_document("a.html", html.encode()).text == (
        "Første sætning\nAnden sætning\nTredje\nFjerde\n\nOverskrift\n\nSlut"
    )


def test_deeply_nested_html_does_not_crash():
    nested = "<div>" * 50_000 + "Dybt" + "</div>" * 50_000
    assert read_document("a.html", nested.encode()).text == "Dybt"
    tables = "<table><tr><td>" * 3_000 + "Celle"
    assert read_document("a.html", tables.encode()).text == "Celle"


@pytest.mark.parametrize(
    "markup",
    [
        b"<p>Tekst</p>" + b"<a " * 100_000,  # html.parser's close() rescans this once per "<"
        b"<p>Tekst</p>" + b"<!--x>" * 50_000,
        b"<table><tr><td>1<td>2" * 10_000,  # unclosed nested tables
    ],
    ids=["unclosed-tags", "unclosed-comments", "unclosed-tables"],
)
def test_hostile_html_is_read_in_linear_time(markup):
    started = time.perf_counter()
    try:
        read_document("a.html", markup)
    except UnreadableDocument:
        pass
    assert time.perf_counter() - started < 5.0


def test_html_layout_table_keeps_paragraph_lines():
    long_paragraph = "Ankestyrelsen har behandlet sagerne. " * 10
    html = f"<table><tr><td><p>{long_paragraph}</p><p>Andet afsnit.</p></td><td>Menu</td></tr></table>"
    assert read_document("a.html", html.encode()).text == long_paragraph.strip() + "\nAndet afsnit.\nMenu"


def test_html_with_odd_marked_section_is_read():
    assert read_document("a.html", b"<p>a</p><![foo bar]><p>b</p>").text == "a\n\nb"


def test_html_with_only_noise_is_rejected():
    assert reason_of("a.html", b"<script>alert(1)</script><nav>Menu</nav>") == "no text in HTML"


# --- DOCX -----------------------------------------------------------------------------------------


def test_docx_paragraphs_runs_tabs_breaks_and_tables():
    tab_stop = "<w:pPr><w:tabs><w:tab w:val='left' w:pos='720'/></w:tabs></w:pPr>"
    body = (
        f"<w:p>{tab_stop}<w:r>{text_run('Punkt 5:')}<w:tab/>{text_run('Klagesager ')}</w:r>"
        f"<w:r>{text_run('2020')}<w:br/>{text_run('ny linje')}</w:r></w:p>"
        + paragraph(text_run("Ankestyrelsen omgjorde "), text_run("3 sager."))
        + "<w:p><w:r><w:delText>slettet</w:delText></w:r></w:p>"
        + table(
            [paragraph(text_run("§ 41")), paragraph(text_run("12"))],
            [paragraph(text_run("§ 42")) + paragraph(text_run("(voksne)")), paragraph(text_run("8"))],
        )
        + paragraph(text_run("første punkt"), list_item=True)
    )
    document = read_document("referat.docx", docx(body))

    assert document.text == (
        "Punkt 5:\tKlagesager 2020\nny linje\n"
        "Ankestyrelsen omgjorde 3 sager.\n"
        "\n"
        "§ 41 | 12\n"
        "§ 42 (voksne) | 8\n"
        "- første punkt"
    )
    assert document.format == "docx"


def test_docx_text_box_is_read_once():
    # Word stores a text box twice: DrawingML in mc:Choice and a VML copy in mc:Fallback.
    box = f"<w:txbxContent>{paragraph(text_run('I tekstboks'))}</w:txbxContent>"
    alternate = (
        f'<mc:AlternateContent xmlns:mc="{MC_NS}"><mc:Choice Requires="wps">{box}</mc:Choice>'
        f"<mc:Fallback>{box}</mc:Fallback></mc:AlternateContent>"
    )
    body = paragraph(text_run("Før "), alternate) + paragraph(text_run("Efter"))
    assert read_document("a.docx", docx(body)).text == "Før I tekstboks\nEfter"


def test_docx_zip_bomb_is_rejected():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", b"<w:document>" + b" " * (51 * 1024 * 1024))
    assert len(buffer.getvalue()) < 1024 * 1024
    assert "zip bomb" in reason_of("bombe.docx", buffer.getvalue())


def test_docx_that_is_not_a_word_zip_is_rejected():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("content.xml", "<x/>")
    assert reason_of("a.docx", buffer.getvalue()).startswith("not a DOCX: no word/document.xml")
    assert reason_of("a.docx", b"Bare tekst") == "not a DOCX: starts with b'Bare tekst'"
    assert reason_of("a.docx", b"PK\x03\x04" + b"\x00" * 100).startswith("not a DOCX")


def test_docx_with_entity_expansion_is_rejected():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(
            "word/document.xml",
            '<?xml version="1.0"?><!DOCTYPE d [<!ENTITY a "aaaaaaaaaa">]><d>&a;&a;</d>',
        )
    assert reason_of("a.docx", buffer.getvalue()) == "corrupt DOCX (document.xml has a DTD)"


# --- any bytes at all -----------------------------------------------------------------------------

SEEDS = (
    hand_written_pdf(b"BT /F1 12 Tf 72 720 Td (Klagesager 2020) Tj ET"),
    docx(paragraph(text_run("Klagesager")) + table([paragraph(text_run("§ 41")), paragraph(text_run("12"))])),
    "<html><body><table><tr><td>§ 41<td>12</table><p>Ærø</p></body></html>".encode(),
    DANISH.encode("cp1252"),
)
PREFIXES = (b"", b"%PDF-1.4\n", b"PK\x03\x04", b"\xef\xbb\xbf", b"\xff\xfe", b"<html><body>", b"<![")


def mutated(seed: bytes, at: int, cut: int, junk: bytes) -> bytes:
    at %= len(seed) + 1
    return seed[:at] + junk + seed[at + cut :]


any_document_bytes = st.one_of(
    st.binary(max_size=2048),
    st.builds(lambda prefix, rest: prefix + rest, st.sampled_from(PREFIXES), st.binary(max_size=1024)),
    st.builds(
        mutated,
        st.sampled_from(SEEDS),
        st.integers(min_value=0, max_value=4096),
        st.integers(min_value=0, max_value=64),
        st.binary(max_size=16),
    ),
)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=any_document_bytes, suffix=st.sampled_from(SUPPORTED_SUFFIXES))
def test_any_bytes_give_text_or_unreadable_document(data, suffix):
    try:
        document = read_document("dokument" + suffix, data, max_pages=50)
    except UnreadableDocument as rejected:
        assert rejected.reason
        return
    assert isinstance(document, DocumentText)
    assert document.text.strip()
    assert document.page_starts[0] == 0
    assert list(document.page_starts) == sorted(document.page_starts)
    assert document.page_starts[-1] <= len(document.text)
