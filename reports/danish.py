"""Danish display text: decimal commas, periods, dates, scope names and file-name slugs.

Written out by hand instead of through ``locale``: the report must read the same on every machine, and
a CI runner rarely has ``da_DK`` installed.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal

import pandas as pd

MAX_SLUG = 60  # characters of a slug in a file name; longer ones are cut and hashed
MAX_NAME = 90  # characters of a committee's or area's name in a chart title

MONTHS = (
    "januar",
    "februar",
    "marts",
    "april",
    "maj",
    "juni",
    "juli",
    "august",
    "september",
    "oktober",
    "november",
    "december",
)

SCOPE_NAMES = {
    "all": "Social- og beskæftigelsesområdet samlet",
    "social": "Socialområdet",
    "child_disability": "Børnehandicapområdet",
    "adult_disability": "Voksenhandicapområdet",
    "employment": "Beskæftigelsesområdet",
}
# Scopes whose area_label is the only thing that says what they cover.
AREA_FALLBACK = {"committee": "Udvalgets område", "law": "Lovområde", "other": "Andet område"}

STATUS_NAMES = {"valid": "gyldig", "warning": "advarsel", "quarantined": "karantæne"}


def is_missing(value: object) -> bool:
    """True for None, NaN, pd.NA and NaT: every way a frame says "the text does not say"."""
    return value is None or bool(pd.isna(value))


def fmt_number(value: object, decimals: int = 0) -> str:
    """'1.246', '30,1': Danish separators, rounded half up like the official tables ('30,05' -> '30,1')."""
    if is_missing(value):
        return "–"
    quantum = Decimal(1).scaleb(-decimals)
    rounded = Decimal(repr(float(value))).quantize(quantum, rounding=ROUND_HALF_UP)
    text = f"{rounded:,.{decimals}f}"
    return text.replace(",", "\0").replace(".", ",").replace("\0", ".")


def fmt_pct(value: object, *, decimals: int = 1) -> str:
    """'30 %', '26,7 %': one decimal like the official figures, without a trailing ',0'."""
    if is_missing(value):
        return "–"
    text = fmt_number(value, decimals)
    if "," in text:
        text = text.rstrip("0").rstrip(",")
    return f"{text}\u00a0%"  # a no-break space: "36,1" and "%" never on two lines


def fmt_points(value: object) -> str:
    """A difference in percentage points with its sign: '+4', '−0,9' (a true minus sign)."""
    if is_missing(value):
        return "–"
    sign = "+" if float(value) > 0 else "−" if float(value) < 0 else ""
    return sign + fmt_pct(abs(float(value)))[:-2]


def fmt_count(value: object) -> str:
    return fmt_number(value, 0)


def fmt_date(value: object) -> str:
    """'17. maj 2022'. Accepts date, datetime, Timestamp or an ISO string."""
    if is_missing(value):
        return "ukendt dato"
    day = pd.Timestamp(value)
    return f"{day.day}. {MONTHS[day.month - 1]} {day.year}"


def fmt_datetime(value: datetime) -> str:
    return f"{fmt_date(value)} kl. {value:%H.%M}"


_PERIOD = re.compile(r"(?P<year>\d{4})(?:-(?P<kind>[QH])(?P<n>\d))?")


def period_label(period: str) -> str:
    """'2021' -> '2021', '2021-Q3' -> '3. kvt. 2021', '2021-H1' -> '1. halvår 2021'."""
    match = _PERIOD.fullmatch(str(period))
    if not match or not match["kind"]:
        return str(period)
    unit = "kvt." if match["kind"] == "Q" else "halvår"
    return f"{match['n']}. {unit} {match['year']}"


def period_order(period: str) -> tuple[int, int, int]:
    """Sort key: by the month a period ends, shorter periods first (Q4 2021 before the year 2021)."""
    match = _PERIOD.fullmatch(str(period))
    if not match:
        return (0, 0, 0)
    year = int(match["year"])
    if not match["kind"]:
        return (year, 12, 12)
    months = 3 if match["kind"] == "Q" else 6
    return (year, months * int(match["n"]), months)


def scope_name(scope: str, area_label: object = None) -> str:
    """The Danish name of a scope; committee, law and other scopes are named by the minutes' own label."""
    if scope in SCOPE_NAMES:
        return SCOPE_NAMES[scope]
    if not is_missing(area_label) and str(area_label).strip():
        label = shorten(" ".join(str(area_label).split()))
        return label[0].upper() + label[1:]
    return AREA_FALLBACK.get(scope, str(scope))


def slug(text: str) -> str:
    """Lowercase ascii for file names: 'Rødovre' -> 'roedovre', 'Høje-Taastrup' -> 'hoeje-taastrup'. A slug
    longer than MAX_SLUG is cut and given a hash of the whole, so a chart's file name stays far below the
    255 bytes a file system allows and two long names that start alike still get two files."""
    text = str(text).lower()
    for danish, ascii_ in (("æ", "ae"), ("ø", "oe"), ("å", "aa")):
        text = text.replace(danish, ascii_)
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    result = re.sub(r"[^a-z0-9]+", "-", text).strip("-") or "ukendt"
    if len(result) > MAX_SLUG:
        digest = hashlib.sha256(result.encode()).hexdigest()[:8]
        result = f"{result[: MAX_SLUG - 9].rstrip('-')}-{digest}"
    return result


def shorten(text: str, limit: int = MAX_NAME) -> str:
    """``text`` cut at a word boundary with '…' when longer than ``limit`` characters (a name in a title)."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    if " " in cut[limit // 2 :]:
        cut = cut[: cut.rindex(" ")]
    return cut.rstrip(" ,;:-–") + "…"


def as_date(value: object) -> date | None:
    return None if is_missing(value) else pd.Timestamp(value).date()
