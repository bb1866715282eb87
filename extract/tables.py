"""Read statistics tables: a header line that names the columns, then one line per row.

Minutes flatten their tables in several ways: cells split by tabs (text, PDF, DOCX and HTML readers),
by " | ", by runs of spaces, or (PDF) by single spaces. All of them look alike once a line is read as
a label followed by numbers, so one reader serves every format:

- a *row* is a line that starts with a label and holds nothing after it but numbers and separators;
- the *header* is the line just above the first row; it names one column per number, either the
  figures ("Afgjorte | Stadfæstet | Hjemvist | … | Omgørelsesprocent | Landsplan") or the periods
  ("Børnehandicapområdet 2020 2021 2022", "1. kvt. 2021 …");
- a row's label says whom the figures are about: a kommune, a law or area, a § group, "I alt", or the
  country ("Hele landet", "Landsplan"); with periods as columns the label names the figure instead.

A table whose header does not name exactly as many columns as its rows hold numbers is not read: a
figure that cannot be placed is not stored.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from extract.matching import find_scopes
from extract.municipalities import canonical_name, find_municipality_mentions
from extract.numbers import Value, find_values
from extract.periods import PeriodMention, find_period_mentions

# Column names, longest first where they overlap. 'merits' (realitetsbehandlede) is the decided count only
# where the table has no afgjorte column.
_COLUMN_WORDS: tuple[tuple[str, str], ...] = (
    (r"modtagne\s+(?:klager|sager)|modtaget|modtagne", "received"),
    (r"(?:antal\s+)?afgjorte?\s+(?:klage)?sager|afgjorte?|(?:antal\s+)?afgørelser|(?:antal\s+)?sager\s+i\s+alt|"
     r"antal\s+(?:klage)?sager|(?:klage)?sager|antal", "decided"),
    (r"realitetsbehandle(?:de|t)(?:\s+sager)?", "merits"),
    (r"stadfæst\w*", "stadfaestet"),
    (r"hjemvis\w*", "hjemvist"),
    (r"(?:ændret|ændrede|ændring\w*)(?:\s*/\s*ophæve\w*|\s+eller\s+ophævet)?|ophævet", "aendret"),
    (r"(?:heraf\s+)?(?:afvist\w*|afviste)(?:\s*/\s*(?:henvist|bortfald)\w*|\s+eller\s+bortfald\w*)?"
     r"|bortfald\w*", "afvist"),
    (r"omgjort\w*(?:\s+(?:sager|afgørelser))?|omgørelser", "reversed"),
    (r"omgørelses?-?\s*%|%\s*omgjort\w*|"
     r"omgørelse\s?s?\s*-?\s*s?p\s?rocen\s?t\w*|omgørelse\s+i\s+(?:pct\.?|procent)|omgørelsesandel\w*", "rate"),
    (r"landsplan\w*|landsgennemsnit\w*|hele\s+landet|gennemsnit\s+for\s+(?:hele\s+)?landet", "national"),
)
_COLUMN_RX = re.compile(
    r"(?<![\wæøå])(?:" + "|".join(f"(?P<c{i}>{p})" for i, (p, _) in enumerate(_COLUMN_WORDS)) + r")(?![\wæøå])",
    re.IGNORECASE,
)
_COLUMN_KINDS = [kind for _, kind in _COLUMN_WORDS]
_TOTAL_LABEL = re.compile(r"^\s*(?:i\s+alt|total|samlet|alle\s+områder)\s*$", re.IGNORECASE)
_OTHER_LABEL = re.compile(r"^\s*(?:øvrige|andre)\b.*$", re.IGNORECASE)
_COMMITTEE_LABEL = re.compile(r"^\s*[A-ZÆØÅ][\w\s,-]*udvalg(?:et)?\s*$")
_PARAGRAPH_LABEL = re.compile(r"^\s*§")
_ROW_TAIL = re.compile(r"(?:[\s|]+\d[\d.,]*(?:\s*(?:%|pct\b\.?|procent\b))?){2,}[\s|]*$", re.IGNORECASE)
_SEPARATORS = re.compile(r"^[\s|]*$")
_MAX_LABEL = 80


@dataclass(frozen=True)
class Column:
    kind: str  # a figure kind ('decided', 'rate', …) or 'period'
    period: PeriodMention | None = None


@dataclass(frozen=True)
class Row:
    start: int
    end: int
    label: str
    values: tuple[Value, ...]


@dataclass(frozen=True)
class Table:
    start: int  # the header line
    end: int  # the end of the last row
    header_label: str  # the header's first cell ("Socialområdet 2018", "Lovområde"); may name scope/period
    header_label_start: int
    columns: tuple[Column, ...]
    rows: tuple[Row, ...]

    @property
    def by_period(self) -> bool:
        return all(c.kind == "period" for c in self.columns)


@dataclass(frozen=True)
class RowSubject:
    """What a row's label says it is about."""

    kind: str  # 'kommune', 'national', 'total', 'scope', 'paragraph', 'other', 'figure' (periods as columns)
    municipality: str | None = None
    scope: tuple[str, str] | None = None  # (scope code, label)
    paragraph: str | None = None
    figure: str | None = None


