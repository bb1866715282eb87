"""Group facts about the same subject into statistics, and attach the national averages stated."""

from __future__ import annotations

from collections import defaultdict

from extract.corroboration import corroborated
from extract.models import AppealStatistic, Fact, NationalRate, Subject


def group_facts(text: str, facts: list[tuple[Fact, str | None]]):
    """(statistics, national rates) of one document.

    A kommune statistic is every fact with the same kommune, period, scope and paragraphs. A national rate
    is stored once per period, scope and paragraphs and fills ``national_rate_pct`` of the statistics of
    the same period, scope and paragraphs in this document that do not state their own.
    """
    by_subject: dict[tuple, list[tuple[Fact, str | None]]] = defaultdict(list)
    nationals: dict[tuple, list[Fact]] = defaultdict(list)
    for fact, item in facts:
        subject = fact.subject
        if fact.column == "national_rate_pct":
            nationals[_national_key(subject)].append(fact)
        by_subject[_key(subject)].append((fact, item))

    national_rates = [_national_rate(text, group) for group in nationals.values()]
    statistics = []
    for group in by_subject.values():
        own = [f for f, _ in group if f.column != "national_rate_pct"]
        if not own:
            continue  # only a national figure: not a kommune statistic
        national = [f for f, _ in group if f.column == "national_rate_pct"]
        if not national:
            national = nationals.get(_national_key(own[0].subject), [])
        statistics.append(_statistic(text, own + national[:1], group[0][1], conflicts=national[1:]))
    return statistics, national_rates


def _key(subject: Subject) -> tuple:
    # Each law, committee and other area is a statistic of its own, although they share a scope code.
    named = subject.scope in ("law", "committee", "other") and subject.area_label
    area = subject.area_label.casefold() if named else None
    return (subject.municipality, subject.period, subject.scope, area, subject.paragraph_key)


def _national_key(subject: Subject) -> tuple:
    return (subject.period, subject.scope, subject.paragraph_key)


def _statistic(text: str, facts: list[Fact], agenda_item: str | None, conflicts: list[Fact]) -> AppealStatistic:
    subject = facts[0].subject
    values: dict[str, float] = {}
    decimals: dict[str, int] = {}
    notes = []
    weak = {f.column for f in facts if f.weak} - {f.column for f in facts if not f.weak}
    stated: dict[str, list[float]] = {}
    for fact in facts:
        if fact.weak and fact.column not in weak:
            continue  # the text states this figure itself
        if fact.column not in values:
            values[fact.column], decimals[fact.column] = fact.value, fact.decimals
        if fact.value not in stated.setdefault(fact.column, []):
            stated[fact.column].append(fact.value)
    conflicting = {column: found for column, found in stated.items() if len(found) > 1}
    warnings = []
    chosen = corroborated(values, conflicting, decimals) if conflicting else None
    if chosen is not None:
        for column, kept in chosen.items():
            values[column] = kept
            others = " and ".join(_fmt(v) for v in conflicting[column] if v != kept)
            warnings.append(f"the text also states {column} as {others}; {_fmt(kept)} is kept because the "
                            f"other figures add up with it")
    else:
        notes += [f"the text states {column} as both {' and '.join(_fmt(v) for v in found)}"
                  for column, found in conflicting.items()]
    for fact in conflicts:
        if fact.value != values.get("national_rate_pct"):
            notes.append(f"the text states two national rates: {_fmt(values.get('national_rate_pct'))} "
                         f"and {_fmt(fact.value)}")
    start, end = _trimmed(text, min(f.start for f in facts), max(f.end for f in facts))
    counts = {k: int(v) for k, v in values.items() if not k.endswith("_pct")}
    shares = {k: v for k, v in values.items() if k.endswith("_pct")}
    return AppealStatistic(
        municipality=subject.municipality,
        period=subject.period,
        year=subject.year,
        scope=subject.scope,
        area_label=subject.area_label,
        paragraphs=subject.paragraphs,
        paragraph_key=subject.paragraph_key,
        agenda_item=agenda_item,
        char_start=start,
        char_end=end,
        quote=text[start:end],
        pct_decimals=tuple(sorted((k, d) for k, d in decimals.items() if k.endswith("_pct"))),
        notes=tuple(notes),
        warnings=tuple(warnings),
        **counts,
        **shares,
    )


def _national_rate(text: str, facts: list[Fact]) -> NationalRate:
    first = facts[0]
    subject = first.subject
    start, end = _trimmed(text, first.start, first.end)
    return NationalRate(
        period=subject.period,
        year=subject.year,
        scope=subject.scope,
        paragraphs=subject.paragraphs,
        rate_pct=first.value,
        char_start=start,
        char_end=end,
        quote=text[start:end],
    )


def _fmt(value: float | None) -> str:
    if value is None:
        return "nothing"
    return f"{value:g}".replace(".", ",")


def _trimmed(text: str, start: int, end: int) -> tuple[int, int]:
    """The span without surrounding white space, so that quote == text[char_start:char_end]."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end
