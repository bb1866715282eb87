"""The parts the charts share: colours, the rows a chart may draw, markers, stacks and source lines."""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.container import BarContainer
from matplotlib.patches import Patch
from matplotlib.ticker import FuncFormatter

from reports.danish import fmt_count, fmt_date, fmt_pct, period_label, scope_name
from reports.frames import DOCUMENT, OFFICIAL, drawable, only_one, prepare, to_float
from reports.textwidth import width_pt, wrap_to

KOMMUNE_COLOR = "#2f6690"
OTHER_COLOR = "#b7c7d9"
NATIONAL_COLOR = "#1b1b1b"
OUTCOMES = (  # (count column, share column, label, colour): colour-blind safe; agreeing is the calm blue
    ("stadfaestet", "stadfaestet_pct", "Stadfæstet", "#9cc3e0"),
    ("hjemvist", "hjemvist_pct", "Hjemvist", "#f2a03d"),
    ("aendret", "aendret_pct", "Ændret/ophævet", "#c0392b"),
    ("afvist", None, "Afvist", "#a5a5a5"),
)
NATIONAL_SOURCE_TEXT = {
    DOCUMENT: "oplyst i referatet",
    OFFICIAL: "Ankestyrelsen/Social- og Boligministeriet (officiel)",
}
NATIONAL_LEGEND = {
    DOCUMENT: "Landsgennemsnit (oplyst i referatet)",
    OFFICIAL: "Landsgennemsnit (officielt tal)",
}
WARNING_NOTE = "* og skravering: advarsel ved validering – se bilaget i rapporten."
PCT_AXIS = FuncFormatter(lambda value, _pos: fmt_pct(value, decimals=0))
FOOTNOTE_SIZE = 7.5
LEGEND_SIZE = 8.0


def series_rows(frame: pd.DataFrame, official: pd.DataFrame | None) -> tuple[pd.DataFrame, str, str]:
    """Drawable rows of one kommune's one series, with the kommune and the Danish scope name."""
    rows = drawable(prepare(frame, official))
    if rows.empty:
        raise ValueError("no statistics to draw (all quarantined or none given)")
    kommune = only_one(rows, "municipality", "kommune")
    only_one(rows, "series", "scope")
    first = rows.iloc[0]
    return rows, kommune, scope_name(first["scope"], first["area_label"])


def star(row) -> str:
    return "*" if row.status == "warning" else ""


def computed_note(rows: pd.DataFrame) -> str:
    """Name the periods whose rate the referat does not state, so the bar is ankestat's own arithmetic."""
    computed = [period_label(p) for p in rows.loc[~rows["rate_is_reported"].astype(bool), "period"]]
    if not computed:
        return ""
    return f"Omgørelsesprocent beregnet ud fra antal (ikke oplyst i procent): {', '.join(computed)}."


def warning_note(rows: pd.DataFrame) -> str:
    return WARNING_NOTE if (rows["status"] == "warning").any() else ""


def hatch_warnings(bars, rows: pd.DataFrame) -> None:
    """Hatch the bars of warning rows, in a colour that shows on the bar's own colour."""
    for bar, status in zip(bars, rows["status"], strict=True):
        if status == "warning":
            red, green, blue, _alpha = bar.get_facecolor()
            dark = 0.299 * red + 0.587 * green + 0.114 * blue < 0.5
            if bar.get_edgecolor()[3] == 0:
                bar.set_linewidth(0)  # a bar drawn without an outline keeps none; only its hatch shows
            bar.set_hatch("///")
            # Hatches take the edge colour (matplotlib 3.10 has no separate hatch colour).
            bar.set_edgecolor("#f2f2f2" if dark else "#444444")


def footnote(ax: Axes, lines: list[str]) -> None:
    """Source lines under the x-axis label, wrapped to the axes' width."""
    # The note may run past the axes' right edge into the figure's right margin, not further.
    width_pt = ax.figure.get_figwidth() * (1 - ax.get_position().x0) * 72 - 24
    text = "\n".join("\n".join(wrap_to(line, width_pt, FOOTNOTE_SIZE)) for line in lines if line)
    ax.annotate(
        text,
        xy=(0, 0),
        xycoords=("axes fraction", ax.xaxis.label),
        xytext=(0, -4),
        textcoords="offset points",
        ha="left",
        va="top",
        fontsize=FOOTNOTE_SIZE,
        color="#444444",
        gid="footnote",
    )