def find_tables(text: str, values_text: str, start: int, end: int) -> list[Table]:
    """Every readable table in text[start:end]. ``values_text`` is the text with distractors and periods
    blanked (same offsets), where the numbers are looked for."""
    lines = _lines(text, start, end)
    tables = []
    i = 0
    while i < len(lines):
        row = _row(text, values_text, *lines[i])
        if row is None:
            i += 1
            continue
        block = [row]
        j = i + 1
        while j < len(lines):
            nxt = _row(text, values_text, *lines[j])
            if nxt is None or len(nxt.values) != len(row.values):
                break
            block.append(nxt)
            j += 1
        table = _with_header(text, lines, i, block)
        if table:
            tables.append(table)
        i = j
    return tables


def classify_row(label: str) -> RowSubject | None:
    """What a row label names, or None when it names nothing a statistic can be about."""
    if _TOTAL_LABEL.match(label):
        return RowSubject("total")
    figure = _column_kinds(label)
    if len(figure) == 1 and figure[0].kind == "national":
        return RowSubject("national")
    if _PARAGRAPH_LABEL.match(label):
        return RowSubject("paragraph", paragraph=label.split(",")[0] if "§§" not in label else label)
    names = {name for _, _, name in find_municipality_mentions(label)}
    exact = canonical_name(re.sub(r"\s+kommune$", "", label.strip(), flags=re.IGNORECASE))
    if exact or len(names) == 1:
        return RowSubject("kommune", municipality=exact or names.pop())
    if _COMMITTEE_LABEL.match(label):
        return RowSubject("scope", scope=("committee", " ".join(label.split())))
    scopes = find_scopes(label, 0, len(label))
    if scopes:
        return RowSubject("scope", scope=(scopes[0].scope, scopes[0].label))
    if _OTHER_LABEL.match(label):
        return RowSubject("scope", scope=("other", " ".join(label.split()).lower()))
    if len(figure) == 1 and figure[0].kind != "period":
        return RowSubject("figure", figure=figure[0].kind)
    return None


def one_figure(label: str) -> str | None:
    """The figure a header cell names, if it names exactly one ("Omgørelsesprocent", "Afgjorte sager")."""
    kinds = {c.kind for c in _column_kinds(label)} - {"period"}
    return kinds.pop() if len(kinds) == 1 else None


def _lines(text: str, start: int, end: int) -> list[tuple[int, int]]:
    lines = []
    pos = start
    while pos < end:
        nl = text.find("\n", pos, end)
        line_end = end if nl == -1 else nl
        lines.append((pos, line_end))
        pos = line_end + 1
    return lines


