"""Turn the text of one document into appeal statistics.

Reads like the domain: the document is split into agenda items; items without appeal vocabulary are
skipped; each sentence of the rest yields facts (a number, the column it fills, and the kommune, period,
scope and paragraphs it is about); facts with the same subject are grouped into one statistic.
A sentence without its own period or scope inherits them from the sentences before it in the item.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field, replace

from extract.grouping import group_facts
from extract.masking import find_paragraph_refs, mask_distractors
from extract.matching import (
    Keyword,
    ScopeMention,
    find_keywords,
    find_scopes,
    follows_inequality,
    is_hypothetical,
    is_restatement,
)
from extract.models import AgendaItem, AppealStatistic, Fact, NationalRate, Subject
from extract.municipalities import canonical_name, find_municipality_mentions
from extract.numbers import Value, find_values
from extract.pairing import ClauseParts, Pair, pair_sentence
from extract.periods import PeriodMention, find_period_mentions
from extract.segments import Sentence, split_clauses, split_items, split_sentences
from extract.table_facts import table_facts
from extract.tables import Table, find_tables
from transform.vocabulary import (
    COUNT_COLUMN,
    PCT_COLUMN,
    SCOPE_PREFILTER_WORDS,
    STATISTICS_WORDS,
    about_other_appeal_body,
    mentions_appeals,
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
    last_pair: Pair | None = None
    previous_kinds: frozenset[str] = frozenset()  # the keywords the sentence before paired figures with
    # A news article is about many kommuner and the country: a figure belongs to a kommune only when the
    # sentence, or the one right before it, names that kommune. Minutes own their figures.
    is_article: bool = False
    recent_kommune: str | None = None
    list_keyword: str | None = None  # a line ending in ':' named what the bullet lines below it give


@dataclass
class _Sentence:
    """Everything found in one sentence, offsets absolute."""

    span: Sentence
    periods: list[PeriodMention]
    scopes: list[ScopeMention]
    paragraphs: list[tuple[int, int, str, str]]
    municipalities: list[tuple[int, int, str]]
    keywords: list[Keyword] = field(default_factory=list)
    text: str = ""  # the document text the offsets point into


def extract_statistics(
    text: str, municipality: str | None, meeting_year: int | None, *, is_minutes: bool = True
) -> tuple[list[AppealStatistic], list[NationalRate]]:
    """All kommune statistics and national rates stated in ``text``."""
    lowered = _lowered(text)
    if not mentions_appeals(lowered):
        return [], []
    items = [item for item in split_items(text) if mentions_appeals(lowered, item.start, item.end)
             and not about_other_appeal_body(lowered[item.start : item.end])]
    views = _document_views(text, items)
    facts: list[tuple[Fact, str | None]] = []
    for item in items:
        facts.extend((f, item.label) for f in _item_facts(text, views, item, municipality, meeting_year, is_minutes))
    return group_facts(text, facts)


def _lowered(text: str) -> str:
    """Lower-cased text with the same offsets. A few characters lower-case to two ("İ"); the slow path
    keeps those as they are."""
    lowered = text.lower()
    if len(lowered) == len(text):
        return lowered
    return "".join(c.lower() if len(c.lower()) == 1 else c for c in text)


@dataclass(frozen=True)
class _ItemText:
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


def _document_views(text: str, items: list[AgendaItem]) -> _ItemText:
    """The views of every item read, built in one pass (pieces joined once: linear in the document)."""
    masked_parts, value_parts, periods = [], [], []
    at = 0
    for item in items:
        masked_item = mask_distractors(text[item.start : item.end])
        found = [replace(p, start=p.start + item.start, end=p.end + item.start)
                 for p in find_period_mentions(masked_item)]
        values_item = _blank(masked_item, [(p.start - item.start, p.end - item.start) for p in found])
        masked_parts += [text[at : item.start], masked_item]
        value_parts += [text[at : item.start], values_item]
        periods += found
        at = item.end
    masked_parts.append(text[at:])
    value_parts.append(text[at:])
    return _ItemText("".join(masked_parts), "".join(value_parts), periods, [p.start for p in periods])


def _item_facts(text: str, views: _ItemText, item: AgendaItem, municipality, meeting_year, is_minutes: bool
                ) -> list[Fact]:
    context = Context(meeting_year=meeting_year, is_article=not is_minutes)
    facts: list[Fact] = []
    hypothetical_line = None
    tables = find_tables(text, views.values, item.start, item.end)
    read_tables: list[Table] = []
    if context.is_article:
        context.frame = _article_frame(text, views, item, meeting_year)
        if context.frame:
            context.period, context.year = context.frame
    for sentence in split_sentences(text, item.start, item.end):
        table = _table_at(tables, sentence)
        if table is not None:
            if table not in read_tables:
                read_tables.append(table)
                period = (context.period, context.year) if context.period else None
                scope = (context.scope, context.area_label) if context.scope else None
                facts.extend(table_facts(table, period, scope, municipality, meeting_year))
            continue
        if sentence.line_start == hypothetical_line:
            continue  # the rest of a worked example: "Heraf er 89 stadfæstet ..."
        sentence_text = text[sentence.start : sentence.end]
        if is_hypothetical(sentence_text):
            hypothetical_line = sentence.line_start
            continue
        continues = _CONTINUES.match(sentence_text) or (
            context.local_counts and _OPENS_WITH_NUMBER.match(sentence_text))
        continued = context.local if context.local and continues else None
        context.local = None
        if continued:
            context.period, context.year = continued
        sets_context = (sentence.is_heading or sentence.start == item.start or sentence_text.rstrip().endswith(":")
                        or STATISTICS_WORDS.search(sentence_text) or _opens_with_area(text, sentence))
        keywords = find_keywords(text, sentence.start, sentence.end)
        list_row = _kommune_row(sentence_text)
        if not keywords and (sentence.is_bullet or list_row) and context.list_keyword:
            # "- Frederiksberg: 35,2 pct." under "Omgørelsesprocent ... for Frederiksberg og nabokommunerne:",
            # "Middelfart 63 procent" under "Omgørelsesprocenter på Fyn"
            keywords = [Keyword(sentence.start, sentence.start, context.list_keyword)]
        elif not sentence.is_bullet and not list_row:
            context.list_keyword = None
        if not keywords and _compares_kommuner(sentence_text, context):
            # "Herning og Silkeborg lå i 2021 på henholdsvis 33,2 pct. og 30,4 pct." right after a rate: theirs
            keywords = [Keyword(sentence.start, sentence.start, "rate")]
        previous_kinds = context.previous_kinds
        if not keywords and not is_restatement(sentence_text) and not sets_context:
            if context.is_article:
                _carry_kommune(context, sentence, sentence_text, find_municipality_mentions(sentence_text))
            continue  # most sentences: nothing here can become a figure or set the context (and it is cheap)
        found = _read_sentence(text, views, sentence, keywords)
        new = _sentence_facts(text, views, found, context, municipality, previous_kinds) if keywords or \
            is_restatement(sentence_text) else []
        if context.is_article:
            _carry_kommune(context, sentence, sentence_text, [(a - sentence.start, b - sentence.start, n)
                                                              for a, b, n in found.municipalities])
        if not new and keywords and (sentence_text.rstrip().endswith(":") or sentence.is_heading):
            context.list_keyword = keywords[-1].kind  # the lines that follow give its figures
        elif new and list_row and keywords and sentence.is_heading:
            context.list_keyword = keywords[0].kind  # "Omgørelsesprocenter på Fyn Langeland 67 procent"
        if new:
            facts.extend(new)
            last = new[-1].subject
            if context.frame is None:
                context.frame = (new[0].subject.period, new[0].subject.year)
            if sentence.is_heading or sentence_text.rstrip().endswith(":"):
                context.period, context.year = last.period, last.year
            else:
                context.period, context.year = context.frame
                context.local = (last.period, last.year)
                # a sentence that opens with a number goes on with a breakdown ("… afgjort 60 sager. 38 sager
                # blev …"), not with a lone comparison ("I Q2 2021 var omgørelsesprocenten 33,3 %.")
                context.local_counts = any(not f.column.endswith("_pct") for f in new)
            own = [f.subject for f in new if f.column != "national_rate_pct"]
            if own:  # a sentence about the country does not move the kommune's scope
                context.scope, context.area_label = own[-1].scope, own[-1].area_label
        elif (sentence.is_heading or sentence.start == item.start or sentence_text.rstrip().endswith(":")
              or _about_statistics(text, found)):
            _update_context(context, found, text, sets_frame=sentence.is_heading or sentence.start == item.start)
        elif continued and context.frame:
            context.period, context.year = context.frame
            context.local = continued  # "Det svarer til 5 sager." keeps the thread for the next sentence
    return facts


# A sentence that goes on about the figures of the one before it: "Heraf blev 19 stadfæstet", "Af disse ..."
_CONTINUES = re.compile(
    r"\s*(?:i\s+samme\s+(?:kvartal|halvår|periode|år)|heraf|hvoraf|af\s+(?:disse|dem|de\s+\S+\s+sager)|"
    r"det\s+svarer|dette|det\s+giver|omgørelsesprocenten\s+(?:var|blev)\s+dermed)", re.IGNORECASE)
_OPENS_WITH_NUMBER = re.compile(r"\s*\d")
_CITED = re.compile(r"\befter\s+$", re.IGNORECASE)


_COMPARED_WITH = re.compile(r"(?:\bend|\bsammenlignet\s+med|\bi\s+forhold\s+til)(?:\s+i)?\s+$", re.IGNORECASE)


# "Middelfart 63 procent", "Faaborg-Midtfyn 52 pct.": a line that ends in a kommune's name and its figure
_KOMMUNE_ROW = re.compile(
    r"(?:^|\s)(?P<name>[A-ZÆØÅ][\wæøå-]+(?:\s[A-ZÆØÅ][\wæøå-]+)?)\s+\d+(?:,\d+)?\s*(?:%|pct\.?|procent)\s*$")


def _kommune_row(line: str) -> tuple[int, int, str] | None:
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


def _compares_kommuner(sentence_text: str, context: Context) -> bool:
    """A sentence without an appeal word that gives several kommuners percentages after a rate sentence."""
    if not context.previous_kinds & {"rate", "national"} or not _PERCENT_WORD.search(sentence_text):
        return False
    return len({name for _, _, name in find_municipality_mentions(sentence_text)}) >= 2


def _carry_kommune(context: Context, sentence: Sentence, sentence_text: str,
                   mentions: list[tuple[int, int, str]]) -> None:
    """In an article the kommune named alone in a sentence owns the figures of the sentences after it, until
    another is named. A heading or list line naming one, or a sentence naming several, ends the thread. A
    kommune compared with ("højere end i Thisted Kommune") does not count. Offsets are the sentence's."""
    if not mentions:
        return
    names = {name for start, _, name in mentions if not _COMPARED_WITH.search(sentence_text, 0, start)}
    if sentence.is_heading or sentence.is_bullet or len(names) != 1:
        context.recent_kommune = None
    else:
        context.recent_kommune = names.pop()


