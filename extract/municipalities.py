"""The 98 Danish kommuner as data, and a precise finder for mentions of them in text and file names.

Pure: strings in, spans out. Canonical names are the short names people write ("København", "Aarhus",
"Nordfyn", "Bornholm"), as the hand-checked labels use them. They are Statistics Denmark's ANKEAST names but
for two, where the register keeps a genitive s: "Nordfyns" and "Vesthimmerlands" (kept as aliases).

Precision beats recall here: a false mention can assign a document, or a statistic, to the wrong kommune,
while a missed plain mention costs nothing when the document also says "<Name> Kommune" (nearly all do).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from typing import NamedTuple

# The 98 kommuner since the 2007 reform, by region.
MUNICIPALITIES: tuple[str, ...] = (
    # Region Hovedstaden (29)
    "Albertslund", "Allerød", "Ballerup", "Bornholm", "Brøndby", "Dragør", "Egedal", "Fredensborg",
    "Frederiksberg", "Frederikssund", "Furesø", "Gentofte", "Gladsaxe", "Glostrup", "Gribskov", "Halsnæs",
    "Helsingør", "Herlev", "Hillerød", "Hvidovre", "Høje-Taastrup", "Hørsholm", "Ishøj", "København",
    "Lyngby-Taarbæk", "Rudersdal", "Rødovre", "Tårnby", "Vallensbæk",
    # Region Sjælland (17)
    "Faxe", "Greve", "Guldborgsund", "Holbæk", "Kalundborg", "Køge", "Lejre", "Lolland", "Næstved",
    "Odsherred", "Ringsted", "Roskilde", "Slagelse", "Solrød", "Sorø", "Stevns", "Vordingborg",
    # Region Syddanmark (22)
    "Aabenraa", "Assens", "Billund", "Esbjerg", "Faaborg-Midtfyn", "Fanø", "Fredericia", "Haderslev",
    "Kerteminde", "Kolding", "Langeland", "Middelfart", "Nordfyn", "Nyborg", "Odense", "Svendborg",
    "Sønderborg", "Tønder", "Varde", "Vejen", "Vejle", "Ærø",
    # Region Midtjylland (19)
    "Aarhus", "Favrskov", "Hedensted", "Herning", "Holstebro", "Horsens", "Ikast-Brande", "Lemvig",
    "Norddjurs", "Odder", "Randers", "Ringkøbing-Skjern", "Samsø", "Silkeborg", "Skanderborg", "Skive",
    "Struer", "Syddjurs", "Viborg",
    # Region Nordjylland (11)
    "Aalborg", "Brønderslev", "Frederikshavn", "Hjørring", "Jammerbugt", "Læsø", "Mariagerfjord", "Morsø",
    "Rebild", "Thisted", "Vesthimmerland",
)

# Official names that are not simply "<Name> Kommune".
_OFFICIAL_NAME_EXCEPTIONS = {
    "København": "Københavns Kommune",
    "Bornholm": "Bornholms Regionskommune",
    "Nordfyn": "Nordfyns Kommune",
    "Vesthimmerland": "Vesthimmerlands Kommune",
}
OFFICIAL_NAMES: dict[str, str] = {
    name: _OFFICIAL_NAME_EXCEPTIONS.get(name, f"{name} Kommune") for name in MUNICIPALITIES
}

# Other spellings seen in running text: the pre-1948/2011 "å" spellings, a space for the hyphen, and the
# forms without the genitive s. Town names inside a kommune ("Ikast", "Lyngby", "Taastrup") are NOT here:
# they name a town, and "Lyngby" alone is as often Kongens Lyngby station or DTU.
SPELLING_VARIANTS: dict[str, str] = {
    "Århus": "Aarhus",
    "Ålborg": "Aalborg",
    "Åbenrå": "Aabenraa",
    "Fåborg-Midtfyn": "Faaborg-Midtfyn",
    "Faaborg Midtfyn": "Faaborg-Midtfyn",
    "Høje Taastrup": "Høje-Taastrup",
    "Høje-Tåstrup": "Høje-Taastrup",
    "Lyngby Taarbæk": "Lyngby-Taarbæk",
    "Lyngby-Tårbæk": "Lyngby-Taarbæk",
    "Ikast Brande": "Ikast-Brande",
    "Ringkøbing Skjern": "Ringkøbing-Skjern",
    "Taarnby": "Tårnby",
    "Nordfyns": "Nordfyn",  # Statistics Denmark's register name
    "Vesthimmerlands": "Vesthimmerland",
    "Mors": "Morsø",  # the island: news say "på Mors" of Morsø Kommune
    "Brønderslev-Dronninglund": "Brønderslev",  # the kommune's name 2007-2011
}

# Every other way of writing a kommune -> its canonical name: spelling variants and full official names.
ALIASES: dict[str, str] = {
    **SPELLING_VARIANTS,
    **{official: name for name, official in OFFICIAL_NAMES.items()},
}

# Names that are also ordinary Danish words ("vejen" = the road, "greve" = count, "lejre" = camps,
# "skive" = slice, "varde" = cairn, "odder" = otter, "tønder" = barrels). They count only in an unambiguous
# context: "<Name> Kommune", "Jobcenter <Name>", "Mødested <Name>" or "i <Name>".
AMBIGUOUS_NAMES: frozenset[str] = frozenset({"Vejen", "Greve", "Lejre", "Skive", "Varde", "Odder", "Tønder"})

# Mention kinds, strongest evidence first.
KOMMUNE, JOBCENTER, VENUE, PLAIN = "kommune", "jobcenter", "venue", "plain"

# Words before a name that make it a kommune reference: "Jobcenter Svendborg", "Mødested Hvidovre".
LEAD_WORDS: dict[str, str] = {
    "Jobcenter": JOBCENTER,
    "Jobcentret": JOBCENTER,
    "Mødested": VENUE,
}
# Words after a name (and an optional genitive s) that make it one: "Rødovre Kommunes", "Københavns
# Kommune", "Bornholms Regionskommune", "Randers Byråd", "Rødovre Jobcenter".
SUFFIX_WORDS: dict[str, str] = {
    "Kommune": KOMMUNE,
    "Kommunes": KOMMUNE,
    "Regionskommune": KOMMUNE,
    "Regionskommunes": KOMMUNE,
    "Kommunalbestyrelse": KOMMUNE,
    "Kommunalbestyrelses": KOMMUNE,
    "Byråd": KOMMUNE,
    "Byråds": KOMMUNE,
    "Byrådet": KOMMUNE,
    "Byrådets": KOMMUNE,
    "Jobcenter": JOBCENTER,
}
# A plain name after one of these is still a place reference even though the word before is capitalised
# ("I Hvidovre er ..."); after any other capitalised word it is more likely a surname ("Karin Lemvig").
FUNCTION_WORDS: frozenset[str] = frozenset(
    {"i", "fra", "til", "på", "og", "eller", "samt", "mellem", "ved", "om", "for", "med", "både", "som",
     "hvor", "end", "af", "uden", "hos", "blandt", "omkring", "nær", "under", "efter", "inden", "især"}
)


class Mention(NamedTuple):
    """One kommune mention: ``text[start:end]`` is the name as written (no "Kommune", no genitive s)."""

    start: int
    end: int
    name: str  # canonical
    kind: str  # KOMMUNE, JOBCENTER, VENUE or PLAIN


def _trie_pattern(words: Iterable[str]) -> str:
    """An alternation of ``words`` factored by common prefixes.

    With ~250 names a flat alternation makes the engine try every name at every capital letter; the trie
    tries one branch per character, which keeps a 100 KB document in a few milliseconds.
    """
    trie: dict = {}
    for word in words:
        node = trie
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}
    return _node_pattern(trie)


def _node_pattern(node: dict) -> str:
    ends_here = "" in node
    branches = [re.escape(char) + _node_pattern(child) for char, child in sorted(node.items()) if char]
    if not branches:
        return ""
    if len(branches) == 1 and not ends_here:
        return branches[0]
    group = "(?:" + "|".join(branches) + ")"
    return group + "?" if ends_here else group


def _with_upper(words: Iterable[str]) -> dict[str, str]:
    """Each word and its ALL CAPS form (PDF headers: "HVIDOVRE KOMMUNE"), mapped to itself."""
    return {form: word for word in words for form in (word, word.upper())}


# Written form (as in text, also ALL CAPS) -> canonical name.
_WRITTEN_NAMES: dict[str, str] = {
    form: SPELLING_VARIANTS.get(word, word)
    for form, word in _with_upper((*MUNICIPALITIES, *SPELLING_VARIANTS)).items()
}
_LEADS = _with_upper(LEAD_WORDS)
_SUFFIXES = {
    **_with_upper(SUFFIX_WORDS),
    **{word.lower(): word for word in SUFFIX_WORDS},  # "Svendborg kommune"
}

# The name comes first so the engine can skip to candidate capitals quickly; a leading lookbehind or
# optional lead group makes it test every position (4x slower). Both are checked on each match instead.
_MENTION_RX = re.compile(
    rf"""
    (?P<name>{_trie_pattern(_WRITTEN_NAMES)})
    (?P<gen>[sS])?
    (?!\w|-\w)                      # not part of a longer word: Hvidovrevej, Aarhus-modellen
    (?:[ \t]{{1,3}}(?P<suffix>{_trie_pattern(_SUFFIXES)})(?!\w))?
    """,
    re.VERBOSE,
)
_LEAD_BEFORE_RX = re.compile(rf"(?P<lead>{_trie_pattern(_LEADS)}):?\s{{1,4}}\Z")
_WORD_BEFORE_RX = re.compile(r"(\S+) \Z")
_CAPITAL_AFTER_RX = re.compile(r" [A-ZÆØÅ]")
_LOOKBACK_CHARS = 40


def iter_mentions(text: str) -> Iterator[Mention]:
    """Every kommune mention in ``text`` that is clearly a reference to the kommune, in text order."""
    for match in _MENTION_RX.finditer(text):
        start, end = match.span("name")
        if start and (text[start - 1].isalnum() or text[start - 1] in "-_"):
            continue  # the end of a longer word or compound: "StorKøbenhavn", "Syd-Hvidovre"
        kind = _mention_kind(match)
        if kind is not None:
            yield Mention(start, end, _WRITTEN_NAMES[match["name"]], kind)


def find_municipality_mentions(text: str) -> list[tuple[int, int, str]]:
    """(start, end, canonical name) of each clear kommune mention; ``text[start:end]`` is the name."""
    return [(m.start, m.end, m.name) for m in iter_mentions(text)]


def _mention_kind(match: re.Match[str]) -> str | None:
    text, start = match.string, match.start()
    lead = _LEAD_BEFORE_RX.search(text, max(0, start - _LOOKBACK_CHARS), start)
    if lead:
        return LEAD_WORDS[_LEADS[lead["lead"]]]
    if match["suffix"]:
        return SUFFIX_WORDS[_SUFFIXES[match["suffix"]]]
    return PLAIN if _is_plain_reference(match) else None


_FIGURE_AFTER_RX = re.compile(r":?[ \t]*\d")


def _is_plain_reference(match: re.Match[str]) -> bool:
    """A bare name counts unless the context says it is a word, a surname or part of an institution."""
    text, start, end = match.string, match.start(), match.end()
    before = _WORD_BEFORE_RX.search(text, max(0, start - _LOOKBACK_CHARS), start)
    word_before = before[1] if before else ""
    if _WRITTEN_NAMES[match["name"]] in AMBIGUOUS_NAMES:
        # "Vejen" and friends only as "i Vejen" or, capitalised, as a list entry with its figure
        # ("Vejen 27 pct."), and not in the genitive ("Vejens" is "the road's").
        if match["gen"]:
            return False
        return word_before == "i" or (match["name"][:1].isupper() and bool(_FIGURE_AFTER_RX.match(text, end)))
    if word_before[:1].isupper() and word_before.lower() not in FUNCTION_WORDS:
        return False  # "Karin Lemvig", "Region Hovedstaden"-like compounds
    # "Hvidovre Hospital", "Aalborg Universitet", "Randers FC": an institution named after the town.
    return not _CAPITAL_AFTER_RX.match(text, end)


def canonical_name(written: str) -> str | None:
    """The canonical kommune for a written name, official name or variant (case-insensitive); else None."""
    key = " ".join(written.split()).casefold()
    return _CANONICAL_BY_CASEFOLD.get(key)


_CANONICAL_BY_CASEFOLD: dict[str, str] = {
    **{name.casefold(): name for name in MUNICIPALITIES},
    **{alias.casefold(): name for alias, name in ALIASES.items()},
}


# File names are usually slugs: lower case, "ø" written "oe" or "o", "_" for spaces ("hoeje_taastrup").
_FILE_NAME_FOLDINGS = (
    str.maketrans({"æ": "ae", "ø": "oe", "å": "aa", "é": "e"}),
    str.maketrans({"æ": "ae", "ø": "o", "å": "a", "é": "e"}),
)


def _fold(text: str, folding: dict[int, str]) -> str:
    return text.casefold().translate(folding)


def _file_name_keys(names: Iterable[str]) -> dict[str, str]:
    """Folded slug form of each written name -> canonical name."""
    keys: dict[str, str] = {}
    for written in names:
        canonical = SPELLING_VARIANTS.get(written, written)
        for folding in _FILE_NAME_FOLDINGS:
            keys[re.sub(r"[\s-]+", " ", _fold(written, folding))] = canonical
    return keys


_FILE_KEYS = _file_name_keys((*MUNICIPALITIES, *SPELLING_VARIANTS))


def _slug_alternation(keys: Iterable[str]) -> str:
    # Longest first so "lyngby taarbaek" beats a shorter key; separators in a slug vary ("-", "_", ".", "").
    ordered = sorted(keys, key=len, reverse=True)
    return "|".join(re.escape(key).replace(r"\ ", "[-_ .]?") for key in ordered)


_AMBIGUOUS_KEYS = [key for key, name in _FILE_KEYS.items() if name in AMBIGUOUS_NAMES]
_PLAIN_KEYS = [key for key, name in _FILE_KEYS.items() if name not in AMBIGUOUS_NAMES]
# An ambiguous name in a file name ("vejen_til_job.pdf") counts only when "kommune" follows it.
_FILE_NAME_RX = re.compile(
    rf"(?<![a-z])(?:(?P<plain>{_slug_alternation(_PLAIN_KEYS)})"
    rf"|(?P<ambiguous>{_slug_alternation(_AMBIGUOUS_KEYS)})(?=[-_ .]kommune))(?![a-z])"
)


def find_names_in_file_name(file_name: str) -> list[str]:
    """Canonical kommuner named in a file name or path ("hvidovre_2022-09-05.pdf"), in order, no repeats."""
    found: dict[str, None] = {}
    for folding in _FILE_NAME_FOLDINGS:
        for match in _FILE_NAME_RX.finditer(_fold(file_name, folding)):
            key = re.sub(r"[-_ .]", " ", match[0])
            found.setdefault(_FILE_KEYS.get(key) or _key_without_separators(key), None)
    return list(found)


def _key_without_separators(key: str) -> str:
    """The canonical name of a slug written without separators ("hoejetaastrup")."""
    squeezed = key.replace(" ", "")
    return next(name for k, name in _FILE_KEYS.items() if k.replace(" ", "") == squeezed)

# The official three-digit kommune codes (Danmarks Statistik / CPR), the key analysts join other data on.
KOMMUNE_CODES: dict[str, int] = {
    "København": 101, "Frederiksberg": 147, "Ballerup": 151, "Brøndby": 153, "Dragør": 155, "Gentofte": 157,
    "Gladsaxe": 159, "Glostrup": 161, "Herlev": 163, "Albertslund": 165, "Hvidovre": 167, "Høje-Taastrup": 169,
    "Lyngby-Taarbæk": 173, "Rødovre": 175, "Ishøj": 183, "Tårnby": 185, "Vallensbæk": 187, "Furesø": 190,
    "Allerød": 201, "Fredensborg": 210, "Helsingør": 217, "Hillerød": 219, "Hørsholm": 223, "Rudersdal": 230,
    "Egedal": 240, "Frederikssund": 250, "Greve": 253, "Køge": 259, "Halsnæs": 260, "Roskilde": 265,
    "Solrød": 269, "Gribskov": 270, "Odsherred": 306, "Holbæk": 316, "Faxe": 320, "Kalundborg": 326,
    "Ringsted": 329, "Slagelse": 330, "Stevns": 336, "Sorø": 340, "Lejre": 350, "Lolland": 360, "Næstved": 370,
    "Guldborgsund": 376, "Vordingborg": 390, "Bornholm": 400, "Middelfart": 410, "Assens": 420,
    "Faaborg-Midtfyn": 430, "Kerteminde": 440, "Nyborg": 450, "Odense": 461, "Svendborg": 479, "Nordfyn": 480,
    "Langeland": 482, "Ærø": 492, "Haderslev": 510, "Billund": 530, "Sønderborg": 540, "Tønder": 550,
    "Esbjerg": 561, "Fanø": 563, "Varde": 573, "Vejen": 575, "Aabenraa": 580, "Fredericia": 607, "Horsens": 615,
    "Kolding": 621, "Vejle": 630, "Herning": 657, "Holstebro": 661, "Lemvig": 665, "Struer": 671,
    "Syddjurs": 706, "Norddjurs": 707, "Favrskov": 710, "Odder": 727, "Randers": 730, "Silkeborg": 740,
    "Samsø": 741, "Skanderborg": 746, "Aarhus": 751, "Ikast-Brande": 756, "Ringkøbing-Skjern": 760,
    "Hedensted": 766, "Morsø": 773, "Skive": 779, "Thisted": 787, "Viborg": 791, "Brønderslev": 810,
    "Frederikshavn": 813, "Vesthimmerland": 820, "Læsø": 825, "Rebild": 840, "Mariagerfjord": 846,
    "Jammerbugt": 849, "Aalborg": 851, "Hjørring": 860,
}
