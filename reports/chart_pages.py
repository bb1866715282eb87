"""A4 pages holding a kommune's charts stacked at their natural heights, and where each chart sits.

The PDF draws its charts as vectors, so they stay sharp in print. The PNG of a chart is cut from its
page (``chart_slots`` says where), so each chart is drawn once and the PNG is exactly the chart in the
report."""

from __future__ import annotations

from collections.abc import Iterator

from matplotlib.figure import Figure

from reports.layout import (
    A4,
    MARGIN_LEFT,
    MARGIN_RIGHT,
    MARGIN_TOP,
    TEXT_HEIGHT,
    running_titles,
    styled,
    wrap,
)
from reports.placement import first_guess, margins, place
from reports.plan import Chart

PAGE_SCALE = 0.68  # a chart's height on paper, as a share of its planned height: three fit on a page
SECTION_HEADER_IN = 0.7  # the kommune's name and summary above its first chart


def pack(charts: list[Chart]) -> Iterator[list[Chart]]:
    """Charts in page-sized groups, in order; the first page also holds the section header."""
    page: list[Chart] = []
    used, limit = 0.0, TEXT_HEIGHT - SECTION_HEADER_IN
    for chart in charts:
        height = chart.height * PAGE_SCALE
        if page and used + height > limit:
            yield page
            page, used, limit = [], 0.0, TEXT_HEIGHT
        page.append(chart)
        used += height
    yield page  # may be empty: a kommune without charts still gets its header


def chart_slots(charts: list[Chart], *, with_title: bool) -> list[tuple[Chart, float, float]]:
    """(chart, top, height) in inches from the page's top edge, for charts stacked under the title."""
    top = MARGIN_TOP + (SECTION_HEADER_IN if with_title else 0.0)
    slots = []
    for chart in charts:
        height = chart.height * PAGE_SCALE
        slots.append((chart, top, height))
        top += height
    return slots


def charts_end(charts: list[Chart], *, with_title: bool) -> float:
    """How far down the page (inches from the top) the charts, or the title above them, reach."""
    slots = chart_slots(charts, with_title=with_title)
    if not slots:
        return MARGIN_TOP + (SECTION_HEADER_IN if with_title else 0.0)
    _chart, top, height = slots[-1]
    return top + height


def chart_page(charts: list[Chart], *, page_number: int, title: str = "", subtitle: str = "") -> Figure:
    """An A4 page of charts in their ``chart_slots``, under the kommune's name on its first page."""
    with styled():
        fig = Figure(figsize=A4)
        running_titles(fig, page_number)
        if title:
            _section_header(fig, A4[1] - MARGIN_TOP, title, subtitle)
        _draw_charts(fig, chart_slots(charts, with_title=bool(title)))
    return fig


def _section_header(fig: Figure, top: float, title: str, subtitle: str) -> None:
    x = MARGIN_LEFT / A4[0]
    fig.text(x, top / A4[1], title, fontsize=15, fontweight="bold", va="top")
    for i, line in enumerate(wrap(subtitle, 1.0, 8.0, max_lines=2)):
        fig.text(x, (top - 0.34 - 0.15 * i) / A4[1], line, fontsize=8, color="#444444", va="top")


def _draw_charts(fig: Figure, slots: list[tuple[Chart, float, float]]) -> None:
    placed = []
    for chart, top, height in slots:
        # The box spans more than the text width: the y tick labels may reach into the margin.
        bottom = A4[1] - top - height
        box = (MARGIN_LEFT * 0.4, bottom, A4[0] - MARGIN_LEFT * 0.4 - MARGIN_RIGHT * 0.6, height)
        ax = fig.add_axes(first_guess(box, A4))
        chart.draw(ax)
        placed.append((ax, box))
    left = max((margins(ax)[0] for ax, _box in placed), default=0.0)  # charts on a page line up
    for ax, box in placed:
        place(ax, box, left=left)
