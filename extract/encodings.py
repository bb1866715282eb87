"""Decoding help shared by the text and HTML readers: UTF-16 without a byte-order mark, and stray NULs.
Both are recovered (and noted on the document), not rejected: one odd byte should not cost a whole document."""

from __future__ import annotations

# UTF-16 of Latin text has a zero in every other byte: the high byte of each character.
MIN_ZERO_SHARE = 0.6  # of the bytes on the high side; Danish text in UTF-16 has nearly all of them zero
MAX_OTHER_ZERO_SHARE = 0.1  # of the bytes on the low side, which hold the letters


def utf16_without_bom(data: bytes) -> str | None:
    """'utf-16-le' or 'utf-16-be' when ``data`` looks like BOM-less UTF-16 and decodes as such, else None."""
    if len(data) < 4:
        return None
    even, odd = data[0::2], data[1::2]
    for encoding, high, low in (("utf-16-le", odd, even), ("utf-16-be", even, odd)):
        if high.count(0) >= MIN_ZERO_SHARE * len(high) and low.count(0) <= MAX_OTHER_ZERO_SHARE * len(low):
            try:
                data[: len(data) // 2 * 2].decode(encoding)
            except UnicodeDecodeError:
                return None
            return encoding
    return None


def strip_nul(text: str, notes: list[str]) -> str:
    """``text`` without NUL characters, noting how many went (a NUL is never part of minutes' text)."""
    count = text.count("\x00")
    if not count:
        return text
    notes.append(f"removed {count} NUL byte{'s' if count > 1 else ''}")
    return text.replace("\x00", "")
