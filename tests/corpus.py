"""A deterministic synthetic corpus of Danish committee minutes, for benchmarks and scale tests.

``write_corpus(folder, n)`` writes ``n`` minutes of 20-150 KB each: a header (committee, "Mødedato: ...",
"<Kommune> Kommune"), a table of contents now and then, and 5-15 agenda items ("Punkt N: <title>") whose
paragraphs carry the distractors real minutes carry (budgets in kroner, dates, § references, case numbers,
unemployment percentages, citizen counts, processing times, Ankestyrelsen mentioned without figures). With
probability ``appeal_share`` one agenda item reports Ankestyrelsen's appeal figures in one of the phrasings
of ``data/samples`` and ``tests/fixtures/cases``, with consistent numbers:
decided = stadfæstet + hjemvist + ændret (+ afvist), rate = (hjemvist + ændret) / (stadfæstet + hjemvist +
ændret), rounded half up as the text states it.

What each appeal document says is written to ``<folder>/.corpus.jsonl`` (a dot file, so the pipeline does
not read it); :func:`read_manifest` returns it.

PDFs: ``pdf_engine="fast"`` (default) writes a plain PDF (Helvetica, WinAnsiEncoding, compressed content
streams) with the page layout of :func:`tests.formats.to_pdf`: 92-character lines, 52 lines a page, a
running header and a "Side i af n" footer. ``pdf_engine="matplotlib"`` uses ``to_pdf`` itself (embedded
TrueType fonts, like the format tests); it takes about 0.3 s a page, too slow for thousands of documents.

Deterministic for a seed: one ``random.Random(seed)`` is threaded through everything, no global state.
"""

from __future__ import annotations

import csv
import json
import math
import random
import string
import textwrap
import zlib
from collections.abc import Callable
from pathlib import Path

from extract.municipalities import MUNICIPALITIES, OFFICIAL_NAMES

REPO = Path(__file__).resolve().parent.parent
MANIFEST = ".corpus.jsonl"
STAT_YEARS = range(2018, 2024)  # the years the appeal figures are about
MONTH_NAMES = ("januar", "februar", "marts", "april", "maj", "juni", "juli", "august", "september", "oktober",
               "november", "december")
NUMBER_WORDS = ("nul", "én", "to", "tre", "fire", "fem", "seks", "syv", "otte", "ni", "ti", "elleve", "tolv",
                "tretten", "fjorten", "femten", "seksten", "sytten", "atten", "nitten", "tyve")

# --- vocabulary of ordinary minutes ---------------------------------------------------------------------

COMMITTEES = (
    "Beskæftigelsesudvalget", "Social- og Sundhedsudvalget", "Socialudvalget", "Børne- og Ungeudvalget",
    "Økonomiudvalget", "Beskæftigelses- og Integrationsudvalget", "Social- og Arbejdsmarkedsudvalget",
    "Ældre- og Handicapudvalget", "Børne- og Familieudvalget", "Udvalget for Social og Sundhed",
    "Arbejdsmarkedsudvalget", "Sundheds- og Omsorgsudvalget", "Kultur- og Fritidsudvalget", "Byrådet",
    "Kommunalbestyrelsen", "Teknik- og Miljøudvalget",
)
DEPARTMENTS = ("Social- og Sundhedsforvaltningen", "Børne- og Kulturforvaltningen", "Administrationen",
               "Direktøren", "Jobcentret", "Center for Økonomi", "Social- og Arbejdsmarkedsforvaltningen",
               "Familieafdelingen", "Ældre- og Handicapafdelingen", "Borgerservice")
FIRST_NAMES = ("Peter", "Birgitte", "Flemming", "Mikkel", "Anne", "Søren", "Mette", "Lars", "Hanne", "Jens",
               "Karin", "Ole", "Lone", "Henrik", "Pia", "Morten", "Camilla", "Bjarne", "Tina", "Rasmus")
LAST_NAMES = ("Mikkelsen", "Glifberg", "Østergaard", "Molin", "Jensen", "Nielsen", "Hansen", "Pedersen",
              "Andersen", "Christensen", "Larsen", "Sørensen", "Rasmussen", "Jørgensen", "Madsen", "Kristensen")
PARTIES = ("A", "V", "C", "F", "Ø", "O", "B", "I", "K", "Å", "D")

TITLES = (
    "Godkendelse af dagsorden", "Budgetopfølgning {n1} {year}", "Forventet regnskab pr. ultimo {month} {year}",
    "Beskæftigelsesplan {next}", "Status på ledigheden", "Bruttoledigheden i perioden {month} - {month2} {year}",
    "Orientering om integrationsindsatsen", "Kvalitetsstandard for hjemmehjælp {next}",
    "Tilsynsrapporter fra plejecentre {year}", "Pejlemærker for Handicap- og Psykiatriområdet {year}-{year4}",
    "Puljemidler fra Sundhedsministeriet {year}-{next}", "Dialogmøde med Handicaprådet",
    "Orientering om sygedagpengeområdet", "Projekt Flere skal med {n1}", "Ansøgning om velfærdsaftale",
    "Revideret budget for ungeindsatsen", "Takster for {next} på det specialiserede socialområde",
    "Status på målgrupper og medarbejdere i Jobcentret", "Sagsstyringsliste pr. {date}",
    "Gensidig orientering", "Meddelelser", "Eventuelt", "Lukket punkt: Personsag",
    "Høring over forslag til ny hjemmeplejeorganisering", "Anlægsbevilling til nyt aktivitetscenter",
    "Udmøntning af ældremilliarden", "Samarbejdsaftale med Mødrehjælpen", "Fokusrevision af ressourceforløb",
    "Opkvalificeringspuljer og opkvalificeringsprojekter", "Sygefravær i forvaltningen {year}",
    "Rusmiddelstrategi {year}-{year4}", "Handicappolitik - evaluering", "Boligsocial helhedsplan {next}",
    "Ventelister til botilbud", "Tillægsbevilling vedrørende tabt arbejdsfortjeneste",
)
SECTION_OPENERS = ("Sagsfremstilling", "Sagens kerne", "Resume", "Beslutningstema", "Baggrund")
DECISIONS = ("Godkendt.", "Taget til efterretning.", "Anbefales.", "Indstillingen blev godkendt.",
             "Udsat til næste møde.", "Drøftet.", "Godkendt med de bemærkninger, der fremkom på mødet.")