def _row(text: str, values_text: str, start: int, end: int) -> Row | None:
    """A line holding a label and then only numbers: a table row."""
    if end - start > 400 or not _ROW_TAIL.search(values_text, start, end):
        return None  # the cheap test first: a row ends in two or more numbers, prose seldom does
    values = [v for v in find_values(values_text[start:end]) if v.text[:1].isdigit()]
    if len(values) < 2:
        return None
    label = text[start : start + values[0].start].strip(" \t|:")
    if not label or len(label) > _MAX_LABEL or not re.search(r"[A-Za-zÆØÅæøå§]", label):
        return None
    rest = values_text[start + values[0].start : end]
    for v in reversed(values):
        offset = v.start - values[0].start
        rest = rest[:offset] + " " * len(v.text) + rest[offset + len(v.text) :]
    if not _SEPARATORS.match(rest):
        return None
    shifted = tuple(Value(v.start + start, v.end + start, v.value, v.kind, v.decimals, v.text) for v in values)
    return Row(start, end, label, shifted)


def _with_header(text: str, lines, first_row: int, rows: list[Row]) -> Table | None:
    """The table whose rows are ``rows``, with the header line above them; None without a fitting header."""
    width = len(rows[0].values)
    header_lines = _header_lines(text, lines, first_row)
    for header_start, header_end, extra in header_lines:
        header = text[header_start:header_end]
        columns = _column_kinds(header)
        if extra:
            columns += _column_kinds(text[extra[0] : extra[1]])
        label_end = _first_column_start(header, width, columns)
        if label_end is None:
            continue
        if len(columns) == width + 1:
            columns = columns[1:]  # the first one named the label column ("Socialområdet 2018")
        if len(columns) != width:
            continue
        kinds = {c.kind for c in columns}
        if "period" in kinds and kinds != {"period"}:
            continue
        if not extra and not _cells_agree(header, width, columns):
            continue  # a cell the vocabulary does not know would shift every figure after it: not read
        return Table(header_start, rows[-1].end, header[:label_end].strip(" \t|"), header_start, tuple(columns),
                     tuple(rows))
    return None


_CELL_SPLIT = re.compile(r"\t|\s\|\s|\s{2,}")


def _cells_agree(header: str, width: int, columns: list[Column]) -> bool:
    """A header written in cells (tabs, bars, runs of spaces) must name exactly one column in each cell after
    the label, in order. A header in single spaces (PDF) cannot be checked this way and passes."""
    cells = [c for c in _CELL_SPLIT.split(header.strip()) if c.strip(" |")]
    if len(cells) < 2:
        return True
    named = cells[-width:]
    if len(cells) not in (width, width + 1):
        return False
    return [k for cell in named for k in [c.kind for c in _column_kinds(cell)]] == [c.kind for c in columns] and all(
        len(_column_kinds(cell)) == 1 for cell in named)


def _header_lines(text: str, lines, first_row: int):
    """Candidate headers above the first row: the line right above (skipping one blank line), or that
    line with a short wrapped continuation below it ("Omgørelsesprocent Landsplan" broken in two)."""
    above = [k for k in range(first_row - 1, max(-1, first_row - 3), -1) if text[lines[k][0] : lines[k][1]].strip()]
    if not above:
        return []
    k = above[0]
    candidates = [(lines[k][0], lines[k][1], None)]
    if len(above) > 1 and above[1] == k - 1 and len(text[lines[k][0] : lines[k][1]].split()) <= 2:
        candidates.insert(0, (lines[k - 1][0], lines[k - 1][1], lines[k]))
    return candidates


def _column_kinds(header: str) -> list[Column]:
    """The columns a header names, left to right: figure words and periods."""
    return [c for _, _, c in _column_spans(header)]


def _column_spans(header: str) -> list[tuple[int, int, Column]]:
    found: list[tuple[int, int, Column]] = []
    for m in _COLUMN_RX.finditer(header):
        index = int(m.lastgroup[1:])
        found.append((m.start(), m.end(), Column(_COLUMN_KINDS[index])))
    for p in find_period_mentions(header):
        if p.period is None or p.relative_to:
            continue
        if not any(a < p.end and p.start < b for a, b, _ in found):
            found.append((p.start, p.end, Column("period", p)))
    return sorted(found, key=lambda f: f[0])


def _first_column_start(header: str, width: int, columns: list[Column]) -> int | None:
    """Where the label part of the header ends: before the first column name that is a column."""
    spans = _column_spans(header)
    if not spans:
        return None
    if len(columns) == width + 1 and len(spans) >= 2:
        return spans[1][0]
    return spans[0][0]
