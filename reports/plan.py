"""Which charts the report has: per kommune, per scope, the rate, the outcomes, the paragraph breakdowns
and a ranking, each with a stable file name and the function that draws it."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import partial

import pandas as pd
from matplotlib.axes import Axes

from reports.charts import (
    has_outcomes,
    has_rates,
    paragraph_periods,
    plot_outcomes,
    plot_paragraphs,
    plot_ranking,
    plot_rate,
)
from reports.danish import slug
from reports.frames import RANKABLE_SCOPES, drawable, prepare
from reports.pages import sort_rows

RANKING_MAX_BARS = 21
UNKNOWN_KOMMUNE = "Ukendt kommune"


@dataclass(frozen=True)
class Chart:
    """One chart: its PNG name, its planned height in inches (a page draws it ``PAGE_SCALE`` as tall)
    and how to draw it on an axes."""

    file_name: str
    height: float
    draw: Callable[[Axes], None]


def prepared_stats(stats: pd.DataFrame, official: pd.DataFrame | None) -> pd.DataFrame:
    frame = prepare(stats, official)
    return frame.assign(municipality=frame["municipality"].fillna(UNKNOWN_KOMMUNE))


def municipalities(stats: pd.DataFrame) -> list[str]:
    """The kommuner the report has a section for, in report order."""
    return sorted(set(stats["municipality"].fillna(UNKNOWN_KOMMUNE)))


def sections(
    prepared: pd.DataFrame, official: pd.DataFrame | None
) -> Iterator[tuple[str, pd.DataFrame, list[Chart]]]:
    """(kommune, its rows, its charts) in report order."""
    peers = _peer_groups(prepared)  # from every kommune, so each ranking compares all of them
    for kommune, rows in prepared.groupby("municipality", sort=True):
        yield str(kommune), rows, kommune_charts(str(kommune), rows, peers, official)


def kommune_charts(kommune: str, rows: pd.DataFrame, peers: dict, official=None) -> list[Chart]:
    """The charts of one kommune, series by series: rate, outcomes, paragraphs per period, ranking."""
    charts = []
    ordered = sort_rows(drawable(rows))
    for series in dict.fromkeys(ordered["series"]):
        one = ordered[ordered["series"] == series]
        stem = f"{slug(kommune)}-{series}"
        if has_rates(one):
            charts.append(Chart(f"{stem}-rate.png", 4.5, partial(plot_rate, frame=one, official=official)))
        if has_outcomes(one):
            charts.append(Chart(f"{stem}-outcomes.png", 4.5, partial(plot_outcomes, frame=one)))
        for period in paragraph_periods(one):
            part = one[one["period"] == period]
            height = 2.4 + 0.5 * part["paragraphs"].nunique()
            draw = partial(plot_paragraphs, frame=part)
            charts.append(Chart(f"{stem}-paragraphs-{slug(period)}.png", height, draw))
        ranking = _ranking(kommune, one, peers, official)
        if ranking is not None:
            charts.append(ranking)
    return charts


def _peer_groups(prepared: pd.DataFrame) -> dict[tuple[str, str], pd.DataFrame]:
    """(series, period) -> drawable area totals of all kommuner, where two or more can be ranked."""
    rows = drawable(prepared)
    rows = rows[rows["is_total"] & rows["rate_pct"].notna() & rows["scope"].isin(RANKABLE_SCOPES)]
    return {
        key: group
        for key, group in rows.groupby(["series", "period"], sort=False)
        if group["municipality"].nunique() >= 2
    }


def _ranking(kommune: str, rows: pd.DataFrame, peers: dict, official) -> Chart | None:
    """A ranking for the kommune's newest period that other kommuner share."""
    own = drawable(rows)
    own = own[own["is_total"] & own["rate_pct"].notna()].sort_values("period_key", ascending=False)
    for series, period in own[["series", "period"]].itertuples(index=False):
        group = peers.get((series, period))
        if group is None:
            continue
        slots = min(group["municipality"].nunique(), RANKING_MAX_BARS + 1)
        draw = partial(
            plot_ranking, frame=group, municipality=kommune, official=official, max_bars=RANKING_MAX_BARS
        )
        return Chart(f"{slug(kommune)}-{series}-ranking-{slug(period)}.png", 1.9 + 0.27 * slots, draw)
    return None
