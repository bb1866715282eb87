"""What the report says, as plain data: the text of every table and the charts to draw. The layout is the
typst template ``report.typ``, which reads this data as JSON; nothing here touches the disk.

Everything a reader sees is Danish and formatted here (decimal commas, dates, periods), so the template
only places it. Sources are named as a reader can look them up: committee, meeting date, agenda item and
page; file hashes and character offsets stay in SQL.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime

import pandas as pd

from extract.municipalities import OFFICIAL_NAMES
from reports.charts import Panel, Point, Ranking
from reports.danish import (
    fmt_count,
    fmt_date,
    fmt_datetime,
    fmt_pct,
    fmt_points,
    is_missing,
    period_label,
    period_order,
    scope_name,
    shorten,
    slug,
)
from reports.figures import (
    LABELLED_SCOPES,
    SCOPE_ORDER,
    area_keys,
    area_rows,
    latest,
    official_rates,
    period_kind,
    rankings,
    with_cases,
)
from reports.reasons import danish_reason

# Caps on what one figure restated in hundreds of minutes, or a run with thousands of problems, puts on paper;
# the database keeps everything.
MAX_SOURCES = 25  # sources listed in a kommune's section
MAX_REFS = 4  # source numbers beside one figure
MAX_STATED_VALUES = 3  # national rates the minutes state for one period and area, listed one by one
MAX_APPENDIX_ROWS = 300  # flagged figures, quarantined statements and rejected documents in the appendix
# Messages in a kommune's section, and characters of one message (a conflict names every value with every
# source that states it). Beyond them the report points to SQL: typst holds ~1.5 MB a laid-out page, and
# 10,000 synthetic minutes full of conflicts made a 1,213-page report (580 of them the appendix) and a 2 GB layout.
MAX_MESSAGES = 12
MAX_MESSAGE_CHARS = 400
# Years in a kommune's table, counted back from its newest figure: its pages stay as many as the years go by
# (a nightly run keeps every year it ever read). Its chart shows every year, and so do the tables under tal/.
TABLE_YEARS = 5
STATUS_MARK = {"valid": "", "warning": "advarsel", "conflict": "modstrid"}


@dataclass(frozen=True)
class Chart:
    file_name: str
    kind: str  # 'series' or 'ranking'
    content: tuple[Panel, ...] | Ranking  # plain data: the same content draws the same picture


@dataclass
class ReportContent:
    data: dict  # the template's input, JSON-ready
    charts: list[Chart] = field(default_factory=list)
    kommune_slugs: dict[str, str] = field(default_factory=dict)  # kommune -> slug of its own PDF


def _number(value: object) -> str:
    return "" if is_missing(value) else fmt_count(value)


def _pct(value: object) -> str:
    return "" if is_missing(value) else fmt_pct(value)


def _float(value: object) -> float | None:
    return None if is_missing(value) else float(value)


def item_label(agenda_item: object) -> str:
    """'19: Ankestyrelsens klagestatistik …' -> 'punkt 19'; an item without a number keeps a short title."""
    if is_missing(agenda_item) or not str(agenda_item).strip():
        return ""
    match = re.match(r"\s*(?:punkt\s+)?(\d+)\s*[:.\-–]", str(agenda_item), re.IGNORECASE)
    return f"punkt {match[1]}" if match else shorten(" ".join(str(agenda_item).split()), 60)


def source_text(source: dict) -> str:
    """'Beskæftigelsesudvalget, 17. maj 2022, punkt 19, s. 3'."""
    # A frame's record says "not stated" with NaN, which is truthy: test each name for missing, not falsy.
    names = [source.get(key) for key in ("committee", "document")]
    parts = [next((str(name) for name in names if not is_missing(name) and str(name).strip()), "ukendt kilde")]
    if not is_missing(source.get("meeting_date")):
        parts.append(fmt_date(source["meeting_date"]))
    if item := item_label(source.get("agenda_item")):
        parts.append(item)
    if not is_missing(source.get("page")):
        parts.append(f"s. {int(source['page'])}")
    return ", ".join(parts)


def area_title(row) -> str:
    text = scope_name(row["scope"], row.get("area_label"))
    if not is_missing(row.get("paragraphs")):
        text += f" – {row['paragraphs']}"
    return text


def _point(row) -> Point:
    return Point(period_label(row["period"]), float(row["rate_pct"]), _float(row["n"]), bool(row["few"]),
                 row["status"] != "valid")


def build_report(figures: pd.DataFrame, national: pd.DataFrame, statements: pd.DataFrame,
                 documents: pd.DataFrame, *, generated_at: datetime) -> ReportContent:
    """The whole report as data: figures = view kommune_figures, national = view national_figures,
    statements = view appeal_stats (for the quarantined), documents = table documents."""
    figures = with_cases(figures)
    areas = area_rows(figures)
    content = ReportContent(data={})
    kommuner = sorted(figures["municipality"].dropna().unique())
    content.kommune_slugs = {name: slug(name) for name in kommuner}
    ranked = rankings(areas)
    official = official_rates(national)
    by_kommune = _records_by_kommune(_reading_order(figures))
    areas_by_kommune = _records_by_kommune(areas)
    content.data = {
        "title": "Ankestyrelsens omgørelsesprocenter i kommunale referater",
        "generated": fmt_datetime(generated_at),
        "summary": _summary(figures, statements, documents),
        "overview": [_overview_row(row) for row in latest(areas).to_dict("records")],
        "rankings": [_ranking(content, scope, year, rows) for scope, year, rows in ranked],
        "national": _national_rows(national),
        "kommuner": [_kommune(content, name, by_kommune[name], areas_by_kommune.get(name, []), official)
                     for name in kommuner],
        "appendix": _appendix(figures, statements, documents),
    }
    return content


def _summary(figures, statements, documents) -> dict:
    status = statements["status"].value_counts() if not statements.empty else pd.Series(dtype=int)
    return {
        "documents": fmt_count(len(documents)),
        "documents_ok": fmt_count(int((documents["status"] == "ok").sum())) if not documents.empty else "0",
        "rejected": fmt_count(int((documents["status"] == "rejected").sum())) if not documents.empty else "0",
        "statements": fmt_count(len(statements)),
        "quarantined": fmt_count(int(status.get("quarantined", 0))),
        "figures": fmt_count(len(figures)),
        "kommuner": fmt_count(figures["municipality"].nunique()),
        "conflicts": fmt_count(int((figures["status"] == "conflict").sum())),
    }


def _overview_row(row) -> dict:
    return {
        "kommune": f"{row['municipality']} ({_code(row)})",
        "area": area_title(row),
        "period": period_label(row["period"]),
        "rate": _pct(row["rate_pct"]) + ("*" if row["status"] != "valid" else ""),
        "n": _number(row["n"]),
        "few": bool(row["few"]),
        "national": _pct(row["national_rate_pct"]),
        "difference": "" if is_missing(row["national_rate_pct"])
        else fmt_points(row["rate_pct"] - row["national_rate_pct"]),
        "change": "" if is_missing(row["change_pp"])
        else f"{fmt_points(row['change_pp'])} (fra {period_label(row['previous_period'])})",
    }


def _code(row) -> str:
    return "" if is_missing(row.get("kommune_code")) else f"{int(row['kommune_code']):03d}"


def _ranking(content: ReportContent, scope: str, year: str, rows: pd.DataFrame) -> dict:
    national_values = rows["national_rate_pct"].dropna()
    national = float(national_values.mode().iloc[0]) if not national_values.empty else None
    count = "1 kommune" if len(rows) == 1 else f"{len(rows)} kommuner"
    title = f"{scope_name(scope)} {period_label(year)}: {count} efter omgørelsesprocent"
    chart = Chart(f"placering-{slug(scope)}-{year}.png", "ranking", Ranking(
        title=title,
        labels=tuple(f"{place}. {r['municipality']} ({_code(r)})"
                     for place, r in zip(places(rows["rate_pct"]), rows.to_dict("records"), strict=True)),
        points=tuple(_point(r) for r in rows.to_dict("records")),
        national=national,
        national_label="" if national is None else f"Landsplan {fmt_pct(national)}",
    ))
    content.charts.append(chart)
    return {"title": title, "chart": chart.file_name, "n_kommuner": len(rows)}


def places(rates: pd.Series) -> list[int]:
    """Places in a ranking, highest first; equal rates share a place ('1, 2, 2, 4')."""
    return [int(p) for p in rates.round(2).rank(method="min", ascending=False)]


def _national_rows(national: pd.DataFrame) -> list[dict]:
    rows = []
    ordered = national.assign(_scope=national["scope"].map(SCOPE_ORDER).fillna(len(SCOPE_ORDER)),
                              _period=national["period"].map(period_order))
    for row in ordered.sort_values(["_period", "_scope", "area_label", "paragraphs"]).to_dict("records"):
        official = row["official_rates"]
        stated = row["stated_rates"]
        rows.append({
            "period": period_label(row["period"]),
            "area": area_title({"scope": row["scope"], "area_label": row["area_label"],
                                "paragraphs": row["paragraphs"]}),
            "official": "" if _empty(official) else " og ".join(fmt_pct(v) for v in official),
            "stated": "" if _empty(stated) else _values(stated),
            "n_sources": int(row["n_sources"]),
            "status": {"agrees": "stemmer", "differs": "afviger", "no_official": "intet officielt tal",
                       "official_only": ""}.get(row["status"], row["status"]),
        })
    return rows


def _values(rates) -> str:
    """'30 % og 30,5 %'; more than MAX_STATED_VALUES as their range: '22,1–31,5 % (12 værdier)'."""
    rates = sorted(float(v) for v in rates)
    if len(rates) <= MAX_STATED_VALUES:
        return " og ".join(fmt_pct(v) for v in rates)
    return f"{fmt_pct(rates[0])[:-2]}–{fmt_pct(rates[-1])} ({len(rates)} værdier)"


def _empty(values) -> bool:
    """True for a missing list (None, NaN or pd.NA from a frame) and an empty one."""
    return not hasattr(values, "__len__") or len(values) == 0


def _records_by_kommune(frame: pd.DataFrame) -> dict[str, list[dict]]:
    grouped: dict[str, list[dict]] = {}
    for row in frame.to_dict("records"):
        grouped.setdefault(row["municipality"], []).append(row)
    return grouped


def _kommune(content: ReportContent, name: str, mine: list[dict], areas: list[dict],
             official: dict[tuple[str, str], float]) -> dict:
    shown, first_year = table_rows(mine)
    sources: dict[str, dict] = {}
    groups: list[dict] = []
    for row in shown:
        refs = set()
        for source in row["sources"]:
            text = source_text(source)
            refs.add(sources.setdefault(text, {"n": len(sources) + 1, "text": text,
                                               "document": source.get("document") or ""})["n"])
        title = scope_name(row["scope"], row.get("area_label"))
        if not groups or groups[-1]["area"] != title:
            groups.append({"area": title, "rows": []})
        groups[-1]["rows"].append(_figure_row(row, _shown_refs(refs)))
    listed = list(sources.values())[:MAX_SOURCES]
    more = len(sources) - len(listed)
    panels = _panels(areas, official)
    chart = None
    if panels:
        chart = Chart(f"{slug(name)}-udvikling.png", "series", tuple(panels))
        content.charts.append(chart)
    flagged = [r for r in shown if r["status"] != "valid"]
    messages = [{"area": f"{area_title(r)}, {period_label(r['period'])}", "status": STATUS_MARK[r["status"]],
                 "text": _message(r["messages"])} for r in flagged[:MAX_MESSAGES]]
    more_messages = len(flagged) - len(messages)
    older = len(mine) - len(shown)
    where = ("diagrammet, " if chart else "") + "tal/kommunetal.csv og kommune_figures"
    code = _code(mine[0])
    return {"name": name, "code": code, "title": kommune_title(name, code), "slug": slug(name), "groups": groups,
            "older": f"Tabellen viser tallene fra {first_year} og frem; {fmt_count(older)} ældre tal står i {where}."
            if older else "",
            "chart": chart and chart.file_name, "sources": listed, "messages": messages,
            "more_messages": (f"… og {fmt_count(more_messages)} mere (alle står i kommune_figures.messages)"
                              if more_messages else ""),
            "more_sources": f"… og {fmt_count(more)} kilder mere (alle står i kommune_figures.sources)" if more else ""}


def kommune_title(name: str, code: str) -> str:
    """A kommune section's heading and bookmark: 'Københavns Kommune (101)', 'Rødovre Kommune (175)'."""
    official = OFFICIAL_NAMES.get(name, f"{name} Kommune")
    return f"{official} ({code})" if code else official


