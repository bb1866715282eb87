"""Text widths from DejaVu Sans' own glyph advances, so text can be wrapped and room left for it without
rendering it first (rendering every text to measure it is what made layout slow)."""

from __future__ import annotations

from functools import cache

from matplotlib import font_manager
from matplotlib.ft2font import FT2Font, LoadFlags

FAMILY = "DejaVu Sans"
_SIZE = 100  # load glyphs at a size where rounding does not matter, then scale


@cache
def _font(bold: bool) -> FT2Font:
    path = font_manager.findfont(
        font_manager.FontProperties(family=FAMILY, weight="bold" if bold else "normal")
    )
    font = FT2Font(path)
    font.set_size(_SIZE, 72)
    return font


@cache
def _advance_em(char: str, bold: bool) -> float:
    glyph = _font(bold).load_char(ord(char), flags=LoadFlags.NO_HINTING)
    return glyph.linearHoriAdvance / 65536 / _SIZE


def width_pt(text: str, size: float, *, bold: bool = False) -> float:
    """Width of one line of ``text`` at ``size`` points (kerning ignored: it only ever narrows the line)."""
    return sum(_advance_em(char, bold) for char in text) * size


def wrap_to(text: str, limit_pt: float, size: float, *, bold: bool = False) -> list[str]:
    """Greedy word wrap to ``limit_pt``; a word longer than a line (a file name) is cut by characters."""
    lines: list[str] = []
    line = ""
    # A control character in a file name (a terminal escape) has no glyph: show it as its escape.
    text = "".join(c if c.isprintable() or c.isspace() else repr(c)[1:-1] for c in str(text))
    for word in text.split():
        candidate = f"{line} {word}" if line else word
        if width_pt(candidate, size, bold=bold) <= limit_pt:
            line = candidate
            continue
        if line:
            lines.append(line)
        line = ""
        while width_pt(word, size, bold=bold) > limit_pt and len(word) > 1:
            cut = len(word) - 1
            while cut > 1 and width_pt(word[:cut], size, bold=bold) > limit_pt:
                cut -= 1
            lines.append(word[:cut])
            word = word[cut:]
        line = word
    if line:
        lines.append(line)
    return lines or [""]
