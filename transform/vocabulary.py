"""The Danish vocabulary of appeal statistics, as data.

Every phrase the parser reacts to lives here, as a regular expression fragment matched case-insensitively
at word boundaries. ``tests/test_vocabulary.py`` checks that no phrase is claimed by two meanings, so adding
a synonym is a one-line change with a test that tells you when it collides with another.
"""

from __future__ import annotations

import re

# What a decided appeal's outcome is called, keyed by the column it fills. Longer phrases win over shorter
# ones at the same position (the matcher sorts by length), so "hjemvist eller ændret" is one 'reversed'
# phrase, not a 'hjemvist' and an 'aendret'.
_REVERSED_PAIRS = (
    r"(?:hjemvist|hjemviste|hjemvises)\s+(?:eller|og|/)\s*(?:ændret|ændrede|ophævet)(?:/ophævet|/ophævede)?",
    r"(?:ændret|ændrede)(?:/ophævet|/ophævede)?\s+(?:eller|og|/)\s*(?:hjemvist|hjemviste)",
    r"(?:ændringer|ændring)(?:/ophævelser)?\s+(?:eller|og)\s+hjemvisninger",
    r"hjemvisninger\s+(?:eller|og)\s+(?:ændringer|ophævelser)",
    r"(?:ændret|ændrede)\s+eller\s+sendt\s+tilbage",
    r"(?:hjemvist|sendt\s+tilbage)\s+eller\s+(?:ændret|ændrede)",
)
OUTCOME_PHRASES: dict[str, tuple[str, ...]] = {
    "stadfaestet": (
        r"stadfæst\w*",
        r"afgjort\s+som\s+(?:en\s+)?stadfæstelse\w*",
        r"ankestyrelsen\s+(?:var|er)\s+enig(?:e)?",
        r"(?:var|er)\s+ankestyrelsen\s+enig(?:e)?",
        r"(?:kommunen|jobcentret|forvaltningen)\s+fik\s+(?:medhold|ret)",
        r"fik\s+(?:kommunen|jobcentret|forvaltningen)\s+(?:medhold|ret)",
        r"gav\s+(?:kommunen|jobcentret|forvaltningen)\s+(?:medhold|ret)",
        r"(?:kommunens\s+)?afgørelse(?:n|rne)?\s+holdt",
    ),
    "hjemvist": (
        r"hjemvis\w*",
        r"afgjort\s+som\s+(?:en\s+)?hjemvisning\w*",
        r"sendt\s+tilbage(?:\s+til\s+kommunen)?(?:\s+til\s+fornyet\s+behandling)?",
        r"behandle\s+sage(?:n|rne)\s+på\s+ny",
        r"fornyet\s+behandling",
        r"sendt\s+retur",
    ),
    "aendret": (
        r"ændret(?:/ophævet)?(?:\s+eller\s+ophævet)?",
        r"afgjort\s+som\s+(?:en\s+)?ændring\w*(?:\s+eller\s+ophævelse\w*)?",
        r"ændrede(?:/ophævede)?",
        r"ændres",
        r"ændring(?:er)?(?:/ophævelse(?:r)?)?",
        r"ophævet",
        r"ophævede",
    ),
    "afvist": (
        r"afvist(?:/henvist)?",
        r"afviste(?:/henviste)?(?:/bortfaldne)?",
        r"afvisninger",
        r"henvist",
        r"bortfald(?:et|ne)?",
    ),
    "reversed": (
        *_REVERSED_PAIRS,
        r"omgjort(?:e)?",
        r"omgjorde",
        r"omgør(?:es)?",
        r"omgørelser",
        r"borgeren\s+fik\s+medhold",
    ),
    "decided": (
        r"traf(?:\s+ankestyrelsen)?(?:\s+i\s+(?:19|20)\d\d)?\s+afgørelse\s+i",
        r"traf\s+ankestyrelsen",  # "traf Ankestyrelsen 27 afgørelser" (not the kommune's own decisions)
        # "11 af sagerne vedrørte Børne- og Skoleudvalgets område": the count of one area's cases
        r"(?<=\baf\s)(?:sagerne|afgørelserne|klagesagerne)\s+(?:vedrørte|vedrører|omhandlede)",
        r"afgjort(?:e)?",
        r"afgjorde",
        r"afgøres",
    ),
    # "behandlet" is said of anything (ansøgninger, henvendelser): it counts cases only with a case noun.
    "handled": (
        r"behandlet",
        r"behandlede",
    ),
    # Tried on the merits: the decided count only where no afgjorte count is stated (then it stands in).
    "merits": (
        r"realitetsbehandle(?:t|de)",
    ),
    "received": (
        r"modtaget",
        r"modtog",
        r"modtagne",
        r"indbragt",
        r"indkommet",
        r"påklaget",
    ),
    # The reversal rate itself. A percentage (or a bare number) next to it is the rate.
    "rate": (
        r"omgørelsesprocent\w*",
        r"omgørelsesandel\w*",
        r"omgørelses-?\s*procent\w*",
        r"andel(?:en)?\s+af\s+omgjorte(?:\s+sager|\s+afgørelser)?",
        r"fejlprocent\w*",
        # "tallet", "gjaldt det": the rate the text is talking about, named again
        r"tallet",
        r"gjaldt\s+det",
        # news: "fejl i 41 procent af sagerne", "kommunen tabte 66 procent af klagesagerne"
        r"(?:fandt|fundet|konstateret|var\s+der|der\s+var)\s+fejl\s+i",
        r"tabte",
    ),
    # A national average. Values paired with it fill national_rate_pct.
    "national": (
        r"landsgennemsnit\w*",
        r"landgennemsnit\w*",  # a common misspelling
        r"landets\s+kommuner",
        r"landsplan\w*",
        r"gennemsnittet\s+for\s+(?:hele\s+)?landet",
        r"gennemsnittet\s+for\s+alle\s+kommuner",
        r"hele\s+landet",
    ),
}