RECOMMENDATIONS = (
    "orienteringen tages til efterretning", "budgetopfølgningen godkendes", "sagen oversendes til Økonomiudvalget",
    "der gives en tillægsbevilling på {kr} kr. i {year}", "kvalitetsstandarden godkendes",
    "projektbeskrivelsen godkendes", "sagen sendes i høring i Handicaprådet og Ældrerådet",
)

# Filler paragraphs. Fields: see _fields(). Each holds at least one distractor number.
FILLER = (
    "{K} har fået tilsagn fra Styrelsen for Arbejdsmarked og Rekruttering (STAR) om tilskud på i alt kr. {kr} "
    "til projektet. Beløbet fordeler sig med hhv. kr. {kr2} i finansåret {year} og {kr3} i finansåret {next}.",
    "Forvaltningen forventer et merforbrug på {mio} mio. kr. i {year} på funktion {func}, primært på "
    "området for {area}. Merforbruget søges finansieret inden for udvalgets samlede ramme.",
    "Ledigheden i {K} var {pct} pct. i {month} {year} mod {pct2} pct. på landsplan. Heraf er {n2} procent "
    "langtidsledige, og ledigheden blandt unge under 30 år er steget med {pp} procentpoint.",
    "Ved udgangen af {prev} modtog {n} borgere i {K} ydelser efter servicelovens {par}, og {n3} borgere "
    "modtog tabt arbejdsfortjeneste efter § 42. I alt {thousands} familier har kontakt med {dept2}.",
    "Sagen blev behandlet på mødet den {date}, jf. sagsnr. {caseno}, og der henvises til bilag {n1} for "
    "de detaljerede tal. Den endelige tidsplan forelægges udvalget senest {ndate}.",
    "Efter retssikkerhedslovens {par_rl} skal kommunalbestyrelsen hvert år tage stilling til området. "
    "Kortet omfatter afgørelser efter servicelovens {pars}, og ministeren offentliggør det efter § 84 a, stk. 2.",
    "Den gennemsnitlige sagsbehandlingstid var {weeks} uger i {prev} mod {weeks2} uger året før. Målet er, "
    "at {n2} procent af afgørelserne sendes til borgeren inden for {weeks3} uger.",
    "Projektet omfatter primært forsikrede ledige og jobparate på kontanthjælp, der medio {month} {year} "
    "omfatter ca. {n} forsikrede ledige og {n3} jobparate. Der oprettes min. {n4} jobordrer i perioden.",
    "Udgiften og indtægten på i alt {kr} kr. vedrører funktion {func}. Der oprettes særskilt PSP-element for "
    "projektet, og regnskabet aflægges senest {ndate}.",
    "Der er afsat {kr} kr. i budget {year} til {area}, svarende til en stigning på {pct} pct. i forhold til "
    "{prev}. Pris- og lønfremskrivningen er {pct2} pct.",
    "{dept} har i perioden fra {date} gennemført {n1} dialogmøder med brugerne. Tilfredsheden er steget fra "
    "{n2} pct. til {n5} pct., og {n3} borgere har deltaget i spørgeskemaundersøgelsen.",
    "Tilbuddet har {n1} pladser efter servicelovens {par}, og taksten for {next} er fastsat til {kr} kr. pr. "
    "døgn. Belægningsprocenten var {n5} i {prev}.",
    "Sygefraværet i forvaltningen var {pct} pct. i {prev}, svarende til {n1},{d1} dage pr. fuldtidsansat. "
    "Landsgennemsnittet for kommunale arbejdspladser var {pct2} pct.",
    "Rammen for {area} udgør {mio} mio. kr. i {year}. Heraf er {kr} kr. disponeret pr. {ndate}, og der "
    "forventes et mindreforbrug på {kr2} kr. ved årets udgang.",
    "I {K} er der {thousands} borgere over 65 år, og antallet forventes at stige med {pct} pct. frem mod "
    "{year4}. Det stiller krav til kapaciteten på plejecentrene, hvor der i dag er {n} pladser.",
    "Arbejdsgruppen har holdt møder den {date} og den {date2}. Referaterne fremgår af bilag {n1} og bilag "
    "{n1b}. Sagen er journaliseret under {caseno}.",
    "Det fremgår af bekendtgørelse nr. {n4} af {date} med senere ændringer, at kommunen skal udarbejde en "
    "kvalitetsstandard. Standarden revideres hvert {n1}. år og behandles i Ældrerådet.",
    "Jobcenter {k} har i {prev} haft kontakt med {thousands} borgere. {n2} procent af de ledige i "
    "kontaktforløb var i job eller uddannelse efter {weeks} uger.",
    "Den samlede lønsum for området er {mio} mio. kr., og der er {n} fuldtidsstillinger. Personaleomsætningen "
    "var {pct} pct. i {prev} mod {pct2} pct. i {prev2}.",
    "Udvalget besluttede på mødet den {date} at igangsætte en analyse af området. Analysen er gennemført af "
    "et eksternt konsulentfirma og har kostet {kr} kr. ekskl. moms.",
    "Borgere, der modtager hjælp efter servicelovens {par}, får besøg af en visitator mindst én gang om året. "
    "I {prev} blev der gennemført {n} revisitationer, og {n3} borgere fik ændret deres bevilling.",
    "Samarbejdet med {k_other} om den fælles rusmiddelbehandling fortsætter i {next}. Kommunens andel af "
    "udgiften er {kr} kr. årligt, fordelt efter indbyggertal.",
    "Forvaltningen vurderer, at initiativet kan gennemføres inden for den eksisterende ramme. De økonomiske "
    "konsekvenser for {next} og overslagsårene indgår i budgetlægningen, jf. tidsplanen af {ndate}.",
    "Antallet af anbragte børn og unge var {n1}{n1} ved udgangen af {prev}, et fald på {pct} pct. Udgiften pr. "
    "anbringelse er i gennemsnit {kr} kr. om året.",
)
# Paragraphs that mention Ankestyrelsen or an appeal outcome without stating any statistic (fixtures
# negative_*). Real minutes have them in a minority of documents; ANKE_MENTION_SHARE of the documents without an
# appeal item get one, in one agenda item, so the extractor has to read that item and find nothing.
ANKE_MENTION_SHARE = 0.2
ANKE_MENTIONS = (
    "Ankestyrelsen har i principafgørelse {n1}-{yy} (j.nr. {jnr}) taget stilling til beregningen af tabt "
    "arbejdsfortjeneste. Afgørelsen har betydning for kommunens sag {year}-{n4} og for den fremtidige praksis.",
    "Ankestyrelsens gennemsnitlige sagsbehandlingstid for klager fra {K} var {weeks} uger i {prev} mod "
    "{weeks2} uger året før. Klager over sygedagpenge blev behandlet på {weeks3} uger.",
    "Forvaltningen har i budget {year} afsat {kr} kr. til en juridisk kvalitetsenhed, der skal nedbringe "
    "antallet af sager, som Ankestyrelsen hjemviser eller ændrer. Udgiften finansieres fra driftsrammen.",
    "Målsætningen er, at mindst {n5} pct. af kommunens afgørelser stadfæstes i klageinstansen i {next}, og at "
    "{n2} procent af afgørelserne sendes til borgeren inden for {weeks3} uger.",
)
# Short lines that break up the paragraphs, as headings and lists do in real minutes.
FILLER_LINES = (
    "Økonomiske konsekvenser", "Ingen.", "Lov- og plangrundlag", "Servicelovens {par}.", "Tidsplan",
    "Projektet løber i perioden {date} til {date2}.", "Høring", "Sagen sendes til høring i Handicaprådet.",
    "Bilag", "Bilag {n1}: Budgetopfølgning pr. {ndate}", "Kommunikation", "Sagen kræver ikke kommunikation.",
    "- {n} forsikrede ledige", "- {n3} jobparate på kontanthjælp", "Afbud: {person} ({party})",
    "Retsgrundlag", "Beslutningskompetence: {abbr}", "Sag nr. {n1}", "{caseno}",
)
AREAS = ("ældreområdet", "børne- og ungeområdet", "det specialiserede voksenområde", "hjemmeplejen",
         "beskæftigelsesindsatsen", "integrationsområdet", "sundhedsområdet", "rusmiddelbehandlingen",
         "botilbudsområdet", "den forebyggende indsats")
