"""Period mentions in Danish text: years, quarters, half-years and relative periods ("sidste år")."""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from transform.vocabulary import ORDINAL_WORDS

_ORDINAL = r"(?P<ord>[1-4])\.\s*|(?P<word>første|andet|anden|tredje|fjerde)\s+"
_YEAR = r"(?:\s+(?:i\s+|af\s+)?(?P<year>(?:19|20)\d\d))?"
_QUARTER = re.compile(rf"\b(?:{_ORDINAL})(?:kvartal|kvt\.?){_YEAR}", re.IGNORECASE)
_QUARTER_Q = re.compile(r"\bQ(?P<ord>[1-4])\s*[-/]?\s*(?P<year>(?:19|20)\d\d)\b")
_HALF = re.compile(rf"\b(?:{_ORDINAL})halvår{_YEAR}", re.IGNORECASE)
# "1.-3. kvartal 2023", "1. og 2. kvartal": several quarters. The span has no period code of its own; it is
# recognised so that it is not read as a year or a count, and so that "henholdsvis 19, 23 og 21" can give
# each quarter its figure.
_QUARTER_SPAN = re.compile(
    r"\b(?P<first>[1-4])\.\s*(?P<join>[-–]|og|til)\s*(?P<last>[1-4])\.\s*kvartal(?:\s+(?:i\s+)?(?P<year>(?:19|20)\d\d))?",
    re.IGNORECASE,
)
# "siden 2013", "i perioden 2019-2021": a cumulative period has no code; figures of it are not stored.
_CUMULATIVE = re.compile(
    r"\bsiden\s+(?:[\wæøå]+\s+){0,3}(?:19|20)\d\d\b"
    r"|\b(?:i\s+)?perioden\s+(?:19|20)\d\d\s*[-–]\s*(?:19|20)?\d\d\b",
    re.IGNORECASE,
)
_YEAR_ONLY = re.compile(r"(?<![\d.,/-])(?P<year>(?:19[89]|20\d)\d)(?:-tallene|-tal)?(?![\d.,]\d|\s*[-–]\s*\d)")
_RELATIVE = (
    (re.compile(r"\bsidste\s+år(?:s)?\b|\bi\s+fjor\b|\bforrige\s+år\b", re.IGNORECASE), "meeting", -1),
    (re.compile(r"\bi\s+år\b|\bindeværende\s+år\b", re.IGNORECASE), "meeting", 0),
    (re.compile(r"\båret\s+før\b|\båret\s+(?:for)?inden\b|\bforegående\s+år\b", re.IGNORECASE), "context", -1),
)


@dataclass(frozen=True)
class PeriodMention:
    start: int
    end: int
    period: str | None  # None: a period the contract cannot express (e.g. "1.-3. kvartal")
    year: int | None  # None: the year must come from context
    part: str = ""  # '', 'Q3', 'H1'
    relative_to: str = ""  # '', 'meeting', 'context'
    delta: int = 0
    parts: tuple[str, ...] = ()  # a span of quarters: ('Q1', 'Q2', 'Q3')
    cumulative: bool = False  # "siden 2013": several years added up

    @property
    def names_no_single_period(self) -> bool:
        return bool(self.parts) or self.cumulative

    def resolve_parts(self, context_year: int | None) -> list[tuple[str, int]]:
        """Each quarter of a span, with the span's year or the context's."""
        year = self.year or context_year
        return [(f"{year}-{part}", year) for part in self.parts] if year else []

    def resolve(self, context_year: int | None, meeting_year: int | None) -> tuple[str, int] | None:
        """The (period, year) this mention names, using the context or meeting year where needed."""
        if self.names_no_single_period:
            return None  # a span or a sum of years names no single period
        if self.period is None and not self.relative_to and self.year is None and not self.part:
            return None
        year = self.year
        if self.relative_to == "meeting":
            year = meeting_year + self.delta if meeting_year else None
        elif self.relative_to == "context":
            year = context_year + self.delta if context_year else None
        elif year is None:
            year = context_year
        if year is None:
            return None
        return (f"{year}-{self.part}" if self.part else str(year)), year


def find_period_mentions(text: str) -> list[PeriodMention]:
    """Every period named in ``text``, left to right, without overlaps."""
    found: list[PeriodMention] = []
    taken: list[tuple[int, int]] = []  # sorted, non-overlapping: a bisect keeps this linear in the text

    def add(mention: PeriodMention) -> None:
        at = bisect.bisect_left(taken, (mention.start, mention.end))
        if (at > 0 and taken[at - 1][1] > mention.start) or (at < len(taken) and taken[at][0] < mention.end):
            return
        taken.insert(at, (mention.start, mention.end))
        found.append(mention)

    for m in _CUMULATIVE.finditer(text):
        add(PeriodMention(m.start(), m.end(), None, None, cumulative=True))
    for m in _QUARTER_SPAN.finditer(text):
        first, last = int(m.group("first")), int(m.group("last"))
        numbers = range(first, last + 1) if m.group("join") in "-–" or m.group("join") == "til" else (first, last)
        year = int(m.group("year")) if m.group("year") else None
        add(PeriodMention(m.start(), m.end(), None, year, parts=tuple(f"Q{n}" for n in numbers)))
    for rx, prefix in ((_QUARTER, "Q"), (_QUARTER_Q, "Q"), (_HALF, "H")):
        for m in rx.finditer(text):
            number = _ordinal_value(m)
            if prefix == "H" and number > 2:
                continue
            year = int(m.group("year")) if m.group("year") else None
            add(PeriodMention(m.start(), m.end(), f"{prefix}{number}", year, part=f"{prefix}{number}"))
    for rx, relative_to, delta in _RELATIVE:
        for m in rx.finditer(text):
            add(PeriodMention(m.start(), m.end(), "relative", None, relative_to=relative_to, delta=delta))
    for m in _YEAR_ONLY.finditer(text):
        year = int(m.group("year"))
        add(PeriodMention(m.start(), m.end(), str(year), year))
    return sorted(found, key=lambda p: p.start)


def _ordinal_value(match: re.Match) -> int:
    if match.group("ord"):
        return int(match.group("ord"))
    return ORDINAL_WORDS[match.group("word").lower()]
