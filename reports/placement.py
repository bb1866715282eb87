"""Axes placed from an estimate of their decorations instead of by a layout engine.

Matplotlib's constrained layout measures every text by rendering it, which took about as long as
drawing the chart itself; a report on 100 kommuner draws over a thousand charts. The charts follow
fixed conventions (a left title with the legend under it, a footnote under the x label), so counting
lines and characters is enough to leave room for everything.
"""

from __future__ import annotations

from matplotlib.axes import Axes

from reports.chartkit import FOOTNOTE_SIZE, LEGEND_SIZE, legend_columns
from reports.textwidth import width_pt

TITLE_PT = 10.5
TICK_PT = 9.0
LABEL_PT = 9.0
RIGHT_IN = 0.3  # the value printed past the last bar or marker


def _title_lines(ax: Axes) -> int:
    title = ax.get_title(loc="left") or ax.get_title()
    return title.count("\n") + 1 if title else 0


def _legend_rows(ax: Axes) -> int:
    legend = ax.get_legend()
    if legend is None:
        return 0
    labels = [text.get_text() for text in legend.get_texts()]
    return -(-len(labels) // legend_columns(labels, ax.figure.get_figwidth() * 0.85))


def _footnote_lines(ax: Axes) -> int:
    notes = [text for text in ax.texts if text.get_gid() == "footnote"]
    return sum(note.get_text().count("\n") + 1 for note in notes)


def _tick_width_pt(ax: Axes) -> float:
    formatter = ax.yaxis.get_major_formatter()
    labels = formatter.format_ticks(list(ax.get_yticks()))
    # Measured as bold: the ranking sets its kommune in bold, and a little spare room costs nothing.
    return max((width_pt(label, TICK_PT, bold=True) for label in labels), default=0.0)


def margins(ax: Axes) -> tuple[float, float, float, float]:
    """(left, right, top, bottom) in inches that the axes' decorations need."""
    top = _title_lines(ax) * TITLE_PT * 1.25 + 6 + _legend_rows(ax) * LEGEND_SIZE * 1.7 + 8
    bottom = TICK_PT * 1.3 + 8 + (LABEL_PT * 1.3 + 4 if ax.get_xlabel() else 0)
    bottom += 6 + _footnote_lines(ax) * FOOTNOTE_SIZE * 1.22 + 6
    left = _tick_width_pt(ax) + 10 + (LABEL_PT * 1.3 + 6 if ax.get_ylabel() else 0) + 6
    return left / 72, RIGHT_IN, top / 72, bottom / 72


def place(ax: Axes, box: tuple[float, float, float, float], *, left: float | None = None) -> None:
    """Fit the axes and its decorations into ``box`` = (x, y, width, height) in inches from the figure's
    bottom left corner. ``left`` overrides the left margin, to line up charts above each other."""
    width, height = ax.figure.get_size_inches()
    x, y, w, h = box
    own_left, right, top, bottom = margins(ax)
    left = own_left if left is None else left
    inner_w, inner_h = max(w - left - right, 0.5), max(h - top - bottom, 0.5)
    ax.set_position(((x + left) / width, (y + bottom) / height, inner_w / width, inner_h / height))


def first_guess(box: tuple[float, float, float, float], fig_size: tuple[float, float]):
    """A position to draw into before ``place``: close enough that wrapped footnotes fit the final width."""
    width, height = fig_size
    x, y, w, h = box
    return ((x + 0.9) / width, (y + 0.9) / height, (w - 1.2) / width, (h - 1.6) / height)
