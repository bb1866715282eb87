"""The report as a list of planned pages, and each page drawn as a matplotlib Figure. Pure: frames in,
plans and Figures out.

Planning is cheap and decides everything a page shows, its number included, before anything is drawn.
So the pages can be drawn in any order and by several processes, and a chart's place on its page is
known (``chart_slots``), which is how its PNG is cut from the page.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime

import pandas as pd
from matplotlib.figure import Figure

from reports.appendix import appendix_blocks
from reports.chart_pages import chart_page, charts_end, pack
from reports.layout import CAPACITY, MARGIN_TOP, Block, capacity_below, draw_blocks, draw_page, paginate, styled
from reports.pages import kommune_summary, overview_blocks, statistics_blocks
from reports.plan import Chart, municipalities, prepared_stats, sections

__all__ = ["PagePlan", "draw", "iter_pdf_pages", "municipalities", "plan_pages"]


@dataclass(frozen=True)
class PagePlan:
    """One A4 page: its charts (under the section's title on a kommune's first page), then text blocks
    from ``text_top`` inches below the page's top edge."""

    number: int
    charts: tuple[Chart, ...] = ()
    title: str = ""
    subtitle: str = ""
    blocks: tuple[Block, ...] = ()
    text_top: float = MARGIN_TOP


def plan_pages(
    stats: pd.DataFrame,
    documents: pd.DataFrame,
    official: pd.DataFrame | None = None,
    *,
    generated_at: datetime,
) -> list[PagePlan]:
    """A4 portrait pages: the overview, a section per kommune (its charts, then its statistics with
    their sources, starting under the last chart) and the appendix of warnings, quarantined statistics
    and rejected documents."""
    prepared = prepared_stats(stats, official)
    pages: list[PagePlan] = []
    for blocks in paginate(overview_blocks(prepared, documents, generated_at)):
        pages.append(PagePlan(len(pages) + 1, blocks=tuple(blocks)))
    for kommune, rows, charts in sections(prepared, official):
        pages.extend(_section_pages(kommune, rows, charts, first_number=len(pages) + 1))
    for blocks in paginate(appendix_blocks(prepared, documents)):
        pages.append(PagePlan(len(pages) + 1, blocks=tuple(blocks)))
    return pages


def draw(page: PagePlan) -> Figure:
    """The page as a Figure, to be saved and let go before the next is drawn."""
    if not page.charts and not page.title:
        return draw_page(list(page.blocks), page_number=page.number)
    fig = chart_page(list(page.charts), page_number=page.number, title=page.title, subtitle=page.subtitle)
    with styled():
        draw_blocks(fig, list(page.blocks), top_in=page.text_top)
    return fig


def iter_pdf_pages(
    stats: pd.DataFrame,
    documents: pd.DataFrame,
    official: pd.DataFrame | None = None,
    *,
    generated_at: datetime,
) -> Iterator[Figure]:
    """Every page drawn, in order; one Figure at a time, so a long report never holds them all."""
    for page in plan_pages(stats, documents, official, generated_at=generated_at):
        yield draw(page)


def _section_pages(kommune: str, rows: pd.DataFrame, charts: list[Chart], *, first_number: int) -> list[PagePlan]:
    groups = list(pack(charts))
    pages = [
        PagePlan(
            first_number + i,
            charts=tuple(group),
            title=kommune if i == 0 else "",
            subtitle=kommune_summary(kommune, rows) if i == 0 else "",
        )
        for i, group in enumerate(groups)
    ]
    # The statistics table starts under the last chart, unless that would split a table that fits on a
    # page of its own.
    last = pages[-1]
    top = charts_end(last.charts, with_title=bool(last.title)) + 0.15
    blocks = statistics_blocks(kommune, rows)
    room, need = capacity_below(top), sum(block.height for block in blocks)
    flow = paginate(blocks, first=room if need <= room or need > CAPACITY else 0.0)
    pages[-1] = PagePlan(last.number, last.charts, last.title, last.subtitle, tuple(next(flow, [])), top)
    for blocks in flow:
        pages.append(PagePlan(pages[-1].number + 1, blocks=tuple(blocks)))
    return pages