def _article_frame(text: str, views: _ItemText, item: AgendaItem, published: int | None) -> tuple[str, int] | None:
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


def _table_at(tables: list[Table], sentence: Sentence) -> Table | None:
    """The table a sentence belongs to (its header or a row), if any."""
    for table in tables:
        if table.start <= sentence.start < table.end:
            return table
    return None


def _about_statistics(text: str, found: _Sentence) -> bool:
    """A sentence without figures that names the statistics' period or area ("Forvaltningen har modtaget
    Ankestyrelsens opgørelse for 2022 over klagesager på beskæftigelsesområdet") sets the context."""
    s, e = found.span.start, found.span.end
    if (found.periods or found.scopes) and STATISTICS_WORDS.search(text, s, e):
        return True
    # "På voksenhandicapområdet er der tale om en eksplosion i andelen af sager, der bliver omgjort": a
    # sentence that opens with its area moves the text to that area
    return any(m.start - s <= _OPENING for m in _subject_scopes(text, found.scopes))


_OPENING = 30  # characters: how far into a sentence its topic stands


def _opens_with_area(text: str, sentence: Sentence) -> bool:
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


def _read_sentence(text: str, views: _ItemText, sentence: Sentence, keywords: list[Keyword]) -> _Sentence:
    s, e = sentence.start, sentence.end
    periods = views.periods_in(s, e)
    paragraphs = [(a + s, b + s, label, key) for a, b, label, key in find_paragraph_refs(text[s:e])]
    # a kommune compared with ("højere end i Thisted Kommune") is not what the sentence's figures are about
    municipalities = [(a + s, b + s, name) for a, b, name in find_municipality_mentions(text[s:e])
                      if not _COMPARED_WITH.search(text, s, a + s)]
    row = _kommune_row(text[s:e]) if not municipalities else None
    if row:
        municipalities = [(row[0] + s, row[1] + s, row[2])]
    return _Sentence(sentence, periods, find_scopes(text, s, e), paragraphs, municipalities, keywords, text)


