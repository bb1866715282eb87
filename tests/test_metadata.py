"""Document metadata: the five sample minutes as golden files, plus a short case per form seen in minutes."""

from __future__ import annotations

import json
import time
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from extract.metadata import extract_meta, find_committee, find_meeting_date, find_municipality
from extract.models import DocumentMeta
from extract.municipalities import (
    ALIASES,
    MUNICIPALITIES,
    OFFICIAL_NAMES,
    canonical_name,
    find_municipality_mentions,
    find_names_in_file_name,
)

SAMPLES = Path(__file__).parent.parent / "data/samples"
EXPECTED = json.loads((Path(__file__).parent / "fixtures/samples_expected.json").read_text(encoding="utf-8"))


# --- golden: the sample minutes -------------------------------------------------------------------------


@pytest.mark.parametrize("expected", EXPECTED["documents"], ids=lambda d: d["document"])
def test_sample_metadata(expected):
    text = (SAMPLES / expected["document"]).read_text(encoding="utf-8")
    assert extract_meta(text, expected["document"]) == DocumentMeta(
        municipality=expected["municipality"],
        committee=expected["committee"],
        meeting_date=date.fromisoformat(expected["meeting_date"]),
    )


def test_sample_003_names_other_kommuner_but_is_hvidovres():
    text = (SAMPLES / "003_a0a4e38bb360a38c.txt").read_text(encoding="utf-8")
    named = {name for _, _, name in find_municipality_mentions(text)}
    assert {"Tårnby", "Aarhus", "Hvidovre"} <= named
    assert find_municipality(text) == "Hvidovre"


# --- the kommuner as data -------------------------------------------------------------------------------


def test_exactly_98_kommuner_without_duplicates():
    assert len(MUNICIPALITIES) == 98
    assert len(set(MUNICIPALITIES)) == 98
    assert "Christiansø" not in MUNICIPALITIES


def test_aliases_point_at_canonical_names():
    assert set(ALIASES.values()) <= set(MUNICIPALITIES)
    assert not set(ALIASES) & set(MUNICIPALITIES)
    assert canonical_name("Århus") == "Aarhus"
    assert canonical_name("københavns kommune") == "København"
    assert canonical_name("Bornholms Regionskommune") == "Bornholm"
    assert canonical_name("Christiansø") is None


@pytest.mark.parametrize("name", MUNICIPALITIES)
def test_every_official_name_is_found(name):
    text = f"Et brev fra {OFFICIAL_NAMES[name]} om sagen."
    assert [found for _, _, found in find_municipality_mentions(text)] == [name]


# --- mentions -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Rødovre Kommunes borgere", [(0, 7, "Rødovre")]),  # genitive of Kommune
        ("tal fra Københavns Kommune", [(8, 17, "København")]),  # genitive name
        ("Jobcenter Svendborg har", [(10, 19, "Svendborg")]),
        ("Mødested Hvidovre", [(9, 17, "Hvidovre")]),
        ("HVIDOVRE KOMMUNE", [(0, 8, "Hvidovre")]),
        ("ledige i Gladsaxe.", [(9, 17, "Gladsaxe")]),
        ("Århus Kommune og Ikast-Brande Kommune", [(0, 5, "Aarhus"), (17, 29, "Ikast-Brande")]),
        ("Vejen til job er lang", []),  # an ordinary word
        ("Greve Kommune og i Vejen", [(0, 5, "Greve"), (19, 24, "Vejen")]),
        ("Hvidovrevej 12 og Aarhus-modellen", []),  # parts of longer words
        ("Hvidovre Hospital, Aalborg Universitet", []),  # institutions named after the town
        ("Karin Lemvig (A) deltog", []),  # a surname
    ],
)
def test_mentions(text, expected):
    assert find_municipality_mentions(text) == expected


def test_file_name_slugs():
    assert find_names_in_file_name("referater/hoeje_taastrup-2022-05-17.pdf") == ["Høje-Taastrup"]
    assert find_names_in_file_name("Rødovre_BEU_2022.pdf") == ["Rødovre"]
    assert find_names_in_file_name("vejen_til_job.pdf") == []
    assert find_names_in_file_name("000_03d8cac4ca15eb82.txt") == []


# --- municipality ---------------------------------------------------------------------------------------


def test_file_name_is_the_only_evidence():
    text = "Beskæftigelsesudvalget\n17-05-2022\nSager 17 - 21\nMeddelelser"
    assert find_municipality(text, "hvidovre_beu_2022-05-17.txt") == "Hvidovre"


def test_no_kommune_gives_none():
    assert find_municipality("Beskæftigelsesudvalget\nVejen til job går gennem uddannelse.") is None
    assert find_municipality("") is None


def test_another_kommune_in_a_comparison_does_not_win():
    text = (
        "Social- og Arbejdsmarkedsudvalget\nMødested Rødovre Rådhus\n"
        + "Punkt 1\nsagsbehandling\n" * 30
        + "Rødovre Kommune har sammenlignet sig med Brøndby Kommune og Albertslund Kommune. "
        + "I Brøndby er sagsantallet højere end i Brøndby sidste år."
    )
    assert find_municipality(text) == "Rødovre"


def test_jobcenter_and_genitive_forms_decide():
    assert find_municipality("Orientering fra Jobcenter Svendborg om ledigheden i Odense") == "Svendborg"
    assert find_municipality("Bornholms Regionskommunes budget") == "Bornholm"


