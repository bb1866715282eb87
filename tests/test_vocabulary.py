"""The vocabulary is data: no phrase may mean two things."""

from __future__ import annotations

import re

from extract.matching import find_keywords, find_scopes
from transform.vocabulary import (
    OUTCOME_PHRASES,
    SCOPE_PHRASES,
    SCOPE_PREFILTER_WORDS,
    SCOPES,
    _probe_text,
    about_other_appeal_body,
    phrase_overlaps,
)


def test_no_phrase_has_two_meanings():
    assert phrase_overlaps() == []


def test_every_pattern_compiles_and_scopes_are_known():
    for patterns in OUTCOME_PHRASES.values():
        for pattern in patterns:
            re.compile(pattern)
    assert {scope for _, scope in SCOPE_PHRASES} <= set(SCOPES)


def test_longest_phrase_wins():
    text = "Andelen af hjemviste eller ændrede sager"
    assert [k.kind for k in find_keywords(text, 0, len(text))] == ["reversed"]
    text = "på social- og beskæftigelsesområdet"
    assert [s.scope for s in find_scopes(text, 0, len(text))] == ["all"]


def test_rate_word_is_not_a_reversal_verb():
    text = "omgørelsesprocenten var 30"
    assert [k.kind for k in find_keywords(text, 0, len(text))] == ["rate"]


def test_every_scope_phrase_passes_the_cheap_prefilter():
    for pattern, _ in SCOPE_PHRASES:
        probe = _probe_text(pattern).lower()
        assert any(word in probe for word in SCOPE_PREFILTER_WORDS), pattern


def test_other_appeal_body_named_more_than_ankestyrelsen():
    assert about_other_appeal_body("natur- og miljøklagenævnet afgjorde … natur- og miljøklagenævnet … ankestyrelsen")
    assert not about_other_appeal_body("ankestyrelsen afgjorde … klagenævnet for specialundervisning … ankestyrelsen")
    assert not about_other_appeal_body("skatteankestyrelsen … ankestyrelsen … ankestyrelsen")