# Which column a keyword fills for each kind of value. Shares of an outcome ("69 (75 pct.) blev
# stadfæstet") fill the *_pct column; a share of reversed cases is the reversal rate.
COUNT_COLUMN = {
    "stadfaestet": "stadfaestet",
    "hjemvist": "hjemvist",
    "aendret": "aendret",
    "afvist": "afvist",
    "reversed": "reversed",
    "decided": "decided",
    "received": "received",
    "handled": "decided",
    "merits": "decided",
    "total": "decided",
}
PCT_COLUMN = {
    "stadfaestet": "stadfaestet_pct",
    "hjemvist": "hjemvist_pct",
    "aendret": "aendret_pct",
    "reversed": "reported_rate_pct",
    "rate": "reported_rate_pct",
    "national": "national_rate_pct",
}
# Keywords whose count only counts when a case noun follows it ("modtaget 226 klager"): "modtog én af de
# ydelser" is not an appeal count.
NEEDS_CASE_NOUN = frozenset({"received", "total", "handled", "merits"})

# "i alt 30 afgørelser" states the total only when nothing better in the clause claims the number.
TOTAL_PHRASES = (r"i\s+alt", r"sammenlagt")

# Nouns that name appeal cases; a count followed by one of these is a case count.
CASE_NOUNS = (
    r"(?:klage|anke)?sag(?:en|er|erne)?",
    r"klage(?:r|rne|n)?",
    r"afgørelse(?:r|rne|n)?",
    r"ankesag(?:er|erne)?",
)

# Scopes: (pattern, scope). area_label is the matched text. More specific phrases are listed as their own
# patterns; the matcher prefers the longest match at a position.
SCOPES = ("all", "social", "child_disability", "adult_disability", "employment", "committee", "law", "other")
SCOPE_PHRASES: tuple[tuple[str, str], ...] = (
    (r"social-\s*og\s+beskæftigelsesområde(?:t)?", "all"),
    (r"beskæftigelses-\s*og\s+socialområde(?:t)?", "all"),
    (r"social-\s*og\s+beskæftigelsessager", "all"),
    (r"alle\s+kommunale\s+klagesager", "all"),
    (r"samlet\s+set", "all"),
    (r"(?:alle|samtlige)\s+(?:sags|lov)områder(?:\s+under\s+ét)?", "all"),  # "for alle lovområder under ét"
    (r"børnehandicapområde(?:t)?", "child_disability"),
    (r"handicapområdet\s+for\s+børn", "child_disability"),
    (r"børne-?\s*handicap\w*", "child_disability"),
    (r"voksenhandicapområde(?:t)?", "adult_disability"),
    (r"voksensocialområde(?:t)?", "adult_disability"),
    (r"(?:sager\s+om\s+)?handicappede\s+børn", "child_disability"),
    (r"voksenområde(?:t)?", "adult_disability"),
    (r"handicapområdet\s+for\s+voksne", "adult_disability"),
    (r"voksen-?\s*handicap\w*", "adult_disability"),
    (r"socialområde(?:t)?", "social"),
    (r"(?:det\s+)?sociale?\s+område(?:t)?", "social"),
    (r"beskæftigelsesområde(?:t)?", "employment"),
    (r"[A-ZÆØÅ][\wæøå]*(?:-\s*og\s+[\wæøå]+)?udvalg(?:et|ets)?\s+område", "committee"),
    (r"[A-ZÆØÅ][\wæøå]*(?:-\s*og\s+[\wæøå]+)?udvalgets\s+ressortområde", "committee"),
    (r"udvalgets\s+(?:ressort)?område", "committee"),
    (r"kommunen\s+som\s+helhed", "all"),
    (r"sygedagpengelov(?:en)?", "law"),
    (r"sygedagpengeområde(?:t)?", "law"),
    (r"aktivlov(?:en)?", "law"),
    (r"lov\s+om\s+aktiv\s+socialpolitik", "law"),
    (r"lov\s+om\s+(?:en\s+)?aktiv\s+beskæftigelsesindsats", "law"),
    (r"beskæftigelsesloven", "law"),
    (r"lov\s+om\s+social\s+pension", "law"),
    (r"pensionsloven", "law"),
    (r"servicelov(?:en|ens)?", "social"),
    (r"lov\s+om\s+social\s+service", "social"),  # serviceloven as a whole is socialområdet
    (r"boligstøttelov(?:en)?", "law"),
    (r"barselslov(?:en)?", "law"),
    (r"integrationslov(?:en)?", "law"),
    (r"børne-?\s*og\s+ungeydelseslov(?:en)?", "law"),
    (r"øvrige\s+(?:sags|lov)områder", "other"),
    (r"børne-\s*og\s+familieområde(?:t)?", "other"),
    (r"familieområde(?:t)?", "other"),
)