def legend_columns(labels: list[str], width_in: float) -> int:
    """As many legend entries per row as fit across ``width_in``."""
    entry_widths = [(width_pt(label, LEGEND_SIZE) + 40) / 72 for label in labels]  # + handle and gap
    columns = len(labels)
    while columns > 1 and sum(sorted(entry_widths)[-columns:]) > width_in:
        columns -= 1
    return max(columns, 1)


def _plain(handle):
    """A legend key without the warning hatch the first bar may carry."""
    if not isinstance(handle, BarContainer) or not handle.patches:
        return handle
    first = handle.patches[0]
    if not first.get_fill():
        return Patch(fill=False, edgecolor=first.get_edgecolor(), linestyle=first.get_linestyle())
    return Patch(facecolor=first.get_facecolor(), edgecolor="white")


def title_and_legend(ax: Axes, title: str, *, first: str = "") -> None:
    """A left-aligned title with the legend in rows under it, above the plot, so the legend never hides
    a bar and needs no room beside the chart. ``first`` moves that entry to the front."""
    handles, labels = ax.get_legend_handles_labels()
    handles = [_plain(handle) for handle in handles]
    order = sorted(range(len(labels)), key=lambda i: labels[i] != first)
    rows = 0
    if labels:
        columns = legend_columns(labels, ax.figure.get_figwidth() * 0.85)
        rows = -(-len(labels) // columns)
        ax.legend(
            [handles[i] for i in order],
            [labels[i] for i in order],
            loc="lower left",
            bbox_to_anchor=(0, 1.0),
            ncols=columns,
            frameon=False,
            fontsize=LEGEND_SIZE,
            borderaxespad=0.3,
            handlelength=1.8,
            columnspacing=1.4,
        )
    ax.set_title(title, loc="left", pad=6 + rows * LEGEND_SIZE * 1.7, fontweight="bold")


def say_empty(ax: Axes, message: str) -> None:
    ax.text(0.5, 0.5, message, transform=ax.transAxes, ha="center", va="center", color="#666666")


def source_line(rows: pd.DataFrame) -> str:
    """'Kilde: referat fra Beskæftigelsesudvalget, 17. maj 2022.' (or how many referater)."""
    meetings = rows[["committee", "meeting_date"]].drop_duplicates()
    if len(meetings) == 1:
        committee, day = meetings.iloc[0]
        name = committee if isinstance(committee, str) and committee else "udvalg"
        return f"Kilde: referat fra {name}, {fmt_date(day)}."
    return f"Kilde: {len(meetings)} referater ({len(rows['document'].unique())} dokumenter)."


def national_line(rows: pd.DataFrame) -> str:
    """Where each drawn national average comes from; says so when there is none."""
    periods = {
        src: [period_label(p) for p in rows.loc[rows["national_source"] == src, "period"]]
        for src in (DOCUMENT, OFFICIAL)
    }
    used = [src for src in (DOCUMENT, OFFICIAL) if periods[src]]
    if not used:
        return "Landsgennemsnit: ikke oplyst for samme område og periode – derfor ingen markering."
    parts = [
        NATIONAL_SOURCE_TEXT[src] + (f" ({', '.join(periods[src])})" if len(used) > 1 else "") for src in used
    ]
    text = "Landsgennemsnit: " + "; ".join(parts) + "."
    missing = [period_label(p) for p in rows.loc[rows["national_pct"].isna(), "period"]]
    if missing:
        text += f" Intet landsgennemsnit for samme område og periode: {', '.join(missing)}."
    for row in rows[rows["national_others"] != ""].itertuples():
        others = ", ".join(fmt_pct(float(v)) for v in row.national_others.split(";"))
        text += (
            f" Officielle kilder angiver også {others} for {period_label(row.period)};"
            f" den mest præcise værdi, {fmt_pct(row.national_pct)}, er vist."
        )
    return text


def national_markers(ax: Axes, rows: pd.DataFrame, half_width: float = 0.36) -> None:
    """A short black line per period at the national average (dashed when official), value to its right."""
    labelled = set()
    for x, row in enumerate(rows.itertuples()):
        if np.isnan(row.national_pct):
            continue
        source = row.national_source
        label = NATIONAL_LEGEND[source] if source not in labelled else "_nolegend_"
        labelled.add(source)
        ax.plot(
            [x - half_width, x + half_width],
            [row.national_pct] * 2,
            color=NATIONAL_COLOR,
            lw=2.5,
            ls="-" if source == DOCUMENT else (0, (2, 1)),
            solid_capstyle="butt",
            gid=f"national:{row.period}",
            label=label,
            zorder=3,
        )
        ax.annotate(
            fmt_pct(row.national_pct),
            xy=(x + half_width, row.national_pct),
            xytext=(2, 0),
            textcoords="offset points",
            va="center",
            fontsize=7.5,
            color=NATIONAL_COLOR,
        )


def bar_value_labels(ax: Axes, rows: pd.DataFrame) -> None:
    """The rate above each bar; lifted above the national marker when the two would touch."""
    for x, row in enumerate(rows.itertuples()):
        y = row.rate_pct
        if not np.isnan(row.national_pct) and row.rate_pct - 4 < row.national_pct < row.rate_pct + 8:
            y = max(row.rate_pct, row.national_pct)
        ax.annotate(
            fmt_pct(row.rate_pct) + star(row),
            xy=(x, y),
            xytext=(0, 4),
            textcoords="offset points",
            ha="center",
            va="bottom",
            fontsize=8,
        )


def outcome_columns(mode: str) -> list[str]:
    """The outcome columns a mode draws: counts (with afvist) or the stated shares."""
    if mode == "counts":
        return [count for count, _s, _l, _c in OUTCOMES]
    return [share for _c, share, _l, _k in OUTCOMES if share]


def outcome_mode(rows: pd.DataFrame) -> str | None:
    """'counts' unless some rows state only shares and all state shares; None when nothing is stated."""
    counts = rows[outcome_columns("counts")].notna().any(axis=1)
    shares = rows[outcome_columns("shares")].notna().any(axis=1)
    informative = counts | shares
    if not informative.any():
        return None
    if counts[informative].all() or not shares[informative].all():
        return "counts"
    return "shares"


def stack(ax: Axes, position: np.ndarray, rows: pd.DataFrame, mode: str, *, horizontal: bool = False) -> None:
    """Stacked outcome bars. An outcome the text does not state is left out, never drawn as 0."""
    base = np.zeros(len(rows))
    placed_labels = []
    bar = ax.barh if horizontal else ax.bar
    for count, share, label, colour in OUTCOMES:
        column = count if mode == "counts" else share
        if column is None or rows[column].isna().all():
            continue
        values = to_float(rows[column])
        sizes = np.nan_to_num(values)
        placed = bar(
            position, sizes, 0.6, base, color=colour, label=label, zorder=2, edgecolor="white", lw=0.5
        )
        hatch_warnings(placed, rows)
        texts = [fmt_count(v) if mode == "counts" else fmt_pct(v) for v in values]
        placed_labels.append((placed, texts, sizes))
        base += sizes
    # A number only fits inside a segment of some size; tiny segments are read off the axis instead.
    tallest = max(base.max(initial=0), np.nanmax(to_float(rows["decided"]), initial=0))
    room = 0.045 * tallest
    for placed, texts, sizes in placed_labels:
        ax.bar_label(
            placed,
            [t if s > room else "" for t, s in zip(texts, sizes, strict=True)],
            label_type="center",
            fontsize=7.5,
        )


def outline_decided(ax: Axes, position: np.ndarray, rows: pd.DataFrame, *, horizontal: bool = False) -> None:
    """A dashed frame up to the decided total where the stated outcomes do not add up to it."""
    stated = np.nansum(np.column_stack([to_float(rows[c]) for c in outcome_columns("counts")]), axis=1)
    decided = to_float(rows["decided"])
    gap = np.nan_to_num(decided) > stated
    if not gap.any():
        return
    bar = ax.barh if horizontal else ax.bar
    bar(
        position[gap],
        decided[gap],
        0.6,
        fill=False,
        edgecolor="#777777",
        ls="--",
        lw=0.8,
        zorder=1,
        label="Afgjort i alt (ikke fuldt fordelt)",
    )


def biggest(rows: pd.DataFrame, columns: list[str]) -> float:
    """The largest stack or total among rows, for an axis limit."""
    stacked = np.nansum(np.column_stack([to_float(rows[c]) for c in columns]), axis=1)
    decided = np.nan_to_num(to_float(rows["decided"])) if "decided" in rows else stacked
    return float(max(stacked.max(initial=0), decided.max(initial=0)))
