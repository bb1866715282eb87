"""Counts a sentence states without a keyword of their own, read only where the figures beside them confirm
them:

- "42,9 pct. (6 ud af 14 sager)", "30,0 procent, svarende til tre ud af ti sager", "Det svarer til 73 sager
  ud af 198": N is the reversed count when N of M gives the reversal rate stated beside it (or in the
  sentence before) to its decimals;
- "2 afgørelser, som begge er stadfæstet", "tre sager, som alle blev stadfæstet", "én afgørelse, som blev
  stadfæstet": the outcome's count is the decided total as well.
"""

from __future__ import annotations

import re
from dataclasses import replace

from extract.context import FoundSentence
from extract.models import Fact
from extract.numbers import parse_danish_number

_CASES = r"(?:klage)?sag(?:er)?|afgørelser?|klager?"
_OUT_OF = re.compile(rf"(?<![\w,.])(?P<n>\d+|[a-zæøåé]+)(?:\s+(?:{_CASES}))?\s+ud\s+af\s+(?P<m>\d+|[a-zæøåé]+)\b",
                     re.IGNORECASE)
_ALL_OF_THEM = re.compile(
    rf"(?<![\w,.])(?P<n>\d+|[a-zæøåé]+)\s+(?P<noun>{_CASES})\s*,?\s+(?:som|der)\s+(?P<all>alle|begge|samtlige)?\s*"
    r"(?:er|blev)\s+(?:blevet\s+)?(?P<outcome>stadfæstet|hjemvist|ændret|afvist)\b", re.IGNORECASE)
_OUTCOME_COLUMN = {"stadfæstet": "stadfaestet", "hjemvist": "hjemvist", "ændret": "aendret", "afvist": "afvist"}
_ONE = {"én", "en", "ét", "et", "1"}


def implied_counts(found: FoundSentence, facts: list[Fact], rates_before: list[Fact]) -> list[Fact]:
    """``facts`` with the counts above added (never one the sentence has already given)."""
    facts = list(facts)
    text, start, end = found.text, found.span.start, found.span.end
    for m in _OUT_OF.finditer(text, start, end):
        n, total = parse_danish_number(m["n"]), parse_danish_number(m["m"])
        decided = next((f for f in facts if f.column == "decided" and f.value == total), None)
        if n is None or not total or decided is None or _has(facts, "reversed", decided):
            continue
        rates = [f for f in facts + rates_before if f.column == "reported_rate_pct" and f.subject == decided.subject]
        if any(round(100 * n / total, rate.decimals) == round(rate.value, rate.decimals) for rate in rates):
            facts.append(replace(decided, column="reversed", value=n, decimals=0, weak=False))
    for m in _ALL_OF_THEM.finditer(text, start, end):
        n = parse_danish_number(m["n"])
        singular = not m["noun"].lower().endswith("er") and m["n"].lower() in _ONE
        outcome = next((f for f in facts if f.column == _OUTCOME_COLUMN[m["outcome"].lower()] and f.value == n), None)
        if outcome is None or not (m["all"] or singular) or _has(facts, "decided", outcome):
            continue
        facts.append(replace(outcome, column="decided", weak=False))
    return facts


def _has(facts: list[Fact], column: str, like: Fact) -> bool:
    return any(f.column == column and f.subject == like.subject for f in facts)
