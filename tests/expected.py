"""Compare extracted statistics with an expected.json in the samples' format (see its 'about')."""

from __future__ import annotations

import json
from pathlib import Path

from extract.models import REPORTED_FIELDS

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "data" / "samples"
SAMPLES_EXPECTED = ROOT / "tests" / "fixtures" / "samples_expected.json"
CHECKED_FIELDS = REPORTED_FIELDS + ("computed_rate_pct",)


def load_expected(path: Path = SAMPLES_EXPECTED) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def key_of(row: dict) -> tuple:
    paragraph = row.get("paragraph_key")
    if not isinstance(paragraph, str):  # None, or NaN from a frame
        paragraph = None
    return (row["document"], row["municipality"], row["period"], row["scope"], paragraph)


def differences(actual_rows: list[dict], expected: dict) -> list[str]:
    """Plain-words differences between rows (dicts with the contract's columns) and expected statistics."""
    problems = []
    actual = {key_of(r): r for r in actual_rows}
    wanted = {key_of(s): s for s in expected["statistics"]}
    for key in sorted(set(actual) - set(wanted), key=str):
        problems.append(f"unexpected statistic {key}")
    for key in sorted(set(wanted) - set(actual), key=str):
        problems.append(f"missing statistic {key}")
    for key in sorted(set(wanted) & set(actual), key=str):
        problems += _field_differences(key, actual[key], wanted[key])
    return problems


def _field_differences(key, row: dict, spec: dict) -> list[str]:
    problems = []
    required, optional = spec.get("required", {}), spec.get("optional", {})
    for field in CHECKED_FIELDS:
        value = _clean(row.get(field))
        if field in required:
            if value is None or abs(value - required[field]) > 0.01:
                problems.append(f"{key}: {field} is {value}, expected {required[field]}")
        elif field in optional:
            if value is not None and abs(value - optional[field]) > 0.01:
                problems.append(f"{key}: {field} is {value}, expected null or {optional[field]}")
        elif value is not None and field != "computed_rate_pct":
            problems.append(f"{key}: {field} is {value}, expected null")
    return problems


def _clean(value):
    if value is None:
        return None
    try:
        if value != value:  # NaN from a frame
            return None
    except TypeError:
        return None
    return float(value)
