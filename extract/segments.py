"""Split a document into agenda items, an item into sentences, and a sentence into clauses.

Everything is a (start, end) span into the document text, so provenance survives every step.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from extract.models import AgendaItem
from transform.vocabulary import CLAUSE_JOINERS, RELATIVE_OPENERS

_ITEM_HEADING = re.compile(
    r"^[ \t]*(?:(?:Punkt|Pkt\.?|Dagsordenspunkt)\s+(?P<n1>\d{1,3})\b|Sag\s+nr\.?\s*(?P<n2>\d{1,4})\b)"
    r"[ \t]*[:.)\-–]?[ \t]*(?P<title>.*)$",
    re.MULTILINE | re.IGNORECASE,
)
# "2. Ankestyrelsens årsstatistik 2021", "201. Godkendelse af dagsorden", "1 - Godkendelse af dagsorden": a
# numbered title line. Numbered lists look the same, so it counts as an agenda item only when its title
# stands in the document twice (the contents list and the item itself).
_NUMBERED_HEADING = re.compile(
    r"^[ \t]*(?:[-•][ \t]+)?(?P<n>\d{1,3})[ \t]*(?:\.|-|–|:)[ \t]+(?P<title>[A-ZÆØÅ][^\n]{2,120}?)[ \t]*$",
    re.MULTILINE,
)
_BULLET = re.compile(r"^[ \t]*(?:[-•*–▪·]|\d{1,2}[.)])[ \t]+")
_ABBREVIATIONS = (
    "jf", "bl.a", "ca", "nr", "stk", "f.eks", "m.fl", "evt", "inkl", "ekskl", "dvs", "kl", "hhv",
    "mht", "vedr", "ift", "pkt", "mv", "m.m", "fx", "iflg", "jvf", "d", "tlf", "gl", "ang", "sept", "okt",
    "kvt", "mio", "mia", "pr", "afd", "jan", "feb", "aug", "nov", "dec", "bl",
)
# A sentence ends at . ! ? before a capital or §; before a number too when the word before is a word (not
# an ordinal such as "3. kvartal"); and at a full stop with the space missing ("Kommune.I 74 sager").
_SENTENCE_END = re.compile(
    r"[.!?](?=[\s\"”»)]*\s+[\"“«]?[A-ZÆØÅ§])|(?<=[a-zæøå%])[.!?](?=\s+\d)|(?<=[a-zæøå]{2})\.(?=[A-ZÆØÅ](?:[a-zæøå]|\s))")
_HEADING_MAX = 110
_DANGLING_END = re.compile(r"(?:\s(?:og|eller|samt|efter|i|på|af|til|for|med|om|fra|mod|end|§§?)|,)$")
_WRAPPED_LINE = 75  # a line this long without a full stop was wrapped, not written as a title


@dataclass(frozen=True)
class Sentence:
    start: int
    end: int
    is_heading: bool  # a short line without a full stop: a title that sets the context
    is_bullet: bool
    line_start: int = 0  # where its (logical) line starts: sentences of one paragraph share it


@dataclass(frozen=True)
class Clause:
    start: int
    end: int
    opener: str  # the joiner or relative word it opens with, lower-case ('' if none)


def split_items(text: str) -> list[AgendaItem]:
    """Agenda items ("Punkt 5: ...", "Sag nr. 19"); text before the first item is the preamble."""
    headings = [(m.start(), m.group("n1") or m.group("n2"), m.group("title").strip())
                for m in _ITEM_HEADING.finditer(text)]
    headings += [(m.start(), m.group("n"), m.group("title").strip()) for m in _NUMBERED_HEADING.finditer(text)
                 if not m.group("title").endswith(".") and _in_contents(text, m)]
    headings.sort()
    starts: list[tuple[int, str]] = []
    for at, number, title in headings:
        start = at
        if not title:
            # "Sag nr. 19" on its own line: the title is the line before it.
            prev_start, prev_line = _previous_line(text, at)
            if prev_line and not prev_line.rstrip().endswith((".", ":")):
                title, start = prev_line.strip(), prev_start
        label = f"{number}: {title}" if title else number
        if starts and start <= starts[-1][0]:
            start = at
        if starts and start <= starts[-1][0]:
            continue
        starts.append((start, label))
    items = []
    if not starts or starts[0][0] > 0:
        items.append(AgendaItem(None, 0, starts[0][0] if starts else len(text)))
    for i, (start, label) in enumerate(starts):
        end = starts[i + 1][0] if i + 1 < len(starts) else len(text)
        items.append(AgendaItem(label[:300], start, end))
    return items


_CONTENTS_REACH = 10_000  # characters from the top where a contents list stands


def _in_contents(text: str, heading: re.Match) -> bool:
    """Does the numbered title stand earlier, in the contents list near the top? (A bounded search, so that
    a document of many numbered lines stays linear.)"""
    return text.find(heading.group("title").strip(), 0, min(heading.start(), _CONTENTS_REACH)) != -1


def split_sentences(text: str, start: int, end: int) -> list[Sentence]:
    """Sentences of text[start:end]. Bullet lines stay whole; wrapped lines are joined."""
    sentences = []
    for line_start, line_end in _logical_lines(text, start, end):
        line = text[line_start:line_end]
        stripped = line.strip()
        if not stripped:
            continue
        is_bullet = bool(_BULLET.match(line))
        if is_bullet:
            sentences.append(Sentence(line_start, line_end, False, True, line_start))
            continue
        is_heading = len(stripped) <= _HEADING_MAX and not stripped.endswith((".", ":", ";", ",", "?", "!"))
        cut = line_start
        for m in _SENTENCE_END.finditer(line):
            if _ends_with_abbreviation(line[max(0, m.start() - 12) : m.start()]):  # a bounded look back: linear
                continue
            sentences.append(Sentence(cut, line_start + m.end(), False, False, line_start))
            cut = line_start + m.end()
        if cut < line_end:
            sentences.append(Sentence(cut, line_end, is_heading and cut == line_start, False, line_start))
    return sentences


def split_clauses(masked: str, start: int, end: int, protected: list[tuple[int, int]]) -> list[Clause]:
    """Clauses of a sentence, split at commas, semicolons, table bars and tabs, and joining words, outside
    protected spans (keyword and scope phrases such as "social- og beskæftigelsesområdet") and brackets."""
    clauses = []
    begin, opener = start, ""
    for m in _BOUNDARY_RX.finditer(masked, start, end):
        at = m.start()
        if (_inside(at, protected) or _bracket_depth(masked, start, at) > 0
                or (m.group(0)[0] == "," and _is_decimal_comma(masked, at))):
            continue
        if at > begin:
            clauses.append(Clause(begin, at, opener))
        begin, opener = m.end(), (m.group("word") or m.group("joiner") or "").lower()
    if begin < end:
        clauses.append(Clause(begin, end, opener))
    return [_with_relative_opener(masked, c) for c in clauses]


_JOINERS = "|".join(CLAUSE_JOINERS)
_BOUNDARY_RX = re.compile(
    rf"(?:[,;:|\t]|\s[–|-](?=\s))\s*(?:(?P<word>{_JOINERS})\s+)?"  # punctuation, then maybe a joiner
    rf"|(?<![-–])\s+(?P<joiner>{_JOINERS})\s+",
    re.IGNORECASE,
)


def _bracket_depth(text: str, start: int, at: int) -> int:
    segment = text[start:at]
    return segment.count("(") - segment.count(")")


def _with_relative_opener(masked: str, clause: Clause) -> Clause:
    if clause.opener:
        return clause
    first = re.match(r"\s*([a-zæøå]+)", masked[clause.start : clause.end], re.IGNORECASE)
    if first and first.group(1).lower() in RELATIVE_OPENERS:
        return Clause(clause.start, clause.end, first.group(1).lower())
    return clause


def _is_decimal_comma(text: str, i: int) -> bool:
    return 0 < i < len(text) - 1 and text[i - 1].isdigit() and text[i + 1].isdigit()


def _inside(i: int, spans: list[tuple[int, int]]) -> bool:
    return any(s <= i < e for s, e in spans)


def _ends_with_abbreviation(before: str) -> bool:
    word = re.search(r"([\w.]+)$", before)
    if not word:
        return False
    token = word.group(1).lower()
    return token in _ABBREVIATIONS


def _logical_lines(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Lines of text[start:end]; a line that breaks mid-sentence is joined with the next one."""
    lines: list[tuple[int, int]] = []
    pos = start
    while pos < end:
        nl = text.find("\n", pos, end)
        line_end = end if nl == -1 else nl
        if lines and _continues(text, lines[-1], pos, line_end):
            lines[-1] = (lines[-1][0], line_end)
        else:
            lines.append((pos, line_end))
        pos = line_end + 1
    return lines


