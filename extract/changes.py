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


# "33,6 pct. mod 29,4 pct. året før", "17,9 procent mod 21,3 procent i 2018": the second figure is the same
# measure of the period named right after it, when nothing else follows in the clause (not "… i 2022 i
# Vejle", "… året før i hele Danmark", "… i sammenligningsgruppen": another place's).
_VERSUS = re.compile(
    r"(?P<a>\d+(?:,\d+)?)(?:\s*(?:%|pct\b\.?|procent\b))?\s+mod\s+(?P<b>\d+(?:,(?P<decimals>\d+))?)"
    r"\s*(?:%|pct\b\.?|procent\b)\s*(?:i\s+)?", re.IGNORECASE)
_CLAUSE_END = re.compile(r"[,.;:()]|\s(?:og|men|mens|hvor|hvilket|en|et)\s")
_ASIDE = re.compile(r"\s*(?:\([^)]*\)|,\s*(?:som|hvilket|der)\s+(?:var|er|blev)\b[^,.;]*)")
_COUNT_ASIDE = re.compile(r"\s*\(\s*\w+\s+(?:\w+\s+)?ud\s+af\s+\w+(?:\s+\w+){0,2}\s*\)", re.IGNORECASE)
# "faldt med 4 pct. mod 6 pct. året før", "I Esbjerg faldt omgørelsesprocenten 4,1 pct. mod …", "et fald på 4
# pct.": X is a change, not a rate (a change verb anywhere before it in its clause)
_CHANGE_BY = re.compile(r"\bmed\s+$|\b(?:faldt|steg|faldet|steget|dykkede|voksede|fald|stigning)\b[^,;:]*$",
                        re.IGNORECASE)


def compared_with(found: FoundSentence, facts: list[Fact], context: Context) -> list[Fact]:
    """``facts`` with the figure compared with ("X pct. mod Y pct. året før") added as a figure of its own
    period. The first figure has no period of its own there (the one named is the comparison's); where the
    period it fell back to is before the compared one ("17,9 procent mod 21,3 procent i 2018" under an item
    about 2017-2019), it is the period of the sentence before (``context.previous``), else it is dropped.
    Compared with its own period, the other figure is another place's: nothing is added. Nothing is added
    either where the sentence names other periods (which one is "året før" after?) or X is a change."""
    facts, previous = list(facts), context.previous
    for m, mention in _comparisons(found):
        first = next((f for f in facts if f.start <= m.start("a") < f.end and f.value == parse_danish_number(m["a"])
                      and f.column.endswith("_pct") and f.column != "national_rate_pct"), None)
        if first is None or _CHANGE_BY.search(found.text, found.span.start, m.start("a")):
            continue
        if any(p is not mention and p.start < mention.start for p in found.periods):
            continue
        value = parse_danish_number(m["b"])
        if any(f.value == value and f.column == first.column for f in facts):
            continue  # paired already: nothing to add
        if mention.relative_to == "context" and "-" in first.subject.period:
            continue  # "året før" after a quarter's figure: that quarter a year earlier, or the year before?
        compared = mention.resolve(first.subject.year, context.meeting_year)
        if compared is None or not _same_kind(compared[0], first.subject.period):
            continue  # "2. kvartal 2023 … mod 24 pct. i 2022": the year, or its 2nd quarter?
        if not _before(compared[0], first.subject.period) and not _before(first.subject.period, compared[0]):
            continue  # the same period (another place's), or one that cannot be told apart
        subject = replace(first.subject, period=compared[0], year=compared[1])
        if _before(first.subject.period, compared[0]):  # X fell back to a period before the compared one
            if mention.year is None:
                continue  # "19,2 pct. mod 24,0 pct. i 4. kvartal" in a Q3 item: the 4th quarter of the year before
            facts.remove(first)
            if not (previous and _before(compared[0], previous[0])):
                continue  # X has no period to be filed under, and Y is not known to be the earlier one
            facts.append(replace(first, subject=replace(first.subject, period=previous[0], year=previous[1])))
        facts.append(replace(first, value=value, decimals=len(m["decimals"] or ""), subject=subject, compared=True))
    return facts


def compared_figures(found: FoundSentence) -> tuple[FoundSentence, set[int]]:
    """The sentence without the periods of its comparisons, and where the two figures of each comparison start
    (they keep the whole sentence): in "47,8 pct. mod 58,6 pct. året før, og landsgennemsnittet var 51 pct."
    or "33,3 pct. mod 40,0 pct. året før (7 ud af 21 sager)" only the compared figure is of the year before.
    From a clause opened by "hvor" on, the sentence is about that year (REFERS_BACK)."""
    comparisons = list(_comparisons(found))
    if not comparisons:
        return found, set()
    periods = {mention.start for _, mention in comparisons}
    return (replace(found, periods=[p for p in found.periods if p.start not in periods]),
            {m.start(group) for m, _ in comparisons for group in ("a", "b")})


# "… mod 24 pct. året før, hvor der blev afgjort 61 sager": the clause is about the year just named
REFERS_BACK = frozenset({"hvor"})  # not "da" ("… året før, da Ankestyrelsen hjemviste 12": because, this year)


def _comparisons(found: FoundSentence):
    """(match, the compared period's mention) of each "X mod Y <unit> <period>" of another period, not of
    another subject."""
    for m in _VERSUS.finditer(found.text, found.span.start, found.span.end):
        mention = next((p for p in found.periods if p.start == m.end()), None)
        if mention is not None and not _names_other_subject(found, mention.end):
            yield m, mention


def _names_other_subject(found: FoundSentence, at: int) -> bool:
    """Anything after the compared period in its clause ("i Vejle", "på landsbasis", "i regionen"), or the
    country anywhere after it ("mod 31 pct. i 2022 (landsgennemsnit)", "…, som var landsgennemsnittet")."""
    end = _CLAUSE_END.search(found.text, at, found.span.end)
    if found.text[at : end.start() if end else found.span.end].strip():
        return True
    # "… i 2022 (landsgennemsnit)", "… året før (Region Sjælland)", "…, som var gennemsnittet i regionen": an
    # aside says whose figure it is; only "(7 ud af 21 sager)" restates a count. "…, og landsgennemsnittet var
    # 51 pct." is a clause of its own.
    aside = _ASIDE.match(found.text, at, found.span.end)
    return bool(aside) and not _COUNT_ASIDE.fullmatch(aside.group(0))


def _same_kind(period: str, other: str) -> bool:
    """Both whole years, or both quarters, or both half-years."""
    return period[4:6] == other[4:6]


def _before(period: str, other: str) -> bool:
    """An earlier period of the same kind ('2021' < '2022', '2023-Q4' < '2024-Q3')."""
    return _same_kind(period, other) and period < other


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
