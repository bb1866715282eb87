"""The appendix: every warning and quarantined statistic with its reason, then every rejected document."""

from __future__ import annotations

import pandas as pd

from reports.danish import STATUS_NAMES, fmt_date, is_missing, period_label, scope_name
from reports.layout import Block, heading, paragraph
from reports.pages import STATUS_COLOR, sort_rows, source_note
from reports.tables import Column, Note, table_header, table_row

NO_REASON = "(ingen årsag angivet)"

PROBLEM_COLUMNS = (
    Column("Kommune", 0.13),
    Column("Periode", 0.10),
    Column("Område", 0.21),
    Column("§", 0.08),
    Column("Status", 0.10),
    Column("Årsag", 0.38),
)
REJECTED_COLUMNS = (
    Column("Dokument", 0.27),
    Column("Kommune", 0.12),
    Column("Udvalg", 0.2),
    Column("Møde", 0.12),
    Column("Årsag", 0.29),
)


def appendix_blocks(prepared: pd.DataFrame, documents: pd.DataFrame) -> list[Block]:
    """Every warning and quarantined statistic with its reason, then every rejected document."""
    problems = prepared[prepared["status"].isin(["warning", "quarantined"])]
    blocks = [heading("Bilag A: Statistikker med advarsel eller i karantæne", size=12)]
    if problems.empty:
        blocks.append(paragraph("Ingen."))
    header = table_header(PROBLEM_COLUMNS)
    blocks.extend([header] if not problems.empty else [])
    for row in sort_rows(problems).sort_values(["municipality"], kind="stable").itertuples():
        reason = row.messages if not is_missing(row.messages) and str(row.messages).strip() else NO_REASON
        cells = (
            row.municipality,
            period_label(row.period),
            scope_name(row.scope, row.area_label),
            row.paragraphs if not is_missing(row.paragraphs) else "i alt",
            STATUS_NAMES.get(row.status, str(row.status)),
            reason,
        )
        blocks.append(
            table_row(
                PROBLEM_COLUMNS,
                cells,
                header=header,
                notes=[Note(source_note(row))],
                color=STATUS_COLOR[row.status],
            )
        )
    return blocks + _rejected_blocks(documents)


def _rejected_blocks(documents: pd.DataFrame) -> list[Block]:
    rejected = documents[documents["status"] == "rejected"]
    blocks = [heading("Bilag B: Afviste dokumenter", size=12)]
    if rejected.empty:
        return [*blocks, paragraph("Ingen.")]
    header = table_header(REJECTED_COLUMNS)
    blocks.append(header)
    for doc in rejected.sort_values("document").itertuples():
        cells = tuple(
            "–" if is_missing(v) else str(v) for v in (doc.document, doc.municipality, doc.committee)
        )
        cells += (
            fmt_date(doc.meeting_date) if not is_missing(doc.meeting_date) else "–",
            doc.reason if not is_missing(doc.reason) else NO_REASON,
        )
        blocks.append(table_row(REJECTED_COLUMNS, cells, header=header))
    return blocks
