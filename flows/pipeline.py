"""The nightly flow: read -> extract -> validate -> load -> report."""

from __future__ import annotations

import math
import uuid
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import pandas as pd
from prefect import flow, get_run_logger, task

from flows import db
from flows.documents import DocumentResult, duplicate_result, fingerprint, input_files, plan_run, process_batch
from flows.limits import run_lock
from flows.progress import Progress
from flows.reporting import ReportNotDrawn, ReportResult, render_reports
from flows.settings import Settings
from flows.summary import shown

BATCH_SIZE = 200  # documents per extraction task: keeps Prefect's per-task overhead a small share


@dataclass(frozen=True)
class RunSummary:
    run_id: str
    task_runner: str
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


@task(name="list-documents")
def list_documents(settings: Settings) -> tuple[list[tuple[Path, str]], dict[str, tuple[str, str, str]]]:
    files = input_files(settings.input_dir)
    with db.connect(settings.db_path, wait_seconds=settings.lock_wait_seconds) as con:
        db.apply_schema(con)
        known = db.known_documents(con)
    return files, known


@task(name="extract-batch")
def extract_batch(batch: list[tuple[Path, str]], settings: Settings, loaded_at: datetime) -> list[DocumentResult]:
    return process_batch(batch, settings, loaded_at)


@task(name="validate")
def validate(results: list[DocumentResult], settings: Settings, run_id: str) -> list[dict]:
    rows = [row for r in results for row in r.statistics]
    findings = [f for r in results for f in r.findings]
    if rows:
        from flows.validate import run_expectations  # Great Expectations takes seconds to import: only when needed

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
def load(results: list[DocumentResult], findings: list[dict], missing: list[str], settings: Settings,
         run_id: str) -> None:
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
            missing=missing,
            prune=settings.prune,
        )


@task(name="report")
def report(settings: Settings) -> ReportResult:
    return render_reports(settings, force=False)


# Settings is a frozen dataclass built by the caller; pydantic need not re-validate it.
@flow(name="ankestat-nightly", log_prints=True, validate_parameters=False)
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
    names = {name for _, name in files}
    plan = plan_run(files, {name: fingerprint(path) for path, name in files}, known, rebuild=settings.rebuild)
    todo = plan.read
    missing = sorted(set(known) - names)
    logger.info("task runner: %s; %d documents in %s, %d new or changed, %d byte-identical copies, %d missing",
                settings.task_runner_label, len(files), shown(settings.input_dir), len(todo), len(plan.duplicates),
                len(missing))
    results = _extract(todo, settings, loaded_at, logger)
    results += [duplicate_result(name, sha, first, loaded_at) for name, (sha, first) in plan.duplicates.items()]
    findings = validate(results, settings, run_id)
    load(results, findings, missing, settings, run_id)
    try:
        drawn = report(settings)
    except BaseException as error:  # Ctrl-C, a full disk, a drawing error: the data is in, the report is not
        raise ReportNotDrawn(error) from error
    return RunSummary(run_id, settings.task_runner_label, len(files), len(todo), plan.unchanged, drawn)


def _extract(todo, settings: Settings, loaded_at: datetime, logger) -> list[DocumentResult]:
    """Batches of documents through extract_batch: in this process one after another, or on Dask all at
    once (results come back in order, so both give the same rows)."""
    progress = Progress(len(todo), logger.info)
    results: list[DocumentResult] = []
    if settings.task_runner == "dask":
        size = max(1, min(BATCH_SIZE, math.ceil(len(todo) / (4 * max(settings.workers, 1)))))
        futures = [extract_batch.submit(todo[i : i + size], settings, loaded_at) for i in range(0, len(todo), size)]
        for future in futures:
            batch = future.result()
            results += batch
            progress.update(len(batch))
    else:
        for i in range(0, len(todo), BATCH_SIZE):
            batch = extract_batch(todo[i : i + BATCH_SIZE], settings, loaded_at)
            results += batch
            progress.update(len(batch))
    progress.close()
    return results
