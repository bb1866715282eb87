"""The report's two charts, drawn with matplotlib onto a figure the caller owns (no pyplot, no files).

- ``draw_series``: a kommune's rate over the periods, one panel per area, against the national rate of the
  same area (Ankestyrelsen's Talportal shows it so), the number of cases beside every point;
- ``draw_ranking``: every kommune with a figure for an area and year, ordered by rate, with the national line.

Every rate axis runs 0–100 % in steps of 20, so two charts of the same quantity read alike. What a chart
shows is given as plain data (``Panel``, ``Ranking``): the same data draws the same picture, so a chart's
file can be reused while its data hash is unchanged.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.ticker import FixedLocator, FuncFormatter
from matplotlib.transforms import offset_copy

from reports.danish import fmt_count, fmt_pct, shorten

KOMMUNE_COLOR = "#2f6690"
FEW_COLOR = "#9a9a9a"
NATIONAL_COLOR = "#c0392b"
GRID_COLOR = "#e3e3e3"
RATE_TICKS = [0, 20, 40, 60, 80, 100]
PCT_AXIS = FuncFormatter(lambda value, _pos: fmt_pct(value, decimals=0))
WIDTH_IN = 6.7  # the report's text width (A4 less 2 × 2 cm margins)
PANEL_HEIGHT_IN = 2.05
# A point's label, in rate points at the panel's height: its offset from the point and its height.
LABEL_OFFSET = 4.5
LABEL_HEIGHT = 7.5
HALF_WIDTH_POINTS = 5  # periods a half-width panel has room for; more get the full width
TITLE_CHARS = 42  # characters of a half-width panel's title (DejaVu Sans 8.5 pt; more runs into the next panel)
FEW_NOTE = "Lys søjle: under 20 realitetsbehandlede sager – tallet er usikkert."
SERIES_FEW_NOTE = "Hul markør: under 20 realitetsbehandlede sager – tallet er usikkert."
# A series chart fits a page under its heading: many panels one under the other get lower, down to a floor.
MAX_SERIES_HEIGHT_IN = 9.0
MIN_PANEL_HEIGHT_IN = 1.2
SERIES_TOP_IN = 0.32
SERIES_BOTTOM_IN = 0.62  # the last panel's period and n lines, then the legend and the note below them
SERIES_MARGINS_IN = SERIES_TOP_IN + SERIES_BOTTOM_IN
WARN_NOTE = "Skravering/*: advarsel eller modstridende kilder – se bilaget."


@dataclass(frozen=True)
class Point:
    period: str  # Danish label, e.g. '2021' or '3. kvt. 2021'
    rate: float
    n: float | None  # cases behind the rate; None when no count is stated
    few: bool
    flagged: bool  # a warning or a conflict


@dataclass(frozen=True)
class Panel:
    title: str
    points: tuple[Point, ...]
    national: tuple[float | None, ...]  # per point: the national rate of the same period and area


@dataclass(frozen=True)
class Ranking:
    title: str
    labels: tuple[str, ...]  # 'Rødovre (175)'
    points: tuple[Point, ...]
    national: float | None
    national_label: str


def case_label(n: float | None) -> str:
    return "n ukendt" if n is None or math.isnan(n) else f"n = {fmt_count(n)}"


def _rate_axis(ax, *, vertical: bool = True) -> None:
    axis = ax.yaxis if vertical else ax.xaxis
    (ax.set_ylim if vertical else ax.set_xlim)(0, 100)
    axis.set_major_locator(FixedLocator(RATE_TICKS))
    axis.set_major_formatter(PCT_AXIS)
    axis.grid(True, color=GRID_COLOR, linewidth=0.6)
    ax.set_axisbelow(True)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    ax.tick_params(labelsize=7.5, length=2)


def _plain_axes(ax, period_labels: list[str], *, fontsize: float) -> None:
    """A panel's 0–100 % axis and its period labels as plain text and one set of grid lines, with
    matplotlib's axis machinery switched off: its tick objects and their bounding boxes, worked out again
    at every drawing, were half the cost of a chart (the report draws ~100 at a time). Looks as
    ``_rate_axis`` (the rankings' axis) without its 2-point tick marks."""
    ax.set_ylim(0, 100)
    ax.xaxis.set_visible(False)
    ax.yaxis.set_visible(False)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    rate_at = ax.get_yaxis_transform()  # x in axes fractions, y in data
    ax.hlines(RATE_TICKS, 0, 1, transform=rate_at, color=GRID_COLOR, linewidth=0.6, zorder=0.5)
    left_of_axis = offset_copy(rate_at, fig=ax.figure, x=-5.5, units="points")
    for value in RATE_TICKS:
        ax.text(0, value, fmt_pct(value, decimals=0), transform=left_of_axis, ha="right", va="center", fontsize=7.5)
    under_axis = offset_copy(ax.get_xaxis_transform(), fig=ax.figure, y=-5.5, units="points")
    for xi, label in enumerate(period_labels):
        ax.text(xi, 0, label, transform=under_axis, ha="center", va="top", fontsize=fontsize, multialignment="center")


def series_columns(panels: list[Panel]) -> int:
    """Two panels side by side, unless there is one, or a panel has so many periods that its case counts
    would run together at half the width."""
    return 1 if len(panels) == 1 or max(len(p.points) for p in panels) > HALF_WIDTH_POINTS else 2


def series_figure_size(panels: list[Panel]) -> tuple[float, float]:
    rows = math.ceil(len(panels) / series_columns(panels))
    panel = max(MIN_PANEL_HEIGHT_IN, min(PANEL_HEIGHT_IN, (MAX_SERIES_HEIGHT_IN - SERIES_MARGINS_IN) / rows))
    return WIDTH_IN, rows * panel + SERIES_MARGINS_IN



def series_layout(panels: list[Panel]) -> tuple[int, int, int]:
    """Panels, columns and rows: charts with the same layout can be drawn on the same figure."""
    columns = series_columns(panels)
    return len(panels), columns, math.ceil(len(panels) / columns)


def draw_series(fig: Figure, panels: list[Panel]) -> None:
    """One panel per area; the national rate as a dashed line with hollow diamonds. ``fig`` is new, or
    holds a series chart of the same ``series_layout`` whose panels are drawn anew: making a panel's axes
    costs ~12 ms, a third of drawing it, and a report draws ~100 charts of a few layouts."""
    count, columns, rows = series_layout(panels)
    if fig.axes:
        assert len(fig.axes) == count, "draw_series on a figure of another layout"
        for ax in fig.axes:
            for artist in [*ax.lines, *ax.texts, *ax.collections]:
                artist.remove()
    else:
        for i in range(count):  # only the cells with a panel
            fig.add_subplot(rows, columns, i + 1)
        handles = [
            Line2D([], [], marker="o", color=KOMMUNE_COLOR, label="Kommunen"),
            Line2D([], [], marker="D", linestyle="--", color=NATIONAL_COLOR, markerfacecolor="white",
                   label="Landsplan"),
        ]
        fig.legend(handles=handles, loc="lower left", ncols=2, fontsize=7.5, frameon=False, bbox_to_anchor=(0, 0))
        fig.text(0.99, 0.012, SERIES_FEW_NOTE, ha="right", va="bottom", fontsize=6.5, color="#555555")
        fig.subplots_adjust(left=0.08, right=0.98, top=1 - SERIES_TOP_IN / fig.get_figheight(),
                            bottom=SERIES_BOTTOM_IN / fig.get_figheight(), hspace=0.62, wspace=0.18)
    for ax, panel in zip(fig.axes, panels, strict=True):
        _draw_panel(ax, panel, title_chars=TITLE_CHARS * (3 - columns))


def label_above(rate: float, national: float | None, neighbours: tuple[float, ...] = ()) -> bool:
    """Whether a point's label goes above it: on the side where it fits inside 0–100 % and the national
    line does not run through it; between two such sides, the one the kommune's own line leaves free (above
    a peak, below a dip), else the side away from the national line."""
    def clear(low: float, high: float) -> bool:
        return 0 <= low and high <= 100 and (national is None or not low - 1.5 <= national <= high + 1.5)

    above = (rate + LABEL_OFFSET, rate + LABEL_OFFSET + LABEL_HEIGHT)
    below = (rate - LABEL_OFFSET - LABEL_HEIGHT, rate - LABEL_OFFSET)
    if clear(*above) != clear(*below):
        return clear(*above)
    if clear(*above):  # both clear
        if neighbours and all(n <= rate for n in neighbours):
            return True
        if neighbours and all(n >= rate for n in neighbours):
            return False
        return national is None or rate >= national
    # Neither is clear: the side whose far end is farther from the line, if it fits.
    if national is None:
        return above[1] <= 100
    return above[1] <= 100 and (below[0] < 0 or abs(above[1] - national) >= abs(below[0] - national))


def panel_title(title: str, limit: int) -> str:
    """A panel's title within ``limit`` characters; the kind of period after it ("(kvartaler)") is kept whole:
    'Social- og beskæftigelsesområdet… (kvartaler)'."""
    head, bracket, kind = title.rpartition(" (")
    if not bracket or not kind.endswith(")") or len(title) <= limit:
        return shorten(title, limit)
    return f"{shorten(head, limit - len(kind) - 2)} ({kind}"


def _draw_panel(ax, panel: Panel, *, title_chars: int) -> None:
    x = list(range(len(panel.points)))
    rates = [p.rate for p in panel.points]
    national = [math.nan if v is None else v for v in panel.national]
    ax.plot(x, national, "D--", color=NATIONAL_COLOR, markerfacecolor="white", markersize=4, linewidth=1)
    ax.plot(x, rates, "-", color=KOMMUNE_COLOR, linewidth=1.6)
    for few in (False, True):
        xs = [xi for xi, p in zip(x, panel.points, strict=True) if p.few == few]
        ax.plot(xs, [rates[xi] for xi in xs], "o", markersize=5, color=KOMMUNE_COLOR, markeredgewidth=1.3,
                markerfacecolor="white" if few else KOMMUNE_COLOR, linestyle="none")
    for xi, point, nat in zip(x, panel.points, panel.national, strict=True):
        neighbours = tuple(rates[i] for i in (xi - 1, xi + 1) if 0 <= i < len(rates))
        above = label_above(point.rate, nat, neighbours)
        ax.annotate(f"{fmt_pct(point.rate)}{'*' if point.flagged else ''}", (xi, point.rate),
                    xytext=(0, 4 if above else -4), textcoords="offset points", ha="center",
                    va="bottom" if above else "top", fontsize=6.5, color=FEW_COLOR if point.few else KOMMUNE_COLOR)
    ax.set_xlim(-0.6, max(len(x) - 0.4, 0.6))
    # The number of cases under each period: beside every rate, never in the way of a line.
    _plain_axes(ax, [f"{p.period}\n{case_label(p.n)}" for p in panel.points],
                fontsize=6.5 if len(x) <= HALF_WIDTH_POINTS * 2 else 5.5)
    # y given: matplotlib then skips finding the room above the axes at every draw (~40 ms a chart).
    ax.set_title(panel_title(panel.title, title_chars), fontsize=8.5, loc="left", pad=4, y=1.0)


def ranking_figure_size(n: int) -> tuple[float, float]:
    return WIDTH_IN, min(1.1 + 0.118 * max(n, 3), 9.2)  # 9.2 in: fits under the page's heading


def draw_ranking(fig: Figure, ranking: Ranking) -> None:
    """Horizontal bars, highest rate on top; the value and its n in a column right of the plot, so neither
    the national line nor a bar ever covers them."""
    ax = fig.add_subplot()
    n = len(ranking.points)
    y = list(range(n))[::-1]
    size = 6.5 if n <= 60 else 5.4
    bars = ax.barh(y, [p.rate for p in ranking.points], height=0.72, edgecolor="white", linewidth=0,
                   color=[FEW_COLOR if p.few else KOMMUNE_COLOR for p in ranking.points])
    for bar, point in zip(bars, ranking.points, strict=True):
        if point.flagged:
            bar.set_hatch("////")
    if ranking.national is not None:
        ax.axvline(ranking.national, color=NATIONAL_COLOR, linestyle="--", linewidth=1.1)
        ax.annotate(ranking.national_label, (ranking.national, 1), xycoords=("data", "axes fraction"),
                    xytext=(3, 2), textcoords="offset points", fontsize=7, color=NATIONAL_COLOR,
                    va="bottom")
    _rate_axis(ax, vertical=False)
    ax.set_yticks(y, ranking.labels)
    ax.tick_params(axis="y", labelsize=size)
    ax.set_ylim(-0.6, n - 0.4)
    ax.yaxis.grid(False)
    values = [f"{fmt_pct(p.rate)}{'*' if p.flagged else ''} ({case_label(p.n)})" for p in ranking.points]
    right = ax.secondary_yaxis("right")
    right.set_yticks(y, values, fontsize=size)
    right.tick_params(length=0)
    right.spines["right"].set_visible(False)
    fig.text(0.01, 1 - 0.08 / fig.get_figheight(), ranking.title, fontsize=9, va="top")
    fig.text(0.01, 0.005, f"{FEW_NOTE} {WARN_NOTE}", fontsize=6, color="#555555", va="bottom")
    height = fig.get_figheight()
    fig.subplots_adjust(left=0.2, right=0.8, top=1 - 0.5 / height, bottom=0.42 / height)
