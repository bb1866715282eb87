"""Arithmetic as a signal: a field stated twice keeps the value the other figures add up with."""

from __future__ import annotations

from extract.corroboration import corroborated


def test_the_value_the_parts_add_up_with_is_kept():
    values = {"decided": 23, "stadfaestet": 12, "hjemvist": 11, "aendret": 3, "reversed": 11}
    assert corroborated(values, {"hjemvist": [11, 8]}, {}) == {"hjemvist": 8}


def test_a_rate_stated_twice_is_settled_by_the_counts():
    values = {"stadfaestet": 98, "hjemvist": 54, "aendret": 16, "reported_rate_pct": 41.7}
    assert corroborated(values, {"reported_rate_pct": [41.7, 37.5]}, {"reported_rate_pct": 1}) == {
        "reported_rate_pct": 41.7}


def test_nothing_is_chosen_when_no_value_or_both_add_up():
    both = {"decided": 30, "stadfaestet": 20, "hjemvist": 5, "aendret": 5, "afvist": 0}
    assert corroborated(both, {"afvist": [0, 5]}, {}) is None  # 30 = 20+5+5 fits both: decided may leave afviste out
    neither = {"decided": 40, "stadfaestet": 20, "hjemvist": 5, "aendret": 5}
    assert corroborated(neither, {"decided": [40, 41]}, {}) is None


def test_a_field_the_arithmetic_does_not_involve_is_never_chosen():
    values = {"stadfaestet": 20, "hjemvist": 5, "aendret": 5, "national_rate_pct": 30.0}
    assert corroborated(values, {"national_rate_pct": [30.0, 26.0]}, {}) is None
    assert corroborated({"decided": 10}, {"decided": [10, 12]}, {}) is None  # nothing to check it against


def test_a_settled_conflict_is_a_warning_that_names_the_other_value():
    from extract.document import extract_document
    from extract.readers import read_document
    from tests.test_fixtures import CASES
    from transform.checks import run_checks

    name = "conflict_settled_by_arithmetic.txt"
    stat, = extract_document(name, read_document(name, (CASES / name).read_bytes())).statistics
    findings = run_checks(stat, None)
    assert [(check.code, check.severity) for check, _ in findings] == [("resolved_by_arithmetic", "warning")]
    assert "hjemvist som 11; 8 er beholdt" in findings[0][1]
