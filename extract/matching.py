"""Find the words that give numbers their meaning: outcome keywords, scopes, national markers.

Each finder returns spans into the text it is given; matching is case-insensitive and the longest phrase
wins where two start at the same place.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from transform.vocabulary import (
    CASE_NOUNS,
    HYPOTHETICAL_MARKERS,
    INEQUALITY_WORDS,
    RESTATEMENT_PHRASES,
    SCOPE_PHRASES,
    area_name,
    keyword_patterns,
)


@dataclass(frozen=True)
class Keyword:
    start: int
    end: int
    kind: str  # a key of OUTCOME_PHRASES, or 'total'


@dataclass(frozen=True)
class ScopeMention:
    start: int
    end: int
    scope: str
    label: str


def _alternation(patterns: list[tuple[str, str]]) -> tuple[re.Pattern, list[str]]:
    groups = [f"(?P<g{i}>{p})" for i, (p, _) in enumerate(patterns)]
    kinds = [kind for _, kind in patterns]
    return re.compile(r"(?<![\wæøå])(?:" + "|".join(groups) + r")(?![\wæøå])", re.IGNORECASE), kinds


def _longest_first(patterns: list[tuple[str, str]]) -> list[tuple[str, str]]:
    # Regex alternation takes the first alternative that matches; listing longer patterns first makes the
    # longest phrase win ("hjemvist eller ændret" before "hjemvist").
    return sorted(patterns, key=lambda pair: len(pair[0]), reverse=True)


_KEYWORD_RX, _KEYWORD_KINDS = _alternation(_longest_first(keyword_patterns()))
_SCOPE_RX, _SCOPE_KINDS = _alternation(_longest_first(list(SCOPE_PHRASES)))
_HYPOTHETICAL_RX = re.compile("|".join(HYPOTHETICAL_MARKERS), re.IGNORECASE)
_RESTATEMENT_RX = re.compile(r"\b(?:" + "|".join(RESTATEMENT_PHRASES) + r")", re.IGNORECASE)
_INEQUALITY_RX = re.compile(r"\b(?:" + "|".join(INEQUALITY_WORDS) + r")\s*$", re.IGNORECASE)
_CASE_NOUN_AFTER_RX = re.compile(
    r"\s*(?:\([^)]*\)\s*)?(?:[a-zæøå]+\s+)?(?:" + "|".join(CASE_NOUNS) + r")\b", re.IGNORECASE
)
_CASE_NOUN_RIGHT_AFTER_RX = re.compile(r"\s*(?:" + "|".join(CASE_NOUNS) + r")\b", re.IGNORECASE)


def _matches(rx: re.Pattern, kinds: list[str], text: str, start: int, end: int):
    for m in rx.finditer(text, start, end):
        index = int(m.lastgroup[1:])
        yield m, kinds[index]


def find_keywords(text: str, start: int, end: int) -> list[Keyword]:
    return [Keyword(m.start(), m.end(), kind) for m, kind in _matches(_KEYWORD_RX, _KEYWORD_KINDS, text, start, end)]


def find_scopes(text: str, start: int, end: int) -> list[ScopeMention]:
    return [
        ScopeMention(m.start(), m.end(), scope, area_name(scope, m.group(0)))
        for m, scope in _matches(_SCOPE_RX, _SCOPE_KINDS, text, start, end)
    ]


def is_hypothetical(text: str) -> bool:
    """Worked examples and counterfactuals ("skulle 8 sager yderligere have været stadfæstet")."""
    return bool(_HYPOTHETICAL_RX.search(text))


def is_restatement(text: str) -> bool:
    return bool(_RESTATEMENT_RX.search(text))


def follows_inequality(text: str, value_start: int, clause_start: int) -> bool:
    """A bound, not a figure: "under 10 %"."""
    return bool(_INEQUALITY_RX.search(text, clause_start, value_start))


def case_noun_follows(text: str, value_end: int, end: int, *, adjective_allowed: bool = True) -> bool:
    rx = _CASE_NOUN_AFTER_RX if adjective_allowed else _CASE_NOUN_RIGHT_AFTER_RX
    return bool(rx.match(text, value_end, end))