# Lower-case substrings of which every scope phrase holds one: a cheap test before the scope regex.
SCOPE_PREFILTER_WORDS = ("områd", "handicap", "udvalg", "lov", "samlet", "helhed", "social", "sager", "pension")

# The canonical name of each single law, so that "Lov om aktiv socialpolitik" in a table and "aktivloven" in
# a sentence are one statistic.
LAW_NAMES: tuple[tuple[str, str], ...] = (
    (r"sygedagpenge", "sygedagpengeloven"),
    (r"aktivlov|aktiv\s+socialpolitik", "aktivloven"),
    (r"aktiv\s+beskæftigelsesindsats|beskæftigelseslov", "lov om aktiv beskæftigelsesindsats"),
    (r"social\s+pension|pensionslov", "lov om social pension"),
)


# Other areas named more than one way: one label, so that they are one statistic.
OTHER_AREA_NAMES: tuple[tuple[str, str], ...] = (
    (r"familieområde", "børne- og familieområdet"),
)


def area_name(scope: str, label: str) -> str:
    """The label a scope mention is stored under: the law's canonical name, one name per other area."""
    if scope == "law":
        return law_name(label)
    if scope == "other":
        for pattern, name in OTHER_AREA_NAMES:
            if re.search(pattern, label, re.IGNORECASE):
                return name
    return " ".join(label.split())


def law_name(label: str) -> str:
    """The canonical name of the law ``label`` names (the label itself, lower-case, when unknown)."""
    for pattern, name in LAW_NAMES:
        if re.search(pattern, label, re.IGNORECASE):
            return name
    return " ".join(label.split()).lower()


# Clause-level modifiers.
HYPOTHETICAL_MARKERS = (
    r"skulle\b[^.]*\bhave",
    r"\bville\b",
    r"\bhvis\b",
    r"\bsåfremt\b",
    r"eksempel",  # also inside "regneeksempel", "eksempelvis"
    r"\ben\s+(?:tænkt\s+)?kommune\s+(?:har|med|fik)\b",
    r"\bf\.\s?eks\.",
    r"\bfx\b",
    r"\bforestil\b",
    r"\bmålsætning\w*",
    r"\bmål(?:et)?\s+(?:er|var)\b",
)
# A bound, not a value: "under 10 %", "mere end 40 pct.".
INEQUALITY_WORDS = (
    r"under",
    r"over",
    r"mere\s+end",
    r"mindre\s+end",
    r"højst",
    r"mindst",
    r"op\s+til",
    r"omkring",
    r"knap",
    r"godt",
)
# A clause opening with one of these refers back to the noun before it ("..., som er 38,1 pct.").
RELATIVE_OPENERS = ("som", "der", "hvor", "hvilket", "hvilke")
# A clause carrying one of these restates the previous figure in another unit ("Det svarer til 64 sager").
RESTATEMENT_PHRASES = (r"svare(?:r|nde)\s+til", r"dvs\.?", r"det\s+vil\s+sige", r"altså")
# Words that join clauses; the parser splits a sentence at these.
CLAUSE_JOINERS = ("og", "mens", "samt", "hvoraf", "heraf", "hvorimod", "men", "hvorefter", "hvor")

