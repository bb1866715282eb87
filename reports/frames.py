"""Statistics made ready to draw: one rate per row and the national average of the same scope and period.

The one rule that matters most here: a kommune's figure is only ever compared with the national average of
its own scope and period. The document's own statement wins (it is what the committee read); otherwise the
official table is used, and only for area totals, because a paragraph's rate is not the area's rate.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
import pandas as pd

from reports.danish import is_missing, period_order, slug

DOCUMENT = "document"
OFFICIAL = "official"

# Scopes named by their area_label: two rows only share a scope if their labels agree too.
AREA_SCOPES = ("committee", "law", "other")
# Scopes that mean the same thing in every kommune, so kommuner can be ranked against each other.
# A committee's area differs from kommune to kommune; 'other' is a catch-all.
RANKABLE_SCOPES = ("all", "social", "child_disability", "adult_disability", "employment", "law")
# Scopes with no official national figure (a committee's area is the kommune's own cut).
NO_OFFICIAL = ("committee",)


@dataclass(frozen=True)
class OfficialRate:
    value: float
    others: tuple[float, ...]  # other official values for the same scope and period (2018: 30 and 30,5)


def to_float(series: pd.Series) -> np.ndarray:
    return pd.to_numeric(series, errors="coerce").to_numpy(dtype=float, na_value=np.nan)


def area_key(scope: str, area_label: object) -> str:
    """The area a committee/law/other row covers, normalised; '' for scopes that need no label."""
    if scope not in AREA_SCOPES or is_missing(area_label):
        return ""
    label = re.sub(r"\(.*?\)", "", str(area_label).lower())  # "serviceloven (kommunale klagesager)"
    return " ".join(label.replace("*", "").split())


def series_id(scope: str, area_label: object) -> str:
    """Stable id of a kommune's chart series, used in file names: 'all', 'law-aktivloven'."""
    key = area_key(scope, area_label)
    return f"{scope}-{slug(key)}" if key else str(scope)


def _decimals(value: float) -> int:
    text = repr(float(value))
    return 0 if text.endswith(".0") else len(text.split(".")[-1])


def official_index(official: pd.DataFrame | None) -> dict[tuple[str, str, str], OfficialRate]:
    """(period, scope, area key) -> official rate. Where official pages disagree the most precise value is
    used (30,5 over a rounded 30) and the others are kept so the chart can say so."""
    if official is None or official.empty:
        return {}
    values: dict[tuple[str, str, str], list[float]] = {}
    for row in official.itertuples(index=False):
        if is_missing(row.national_rate_pct):
            continue
        key = (str(row.period), str(row.scope), area_key(row.scope, row.area_label))
        values.setdefault(key, []).append(float(row.national_rate_pct))
    index = {}
    for key, found in values.items():
        best = max(found, key=_decimals)  # max keeps the first of equals: the table's order decides ties
        others = tuple(dict.fromkeys(v for v in found if v != best))
        index[key] = OfficialRate(best, others)
    return index


def _resolve_national(row, index: dict) -> tuple[float, str, str]:
    """(value, source, note) of the national average to draw next to one row."""
    if not is_missing(row.national_rate_pct):
        return float(row.national_rate_pct), DOCUMENT, ""
    if not row.is_total or row.scope in NO_OFFICIAL:
        return np.nan, "", ""
    found = index.get((str(row.period), str(row.scope), area_key(row.scope, row.area_label)))
    if found is None:
        return np.nan, "", ""
    return found.value, OFFICIAL, ";".join(repr(v) for v in found.others)


def prepare(stats: pd.DataFrame, official: pd.DataFrame | None = None) -> pd.DataFrame:
    """Add the display columns every chart and table uses. Idempotent, so charts can be handed either a
    raw statistics frame or one the report has prepared already."""
    if "rate_pct" in stats.columns:
        return stats
    frame = stats.reset_index(drop=True).copy()
    reported = to_float(frame["reported_rate_pct"])
    frame["rate_pct"] = np.where(np.isnan(reported), to_float(frame["computed_rate_pct"]), reported)
    frame["rate_is_reported"] = ~np.isnan(reported)
    frame["is_total"] = frame["paragraph_key"].isna() & frame["paragraphs"].isna()
    frame["series"] = [series_id(s, a) for s, a in zip(frame["scope"], frame["area_label"], strict=True)]
    # One sortable number per period: 2021-Q3 -> 2021_09_03, the year 2021 -> 2021_12_12.
    frame["period_key"] = [y * 10_000 + m * 100 + span for y, m, span in map(period_order, frame["period"])]
    index = official_index(official)
    resolved = [_resolve_national(row, index) for row in frame.itertuples(index=False)]
    frame["national_pct"] = [r[0] for r in resolved]
    frame["national_source"] = [r[1] for r in resolved]
    frame["national_others"] = [r[2] for r in resolved]
    return frame


def drawable(frame: pd.DataFrame) -> pd.DataFrame:
    """Rows a chart may draw: quarantined statistics failed validation and are left out of every chart."""
    return frame[frame["status"] != "quarantined"]


def one_per(frame: pd.DataFrame, by: str) -> pd.DataFrame:
    """One row per value of ``by``. Two documents may state the same figure; prefer a valid row, then the
    newest meeting (figures are revised after publication)."""
    if frame.empty:
        return frame
    ranked = frame.assign(
        _warning=frame["status"] == "warning",
        _meeting=pd.to_datetime(frame["meeting_date"], errors="coerce"),
    ).sort_values(["_warning", "_meeting"], ascending=[True, False], kind="stable", na_position="last")
    return ranked.drop_duplicates(by, keep="first").drop(columns=["_warning", "_meeting"])


def one_per_period(frame: pd.DataFrame) -> pd.DataFrame:
    """One row per period, oldest first."""
    return one_per(frame, "period").sort_values("period_key", kind="stable")


def only_one(frame: pd.DataFrame, column: str, what: str) -> str:
    """The single value of ``column``; a chart handed several kommuner or scopes refuses to draw, so an
    average can never land next to a figure of another scope."""
    values = frame[column].dropna().unique()
    if len(values) != 1:
        raise ValueError(f"expected rows of exactly one {what}, got {sorted(map(str, values))}")
    return str(values[0])
