"""The consolidated figures as flat tables for a spreadsheet: one value per cell, sources as text.

Column names are the SQL contract's, so a number in Excel can be found again with the README's queries.
"""

from __future__ import annotations

import pandas as pd

from reports.danish import is_missing
from reports.report import source_text

KOMMUNE_COLUMNS = [
    "municipality", "kommune_code", "period", "year", "scope", "area_label", "paragraphs", "received", "decided",
    "realitetsbehandlede", "stadfaestet", "hjemvist", "aendret", "afvist", "reversed", "rate_pct",
    "reported_rate_pct", "computed_rate_pct", "national_rate_pct", "national_source", "n_sources", "status",
    "messages", "sources",
]
NATIONAL_COLUMNS = [
    "period", "year", "scope", "area_label", "paragraphs", "official_rate_pct", "official_rates", "stated_rates",
    "status", "n_sources", "sources", "official_sources",
]


def _joined(values, text=str) -> str:
    if not hasattr(values, "__len__") or isinstance(values, str):  # None, NaN or pd.NA: no list
        return "" if values is None or is_missing(values) else str(values)
    return "; ".join(text(value) for value in values)


def _number_text(value) -> str:
    return str(value).replace(".", ",")


def kommune_sheet(figures: pd.DataFrame) -> pd.DataFrame:
    sheet = figures.reindex(columns=KOMMUNE_COLUMNS).copy()
    sheet["sources"] = figures["sources"].map(lambda sources: _joined(sources, source_text))
    return sheet.sort_values(["municipality", "scope", "year", "period"], kind="stable").reset_index(drop=True)


def national_sheet(national: pd.DataFrame) -> pd.DataFrame:
    sheet = national.reindex(columns=NATIONAL_COLUMNS).copy()
    for column in ("official_rates", "stated_rates"):
        sheet[column] = national[column].map(lambda values: _joined(values, _number_text))
    sheet["official_sources"] = national["official_sources"].map(_joined)
    sheet["sources"] = national["sources"].map(lambda sources: _joined(sources, source_text))
    return sheet.sort_values(["year", "period", "scope"], kind="stable").reset_index(drop=True)
