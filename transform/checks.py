"""Row-level checks of one statistic: do its numbers add up? Pure functions, one per check.

Each check returns the Danish message of every problem it finds (empty when the row passes), with the
numbers in it; its ``code`` is the stable name the findings table stores. The severity says what happens to
the row: 'quarantine' keeps it in the database but out of the charts; 'warning' keeps it charted but marked.
Checks that need other rows or reference data are SQL in flows/schema.sql.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from extract.models import COUNT_FIELDS, AppealStatistic
from transform.arithmetic import computed_rate_pct, merits_total, rounding_tolerance, share_pct
from transform.danish import danish_note, day, label, number


@dataclass(frozen=True)
class Check:
    code: str
    severity: str  # 'quarantine' or 'warning'
    description: str
    run: Callable[[AppealStatistic, date | None], list[str]]


def parts_within_total(stat: AppealStatistic, _meeting: date | None) -> list[str]:
    """'decided' may count afviste or not, so only the merits parts must fit in it; when all of them and
    the afviste are stated, the total must be one of the two sums."""
    if stat.decided is None:
        return []
    merits = [stat.stadfaestet, stat.hjemvist, stat.aendret]
    stated = sum(p for p in merits if p is not None)
    if stated > stat.decided:
        return [f"stadfæstet + hjemvist + ændret er {stated}, flere end de {stat.decided} afgjorte"]
    if None not in merits and stat.afvist is not None:
        with_rejected = stated + stat.afvist
        if stat.decided not in (stated, with_rejected):
            return [f"afgjort er {stat.decided}, men stadfæstet + hjemvist + ændret er {stated} "
                    f"og med afviste {with_rejected}"]
    return []


def reversed_is_sum(stat: AppealStatistic, _meeting: date | None) -> list[str]:
    problems = []
    if None not in (stat.reversed, stat.hjemvist, stat.aendret) and stat.reversed != stat.hjemvist + stat.aendret:
        problems.append(f"omgjort er {stat.reversed}, men hjemvist + ændret er {stat.hjemvist + stat.aendret}")
    if None not in (stat.reversed, stat.decided) and stat.reversed > stat.decided:
        problems.append(f"omgjort ({stat.reversed}) er flere end afgjort ({stat.decided})")
    return problems


def rate_matches_counts(stat: AppealStatistic, _meeting: date | None) -> list[str]:
    computed = computed_rate_pct(stat)
    if computed is None or stat.reported_rate_pct is None:
        return []
    decimals = _decimals(stat, "reported_rate_pct")
    if abs(stat.reported_rate_pct - computed) > rounding_tolerance(decimals):
        # One decimal more than the text uses, so that the difference shows.
        return [f"omgørelsesprocenten er oplyst som {number(stat.reported_rate_pct)} pct., men tallene giver "
                f"{number(computed, decimals + 1)} pct."]
    return []


def values_in_range(stat: AppealStatistic, _meeting: date | None) -> list[str]:
    problems = [f"{label(name)} er negativ ({getattr(stat, name)})" for name in COUNT_FIELDS
                if getattr(stat, name) is not None and getattr(stat, name) < 0]
    for name in ("stadfaestet_pct", "hjemvist_pct", "aendret_pct", "reported_rate_pct", "national_rate_pct"):
        value = getattr(stat, name)
        if value is not None and not 0 <= value <= 100:
            problems.append(f"{label(name)} er {number(value)} pct., uden for 0-100")
    return problems


def period_not_after_meeting(stat: AppealStatistic, meeting: date | None) -> list[str]:
    if meeting is None:
        return []
    first_month = {"Q1": 1, "Q2": 4, "Q3": 7, "Q4": 10, "H1": 1, "H2": 7}.get(stat.period[5:], 1)
    if date(stat.year, first_month, 1) > meeting:
        return [f"perioden {stat.period} begynder efter mødet den {day(meeting)}"]
    return []


def consistent_text(stat: AppealStatistic, _meeting: date | None) -> list[str]:
    """The text itself states two different values for one field."""
    return [danish_note(note) for note in stat.notes]


def resolved_by_arithmetic(stat: AppealStatistic, _meeting: date | None) -> list[str]:
    """The text states a figure twice; the value the other figures add up with was kept."""
    return [danish_note(note) for note in stat.warnings]


def shares_match_counts(stat: AppealStatistic, _meeting: date | None) -> list[str]:
    total = merits_total(stat)
    problems = []
    for count_name in ("stadfaestet", "hjemvist", "aendret"):
        reported = getattr(stat, f"{count_name}_pct")
        exact = share_pct(getattr(stat, count_name), total)
        if reported is None or exact is None:
            continue
        decimals = _decimals(stat, f"{count_name}_pct")
        if abs(reported - exact) > rounding_tolerance(decimals):
            problems.append(f"{label(count_name + '_pct')} er oplyst som {number(reported)} pct., men "
                            f"{getattr(stat, count_name)} af {total} er {number(exact, decimals + 1)} pct.")
    return problems


def shares_sum_to_100(stat: AppealStatistic, _meeting: date | None) -> list[str]:
    shares = [stat.stadfaestet_pct, stat.hjemvist_pct, stat.aendret_pct]
    if any(s is None for s in shares):
        return []
    total = sum(shares)
    return [] if abs(total - 100) <= 1.5 else [f"andelene giver tilsammen {number(total)} pct., ikke omkring "
                                                 f"100 pct."]


def _decimals(stat: AppealStatistic, name: str) -> int:
    return dict(stat.pct_decimals).get(name, 0)


CHECKS: tuple[Check, ...] = (
    Check("parts_within_total", "quarantine", "de oplyste udfald ligger inden for det oplyste antal afgørelser",
          parts_within_total),
    Check("reversed_is_sum", "quarantine", "omgjort er hjemvist + ændret", reversed_is_sum),
    Check("rate_matches_counts", "quarantine", "omgørelsesprocenten stemmer med antallene", rate_matches_counts),
    Check("values_in_range", "quarantine", "antal er ikke negative, procenter ligger i 0-100", values_in_range),
    Check("period_not_after_meeting", "quarantine", "perioden ligger ikke efter mødet", period_not_after_meeting),
    Check("consistent_text", "quarantine", "teksten oplyser hvert tal én gang", consistent_text),
    Check("resolved_by_arithmetic", "warning", "et tal oplyst to gange afgøres af de øvrige tal",
          resolved_by_arithmetic),
    Check("shares_match_counts", "warning", "de oplyste andele stemmer med antallene", shares_match_counts),
    Check("shares_sum_to_100", "warning", "andelene giver tilsammen omkring 100 pct.", shares_sum_to_100),
)


def run_checks(stat: AppealStatistic, meeting: date | None) -> list[tuple[Check, str]]:
    """(check, message) for every problem found in ``stat``."""
    return [(check, message) for check in CHECKS for message in check.run(stat, meeting)]
