"""What the text pages say: the overview and each kommune's table of statistics with their sources.

Each function returns a flow of blocks; ``layout.paginate`` cuts it into pages.
"""

from __future__ import annotations

from datetime import datetime

import pandas as pd

from reports.danish import (
    STATUS_NAMES,
    fmt_count,
    fmt_date,
    fmt_datetime,
    fmt_number,
    fmt_pct,
    fmt_points,
    is_missing,
    period_label,
    scope_name,
)
from reports.frames import DOCUMENT, OFFICIAL, drawable
from reports.layout import Block, heading, paragraph
from reports.tables import Column, Note, table_header, table_row

SCOPE_ORDER = ("all", "social", "child_disability", "adult_disability", "employment", "committee", "law")
SOURCE_SHORT = {DOCUMENT: "referatet", OFFICIAL: "officielt tal", "": "ikke oplyst"}
STATUS_COLOR = {"valid": "#111111", "warning": "#8a4b00", "quarantined": "#8a8a8a"}
NOTE_COLOR = {"warning": "#8a4b00", "quarantined": "#9b1c1c"}
TITLE = "Ankestyrelsens omgørelsesprocenter i kommunale referater"
EXPLAINER = (
    "Omgørelsesprocent: den andel af de realitetsbehandlede klagesager (stadfæstet, hjemvist og "
    "ændret/ophævet), som Ankestyrelsen har hjemvist eller ændret/ophævet. Afviste sager tæller ikke med.",
    "Landsgennemsnit: en kommunes tal sammenlignes kun med landsgennemsnittet for samme område og periode – "
    "det, referatet selv oplyser, og ellers det officielle tal fra Ankestyrelsen/Social- og "
    "Boligministeriet for hele området (aldrig for en enkelt paragraf).",
    "Validering: statistikker i karantæne har ikke bestået valideringen og indgår ikke i diagrammerne; "
    "statistikker med advarsel indgår og er markeret med * og skravering. Begge slags står i bilaget.",
)


def sort_rows(rows: pd.DataFrame) -> pd.DataFrame:
    """Scope in a fixed order, then area, then period, area totals before their paragraphs."""
    order = {scope: i for i, scope in enumerate(SCOPE_ORDER)}  # 'other' and anything new come last
    keys = rows.assign(
        _scope=rows["scope"].map(order).fillna(len(order)),
        _paragraph=~rows["is_total"],
    )
    return keys.sort_values(
        ["_scope", "series", "period_key", "_paragraph", "paragraphs"], kind="stable"
    ).drop(columns=["_scope", "_paragraph"])


def source_note(row) -> str:
    """'Kilde: 003_….pdf, s. 3 – »…«'; character offsets where the format has no pages."""
    if not is_missing(row.page):
        place = f"{row.document}, s. {int(row.page)}"
    elif not is_missing(row.char_start):
        place = f"{row.document}, tegn {fmt_count(row.char_start)}–{fmt_count(row.char_end)}"
    else:
        place = str(row.document)
    quote = " ".join(str(row.quote).split()) if not is_missing(row.quote) else ""
    return f"Kilde: {place} – »{quote}«" if quote else f"Kilde: {place}"


def status_notes(row) -> list[Note]:
    if row.status not in NOTE_COLOR or is_missing(row.messages) or not str(row.messages).strip():
        return []
    label = "Advarsel" if row.status == "warning" else "Karantæne"
    return [Note(f"{label}: {row.messages}", color=NOTE_COLOR[row.status], style="normal")]


def latest_rates(prepared: pd.DataFrame) -> pd.DataFrame:
    """Each kommune's newest drawable rate per scope (area totals only); among equally new rows a valid
    one from the newest meeting."""
    rows = drawable(prepared)
    rows = rows[rows["is_total"] & rows["rate_pct"].notna()]
    ranked = rows.assign(
        _warning=rows["status"] == "warning",
        _meeting=pd.to_datetime(rows["meeting_date"], errors="coerce"),
    ).sort_values(["period_key", "_warning", "_meeting"], ascending=[False, True, False], kind="stable")
    latest = ranked.drop_duplicates(["municipality", "series"]).drop(columns=["_warning", "_meeting"])
    return sort_rows(latest).sort_values("municipality", kind="stable")


OVERVIEW_COLUMNS = (
    Column("Kommune", 0.14),
    Column("Område", 0.305),
    Column("Periode", 0.12),
    Column("Omgørelses-\nprocent", 0.095, "right"),
    Column("Lands-\ngennemsnit", 0.105, "right"),
    Column("Forskel\n(pct.-point)", 0.115, "right"),
    Column("Kilde til\nlandsgns.", 0.12),
)


