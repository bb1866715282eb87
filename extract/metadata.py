"""Document metadata from the text of municipal minutes: whose kommune, which committee, which meeting date.

Pure functions on strings. Each reads the head of the document first, where minutes put their header, and
falls back to evidence in the body ("Beslutning i <udvalg> den <dato>"), because PDF and web exports often
lose or shuffle the header. Only the head is ever cut into lines, so a 100 KB document costs one or two
regex scans.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from datetime import date
from itertools import islice

from extract.models import DocumentMeta
from extract.municipalities import JOBCENTER, KOMMUNE, PLAIN, VENUE, find_names_in_file_name, iter_mentions
from transform.vocabulary import MONTHS

# --- vocabulary -----------------------------------------------------------------------------------------

# How much one mention says about whose document it is. A document names its own kommune with "Kommune",
# its jobcenter or its meeting place; other kommuner turn up mostly as plain names in comparisons.
MENTION_WEIGHTS: dict[str, float] = {KOMMUNE: 3.0, JOBCENTER: 3.0, VENUE: 3.0, PLAIN: 1.0}
HEAD_WEIGHT_FACTOR = 2.0  # the header and first agenda item are about the document's own kommune
MUNICIPALITY_HEAD_LINES = 40
FILE_NAME_WEIGHT = 1.0  # weak: scrapers name files after the kommune, but also after what they compare

# The document head: the first non-empty lines, where a header states committee and date.
HEAD_LINES = 15
# "Mødedato", "Dato:" and friends sit in a header block that can be longer than the head (attendee lists).
DATE_LABEL_LINES = 40
DATE_LABELS = ("Mødedato", "Mødetidspunkt", "Mødetid", "Mødedag", "Dato", "Tidspunkt")
# Head lines longer than this are body text; cutting them also bounds the regex work on one-line documents.
MAX_HEAD_LINE_CHARS = 300
PLAUSIBLE_YEARS = range(1970, 2100)

# What a committee's name ends with ("Beskæftigelsesudvalget", "Byrådet", "Kommunalbestyrelsen",
# "Borgerrepræsentationen", "Magistraten"), indefinite forms included ("Randers Byråd").
COMMITTEE_SUFFIXES = (
    "udvalget", "udvalg", "rådet", "råd", "bestyrelsen", "bestyrelse", "repræsentationen", "magistraten",
)
# Words in a header line around the committee's name.
HEADER_PHRASES = (
    "referat fra mødet i", "referat af mødet i", "dagsorden til mødet i", "dagsorden for mødet i",
    "beslutningsreferat", "beslutningsprotokol", "mødereferat", "referat", "dagsorden", "protokol",
    "fra mødet i", "mødet i", "møde i", "ordinært møde", "ekstraordinært møde", "åbent møde", "åben",
)
WEEKDAYS = ("mandag", "tirsdag", "onsdag", "torsdag", "fredag", "lørdag", "søndag")

# --- patterns built from the vocabulary ------------------------------------------------------------------


def _alternation(phrases: tuple[str, ...] | list[str]) -> str:
    """Phrases as one regex alternation, longest first, any run of blanks between words."""
    ordered = sorted(phrases, key=len, reverse=True)
    return "|".join(re.escape(phrase).replace(r"\ ", r"[ \t]+") for phrase in ordered)


_MONTH = _alternation(list(MONTHS))
_DATE = rf"""
    (?<!\d)(?:
        (?P<iso_y>\d{{4}})-(?P<iso_m>\d{{1,2}})-(?P<iso_d>\d{{1,2}})                # 2022-05-17
      | (?P<num_d>\d{{1,2}})(?P<sep>[-./])(?P<num_m>\d{{1,2}})(?P=sep)(?P<num_y>\d{{4}})  # 17-05-2022
      | (?P<slash_d>\d{{1,2}})/(?P<slash_m>\d{{1,2}})[- ](?P<slash_y>\d{{4}})       # 17/5-2022
      | (?P<txt_d>\d{{1,2}})\.?[ \t]{{0,3}}                                         # 8. marts 2021
        (?P<txt_m>{_MONTH})\.?[ \t]{{1,3}}(?P<txt_y>\d{{4}})
    )(?!\d)
"""
_DATE_RX = re.compile(_DATE, re.IGNORECASE | re.VERBOSE)
_DATE_LABEL_RX = re.compile(
    rf"^[ \t]*(?:{_alternation(DATE_LABELS)})\b[ \t]*:?[ \t]*(?P<rest>.*)$", re.IGNORECASE | re.MULTILINE
)

_LETTER = "[A-ZÆØÅÉa-zæøåé]"
_COMMITTEE = rf"""
    (?<![\w-])(?=[A-ZÆØÅ])(?:
        Udvalg(?:et)?[ \t]+for[ \t]+{_LETTER}+-?                  # Udvalget for Social, Sundhed og Ældre
        (?:(?:,[ \t]*|[ \t]+(?:og|&)[ \t]+|[ \t]+(?=[A-ZÆØÅ])){_LETTER}+-?)*  # … for Sociale Forhold og …
      | (?:{_LETTER}+-,?[ \t]+)*                                   # Social-, Sundheds- og Ældreudvalget
        (?:(?:og|&)[ \t]+)?
        {_LETTER}*?(?i:{_alternation(COMMITTEE_SUFFIXES)})          # any case: "Magistraten", "BYRÅDET"
    )(?!\w)
