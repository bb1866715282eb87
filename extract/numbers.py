"""Numbers as Danish minutes write them: 1.246, 31,8 pct., 26,7pct, 72,1 %, 30 procent, otte, én."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from text_to_num import text2num

from transform.vocabulary import NUMBER_WORDS

# "35.4 %": a decimal point only before a percent unit; otherwise "1.318" is a thousands separator.
_DIGITS = r"(?P<int>\d{1,3}(?:\.\d{3})+(?!\d)|\d+)(?:,(?P<dec>\d+)|\.(?P<dot>\d{1,2})(?=\s?(?:%|pct\b|procent\b)))?"
_WORD = r"(?P<word>[a-zæøåé]+(?:og[a-zæøå]+)?)"
_UNIT = r"(?P<unit>\s*(?:%|pct\b\.?|procent\b)|(?:pct\b\.?|procent\b))?"
_NUMBER_RX = re.compile(
    rf"(?<![\w.,])(?:{_DIGITS}|{_WORD})(?![\d])(?:{_UNIT})",
    re.IGNORECASE,
)


_ANY_NUMBER_RX = re.compile(
    r"\d|(?<![\wæøå])(?:" + "|".join(sorted(NUMBER_WORDS, key=len, reverse=True))
    + r"|[a-zæøå]+og(?:tyve|tredive|fyrre|halvtreds|tres|halvfjerds|firs|halvfems))(?![\wæøå])",
    re.IGNORECASE,
)


def has_number(text: str, start: int, end: int) -> bool:
    """Does text[start:end] hold a number (digits or a number word)? A cheap test before the real reading."""
    return _ANY_NUMBER_RX.search(text, start, end) is not None


@dataclass(frozen=True)
class Value:
    """A number found in text. kind: 'pct' (has a percent unit) or 'number' (no unit)."""

    start: int
    end: int
    value: float
    kind: str
    decimals: int
    text: str

    @property
    def is_integer(self) -> bool:
        return self.decimals == 0 and float(self.value).is_integer()


def find_values(text: str) -> list[Value]:
    """Every number in ``text`` (digits or Danish number words), with its unit if it has one."""
    values = []
    for m in _NUMBER_RX.finditer(text):
        parsed = _parse(m)
        if parsed is None:
            continue
        number, decimals = parsed
        kind = "pct" if m.group("unit") else "number"
        if m.group("word") and not m.group("unit") and _is_glued_word(text, m):
            continue
        values.append(Value(m.start(), m.end(), number, kind, decimals, m.group(0)))
    return values


def parse_danish_number(text: str) -> float | None:
    """'1.246' -> 1246, '31,8' -> 31.8, 'otte' -> 8, 'enogtyve' -> 21; None when it is not a number."""
    m = _NUMBER_RX.fullmatch(text.strip())
    if not m:
        return None
    parsed = _parse(m)
    return parsed[0] if parsed else None


def _parse(m: re.Match) -> tuple[float, int] | None:
    if m.group("int"):
        whole = int(m.group("int").replace(".", ""))
        dec = m.group("dec") or m.group("dot")
        return (whole + int(dec) / 10 ** len(dec), len(dec)) if dec else (float(whole), 0)
    word_value = number_word(m.group("word"))
    return (float(word_value), 0) if word_value is not None else None


@lru_cache(maxsize=4096)
def number_word(word: str) -> int | None:
    """The value of a Danish number word, or None. Articles ('en', 'et') are not numbers."""
    word = word.lower()
    if word in NUMBER_WORDS:
        return NUMBER_WORDS[word]
    if "og" not in word or len(word) < 6:
        return None
    try:
        return text2num(word, "da")  # compounds such as 'enogtyve', 'toogfyrre'
    except ValueError:
        return None


def _is_glued_word(text: str, m: re.Match) -> bool:
    """A number word only counts as a whole word ('to' in 'to sager', not a prefix of a longer word)."""
    end = m.end()
    return end < len(text) and (text[end].isalpha() or text[end] == "-")
