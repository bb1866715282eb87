"""Turn the text of one document into appeal statistics.

Reads like the domain: the document is split into agenda items; items without appeal vocabulary (or about
another appeal body) are skipped; each table of the rest yields facts row by row (extract.table_facts), each
sentence yields facts clause by clause (extract.pairing); what a fact is about comes from extract.subjects
within the context frame of extract.context; facts with the same subject are grouped into one statistic
(extract.grouping).
"""

from __future__ import annotations

import re
from dataclasses import replace

from extract.changes import (
    FROM,
    REFERS_BACK,
    RESPECTIVELY,
    changed_from,
    compared_figures,
    compared_with,
    earlier_of_change,
    own_period_follows,
    respectively_assignments,
)
from extract.context import (
    CONTINUES,
    OPENS_WITH_NUMBER,
    Context,
    FoundSentence,
    ItemViews,
    about_statistics,
    article_frame,
    carry_kommune,
    compares_kommuner,
    document_views,
    kommune_row,
    opens_with_area,
    read_sentence,
    update_context,
)
from extract.grouping import group_facts
from extract.implied import implied_counts
from extract.matching import (
    Keyword,
    find_keywords,
    follows_inequality,
    is_hypothetical,
    is_restatement,
)
from extract.models import AgendaItem, AppealStatistic, Fact, NationalRate
from extract.municipalities import find_municipality_mentions
from extract.numbers import find_values, has_number
from extract.pairing import ClauseParts, Pair, pair_sentence
from extract.segments import Sentence, split_clauses, split_items, split_sentences
from extract.subjects import (
    KOMMUNE_WORD,
    national_sentence,
    subject_of,
    talks_about_rates,
    unpaired_national,
)
from extract.table_facts import about_all_cases, table_facts
from extract.tables import Table, find_tables
from transform.vocabulary import (
    COUNT_COLUMN,
    PCT_COLUMN,
    STATISTICS_WORDS,
    about_other_appeal_body,
    mentions_appeals,
)


def extract_statistics(
    text: str, municipality: str | None, meeting_year: int | None, *, is_minutes: bool = True
) -> tuple[list[AppealStatistic], list[NationalRate]]:
    """All kommune statistics and national rates stated in ``text``."""
    lowered = _lowered(text)
    if not mentions_appeals(lowered):
        return [], []
    items = [item for item in split_items(text) if mentions_appeals(lowered, item.start, item.end)
             and not about_other_appeal_body(lowered[item.start : item.end])]
    views = document_views(text, items)
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