PARAGRAPHS = ("§ 85", "§ 83", "§ 41", "§ 42", "§ 100", "§ 107", "§ 108", "§ 112", "§ 52, stk. 3", "§ 11")
PARAGRAPH_LISTS = ("§§ 32, 41, 42, 83 og 85", "§§ 41 og 42", "§§ 95-97", "§§ 107-108", "§§ 44, 45 og 100")

# --- the appeal items -----------------------------------------------------------------------------------

SCOPES = {  # scope -> (phrase after "på", the range of realitetsbehandlede sager for a year)
    "all": ("social- og beskæftigelsesområdet", (120, 420)),
    "social": ("socialområdet", (50, 260)),
    "employment": ("beskæftigelsesområdet", (40, 200)),
    "child_disability": ("børnehandicapområdet", (12, 60)),
    "adult_disability": ("voksenhandicapområdet", (6, 40)),
}
APPEAL_TITLES = (
    "Ankestyrelsens klagestatistik {Y}", "Danmarkskort over Ankestyrelsens omgørelsesprocenter {Y}",
    "Afrapportering af klagesager {Y}", "Orientering om Ankestyrelsens afgørelser på {area} {Y}",
    "Drøftelse - Danmarkskort over omgørelsesprocenter på {area} i {Y}", "Ankestatistik {Y}",
    "Klagesager afgjort af Ankestyrelsen i {Y}",
)
APPEAL_CONTEXT = (
    "Ankestyrelsen arbejder med fire forskellige former for afgørelse:\n"
    "- I en stadfæstet afgørelse er Ankestyrelsen enig i kommunens afgørelse.\n"
    "- I en ændret/ophævet afgørelse er Ankestyrelsen ikke enig i kommunens afgørelse.\n"
    "- I en afvist/henvist afgørelse behandler Ankestyrelsen ikke sagen, eksempelvis fordi borgeren har klaget "
    "for sent.\n"
    "- I en hjemvist afgørelse vurderer Ankestyrelsen, at sagen ikke er tilstrækkeligt belyst.",
    "Når en afgørelse hjemvises eller ændres/ophæves, kaldes det, at kommunens afgørelse bliver omgjort. "
    "Omgørelsesprocenten er derfor andelen af afgørelser, der bliver omgjort, ud af alle realitetsbehandlede "
    "afgørelser i Ankestyrelsen.",
    "Kommunalbestyrelsen skal inden årets udgang behandle danmarkskortet over Ankestyrelsens "
    "omgørelsesprocenter. Formålet er at øge den lokalpolitiske opmærksomhed på lovmedholdelig sagsbehandling.",
    "{dept} anvender statistik over Ankestyrelsens afgørelser til generel læring og forbedring af "
    "sagsbehandlingen. Alle hjemviste og ændrede sager gennemgås på personalemøder.",
)