"""
_COMMITTEE_RX = re.compile(_COMMITTEE, re.VERBOSE)
_COMMITTEE_FULL_RX = re.compile(rf"(?:{_COMMITTEE})\Z", re.VERBOSE)

# Everything a header line carries besides the committee: "REFERAT", "2022-2025", "d. 02-03-2022", "kl.
# 15.30", weekdays, the kommune's name, an acronym, bullets and dashes standing alone.
_HEADER_NOISE_RX = re.compile(
    rf"""
      (?<!\w)(?:{_alternation(HEADER_PHRASES)})(?!\w)
    | (?<!\d)\d{{4}}[ \t]*[-–][ \t]*\d{{4}}(?!\d)                  # electoral period
    | {_DATE}
    | (?<!\w)kl\.?[ \t]*\d{{1,2}}(?:[.:]\d{{2}})?(?!\d)
    | (?<!\w)(?:{_alternation(WEEKDAYS)})(?!\w)
    | (?<!\w)(?:d\.|den)(?!\w)
    | (?<!\w)[A-ZÆØÅ][\w-]*[ \t]+(?:[Kk]ommune|KOMMUNE)(?!\w)    # "Rødovre Kommune - Referat - ..."
    | (?<!\S)[-–—•|:](?!\S)
    | \([A-ZÆØÅ]{{2,6}}\)                                            # the committee's acronym: "(BEU)"
    """,
    re.IGNORECASE | re.VERBOSE,
)
_HEADER_PHRASE_RX = re.compile(rf"(?<!\w)(?:{_alternation(HEADER_PHRASES)})(?!\w)", re.IGNORECASE)
_STRIP_CHARS = " \t,.;:-–—•|"

# "Beslutning i Beskæftigelses- og Integrationsudvalget den 08-03-2021": one per agenda item, so the most
# frequent one names the meeting even when the header is gone. It must open a line; that is checked per
# match, because a leading "^" makes the engine try every position.
_DECISION_RX = re.compile(
    r"(?:Beslutning|Behandling|Behandlet)[ \t]+(?:i|af)[ \t]+(?P<committee>[^\n]{1,150}?)"
    r"[ \t]+(?:den|d\.)[ \t]+(?P<when>[^\n]{1,40})"
)
# A non-empty line without its leading blanks. Starting at a non-blank character (not at "^") lets the
# engine skip runs of empty lines quickly.
_NON_EMPTY_LINE_RX = re.compile(r"\S[^\n]*")

# --- the document head ----------------------------------------------------------------------------------


def _head_lines(text: str, count: int) -> list[str]:
    """The first ``count`` non-empty lines, stripped and cut to MAX_HEAD_LINE_CHARS."""
    lines = islice(_NON_EMPTY_LINE_RX.finditer(text), count)
    return [m[0].strip()[:MAX_HEAD_LINE_CHARS] for m in lines]


def _head_end(text: str, count: int) -> int:
    """Offset just after the ``count``-th non-empty line (the whole text if it is shorter)."""
    lines = list(islice(_NON_EMPTY_LINE_RX.finditer(text), count))
    return lines[-1].end() if lines else 0


# --- municipality ---------------------------------------------------------------------------------------


def municipality_scores(text: str, file_name: str = "") -> Counter[str]:
    """Evidence for each kommune being the document's own: weighted mentions, head mentions doubled."""
    scores: Counter[str] = Counter()
    head_end = _head_end(text, MUNICIPALITY_HEAD_LINES)
    for mention in iter_mentions(text):
        factor = HEAD_WEIGHT_FACTOR if mention.start < head_end else 1.0
        scores[mention.name] += MENTION_WEIGHTS[mention.kind] * factor
    for name in find_names_in_file_name(file_name):
        scores[name] += FILE_NAME_WEIGHT
    return scores


def find_municipality(text: str, file_name: str = "") -> str | None:
    """The document's own kommune (canonical name), or None when neither text nor file name names one.

    Ties go to the kommune named first (Counter keeps insertion order), i.e. the one in the header.
    """
    scores = municipality_scores(text, file_name)
    if not scores:
        return None
    return max(scores, key=scores.__getitem__)


# --- committee ------------------------------------------------------------------------------------------


def find_committee(text: str) -> str | None:
    """The committee holding the meeting, as written ("Social- og Arbejdsmarkedsudvalget"), or None.

    In order: a head line that is nothing but a committee once header words, periods and dates are
    removed; a committee inside a head line opening with a header word ("Referat fra mødet i ..."); the
    committee most often named in "Beslutning i <udvalg> den ..." lines.
    """
    head = _head_lines(text, HEAD_LINES)
    return _committee_line(head) or _committee_in_header_line(head) or _committee_from_decisions(text)


