"""Write the report: one PNG per chart and ``ankestat-rapport.pdf``. The only part of the report layer
that touches the disk; everything it saves comes from the generators in ``reports.report``.

A report on 100 kommuner draws some 600 PNGs and a 400-page PDF. The PDF must be written by one process
(one PdfPages file), so the PNGs are drawn meanwhile by worker processes. Workers are started with
``spawn`` (safe next to Prefect's threads), so a script calling ``write_report`` needs the usual
``if __name__ == "__main__":`` guard.
"""

from __future__ import annotations

import os
from concurrent.futures import ProcessPoolExecutor
from datetime import datetime
from multiprocessing import get_context
from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # no display on a server or in CI; set before anything imports pyplot

import matplotlib as mpl  # noqa: E402
import pandas as pd  # noqa: E402
from matplotlib.backends.backend_pdf import PdfPages  # noqa: E402

from reports.report import iter_chart_files, iter_pdf_pages, municipalities  # noqa: E402

PDF_NAME = "ankestat-rapport.pdf"
PDF_TITLE = "Ankestyrelsens omgørelsesprocenter i kommunale referater"
# TrueType fonts in the PDF (not Type 3) so its text can be searched, copied and read by pdftotext.
PDF_STYLE = {"pdf.fonttype": 42}
# Flat-colour charts compress well at any level; the default level took a third of each PNG's time.
PNG_OPTIONS = {"compress_level": 1}
PARALLEL_FROM = 12  # kommuner; below this, starting worker processes costs more than it saves


def write_report(
    stats: pd.DataFrame,
    documents: pd.DataFrame,
    official: pd.DataFrame,
    out_dir: Path,
    *,
    generated_at: datetime,
    workers: int | None = None,
) -> list[Path]:
    """Write every chart as PNG and the whole report as PDF into ``out_dir``; return the written paths,
    PNGs in report order, then the PDF. ``workers``: processes drawing PNGs while this one writes the
    PDF (default: one per CPU beyond this one, at most four; 0 draws everything here)."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    kommuner = municipalities(stats)
    workers = _default_workers() if workers is None else workers
    if workers < 1 or len(kommuner) < PARALLEL_FROM:
        pngs = write_charts(stats, official, out_dir)
        return [*pngs, write_pdf(stats, documents, official, out_dir, generated_at=generated_at)]
    # Contiguous shares, so the PNG paths come back in report order.
    shares = [
        kommuner[i * len(kommuner) // workers : (i + 1) * len(kommuner) // workers] for i in range(workers)
    ]
    with ProcessPoolExecutor(workers, mp_context=get_context("spawn")) as pool:
        futures = [pool.submit(write_charts, stats, official, out_dir, share) for share in shares]
        pdf = write_pdf(stats, documents, official, out_dir, generated_at=generated_at)
        pngs = [path for future in futures for path in future.result()]
    return [*pngs, pdf]


def write_charts(
    stats: pd.DataFrame, official: pd.DataFrame, out_dir: Path, kommuner: list[str] | None = None
) -> list[Path]:
    """Save the charts of ``kommuner`` (all by default) as PNG files; return their paths in order."""
    written = []
    for name, fig in iter_chart_files(stats, official, municipalities=kommuner):
        path = out_dir / name
        fig.savefig(path, dpi=fig.dpi, pil_kwargs=PNG_OPTIONS)
        fig.clear()  # drop the artists now rather than when the generator moves on
        written.append(path)
    return written


def write_pdf(
    stats: pd.DataFrame,
    documents: pd.DataFrame,
    official: pd.DataFrame,
    out_dir: Path,
    *,
    generated_at: datetime,
) -> Path:
    """Write the PDF page by page; each page is saved and cleared before the next is built."""
    path = out_dir / PDF_NAME
    metadata = {"Title": PDF_TITLE, "CreationDate": generated_at, "Creator": "ankestat"}
    with mpl.rc_context(PDF_STYLE), PdfPages(path, metadata=metadata) as pdf:
        for page in iter_pdf_pages(stats, documents, official, generated_at=generated_at):
            pdf.savefig(page)
            page.clear()
    return path


def _default_workers() -> int:
    available = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    return max(0, min(available - 1, 4))