def _half_up(value: float, digits: int = 0) -> float:
    scale = 10**digits
    return math.floor(value * scale + 0.5) / scale


def _pct(value: float) -> str:
    """22 -> '22', 26.7 -> '26,7'."""
    return f"{value:g}".replace(".", ",") if value != int(value) else str(int(value))


def _counts(rng: random.Random, low: int, high: int) -> tuple[int, int, int, int]:
    """(stadfæstet, hjemvist, ændret, afvist) with a plausible reversal rate."""
    n = rng.randint(low, high)
    reversed_ = round(n * rng.uniform(0.1, 0.45))
    hjemvist = round(reversed_ * rng.uniform(0.55, 0.85))
    return n - reversed_, hjemvist, reversed_ - hjemvist, round(n * rng.uniform(0.0, 0.1))


def _word(n: int) -> str:
    return NUMBER_WORDS[n] if n < len(NUMBER_WORDS) else str(n)


class _Appeal:
    """One appeal agenda item: its paragraphs and what they state."""

    def __init__(self, rng: random.Random, name: str, national: dict):
        self.rng, self.name, self.national = rng, name, national
        self.K, self.Kg = OFFICIAL_NAMES[name], OFFICIAL_NAMES[name] + "s"

    def nat(self, scope: str, year: int) -> str:
        value = self.national.get((scope, str(year)))
        return _pct(value if value is not None else _half_up(self.rng.uniform(22, 40), 1))

    def build(self) -> tuple[str, list[str], dict]:
        rng = self.rng
        template = rng.choice(TEMPLATES)
        scope = rng.choice(template.scopes)
        phrase, (low, high) = SCOPES[scope]
        year = rng.choice(STAT_YEARS)
        period, quarter = str(year), None
        if template.quarterly:
            quarter = rng.randint(1, 4)
            period = f"{year}-Q{quarter}"
            low, high = max(8, low // 4), max(15, high // 4)
        s, h, ae, af = _counts(rng, low, min(high, template.max_n))
        n = s + h + ae
        rate = _half_up(100 * (h + ae) / n, 1 if template.decimals else 0)
        truth = {"municipality": self.name, "period": period, "year": year, "scope": scope,
                 "stadfaestet": s, "hjemvist": h, "aendret": ae, "afvist": af if template.states_afvist else None,
                 "decided": n + (af if template.states_afvist else 0), "rate_pct": rate,
                 "template": template.name, "quarter": quarter}
        v = dict(K=self.K, Kg=self.Kg, k=self.name, Y=year, Y1=year - 1, area=phrase, s=s, h=h, ae=ae, af=af,
                 n=n, d=truth["decided"], r=n - s, rate=_pct(rate), nat=self.nat(scope, year),
                 q=quarter, dept=rng.choice(DEPARTMENTS), recv=n + af + rng.randint(-20, 20),
                 prev=_pct(_half_up(rng.uniform(15, 50), template.decimals)), r1=rng.randint(10, 90))
        _number_word_fields(v)
        body = template.render(rng, v)
        paragraphs = [p.format(**v) for p in rng.sample(APPEAL_CONTEXT, rng.randint(0, 2))]
        paragraphs += body
        if rng.random() < 0.5:
            paragraphs.append(rng.choice(APPEAL_TAIL).format(**v))
        title = rng.choice(APPEAL_TITLES).format(Y=year if quarter is None else f"{quarter}. kvartal {year}",
                                                 area=phrase)
        return title, paragraphs, truth


APPEAL_TAIL = (
    "Samlet set skulle {h} sager yderligere have været stadfæstet, for at {Kg} andel havde svaret til "
    "landsgennemsnittet.",
    "Tal fra Danmarks Statistik viser, at der ved udgangen af {Y1} var 347 borgere i {k}, der modtog én af "
    "ydelserne. Således har Ankestyrelsen behandlet under 10 % af sagerne på {area} i {K}.",
    "{dept} følger udviklingen tæt og gennemgår alle hjemviste og ændrede sager med læring for øje.",
    "Målsætningen for {K} er, at omgørelsesprocenten på alle områder kommer til at ligge på eller under "
    "landsgennemsnittet.",
)


class _Template:
    def __init__(self, name: str, scopes: tuple[str, ...], lines: tuple[str, ...], *, decimals: bool = False,
                 states_afvist: bool = False, quarterly: bool = False, max_n: int = 10_000,
                 render: Callable | None = None):
        self.name, self.scopes, self.lines = name, scopes, lines
        self.decimals, self.states_afvist, self.quarterly, self.max_n = decimals, states_afvist, quarterly, max_n
        self._render = render

    def render(self, rng: random.Random, v: dict) -> list[str]:
        if self._render:
            return self._render(rng, v)
        return [line.format(**v) for line in self.lines]


def _paragraph_breakdown(rng: random.Random, v: dict) -> list[str]:
    """The børnehandicap map by paragraph (sample 003): bullets per § group, the rate over all of them."""
    groups = [("Merudgiftsydelse § 41", 0.45), ("Tabt arbejdsfortjeneste § 42", 0.4),
              ("Personlig hjælp og ledsagelse §§ 44, 45", 0.15)]
    s, h, ae = v["s"], v["h"], v["ae"]
    rows, left = [], [s, h, ae]
    for i, (label, share) in enumerate(groups):
        if i == len(groups) - 1:
            part = left
        else:
            part = [min(left[j], round([s, h, ae][j] * share)) for j in range(3)]
        left = [left[j] - part[j] for j in range(3)]
        total = sum(part)
        if not total:
            continue
        outcome = [f"{part[0]} er stadfæstet"] if part[0] else []
        outcome += [f"{part[2]} er ændret/ophævet"] if part[2] else []
        outcome += [f"{part[1]} er hjemvist"] if part[1] else []
        said = outcome[0] if len(outcome) == 1 else ", ".join(outcome[:-1]) + " og " + outcome[-1]
        rows.append(f"- {label}. I alt {total} {'afgørelse' if total == 1 else 'afgørelser'}, heraf er {said}.")
    return [
        "Danmarkskortet for {area} indeholder i alt {n} afgørelser i {Y} for {K}, som fordeler sig på "
        "følgende paragraffer:".format(**v),
        "\n".join(rows),
        "Omgørelsesprocenten for ovenstående paragraffer bliver dermed {rate} pct., hvor landsgennemsnittet "
        "ligger på {nat} pct.".format(**v),
    ]


TEMPLATES = (
    _Template("received_decided_outcomes_rate", ("all",), (  # sample 000
        "{dept} træffer årligt mange tusind afgørelser. Ankestyrelsen har i {Y} modtaget {recv} klagesager "
        "over kommunens afgørelser på {area}. I samme periode har Ankestyrelsen afgjort {d} sager.",
        "Af kommunens {d} afgjorte sager i {Y} har Ankestyrelsen stadfæstet {s} sager, ændret/ophævet {ae} "
        "sager, hjemvist {h} sager og afvist {af} sager.",
        "Andelen af hjemviste eller ændrede sager målt i forhold til de realitetsbehandlede klager (altså "
        "eksklusiv afviste/bortfaldne sager), er {rate} procent for {K} i {Y}. Det svarer til {r} sager. I "
        "{Y1} omgjorde Ankestyrelsen til sammenligning {r1} sager svarende til en andel på {prev} procent.",
        "På landsplan ligger omgørelsesprocenten i {Y} på {nat}.",
    ), states_afvist=True),
    _Template("rate_only", ("all", "social", "employment"), (  # fixture national_average_own_sentence_*
        "Omgørelsesprocenten for {K} var {rate} pct. i {Y} på {area}.\nLandsgennemsnittet var {nat} pct.",
    ), decimals=True),
    _Template("medhold", ("employment", "social"), (  # fixture synonym_kommunen_fik_medhold
        "Kommunen fik medhold i {s} af de {n} sager, som Ankestyrelsen afgjorde på {area} i {Y}. Det giver en "
        "omgørelsesprocent på {rate} pct.",
    )),
    _Template("social_map_plain_name", ("social",), (  # sample 003
        "Ankestyrelsen har i {Y} afgjort {n} sager på {area} i {k}. Heraf blev {s} stadfæstet, {h} blev "
        "hjemvist og {ae} afgørelser blev ændret.",
        "Dermed omgjorde Ankestyrelsen {rate} pct. af de afgørelser, som de behandlede på {area} i {k} i {Y}. "
        "På landsplan var omgørelsesprocenten {nat} pct.",
        "I {Y1} var omgørelsesprocenten på det samlede {area} i {k} {prev} pct.",
    )),
    _Template("digits_full_breakdown", ("all", "social", "employment"), (  # fixture digits_full_breakdown_year
        "Ankestyrelsen har i {Y} afgjort {d} klagesager over {Kg} afgørelser på {area}. Heraf blev {s} "
        "stadfæstet, {h} hjemvist, {ae} ændret/ophævet og {af} afvist.",
        "Det giver en omgørelsesprocent på {rate} pct.",
    ), states_afvist=True),
    _Template("decimal_rate", ("employment", "social"), (  # fixture articles_en_et_are_not_one
        "Ankestyrelsen har i en ny opgørelse for {Y} afgjort {n} sager på {area} fra {K}. Heraf blev {s} "
        "stadfæstet, {h} hjemvist og {ae} ændret.",
        "Det giver en omgørelsesprocent på {rate} pct., hvilket er et fald i forhold til tidligere.",
    ), decimals=True),
    _Template("sendt_tilbage", ("employment",), (  # fixture synonym_sendt_tilbage_fornyet_behandling
        "I {Y} stadfæstede Ankestyrelsen {s} af {Kg} afgørelser på {area}. Herudover blev {h} sager sendt "
        "tilbage til kommunen til fornyet behandling, og {ae} afgørelser blev ændret.",
        "Omgørelsesprocenten var dermed {rate} pct.",
    )),
    _Template("table_pipes", ("all", "social"), (  # fixture table_flattened_pipes
        "Ankestyrelsens afgørelser i sager fra {K} på {area} i {Y} fordeler sig således:",
        "Stadfæstet {s} | Hjemvist {h} | Ændret/ophævet {ae} | Afvist/henvist {af} | I alt {d}",
        "Omgørelsesprocenten blev dermed {rate} pct.",
    ), states_afvist=True),
    _Template("table_tabs", ("social", "employment"), (  # fixture table_flattened_tabs
        "Ankestyrelsens afgørelser i sager fra {K} på {area} i {Y}:",
        "Afgørelse\tAntal sager\nStadfæstet\t{s}\nHjemvist\t{h}\nÆndret\t{ae}\nAfvist\t{af}\nI alt\t{d}",
        "Omgørelsesprocenten var {rate} pct., og landsgennemsnittet var {nat} pct.",
    ), states_afvist=True),
    _Template("quarter", ("social", "employment", "all"), (  # fixture period_quarter_numeric
        "Ankestyrelsen afgjorde i {q}. kvartal {Y} i alt {n} klagesager fra {K}, hvoraf {s} blev stadfæstet, "
        "{h} blev hjemvist og {ae} blev ændret.",
        "Omgørelsesprocenten for kvartalet var {rate} pct.",
    ), quarterly=True),
    _Template("number_words", ("adult_disability", "child_disability"), (  # fixture number_words_*
        "Ankestyrelsen traf i {Y} i alt {wn} afgørelser på {area} i sager fra {K}, hvoraf {ws} blev "
        "stadfæstet, {wh} blev hjemvist og {wae} blev ændret.",
        "Omgørelsesprocenten blev dermed {rate} pct., og landsgennemsnittet var {nat} pct.",
    ), max_n=20),
    _Template("paragraph_breakdown", ("child_disability",), (), decimals=True, render=_paragraph_breakdown),
    _Template("omgjort_count_and_rate", ("social",), (  # fixture synonym_omgjort_count_and_rate
        "Af de {n} sager, som Ankestyrelsen afgjorde på {area} for {K} i {Y}, blev {r} omgjort. Det svarer "
        "til en omgørelsesprocent på {rate} pct.",
        "I {Y1} var omgørelsesprocenten {prev} pct.",
    )),
    _Template("counts_with_shares", ("all", "social"), (  # README: counts before the outcome, with shares
        "Ankestyrelsen afgjorde i {Y} i alt {n} klagesager fra {K} på {area}, hvoraf {s} ({ps} pct.) blev "
        "stadfæstet, mens {h} ({ph} pct.) blev hjemvist og {ae} ({pae} pct.) blev ændret.",
        "Omgørelsesprocenten for {K} var dermed {rate} pct. mod {nat} pct. på landsplan.",
    )),
)


def _number_word_fields(v: dict) -> None:
    v.update(wn=_word(v["n"]), ws=_word(v["s"]), wh=_word(v["h"]), wae=_word(v["ae"]))
    n = v["n"]
    v.update(ps=round(100 * v["s"] / n), ph=round(100 * v["h"] / n), pae=round(100 * v["ae"] / n))


# --- filler fields --------------------------------------------------------------------------------------

_FORMATTER = string.Formatter()


def _field_names(template: str) -> tuple[str, ...]:
    # In the template's order, not a set's: a set's order follows the hash seed, and the corpus must not.
    return tuple(dict.fromkeys(name for _, name, _, _ in _FORMATTER.parse(template) if name))


def _kr(rng: random.Random, low: int, high: int) -> str:
    return f"{rng.randint(low, high):,}".replace(",", ".")


def _date(rng: random.Random, year: int) -> str:
    return f"{rng.randint(1, 28)}. {rng.choice(MONTH_NAMES)} {year}"


class _Fields:
    """Random values for the filler fields, made only for the fields a template uses."""

    def __init__(self, rng: random.Random, name: str, year: int):
        self.rng, self.name, self.year = rng, name, year
        others = [m for m in MUNICIPALITIES if m != name]
        self.static = {"K": OFFICIAL_NAMES[name], "k": name, "year": year, "prev": year - 1, "prev2": year - 2,
                       "next": year + 1, "year4": year + 3, "yy": f"{year % 100:02d}",
                       "k_other": OFFICIAL_NAMES[rng.choice(others)]}
        r = rng
        self.makers: dict[str, Callable[[], object]] = {
            "kr": lambda: _kr(r, 20_000, 9_000_000), "kr2": lambda: _kr(r, 10_000, 900_000),
            "kr3": lambda: _kr(r, 10_000, 900_000), "mio": lambda: f"{r.randint(1, 60)},{r.randint(0, 9)}",
            "pct": lambda: f"{r.randint(1, 9)},{r.randint(0, 9)}",
            "pct2": lambda: f"{r.randint(1, 9)},{r.randint(0, 9)}",
            "pp": lambda: f"{r.randint(0, 3)},{r.randint(1, 9)}", "n": lambda: r.randint(40, 990),
            "n1": lambda: r.randint(1, 9), "n1b": lambda: r.randint(2, 12), "n2": lambda: r.randint(10, 95),
            "n3": lambda: r.randint(15, 480), "n4": lambda: r.randint(100, 2500), "n5": lambda: r.randint(55, 98),
            "d1": lambda: r.randint(0, 9), "thousands": lambda: _kr(r, 1_050, 24_000),
            "date": lambda: _date(r, year), "date2": lambda: _date(r, year + 1),
            "ndate": lambda: f"{r.randint(1, 28):02d}.{r.randint(1, 12):02d}.{year}",
            "month": lambda: r.choice(MONTH_NAMES), "month2": lambda: r.choice(MONTH_NAMES),
            "weeks": lambda: r.randint(8, 30), "weeks2": lambda: r.randint(8, 30), "weeks3": lambda: r.randint(2, 6),
            "par": lambda: r.choice(PARAGRAPHS), "pars": lambda: r.choice(PARAGRAPH_LISTS),
            "par_rl": lambda: r.choice(("§ 79 b", "§ 79 b, stk. 2 og 3", "§ 84 a")),
            "caseno": lambda: r.choice((f"{r.randint(18, 24)}/{r.randint(1000, 39999)}",
                                        f"27.{r.randint(10, 69)}.00-A00-{r.randint(1, 9)}-{year % 100:02d}",
                                        f"{year % 100:02d}-1-15.{r.randint(10, 40)}.00-A{r.randint(0, 30):02d}")),
            "jnr": lambda: f"{year % 100 - 1:02d}-{r.randint(10000, 99999)}",
            "func": lambda: f"5.{r.randint(10, 90)}", "area": lambda: r.choice(AREAS),
            "dept": lambda: r.choice(DEPARTMENTS), "dept2": lambda: r.choice(DEPARTMENTS),
            "person": lambda: f"{r.choice(FIRST_NAMES)} {r.choice(LAST_NAMES)}", "party": lambda: r.choice(PARTIES),
            "abbr": lambda: r.choice(("BEU", "KB", "SSU", "ØU", "BUU")),
        }

    def fill(self, template: str, names: tuple[str, ...]) -> str:
        values = {name: self.static[name] if name in self.static else self.makers[name]() for name in names}
        return template.format(**values)


_FILLER = tuple((t, _field_names(t)) for t in FILLER)
_FILLER_LINES = tuple((t, _field_names(t)) for t in FILLER_LINES)
_ANKE_MENTIONS = tuple((t, _field_names(t)) for t in ANKE_MENTIONS)
_TITLES = tuple((t, _field_names(t)) for t in TITLES)
_RECOMMENDATIONS = tuple((t, _field_names(t)) for t in RECOMMENDATIONS)


# --- one document ---------------------------------------------------------------------------------------


def _national_rates() -> dict:
    """(scope, period) -> the official national rate, so documents state realistic averages."""
    path = REPO / "flows" / "national_rates.csv"
    if not path.exists():
        return {}
    with path.open(encoding="utf-8") as handle:
        return {(row["scope"], row["period"]): float(row["national_rate_pct"]) for row in csv.DictReader(handle)}


def _meeting_date(rng: random.Random, truth: dict | None) -> tuple[int, int, int]:
    """(day, month, year): after the period an appeal item reports on, else any year 2019-2024."""
    if truth is None:
        return rng.randint(1, 28), rng.randint(1, 12), rng.randint(2019, 2024)
    year, quarter = truth["year"], truth["quarter"]
    if quarter is None or quarter == 4:
        return rng.randint(1, 28), rng.randint(2, 12), year + 1
    return rng.randint(1, 28), rng.randint(3 * quarter + 1, 12), year


def make_document(rng: random.Random, target_bytes: int, appeal: bool, national: dict | None = None
                  ) -> tuple[str, dict | None]:
    """One minutes text of about ``target_bytes`` (UTF-8) and what its appeal item states (None: none)."""
    name = rng.choice(MUNICIPALITIES)
    item = _Appeal(rng, name, national or {}).build() if appeal else None
    truth = item[2] if item else None
    day, month, year = _meeting_date(rng, truth)
    fields = _Fields(rng, name, year)
    committee = rng.choice(COMMITTEES)
    blank = rng.random() < 0.5  # minutes exported from web pages have blank lines between paragraphs
    sep = "\n\n" if blank else "\n"

    n_items = rng.randint(5, 15)
    titles = [fields.fill(*rng.choice(_TITLES)) for _ in range(n_items)]
    appeal_at = rng.randrange(n_items) if item else None
    if item:
        titles[appeal_at] = item[0]
    mention_at = rng.randrange(n_items) if not item and rng.random() < ANKE_MENTION_SHARE else None

    head = [rng.choice(("", "REFERAT", "Referat", "Dagsorden og referat")), committee,
            f"Mødedato: {rng.choice(('', 'Tirsdag d. ', 'Mandag den '))}{day}. {MONTH_NAMES[month - 1]} {year}"
            f"{rng.choice(('', ' kl. 16:00', ' kl. 15.30'))}",
            f"Mødested: {rng.choice(('Rådhuset', 'Byrådssalen', 'Jobcentret'))}, mødelokale {rng.randint(1, 9)}",
            OFFICIAL_NAMES[name]]
    if rng.random() < 0.5:
        members = [f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)} ({rng.choice(PARTIES)})"
                   for _ in range(rng.randint(3, 9))]
        head += ["Medlemmer", *members]
    if rng.random() < 0.5:
        head += ["", "Indholdsfortegnelse"]
        head += [f"{i}. {t}..... {2 + 2 * i}" for i, t in enumerate(titles, start=1)]
    parts = [sep.join(line for line in head if line)]
    size = sum(len(p.encode("utf-8")) for p in parts)
    body_budget = max(0, target_bytes - size - (sum(len(p.encode()) for p in item[1]) if item else 0))
    per_item = body_budget / n_items

    for number, title in enumerate(titles, start=1):
        lines = [f"Punkt {number}: {title}", fields.fill(*_FILLER_LINES[-1]) if rng.random() < 0.7 else "",
                 rng.choice(SECTION_OPENERS)]
        written = 0
        if number - 1 == appeal_at:
            lines += item[1]
            budget = per_item * 0.3
        else:
            budget = per_item
        if number - 1 == mention_at:
            lines.append(fields.fill(*rng.choice(_ANKE_MENTIONS)))
        while written < budget:
            text = (fields.fill(*rng.choice(_FILLER)) if rng.random() < 0.8
                    else fields.fill(*rng.choice(_FILLER_LINES)))
            lines.append(text)
            written += len(text) + 2 + text.count("æ") + text.count("ø") + text.count("å")
        recommendation = fields.fill(*rng.choice(_RECOMMENDATIONS))
        lines += ["Indstilling", f"{rng.choice(DEPARTMENTS)} indstiller, at {recommendation}.",
                  f"Beslutning i {committee} den {day:02d}-{month:02d}-{year}" if rng.random() < 0.4 else "Beslutning",
                  rng.choice(DECISIONS)]
        parts.append(sep.join(line for line in lines if line))
    return sep.join(parts) + "\n", truth


