"""Context frames: what the text is talking about while it is read, sentence by sentence.

Each agenda item has a frame: its period comes from the item's title, else from its first statistic; a
sentence that names another period (a comparison, a side remark) keeps it to itself, and only headings and
intro lines ending in ':' move it. Headings, intro lines and a sentence that opens with its area set the
scope. An article (no committee, no meeting date) gives a kommune only what names it, and carries the
kommune named alone to the sentences after it. Also here: the document's masked views and what one
sentence mentions (periods, scopes, § references, kommuner).
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field, replace

from extract.masking import find_paragraph_refs, mask_distractors
from extract.matching import (
    Keyword,
    ScopeMention,
    find_keywords,
    find_scopes,
)
from extract.models import AgendaItem
from extract.municipalities import canonical_name, find_municipality_mentions
from extract.numbers import find_values
from extract.pairing import Pair
from extract.periods import PeriodMention, find_period_mentions
from extract.segments import Sentence, split_sentences
from transform.vocabulary import (
    SCOPE_PREFILTER_WORDS,
    STATISTICS_WORDS,
)

_AREA_PREPOSITION = re.compile(
    r"\b(?:på|for|inden\s*for|over|om|vedrørte|vedrører|vedrørende)\s+(?:det\s+|de\s+)?\S*\s?$", re.IGNORECASE)


@dataclass
class Context:
    """The period and scope the text is currently talking about, carried from sentence to sentence."""

    period: str | None = None
    year: int | None = None
    scope: str | None = None
    area_label: str | None = None
    meeting_year: int | None = None
    # The item's own period: from its title or its first statistic. A sentence that names another period
    # (a comparison, a side remark) keeps it to itself; only headings and intros ending in ':' move it.
    frame: tuple[str, int] | None = None
    local: tuple[str, int] | None = None  # the last sentence's period, for "Heraf ..." right after it
    local_counts: bool = False  # that sentence gave counts
    previous: tuple[str, int] | None = None  # ``local`` as this sentence found it: "… mod 21,3 pct. i 2018"
    said: list = field(default_factory=list)  # the figures (Facts) this sentence gave
    said_before: list = field(default_factory=list)  # and the sentence before: "Det svarer til 73 ud af 198"
    last_pair: Pair | None = None
    previous_kinds: frozenset[str] = frozenset()  # the keywords the sentence before paired figures with
    # A news article is about many kommuner and the country: a figure belongs to a kommune only when the
    # sentence, or the one right before it, names that kommune. Minutes own their figures.
    is_article: bool = False
    recent_kommune: str | None = None
    list_keyword: str | None = None  # a line ending in ':' named what the bullet lines below it give


@dataclass
class FoundSentence:
    """Everything found in one sentence, offsets absolute."""

    span: Sentence
    periods: list[PeriodMention]
    scopes: list[ScopeMention]
    paragraphs: list[tuple[int, int, str, str]]
    municipalities: list[tuple[int, int, str]]
    keywords: list[Keyword] = field(default_factory=list)
    text: str = ""  # the document text the offsets point into


@dataclass(frozen=True)
class ItemViews:
    """Document-length views of the text: inside the items that are read, distractors masked, and periods
    blanked too (for finding values). Same length as the text, so every offset stays a document offset."""

    masked: str
    values: str
    periods: list[PeriodMention]  # sorted by start
    period_starts: list[int]

    def periods_in(self, start: int, end: int) -> list[PeriodMention]:
        """The period mentions that start in [start, end); a bisect, so that long items stay linear."""
        starts = self.period_starts
        return self.periods[bisect.bisect_left(starts, start) : bisect.bisect_left(starts, end)]


def document_views(text: str, items: list[AgendaItem]) -> ItemViews:
    """The views of every item read, built in one pass (pieces joined once: linear in the document)."""
    masked_parts, value_parts, periods = [], [], []
    at = 0
    for item in items:
        masked_item = mask_distractors(text[item.start : item.end])
        found = [replace(p, start=p.start + item.start, end=p.end + item.start)
                 for p in find_period_mentions(masked_item)]
        values_item = blank(masked_item, [(p.start - item.start, p.end - item.start) for p in found])
        masked_parts += [text[at : item.start], masked_item]
        value_parts += [text[at : item.start], values_item]
        periods += found
        at = item.end
    masked_parts.append(text[at:])
    value_parts.append(text[at:])
    return ItemViews("".join(masked_parts), "".join(value_parts), periods, [p.start for p in periods])


def blank(text: str, spans: list[tuple[int, int]]) -> str:
    if not spans:
        return text
    chars = list(text)
    for a, b in spans:
        chars[a:b] = " " * (b - a)
    return "".join(chars)

# A sentence that goes on about the figures of the one before it: "Heraf blev 19 stadfæstet", "Af disse ..."
CONTINUES = re.compile(
    r"\s*(?:i\s+samme\s+(?:kvartal|halvår|periode|år)|heraf|hvoraf|af\s+(?:disse|dem|de\s+\S+\s+sager)|"
    r"det\s+svarer|dette|det\s+giver|omgørelsesprocenten\s+(?:var|blev)\s+dermed)", re.IGNORECASE)

OPENS_WITH_NUMBER = re.compile(r"\s*\d")

COMPARED_WITH = re.compile(r"(?:\bend|\bsammenlignet\s+med|\bi\s+forhold\s+til)(?:\s+i)?\s+$", re.IGNORECASE)

# "Middelfart 63 procent", "Faaborg-Midtfyn 52 pct.": a line that ends in a kommune's name and its figure
_KOMMUNE_ROW = re.compile(
    r"(?:^|\s)(?P<name>[A-ZÆØÅ][\wæøå-]+(?:\s[A-ZÆØÅ][\wæøå-]+)?)\s+\d+(?:,\d+)?\s*(?:%|pct\.?|procent)\s*$")


def kommune_row(line: str) -> tuple[int, int, str] | None:
    """(start, end, kommune) of the name in a list line "<Kommune> <N> procent", else None."""
    m = _KOMMUNE_ROW.search(line)
    if not m or len(line) > 120:
        return None
    for start in (m.start("name"), m.start("name") + m.group("name").find(" ") + 1):
        name = canonical_name(line[start : m.end("name")]) if start >= m.start("name") else None
        if name:
            return start, m.end("name"), name
    return None

_PERCENT_WORD = re.compile(r"\d\s*(?:%|pct|procent)", re.IGNORECASE)


def compares_kommuner(sentence_text: str, context: Context) -> bool:
    """A sentence without an appeal word that gives several kommuners percentages after a rate sentence."""
    if not context.previous_kinds & {"rate", "national"} or not _PERCENT_WORD.search(sentence_text):
        return False
    return len({name for _, _, name in find_municipality_mentions(sentence_text)}) >= 2


def carry_kommune(context: Context, sentence: Sentence, sentence_text: str,
                   mentions: list[tuple[int, int, str]]) -> None:
    """In an article the kommune named alone in a sentence owns the figures of the sentences after it, until
    another is named. A heading or list line naming one, or a sentence naming several, ends the thread. A
    kommune compared with ("højere end i Thisted Kommune") does not count. Offsets are the sentence's."""
    if not mentions:
        return
    names = {name for start, _, name in mentions if not COMPARED_WITH.search(sentence_text, 0, start)}
    if sentence.is_heading or sentence.is_bullet or len(names) != 1:
        context.recent_kommune = None
    else:
        context.recent_kommune = names.pop()