def _item_facts(text: str, views: ItemViews, item: AgendaItem, municipality, meeting_year, is_minutes: bool
                ) -> list[Fact]:
    context = Context(meeting_year=meeting_year, is_article=not is_minutes)
    facts: list[Fact] = []
    hypothetical_line = None
    tables = find_tables(text, views.values, item.start, item.end)
    read_tables: list[Table] = []
    if context.is_article:
        context.frame = article_frame(text, views, item, meeting_year)
        if context.frame:
            context.period, context.year = context.frame
    for sentence in split_sentences(text, item.start, item.end):
        table = _table_at(tables, sentence)
        if table is not None:
            if table not in read_tables:
                read_tables.append(table)
                period = (context.period, context.year) if context.period else None
                scope = (context.scope, context.area_label) if context.scope else None
                # periods as columns, no area known: only an item that names no narrower one is about all cases
                all_cases = scope is not None or not table.by_period or about_all_cases(text, item, table)
                facts.extend(table_facts(table, period, scope, municipality, meeting_year, all_cases=all_cases))
            continue
        if sentence.line_start == hypothetical_line:
            continue  # the rest of a worked example: "Heraf er 89 stadfæstet ..."
        sentence_text = text[sentence.start : sentence.end]
        if is_hypothetical(sentence_text):
            hypothetical_line = sentence.line_start
            continue
        continues = CONTINUES.match(sentence_text) or (
            context.local_counts and OPENS_WITH_NUMBER.match(sentence_text))
        continued = context.local if context.local and continues else None
        context.previous, context.local = context.local, None
        context.said_before, context.said = context.said, []
        if continued:
            context.period, context.year = continued
        sets_context = (sentence.is_heading or sentence.start == item.start or sentence_text.rstrip().endswith(":")
                        or STATISTICS_WORDS.search(sentence_text) or opens_with_area(text, sentence))
        # a sentence without a number can only set the context: its keywords matter only then
        keywords = find_keywords(text, sentence.start, sentence.end) if sets_context or has_number(
            text, sentence.start, sentence.end) else []
        list_row = kommune_row(sentence_text)
        if not keywords and (sentence.is_bullet or list_row) and context.list_keyword:
            # "- Frederiksberg: 35,2 pct." under "Omgørelsesprocent ... for Frederiksberg og nabokommunerne:",
            # "Middelfart 63 procent" under "Omgørelsesprocenter på Fyn"
            keywords = [Keyword(sentence.start, sentence.start, context.list_keyword)]
        elif not sentence.is_bullet and not list_row:
            context.list_keyword = None
        if not keywords and compares_kommuner(sentence_text, context):
            # "Herning og Silkeborg lå i 2021 på henholdsvis 33,2 pct. og 30,4 pct." right after a rate: theirs
            keywords = [Keyword(sentence.start, sentence.start, "rate")]
        previous_kinds = context.previous_kinds
        if not keywords and not is_restatement(sentence_text) and not sets_context:
            if context.is_article:
                carry_kommune(context, sentence, sentence_text, find_municipality_mentions(sentence_text))
            continue  # most sentences: nothing here can become a figure or set the context (and it is cheap)
        found = read_sentence(text, views, sentence, keywords)
        new = _sentence_facts(text, views, found, context, municipality, previous_kinds) if keywords or \
            is_restatement(sentence_text) else []
        if context.is_article:
            carry_kommune(context, sentence, sentence_text, [(a - sentence.start, b - sentence.start, n)
                                                              for a, b, n in found.municipalities])
        if not new and keywords and (sentence_text.rstrip().endswith(":") or sentence.is_heading):
            context.list_keyword = keywords[-1].kind  # the lines that follow give its figures
        elif new and list_row and keywords and sentence.is_heading:
            context.list_keyword = keywords[0].kind  # "Omgørelsesprocenter på Fyn Langeland 67 procent"
        if new:
            facts.extend(new)
            context.said = new
            own_period = [f for f in new if not f.compared] or new  # "… mod 30,4 pct. året før" keeps this year
            last = own_period[-1].subject
            if context.frame is None:
                context.frame = (own_period[0].subject.period, own_period[0].subject.year)
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
              or about_statistics(text, found)):
            update_context(context, found, text, sets_frame=sentence.is_heading or sentence.start == item.start)
        elif continued and context.frame:
            context.period, context.year = context.frame
            context.local = continued  # "Det svarer til 5 sager." keeps the thread for the next sentence
    return facts


def _table_at(tables: list[Table], sentence: Sentence) -> Table | None:
    """The table a sentence belongs to (its header or a row), if any."""
    for table in tables:
        if table.start <= sentence.start < table.end:
            return table
    return None


def _sentence_facts(text, views: ItemViews, found: FoundSentence, context: Context, municipality,
                    previous_kinds: frozenset[str] = frozenset()) -> list[Fact]:
    s, e = found.span.start, found.span.end
    masked, value_text = views.masked, views.values
    protected = [(k.start, k.end) for k in found.keywords] + [(m.start, m.end) for m in found.scopes]
    clauses = split_clauses(masked, s, e, protected)
    all_values = _shift(find_values(value_text[s:e]), s)
    earlier = earlier_of_change(found)
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
    respectively = RESPECTIVELY.search(masked, s, e)
    pairs = pair_sentence(parts, value_text, context.last_pair, respectively.end() if respectively else None)
    if not talks_about_rates(keywords, previous_kinds):
        # "Ledigheden var 3,8 pct. mod 2,9 pct. på landsplan" is not a national reversal rate.
        pairs = [p for p in pairs if p.keyword.kind != "national"]
    elif _after_a_share_only(keywords, context) or _share_only(pairs, keywords):
        # "I 83 pct. af sagerne fik kommunen medhold. Landsgennemsnittet … var 81 pct.": the country's share of
        # upheld cases, not its reversal rate
        pairs = [p for p in pairs if p.keyword.kind != "national"]
    context.last_pair = pairs[-1] if pairs else None  # "Det svarer til" restates only the sentence before
    context.previous_kinds = frozenset(p.keyword.kind for p in pairs)
    # "… mod 58,6 pct. året før, og landsgennemsnittet var 51 pct.": that year is only the compared figure's
    others, compared = compared_figures(found)
    respectively = respectively_assignments(found, pairs, context)
    facts = []
    # "… året før, hvor Ankestyrelsen afgjorde 45 sager og landsgennemsnittet var 27 pct.": from a clause about
    # the compared year on, the sentence stays in it
    back = min((c.start for c in parts if c.opener in REFERS_BACK and compared and c.start > min(compared)),
               default=e)
    for pair in pairs:
        seen = found if pair.value.start in compared or pair.value.start >= back else others
        fact = _fact(pair, parts, seen, context, municipality, pairs, respectively.get(pair.value.start, {}))
        if fact:
            facts.append(fact)
    facts += changed_from(found, [v for v in all_values if v.start in earlier], facts)
    return implied_counts(found, compared_with(found, facts, context), context)


