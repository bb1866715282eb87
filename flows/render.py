"""Write the report: charts (matplotlib, PNG), the national PDF and one PDF per kommune (typst), and the
figures as CSV and XLSX for Excel. The only part of the report layer that touches the disk; what it says
comes from ``reports.report``.

Cost follows the work: a chart's PNG is kept in a cache under the name of a hash of what it shows, so only
charts whose figures changed are drawn again; laying out the pages is typst's (a few seconds for hundreds
of pages). Each kommune's PDF is cut from the national one at its bookmark, so the two never differ.
Chart workers are started with ``spawn`` (safe next to Prefect's threads), so a script calling
``write_report`` needs the usual ``if __name__ == "__main__":`` guard.
"""

from __future__ import annotations

import json
import os
import shutil
from concurrent.futures import ProcessPoolExecutor
from datetime import datetime
from importlib import resources
from multiprocessing import get_context
from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # no display on a server or in CI; set before anything imports pyplot

import pandas as pd  # noqa: E402
import pypdfium2 as pdfium  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from flows.outputs import CHART_DIR, KOMMUNE_DIR, PDF_NAME, TABLE_DIR  # noqa: E402
from reports.charts import draw_ranking, draw_series, ranking_figure_size, series_figure_size  # noqa: E402
from reports.report import Chart, ReportContent, build_report  # noqa: E402
from reports.spreadsheet import kommune_sheet, national_sheet  # noqa: E402

PNG_DPI = 150
PNG_OPTIONS = {"compress_level": 1}  # flat-colour charts compress well at any level; higher costs time
PARALLEL_FROM = 24  # charts to draw; below this, starting a worker process costs more than it saves
FONTS = Path(matplotlib.get_data_path()) / "fonts" / "ttf"  # DejaVu Sans: the charts' font in the text too