def table_rows(mine: list[dict]) -> tuple[list[dict], int]:
    """A kommune's figures (in reading order) of the TABLE_YEARS years up to its newest, and the first of
    those years."""
    first_year = max(period_order(r["period"])[0] for r in mine) - TABLE_YEARS + 1
    return [r for r in mine if period_order(r["period"])[0] >= first_year], first_year


def _shown_refs(refs: set[int]) -> list[str]:
    """A figure's source numbers, in order, at most MAX_REFS of them and only ones the list under the table
    holds (its first MAX_SOURCES); '+N' counts the rest (a figure restated in many minutes)."""
    shown = sorted(n for n in refs if n <= MAX_SOURCES)[:MAX_REFS]
    rest = len(refs) - len(shown)
    return [str(n) for n in shown] + ([f"+{rest}"] if rest else [])


def _reading_order(rows: pd.DataFrame) -> pd.DataFrame:
    """Area by area (the fixed areas first), whole-area figures before a paragraph's, oldest period first."""
    keys = pd.DataFrame({
        "scope": rows["scope"].map(SCOPE_ORDER).fillna(len(SCOPE_ORDER)),
        "area": area_keys(rows),
        "paragraph": rows["paragraph_key"].notna(),
        "paragraphs": rows["paragraphs"].fillna(""),
        "period": rows["period"].map(period_order),
    }, index=rows.index)
    return rows.loc[keys.sort_values(list(keys.columns), kind="stable").index]


