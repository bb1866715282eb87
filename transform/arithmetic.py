"""The appeal arithmetic: realitetsbehandlede, omgjorte, omgørelsesprocent, and the rounding a text uses."""

from __future__ import annotations

from extract.models import AppealStatistic


def computed_rate_pct(stat: AppealStatistic) -> float | None:
    """Reversal rate from the stated counts, when they determine it.

    Only stadfæstet + hjemvist + ændret determine it: a 'decided' total may or may not include afviste,
    so hjemvist and ændret against 'decided' alone would be a guess.
    """
    parts = (stat.stadfaestet, stat.hjemvist, stat.aendret)
    if any(p is None for p in parts):
        return None
    merits = sum(parts)
    if merits <= 0:
        return None
    return round(100 * (stat.hjemvist + stat.aendret) / merits, 2)


def merits_total(stat: AppealStatistic) -> int | None:
    """Realitetsbehandlede: the denominator of the shares and the rate."""
    parts = (stat.stadfaestet, stat.hjemvist, stat.aendret)
    if all(p is not None for p in parts):
        return sum(parts)
    return stat.decided


def rounding_tolerance(decimals: int) -> float:
    """How far a figure written with ``decimals`` decimals may be from the exact value (half a unit)."""
    return 0.5 * 10 ** (-decimals) + 1e-9


def share_pct(count: int | None, total: int | None) -> float | None:
    if count is None or not total:
        return None
    return 100 * count / total
