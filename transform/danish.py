"""Danish wording of the checks' messages: numbers with a decimal comma, field names as the minutes say them.

A reader sees these messages in the report and in `appeal_stats.messages`; the machine-readable side is the
check's code. The extractor words the figures it saw twice in English (``AppealStatistic.notes`` and
``warnings``); ``danish_note`` says them in Danish, and keeps any wording it does not know as it is rather
than drop it.
"""

from __future__ import annotations

import re
from datetime import date

FIELD_LABELS = {
    "received": "modtaget",
    "decided": "afgjort",
    "stadfaestet": "stadfæstet",
    "hjemvist": "hjemvist",
    "aendret": "ændret",
    "afvist": "afvist",
    "reversed": "omgjort",
    "stadfaestet_pct": "stadfæstet-andelen",
    "hjemvist_pct": "hjemvist-andelen",
    "aendret_pct": "ændret-andelen",
    "reported_rate_pct": "omgørelsesprocenten",
    "national_rate_pct": "landsgennemsnittet",
}
MONTHS = ("januar", "februar", "marts", "april", "maj", "juni", "juli", "august", "september", "oktober",
          "november", "december")


def number(value: float, decimals: int = 2) -> str:
    """``9.78`` -> ``'9,78'``; at most ``decimals`` decimals, no trailing zeros (``30.0`` -> ``'30'``)."""
    text = f"{value:.{decimals}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text == "-0" else text.replace(".", ",")


def label(field: str) -> str:
    return FIELD_LABELS.get(field, field)


def day(value: date) -> str:
    """``date(2022, 5, 17)`` -> ``'17. maj 2022'``."""
    return f"{value.day}. {MONTHS[value.month - 1]} {value.year}"


_NUMBER = r"-?\d+(?:,\d+)?"
_BOTH = re.compile(rf"^the text states (\w+) as both ({_NUMBER}(?: and {_NUMBER})*)$")
_TWO_NATIONAL = re.compile(rf"^the text states two national rates: ({_NUMBER}|nothing) and ({_NUMBER})$")
_KEPT = re.compile(rf"^the text also states (\w+) as ({_NUMBER}(?: and {_NUMBER})*); ({_NUMBER}) is kept because "
                   r"the other figures add up with it$")


def danish_note(note: str) -> str:
    """The extractor's note on a figure stated twice, in Danish."""
    if match := _BOTH.match(note):
        return f"teksten oplyser {label(match[1])} både som {_and(match[2])}"
    if match := _TWO_NATIONAL.match(note):
        first = "intet" if match[1] == "nothing" else f"{match[1]} pct."
        return f"teksten oplyser to landsgennemsnit: {first} og {match[2]} pct."
    if match := _KEPT.match(note):
        return (f"teksten oplyser også {label(match[1])} som {_and(match[2])}; {match[3]} er beholdt, fordi de "
                f"øvrige tal går op med den")
    return note


def _and(values: str) -> str:
    return values.replace(" and ", " og ")
