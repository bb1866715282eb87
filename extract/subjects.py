"""What one figure is about: its kommune, period, scope and paragraphs, and whether it is the country's.

The value's own clause decides first, then the sentence before the figure, then the context frame. A law
cited with 'efter' yields to the area the text is about; a kommune compared with ("end i Thisted") is not the
subject; a sentence that opens with the country ("På landsplan …") is national throughout.
"""

from __future__ import annotations

import re

from extract.context import Context, FoundSentence
from extract.matching import (
    Keyword,
)
from extract.models import Subject

_CITED = re.compile(r"\befter\s+$", re.IGNORECASE)
_PARAGRAPH_AFTER = re.compile(r"\s*§")
# "Når det gælder servicelovens § 85, stadfæstede …", "For § 41 blev …": the sentence is about that paragraph
_TOPIC_PARAGRAPH = re.compile(r"\s*(?:når\s+det\s+gælder|hvad\s+angår|vedrørende|for|om)\s+(?:\w+s\s+)?§",
                              re.IGNORECASE)


def _is_cited(text: str, scope) -> bool:
    return bool(_CITED.search(text, max(0, scope.start - 8), scope.start) or _PARAGRAPH_AFTER.match(text, scope.end))


def talks_about_rates(keywords: list[Keyword], previous_kinds: frozenset[str]) -> bool:
    rate_words = {"rate", "reversed", "hjemvist", "aendret", "stadfaestet"}
    if any(k.kind in rate_words for k in keywords):
        return True
    return bool(previous_kinds & (rate_words | {"national"}))


KOMMUNE_WORD = re.compile(r"\bkommune(?:n|ns)\b", re.IGNORECASE)


def national_sentence(parts, found: FoundSentence) -> bool:
    """A sentence that opens with the country ("På landsplan var omgørelsesprocenten 33,7 pct. på socialområdet
    og 41,2 pct. på børnehandicapområdet") and names no kommune is national throughout."""
    sentence = found.text[found.span.start : found.span.end]
    if not parts or found.municipalities or KOMMUNE_WORD.search(sentence):
        return False
    keywords = [k for part in parts for k in part.keywords]
    return bool(keywords) and keywords[0].kind == "national" and keywords[0].start - found.span.start <= 15 \
        and not any(k.kind not in ("national", "rate") for k in parts[0].keywords)


def unpaired_national(parts, clause_spans, pairs) -> bool:
    """A national marker ("på landsplan") that took no figure of its own turns its clause national."""
    paired = {p.keyword.start for p in pairs}
    starts = {start for start, _ in clause_spans}
    return any(
        k.kind == "national" and k.start not in paired
        for clause in parts if clause.start in starts
        for k in clause.keywords
    )


def subject_of(found: FoundSentence, clause_spans, context: Context, municipality, value, respectively: dict
             ) -> Subject | None:
    period = _nearest_to_value(found.periods, clause_spans[0], value) or _nearest(found.periods, clause_spans,
                                                                                   only_before=True)
    if period is not None and period.start > value.end and _COMPARISON.search(found.text, value.end, period.start):
        period = None  # "38,1 % mod 45,0 % i 2021": the year is the comparison's, not this figure's
    resolved = period.resolve(context.year, context.meeting_year) if period else None
    if "period" in respectively:
        resolved = (respectively["period"], respectively["year"])
    elif period is not None and period.names_no_single_period:
        return None  # "i 1.-3. kvartal … 63 sager", "siden 2013 … 51 procent": no period to file it under
    if resolved is None and context.period:
        resolved = (context.period, context.year)
    if resolved is None:
        return None  # no period anywhere: not a figure we can place
    scope = _nearest(found.scopes, clause_spans)
    if scope and context.scope not in (None, "all") and _is_cited(found.text, scope):
        scope = None  # "afgørelser … efter serviceloven", "servicelovens § 85" cite the law, not the area
    if scope:
        scope_code, area_label = scope.scope, scope.label
    elif context.scope:
        scope_code, area_label = context.scope, context.area_label
    else:
        scope_code, area_label = "all", None
    paragraph = _paragraph(found, clause_spans)
    kommune = respectively.get("municipality") or _nearest_municipality(
        found, clause_spans, None if context.is_article else value)
    if kommune is None:
        kommune = context.recent_kommune if context.is_article else municipality
    return Subject(kommune, resolved[0], resolved[1], scope_code, area_label,
                   paragraph[0] if paragraph else None, paragraph[1] if paragraph else None)