def _update_context(context: Context, found: _Sentence, text: str, sets_frame: bool) -> None:
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


def _sentence_facts(text, views: _ItemText, found: _Sentence, context: Context, municipality,
                    previous_kinds: frozenset[str] = frozenset()) -> list[Fact]:
    s, e = found.span.start, found.span.end
    masked, value_text = views.masked, views.values
    protected = [(k.start, k.end) for k in found.keywords] + [(m.start, m.end) for m in found.scopes]
    clauses = split_clauses(masked, s, e, protected)
    all_values = _shift(find_values(value_text[s:e]), s)
    earlier = _earlier_of_change(found)
    values = [v for v in all_values if v.start not in earlier]
    keywords = _drop_explanations(text, found.keywords, values, s, e)
    parts = []
    for c in clauses:
        clause_values = tuple(
            v for v in values if c.start <= v.start < c.end and not follows_inequality(masked, v.start, c.start)
        )
        clause_keywords = tuple(k for k in keywords if c.start <= k.start < c.end)
        periods = sum(1 for p in found.periods if c.start <= p.start < c.end)
        names_kommune = any(c.start <= a < c.end for a, _, _ in found.municipalities)
        names_area = any(c.start <= m.start < c.end for m in found.scopes)
        parts.append(ClauseParts(c.start, c.end, c.opener, clause_values, clause_keywords,
                                 is_restatement(text[c.start : c.end]), periods, names_kommune, names_area))
    respectively = _RESPECTIVELY.search(masked, s, e)
    pairs = pair_sentence(parts, value_text, context.last_pair, respectively.end() if respectively else None)
    if not _talks_about_rates(keywords, previous_kinds):
        # "Ledigheden var 3,8 pct. mod 2,9 pct. på landsplan" is not a national reversal rate.
        pairs = [p for p in pairs if p.keyword.kind != "national"]
    context.last_pair = pairs[-1] if pairs else None  # "Det svarer til" restates only the sentence before
    context.previous_kinds = frozenset(p.keyword.kind for p in pairs)
    respectively = _respectively(found, pairs, context)
    facts = []
    for pair in pairs:
        fact = _fact(pair, parts, found, context, municipality, pairs, respectively.get(pair.value.start, {}))
        if fact:
            facts.append(fact)
    return facts + _changed_from(found, [v for v in all_values if v.start in earlier], facts)