# --- PDF ------------------------------------------------------------------------------------------------

LINES_PER_PAGE = 52  # as tests.formats.to_pdf
WRAP_AT = 92
PAGE_W, PAGE_H = 595.28, 841.89


def _pdf_string(text: str) -> bytes:
    data = text.encode("cp1252", errors="replace")
    return b"(" + data.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)") + b")"


def fast_pdf(text: str, header: str = "Referat") -> bytes:
    """A real PDF with the page layout of tests.formats.to_pdf, written directly: Helvetica with
    WinAnsiEncoding (so æøå and – ” come out as text), one compressed content stream per page."""
    lines: list[str] = []
    for paragraph in text.split("\n"):
        lines += textwrap.wrap(paragraph, WRAP_AT, break_on_hyphens=False) or [""]
    pages = [lines[i : i + LINES_PER_PAGE] for i in range(0, len(lines), LINES_PER_PAGE)] or [[""]]
    x = 0.06 * PAGE_W
    objects: list[bytes] = [b"<< /Type /Catalog /Pages 2 0 R >>", b"",
                            b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"]
    kids = []
    for number, page in enumerate(pages, start=1):
        ops = [b"BT /F1 8 Tf 1 0 0 1 %.2f %.2f Tm %s Tj ET" % (x, 0.975 * PAGE_H, _pdf_string(header))]
        for row, line in enumerate(page):
            if line:
                y = (0.95 - row * 0.0172) * PAGE_H
                ops.append(b"BT /F1 8.5 Tf 1 0 0 1 %.2f %.2f Tm %s Tj ET" % (x, y, _pdf_string(line)))
        footer = _pdf_string(f"Side {number} af {len(pages)}")
        ops.append(b"BT /F1 8 Tf 1 0 0 1 %.2f %.2f Tm %s Tj ET" % (0.45 * PAGE_W, 0.015 * PAGE_H, footer))
        stream = zlib.compress(b"\n".join(ops), 6)
        objects.append(b"<< /Length %d /Filter /FlateDecode >>\nstream\n%s\nendstream" % (len(stream), stream))
        content_id = len(objects)
        objects.append(b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %.2f %.2f] /Resources << /Font << /F1 3 0 R "
                       b">> >> /Contents %d 0 R >>" % (PAGE_W, PAGE_H, content_id))
        kids.append(len(objects))
    objects[1] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (b" ".join(b"%d 0 R" % k for k in kids), len(kids))
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def _pdf_writer(engine: str) -> Callable[[str], bytes]:
    if engine == "fast":
        return fast_pdf
    if engine == "matplotlib":
        from tests.formats import to_pdf

        return to_pdf
    raise ValueError(f"unknown pdf_engine {engine!r}: 'fast' or 'matplotlib'")


