"""Turn a plain-text document into the other formats minutes arrive in, for tests: PDF (wrapped lines,
page headers and footers), HTML (script, style and navigation noise) and cp1252 text."""

from __future__ import annotations

import html
import io
import textwrap

from matplotlib import rc_context
from matplotlib.backends.backend_pdf import PdfPages
from matplotlib.figure import Figure

LINES_PER_PAGE = 52
WRAP_AT = 92


def to_pdf(text: str, header: str = "Referat") -> bytes:
    """A real PDF: every paragraph wrapped at WRAP_AT characters, a header and 'Side i af n' footer."""
    lines = []
    for paragraph in text.split("\n"):
        lines += textwrap.wrap(paragraph, WRAP_AT, break_on_hyphens=False) or [""]
    pages = [lines[i : i + LINES_PER_PAGE] for i in range(0, len(lines), LINES_PER_PAGE)]
    buffer = io.BytesIO()
    with rc_context({"pdf.fonttype": 42}), PdfPages(buffer) as pdf:
        for number, page in enumerate(pages, start=1):
            figure = Figure(figsize=(8.27, 11.69))
            figure.text(0.06, 0.975, header, fontsize=8)
            for row, line in enumerate(page):
                figure.text(0.06, 0.95 - row * 0.0172, line, fontsize=8.5)
            figure.text(0.45, 0.015, f"Side {number} af {len(pages)}", fontsize=8)
            pdf.savefig(figure)
    return buffer.getvalue()


def to_html(text: str) -> bytes:
    """A municipal web page: navigation, scripts and styles around one <p> per line."""
    body = "\n".join(f"<p>{html.escape(line)}</p>" if line.strip() else "" for line in text.split("\n"))
    page = f"""<!DOCTYPE html><html lang="da"><head><meta charset="utf-8"><title>Referat</title>
<style>p {{ margin: 0 }} .x::before {{ content: "Ankestyrelsen 99 pct." }}</style>
<script>var stats = {{"omgørelsesprocent": 55, "stadfæstet": 12}}; window.track && track(1);</script>
</head><body><nav><ul><li><a href="/">Forside</a></li><li><a href="/politik">Politik 2021</a></li></ul></nav>
<header><div class="logo">Kommunen</div></header>
<main><article>{body}</article></main>
<footer>Kontakt: tlf. 36 39 39 39 · Rådhuset</footer>
<script>console.log("hjemvist 7 sager");</script></body></html>"""
    return page.encode("utf-8")


def to_cp1252(text: str) -> bytes:
    """cp1252 cannot hold every character (sample 004 has a '☞'); those become '?' as in a real export."""
    return text.encode("cp1252", errors="replace")


def pdf_bomb(inflated_mib: int) -> bytes:
    """A one-page PDF whose content stream inflates to ``inflated_mib`` MiB of text operators (~2.5 KB per
    MiB compressed). PDFium inflates and parses it whole: 64 MiB take some 6 s and 1.5 GB of memory, so
    the 1 GiB of a real one take minutes and 15+ GB."""
    import zlib

    unit = b"BT /F1 1 Tf (a) Tj ET\n"
    chunk = unit * ((1 << 20) // len(unit))
    packer = zlib.compressobj(9)
    body = b"".join(packer.compress(chunk) for _ in range(inflated_mib)) + packer.flush()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(body) + body + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.7\n")
    offsets = []
    for number, obj in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + obj + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)