def _text(value: object) -> str:
    """A value as text a table cell can break: a line may end after '+' and '/' too."""
    return "" if is_missing(value) else str(value).replace("+", "+\u200b").replace("/", "/\u200b")


def _message(value: object) -> str:
    """A figure's messages, cut at MAX_MESSAGE_CHARS with a pointer to the whole text."""
    text = _text(value)
    if len(text) <= MAX_MESSAGE_CHARS:
        return text
    return f"{shorten(text, MAX_MESSAGE_CHARS)} (hele teksten: kommune_figures.messages)"


def _figure_row(row, refs: list[str]) -> dict:
    national = _pct(row["national_rate_pct"])
    if national and row["national_source"] == "officiel":
        national += "°"
    return {
        "period": period_label(row["period"]),
        "paragraphs": _text(row["paragraphs"]),
        "received": _number(row["received"]),
        "decided": _number(row["decided"]),
        "real": _number(row["realitetsbehandlede"]),
        "stadfaestet": _number(row["stadfaestet"]),
        "hjemvist": _number(row["hjemvist"]),
        "aendret": _number(row["aendret"]),
        "afvist": _number(row["afvist"]),
        "rate": _pct(row["rate_pct"]),
        "n": _number(row["n"]),
        "few": bool(row["few"]),
        "national": national,
        "sources": ", ".join(refs),
        "status": STATUS_MARK[row["status"]],
    }


