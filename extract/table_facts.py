"""Turn a table (extract.tables) into facts: one per cell, about the subject its row and column name.

The table's period and scope come from its header label ("Børnehandicapområdet 2022") or else from the
context the table stands in (the agenda item and the heading above it).
"""

from __future__ import annotations

import re

from extract.masking import find_paragraph_refs
from extract.matching import find_scopes
from extract.models import AgendaItem, Fact, Subject
from extract.numbers import Value
from extract.periods import find_period_mentions
from extract.tables import RowSubject, Table, classify_row, one_figure
from transform.vocabulary import OTHER_APPEAL_BODIES

_COUNT_KINDS = ("received", "decided", "stadfaestet", "hjemvist", "aendret", "afvist", "reversed")
_SHARE_OF = {"stadfaestet": "stadfaestet_pct", "hjemvist": "hjemvist_pct", "aendret": "aendret_pct"}


def table_facts(table: Table, period: tuple[str, int] | None, scope: tuple[str, str | None] | None,
                municipality: str | None, meeting_year: int | None, *, all_cases: bool = True) -> list[Fact]:
    """Facts of ``table``; ``period`` and ``scope`` are the context's, used where the header names none.
    ``all_cases``: with periods as columns and no area known, may its rows be the figures of all cases
    (``about_all_cases``)?"""
    header_period = _header_period(table.header_label, period, meeting_year)
    header_scopes = find_scopes(table.header_label, 0, len(table.header_label))
    if header_scopes:
        scope = (header_scopes[0].scope, header_scopes[0].label)
    scope = scope or ("all", None)
    has_decided = any(c.kind == "decided" for c in table.columns) or any(
        (classify_row(r.label) or RowSubject("")).figure == "decided" for r in table.rows)
    if table.by_period:
        if not (all_cases or header_scopes):
            return []
        return _by_period(table, scope, municipality, meeting_year, period, has_decided,
                          header_names=bool(header_scopes or header_period))
    period = header_period or period
    if period is None:
        return []
    rows = [(row, classify_row(row.label)) for row in table.rows]
    areas = any(subject and subject.kind == "scope" for _, subject in rows)
    facts = []
    for row, row_subject in rows:
        if row_subject is None or row_subject.kind == "figure":
            continue
        subject = _row_subject(row_subject, row.label, period, scope, municipality, areas)
        for column, value in zip(table.columns, row.values, strict=True):
            name = _column_name(column.kind, value, row_subject.kind == "national", has_decided)
            if name:
                facts.append(Fact(name, value.value, value.decimals, subject, row.start, row.end,
                                  weak=column.kind == "merits"))
    return facts


# A table of one kind of case ("sager om tabt arbejdsfortjeneste", "sygedagpengesager") or of another appeal
# body looks just like one of all cases.
_NARROWER = re.compile(r"\bsager\s+(?:om|efter|vedr)|\b(?!klage|anke)\w{3,}sager\b|ombudsmand|"
                       + "|".join(re.escape(name) for name in OTHER_APPEAL_BODIES), re.IGNORECASE)


def about_all_cases(text: str, item: AgendaItem, table: Table) -> bool:
    """May a table with periods as columns, whose area is not known, hold the figures of all cases? Only in an
    agenda item that names no area, law, § or kind of case anywhere, before, in or after the table: its area is
    as often named after it, or in a line inside it, as above it."""
    # the table's own rows of areas ("Socialområdet | 182 | 213" above "Sager i alt") are its parts;
    # not "Hele landet, børnehandicap"
    rows = [(row.start, row.end) for row in table.rows if (classify_row(row.label) or RowSubject("")).kind == "scope"]
    scopes = [m for m in find_scopes(text, item.start, item.end) if not any(a <= m.start < b for a, b in rows)]
    if scopes or find_paragraph_refs(text[item.start : item.end]):
        return False
    return not _NARROWER.search(text, item.start, item.end)


def _by_period(table: Table, scope, municipality, meeting_year, context_period, has_decided, *,
               header_names: bool) -> list[Fact]:
    """Periods as columns: each row names a figure ("Omgørelsesprocent", "Landsplan"). The country's row gives
    its rate under a header cell that names the rate, a share of reversed cases, an area or a period, or nothing;
    not its counts ("Afgjorte sager"), upheld share ("Stadfæstet") or another measure ("Sagsbehandlingstid
    (uger)")."""
    header_figure = one_figure(table.header_label)
    country_rate = header_figure in ("rate", "national", "reversed") or (
        header_figure is None and (header_names or not table.header_label.strip()))
    facts = []
    for row in table.rows:
        row_subject = classify_row(row.label)
        national = row_subject is not None and row_subject.kind == "national"
        if national and country_rate:
            kind = "national"
        elif row_subject is not None and row_subject.kind == "figure":
            kind = row_subject.figure
        else:
            continue
        for column, value in zip(table.columns, row.values, strict=True):
            resolved = column.period.resolve(context_period[1] if context_period else None, meeting_year)
            if resolved is None:
                continue
            name = _column_name(kind, value, national, has_decided)
            if national and header_figure == "reversed" and value.kind != "pct":
                name = None  # "Andel omgjorte sager" is the rate; "Omgjorte sager" counts them
            if name:
                subject = Subject(municipality, resolved[0], resolved[1], scope[0], scope[1], None, None)
                facts.append(Fact(name, value.value, value.decimals, subject, row.start, row.end,
                                  weak=kind == "merits"))
    return facts


def _header_period(label: str, context: tuple[str, int] | None, meeting_year: int | None):
    for mention in find_period_mentions(label):
        resolved = mention.resolve(context[1] if context else None, meeting_year)
        if resolved:
            return resolved
    return None


def _row_subject(row: RowSubject, label: str, period, scope, municipality, areas: bool) -> Subject:
    kommune, scope_code, area, paragraphs, key = municipality, scope[0], scope[1], None, None
    if row.kind == "kommune":
        kommune = row.municipality
    elif row.kind == "scope":
        scope_code, area = row.scope
    elif row.kind == "total" and areas:
        scope_code, area = "all", None  # "I alt" under one row per law or area
    elif row.kind == "paragraph":
        refs = find_paragraph_refs(label)
        if refs:
            paragraphs, key = refs[0][2], refs[0][3]
    return Subject(kommune, period[0], period[1], scope_code, area, paragraphs, key)


def _column_name(kind: str, value: Value, national_row: bool, has_decided: bool) -> str | None:
    """The field a cell fills, or None (a national row's counts, a count that is not whole)."""
    if kind in ("rate", "national"):
        return "national_rate_pct" if national_row or kind == "national" else "reported_rate_pct"
    if national_row:
        return None  # the country's counts are not a kommune's figures
    if kind == "merits":
        kind = None if has_decided else "decided"
    if kind is None:
        return None
    if value.kind == "pct":
        return _SHARE_OF.get(kind)
    if kind in _COUNT_KINDS and value.is_integer:
        return kind
    return None