# "faldet fra 45 til 40 procent i 2019", "steg sidste år fra 47 til 60 procent": the first figure is the
# same measure a year earlier
_FROM_TO = re.compile(
    r"\bfra\s+(?P<a>\d+(?:,\d+)?)(?:\s*(?:%|pct\b\.?|procent\b))?(?:\s+[^\d\s]+){0,3}?\s+til\s+(?P<b>\d+(?:,\d+)?)"
    r"\s*(?:%|pct\b\.?|procent\b)", re.IGNORECASE)


_FROM = re.compile(r"\bfra\s+$", re.IGNORECASE)


def _own_period_follows(found: _Sentence, value: Value) -> bool:
    """"fra 49 procent i 2018 til …": the earlier figure of a change names its own period before 'til'."""
    til = found.text.find(" til ", value.end, found.span.end)
    end = found.span.end if til == -1 else til
    return any(value.end <= p.start < end for p in found.periods)


def _earlier_of_change(found: _Sentence) -> set[int]:
    """Where the earlier figures of changes stated without their own period start ("fra 45 til 40 procent
    i 2019"); they are filed after the later figure is ("fra 49 procent i 2018 til …" names its own)."""
    starts = set()
    for m in _FROM_TO.finditer(found.text, found.span.start, found.span.end):
        if not any(m.start("a") <= p.start < m.start("b") for p in found.periods):
            starts.add(m.start("a"))
    return starts


