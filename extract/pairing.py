"""Pair the numbers of one sentence with the keywords that give them meaning.

A sentence is split into clauses. Inside a clause each number goes to the nearest keyword that can take
it (a count to an outcome or total, a percentage to an outcome share or a rate), nearest pairs first.
A number left alone in its clause refers to a keyword of a neighbouring clause:
- "..., som er 38,1 pct." (a relative clause) refers back to the clause before it;
- "og 7 sager, hvor Ankestyrelsen har bedt kommunen behandle sagen på ny" refers forward to the relative
  clause after it;
- "Det svarer til 64 sager." restates the previous figure in another unit;
- "34 pct. og 36,2 pct. på landsplan" continues the previous clause's keyword.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from extract.matching import Keyword, case_noun_follows
from extract.numbers import Value
from transform.vocabulary import COUNT_COLUMN, NEEDS_CASE_NOUN, PCT_COLUMN

_BARE_NUMBER_END = re.compile(r"\s*(?:$|[.,;:)]|(?:i|og|for|mod|på|hvilket|hvor|som)\b)", re.IGNORECASE)
_OUT_OF = re.compile(r"\s+(?:ud\s+)?af\s+(?:de\s+|i\s+alt\s+)?", re.IGNORECASE)
# "56 procent af deres i alt 66 klagesager", "39 procent af Odense Kommunes 64 klagesager": the total
_PCT_OF = re.compile(r"\s+af\s+(?:de|deres|sine|[A-ZÆØÅ][\wæøå-]*\s+kommunes)?\s*(?:i\s+alt\s+)?", re.IGNORECASE)
_OF_THE = re.compile(r"(?<![\wæøå])af\s+(?:de|disse)\s+(?:i\s+alt\s+)?$", re.IGNORECASE)
_WEAK_KEYWORD_PENALTY = 100  # 'i alt' claims a number only when no real keyword in the clause can


@dataclass(frozen=True)
class ClauseParts:
    start: int
    end: int
    opener: str
    values: tuple[Value, ...]
    keywords: tuple[Keyword, ...]
    restates: bool
    periods: int  # periods named in the clause: "fra 44 pct. i 2020 til 37 pct. i 2021" has two
    names_kommune: bool  # "Varde 33,1 pct.": a list item about its own kommune
    names_area: bool = False  # "50 procent for voksenhandicapområdet": a list item about its own area

    @property
    def names_period(self) -> bool:
        # "og 42,4 pct. i 2020": the same keyword may take a second figure, for another period
        return self.periods > 0


@dataclass(frozen=True)
class Pair:
    value: Value
    keyword: Keyword
    value_clause: int
    keyword_clause: int
    as_rate: bool  # a bare number read as a percentage ("omgørelsesprocenten ... på 26")


def value_class(value: Value, keyword: Keyword, masked: str, clause_end: int) -> str | None:
    """'count' or 'pct' if ``keyword`` can take ``value``, else None."""
    if value.kind == "pct":
        return "pct" if keyword.kind in PCT_COLUMN else None
    if keyword.kind in ("rate", "national"):
        # "omgørelsesprocenten i 2021 på 26.": a bare number after the rate word, ending its phrase.
        bare_rate = (
            value.text[:1].isdigit()  # "samt to for særområderne" is no rate
            and keyword.end <= value.start
            and 0 <= value.value <= 100
            and _BARE_NUMBER_END.match(masked, value.end, clause_end) is not None
        )
        return "pct" if bare_rate else None
    if keyword.kind in COUNT_COLUMN and value.is_integer:
        if keyword.kind in NEEDS_CASE_NOUN and not (
            case_noun_follows(masked, value.end, clause_end) or _table_cell(masked, keyword, value, clause_end)
        ):
            return None
        return "count"
    return None


def _table_cell(masked: str, keyword: Keyword, value: Value, clause_end: int) -> bool:
    """'I alt | 188' or 'I alt\t130': the keyword right before its number and nothing after it."""
    return (keyword.end <= value.start and not masked[keyword.end : value.start].strip()
            and not masked[value.end : clause_end].strip(" .\t|"))


def pair_sentence(clauses: list[ClauseParts], masked: str, previous: Pair | None,
                  respectively_at: int | None = None) -> list[Pair]:
    """All (value, keyword) pairs of one sentence. ``previous`` is the last pair of the sentence before.
    ``respectively_at``: where 'henholdsvis' ends; the list of figures after it shares one keyword."""
    pairs = _pair_sentence(clauses, masked, previous)
    if respectively_at is None:
        return pairs
    listed = [(i, v) for i, c in enumerate(clauses) for v in c.values if v.start >= respectively_at]
    head = next((p for p in pairs if listed and p.value.start == listed[0][1].start), None)
    if head is None:
        return pairs
    # "henholdsvis 22,2 og 31,8 procent": the unit after the last figure is the whole list's
    as_pct = head.value.kind == "pct" or head.as_rate or listed[-1][1].kind == "pct"
    same_kind = [(i, v) for i, v in listed if (v.kind == "pct") == as_pct or (as_pct and v.kind == "number")]
    if as_pct and head.keyword.kind not in PCT_COLUMN:
        return pairs
    kept = [p for p in pairs if p.value.start not in {v.start for _, v in same_kind}]
    shared = [Pair(v, head.keyword, i, head.keyword_clause, as_pct and v.kind != "pct") for i, v in same_kind]
    return sorted(kept + shared, key=lambda p: p.value.start)


def _pair_sentence(clauses: list[ClauseParts], masked: str, previous: Pair | None) -> list[Pair]:
    pairs: list[Pair] = []
    taken: set[tuple[int, str]] = set()  # (keyword start, 'count'|'pct')
    orphans: list[tuple[int, Value]] = []
    for index, clause in enumerate(clauses):
        totals = _out_of_totals(clause, masked, index)  # "fem ud af otte afgørelser"
        pairs.extend(totals)
        if totals:
            kept = tuple(v for v in clause.values if v.start not in {p.value.start for p in totals})
            # "91 af de 118 afgjorte sager": 'afgjorte' describes the total, it takes no other number
            described = {k.start for p in totals for k in clause.keywords
                         if k.kind in ("decided", "handled", "merits") and 0 <= k.start - p.value.end <= 3}
            keywords = tuple(k for k in clause.keywords if k.start not in described)
            clause = ClauseParts(clause.start, clause.end, clause.opener, kept, keywords,
                                 clause.restates, clause.periods, clause.names_kommune, clause.names_area)
        claimed = _pair_within(clause, index, masked, taken)
        pairs.extend(claimed)
        claimed_values = {p.value.start for p in claimed}
        orphans.extend((index, v) for v in clause.values if v.start not in claimed_values)
    for index, value in orphans:
        pair = _resolve_orphan(clauses, index, value, masked, taken, pairs[-1] if pairs else previous)
        if pair:
            pairs.append(pair)
    return sorted(pairs, key=lambda p: p.value.start)


def _out_of_totals(clause: ClauseParts, masked: str, index: int) -> list[Pair]:
    """In "N ud af M afgørelser" M is the decided total; N is paired as usual. "Af de 198 sager ..." names
    the total too."""
    pairs = [Pair(v, Keyword(v.start, v.start, _total_kind(clause, v)), index, index, False) for v in clause.values
             if v.is_integer and v.kind == "number" and _OF_THE.search(masked, max(clause.start, v.start - 20), v.start)
             and case_noun_follows(masked, v.end, clause.end) and not _outcome_word_after(clause, v)]
    for first, second in zip(clause.values, clause.values[1:], strict=False):
        gap = masked[first.end : second.start]
        if second.start in {p.value.start for p in pairs}:
            continue
        of_total = _OUT_OF.fullmatch(gap) or (first.kind == "pct" and _PCT_OF.fullmatch(gap))
        if of_total and second.is_integer and second.kind == "number" and case_noun_follows(
                masked, second.end, clause.end):
            pairs.append(Pair(second, Keyword(first.end, second.start, "decided"), index, index, False))
    return pairs


def _total_kind(clause: ClauseParts, value: Value) -> str:
    """"Af de 51 realitetsbehandlede sager": the merits count (decided only without an afgjorte count)."""
    after = [k.kind for k in clause.keywords if 0 <= k.start - value.end <= 2]
    return "merits" if "merits" in after else "decided"


def _outcome_word_after(clause: ClauseParts, value: Value) -> bool:
    """"Af de elleve omgjorte sager": the count of an outcome, not the total."""
    return any(0 <= k.start - value.end <= 2 and k.kind not in ("decided", "handled", "merits", "total")
               for k in clause.keywords)


def _pair_within(clause: ClauseParts, index: int, masked: str, taken: set) -> list[Pair]:
    candidates = []
    for value in clause.values:
        for keyword in clause.keywords:
            cls = value_class(value, keyword, masked, clause.end)
            if cls is None:
                continue
            distance = _distance(masked, value, keyword)
            if keyword.kind == "total":
                distance += _WEAK_KEYWORD_PENALTY
            candidates.append((distance, value.start, value, keyword, cls))
    pairs = []
    used_values: set[int] = set()
    for _, _, value, keyword, cls in sorted(candidates, key=lambda c: (c[0], c[1])):
        if value.start in used_values or ((keyword.start, cls) in taken and clause.periods < 2):
            continue
        used_values.add(value.start)
        taken.add((keyword.start, cls))
        pairs.append(Pair(value, keyword, index, index, value.kind != "pct" and cls == "pct"))
    return pairs


def _resolve_orphan(clauses, index, value, masked, taken, previous: Pair | None) -> Pair | None:
    clause = clauses[index]
    if clause.restates and previous is not None:
        # "Det svarer til 64 sager": the same keyword, the other unit.
        cls = value_class(value, previous.keyword, masked, clause.end)
        if (previous.keyword.kind == "rate" and cls is None and value.is_integer and value.kind == "number"
                and case_noun_follows(masked, value.end, clause.end)):
            # a rate restated as a count of cases: the reversed cases
            return Pair(value, Keyword(previous.keyword.start, previous.keyword.end, "reversed"), index, index, False)
        previous_cls = "pct" if previous.value.kind == "pct" or previous.as_rate else "count"
        if cls and cls != previous_cls and (previous.keyword.start, cls) not in taken:
            taken.add((previous.keyword.start, cls))
            same_sentence = previous.keyword.start >= clauses[0].start
            keyword_clause = previous.keyword_clause if same_sentence else index
            return Pair(value, previous.keyword, index, keyword_clause, value.kind != "pct" and cls == "pct")
    if (index + 1 < len(clauses) and clauses[index + 1].opener in ("hvoraf", "heraf") and value.is_integer
            and value.kind == "number" and case_noun_follows(masked, value.end, clause.end)):
        # "12 afgørelser, heraf 7 stadfæstet": the bare total before 'heraf' is the decided count.
        return Pair(value, Keyword(value.start, value.end, "decided"), index, index, False)
    if index + 1 < len(clauses) and clauses[index + 1].opener in ("hvor", "som", "der"):
        pair = _claim(clauses[index + 1].keywords, value, index, index + 1, masked, clause.end, taken)
        if pair:
            return pair
    if clause.names_kommune or clause.names_period or clause.names_area:
        # A list: "Omgørelsesprocenterne i 2021 var: Esbjerg 29,6 pct., Varde 33,1 pct. og Fanø 12,5 pct."
        for back in range(index - 1, -1, -1):
            if clauses[back].keywords:
                pair = _claim(tuple(reversed(clauses[back].keywords)), value, index, back, masked, clause.end,
                              taken, reuse=True)
                if pair:
                    return pair
                break
    if index > 0:
        before = clauses[index - 1]
        # A table row split at its tab or bar: "I alt | 130" — the label cell holds only the keyword.
        cell_label = len(before.keywords) == 1 and masked[before.start : before.end].strip() == masked[
            before.keywords[0].start : before.keywords[0].end].strip()
        return _claim(tuple(reversed(before.keywords)), value, index, index - 1, masked,
                      clause.end, taken, reuse=clause.names_period, allow_total=cell_label)
    return None


def _claim(keywords, value, value_clause, keyword_clause, masked, clause_end, taken, reuse=False,
           allow_total=False):
    for keyword in keywords:
        if keyword.kind == "total" and not allow_total:
            continue
        cls = value_class(value, keyword, masked, clause_end)
        if cls is None and allow_total and value.kind == "number" and value.is_integer \
                and keyword.kind in COUNT_COLUMN:
            cls = "count"  # a table cell: no case noun follows its number, and none is needed
        if cls and (reuse or (keyword.start, cls) not in taken):
            taken.add((keyword.start, cls))
            return Pair(value, keyword, value_clause, keyword_clause, value.kind != "pct" and cls == "pct")
    return None


def _distance(masked: str, value: Value, keyword: Keyword) -> int:
    """Words between a number and a keyword; a percentage in brackets right after its count is skipped."""
    if keyword.start >= value.end:
        between = masked[value.end : keyword.start]
    else:
        between = masked[keyword.end : value.start]
    return len(between.split())
