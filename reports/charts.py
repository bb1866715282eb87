"""Charts: each ``plot_*(ax, frame, ...)`` draws on the axes it is given and nothing else.

Every chart leaves quarantined rows out, hatches and stars warning rows, and writes a source line under
the axes saying where its figures and national average come from. A frame holding several kommuner or
scopes is refused rather than drawn, so a figure is never set against another scope's average.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
from matplotlib.axes import Axes

from reports.chartkit import (
    KOMMUNE_COLOR,
    NATIONAL_COLOR,
    NATIONAL_LEGEND,
    OTHER_COLOR,
    PCT_AXIS,
    bar_value_labels,
    biggest,
    computed_note,
    footnote,
    hatch_warnings,
    national_line,
    national_markers,
    outcome_columns,
    outcome_mode,
    outline_decided,
    say_empty,
    series_rows,
    source_line,
    stack,
    star,
    title_and_legend,
    warning_note,
)
from reports.danish import fmt_count, fmt_pct, period_label, scope_name
from reports.frames import DOCUMENT, drawable, one_per, one_per_period, only_one, prepare, to_float

RATE_DEFINITION = "Omgørelsesprocent = (hjemvist + ændret) / (stadfæstet + hjemvist + ændret)."


def plot_rate(ax: Axes, frame: pd.DataFrame, *, official: pd.DataFrame | None = None) -> None:
    """Omgørelsesprocent per period for one kommune and scope, against the same scope's national average."""
    rows, kommune, scope = series_rows(frame, official)
    totals = one_per_period(rows[rows["is_total"] & rows["rate_pct"].notna()])
    ax.set_ylabel("Omgørelsesprocent")
    ax.set_xlabel("Periode")
    ax.set_ylim(0, 100)
    ax.yaxis.set_major_formatter(PCT_AXIS)
    if totals.empty:
        say_empty(ax, "Ingen omgørelsesprocent oplyst for området")
        title_and_legend(ax, f"Omgørelsesprocent – {kommune}\n{scope}")
        return
    x = np.arange(len(totals))
    bars = ax.bar(x, totals["rate_pct"], width=0.6, color=KOMMUNE_COLOR, label=kommune, zorder=2)
    hatch_warnings(bars, totals)
    bar_value_labels(ax, totals)
    national_markers(ax, totals)
    ax.set_xticks(x, [period_label(p) for p in totals["period"]])
    ax.set_xlim(-0.6, len(totals) - 0.25)  # room for the last national value's label
    ax.grid(axis="y", color="#e3e3e3", zorder=0)
    title_and_legend(ax, f"Omgørelsesprocent – {kommune}\n{scope}", first=kommune)
    footnote(ax, [source_line(totals), national_line(totals), computed_note(totals), warning_note(totals)])


def plot_outcomes(ax: Axes, frame: pd.DataFrame) -> None:
    """Stadfæstet / hjemvist / ændret (/ afvist) per period: counts, or shares where only shares are given."""
    rows, kommune, scope = series_rows(frame, None)
    totals = one_per_period(rows[rows["is_total"]])
    mode = outcome_mode(totals)
    ax.set_xlabel("Periode")
    ax.set_ylabel("Andel af afgørelserne" if mode == "shares" else "Antal afgørelser")
    title = f"Afgørelser fordelt på udfald – {kommune}\n{scope}"
    if mode is None:
        say_empty(ax, "Ingen fordeling på udfald oplyst")
        title_and_legend(ax, title)
        return
    shown = totals[totals[outcome_columns(mode)].notna().any(axis=1)]
    x = np.arange(len(shown))
    stack(ax, x, shown, mode)
    if mode == "counts":
        outline_decided(ax, x, shown)
        ax.set_ylim(0, biggest(shown, outcome_columns(mode)) * 1.1 or 1)
    else:
        ax.set_ylim(0, 100)
        ax.yaxis.set_major_formatter(PCT_AXIS)
    ax.set_xticks(x, [period_label(r.period) + star(r) for r in shown.itertuples()])
    ax.set_xlim(-0.6, len(shown) - 0.4)
    title_and_legend(ax, title)
    skipped = [period_label(p) for p in totals["period"] if p not in set(shown["period"])]
    footnote(
        ax,
        [
            source_line(shown),
            f"Ingen fordeling på udfald oplyst for {', '.join(skipped)}." if skipped else "",
            "Kun andele er oplyst i referatet, ikke antal." if mode == "shares" else "",
            warning_note(shown),
        ],
    )