def overview_blocks(prepared: pd.DataFrame, documents: pd.DataFrame, generated_at: datetime) -> list[Block]:
    blocks = [
        heading(TITLE, size=15),
        paragraph(f"Udarbejdet {fmt_datetime(generated_at)}.", color="#555555"),
    ]
    ok = documents[documents["status"] == "ok"]
    blocks.append(
        paragraph(
            f"Dokumenter læst: {fmt_count(len(documents))}, heraf afvist: "
            f"{fmt_count(len(documents) - len(ok))}.",
            size=9,
        )
    )
    counts = {status: fmt_count(n) for status, n in prepared["status"].value_counts().items()}
    blocks.append(
        paragraph(
            f"Statistikker: {fmt_count(len(prepared))} i alt – {counts.get('valid', '0')} gyldige, "
            f"{counts.get('warning', '0')} med advarsel og {counts.get('quarantined', '0')} "
            "i karantæne (se bilaget).",
            size=9,
        )
    )
    silent = _kommuner_without_statistics(ok, prepared)
    if silent:
        blocks.append(paragraph("Kommuner læst uden statistik: " + "; ".join(silent) + ".", size=9))
    blocks.extend(paragraph(text, color="#333333") for text in EXPLAINER)
    blocks.extend(paragraph(text, color="#333333") for text in _official_disagreements(prepared))
    blocks.append(heading("Seneste omgørelsesprocent pr. kommune og område", size=11))
    latest = latest_rates(prepared)
    if latest.empty:
        return [*blocks, paragraph("Ingen statistikker at vise.")]
    header = table_header(OVERVIEW_COLUMNS)
    blocks.append(header)
    for row in latest.itertuples():
        cells = (
            row.municipality + ("*" if row.status == "warning" else ""),
            scope_name(row.scope, row.area_label),
            period_label(row.period),
            fmt_pct(row.rate_pct),
            fmt_pct(row.national_pct),
            fmt_points(row.rate_pct - row.national_pct),
            SOURCE_SHORT[row.national_source],
        )
        blocks.append(table_row(OVERVIEW_COLUMNS, cells, header=header))
    return blocks


def _kommuner_without_statistics(ok: pd.DataFrame, prepared: pd.DataFrame) -> list[str]:
    """Kommuner whose documents were read but yielded no statistic, named with committee and meeting."""
    with_stats = set(prepared["municipality"].dropna())
    empty = ok[(ok["n_statistics"].fillna(0) == 0) & ~ok["municipality"].isin(with_stats)]
    names = []
    for kommune, docs in empty.groupby(empty["municipality"].fillna("ukendt kommune"), sort=True):
        meetings = ", ".join(
            f"{d.committee} {fmt_date(d.meeting_date)}"
            if not is_missing(d.committee)
            else fmt_date(d.meeting_date)
            for d in docs.itertuples()
        )
        names.append(f"{kommune} ({meetings})")
    return names


def _official_disagreements(prepared: pd.DataFrame) -> list[str]:
    """Say where official sources disagree about an average the report uses (2018: 30 % and 30,5 %)."""
    used = drawable(prepared)
    used = used[used["national_others"] != ""].drop_duplicates(["period", "series"])
    texts = []
    for row in used.itertuples():
        others = " og ".join(fmt_pct(float(v)) for v in row.national_others.split(";"))
        texts.append(
            f"For {period_label(row.period)} ({scope_name(row.scope, row.area_label).lower()}) angiver "
            f"officielle kilder både {fmt_pct(row.national_pct)} og {others}; rapporten bruger det mest "
            f"præcise tal, {fmt_pct(row.national_pct)}."
        )
    return texts


STAT_COLUMNS = (
    Column("Periode", 0.085),
    Column("Område", 0.19),
    Column("§", 0.085),
    Column("Afgjort", 0.065, "right"),
    Column("Stadf.", 0.06, "right"),
    Column("Hjemv.", 0.06, "right"),
    Column("Ændr.", 0.065, "right"),
    Column("Afvist", 0.06, "right"),
    Column("Omg.-%\noplyst", 0.075, "right"),
    Column("Omg.-%\nberegnet", 0.08, "right"),
    Column("Landsgns.\n(referat)", 0.085, "right"),
    Column("Status", 0.09),
)


def statistics_blocks(kommune: str, rows: pd.DataFrame) -> list[Block]:
    """Every statistic of one kommune, quarantined ones included and marked, each with its source."""
    header = table_header(STAT_COLUMNS)
    blocks = [heading(f"{kommune}: alle statistikker med kilde", size=12), header]
    for row in sort_rows(rows).itertuples():
        cells = (
            period_label(row.period),
            scope_name(row.scope, row.area_label),
            row.paragraphs if not is_missing(row.paragraphs) else "i alt",
            *(
                fmt_count(getattr(row, c))
                for c in ("decided", "stadfaestet", "hjemvist", "aendret", "afvist")
            ),
            fmt_pct(row.reported_rate_pct),
            fmt_pct(row.computed_rate_pct),
            fmt_pct(row.national_rate_pct),
            STATUS_NAMES.get(row.status, str(row.status)),
        )
        notes = [Note(source_note(row)), *status_notes(row)]
        blocks.append(
            table_row(
                STAT_COLUMNS, cells, header=header, notes=notes, color=STATUS_COLOR.get(row.status, "#111111")
            )
        )
    return blocks


def kommune_summary(kommune: str, rows: pd.DataFrame) -> str:
    """'2 statistikker fra 1 referat (Beskæftigelsesudvalget 17. maj 2022): 2 gyldige, …'."""
    meetings = rows[["committee", "meeting_date"]].drop_duplicates()
    shown = "; ".join(
        f"{c} {fmt_date(d)}" if isinstance(c, str) else fmt_date(d)
        for c, d in meetings.itertuples(index=False)
    )
    counts = rows["status"].value_counts()
    valid = counts.get("valid", 0)
    parts = [
        f"{fmt_count(valid)} {'gyldig' if valid == 1 else 'gyldige'}",
        f"{fmt_count(counts.get('warning', 0))} med advarsel",
        f"{fmt_count(counts.get('quarantined', 0))} i karantæne",
    ]
    n_docs = rows["document"].nunique()
    return (
        f"{fmt_number(len(rows))} {'statistik' if len(rows) == 1 else 'statistikker'} fra {n_docs} "
        f"{'dokument' if n_docs == 1 else 'dokumenter'} ({shown}): {', '.join(parts)}."
    )