def _changed_from(found: _Sentence, earlier: list[Value], facts: list[Fact]) -> list[Fact]:
    """The earlier figure of a change stated without its own period: the year before the later figure's."""
    added = []
    for m in _FROM_TO.finditer(found.text, found.span.start, found.span.end):
        first = next((v for v in earlier if v.start == m.start("a")), None)
        later = next((f for f in facts if f.start <= m.start("b") < f.end and f.value == _number(m["b"])
                      and f.column.endswith("_pct")), None)
        if first is None or later is None or "-" in later.subject.period or any(f.value == first.value for f in facts):
            continue
        year = later.subject.year - 1
        subject = replace(later.subject, period=str(year), year=year)
        added.append(replace(later, value=first.value, decimals=first.decimals, subject=subject))
    return added


def _number(text: str) -> float:
    return float(text.replace(",", "."))


_RESPECTIVELY = re.compile(r"\bhenholdsvis\b", re.IGNORECASE)


def _respectively(found: _Sentence, pairs: list[Pair], context: Context) -> dict[int, dict]:
    """"Rebild og Vesthimmerland … henholdsvis 28,0 og 37,5 pct.", "I 1.-3. kvartal … henholdsvis 19, 23 og 21
    sager": the figures after 'henholdsvis' go, in order, to the kommuner or quarters named before it. Only
    when the counts match; otherwise nothing is changed."""
    sentence = found.text[found.span.start : found.span.end]
    m = _RESPECTIVELY.search(sentence)
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


def _talks_about_rates(keywords: list[Keyword], previous_kinds: frozenset[str]) -> bool:
    rate_words = {"rate", "reversed", "hjemvist", "aendret", "stadfaestet"}
    if any(k.kind in rate_words for k in keywords):
        return True
    return bool(previous_kinds & (rate_words | {"national"}))


def _fact(pair: Pair, parts: list[ClauseParts], found: _Sentence, context: Context, municipality, pairs,
          respectively: dict):
    keyword = pair.keyword
    clause_spans = [(parts[pair.value_clause].start, parts[pair.value_clause].end),
                    (parts[pair.keyword_clause].start, parts[pair.keyword_clause].end)]
    national_marker = _unpaired_national(parts, clause_spans, pairs) or _national_sentence(parts, found)
    is_pct = pair.value.kind == "pct" or pair.as_rate
    if is_pct:
        column = PCT_COLUMN[keyword.kind]
        if national_marker and column == "reported_rate_pct":
            column = "national_rate_pct"
    else:
        column = COUNT_COLUMN[keyword.kind]
    if national_marker and column != "national_rate_pct":
        return None  # national counts and shares are not a kommune's figures
    subject = _subject(found, clause_spans, context, municipality, pair.value, respectively)
    if subject is not None and subject.municipality is None and context.is_article:
        if column == "reported_rate_pct" and not _KOMMUNE_WORD.search(found.text, found.span.start, found.span.end):
            column = "national_rate_pct"  # an article's rate of no kommune is the country's
        elif column != "national_rate_pct":
            return None  # an article's figure of no named kommune
    if _FROM.search(found.text, max(0, pair.value.start - 6), pair.value.start) and not _own_period_follows(
            found, pair.value):
        return None  # "faldt fra 29 pct. til 26 pct.": the earlier figure of a change, its period unsaid
    if subject is None:
        return None
    return Fact(column, pair.value.value, pair.value.decimals, subject, found.span.start, found.span.end,
                weak=keyword.kind == "merits")