_COMPARISON = re.compile(r"\b(?:mod|end|sammenlignet\s+med|i\s+forhold\s+til)\b", re.IGNORECASE)


def _nearest_to_value(mentions, clause_span, value):
    """In "fra 44 pct. i 2020 til 37 pct. i 2021" each figure's period is the one closest to it (ties: the
    one after it, as Danish writes "37 pct. i 2021")."""
    start, end = clause_span
    inside = [m for m in mentions if start <= m.start < end]
    if len(inside) < 2:
        return None

    def gap(m):
        return (m.start - value.end, 0) if m.start >= value.end else (value.start - m.end, 1)

    return min(inside, key=gap)


def _nearest(mentions, clause_spans, only_before: bool = False):
    """The mention inside the value's or keyword's clause, else the sentence's own (nearest before; with
    ``only_before`` a mention after the figure's clauses, such as "mod 1.402 sager i 2020", is not its own)."""
    for start, end in clause_spans:
        inside = [m for m in mentions if start <= m.start < end]
        if inside:
            return inside[0]
    if not mentions:
        return None
    anchor = min(start for start, _ in clause_spans)
    before = [m for m in mentions if m.start <= anchor]
    if before:
        return before[-1]
    return None if only_before else mentions[0]


_MORE_PARAGRAPHS = re.compile(r"\s*(?:,|og|eller|samt)\s*§")


def _paragraph(found: FoundSentence, clause_spans) -> tuple[str, str] | None:
    for start, end in clause_spans:
        for a, b, label, key in found.paragraphs:
            # a § reference is masked before clauses are split: one that ends a clause ("12 sager efter § 41
            # og …") stands just past the clause's trimmed end
            if start <= a < end or (a >= end and not found.text[end:a].strip()):
                # "ni sager efter § 100 og §§ 95-97": paragraphs cited together name no single one
                return None if _MORE_PARAGRAPHS.match(found.text, b) else (label, key)
    starts_with_paragraph = found.text[found.span.start : found.span.end].lstrip().startswith("§") or (
        len(found.paragraphs) == 1 and _TOPIC_PARAGRAPH.match(found.text, found.span.start))
    if (found.span.is_bullet or starts_with_paragraph) and found.paragraphs:
        return found.paragraphs[0][2], found.paragraphs[0][3]  # a breakdown line: its (first) § is its part
    return None


# In minutes, "27,4 pct. mod 31 pct. i Vejle Kommune": a kommune named right after a compared figure is the
# comparison's, not the subject of the figure before it. With a period between ("mod 31 pct. i 2022 i Vejle
# Kommune") it may be the subject of both, as it is in an article.
_COMPARED_FIGURE = re.compile(r"\bmod\s+\d+(?:,\d+)?\s*(?:%|pct\b\.?|procent\b)\s*(?:i|for|hos)?\s*$",
                              re.IGNORECASE)


def _nearest_municipality(found: FoundSentence, clause_spans, value=None) -> str | None:
    mentions = [(a, name) for a, _, name in found.municipalities
                if value is None or a < value.start or not _COMPARED_FIGURE.search(found.text, value.end, a)]
    for start, end in clause_spans:
        names = {name for a, name in mentions if start <= a < end}
        if len(names) == 1:
            return names.pop()
    names = {name for _, name in mentions}
    return names.pop() if len(names) == 1 else None
