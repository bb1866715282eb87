"""Charts as figures: one standalone figure per PNG, and A4 pages holding a kommune's charts.

The PDF draws its charts afresh rather than showing the PNGs: vector charts stay sharp in print, and
matplotlib's PDF writer keeps every embedded image in memory until the file is closed, which for some
600 charts would not stay bounded."""

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

PNG_WIDTH_IN, PNG_DPI = 8.0, 150  # 1200 px wide
PAGE_SCALE = 0.68  # charts on paper are shorter than the PNGs, so three fit on a page
# Room for '100 %' and the axis label: the usual left margin, so charts shown above each other line up.
ALIGNED_LEFT_IN = 0.95
SECTION_HEADER_IN = 0.7  # the kommune's name and summary above its first chart


def chart_figure(chart: Chart) -> Figure:
    """The standalone figure of one chart, PNG_WIDTH_IN wide at PNG_DPI."""
    size = (PNG_WIDTH_IN, chart.height)
    box = (0.0, 0.0, *size)
    with styled():
        fig = Figure(figsize=size, dpi=PNG_DPI)
        ax = fig.add_axes(first_guess(box, size))
        chart.draw(ax)
        place(ax, box, left=max(margins(ax)[0], ALIGNED_LEFT_IN))
    return fig


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


def chart_page(
    charts: list[Chart],
    *,
    page_number: int,
    title: str = "",
    subtitle: str = "",
) -> tuple[Figure, float]:
    """An A4 page of charts stacked at their natural heights, under the kommune's name on its first page.
    Returns the page and how far down (inches from the top) it is filled."""
    with styled():
        fig = Figure(figsize=A4)
        running_titles(fig, page_number)
        top = A4[1] - MARGIN_TOP
        if title:
            _section_header(fig, top, title, subtitle)
            top -= SECTION_HEADER_IN
        top = _draw_charts(fig, charts, top)
    return fig, A4[1] - top


def _section_header(fig: Figure, top: float, title: str, subtitle: str) -> None:
    x = MARGIN_LEFT / A4[0]
    fig.text(x, top / A4[1], title, fontsize=15, fontweight="bold", va="top")
    for i, line in enumerate(wrap(subtitle, 1.0, 8.0, max_lines=2)):
        fig.text(x, (top - 0.34 - 0.15 * i) / A4[1], line, fontsize=8, color="#444444", va="top")


def _draw_charts(fig: Figure, charts: list[Chart], top: float) -> float:
    placed = []
    for chart in charts:
        height = chart.height * PAGE_SCALE
        # The box spans more than the text width: the y tick labels may reach into the margin.
        box = (MARGIN_LEFT * 0.4, top - height, A4[0] - MARGIN_LEFT * 0.4 - MARGIN_RIGHT * 0.6, height)
        ax = fig.add_axes(first_guess(box, A4))
        chart.draw(ax)
        placed.append((ax, box))
        top -= height
    left = max((margins(ax)[0] for ax, _box in placed), default=0.0)  # charts on a page line up
    for ax, box in placed:
        place(ax, box, left=left)
    return top
