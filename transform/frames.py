"""Records to rows: one row per statistic, in the column order of the SQL contract, and the findings of the
row checks. A row holds only what the text states and what follows from it; its status is not here: the
view appeal_stats derives it once from all findings (row checks, expectation suite, SQL checks)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date

from extract.models import REPORTED_FIELDS, AppealStatistic, DocumentMeta, DocumentText, NationalRate
from transform.arithmetic import computed_rate_pct
from transform.checks import CHECKS, run_checks

STATISTIC_COLUMNS = (
    "stat_id", "document", "document_sha256", "municipality", "committee", "meeting_date", "agenda_item",
    "period", "year", "scope", "area_label", "paragraphs", "paragraph_key",
    "received", "decided", "stadfaestet", "hjemvist", "aendret", "afvist", "reversed",
    "stadfaestet_pct", "hjemvist_pct", "aendret_pct", "reported_rate_pct", "computed_rate_pct",
    "national_rate_pct", "page", "char_start", "char_end", "quote",
)
NATIONAL_COLUMNS = (
    "document", "document_sha256", "period", "year", "scope", "paragraphs", "rate_pct", "page",
    "char_start", "char_end", "quote",
)


FINDING_COLUMNS = ("document", "stat_id", "code", "severity", "message", "source", "position")


@dataclass(frozen=True)
class Finding:
    """One failed check of one statistic: ``code`` is the check's stable name, ``message`` Danish with the
    numbers, ``source`` 'row' (transform/checks.py), 'expectation' (the suite) or 'sql' (flows/schema.sql)."""

    document: str
    stat_id: str
    code: str
    severity: str  # 'quarantine' or 'warning'
    message: str
    source: str
    position: int = 0  # order of the findings of one statistic in its messages


def stat_id(document: str, document_sha256: str, stat: AppealStatistic) -> str:
    """Stable id: the same statistic of the same document (name and bytes) always gets the same id. The name
    is part of it because the same bytes can sit under two names (a copy, or a renamed file whose old name
    is kept as missing until --prune), and each name's rows must have ids of their own."""
    parts = [document, document_sha256, stat.municipality, stat.period, stat.scope, stat.paragraph_key]
    if stat.scope in ("law", "committee", "other"):  # one statistic per law, committee or area
        parts.append((stat.area_label or "").casefold())
    key = "|".join(str(x) for x in parts)
    return hashlib.sha256(key.encode()).hexdigest()[:16]


def statistic_rows(
    document: str, sha256: str, doc: DocumentText, meta: DocumentMeta, stats: list[AppealStatistic]
) -> tuple[list[dict], list[Finding]]:
    """Rows for core_statistics plus the row-level findings behind each row's status."""
    rows, findings = [], []
    for stat in stats:
        sid = stat_id(document, sha256, stat)
        problems = run_checks(stat, meta.meeting_date)
        findings += [Finding(document, sid, check.code, check.severity, message, "row", i)
                     for i, (check, message) in enumerate(problems)]
        row = {
            "stat_id": sid,
            "document": document,
            "document_sha256": sha256,
            "municipality": stat.municipality,
            "committee": meta.committee,
            "meeting_date": meta.meeting_date,
            "agenda_item": stat.agenda_item,
            "period": stat.period,
            "year": stat.year,
            "scope": stat.scope,
            "area_label": stat.area_label,
            "paragraphs": stat.paragraphs,
            "paragraph_key": stat.paragraph_key,
            **{name: getattr(stat, name) for name in REPORTED_FIELDS},
            "computed_rate_pct": computed_rate_pct(stat),
            "page": doc.page_of(stat.char_start),
            "char_start": stat.char_start,
            "char_end": stat.char_end,
            "quote": stat.quote,
        }
        rows.append({column: row[column] for column in STATISTIC_COLUMNS})
    return rows, findings


def passes_column(code: str) -> str:
    """The column that says whether a row passed the row check ``code`` (the expectation suite reads it)."""
    return f"passes_{code}"


def passes_columns(stat_ids: list[str], findings: list[Finding]) -> dict[str, list[bool]]:
    """For each row check, whether each statistic passed it: what the suite validates of the arithmetic."""
    failed = {(f.stat_id, f.code) for f in findings if f.source == "row"}
    return {passes_column(check.code): [(sid, check.code) not in failed for sid in stat_ids] for check in CHECKS}


def national_rows(document: str, sha256: str, doc: DocumentText, rates: list[NationalRate]) -> list[dict]:
    return [
        {
            "document": document, "document_sha256": sha256, "period": r.period, "year": r.year,
            "scope": r.scope, "paragraphs": r.paragraphs, "rate_pct": r.rate_pct,
            "page": doc.page_of(r.char_start), "char_start": r.char_start, "char_end": r.char_end,
            "quote": r.quote,
        }
        for r in rates
    ]


def document_row(document: str, sha256: str, fmt: str, meta: DocumentMeta | None, status: str,
                 reason: str | None, n_statistics: int, loaded_at, notes: tuple[str, ...] = ()) -> dict:
    return {
        "document": document, "sha256": sha256, "format": fmt,
        "municipality": meta.municipality if meta else None,
        "committee": meta.committee if meta else None,
        "meeting_date": meta.meeting_date if meta else None,
        "status": status, "reason": reason, "n_statistics": n_statistics, "loaded_at": loaded_at,
        "is_missing": False,
        "notes": "; ".join(notes) or None,  # what the reader recovered from, e.g. "removed 1 NUL byte"
    }


def meeting_year(meta: DocumentMeta) -> int | None:
    return meta.meeting_date.year if isinstance(meta.meeting_date, date) else None
