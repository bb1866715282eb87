"""Why a document was not read, in Danish for the report's reader. The database keeps the reason as the
reader wrote it (stable text to query on); this table turns each kind into a sentence a council member
understands. A reason no pattern knows is shown as "kunne ikke læses" with the technical text after it.
"""

from __future__ import annotations

import re

# (pattern on the stored reason, Danish text; {0}, {1} … are the pattern's groups). First match wins.
REASONS: tuple[tuple[str, str], ...] = (
    (r"same bytes as (.+)", "samme indhold som {0} (læst én gang)"),
    (r"no text layer", "PDF uden tekstlag (scannet?): teksten kan ikke læses uden OCR"),
    (r"unreadable text layer", "PDF hvis tekstlag ikke kan læses (skrifttyper uden tegnkoder)"),
    (r"encrypted PDF", "krypteret PDF"),
    (r"truncated PDF", "afkortet PDF (filen slutter for tidligt)"),
    (r"PDF has no pages", "PDF uden sider"),
    (r"corrupt PDF \(page (\d+) cannot be read\)", "beskadiget PDF (side {0} kan ikke læses)"),
    (r"corrupt PDF", "beskadiget PDF"),
    (r"too many pages: (\d+) > (\d+)", "for mange sider: {0} (grænsen er {1})"),
    (r"file too large", "filen er for stor (grænsen sættes med --max-file-mb)"),
    (r"unsupported format '(.+)'", "filtypen {0} understøttes ikke"),
    (r"no file suffix", "filen har ingen filtype"),
    (r"empty file", "tom fil"),
    (r"binary data, not text", "binære data, ikke tekst"),
    (r"not text: looks like (?:a |an )?(.+)", "ikke tekst, selv om filtypen siger det (ligner {0})"),
    (r"not text", "ikke tekst, selv om filtypen siger det"),
    (r"not a DOCX", "ikke en DOCX-fil"),
    (r"DOCX too large when unpacked", "DOCX-filen er for stor udpakket (zip-bombe?)"),
    (r"corrupt DOCX|no text in DOCX", "beskadiget eller tom DOCX-fil"),
    (r"malformed HTML|no text in HTML", "HTML-filen har ingen læsbar tekst"),
    (r"document nested too deeply", "dokumentet er for dybt indlejret til at blive læst"),
    (r"took longer than the (\S+) s limit", "læsningen tog mere end {0} sekunder og blev stoppet"),
    (r"killed the reader process .* over the (\d+) MiB memory limit",
     "læsningen brugte formentlig mere end {0} MiB hukommelse og blev stoppet"),
    (r"extraction failed|cannot read \w+:", "en fejl i ankestat under læsningen (se ankestat.log)"),
    (r"dangling symbolic link", "genvej til en fil, der ikke findes"),
    (r"not a regular file", "ikke en almindelig fil"),
    (r"cannot read the file", "filen kan ikke åbnes (adgang nægtet eller fejl på disken)"),
)
_COMPILED = tuple((re.compile(pattern), text) for pattern, text in REASONS)


def danish_reason(reason: str | None) -> str:
    if not reason:
        return "ukendt årsag"
    for pattern, text in _COMPILED:
        match = pattern.search(reason)
        if match:
            return text.format(*match.groups())
    return f"kunne ikke læses ({reason})"
