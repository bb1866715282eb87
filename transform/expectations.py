"""The data contract of the statistics frame, as a Great Expectations suite built from the vocabulary.

Each expectation carries in its ``meta`` the ``code`` and ``severity`` of its findings and ``why`` (Danish,
shown to a reader); flows/validate.py runs the suite and turns every unexpected row into a finding.

The row checks (transform/checks.py) are in the suite too, one expectation each over a column
``passes_<code>`` that says whether the row passed that check: so what Great Expectations reports for a run
(evaluated, failed, the share of rows) is the whole truth, not only the schema. Their findings, with the
numbers, come from the row checks themselves (``meta['source'] == 'row'``), not a second time from here.
"""

from __future__ import annotations

import great_expectations as gx

from extract.models import COUNT_FIELDS
from transform.checks import CHECKS
from transform.danish import label
from transform.frames import passes_column
from transform.vocabulary import SCOPES

PERIOD_PATTERN = r"^(?:19|20)\d\d(?:-(?:Q[1-4]|H[12]))?$"
PERCENT_COLUMNS = ("stadfaestet_pct", "hjemvist_pct", "aendret_pct", "reported_rate_pct", "national_rate_pct")


def build_suite(name: str = "appeal_statistics") -> gx.ExpectationSuite:
    suite = gx.ExpectationSuite(name=name)

    def add(expectation_type, code: str, why: str, severity: str = "quarantine", source: str = "expectation",
            **kwargs) -> None:
        meta = {"code": code, "severity": severity, "why": why, "source": source}
        suite.add_expectation(expectation_type(meta=meta, **kwargs))

    for check in CHECKS:
        add(gx.expectations.ExpectColumnValuesToBeInSet, check.code, check.description, check.severity, "row",
            column=passes_column(check.code), value_set=[True])
    for column in COUNT_FIELDS:
        add(gx.expectations.ExpectColumnValuesToBeBetween, f"{column}_is_count",
            f"{label(column)} er et antal sager og kan ikke være negativ", column=column, min_value=0)
    for column in PERCENT_COLUMNS:
        add(gx.expectations.ExpectColumnValuesToBeBetween, f"{column}_is_percentage",
            f"{label(column)} er en procentdel og skal ligge i 0-100", column=column, min_value=0, max_value=100)
    add(gx.expectations.ExpectColumnValuesToBeInSet, "scope_is_known", "området skal være et kendt område",
        column="scope", value_set=list(SCOPES))
    add(gx.expectations.ExpectColumnValuesToMatchRegex, "period_format",
        "perioden skal skrives ÅÅÅÅ, ÅÅÅÅ-Qn eller ÅÅÅÅ-Hn", column="period", regex=PERIOD_PATTERN)
    for column, what in (("quote", "sit citat"), ("period", "sin periode"), ("stat_id", "sit id")):
        add(gx.expectations.ExpectColumnValuesToNotBeNull, f"{column}_present", f"hver statistik skal have {what}",
            column=column)
    add(gx.expectations.ExpectColumnValuesToBeUnique, "stat_id_unique", "én række pr. statistik", column="stat_id")
    add(gx.expectations.ExpectColumnPairValuesAToBeGreaterThanB, "quote_span_not_empty",
        "citatets tekststykke må ikke være tomt", column_A="char_end", column_B="char_start", or_equal=False,
        ignore_row_if="either_value_is_missing")
    return suite
