"""Tables as blocks: wrapped cells in fixed columns, with an optional full-width note under a row (the
quoted source sentence), so a table of any length paginates like running text."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import zip_longest

from reports.layout import BASE_SIZE, Block, Piece, wrap

TABLE_SIZE = 7.0
NOTE_SIZE = 6.5
NOTE_MAX_LINES = 6  # a quote longer than this is cut with "…"; the document itself has the rest


@dataclass(frozen=True)
class Column:
    header: str  # may hold "\n" for a two-line header
    width: float  # share of the text width
    align: str = "left"  # numbers align right


@dataclass(frozen=True)
class Note:
    """A full-width line under a row."""

    text: str
    color: str = "#555555"
    style: str = "italic"


def _starts(columns: Sequence[Column]) -> list[float]:
    starts, x = [], 0.0
    for column in columns:
        starts.append(x)
        x += column.width
    return starts


def _x(column: Column, start: float) -> float:
    return start + column.width - 0.014 if column.align == "right" else start  # a gap before the next column


def table_header(columns: Sequence[Column]) -> Block:
    """Bold, possibly two-line headers with a dark rule under them."""
    split = [column.header.split("\n") for column in columns]
    height = max(len(parts) for parts in split)
    split = [[""] * (height - len(parts)) + parts for parts in split]  # headers sit on the rule
    starts = _starts(columns)
    lines = []
    for i in range(height):
        lines.append(
            tuple(
                Piece(_x(col, start), parts[i], size=TABLE_SIZE, weight="bold", ha=_ha(col))
                for col, start, parts in zip(columns, starts, split, strict=True)
                if parts[i]
            )
        )
    return Block(
        tuple(lines), line_height=_line(TABLE_SIZE), space_before=0.4, rule="thick", keep_with_next=True
    )


def _ha(column: Column) -> str:
    return "right" if column.align == "right" else "left"


def _line(size: float) -> float:
    return size * 1.3 / (BASE_SIZE * 1.4)


def table_row(
    columns: Sequence[Column],
    cells: Sequence[str],
    *,
    header: Block,
    notes: Sequence[Note] = (),
    color: str = "#111111",
) -> Block:
    """One row: each cell wrapped inside its column, the notes wrapped across the full width below."""
    starts = _starts(columns)
    wrapped = [wrap(cell, col.width - 0.016, TABLE_SIZE) for col, cell in zip(columns, cells, strict=True)]
    lines: list[tuple[Piece, ...]] = []
    for parts in zip_longest(*wrapped, fillvalue=""):
        lines.append(
            tuple(
                Piece(_x(col, start), text, size=TABLE_SIZE, color=color, ha=_ha(col))
                for col, start, text in zip(columns, starts, parts, strict=True)
                if text
            )
        )
    for note in notes:
        for text in wrap(note.text, 0.97, NOTE_SIZE, NOTE_MAX_LINES):
            lines.append((Piece(0.02, text, size=NOTE_SIZE, color=note.color, style=note.style),))
    return Block(tuple(lines), line_height=_line(TABLE_SIZE), space_before=0.15, rule="thin", header=header)
