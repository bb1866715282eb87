"""Write the report: charts (matplotlib), the national PDF and one PDF per kommune (typst), and the
figures as CSV and XLSX for Excel. The only part of the report layer that touches the disk; what it says
comes from ``reports.report``.

Each chart is drawn once, as SVG: the PDF shows it as a vector image, and typst rasterises the PNG for the
reader's folder from the same SVG (its SVG renderer takes ~25 ms a chart, a second matplotlib drawing ~70 ms).
Cost follows the work: a chart's SVG and PNG are kept in a cache under the name of a hash of what it shows,
so only charts whose figures changed are drawn again; laying out the pages is typst's (a few seconds for
hundreds of pages), beside the rasterising. Each kommune's PDF is cut from the national one at its bookmark,
so the two never differ.
Chart workers are forked where the platform can (they start in milliseconds), else spawned (a script
calling ``write_report`` then needs the usual ``if __name__ == "__main__":`` guard).
"""

from __future__ import annotations

import hashlib
import json
import multiprocessing
import os
import shutil
import subprocess
import sys
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
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
from reports.charts import (  # noqa: E402
    draw_ranking,
    draw_series,
    ranking_figure_size,
    series_figure_size,
    series_layout,
)
from reports.report import Chart, ReportContent, build_report  # noqa: E402
from reports.spreadsheet import kommune_sheet, national_sheet  # noqa: E402

PNG_PPI = 150  # a 6.7-inch chart is 1005 pixels wide
PARALLEL_FROM = 24  # charts to draw with spawned workers; below this, their imports cost more than they save
_SERIES_FIGURES: dict[tuple[int, int, int], Figure] = {}
FONTS = Path(matplotlib.get_data_path()) / "fonts" / "ttf"  # DejaVu Sans: the charts' font in the text too
# A chart is drawn again when its figures or the code that draws it (the charts and their Danish formats) change.
CHART_CODE = hashlib.sha256(b"".join(resources.files("reports").joinpath(name).read_bytes()
                                     for name in ("charts.py", "danish.py"))).hexdigest()[:12]


def write_report(figures: pd.DataFrame, national: pd.DataFrame, statements: pd.DataFrame,
                 documents: pd.DataFrame, out_dir: Path, *, cache_dir: Path, generated_at: datetime,
                 workers: int | None = None) -> list[Path]:
    """Write charts, PDFs and tables into ``out_dir``; return the written paths. ``cache_dir`` keeps the
    charts between runs (it may be outside ``out_dir``)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    content = build_report(figures, national, statements, documents, generated_at=generated_at)
    cached = {chart.file_name: cache_dir / chart_key(chart) for chart in content.charts}
    drawn = draw_charts(content.charts, cached, workers=workers)
    # Two typst children, one per core: the layout and the PNGs of the charts just drawn. Neither holds the
    # GIL while it works: the tables are written meanwhile.
    with ThreadPoolExecutor(2) as children:
        laid_out = children.submit(compile_pdf, content, cached, out_dir / PDF_NAME, generated_at)
        rasterised = children.submit(rasterise, drawn, out_dir / ".typst-png")
        tables = write_tables(figures, national, out_dir / TABLE_DIR)
        rasterised.result()
        pdf = laid_out.result()
    pngs = place_charts(content.charts, cached, out_dir / CHART_DIR)
    kommune_pdfs = split_by_kommune(pdf, content, out_dir / KOMMUNE_DIR)
    return [*pngs, pdf, *kommune_pdfs, *tables]


def chart_key(chart: Chart) -> str:
    """A hash of what the chart shows and of the code that draws it: the same key, the same picture."""
    return hashlib.sha256(f"{CHART_CODE}|{chart.kind}|{chart.content!r}".encode()).hexdigest()[:20]


def draw_charts(charts: list[Chart], cached: dict[str, Path], *, workers: int | None = None) -> list[Path]:
    """Draw as ``<stem>.svg`` every chart whose PNG is not in the cache yet; their stems. ``cached``: file
    name -> the chart's path in the cache without suffix (``cache/<key>``). A chart counts as cached once its
    PNG is there (``rasterise`` writes it last); the cache keeps only the charts of ``charts``."""
    if not cached:
        return []
    cache_dir = next(iter(cached.values())).parent
    cache_dir.mkdir(parents=True, exist_ok=True)
    todo = [chart for chart in charts if not _is_cached(cached[chart.file_name])]
    stems = [cached[chart.file_name] for chart in todo]
    workers = _default_workers() if workers is None else workers
    context = _pool_context()
    if workers > 0 and len(todo) >= (2 if context.get_start_method() == "fork" else PARALLEL_FROM):
        with ProcessPoolExecutor(min(workers + 1, len(todo)), mp_context=context) as pool:
            list(pool.map(draw_chart, todo, stems, chunksize=max(1, min(4, len(todo) // 8))))
    else:
        for chart, stem in zip(todo, stems, strict=True):
            draw_chart(chart, stem)
    keys = {stem.name for stem in cached.values()}
    for old in [*cache_dir.glob("*.png"), *cache_dir.glob("*.svg")]:  # what no chart shows any more
        if old.stem not in keys:
            old.unlink(missing_ok=True)
    return stems


def place_charts(charts: list[Chart], cached: dict[str, Path], chart_dir: Path) -> list[Path]:
    """Every chart's PNG as ``chart_dir/<file name>``, linked from the cache."""
    chart_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for chart in charts:
        target = chart_dir / chart.file_name
        target.unlink(missing_ok=True)
        _link_or_copy(_png(cached[chart.file_name]), target)
        written.append(target)
    return written


def _is_cached(stem: Path) -> bool:
    return _png(stem).exists() and stem.with_name(f"{stem.name}.svg").exists()