# Danish number words up to twenty and the tens; compounds ("enogtyve") go through text2num.
# "en"/"et" are articles far more often than numbers and are deliberately absent; "én"/"ét" are numbers.
# "ingen" is absent too: "ingen sager" says there were no cases, which is not a figure to store.
NUMBER_WORDS = {
    "nul": 0, "én": 1, "ét": 1, "to": 2, "tre": 3, "fire": 4, "fem": 5, "seks": 6, "syv": 7,
    "otte": 8, "ni": 9, "ti": 10, "elleve": 11, "tolv": 12, "tretten": 13, "fjorten": 14,
    "femten": 15, "seksten": 16, "sytten": 17, "atten": 18, "nitten": 19, "tyve": 20, "tredive": 30,
    "fyrre": 40, "halvtreds": 50, "tres": 60, "halvfjerds": 70, "firs": 80, "halvfems": 90,
    "hundrede": 100,
}
ORDINAL_WORDS = {
    "første": 1, "andet": 2, "anden": 2, "tredje": 3, "fjerde": 4,
}
MONTHS = {
    "januar": 1, "jan": 1, "februar": 2, "feb": 2, "marts": 3, "mar": 3, "april": 4, "apr": 4,
    "maj": 5, "juni": 6, "jun": 6, "juli": 7, "jul": 7, "august": 8, "aug": 8, "september": 9,
    "sep": 9, "sept": 9, "oktober": 10, "okt": 10, "november": 11, "nov": 11, "december": 12, "dec": 12,
}

# Words that show a sentence is about the appeal statistics even when it states no figure; such a
# sentence may set the period and scope that the following sentences inherit.
STATISTICS_WORDS = re.compile(
    r"ankestyrelse\w*|klagesag\w*|klagestatisti\w*|ankestatisti\w*|danmarkskort\w*|omgørelses\w*|"
    r"opgørelse\w*",
    re.IGNORECASE,
)

# Other appeal bodies use the same outcome words (stadfæstet, hjemvist, omgørelsesprocent). An agenda item that
# names one of them more often than Ankestyrelsen is about that body's figures, not Ankestyrelsen's. Lower-case
# substrings: counting them is far cheaper than a regex over the item.
OTHER_APPEAL_BODIES = (
    "klagenævn",  # Natur- og Miljøklagenævnet, Planklagenævnet, Byggeklagenævnet, Beskæftigelsesankenævnet …
    "ankenævn",
    "patientklager",
    "styrelsen for patientsikkerhed",
    "skatteankestyrelse",
    "tilsynet med kommunerne",
    "statsforvaltning",
)


def about_other_appeal_body(lowered: str) -> bool:
    """Does lower-cased text name another appeal body more often than Ankestyrelsen?"""
    others = sum(lowered.count(name) for name in OTHER_APPEAL_BODIES)
    if not others:
        return False
    ankestyrelsen = lowered.count("ankestyrelse") - lowered.count("skatteankestyrelse")
    return others > ankestyrelsen


# Words that make a document worth parsing at all. Documents without any of them cost one regex scan.
# Plain lower-case substrings: str.find on lower-cased text is many times faster than a regex scan.
PREFILTER_WORDS = ("ankestyrelse", "omgør", "omgjor", "stadfæst", "hjemvis")


def mentions_appeals(lowered: str, start: int = 0, end: int | None = None) -> bool:
    """Does lower-cased text (or lowered[start:end]) use any appeal word? The cheap first test."""
    end = len(lowered) if end is None else end
    return any(lowered.find(word, start, end) != -1 for word in PREFILTER_WORDS)


def keyword_patterns() -> list[tuple[str, str]]:
    """(pattern, keyword kind) for every outcome, rate and national phrase."""
    pairs = [(p, kind) for kind, patterns in OUTCOME_PHRASES.items() for p in patterns]
    pairs += [(p, "total") for p in TOTAL_PHRASES]
    return pairs


def phrase_overlaps() -> list[tuple[str, str, str]]:
    """Sample phrases claimed by two different meanings: (text, meaning a, meaning b). Empty is good.

    Each pattern is probed with a representative string (the pattern with regex syntax stripped); a
    probe fully matched by a pattern of another kind at the same length is an overlap.
    """
    entries = keyword_patterns() + [(p, f"scope:{s}") for p, s in SCOPE_PHRASES]
    compiled = [(re.compile(p, re.IGNORECASE), p, kind) for p, kind in entries]
    problems = []
    for _, pattern, kind in compiled:
        probe = _probe_text(pattern)
        for other_rx, _, other_kind in compiled:
            if other_kind != kind and other_rx.fullmatch(probe):
                problems.append((probe, kind, other_kind))
    return problems


def _probe_text(pattern: str) -> str:
    """A plain string the pattern matches: first alternatives, optional parts dropped."""
    text = re.sub(r"\(\?:[^()]*\)\?", "", pattern)  # drop optional groups
    text = re.sub(r"\(\?:([^|()]*)(?:\|[^()]*)?\)", r"\1", text)  # keep the first alternative
    text = text.replace(r"\s+", " ").replace(r"\s*", "").replace(r"\w*", "").replace(r"\b", "")
    text = text.replace("-?", "").replace("?", "").replace("\\", "")
    return text
