"""One file in, one DocumentResult out: read, extract, check. Any problem with one file is that file's
rejection, with its reason; nothing one file does can stop the others."""

from __future__ import annotations

import hashlib
import stat
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from extract.models import UnreadableDocument
from flows.isolation import read_isolated
from flows.settings import Settings
from transform.frames import Finding, document_row, national_rows, statistic_rows

UNREADABLE_SHA = ""  # documents.sha256 of a file whose bytes could not be read: it is tried again next run


@dataclass(frozen=True)
class DocumentResult:
    """What one file gives: its documents row, its statistics and national rates (rows in the SQL contract's
    column order) and the findings of the row checks."""

    document: dict
    statistics: list[dict] = field(default_factory=list)
    national_rates: list[dict] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)


@dataclass(frozen=True)
class Plan:
    """What a run does with each file of the input folder."""

    read: list[tuple[Path, str, str | None]]  # (path, name, SHA-256 or None: unreadable) to read and extract
    duplicates: dict[str, tuple[str, str]]  # name -> (sha256, name of the first file with the same bytes)
    unchanged: int  # files whose record in the database is already what this run would write


def input_files(input_dir: Path) -> list[tuple[Path, str]]:
    """(path, document name) of every entry below ``input_dir`` that is not a folder; the name is the path
    relative to it. FIFOs, sockets and dangling links are listed too: they become rejections, so every
    entry of the folder is accounted for."""
    if not input_dir.is_dir():
        raise FileNotFoundError(f"input folder {input_dir} does not exist")
    files = sorted(p for p in input_dir.rglob("*") if not p.name.startswith(".") and not _is_dir(p))
    return [(p, p.relative_to(input_dir).as_posix()) for p in files]


def _is_dir(path: Path) -> bool:
    try:
        return path.is_dir()
    except OSError:  # a symlink loop, a path too long: not a folder, so it is listed and rejected
        return False


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def fingerprint(path: Path) -> str | None:
    """SHA-256 of the file's bytes, or None when they cannot be read (``read_bytes`` says why)."""
    try:
        return sha256_of(path) if _regular_file(path) else None
    except OSError:
        return None


def _regular_file(path: Path) -> bool:
    # Never open a FIFO: with no writer, open() blocks for ever.
    return stat.S_ISREG(path.stat().st_mode)


def plan_run(files: list[tuple[Path, str]], shas: dict[str, str | None], known: dict[str, tuple[str, str, str]],
             *, rebuild: bool = False) -> Plan:
    """Which files to read, which to record as byte-identical duplicates, and how many need nothing.

    ``shas``: name -> SHA-256 (None: unreadable). ``known``: name -> (sha256, status, reason) in the database.
    Of files with the same bytes only the first is read; the others are recorded as duplicates of it, with
    no rows of their own. The first is the one already loaded with these bytes, else the one with the shortest
    name (a copy's name is the original's plus " (1)" or " - Kopi"), then the first by name."""
    groups: dict[str, list[str]] = {}
    for _path, name in files:
        if shas.get(name):
            groups.setdefault(shas[name], []).append(name)
    first = {}
    for sha, names in groups.items():
        loaded = [n for n in names if known.get(n, ("",))[0] == sha and known[n][1] != "duplicate"]
        first[sha] = min(loaded or names, key=lambda n: (len(n), n))
    read, duplicates, unchanged = [], {}, 0
    for path, name in files:
        sha, record = shas.get(name), known.get(name)
        if sha and first[sha] != name:
            duplicates[name] = (sha, first[sha])
            if not rebuild and record == (sha, "duplicate", duplicate_reason(first[sha])):
                unchanged += 1
                duplicates.pop(name)
        elif rebuild or not sha or record is None or record[0] != sha or record[1] == "duplicate":
            read.append((path, name, sha))
        else:
            unchanged += 1
    return Plan(read, duplicates, unchanged)