def _paragraph_number(paragraphs: object) -> tuple[int, str]:
    """Sort '§ 32' before '§ 100'; numbers as numbers."""
    match = re.search(r"\d+", str(paragraphs))
    return (int(match.group()) if match else 10**6, str(paragraphs))


def plot_paragraphs(ax: Axes, frame: pd.DataFrame) -> None:
    """One kommune's one period broken down by paragraph: decided per paragraph stacked by outcome with the
    omgørelsesprocent beside each bar, or the omgørelsesprocent alone where no counts are stated."""
    rows, kommune, scope = series_rows(frame, None)
    parts = one_per(rows[~rows["is_total"]], "paragraphs")
    if parts.empty:
        raise ValueError("no paragraph rows to draw")
    period = only_one(parts, "period", "period")
    order = sorted(range(len(parts)), key=lambda i: _paragraph_number(parts["paragraphs"].iloc[i]))
    parts = parts.iloc[order]
    y = np.arange(len(parts))
    mode = outcome_mode(parts)
    if mode is None:
        _paragraph_rates(ax, y, parts)
    else:
        _paragraph_counts(ax, y, parts, mode)
    ax.set_yticks(y, [f"{r.paragraphs}{star(r)}" for r in parts.itertuples()])
    ax.set_ylim(len(parts) - 0.5, -0.5)  # first paragraph on top
    title_and_legend(ax, f"Afgørelser pr. paragraf – {kommune}, {period_label(period)}\n{scope}")
    stated = (
        "Landsgennemsnit pr. paragraf kun hvor referatet oplyser det."
        if (parts["national_source"] == DOCUMENT).any()
        else "Referatet oplyser intet landsgennemsnit pr. paragraf."
    )
    footnote(ax, [source_line(parts), RATE_DEFINITION, stated, warning_note(parts)])


def _paragraph_counts(ax: Axes, y: np.ndarray, parts: pd.DataFrame, mode: str) -> None:
    stack(ax, y, parts, mode, horizontal=True)
    if mode == "counts":
        outline_decided(ax, y, parts, horizontal=True)
    ends = np.nansum(np.column_stack([to_float(parts[c]) for c in outcome_columns(mode)]), axis=1)
    ends = np.fmax(ends, np.nan_to_num(to_float(parts["decided"]))) if mode == "counts" else ends
    for yi, end, row in zip(y, ends, parts.itertuples(), strict=True):
        text = f"{fmt_count(row.decided)} afg." if mode == "counts" and not pd.isna(row.decided) else ""
        if not np.isnan(row.rate_pct):
            text += f" · omg. {fmt_pct(row.rate_pct)}"
        if row.national_source == DOCUMENT:
            text += f" (landsplan {fmt_pct(row.national_pct)})"
        ax.annotate(
            text.strip(" ·"),
            xy=(end, yi),
            xytext=(4, 0),
            textcoords="offset points",
            va="center",
            fontsize=7.5,
        )
    xmax = biggest(parts, outcome_columns(mode)) if mode == "counts" else 100
    ax.set_xlim(0, xmax * 1.75 or 1)  # the text beside the longest bar needs room
    ax.set_xlabel("Antal afgørelser" if mode == "counts" else "Andel af afgørelserne")
    if mode == "shares":
        ax.xaxis.set_major_formatter(PCT_AXIS)


def _paragraph_rates(ax: Axes, y: np.ndarray, parts: pd.DataFrame) -> None:
    bars = ax.barh(
        y,
        np.nan_to_num(parts["rate_pct"].to_numpy(dtype=float)),
        0.6,
        color=KOMMUNE_COLOR,
        label="Omgørelsesprocent",
        zorder=2,
    )
    hatch_warnings(bars, parts)
    ax.bar_label(bars, [fmt_pct(v) for v in parts["rate_pct"]], padding=2, fontsize=7.5)
    for yi, row in zip(y, parts.itertuples(), strict=True):
        if row.national_source == DOCUMENT:  # a paragraph is only ever set against its own stated average
            ax.plot(
                [row.national_pct] * 2,
                [yi - 0.4, yi + 0.4],
                color=NATIONAL_COLOR,
                lw=2.5,
                gid=f"national:{row.paragraphs}",
                label=NATIONAL_LEGEND[DOCUMENT],
            )
    ax.set_xlim(0, 100)
    ax.xaxis.set_major_formatter(PCT_AXIS)
    ax.set_xlabel("Omgørelsesprocent")