def write_report(figures: pd.DataFrame, national: pd.DataFrame, statements: pd.DataFrame,
                 documents: pd.DataFrame, out_dir: Path, *, cache_dir: Path, generated_at: datetime,
                 workers: int | None = None) -> list[Path]:
    """Write charts, PDFs and tables into ``out_dir``; return the written paths. ``cache_dir`` keeps chart
    PNGs between runs (it may be outside ``out_dir``)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    content = build_report(figures, national, statements, documents, generated_at=generated_at)
    pngs = draw_charts(content.charts, cache_dir, out_dir / CHART_DIR, workers=workers)
    pdf = compile_pdf(content, out_dir / CHART_DIR, out_dir / PDF_NAME, generated_at)
    kommune_pdfs = split_by_kommune(pdf, content, out_dir / KOMMUNE_DIR)
    tables = write_tables(figures, national, out_dir / TABLE_DIR)
    return [*pngs, pdf, *kommune_pdfs, *tables]


def draw_charts(charts: list[Chart], cache_dir: Path, chart_dir: Path, *, workers: int | None = None) -> list[Path]:
    """Every chart as ``chart_dir/<file name>``; only charts not in ``cache_dir`` are drawn, and the cache
    keeps just the charts of this report."""
    cache_dir.mkdir(parents=True, exist_ok=True)
    chart_dir.mkdir(parents=True, exist_ok=True)
    todo = [chart for chart in charts if not (cache_dir / f"{chart.key}.png").exists()]
    workers = _default_workers() if workers is None else workers
    if workers > 0 and len(todo) >= PARALLEL_FROM:
        with ProcessPoolExecutor(workers + 1, mp_context=get_context("spawn")) as pool:
            list(pool.map(draw_chart, todo, [cache_dir] * len(todo), chunksize=4))
    else:
        for chart in todo:
            draw_chart(chart, cache_dir)
    keys = {chart.key for chart in charts}
    for cached in cache_dir.glob("*.png"):  # what no chart shows any more
        if cached.stem not in keys:
            cached.unlink(missing_ok=True)
    written = []
    for chart in charts:
        target = chart_dir / chart.file_name
        target.unlink(missing_ok=True)
        _link_or_copy(cache_dir / f"{chart.key}.png", target)
        written.append(target)
    return written


def draw_chart(chart: Chart, cache_dir: Path) -> Path:
    """Draw one chart into the cache, under its key (written under a temporary name, then renamed, so a
    half-written file is never taken for a cached chart)."""
    if chart.kind == "series":
        fig = Figure(figsize=series_figure_size(list(chart.content)))
        draw_series(fig, list(chart.content))
    else:
        fig = Figure(figsize=ranking_figure_size(len(chart.content.points)))
        draw_ranking(fig, chart.content)
    path = cache_dir / f"{chart.key}.png"
    unfinished = cache_dir / f".{chart.key}.{os.getpid()}.png"
    fig.savefig(unfinished, dpi=PNG_DPI, pil_kwargs=PNG_OPTIONS)
    os.replace(unfinished, path)
    return path


def compile_pdf(content: ReportContent, chart_dir: Path, pdf: Path, generated_at: datetime) -> Path:
    """Lay out the report with typst in a work folder beside ``pdf``; replace ``pdf`` in one step."""
    import typst  # only when a report is drawn

    work = pdf.parent / ".typst"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir()
    try:
        (work / "report.typ").write_text(resources.files("reports").joinpath("report.typ").read_text("utf-8"),
                                         encoding="utf-8")
        (work / "data.json").write_text(json.dumps(content.data, ensure_ascii=False), encoding="utf-8")
        (work / "charts").mkdir()
        for png in chart_dir.glob("*.png"):  # typst reads only inside its root: links, not copies
            _link_or_copy(png, work / "charts" / png.name)
        unfinished = work / PDF_NAME
        typst.compile(str(work / "report.typ"), output=str(unfinished), root=str(work), font_paths=[str(FONTS)],
                      ignore_system_fonts=True, timestamp=int(generated_at.timestamp()))
        os.replace(unfinished, pdf)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return pdf


def split_by_kommune(pdf: Path, content: ReportContent, kommune_dir: Path) -> list[Path]:
    """``kommune_dir/<slug>.pdf``: each kommune's pages, from its bookmark to the next one."""
    kommune_dir.mkdir(parents=True, exist_ok=True)
    document = pdfium.PdfDocument(pdf)
    written = []
    try:
        marks = [(item.get_title(), item.get_dest().get_index()) for item in document.get_toc(max_depth=8)
                 if item.level == 0]
        starts = [index for _title, index in marks] + [len(document)]
        by_title = {title: (start, starts[i + 1]) for i, (title, start) in enumerate(marks)}
        for name, kommune in zip(content.kommune_slugs, content.data["kommuner"], strict=True):
            first, end = by_title[f"{name} Kommune ({kommune['code']})"]
            part = pdfium.PdfDocument.new()
            part.import_pages(document, list(range(first, end)))
            target = kommune_dir / f"{content.kommune_slugs[name]}.pdf"
            part.save(target)
            part.close()
            written.append(target)
    finally:
        document.close()
    return written


def write_tables(figures: pd.DataFrame, national: pd.DataFrame, table_dir: Path) -> list[Path]:
    """The consolidated figures for Excel: CSV with ';' and decimal commas in UTF-8 with BOM, and XLSX."""
    table_dir.mkdir(parents=True, exist_ok=True)
    sheets = {"kommunetal": kommune_sheet(figures), "landstal": national_sheet(national)}
    written = []
    for name, sheet in sheets.items():
        target = table_dir / f"{name}.csv"
        sheet.to_csv(target, sep=";", decimal=",", index=False, encoding="utf-8-sig")
        written.append(target)
    workbook = table_dir / "ankestat-tal.xlsx"
    with pd.ExcelWriter(workbook, engine="xlsxwriter") as writer:
        for name, sheet in sheets.items():
            sheet.to_excel(writer, sheet_name=name.capitalize(), index=False, freeze_panes=(1, 0))
            writer.sheets[name.capitalize()].autofit()
    written.append(workbook)
    return written


def _link_or_copy(source: Path, target: Path) -> None:
    try:
        os.link(source, target)
    except OSError:  # another file system, or links not allowed
        shutil.copyfile(source, target)


def _default_workers() -> int:
    available = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    return max(0, min(available - 1, 3))