def duplicate_reason(first: str) -> str:
    return f"same bytes as {first}"


def duplicate_result(name: str, sha: str, first: str, loaded_at: datetime) -> DocumentResult:
    fmt = Path(name).suffix.lower().lstrip(".") or "unknown"
    return DocumentResult(document_row(name, sha, fmt, None, "duplicate", duplicate_reason(first), 0, loaded_at))


def process_file(path: Path, name: str, settings: Settings, loaded_at: datetime,
                 sha: str | None = None) -> DocumentResult:
    """``sha``: the SHA-256 the plan computed of the file's bytes, so they are hashed once per run; None to
    hash what is read here."""
    fmt = path.suffix.lower().lstrip(".") or "unknown"

    def rejected(sha: str, reason: str) -> DocumentResult:
        return DocumentResult(document_row(name, sha, fmt, None, "rejected", reason, 0, loaded_at))

    try:
        data = read_bytes(path, settings.max_file_bytes, sha)
    except UnreadableDocument as error:
        return rejected(error.sha256 if isinstance(error, TooLarge) else UNREADABLE_SHA, error.reason)
    # The plan's hash stands for these bytes: a file rewritten in between is stored under its old hash, which
    # differs from its new one, so the next run reads it again.
    sha = sha or hashlib.sha256(data).hexdigest()
    try:
        doc, extraction = read_isolated(name, data, settings)
        stats, findings = statistic_rows(name, sha, doc, extraction.meta, list(extraction.statistics))
    except UnreadableDocument as error:
        return rejected(sha, error.reason)
    except Exception as error:  # noqa: BLE001 - whatever one file does, it is that file's rejection
        return rejected(sha, f"extraction failed: {type(error).__name__}: {error}"[:200])
    return DocumentResult(
        document_row(name, sha, doc.format, extraction.meta, "ok", None, len(stats), loaded_at, doc.notes),
        stats,
        national_rows(name, sha, doc, list(extraction.national_rates)),
        findings,
    )


class TooLarge(UnreadableDocument):
    def __init__(self, reason: str, sha256: str):
        super().__init__(reason)
        self.sha256 = sha256


def read_bytes(path: Path, max_bytes: int, sha: str | None = None) -> bytes:
    """The file's bytes; UnreadableDocument when it is not a regular file, cannot be read or is too large."""
    try:
        if path.is_symlink() and not path.exists():
            raise UnreadableDocument("dangling symbolic link: the file it points to does not exist")
        if not _regular_file(path):
            raise UnreadableDocument("not a regular file (a FIFO, socket or device)")
        size = path.stat().st_size
        if size > max_bytes:
            # Its bytes are recorded, so it is not tried again until they change.
            raise TooLarge(f"file too large: {size} bytes > {max_bytes} (--max-file-mb)", sha or sha256_of(path))
        with path.open("rb") as handle:
            data = handle.read(max_bytes + 1)  # it may have grown since stat(); the limit still holds
    except OSError as error:
        raise UnreadableDocument(f"cannot read the file: {error.strerror or type(error).__name__}") from None
    if len(data) > max_bytes:
        raise UnreadableDocument(f"file too large: more than {max_bytes} bytes (--max-file-mb)")
    return data


def process_batch(batch: list[tuple[Path, str, str | None]], settings: Settings,
                  loaded_at: datetime) -> list[DocumentResult]:
    """Results of the batch's files, in the batch's order. The reading and extracting happens in child
    processes (flows/isolation.py); ``settings.reader_processes`` threads each keep one child busy, so a local
    run extracts on that many cores. Each file's result depends on that file alone, so the rows are the same
    however many read."""
    workers = max(1, min(settings.reader_processes, len(batch)))
    if workers == 1:
        return [process_file(path, name, settings, loaded_at, sha) for path, name, sha in batch]
    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="ankestat-reader") as pool:
        return list(pool.map(lambda item: process_file(item[0], item[1], settings, loaded_at, item[2]), batch))
