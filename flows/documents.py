"""One file in, one DocumentResult out: read, extract, check. Any problem with the file is a rejection."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from extract.document import extract_document
from extract.models import UnreadableDocument
from extract.readers import read_document
from flows.limits import DocumentTimeout, time_limit
from flows.settings import Settings
from transform.frames import document_row, national_rows, statistic_rows


@dataclass
class DocumentResult:
    document: dict
    statistics: list[dict] = field(default_factory=list)
    national_rates: list[dict] = field(default_factory=list)
    findings: list[dict] = field(default_factory=list)


def input_files(input_dir: Path) -> list[tuple[Path, str]]:
    """(path, document name) of every file below ``input_dir``; the name is the path relative to it."""
    if not input_dir.is_dir():
        raise FileNotFoundError(f"input folder {input_dir} does not exist")
    files = sorted(p for p in input_dir.rglob("*") if p.is_file() and not p.name.startswith("."))
    return [(p, p.relative_to(input_dir).as_posix()) for p in files]


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def process_file(path: Path, name: str, settings: Settings, loaded_at: datetime) -> DocumentResult:
    fmt = path.suffix.lower().lstrip(".") or "unknown"
    size = path.stat().st_size
    if size > settings.max_file_bytes:
        reason = f"file too large: {size} bytes > {settings.max_file_bytes} (--max-file-mb)"
        return DocumentResult(document_row(name, sha256_of(path), fmt, None, "rejected", reason, 0, loaded_at))
    data = path.read_bytes()
    sha = hashlib.sha256(data).hexdigest()
    try:
        with time_limit(settings.seconds_per_document):
            doc = read_document(name, data, max_pages=settings.max_pages)
            extraction = extract_document(name, doc)
    except UnreadableDocument as error:
        return DocumentResult(document_row(name, sha, fmt, None, "rejected", error.reason, 0, loaded_at))
    except DocumentTimeout as error:
        return DocumentResult(document_row(name, sha, fmt, None, "rejected", str(error), 0, loaded_at))
    stats, findings = statistic_rows(name, sha, doc, extraction.meta, list(extraction.statistics))
    return DocumentResult(
        document_row(name, sha, doc.format, extraction.meta, "ok", None, len(stats), loaded_at),
        stats,
        national_rows(name, sha, doc, list(extraction.national_rates)),
        [{"stat_id": f.stat_id, "check_name": f.check, "severity": f.severity, "message": f.message}
         for f in findings],
    )


def process_batch(batch: list[tuple[Path, str]], settings: Settings, loaded_at: datetime) -> list[DocumentResult]:
    return [process_file(path, name, settings, loaded_at) for path, name in batch]
