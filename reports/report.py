"""The report assembled from charts and text pages. Pure: frames in, matplotlib Figures out.

Both entry points are generators that build one figure at a time, so a report on 100 kommuner never holds
more than one page in memory; the caller saves each figure and lets it go.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator
from datetime import datetime
from itertools import count

import pandas as pd
from matplotlib.figure import Figure

from reports.appendix import appendix_blocks
from reports.chart_pages import chart_figure, chart_page, pack
from reports.layout import CAPACITY, capacity_below, draw_blocks, draw_page, paginate, styled
from reports.pages import kommune_summary, overview_blocks, statistics_blocks
from reports.plan import Chart, municipalities, prepared_stats, sections

__all__ = ["iter_chart_files", "iter_pdf_pages", "municipalities"]


def iter_chart_files(
    stats: pd.DataFrame,
    official: pd.DataFrame | None = None,
    *,
    municipalities: Collection[str] | None = None,
) -> Iterator[tuple[str, Figure]]:
    """(file name, Figure) for every chart: '<kommune-slug>-<scope>-<kind>.png', at least 1200 px wide.
    ``municipalities`` limits which kommuner's charts are made (rankings still compare all of them), so
    the work can be shared between processes."""
    for _kommune, _rows, charts in sections(prepared_stats(stats, official), official, municipalities):
        for chart in charts:
            yield chart.file_name, chart_figure(chart)


def iter_pdf_pages(
    stats: pd.DataFrame,
    documents: pd.DataFrame,
    official: pd.DataFrame | None = None,
    *,
    generated_at: datetime,
) -> Iterator[Figure]:
    """A4 portrait pages: the overview, a section per kommune (its charts, then its statistics with
    their sources, starting under the last chart) and the appendix of warnings, quarantined statistics
    and rejected documents."""
    prepared = prepared_stats(stats, official)
    numbers = count(1)
    for blocks in paginate(overview_blocks(prepared, documents, generated_at)):
        yield draw_page(blocks, page_number=next(numbers))
    for kommune, rows, charts in sections(prepared, official):
        yield from _section_pages(kommune, rows, charts, numbers)
    for blocks in paginate(appendix_blocks(prepared, documents)):
        yield draw_page(blocks, page_number=next(numbers))


def _section_pages(
    kommune: str,
    rows: pd.DataFrame,
    charts: list[Chart],
    numbers: Iterator[int],
) -> Iterator[Figure]:
    groups = list(pack(charts))
    for i, group in enumerate(groups):
        title, subtitle = (kommune, kommune_summary(kommune, rows)) if i == 0 else ("", "")
        fig, filled = chart_page(group, page_number=next(numbers), title=title, subtitle=subtitle)
        if i < len(groups) - 1:
            yield fig
            continue
        # The statistics table starts under the last chart, unless that would split a table that fits
        # on a page of its own.
        top = filled + 0.15
        blocks = statistics_blocks(kommune, rows)
        room, need = capacity_below(top), sum(block.height for block in blocks)
        flow = paginate(blocks, first=room if need <= room or need > CAPACITY else 0.0)
        with styled():
            draw_blocks(fig, next(flow, []), top_in=top)
        yield fig
        for blocks in flow:
            yield draw_page(blocks, page_number=next(numbers))
