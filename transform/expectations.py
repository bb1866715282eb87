"""The data contract of the statistics frame, as a Great Expectations suite built from the vocabulary.

Each expectation carries the severity of its failure in its ``meta``; flows/validate.py runs the suite
and turns every unexpected row into a finding with that severity.
"""

from __future__ import annotations

import great_expectations as gx

from extract.models import COUNT_FIELDS
from transform.vocabulary import SCOPES

PERIOD_PATTERN = r"^(?:19|20)\d\d(?:-(?:Q[1-4]|H[12]))?$"
PERCENT_COLUMNS = ("stadfaestet_pct", "hjemvist_pct", "aendret_pct", "reported_rate_pct", "national_rate_pct")


def build_suite(name: str = "appeal_statistics") -> gx.ExpectationSuite:
    suite = gx.ExpectationSuite(name=name)
    quarantine = {"severity": "quarantine"}
    for column in COUNT_FIELDS:
        suite.add_expectation(gx.expectations.ExpectColumnValuesToBeBetween(
            column=column, min_value=0, meta={**quarantine, "why": f"{column} is a count of cases"}))
    for column in PERCENT_COLUMNS:
        suite.add_expectation(gx.expectations.ExpectColumnValuesToBeBetween(
            column=column, min_value=0, max_value=100, meta={**quarantine, "why": f"{column} is a percentage"}))
    suite.add_expectation(gx.expectations.ExpectColumnValuesToBeInSet(
        column="scope", value_set=list(SCOPES), meta={**quarantine, "why": "scope must be a known scope"}))
    suite.add_expectation(gx.expectations.ExpectColumnValuesToMatchRegex(
        column="period", regex=PERIOD_PATTERN, meta={**quarantine, "why": "period must be YYYY, YYYY-Qn or YYYY-Hn"}))
    for column in ("quote", "period", "stat_id"):
        suite.add_expectation(gx.expectations.ExpectColumnValuesToNotBeNull(
            column=column, meta={**quarantine, "why": f"every statistic needs its {column}"}))
    suite.add_expectation(gx.expectations.ExpectColumnValuesToBeUnique(
        column="stat_id", meta={**quarantine, "why": "one row per statistic"}))
    suite.add_expectation(gx.expectations.ExpectColumnPairValuesAToBeGreaterThanB(
        column_A="char_end", column_B="char_start", or_equal=False, ignore_row_if="either_value_is_missing",
        meta={**quarantine, "why": "the quote span must not be empty"}))
    return suite