def _continues(text: str, prev: tuple[int, int], start: int, end: int) -> bool:
    """A line wrapped inside a sentence (PDF text, hard-wrapped text files) continues the previous one."""
    prev_text = text[prev[0] : prev[1]].rstrip()
    line = text[start:end].lstrip()
    if not prev_text or not line or _BULLET.match(text[start:end]) or _ITEM_HEADING.match(text, start, end):
        return False
    if line[0].islower():  # Danish sentences start upper-case: "36,2 pct.\npå landsplan."
        return len(prev_text) > 40 and prev_text[-1] not in ":;"
    if prev_text[-1] in ".:;!?":
        return False
    if _DANGLING_END.search(prev_text):
        return True  # "§§ 32 og" / "afgørelser efter": the sentence cannot end there
    if line[0] == "(":
        return len(prev_text) > 40
    # A long line that stops on a lower-case word or a comma was wrapped; a table row ends on a number.
    return len(prev_text) >= _WRAPPED_LINE and (prev_text[-1].islower() or prev_text[-1] == ",")


def _previous_line(text: str, pos: int) -> tuple[int, str]:
    end = text.rfind("\n", 0, pos)
    if end <= 0:
        return pos, ""
    while end > 0 and text[end - 1] == "\n":
        end -= 1
    start = text.rfind("\n", 0, end) + 1
    return start, text[start:end]
