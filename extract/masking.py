"""Blank out numbers that are never appeal figures: dates, § numbers, case numbers, money, page numbers.

Masking replaces a span with spaces of the same length, so every offset into the masked text is still an
offset into the document. What is masked here can never become a stored figure.
"""

from __future__ import annotations

import re

from transform.vocabulary import MONTHS, NUMBER_WORDS

_MONTH = "|".join(sorted(MONTHS, key=len, reverse=True))
_NUMBER_WORD = "|".join(sorted(NUMBER_WORDS, key=len, reverse=True))
# "§ 32a", "§ 32 a", "§ 95-97", "§§ 44-45", "§ 41 og 42", "§§ 32, 32a og 36", "§ 85, stk. 2"; not the "o" of
# "§ 100 og §§ 95-97" nor the "i" of "§ 41 i serviceloven". A list ends where its numbers stop rising:
# in "15 sager efter § 41 og 6 blev ændret" the 6 is a count (see paragraph_spans).
_PARAGRAPH_LETTER = r"(?:(?:[a-z]|\s+[a-hj-z])(?![a-zæøå])(?!\.\s*fl))?"
_PARAGRAPH_ITEM = rf"\d+{_PARAGRAPH_LETTER}"
_PARAGRAPH_REF = rf"§§?\s*{_PARAGRAPH_ITEM}(?:\s*(?:,|-|–|og|eller)\s*{_PARAGRAPH_ITEM}\b)*(?:,?\s*stk\.\s*\d+)?"
_COUNTED = re.compile(r"\s+(?:(?:klage)?sag(?:er)?|afgørelser?|klager?|tilfælde)\b", re.IGNORECASE)
_PARAGRAPH_HEAD = re.compile(r"§§?\s*(?P<n>\d+)")
_PARAGRAPH_NEXT = re.compile(r"\s*(?P<join>,|-|–|og|eller)\s*(?P<n>\d+)")

DISTRACTORS: tuple[str, ...] = (
    # dates: 17-05-2022, 02.03.2022, 2022-05-17, 8. marts 2021, d. 5. sep., den 28.
    r"\b\d{1,2}[./-]\d{1,2}[./-](?:\d{4}|\d{2})\b",
    r"\b\d{4}-\d{2}-\d{2}\b",
    rf"\b\d{{1,2}}\.\s*(?:{_MONTH})\b\.?(?:\s+\d{{4}})?",
    r"\b(?:d|den)\.?\s+\d{1,2}\.(?!\d)",
    # law numbers, agenda and appendix numbers, chapters, pages, clock times (§ references: paragraph_spans)
    r"\bstk\.\s*\d+",
    r"\b(?:nr|j\.\s?nr|lbk\.?\s?nr|sag\s+nr)\.?\s*\d[\d./-]*",
    r"\b(?:punkt|pkt|bilag|kapitel|kap|side|afsnit|tabel|figur|lov|bekendtgørelse)\.?\s+\d+[a-z]?\b",
    r"\bside\s+\d+\s+af\s+\d+",
    r"\bkl\.?\s*\d{1,2}[.:]\d{2}",
    # case and journal numbers: 22-1-15.20.00-A00, 20/20013, 00.22.02-P35-18-17
    r"\b\d+(?:[./-]\d+){2,}(?:-[A-Z]\w*)*\b",
    r"\b\d+/\d+\b",
    r"\b[A-Z]\d+(?:-\d+)+\b",
    # electoral and budget periods: 2022-2025
    r"\b(?:19|20)\d\d\s*[-–]\s*(?:19|20)?\d\d\b",
    # money: kr. 560.502, 812.121,20 kr., 53,6 mio. kr.
    r"\b(?:kr\.?|dkk)\s*\d[\d.,]*(?:\s*(?:mio|mia)\.?)?",
    r"\d[\d.,]*\s*(?:mio\.?|mia\.?|millioner|milliarder|tusind)?\s*(?:kr\b\.?|kroner|dkk\b)",
    # percentage points are differences, not rates; so is "to procent over landsgennemsnittet"
    rf"(?:\d+(?:,\d+)?\s*|(?:{_NUMBER_WORD})\s+)(?:%|pct\.?|procent)\s+(?:over|under|højere|lavere)\b",
    r"\d+(?:,\d+)?\s*(?:procentpoint\w*|pct\.?-?\s?point\w*|%-point\w*)",
    # counts of things that are not appeals
    r"\b\d[\d.,]*\s+(?:kommuner|kommunerne|borgere|personer|medarbejdere|årsværk|ansatte|virksomheder|"
    r"måned(?:er|ers)?|ug(?:e|er|ers)|dag(?:e|es)?|tim(?:e|er|ers)|års?|elever|børn|unge|familier|"
    r"sagsbehandlere|jurister|jobordrer|stillinger|minutter)\b",
    # rankings: "nr. 12 ud af 98", "en 45. plads", "som nummer 7"
    r"\b\d{1,3}\.\s*plads\b",
    r"\b(?:nummer|plads)\s+\d{1,3}\b",
    # phone numbers and postcodes with town names are rare in the statistics sentences; keep it simple
    r"\btlf\.?\s*[\d ]{8,}",
)
# Every distractor starts a word; the look-behind makes the many alternatives run at word starts only.
_DISTRACTOR_RX = re.compile(r"(?<![\wæøå])(?:" + "|".join(f"(?:{p})" for p in DISTRACTORS) + ")", re.IGNORECASE)
_PARAGRAPH_RX = re.compile(_PARAGRAPH_REF)
# Numbered list markers at the start of a line ("1. at drøfte ...", "Ad 2.") and table-of-contents lines
# ("Meddelelser.....	10").
_LIST_MARKER_RX = re.compile(r"^[ \t]*(?:ad\s+)?(?:\d{1,2}|[a-z])[.)](?=\s)", re.IGNORECASE | re.MULTILINE)
# A contents line has a dotted leader or a long title before a tab; a short label and a tab ("I alt\t130")
# is a table row.
_TOC_LINE_RX = re.compile(r"^(?:.*\.{3,}|[^\t\n]{25,}\t)\s*\d{1,3}[ \t]*$", re.MULTILINE)


