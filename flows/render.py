"""Write the report: one PNG per chart and ``ankestat-rapport.pdf``. The only part of the report layer
that touches the disk; everything it saves comes from the generators in ``reports.report``."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # no display on a server or in CI; must happen before anything imports pyplot

import matplotlib as mpl  # noqa: E402
import pandas as pd  # noqa: E402
from matplotlib.backends.backend_pdf import PdfPages  # noqa: E402

from reports.report import iter_chart_files, iter_pdf_pages  # noqa: E402

PDF_NAME = "ankestat-rapport.pdf"
PDF_TITLE = "Ankestyrelsens omgørelsesprocenter i kommunale referater"
# TrueType fonts in the PDF (not Type 3) so the text can be searched, copied and read by pdftotext.
SAVE_STYLE = {"pdf.fonttype": 42}


def write_report(stats: pd.DataFrame, documents: pd.DataFrame, official: pd.DataFrame, out_dir: Path, *,
                 generated_at: datetime) -> list[Path]:  # fmt: skip
    """Write every chart as PNG and the whole report as PDF into ``out_dir``; return the written paths."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    with mpl.rc_context(SAVE_STYLE):
        for name, fig in iter_chart_files(stats, official):
            path = out_dir / name
            fig.savefig(path, dpi=fig.dpi)
            fig.clear()  # free the artists now rather than when the generator moves on
            written.append(path)
        pdf_path = out_dir / PDF_NAME
        metadata = {"Title": PDF_TITLE, "CreationDate": generated_at, "Creator": "ankestat"}
        with PdfPages(pdf_path, metadata=metadata) as pdf:
            for page in iter_pdf_pages(stats, documents, official, generated_at=generated_at):
                pdf.savefig(page)
                page.clear()
        written.append(pdf_path)
    return written
