"""Counts a sentence states without a keyword of their own, read only where the figures beside them confirm
them:

- "42,9 pct. (6 ud af 14 sager)", "30,0 procent, svarende til tre ud af ti sager", "Det svarer til 73 sager
  ud af 198": N is the reversed count when N of M gives the reversal rate stated beside it (or in the
  sentence before) to its decimals;
- "- § 41, merudgifter: 2 afgørelser, som begge er stadfæstet": in a breakdown line (a bullet led by its §
  reference and a colon) the outcome's count is that paragraph's decided total as well, when the line gives
  no other outcome; elsewhere such a count is as often a part ("Det gælder bl.a. 4 afgørelser, som alle blev
  ændret", "var der 3 sager, som alle blev hjemvist, mens 20 blev stadfæstet");
- "Ingen af de fire sager på voksenhandicapområdet blev omgjort": that outcome's count is 0 beside the area's
  total, the only one of that size in the sentence.
"""

from __future__ import annotations

import re
from dataclasses import replace

from extract.context import Context, FoundSentence
from extract.models import Fact
from extract.numbers import parse_danish_number

_CASES = r"(?:klage)?sag(?:er)?|afgørelser?|klager?"
_OUT_OF = re.compile(rf"(?<![\w,.])(?P<n>\d+|[a-zæøåé]+)(?:\s+(?:{_CASES}))?\s+ud\s+af\s+(?P<m>\d+|[a-zæøåé]+)\b",
                     re.IGNORECASE)
_ALL_OF_THEM = re.compile(
    rf"(?<![\w,.])(?P<n>\d+|[a-zæøåé]+)\s+(?P<noun>{_CASES})\s*,?\s+(?:som|der)\s+(?P<all>alle|begge|samtlige)?\s*"
    r"(?:er|blev)\s+(?:blevet\s+)?(?P<outcome>stadfæstet|hjemvist|ændret|afvist)\b", re.IGNORECASE)
_AREA_ONLY = re.compile(r"(?:på|inden\s+for|indenfor)\s+[^,]+$", re.IGNORECASE)
_PART_OF = re.compile(r"\b(?:bl\.\s*a\.|blandt\s+andet|heraf|hvoraf)\s+$", re.IGNORECASE)
_NONE_OF_THEM = re.compile(
    rf"\bingen\s+af\s+(?:de\s+)?(?P<n>\d+|[a-zæøåé]+)\s+(?:{_CASES})\b(?P<between>[^.;:]{{0,60}}?)\s(?:blev|er)\s+"
    r"(?:blevet\s+)?(?P<outcome>omgjort|stadfæstet|hjemvist|ændret|afvist)\b", re.IGNORECASE)
# "(6 ud af 14 sager)", "svarende til tre ud af ti sager", "Det svarer til 73 sager ud af 198": N of M restates
# the rate; not "og 10 ud af 40 sager drejede sig om …", "nr. 10 ud af 40 kommuner"
_RESTATES = re.compile(r"(?:\(|\bsvarende\s+til|\bsvarer\s+til|\bdvs\.|\baltså|\bdet\s+vil\s+sige)\s*$", re.IGNORECASE)
_CLAUSE_END = re.compile(r"[,.;:()]|\s(?:og|men|mens|der|som)\s")
_CASE_WORDS = re.compile(rf"\s*(?:[a-zæøå]+(?:de|te|ede)\s+)?(?:{_CASES})?", re.IGNORECASE)
_OUTCOME_COLUMN = {"stadfæstet": "stadfaestet", "hjemvist": "hjemvist", "ændret": "aendret", "afvist": "afvist",
                   "omgjort": "reversed"}
_ONE = {"én", "en", "ét", "et", "1"}
_OUTCOME_KINDS = frozenset({"stadfaestet", "hjemvist", "aendret", "afvist", "reversed"})


def implied_counts(found: FoundSentence, facts: list[Fact], context: Context) -> list[Fact]:
    """``facts`` with the counts above added (never one the sentence has already given)."""
    facts = list(facts)
    _restated_reversals(found, facts, [f for f in context.said_before if f.column == "reported_rate_pct"])
    _all_of_them(found, facts, context.list_keyword)
    _none_of_them(found, facts)
    return facts


