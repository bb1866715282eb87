"""The consolidated figures made ready for a reader: the number of cases behind each rate, the change since
the previous period, each kommune's latest figure per area, and the ranking of kommuner.

Pure: frames of the views ``kommune_figures`` and ``national_figures`` in, frames out.
"""

from __future__ import annotations

import pandas as pd

from reports.danish import period_order

# Danske Handicaporganisationer's guide: a rate over fewer than 20 realitetsbehandlede sager says little.
FEW_CASES = 20
# Scopes that mean the same in every kommune, so kommuner can be ranked against each other (a committee's
# area is the kommune's own cut; a law or 'other' area is named differently from minute to minute).
RANKED_SCOPES = ("all", "social", "child_disability", "adult_disability", "employment")
# Scopes told apart by their area's label (two laws of one kommune are two areas), as in flows/figures.sql.
LABELLED_SCOPES = ("law", "committee", "other")
SCOPE_ORDER = {scope: i for i, scope in enumerate((*RANKED_SCOPES, *LABELLED_SCOPES))}


def area_keys(figures: pd.DataFrame) -> pd.Series:
    """The label that tells a row's area apart within its scope; '' for the fixed scopes."""
    return figures["area_label"].fillna("").where(figures["scope"].isin(LABELLED_SCOPES), "")


def period_kind(period: str) -> str:
    """'Y' for a year, 'Q' for a quarter, 'H' for a half-year: only periods of one kind follow each other."""
    return "Y" if "-" not in str(period) else str(period).split("-")[1][0]


def with_cases(figures: pd.DataFrame) -> pd.DataFrame:
    """Add ``n`` (the cases a rate is worked out over: realitetsbehandlede, else afgjorte), ``n_kind`` and
    ``few`` (fewer than FEW_CASES realitetsbehandlede; afgjorte bound them from above)."""
    out = figures.copy()
    real = pd.to_numeric(out["realitetsbehandlede"], errors="coerce")
    decided = pd.to_numeric(out["decided"], errors="coerce")
    out["n"] = real.fillna(decided)
    out["n_kind"] = real.notna().map({True: "realitetsbehandlede", False: "afgjorte"}).where(out["n"].notna())
    out["few"] = out["n"].notna() & (out["n"] < FEW_CASES)
    return out


def area_rows(figures: pd.DataFrame) -> pd.DataFrame:
    """A kommune's figures for whole areas (not a paragraph's), with a rate, in reading order: kommune, area,
    period (oldest first), with ``change_pp``: points since the previous period of the same kind."""
    rows = figures[figures["paragraph_key"].isna() & figures["rate_pct"].notna()].copy()
    if rows.empty:
        return rows.assign(change_pp=pd.Series(dtype=float), previous_period=pd.Series(dtype=object))
    rows["_scope"] = rows["scope"].map(SCOPE_ORDER).fillna(len(SCOPE_ORDER))
    rows["_order"] = rows["period"].map(period_order)
    rows["_kind"] = rows["period"].map(period_kind)
    rows["_area"] = area_keys(rows)
    rows = rows.sort_values(["municipality", "_scope", "_area", "_kind", "_order"], kind="stable")
    same = ["municipality", "scope", "_area", "_kind"]
    rows["change_pp"] = rows.groupby(same)["rate_pct"].diff()
    rows["previous_period"] = rows.groupby(same)["period"].shift()
    rows = rows.sort_values(["municipality", "_scope", "_area", "_order"], kind="stable")
    return rows.drop(columns=["_scope", "_order", "_kind", "_area"]).reset_index(drop=True)


def latest(areas: pd.DataFrame) -> pd.DataFrame:
    """Each kommune's newest figure per area (``areas`` from ``area_rows``)."""
    if areas.empty:
        return areas
    newest = areas.assign(_area=area_keys(areas), _order=areas["period"].map(period_order))
    newest = newest.sort_values("_order", kind="stable").groupby(["municipality", "scope", "_area"]).tail(1)
    return newest.sort_index().drop(columns=["_area", "_order"])  # area_rows' index is its reading order


def rankings(areas: pd.DataFrame) -> list[tuple[str, str, pd.DataFrame]]:
    """(scope, year, kommuner ordered by rate, highest first) for every ranked scope, in its newest year with
    a figure: one row per kommune, whole years only (a quarter's rate is not comparable with a year's)."""
    out = []
    years = areas[areas["period"].map(period_kind).eq("Y") & areas["scope"].isin(RANKED_SCOPES)]
    for scope in RANKED_SCOPES:
        rows = years[years["scope"] == scope]
        if rows.empty:
            continue
        year = max(rows["period"], key=period_order)
        ranked = rows[rows["period"] == year].sort_values(["rate_pct", "municipality"], ascending=[False, True])
        out.append((scope, year, ranked.reset_index(drop=True)))
    return out


def official_rates(national: pd.DataFrame) -> dict[tuple[str, str], float]:
    """(scope, period) -> the one official national rate of an area as a whole, for the line a kommune's
    series is drawn against; periods with two differing official rates are left out."""
    rows = national[national["paragraphs"].isna() & national["area_label"].isna()
                    & national["official_rate_pct"].notna()]
    return {(scope, period): float(rate)
            for scope, period, rate in zip(rows["scope"], rows["period"], rows["official_rate_pct"], strict=True)}