# --- committee ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("head", "expected"),
    [
        (
            "REFERAT Social-, Sundheds- og Ældreudvalget 2022-2025 d. 02-03-2022",
            "Social-, Sundheds- og Ældreudvalget",
        ),
        ("Børne- og Ungeudvalget\nReferat • 8. marts 2021 kl. 15.30", "Børne- og Ungeudvalget"),
        ("Dagsorden\nØkonomiudvalget\n12-01-2022", "Økonomiudvalget"),
        ("Byrådet\nMødedato: 5. sep. 2022", "Byrådet"),
        ("Kommunalbestyrelsen - ordinært møde\nTirsdag den 6. oktober 2020", "Kommunalbestyrelsen"),
        ("Handicaprådet\n2022-05-17", "Handicaprådet"),
        ("Ældre- og Handicapudvalget (ÆHU)\nReferat", "Ældre- og Handicapudvalget"),
        ("Rødovre Kommune - Referat - Beskæftigelsesudvalget", "Beskæftigelsesudvalget"),
        ("Referat fra mødet i Arbejdsmarkedsudvalget den 5. maj 2022 kl. 16", "Arbejdsmarkedsudvalget"),
        ("Udvalget for Social, Sundhed og Ældre\n02.03.2022", "Udvalget for Social, Sundhed og Ældre"),
        ("Aarhus Kommune\nReferat\nUdvalget for Sociale Forhold og Beskæftigelse\nMødedato: 20. april 2022",
         "Udvalget for Sociale Forhold og Beskæftigelse"),
    ],
)
def test_committee_from_head(head, expected):
    assert find_committee(head + "\nSagsfremstilling\nKommunen har modtaget 12 klager.") == expected


def test_committee_falls_back_to_decision_lines():
    text = (
        "Indhold\nGodkendelse af dagsorden.....\t3\n"
        + "Sagsfremstilling\nTekst om sagen.\n" * 10
        + "Beslutning i Beskæftigelses- og Integrationsudvalget den 08-03-2021\nGodkendt.\n" * 3
        + "Beslutning i Økonomiudvalget den 19-01-2021\nGodkendt.\n"
    )
    assert find_committee(text) == "Beskæftigelses- og Integrationsudvalget"


def test_no_committee_gives_none():
    assert find_committee("Indhold\nGodkendelse af dagsorden\nMeddelelser") is None


# --- meeting date ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Beskæftigelsesudvalget\n17-05-2022\nMedlemmer", date(2022, 5, 17)),
        ("Referat\n02.03.2022", date(2022, 3, 2)),
        ("Møde 2022-05-17", date(2022, 5, 17)),
        ("Referat • 8. marts 2021 kl. 15.30", date(2021, 3, 8)),
        ("Byrådet d. 5. sep. 2022", date(2022, 9, 5)),
        ("Byrådet d. 5. sept 2022", date(2022, 9, 5)),
        ("Mødedato Mandag d. 05. september 2022 kl. 12:00", date(2022, 9, 5)),
        ("Mødetidspunkt\nTirsdag den 6. OKTOBER 2020 kl. 16:00", date(2020, 10, 6)),  # label on its own line
        ("Referat 2013-2021\nDato: 17/5-2022", date(2022, 5, 17)),
        ("Møde den 31-02-2022, flyttet til 01-03-2022", date(2022, 3, 1)),  # impossible date skipped
        ("Referat 01-01-2021\nMødedato: 3. feb. 2021", date(2021, 2, 3)),  # a labelled date wins
        ("Økonomiudvalget godkendte den 19. januar\nintet årstal", None),
    ],
)
def test_meeting_date(text, expected):
    assert find_meeting_date(text) == expected


def test_meeting_date_falls_back_to_most_frequent_decision_date():
    text = (
        "Indhold\n" + "Sagsfremstilling\nTekst om sagen.\n" * 10
        + "Beslutning i Byrådet den 27-04-2021\nGodkendt.\n"
        + "Beslutning i Beskæftigelsesudvalget den 08-03-2021\nGodkendt.\n" * 2
    )
    assert find_meeting_date(text) == date(2021, 3, 8)


# --- robustness and speed -------------------------------------------------------------------------------

# Minutes-like noise: single characters mixed with the words the parsers react to.
_DANISH_PIECES = list("abcdefghijklmnopqrstuvwxyzæøåABCDEFGHIJKLMNOPQRSTUVWXYZÆØÅ0123456789 \t\n.-,:/•") + [
    "Kommune", "Jobcenter ", "Mødested ", "Mødedato ", "Rødovre", "Vejen", "udvalget", " og ",
    "Beslutning i ", " den ", "marts", "sep.", "31-02-", "2022", "REFERAT ",
]
_DANISH_TEXT = st.lists(st.sampled_from(_DANISH_PIECES), max_size=200).map("".join)


@settings(max_examples=200, deadline=None)
@given(text=st.one_of(st.text(max_size=400), _DANISH_TEXT), file_name=st.text(max_size=60))
def test_never_raises_on_arbitrary_text(text, file_name):
    municipality = find_municipality(text, file_name)
    committee = find_committee(text)
    meeting_date = find_meeting_date(text)
    assert municipality is None or municipality in MUNICIPALITIES
    assert committee is None or isinstance(committee, str)
    assert meeting_date is None or isinstance(meeting_date, date)


def test_a_100_kb_document_is_fast():
    text = (SAMPLES / "004_d675881337821316.txt").read_text(encoding="utf-8")
    text = (text * 2)[:100_000]
    started = time.perf_counter()
    extract_meta(text, "004.txt")
    # Well under 10 ms on a laptop; the bound is loose so a slow CI machine does not flake, but it still
    # catches a regex that backtracks catastrophically.
    assert time.perf_counter() - started < 0.1
