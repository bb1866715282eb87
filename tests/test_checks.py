"""Row checks: each catches what it names, with the numbers in its message."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from extract.models import AppealStatistic
from transform.arithmetic import computed_rate_pct
from transform.checks import run_checks

RODOVRE = AppealStatistic(
    municipality="Rødovre", period="2021", year=2021, scope="all", area_label=None, paragraphs=None,
    paragraph_key=None, agenda_item=None, char_start=0, char_end=1, quote="x", received=226, decided=238,
    stadfaestet=149, hjemvist=39, aendret=25, afvist=25, reversed=64, reported_rate_pct=30.0,
    national_rate_pct=26.0, pct_decimals=(("national_rate_pct", 0), ("reported_rate_pct", 0)),
)
MEETING = date(2022, 5, 17)


def _problems(stat):
    return [(check.code, message) for check, message in run_checks(stat, MEETING)]


def _severities(findings):
    """What appeal_stats makes of them: any 'quarantine' quarantines, any 'warning' warns."""
    return {check.severity for check, _ in findings}


def test_consistent_statistic_is_valid():
    assert _problems(RODOVRE) == []
    assert computed_rate_pct(RODOVRE) == 30.05


def test_parts_exceeding_total_are_quarantined():
    findings = run_checks(replace(RODOVRE, stadfaestet=159), MEETING)
    assert "quarantine" in _severities(findings)
    assert any("248" in m and "238" in m for _, m in findings)
    assert "quarantine" in _severities(run_checks(replace(RODOVRE, decided=230), MEETING))


def test_total_without_afviste_is_accepted():
    assert _problems(replace(RODOVRE, decided=213)) == []


def test_rate_contradicting_counts_beyond_rounding():
    assert _problems(replace(RODOVRE, reported_rate_pct=31.0))[0][0] == "rate_matches_counts"
    one_decimal = replace(RODOVRE, reported_rate_pct=30.1, pct_decimals=(("reported_rate_pct", 1),))
    assert _problems(one_decimal) == [] or _problems(one_decimal)[0][0] == "rate_matches_counts"
    assert _problems(replace(RODOVRE, reported_rate_pct=30.0)) == []


def test_reversed_must_be_hjemvist_plus_aendret():
    assert ("reversed_is_sum", "omgjort er 65, men hjemvist + ændret er 64") in _problems(replace(RODOVRE, reversed=65))


def test_out_of_range_values():
    names = {name for name, _ in _problems(replace(RODOVRE, national_rate_pct=260.0))}
    assert names == {"values_in_range"}


def test_period_after_meeting():
    findings = run_checks(replace(RODOVRE, period="2023", year=2023), MEETING)
    assert "quarantine" in _severities(findings)
    assert [m for _, m in findings] == ["perioden 2023 begynder efter mødet den 17. maj 2022"]


def test_rounded_share_is_a_warning():
    gladsaxe = AppealStatistic(
        municipality="Gladsaxe", period="2021-Q3", year=2021, scope="all", area_label=None, paragraphs=None,
        paragraph_key=None, agenda_item=None, char_start=0, char_end=1, quote="x", decided=92, stadfaestet=69,
        hjemvist=14, aendret=9, stadfaestet_pct=75.0, hjemvist_pct=15.0, aendret_pct=9.0, reported_rate_pct=25.0,
    )
    findings = run_checks(gladsaxe, date(2022, 3, 2))
    assert _severities(findings) == {"warning"}
    assert [m for _, m in findings] == ["ændret-andelen er oplyst som 9 pct., men 9 af 92 er 9,8 pct."]


def test_text_stating_two_values_is_quarantined():
    findings = run_checks(replace(RODOVRE, notes=("the text states decided as both 238 and 240",)), MEETING)
    assert _severities(findings) == {"quarantine"}
    assert [m for _, m in findings] == ["teksten oplyser afgjort både som 238 og 240"]


def test_rate_message_shows_one_decimal_more_than_the_text():
    [(code, message)] = _problems(replace(RODOVRE, reported_rate_pct=31.0))
    assert message == "omgørelsesprocenten er oplyst som 31 pct., men tallene giver 30,1 pct."


def test_every_message_is_danish():
    """Every check's message on a statistic that fails all of them: Danish words, decimal commas."""
    broken = replace(RODOVRE, stadfaestet=-1, reversed=300, reported_rate_pct=131.5, period="2023", year=2023,
                     stadfaestet_pct=80.0, hjemvist_pct=80.0, aendret_pct=1.0,
                     notes=("the text states two national rates: 26 and 24,5",),
                     warnings=("the text also states hjemvist as 11; 8 is kept because the other figures add up "
                               "with it",))
    messages = [m for _, m in _problems(broken)]
    assert len({code for code, _ in _problems(broken)}) == 9
    for message in messages:
        assert not any(word in message.split() for word in ("the", "is", "but", "of", "as", "reported")), message
    assert "teksten oplyser to landsgennemsnit: 26 pct. og 24,5 pct." in messages
    assert "teksten oplyser også hjemvist som 11; 8 er beholdt, fordi de øvrige tal går op med den" in messages