def _ranking_slots(n: int, mine: int, max_bars: int) -> list[int | None]:
    """Which of n sorted rows to show: all, or the top, the bottom and the kommune's neighbours, with None
    where rows are left out (a gap the chart labels)."""
    if n <= max_bars:
        return list(range(n))
    near = 3
    edge = (max_bars - 2 * near - 1) // 2
    keep = sorted(set(range(edge)) | set(range(n - edge, n)) | set(range(mine - near, mine + near + 1)))
    slots: list[int | None] = []
    for index in (i for i in keep if 0 <= i < n):
        if slots and slots[-1] is not None and index - slots[-1] > 1:
            slots.append(None)
        slots.append(index)
    return slots


def plot_ranking(
    ax: Axes,
    frame: pd.DataFrame,
    *,
    municipality: str,
    official: pd.DataFrame | None = None,
    max_bars: int = 21,
) -> None:
    """Kommuner of one scope and period sorted by omgørelsesprocent (highest on top), ``municipality``
    highlighted, and the national average the kommune's own rate chart uses drawn across."""
    rows = drawable(prepare(frame, official))
    rows = rows[rows["is_total"] & rows["rate_pct"].notna()]
    only_one(rows, "series", "scope")
    period = only_one(rows, "period", "period")
    ranked = one_per(rows, "municipality").sort_values("rate_pct", ascending=False, kind="stable")
    names = list(ranked["municipality"])
    if municipality not in names:
        raise ValueError(f"{municipality} has no drawable rate in this frame")
    mine = names.index(municipality)
    own = ranked.iloc[mine]
    slots = _ranking_slots(len(ranked), mine, max_bars)
    shown = ranked.iloc[[s for s in slots if s is not None]]
    y = np.array([i for i, s in enumerate(slots) if s is not None])
    colours = [KOMMUNE_COLOR if m == municipality else OTHER_COLOR for m in shown["municipality"]]
    bars = ax.barh(y, shown["rate_pct"], 0.7, color=colours, zorder=2)
    hatch_warnings(bars, shown)
    ax.bar_label(bars, [fmt_pct(r.rate_pct) + star(r) for r in shown.itertuples()], padding=2, fontsize=7.5)
    labels = [f"… {_gap(slots, i)} kommuner …" if s is None else names[s] for i, s in enumerate(slots)]
    ax.set_yticks(range(len(slots)), labels)
    ax.get_yticklabels()[slots.index(mine)].set_fontweight("bold")
    ax.set_ylim(len(slots) - 0.5, -0.5)
    if not np.isnan(own["national_pct"]):
        # Behind the bars, so the value printed at a bar's end is never crossed out; same line style as
        # the rate chart (solid: the referat's own figure, dashed: the official one).
        ax.axvline(
            own["national_pct"],
            color=NATIONAL_COLOR,
            lw=1.5,
            zorder=1.5,
            gid="national:ranking",
            ls="-" if own["national_source"] == DOCUMENT else (0, (2, 1)),
            label=f"{NATIONAL_LEGEND[own['national_source']]}: {fmt_pct(own['national_pct'])}",
        )
    ax.set_xlim(0, 100)
    ax.xaxis.set_major_formatter(PCT_AXIS)
    ax.set_xlabel("Omgørelsesprocent")
    title_and_legend(
        ax,
        f"{municipality} blandt {len(ranked)} kommuner – {period_label(period)}\n"
        f"{scope_name(own['scope'], own['area_label'])}",
    )
    higher = int((ranked["rate_pct"] > own["rate_pct"]).sum())
    shared = int((ranked["rate_pct"] == own["rate_pct"]).sum()) - 1
    place = (
        f"{municipality} er nr. {higher + 1} af {len(ranked)} kommuner"
        + (f" (delt med {shared} andre)" if shared else "")
        + ", sorteret med den højeste omgørelsesprocent øverst."
    )
    footnote(ax, [place, national_line(ranked.iloc[[mine]]), warning_note(shown)])


def _gap(slots: list[int | None], at: int) -> int:
    return slots[at + 1] - slots[at - 1] - 1


def has_rates(frame: pd.DataFrame) -> bool:
    rows = drawable(prepare(frame))
    return bool((rows["is_total"] & rows["rate_pct"].notna()).any())


def has_outcomes(frame: pd.DataFrame) -> bool:
    rows = drawable(prepare(frame))
    return outcome_mode(rows[rows["is_total"]]) is not None


def paragraph_periods(frame: pd.DataFrame) -> list[str]:
    """Periods with drawable paragraph rows, oldest first."""
    rows = drawable(prepare(frame))
    parts = rows[~rows["is_total"]].sort_values("period_key", kind="stable")
    return list(dict.fromkeys(parts["period"]))
