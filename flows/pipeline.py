"""The nightly flow: read -> extract -> validate -> load -> report."""

from __future__ import annotations

import hashlib
import uuid
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import pandas as pd
from prefect import flow, get_run_logger, task

from extract.document import extract_document
from extract.models import UnreadableDocument
from extract.readers import read_document
from flows import db
from flows.limits import DocumentTimeout, run_lock, time_limit
from flows.settings import Settings
from flows.validate import run_expectations
from transform.frames import document_row, national_rows, statistic_rows

BATCH_SIZE = 200  # documents per extraction task: keeps Prefect's per-task overhead a small share


@dataclass
class DocumentResult:
    document: dict
    statistics: list[dict] = field(default_factory=list)
    national_rates: list[dict] = field(default_factory=list)
    findings: list[dict] = field(default_factory=list)


@dataclass(frozen=True)
class ReportResult:
    """What the database holds after a run, and the files rendered from it."""

    files: tuple[Path, ...]
    statistics_by_status: dict
    rejected: tuple[tuple[str, str], ...]  # (document, reason) of every rejected document
    latest_rates: pd.DataFrame


@dataclass(frozen=True)
class RunSummary:
    run_id: str
    documents_seen: int
    documents_read: int
    documents_unchanged: int
    report: ReportResult

    @property
    def documents_rejected(self) -> int:
        return len(self.report.rejected)

    @property
    def statistics_by_status(self) -> dict:
        return self.report.statistics_by_status


def input_files(input_dir: Path) -> list[Path]:
    if not input_dir.is_dir():
        raise FileNotFoundError(f"input folder {input_dir} does not exist")
    return sorted(p for p in input_dir.rglob("*") if p.is_file() and not p.name.startswith("."))


def process_file(path: Path, name: str, settings: Settings, loaded_at: datetime) -> DocumentResult:
    """Read one file and extract what it states. Any problem with the file becomes a rejection."""
    size = path.stat().st_size
    if size > settings.max_file_bytes:
        reason = f"file too large: {size} bytes > {settings.max_file_bytes}"
        return DocumentResult(document_row(name, _sha256(path), path.suffix.lstrip("."), None, "rejected",
                                           reason, 0, loaded_at))
    data = path.read_bytes()
    sha = hashlib.sha256(data).hexdigest()
    fmt = path.suffix.lower().lstrip(".") or "unknown"
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


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


@task(name="list-documents")
def list_documents(settings: Settings) -> tuple[list[tuple[Path, str]], dict[str, str]]:
    files = input_files(settings.input_dir)
    with db.connect(settings.db_path, wait_seconds=settings.lock_wait_seconds) as con:
        db.apply_schema(con)
        known = db.known_documents(con)
    return [(p, p.relative_to(settings.input_dir).as_posix()) for p in files], known


@task(name="extract-batch")
def extract_batch(batch: list[tuple[Path, str]], settings: Settings, loaded_at: datetime) -> list[DocumentResult]:
    return [process_file(path, name, settings, loaded_at) for path, name in batch]


@task(name="validate")
def validate(results: list[DocumentResult], settings: Settings, run_id: str) -> list[dict]:
    rows = [row for r in results for row in r.statistics]
    findings = [f for r in results for f in r.findings]
    if rows:
        findings += run_expectations(pd.DataFrame(rows), settings.out_dir / "data_docs", run_id)
    _apply_findings(results, findings)
    return findings


def _apply_findings(results: list[DocumentResult], findings: list[dict]) -> None:
    """Expectation failures quarantine their rows like the row checks do."""
    by_stat: dict[str, list[dict]] = {}
    for finding in findings:
        by_stat.setdefault(finding["stat_id"], []).append(finding)
    for result in results:
        for row in result.statistics:
            mine = by_stat.get(row["stat_id"], [])
            severities = {f["severity"] for f in mine}
            row["row_status"] = ("quarantined" if "quarantine" in severities
                                 else "warning" if severities else "valid")
            row["row_messages"] = "; ".join(dict.fromkeys(f["message"] for f in mine))


@task(name="load")
def load(results: list[DocumentResult], findings: list[dict], settings: Settings, run_id: str) -> None:
    reference = pd.read_csv(settings.reference_csv, dtype={"period": str})
    with db.connect(settings.db_path, wait_seconds=settings.lock_wait_seconds) as con:
        db.load_run(
            con,
            documents=[r.document for r in results],
            statistics=[row for r in results for row in r.statistics],
            national_rates=[row for r in results for row in r.national_rates],
            reference=reference,
            findings=findings,
            run_id=run_id,
        )


@task(name="report")
def report(settings: Settings) -> ReportResult:
    return render_reports(settings)


def render_reports(settings: Settings) -> ReportResult:
    from flows.render import write_report

    with db.connect(settings.db_path, wait_seconds=settings.lock_wait_seconds) as con:
        db.apply_schema(con)
        stats, documents, reference = db.read_frames(con)
        db.export_parquet(con, settings.out_dir / "parquet")
    files = write_report(stats, documents, reference, settings.out_dir, generated_at=datetime.now())
    rejected = documents[documents["status"] == "rejected"]
    return ReportResult(tuple(files), stats["status"].value_counts().to_dict(),
                        tuple(zip(rejected["document"], rejected["reason"], strict=True)), latest_rates(stats))


def latest_rates(stats: pd.DataFrame) -> pd.DataFrame:
    """Each kommune's newest area-total rate per scope, for the summary table."""
    columns = ["municipality", "scope", "period", "rate_pct", "national_rate_pct", "status"]
    if stats.empty:
        return pd.DataFrame(columns=columns)
    usable = stats[(stats["status"] != "quarantined") & stats["paragraph_key"].isna()].copy()
    usable["rate_pct"] = usable["reported_rate_pct"].fillna(usable["computed_rate_pct"])
    usable = usable.dropna(subset=["rate_pct"]).sort_values(["municipality", "scope", "year", "period"])
    return usable.groupby(["municipality", "scope"], as_index=False).tail(1)[columns].reset_index(drop=True)


@flow(name="ankestat-nightly", log_prints=True)
def nightly(settings: Settings, take_lock: bool = True) -> RunSummary:
    """The nightly run. ``take_lock=False`` when the caller already holds the run lock (the CLI takes it
    before starting Prefect, so that a busy database is one clear line, not a failed flow run)."""
    if not take_lock:
        return _nightly(settings)
    with run_lock(settings.db_path, settings.lock_wait_seconds):
        return _nightly(settings)


def _nightly(settings: Settings) -> RunSummary:
    logger = get_run_logger()
    run_id = datetime.now().strftime("%Y%m%dT%H%M%S-") + uuid.uuid4().hex[:6]
    loaded_at = datetime.now().replace(microsecond=0)
    files, known = list_documents(settings)
    todo = [(p, n) for p, n in files if known.get(n) != _sha256(p)]
    logger.info("%d documents in %s, %d new or changed", len(files), settings.input_dir, len(todo))
    results: list[DocumentResult] = []
    for start in range(0, len(todo), BATCH_SIZE):
        results += extract_batch(todo[start : start + BATCH_SIZE], settings, loaded_at)
        logger.info("extracted %d/%d documents", len(results), len(todo))
    findings = validate(results, settings, run_id)
    load(results, findings, settings, run_id)
    return RunSummary(run_id, len(files), len(todo), len(files) - len(todo), report(settings))
