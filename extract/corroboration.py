"""Arithmetic as a signal: when the text states one field of a statistic twice with different values, keep
the value under which the statistic adds up, if exactly one does.

"Af de 23 sager blev 12 stadfæstet, 8 hjemvist og 3 ændret … 11 sager blev omgjort" with a misread "11" for
hjemvist elsewhere: only hjemvist = 8 makes 12 + 8 + 3 = 23 and 8 + 3 = 11, so 8 is kept and the other value
is reported. When no value, or more than one, adds up, nothing is chosen and the statistic is quarantined.
"""

from __future__ import annotations

from itertools import product

_CHECKED = ("decided", "stadfaestet", "hjemvist", "aendret", "afvist", "reversed", "reported_rate_pct")
_MAX_COMBINATIONS = 16


def corroborated(values: dict[str, float], candidates: dict[str, list[float]],
                 decimals: dict[str, int]) -> dict[str, float] | None:
    """The one choice among ``candidates`` (field -> the values stated for it) under which ``values`` adds up
    and the arithmetic involves every field chosen; None when there is not exactly one."""
    fields = [f for f in candidates if f in _CHECKED]
    if len(fields) != len(candidates) or not fields:
        return None
    choices = list(product(*(candidates[f] for f in fields)))
    if len(choices) > _MAX_COMBINATIONS:
        return None
    fitting = []
    for choice in choices:
        trial = {**values, **dict(zip(fields, choice, strict=True))}
        checked = _checked_fields(trial, decimals)
        if checked is not None and set(fields) <= checked:
            fitting.append(dict(zip(fields, choice, strict=True)))
    return fitting[0] if len(fitting) == 1 else None


def _checked_fields(v: dict[str, float], decimals: dict[str, int]) -> set[str] | None:
    """The fields the arithmetic of ``v`` confirms, or None when any relation fails."""
    confirmed: set[str] = set()
    s, h, a = v.get("stadfaestet"), v.get("hjemvist"), v.get("aendret")
    parts = (s, h, a)
    if all(p is not None for p in parts):
        merits = s + h + a
        if "decided" in v:
            totals = {merits, merits + v.get("afvist", 0)}
            if v["decided"] not in totals:
                return None
            confirmed |= {"decided", "stadfaestet", "hjemvist", "aendret"} | ({"afvist"} if "afvist" in v else set())
        if "reversed" in v:
            if v["reversed"] != h + a:
                return None
            confirmed |= {"reversed", "hjemvist", "aendret"}
        if "reported_rate_pct" in v and merits:
            tolerance = 0.5 * 10 ** -decimals.get("reported_rate_pct", 0) + 1e-9
            if abs(v["reported_rate_pct"] - 100 * (h + a) / merits) > tolerance:
                return None
            confirmed |= {"reported_rate_pct", "stadfaestet", "hjemvist", "aendret"}
    elif "reversed" in v and "reported_rate_pct" in v and "decided" in v and v["decided"]:
        tolerance = 0.5 * 10 ** -decimals.get("reported_rate_pct", 0) + 1e-9
        if abs(v["reported_rate_pct"] - 100 * v["reversed"] / v["decided"]) > tolerance:
            return None
        confirmed |= {"reported_rate_pct", "reversed", "decided"}
    return confirmed