# --- the corpus -----------------------------------------------------------------------------------------


def write_corpus(folder: Path | str, n_documents: int, *, seed: int = 0, appeal_share: float = 0.1,
                 pdf_share: float = 0.05, target_kb: tuple[float, float] = (20, 150),
                 pdf_engine: str = "fast") -> list[Path]:
    """Write ``n_documents`` minutes into ``folder`` (created if needed) and return their paths in order.

    The same arguments always give the same bytes. Sizes (of the text, before any PDF conversion) are drawn
    uniformly from ``target_kb``. A share ``appeal_share`` carries an appeal item, ``pdf_share`` are PDFs.
    """
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    low, high = (int(kb * 1024) for kb in target_kb)
    national = _national_rates()
    to_pdf = None
    paths, manifest = [], []
    width = max(5, len(str(n_documents)))
    for index in range(n_documents):
        appeal = rng.random() < appeal_share
        as_pdf = rng.random() < pdf_share
        # Leave room for the last paragraph, which may run past the target.
        target = rng.randint(low, max(low, high - 1600))
        text, truth = make_document(rng, target, appeal, national)
        stem = f"{index:0{width}d}_{rng.getrandbits(64):016x}"
        if as_pdf:
            to_pdf = to_pdf or _pdf_writer(pdf_engine)
            path = folder / f"{stem}.pdf"
            path.write_bytes(to_pdf(text))
        else:
            path = folder / f"{stem}.txt"
            path.write_bytes(text.encode("utf-8"))
        paths.append(path)
        if truth:
            manifest.append({"document": path.name, **truth})
    with (folder / MANIFEST).open("w", encoding="utf-8") as handle:
        handle.writelines(json.dumps(row, ensure_ascii=False) + "\n" for row in manifest)
    return paths


def read_manifest(folder: Path | str) -> dict[str, dict]:
    """document name -> what its appeal item states, for every appeal document of the corpus in ``folder``."""
    with (Path(folder) / MANIFEST).open(encoding="utf-8") as handle:
        rows = [json.loads(line) for line in handle if line.strip()]
    return {row["document"]: row for row in rows}