def _png(stem: Path) -> Path:
    return stem.with_name(f"{stem.name}.png")


def draw_chart(chart: Chart, stem: Path) -> Path:
    """Draw one chart as ``<stem>.svg`` (written under a temporary name, then renamed, so a half-written
    file is never taken for a drawn chart). SVG: the PDF shows it as a vector image (with PNGs typst held
    ~1 GB of decoded bitmaps for 100 charts), and the PNG is rasterised from it."""
    if chart.kind == "series":
        panels = list(chart.content)
        # One figure per layout in this process, drawn on again (see draw_series).
        layout = series_layout(panels)
        if layout not in _SERIES_FIGURES:
            _SERIES_FIGURES[layout] = Figure(figsize=series_figure_size(panels))
        fig = _SERIES_FIGURES[layout]
        draw_series(fig, panels)
    else:
        fig = Figure(figsize=ranking_figure_size(len(chart.content.points)))
        draw_ranking(fig, chart.content)
    unfinished = stem.with_name(f".{stem.name}.{os.getpid()}.svg")
    with matplotlib.rc_context({"svg.fonttype": "none"}):
        fig.savefig(unfinished, format="svg")
    svg = stem.with_name(f"{stem.name}.svg")
    os.replace(unfinished, svg)
    return svg


def rasterise(stems: list[Path], work: Path) -> None:
    """``<stem>.png`` from ``<stem>.svg`` for each stem: one typst document with a page per chart, the page
    the SVG's own size, rendered at ``PNG_PPI`` in a child process (as the layout, for its memory)."""
    if not stems:
        return
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    try:
        pages = []
        for i, stem in enumerate(stems):  # typst reads only inside its root: links, not copies
            _link_or_copy(stem.with_name(f"{stem.name}.svg"), work / f"{i}.svg")
            pages.append(f'#image("{i}.svg")')
        (work / "charts.typ").write_text("#set page(width: auto, height: auto, margin: 0pt)\n"
                                         + "\n#pagebreak()\n".join(pages), encoding="utf-8")
        (work / "targets.json").write_text(json.dumps([str(_png(stem)) for stem in stems]), encoding="utf-8")
        _typst_child(_RASTERISE_CHILD, [str(work), str(FONTS), str(PNG_PPI)], "draw the charts as PNG")
    finally:
        shutil.rmtree(work, ignore_errors=True)


def compile_pdf(content: ReportContent, cached: dict[str, Path], pdf: Path, generated_at: datetime) -> Path:
    """Lay out the report with typst in a work folder beside ``pdf``, the charts as SVG from the cache
    (``cached`` as for draw_charts); replace ``pdf`` in one step."""
    work = pdf.parent / ".typst"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir()
    try:
        (work / "report.typ").write_text(resources.files("reports").joinpath("report.typ").read_text("utf-8"),
                                         encoding="utf-8")
        (work / "data.json").write_text(json.dumps(content.data, ensure_ascii=False), encoding="utf-8")
        (work / "charts").mkdir()
        for chart in content.charts:  # typst reads only inside its root: links, not copies
            svg = cached[chart.file_name]
            _link_or_copy(svg.with_name(f"{svg.name}.svg"), work / "charts" / Path(chart.file_name).with_suffix(".svg"))
        unfinished = work / PDF_NAME
        # In a child process: typst holds the whole laid-out document (~5 MB a kommune's pages, ~0.8 GB for
        # 98 kommuner) and Python does not give such memory back; the run's own process stays small.
        _typst_child(_LAYOUT_CHILD, [str(work), str(unfinished), str(FONTS), str(int(generated_at.timestamp()))],
                     "lay out the report")
        os.replace(unfinished, pdf)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return pdf


def _typst_child(script: str, args: list[str], what: str) -> None:
    done = subprocess.run([sys.executable, "-c", script, *args], capture_output=True, text=True)
    if done.returncode != 0:
        last = (done.stderr.strip().splitlines() or [f"exit code {done.returncode}"])[-1]
        raise RuntimeError(f"typst could not {what}: {last}")


_LAYOUT_CHILD = """
import sys, typst
work, output, fonts, timestamp = sys.argv[1:]
typst.compile(work + "/report.typ", output=output, root=work, font_paths=[fonts], ignore_system_fonts=True,
              timestamp=int(timestamp))
"""

# Each PNG under a temporary name, then renamed: a chart counts as cached once its PNG is there.
_RASTERISE_CHILD = """
import json, os, sys, typst
work, fonts, ppi = sys.argv[1:]
targets = json.load(open(work + "/targets.json", encoding="utf-8"))
pages = typst.compile(work + "/charts.typ", root=work, font_paths=[fonts], ignore_system_fonts=True,
                      format="png", ppi=float(ppi))
pages = pages if isinstance(pages, list) else [pages]
if len(pages) != len(targets):
    sys.exit(f"{len(pages)} pages for {len(targets)} charts")
for target, png in zip(targets, pages):
    unfinished = f"{os.path.dirname(target)}/.{os.path.basename(target)}.{os.getpid()}"
    with open(unfinished, "wb") as file:
        file.write(png)
    os.replace(unfinished, target)
"""


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
            first, end = by_title[kommune["title"]]
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


def _pool_context():
    """Forked chart workers start in milliseconds with matplotlib already imported, so even the five charts
    one kommune's change redraws are shared; they only draw (no logging, no new imports). Where fork is
    missing, spawned workers pay their imports (~2 s) and are used for many charts only."""
    return get_context("fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn")


def _link_or_copy(source: Path, target: Path) -> None:
    try:
        os.link(source, target)
    except OSError:  # another file system, or links not allowed
        shutil.copyfile(source, target)


def _default_workers() -> int:
    available = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    return max(0, min(available - 1, 3))
