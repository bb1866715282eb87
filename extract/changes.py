"""Figures that come in pairs or lists: a change ("fra 45 til 40 procent i 2019") and 'henholdsvis' lists
("Rebild og Vesthimmerland … henholdsvis 28,0 og 37,5 pct.", "1.-3. kvartal … henholdsvis 19, 23 og 21")."""

from __future__ import annotations

import re
from dataclasses import replace

from extract.context import Context, FoundSentence
from extract.models import Fact
from extract.numbers import Value, parse_danish_number
from extract.pairing import Pair

# "faldet fra 45 til 40 procent i 2019", "steg sidste år fra 47 til 60 procent": the first figure is the
# same measure a year earlier
_FROM_TO = re.compile(
    r"\bfra\s+(?P<a>\d+(?:,\d+)?)(?:\s*(?:%|pct\b\.?|procent\b))?(?:\s+[^\d\s]+){0,3}?\s+til\s+(?P<b>\d+(?:,\d+)?)"
    r"\s*(?:%|pct\b\.?|procent\b)", re.IGNORECASE)

FROM = re.compile(r"\bfra\s+$", re.IGNORECASE)


def own_period_follows(found: FoundSentence, value: Value) -> bool:
    """"fra 49 procent i 2018 til …": the earlier figure of a change names its own period before 'til'."""
    til = found.text.find(" til ", value.end, found.span.end)
    end = found.span.end if til == -1 else til
    return any(value.end <= p.start < end for p in found.periods)


def earlier_of_change(found: FoundSentence) -> set[int]:
    """Where the earlier figures of changes stated without their own period start ("fra 45 til 40 procent
    i 2019"); they are filed after the later figure is ("fra 49 procent i 2018 til …" names its own)."""
    starts = set()
    for m in _FROM_TO.finditer(found.text, found.span.start, found.span.end):
        if not any(m.start("a") <= p.start < m.start("b") for p in found.periods):
            starts.add(m.start("a"))
    return starts


def changed_from(found: FoundSentence, earlier: list[Value], facts: list[Fact]) -> list[Fact]:
    """The earlier figure of a change stated without its own period: the year before the later figure's."""
    added = []
    for m in _FROM_TO.finditer(found.text, found.span.start, found.span.end):
        first = next((v for v in earlier if v.start == m.start("a")), None)
        later = next((f for f in facts if f.start <= m.start("b") < f.end and f.value == parse_danish_number(m["b"])
                      and f.column.endswith("_pct")), None)
        if first is None or later is None or "-" in later.subject.period or any(f.value == first.value for f in facts):
            continue
        year = later.subject.year - 1
        subject = replace(later.subject, period=str(year), year=year)
        added.append(replace(later, value=first.value, decimals=first.decimals, subject=subject))
    return added


RESPECTIVELY = re.compile(r"\bhenholdsvis\b", re.IGNORECASE)


def respectively_assignments(found: FoundSentence, pairs: list[Pair], context: Context) -> dict[int, dict]:
    """"Rebild og Vesthimmerland … henholdsvis 28,0 og 37,5 pct.", "I 1.-3. kvartal … henholdsvis 19, 23 og 21
    sager": the figures after 'henholdsvis' go, in order, to the kommuner or quarters named before it. Only
    when the counts match; otherwise nothing is changed."""
    sentence = found.text[found.span.start : found.span.end]
    m = RESPECTIVELY.search(sentence)
    if not m:
        return {}
    at = found.span.start + m.end()
    after = [p for p in pairs if p.value.start >= at]
    kommuner = list(dict.fromkeys(name for a, _, name in found.municipalities if a < at))
    if len(kommuner) >= 2 and len(kommuner) == len(after):
        return {p.value.start: {"municipality": k} for p, k in zip(after, kommuner, strict=True)}
    for mention in found.periods:
        periods = mention.resolve_parts(context.year) if mention.start < at else []
        if len(periods) >= 2 and len(periods) == len(after):
            return {p.value.start: {"period": q, "year": y} for p, (q, y) in zip(after, periods, strict=True)}
    return {}