KIND_SUFFIX = {"Y": "", "Q": " (kvartaler)", "H": " (halvår)"}


def _panels(areas: list[dict], official: dict[tuple[str, str], float]) -> list[Panel]:
    """One panel per area of a kommune (``areas`` in reading order) and kind of period, oldest first:
    a quarter's rate is not joined by a line to a year's."""
    by_area: dict[tuple, list[dict]] = {}
    for row in areas:
        label = row["area_label"] if row["scope"] in LABELLED_SCOPES else None
        by_area.setdefault((row["scope"], label, period_kind(row["period"])), []).append(row)
    panels = []
    for (scope, _label, kind), rows in by_area.items():
        nationals = tuple(_float(r["national_rate_pct"]) if not is_missing(r["national_rate_pct"])
                          else official.get((scope, r["period"])) for r in rows)
        panels.append(Panel(area_title(rows[0]) + KIND_SUFFIX.get(kind, ""), tuple(_point(r) for r in rows),
                            nationals))
    return panels


def _more(total: int, where: str) -> str:
    if total <= MAX_APPENDIX_ROWS:
        return ""
    return f"… og {fmt_count(total - MAX_APPENDIX_ROWS)} mere: se {where} i databasen."


def _appendix(figures, statements, documents) -> dict:
    flagged = figures[figures["status"] != "valid"]
    quarantined = statements[statements["status"] == "quarantined"] if not statements.empty else statements
    rejected = documents[documents["status"] == "rejected"] if not documents.empty else documents
    return {
        "flagged": [{"kommune": r["municipality"], "area": area_title(r), "period": period_label(r["period"]),
                     "status": STATUS_MARK[r["status"]], "text": _message(r["messages"])}
                    for r in flagged.head(MAX_APPENDIX_ROWS).to_dict("records")],
        "flagged_more": _more(len(flagged), "kommune_figures WHERE status <> 'valid'"),
        "quarantined": [{"kommune": r["municipality"] if not is_missing(r["municipality"]) else "ukendt",
                         "area": area_title(r), "period": period_label(r["period"]),
                         "source": source_text(r), "text": _message(r["messages"])}
                        for r in quarantined.head(MAX_APPENDIX_ROWS).to_dict("records")],
        "quarantined_more": _more(len(quarantined), "appeal_stats WHERE status = 'quarantined'"),
        "rejected": [{"document": r["document"], "text": danish_reason(r["reason"])}
                     for r in rejected.head(MAX_APPENDIX_ROWS).to_dict("records")],
        "rejected_more": _more(len(rejected), "documents WHERE status = 'rejected'"),
    }