def _committee_line(head: list[str]) -> str | None:
    for line in head:
        cleaned = _HEADER_NOISE_RX.sub(" ", line).strip(_STRIP_CHARS)
        cleaned = " ".join(cleaned.split())
        if cleaned and _COMMITTEE_FULL_RX.match(cleaned):
            return cleaned
    return None


def _committee_in_header_line(head: list[str]) -> str | None:
    for line in head:
        # Only lines that open with a header word: "Godkendelse af dagsorden" in a table of contents does not.
        if _HEADER_PHRASE_RX.match(line):
            match = _COMMITTEE_RX.search(line)
            if match:
                return " ".join(match[0].split())
    return None


def _decision_lines(text: str) -> Iterator[re.Match[str]]:
    return (match for match in _DECISION_RX.finditer(text) if _opens_line(text, match.start()))


def _opens_line(text: str, position: int) -> bool:
    """Whether only blanks stand between ``position`` and the start of its line."""
    while position and text[position - 1] in " \t":
        position -= 1
    return position == 0 or text[position - 1] == "\n"


def _committee_from_decisions(text: str) -> str | None:
    counts = Counter(" ".join(match["committee"].split()) for match in _decision_lines(text))
    # Validate the distinct names, most frequent first: a document repeats the same line per agenda item.
    return next((name for name, _ in counts.most_common() if _COMMITTEE_FULL_RX.match(name)), None)


# --- meeting date ---------------------------------------------------------------------------------------


def iter_dates(text: str) -> Iterator[tuple[int, date]]:
    """(offset, date) of every valid date in ``text``, in any Danish form; impossible dates are skipped."""
    for match in _DATE_RX.finditer(text):
        found = _date_of(match)
        if found is not None:
            yield match.start(), found


def _date_of(match: re.Match[str]) -> date | None:
    for form in ("iso", "num", "slash", "txt"):
        if match[f"{form}_y"]:
            year, day = int(match[f"{form}_y"]), int(match[f"{form}_d"])
            month_text = match[f"{form}_m"]
            month = MONTHS[month_text.lower()] if form == "txt" else int(month_text)
            return _valid_date(year, month, day)
    return None


def _valid_date(year: int, month: int, day: int) -> date | None:
    if year not in PLAUSIBLE_YEARS:
        return None
    try:
        return date(year, month, day)
    except ValueError:  # 31-02-2022, 00-13-2022: not a date, so not evidence
        return None


def _first_date(text: str) -> date | None:
    return next((found for _, found in iter_dates(text)), None)


def find_meeting_date(text: str) -> date | None:
    """The meeting date, or None.

    In order: a "Mødedato"/"Dato"/"Mødetidspunkt" line in the header block (or the line after a label
    standing alone); the first date in the head; the most frequent date in "Beslutning i ... den <dato>".
    """
    head = "\n".join(_head_lines(text, HEAD_LINES))
    return _labelled_date(text) or _first_date(head) or _decision_date(text)


def _labelled_date(text: str) -> date | None:
    block = _head_lines(text, DATE_LABEL_LINES)
    for index, line in enumerate(block):
        label = _DATE_LABEL_RX.match(line)
        if not label:
            continue
        rest = label["rest"].strip()
        found = _first_date(rest) if rest else _first_date(" ".join(block[index + 1 : index + 2]))
        if found:
            return found
    return None


def _decision_date(text: str) -> date | None:
    counts: Counter[date] = Counter()
    for match in _decision_lines(text):
        found = _first_date(match["when"])
        if found:
            counts[found] += 1
    return counts.most_common(1)[0][0] if counts else None


# --- all three ------------------------------------------------------------------------------------------


def extract_meta(text: str, file_name: str = "") -> DocumentMeta:
    """Kommune, committee and meeting date of one document; each is None when the text does not say."""
    committee = find_committee(text)
    if committee and _AREA_NAME_RX.search(committee):
        committee = None  # "Socialområdet" ends like "rådet" but names an area, not a committee
    if publication_year(text) is not None:
        # A web page with a date stamp: a byline date is no meeting date; only a labelled one is.
        return DocumentMeta(find_municipality(text, file_name), committee,
                            _labelled_date(text) or _decision_date(text))
    return DocumentMeta(find_municipality(text, file_name), committee, find_meeting_date(text))


_AREA_NAME_RX = re.compile(r"område(?:t|rne)?$", re.IGNORECASE)
_STAMP_RX = re.compile(r"\A\s*date\s+(?P<year>(?:19|20)\d\d)-(?P<month>\d\d)\b")


def publication_year(text: str) -> int | None:
    """The year of a stored web page's leading date stamp (" date 2019-03 ..."), or None."""
    m = _STAMP_RX.match(text)
    return int(m["year"]) if m else None