def mask_distractors(text: str) -> str:
    """``text`` with every distractor number blanked out (same length, same offsets)."""
    if "§" in text:
        chars = list(text)
        for start, end in paragraph_spans(text):
            chars[start:end] = " " * (end - start)
        text = "".join(chars)
    for rx in (_TOC_LINE_RX, _LIST_MARKER_RX, _DISTRACTOR_RX):
        text = rx.sub(_spaces, text)
    return text


def paragraph_spans(text: str) -> list[tuple[int, int]]:
    """Where the § references stand: "§ 95, 96 og 97", "§ 41 og 42", "§§ 108 og 107". After a single §, a
    smaller number is a count ("efter § 41 og 6 blev ændret", "§ 112 og 8 af dem"), and so is any number
    followed by a case noun ("12 sager efter § 41 og 45 sager efter § 42")."""
    spans = []
    for m in _PARAGRAPH_RX.finditer(text):
        head = _PARAGRAPH_HEAD.match(text, m.start())
        number, end, plural = int(head["n"]), m.end(), text.startswith("§§", m.start())  # "§§" is always a list
        for item in _PARAGRAPH_NEXT.finditer(text, head.end(), m.end()):
            if (int(item["n"]) < number and not plural) or _COUNTED.match(text, item.end()):
                end = item.start()
                break
            number = int(item["n"])
        spans.append((m.start(), end))
    return spans


def _spaces(match: re.Match) -> str:
    return re.sub(r"[^\n]", " ", match.group(0))


def find_paragraph_refs(text: str) -> list[tuple[int, int, str, str]]:
    """(start, end, label, first paragraph number) for each § reference, e.g. '§§ 32, 32a, 36, 39-40'."""
    refs = []
    for start, end in paragraph_spans(text):
        raw = text[start:end].strip().rstrip(",")
        body = raw.lstrip("§").strip()
        prefix = "§§" if raw.startswith("§§") else "§"
        first = re.match(r"\d+", body)
        refs.append((start, start + len(text[start:end].rstrip(", ")), f"{prefix} {body}", first.group(0)))
    return refs
