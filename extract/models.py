"""The records that flow through ankestat. ``None`` always means "the text does not say", never 0."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date


class UnreadableDocument(Exception):
    """A document that cannot be turned into text. The flow records it as rejected with ``reason``."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class DocumentText:
    """The plain text of one document, with where each page starts (PDF) so offsets map to pages."""

    text: str
    format: str  # 'txt', 'pdf', 'html', 'docx'
    page_starts: tuple[int, ...] = (0,)
    encoding: str | None = None
    notes: tuple[str, ...] = ()  # recovered oddities, e.g. "decoded as cp1252"

    @property
    def is_paged(self) -> bool:
        return self.format == "pdf"

    def page_of(self, offset: int) -> int | None:
        """1-based page holding ``offset``; None for formats without pages."""
        if not self.is_paged:
            return None
        page = 1
        for number, start in enumerate(self.page_starts, start=1):
            if start <= offset:
                page = number
        return page


@dataclass(frozen=True)
class DocumentMeta:
    municipality: str | None
    committee: str | None
    meeting_date: date | None


@dataclass(frozen=True)
class AgendaItem:
    """One agenda item (or the document's preamble) as a span of the document text."""

    label: str | None  # e.g. "Punkt 5: Afrapportering af klagesager ..."
    start: int
    end: int


COUNT_FIELDS = ("received", "decided", "stadfaestet", "hjemvist", "aendret", "afvist", "reversed")
SHARE_FIELDS = ("stadfaestet_pct", "hjemvist_pct", "aendret_pct")
RATE_FIELDS = ("reported_rate_pct", "national_rate_pct")
REPORTED_FIELDS = COUNT_FIELDS + SHARE_FIELDS + RATE_FIELDS


@dataclass(frozen=True)
class Subject:
    """What a figure is about."""

    municipality: str | None
    period: str
    year: int
    scope: str
    area_label: str | None
    paragraphs: str | None
    paragraph_key: str | None


@dataclass(frozen=True)
class Fact:
    column: str
    value: float
    decimals: int
    subject: Subject
    start: int  # the sentence the figure stands in
    end: int
    # A stand-in: the realitetsbehandlede count read as 'decided' where no afgjorte count is in sight.
    # A stated afgjorte count of the same statistic replaces it without a conflict.
    weak: bool = False
    # The earlier figure of a comparison ("mod 30,4 pct. året før"): it does not move the text to its period.
    compared: bool = False


@dataclass(frozen=True)
class AppealStatistic:
    """One statistic: a kommune's appeal figures for one period, scope and (optional) paragraph group."""

    municipality: str | None
    period: str  # '2021', '2021-Q3', '2021-H1'
    year: int
    scope: str  # see transform.vocabulary.SCOPES
    area_label: str | None
    paragraphs: str | None  # e.g. '§ 41'; None for an area total
    paragraph_key: str | None  # first paragraph number, e.g. '41'
    agenda_item: str | None
    char_start: int
    char_end: int
    quote: str
    received: int | None = None
    decided: int | None = None
    stadfaestet: int | None = None
    hjemvist: int | None = None
    aendret: int | None = None
    afvist: int | None = None
    reversed: int | None = None
    stadfaestet_pct: float | None = None
    hjemvist_pct: float | None = None
    aendret_pct: float | None = None
    reported_rate_pct: float | None = None
    national_rate_pct: float | None = None
    # decimals the text used for each stated percentage, so validation can allow its rounding
    pct_decimals: tuple[tuple[str, int], ...] = ()
    notes: tuple[str, ...] = field(default=())  # contradictions in the text: the statistic is quarantined
    warnings: tuple[str, ...] = field(default=())  # a contradiction resolved by the arithmetic: kept, marked


@dataclass(frozen=True)
class NationalRate:
    """A national reversal rate stated in a document ("på landsplan ... 31,8 pct.")."""

    period: str
    year: int
    scope: str
    paragraphs: str | None
    rate_pct: float
    char_start: int
    char_end: int
    quote: str


@dataclass(frozen=True)
class Extraction:
    """Everything one document yields."""

    meta: DocumentMeta
    statistics: tuple[AppealStatistic, ...]
    national_rates: tuple[NationalRate, ...]
