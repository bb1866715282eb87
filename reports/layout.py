"""Text pages: a flow of blocks (headings, paragraphs, table rows) cut into A4 pages and drawn.

Heights are counted in lines of the base font, so a page break is decided before anything is drawn and
a long table simply continues on the next page with its header repeated.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import matplotlib as mpl
from matplotlib.figure import Figure

from reports.textwidth import wrap_to

A4 = (8.27, 11.69)  # inches, portrait
MARGIN_LEFT, MARGIN_RIGHT, MARGIN_TOP, MARGIN_BOTTOM = 0.6, 0.6, 0.8, 0.7
TEXT_WIDTH = A4[0] - MARGIN_LEFT - MARGIN_RIGHT
TEXT_HEIGHT = A4[1] - MARGIN_TOP - MARGIN_BOTTOM
BASE_SIZE = 8.0  # pt
LINE_PT = BASE_SIZE * 1.4
CAPACITY = TEXT_HEIGHT * 72 / LINE_PT  # lines of the base font on one page
RUNNING_TITLE = "Ankestat – Ankestyrelsens omgørelsesprocenter i kommunale referater"
STYLE = {
    "font.family": "DejaVu Sans",  # ships with matplotlib and has æ, ø, å, », « and –
    "font.size": 9,
    "axes.titlesize": 10.5,
    "axes.titley": 1.0,  # a fixed title position: matplotlib's automatic one measures every tick label
    "axes.spines.top": False,
    "axes.spines.right": False,
    "hatch.linewidth": 0.6,
    # Every text drawn comes from the minutes (quotes, names, file names, reasons): "$\\foo$" in a sentence
    # is text, not TeX. The report itself writes no mathtext.
    "text.parse_math": False,
}


@contextmanager
def styled():
    """Figures must be built inside this: a Text takes its font when it is created, not when saved."""
    with mpl.rc_context(STYLE):
        yield


@dataclass(frozen=True)
class Piece:
    """One text run on a line: x is a fraction of the text width."""

    x: float
    text: str
    size: float = BASE_SIZE
    weight: str = "normal"
    style: str = "normal"
    color: str = "#111111"
    ha: str = "left"


@dataclass(frozen=True, eq=False)
class Block:
    """Lines that stay together on one page."""

    lines: tuple[tuple[Piece, ...], ...]
    line_height: float = 1.0  # in base lines
    space_before: float = 0.0
    rule: str = ""  # "" | "thin" | "thick": a rule under the block
    header: Block | None = None  # a table row's header, repeated when the table runs onto a new page
    keep_with_next: bool = False  # headings and table headers never end a page

    @property
    def height(self) -> float:
        return self.space_before + len(self.lines) * self.line_height


def wrap(
    text: str, width_fraction: float, size: float = BASE_SIZE, max_lines: int = 0, *, bold: bool = False
) -> list[str]:
    """Lines of ``text`` that fit a share of the text width; cut with '…' after ``max_lines``."""
    lines = wrap_to(text, width_fraction * TEXT_WIDTH * 72, size, bold=bold)
    if max_lines and len(lines) > max_lines:
        lines = lines[:max_lines]
        lines[-1] = lines[-1].rstrip(" .,;") + " …"
    return lines


def heading(text: str, size: float = 12.0) -> Block:
    return Block(
        ((Piece(0, text, size=size, weight="bold"),),),
        line_height=size * 1.5 / LINE_PT,
        space_before=0.6,
        keep_with_next=True,
    )


def paragraph(
    text: str, *, size: float = BASE_SIZE, color: str = "#111111", style: str = "normal", indent: float = 0.0
) -> Block:
    lines = wrap(text, 1 - indent, size)
    return Block(
        tuple((Piece(indent, line, size=size, color=color, style=style),) for line in lines),
        line_height=size * 1.4 / LINE_PT,
        space_before=0.3,
    )


def capacity_below(top_in: float) -> float:
    """Lines of the base font between ``top_in`` (inches from the page's top) and the bottom margin; none
    when charts already fill the page down to the margin."""
    return max(0.0, (A4[1] - top_in - MARGIN_BOTTOM) * 72 / LINE_PT)


def paginate(
    blocks: Iterable[Block], capacity: float = CAPACITY, first: float | None = None
) -> Iterator[list[Block]]:
    """Cut the flow into pages; ``first`` is the room left on a page already begun (it may take nothing).
    A block kept with the next moves with it; a table row starting a page brings its header along."""
    page: list[Block] = []
    used = 0.0
    limit = capacity if first is None else first
    pending: list[Block] = []
    for block in blocks:
        if block.keep_with_next:
            pending.append(block)
            continue
        group, pending = [*pending, block], []
        need = sum(b.height for b in group)
        if used + need > limit and (page or limit < capacity):
            yield page
            page, used, limit = [], 0.0, capacity
            if block.header is not None and not any(b is block.header for b in group):
                group.insert(0, block.header)
                need += block.header.height
        page.extend(group)
        used += need
    page.extend(pending)
    if page:
        yield page


def draw_page(blocks: list[Block], *, page_number: int) -> Figure:
    """A new A4 page with the blocks laid top to bottom, a running title and the page number."""
    with styled():
        fig = Figure(figsize=A4)
        running_titles(fig, page_number)
        draw_blocks(fig, blocks, top_in=MARGIN_TOP)
    return fig


def draw_blocks(fig: Figure, blocks: list[Block], *, top_in: float) -> None:
    """Lay blocks from ``top_in`` down to the bottom margin. Call inside ``styled()``."""
    if not blocks:
        return  # also: no room below ``top_in`` is not an axes of negative height
    capacity = capacity_below(top_in)
    height = capacity * LINE_PT / 72
    ax = fig.add_axes((MARGIN_LEFT / A4[0], MARGIN_BOTTOM / A4[1], TEXT_WIDTH / A4[0], height / A4[1]))
    ax.set_axis_off()
    ax.set_xlim(0, 1)
    ax.set_ylim(capacity, 0)  # y counts base lines from the top
    y = 0.0
    for block in blocks:
        y += block.space_before
        for line in block.lines:
            # Baselines, not tops: a line holding 'Å' would otherwise sit lower than its neighbours.
            baseline = y + 0.8 * block.line_height
            for piece in line:
                ax.text(
                    piece.x,
                    baseline,
                    piece.text,
                    fontsize=piece.size,
                    fontweight=piece.weight,
                    fontstyle=piece.style,
                    color=piece.color,
                    ha=piece.ha,
                    va="baseline",
                )
            y += block.line_height
        if block.rule:
            thick = block.rule == "thick"
            ax.plot([0, 1], [y + 0.05] * 2, lw=0.8 if thick else 0.3, color="#333333" if thick else "#c8c8c8")


def running_titles(fig: Figure, page_number: int) -> None:
    """The report's name at the top and the page number at the bottom of every page."""
    width, height = fig.get_size_inches()
    top = 1 - 0.4 / height
    fig.text(MARGIN_LEFT / width, top, RUNNING_TITLE, fontsize=7, color="#777777", va="bottom")
    fig.text(
        1 - MARGIN_RIGHT / width,
        0.35 / height,
        f"Side {page_number}",
        fontsize=7,
        color="#777777",
        ha="right",
    )