def _restated_reversals(found: FoundSentence, facts: list[Fact], rates_before: list[Fact]) -> None:
    text, start, end = found.text, found.span.start, found.span.end
    for m in _OUT_OF.finditer(text, start, end):
        n, total = parse_danish_number(m["n"]), parse_danish_number(m["m"])
        decided = next((f for f in facts if f.column == "decided" and f.value == total), None)
        if n is None or not total or decided is None or _has(facts, "reversed", decided):
            continue
        stop = _CLAUSE_END.search(text, m.end(), end)
        rest = text[m.end() : stop.start() if stop else end]  # nothing but "realitetsbehandlede sager"
        if not _RESTATES.search(text, max(start, m.start() - 25), m.start()) or not _CASE_WORDS.fullmatch(rest):
            continue
        given = [f for f in facts + rates_before if f.column == "reported_rate_pct"
                 and round(100 * n / total, f.decimals) == round(f.value, f.decimals)]
        rate = next((f for f in given if f.subject == decided.subject), None)
        if rate is None and given and given[0].compared and all(f.subject == given[0].subject for f in given):
            # "33,3 pct. mod 40,0 pct. året før, svarende til 8 ud af 20 sager": N of M restates the compared
            # year's rate, so M is that year's total too
            rate = given[0]
            facts.remove(decided)
            decided = replace(decided, subject=rate.subject)
            facts.append(decided)
        if rate is not None and not _has(facts, "reversed", decided):
            facts.append(replace(decided, column="reversed", value=n, decimals=0, weak=False))


def _all_of_them(found: FoundSentence, facts: list[Fact], list_keyword: str | None) -> None:
    text, start = found.text, found.span.start
    for m in _ALL_OF_THEM.finditer(text, start, found.span.end):
        n = parse_danish_number(m["n"])
        singular = not m["noun"].lower().endswith("er") and m["n"].lower() in _ONE
        outcome = next((f for f in facts if f.column == _OUTCOME_COLUMN[m["outcome"].lower()] and f.value == n), None)
        others = [f for f in facts if f.column in _OUTCOME_COLUMN.values() and f is not outcome]
        if outcome is None or not (m["all"] or singular) or others or _has(facts, "decided", outcome):
            continue
        # a line of its own § ("- § 41: 2 afgørelser, som begge …"), not a part ("bl.a. 4 afgørelser, som …")
        # nor a line under "Af de hjemviste sager kan nævnes:" (a list of one outcome's cases)
        if not _breakdown_line(found, m.start()) or list_keyword in _OUTCOME_KINDS \
                or _PART_OF.search(text, max(start, m.start() - 20), m.start()):
            continue
        facts.append(replace(outcome, column="decided", weak=False))


def _none_of_them(found: FoundSentence, facts: list[Fact]) -> None:
    for m in _NONE_OF_THEM.finditer(found.text, found.span.start, found.span.end):
        column, total = _OUTCOME_COLUMN[m["outcome"].lower()], parse_danish_number(m["n"])
        totals = [f for f in facts if f.column == "decided" and f.value == total]
        between = m["between"].strip()  # the area alone: "Ingen af de fire sager på voksenhandicapområdet"
        area_end = m.start("between") + len(m["between"].rstrip())
        names_area = bool(_AREA_ONLY.match(between)) and any(
            m.start("between") <= s.start and s.end == area_end for s in found.scopes)
        outcomes = [f for f in facts if f.column in _OUTCOME_COLUMN.values()]  # "…, men 2 blev hjemvist"
        if len(totals) == 1 and names_area and not outcomes and not _has(facts, column, totals[0]):
            facts.append(replace(totals[0], column=column, value=0, decimals=0, weak=False))


def _breakdown_line(found: FoundSentence, at: int) -> bool:
    """A bullet led by its § reference and a colon: "- § 41, merudgifter: …", "- Ledsagelse, §§ 44-45: …"."""
    line = found.text[found.span.start : at]
    return found.span.is_bullet and bool(found.paragraphs) and found.paragraphs[0][0] < at and ":" in line


def _has(facts: list[Fact], column: str, like: Fact) -> bool:
    return any(f.column == column and f.subject == like.subject for f in facts)
