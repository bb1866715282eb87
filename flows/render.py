"""Write the report: ``ankestat-rapport.pdf`` and one PNG per chart. The only part of the report layer
that touches the disk; what it draws comes from ``reports.report``.

A report on 100 kommuner has some 400 pages and 600 charts. The pages are planned first (cheap: the plan
fixes every page's content and number), then drawn in contiguous shares by this process and by worker
processes, each share into a PDF part of its own, and the parts are joined with pdfium. A chart's PNG is
cut from its place on the rendered page, so no chart is drawn twice and the PNG is exactly what the
report shows. Workers are started with ``spawn`` (safe next to Prefect's threads), so a script calling
``write_report`` needs the usual ``if __name__ == "__main__":`` guard.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from datetime import datetime
from multiprocessing import get_context
from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # no display on a server or in CI; set before anything imports pyplot

import matplotlib as mpl  # noqa: E402
import pandas as pd  # noqa: E402
import pypdfium2 as pdfium  # noqa: E402
from matplotlib.backends.backend_pdf import PdfPages  # noqa: E402

from reports.chart_pages import chart_slots  # noqa: E402
from reports.report import PagePlan, draw, municipalities, plan_pages  # noqa: E402

PDF_NAME = "ankestat-rapport.pdf"
PDF_TITLE = "Ankestyrelsens omgørelsesprocenter i kommunale referater"
# TrueType fonts in the PDF (not Type 3) so its text can be searched, copied and read by pdftotext.
PDF_STYLE = {"pdf.fonttype": 42}
PNG_DPI = 150  # the page's full width, 8.27 in, is 1240 px
# Flat-colour charts compress well at any level; the default level took a third of each PNG's time.
PNG_OPTIONS = {"compress_level": 1}
PARALLEL_FROM = 8  # kommuner (~30 pages); below this, starting worker processes costs more than it saves
CHART_WEIGHT = 2  # a chart takes about twice as long to draw as a page of text


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
    PNGs in report order, then the PDF. ``workers``: processes drawing pages besides this one (default:
    one per CPU beyond this one, at most four; 0 draws everything here)."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    workers = _default_workers() if workers is None else workers
    if len(municipalities(stats)) < PARALLEL_FROM:
        workers = 0
    metadata = {"Title": PDF_TITLE, "CreationDate": generated_at, "Creator": "ankestat"}
    parts: list[Path] = []
    try:
        with _worker_pool(workers) as pool:
            pages = plan_pages(stats, documents, official, generated_at=generated_at)
            shares = share_pages(pages, workers + 1)
            parts = [out_dir / f".{PDF_NAME}.part{i}" for i in range(len(shares))]
            futures = [
                pool.submit(write_part, share, part, out_dir, metadata)
                for share, part in zip(shares[1:], parts[1:], strict=True)
            ]
            pngs = [write_part(shares[0], parts[0], out_dir, metadata)]
            pngs += [future.result() for future in futures]
        pdf = join_parts(parts, out_dir / PDF_NAME)
    finally:
        for part in parts:
            part.unlink(missing_ok=True)
    return [*(path for share in pngs for path in share), pdf]


@contextmanager
def _worker_pool(workers: int) -> Iterator[ProcessPoolExecutor | None]:
    """Worker processes, started now so their imports (~3 s) overlap the planning of the pages."""
    if workers < 1:
        yield None
        return
    with ProcessPoolExecutor(workers, mp_context=get_context("spawn")) as pool:
        for _ in range(workers):
            pool.submit(_ready)  # each submit starts one more process while none is idle
        yield pool


def _ready() -> None:
    """Nothing: unpickling it in a worker imports this module, and with it matplotlib and pandas."""


def share_pages(pages: list[PagePlan], n: int) -> list[list[PagePlan]]:
    """At most ``n`` contiguous runs of pages with about equal drawing work, in page order."""
    weights = [1 + CHART_WEIGHT * len(page.charts) for page in pages]
    total = sum(weights) or 1
    shares: list[list[PagePlan]] = [[] for _ in range(max(n, 1))]
    done = 0
    for page, weight in zip(pages, weights, strict=True):
        # A page goes to the share its middle falls in, so no share is left empty while pages remain.
        shares[min(int((done + weight / 2) * len(shares) / total), len(shares) - 1)].append(page)
        done += weight
    return [share for share in shares if share] or [[]]


def write_part(pages: list[PagePlan], path: Path, out_dir: Path, metadata: dict) -> list[Path]:
    """Draw ``pages`` into the PDF ``path``, then cut their charts' PNGs from it; return the PNG paths."""
    with mpl.rc_context(PDF_STYLE), PdfPages(path, metadata=metadata) as pdf:
        for page in pages:
            fig = draw(page)
            pdf.savefig(fig)
            fig.clear()  # drop the artists now rather than when the next page is built
    return cut_chart_pngs(path, pages, out_dir)


def cut_chart_pngs(pdf_path: Path, pages: list[PagePlan], out_dir: Path) -> list[Path]:
    """Render each chart's strip of its page (the full page width) at PNG_DPI and save it as PNG."""
    written = []
    document = pdfium.PdfDocument(pdf_path)
    try:
        for index, page in enumerate(pages):
            slots = chart_slots(list(page.charts), with_title=bool(page.title))
            if not slots:
                continue
            pdf_page = document[index]
            _width, height = pdf_page.get_size()  # points
            for chart, top, chart_height in slots:
                # crop = what to leave out on the left, bottom, right and top, in points.
                crop = (0, height - (top + chart_height) * 72, 0, top * 72)
                bitmap = pdf_page.render(scale=PNG_DPI / 72, crop=crop, rev_byteorder=True)
                path = out_dir / chart.file_name
                bitmap.to_pil().save(path, **PNG_OPTIONS)
                written.append(path)
            pdf_page.close()
    finally:
        document.close()
    return written


def join_parts(parts: list[Path], path: Path) -> Path:
    """Join the PDF parts into ``path``, keeping the first part's metadata; replaced in one step, so a
    reader never sees half a report."""
    joined = pdfium.PdfDocument(parts[0])
    try:
        for part in parts[1:]:
            other = pdfium.PdfDocument(part)
            joined.import_pages(other)
            other.close()
        unfinished = path.with_name(f".{path.name}.tmp")
        joined.save(unfinished)
    finally:
        joined.close()
    os.replace(unfinished, path)
    return path


def _default_workers() -> int:
    available = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    return max(0, min(available - 1, 4))