_KOMMUNE_WORD = re.compile(r"\bkommune(?:n|ns)\b", re.IGNORECASE)


def _national_sentence(parts, found: _Sentence) -> bool:
    """A sentence that opens with the country ("På landsplan var omgørelsesprocenten 33,7 pct. på socialområdet
    og 41,2 pct. på børnehandicapområdet") and names no kommune is national throughout."""
    sentence = found.text[found.span.start : found.span.end]
    if not parts or found.municipalities or _KOMMUNE_WORD.search(sentence):
        return False
    keywords = [k for part in parts for k in part.keywords]
    return bool(keywords) and keywords[0].kind == "national" and keywords[0].start - found.span.start <= 15 \
        and not any(k.kind not in ("national", "rate") for k in parts[0].keywords)


def _unpaired_national(parts, clause_spans, pairs) -> bool:
    """A national marker ("på landsplan") that took no figure of its own turns its clause national."""
    paired = {p.keyword.start for p in pairs}
    starts = {start for start, _ in clause_spans}
    return any(
        k.kind == "national" and k.start not in paired
        for clause in parts if clause.start in starts
        for k in clause.keywords
    )


def _subject(found: _Sentence, clause_spans, context: Context, municipality, value, respectively: dict
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
    if scope and context.scope not in (None, "all") and _CITED.search(found.text, max(0, scope.start - 8), scope.start):
        scope = None  # "afgørelser … efter serviceloven" cites the law; the text is about its own area
    if scope:
        scope_code, area_label = scope.scope, scope.label
    elif context.scope:
        scope_code, area_label = context.scope, context.area_label
    else:
        scope_code, area_label = "all", None
    paragraph = _paragraph(found, clause_spans)
    kommune = respectively.get("municipality") or _nearest_municipality(found, clause_spans)
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


def _paragraph(found: _Sentence, clause_spans) -> tuple[str, str] | None:
    for start, end in clause_spans:
        for a, _, label, key in found.paragraphs:
            if start <= a < end:
                return label, key
    starts_with_paragraph = found.text[found.span.start : found.span.end].lstrip().startswith("§")
    if (found.span.is_bullet or starts_with_paragraph) and found.paragraphs:
        return found.paragraphs[0][2], found.paragraphs[0][3]
    return None


def _nearest_municipality(found: _Sentence, clause_spans) -> str | None:
    for start, end in clause_spans:
        names = {name for a, _, name in found.municipalities if start <= a < end}
        if len(names) == 1:
            return names.pop()
    names = {name for _, _, name in found.municipalities}
    return names.pop() if len(names) == 1 else None


def _drop_explanations(text: str, keywords: list[Keyword], values, start: int, end: int) -> list[Keyword]:
    """Keywords inside a bracket without numbers explain a term ("(altså eksklusiv afviste sager)")."""
    explanations = [
        (m.start(), m.end()) for m in re.finditer(r"\([^()]*\)", text[start:end])
        if not any(m.start() + start <= v.start < m.end() + start for v in values)
    ]
    return [k for k in keywords if not any(a + start <= k.start < b + start for a, b in explanations)]


def _blank(text: str, spans: list[tuple[int, int]]) -> str:
    if not spans:
        return text
    chars = list(text)
    for a, b in spans:
        chars[a:b] = " " * (b - a)
    return "".join(chars)


def _shift(values, offset):
    return [replace(v, start=v.start + offset, end=v.end + offset) for v in values]