_REVERSAL_KINDS = frozenset({"rate", "reversed", "hjemvist", "aendret"})  # keywords that name a reversal


def _after_a_share_only(keywords: list[Keyword], context: Context) -> bool:
    """The sentence names no rate and the one before gave the share of upheld cases only (with the shares
    sent back or changed beside it, a national average may well be the reversal rate)."""
    columns = {f.column for f in context.said_before}
    return not any(k.kind in _REVERSAL_KINDS for k in keywords) and "stadfaestet_pct" in columns \
        and not columns & {"reported_rate_pct", "hjemvist_pct", "aendret_pct"}


def _share_only(pairs: list[Pair], keywords: list[Keyword]) -> bool:
    """"I 83 pct. af sagerne fik kommunen medhold, mens landsgennemsnittet var 81 pct.": a share of upheld cases
    and no rate in the sentence."""
    return any(p.keyword.kind == "stadfaestet" and p.value.kind == "pct" for p in pairs) \
        and not any(k.kind in _REVERSAL_KINDS for k in keywords)


def _fact(pair: Pair, parts: list[ClauseParts], found: FoundSentence, context: Context, municipality, pairs,
          respectively: dict):
    keyword = pair.keyword
    clause_spans = [(parts[pair.value_clause].start, parts[pair.value_clause].end),
                    (parts[pair.keyword_clause].start, parts[pair.keyword_clause].end)]
    national_marker = unpaired_national(parts, clause_spans, pairs) or national_sentence(parts, found)
    is_pct = pair.value.kind == "pct" or pair.as_rate
    if is_pct:
        column = PCT_COLUMN[keyword.kind]
        if national_marker and column == "reported_rate_pct":
            column = "national_rate_pct"
    else:
        column = COUNT_COLUMN[keyword.kind]
    if national_marker and column != "national_rate_pct":
        return None  # national counts and shares are not a kommune's figures
    subject = subject_of(found, clause_spans, context, municipality, pair.value, respectively)
    if subject is not None and subject.municipality is None and context.is_article:
        if column == "reported_rate_pct" and not KOMMUNE_WORD.search(found.text, found.span.start, found.span.end):
            column = "national_rate_pct"  # an article's rate of no kommune is the country's
        elif column != "national_rate_pct":
            return None  # an article's figure of no named kommune
    if FROM.search(found.text, max(0, pair.value.start - 6), pair.value.start) and not own_period_follows(
            found, pair.value):
        return None  # "faldt fra 29 pct. til 26 pct.": the earlier figure of a change, its period unsaid
    if subject is None:
        return None
    return Fact(column, pair.value.value, pair.value.decimals, subject, found.span.start, found.span.end,
                weak=keyword.kind == "merits")


def _drop_explanations(text: str, keywords: list[Keyword], values, start: int, end: int) -> list[Keyword]:
    """Keywords inside a bracket without numbers explain a term ("(altså eksklusiv afviste sager)")."""
    explanations = [
        (m.start(), m.end()) for m in re.finditer(r"\([^()]*\)", text[start:end])
        if not any(m.start() + start <= v.start < m.end() + start for v in values)
    ]
    return [k for k in keywords if not any(a + start <= k.start < b + start for a, b in explanations)]


def _shift(values, offset):
    return [replace(v, start=v.start + offset, end=v.end + offset) for v in values]