def article_frame(text: str, views: ItemViews, item: AgendaItem, published: int | None) -> tuple[str, int] | None:
    """An article is about the newest year whose figures it gives (not after it was published); an article
    naming no year is about the year before it was published (the statistics come out the year after)."""
    years = set()
    for sentence in split_sentences(text, item.start, item.end):
        if not find_keywords(text, sentence.start, sentence.end) or not find_values(
                views.values[sentence.start : sentence.end]):
            continue
        years |= {p.year for p in views.periods_in(sentence.start, sentence.end)
                  if p.year and not p.part and not p.parts and not p.relative_to}
    years = {y for y in years if published is None or y <= published}
    if years:
        return str(max(years)), max(years)
    return (str(published - 1), published - 1) if published else None


def about_statistics(text: str, found: FoundSentence) -> bool:
    """A sentence without figures that names the statistics' period or area ("Forvaltningen har modtaget
    Ankestyrelsens opgørelse for 2022 over klagesager på beskæftigelsesområdet") sets the context."""
    s, e = found.span.start, found.span.end
    if (found.periods or found.scopes) and STATISTICS_WORDS.search(text, s, e):
        return True
    # "På voksenhandicapområdet er der tale om en eksplosion i andelen af sager, der bliver omgjort": a
    # sentence that opens with its area moves the text to that area
    return any(m.start - s <= _OPENING for m in _subject_scopes(text, found.scopes))

_OPENING = 30  # characters: how far into a sentence its topic stands


def opens_with_area(text: str, sentence: Sentence) -> bool:
    end = min(sentence.end, sentence.start + _OPENING + 40)
    opening = text[sentence.start : end].lower()
    if not any(word in opening for word in SCOPE_PREFILTER_WORDS):
        return False  # the cheap test first: most sentences name no area
    return bool(find_scopes(text, sentence.start, end))


def _subject_scopes(text: str, scopes: list[ScopeMention]) -> list[ScopeMention]:
    """Scopes a sentence is about ("på socialområdet"), not ones it cites ("efter serviceloven")."""
    return [m for m in scopes if _AREA_PREPOSITION.search(text, max(0, m.start - 16), m.start)
            or _opens_sentence(text, m.start)]  # "Voksenhandicapområdet omfatter ..."


def _opens_sentence(text: str, at: int) -> bool:
    before = text[max(0, at - 4) : at].rstrip()
    return not before or before[-1] in ".!?:"


def read_sentence(text: str, views: ItemViews, sentence: Sentence, keywords: list[Keyword]) -> FoundSentence:
    s, e = sentence.start, sentence.end
    periods = views.periods_in(s, e)
    paragraphs = [(a + s, b + s, label, key) for a, b, label, key in find_paragraph_refs(text[s:e])]
    # a kommune compared with ("højere end i Thisted Kommune") is not what the sentence's figures are about
    municipalities = [(a + s, b + s, name) for a, b, name in find_municipality_mentions(text[s:e])
                      if not COMPARED_WITH.search(text, s, a + s)]
    row = kommune_row(text[s:e]) if not municipalities else None
    if row:
        municipalities = [(row[0] + s, row[1] + s, row[2])]
    return FoundSentence(sentence, periods, find_scopes(text, s, e), paragraphs, municipalities, keywords, text)


def update_context(context: Context, found: FoundSentence, text: str, sets_frame: bool) -> None:
    for mention in found.periods:
        resolved = mention.resolve(context.year, context.meeting_year)
        if resolved is None and mention.parts and mention.year and context.year is None:
            context.year = mention.year  # "1.-3. kvartal 2023": no single period, but the year is known
        if resolved:
            if sets_frame or context.frame is None:
                context.frame = resolved
                context.period, context.year = resolved
            break
    scopes = found.scopes if found.span.is_heading else _subject_scopes(text, found.scopes)
    if len({m.scope for m in scopes}) == 1:  # a list of areas names no single one
        context.scope, context.area_label = scopes[0].scope, scopes[0].label
