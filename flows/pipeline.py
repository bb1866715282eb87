"""The nightly flow: read -> extract -> validate -> load -> report.

Documents stream through in batches: a batch is extracted (on both cores), validated and loaded before the
next is read, and no more than that is held in memory, so a run of 10,000 documents needs what a run of 500
needs. All batches load inside one DuckDB transaction, committed when the last one is in: until then the
database is as it was before the run.
"""

from __future__ import annotations

import math
import threading
import time
import uuid
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from itertools import chain
from pathlib import Path

import pyarrow as pa
from prefect import flow, get_run_logger, task
from prefect.cache_policies import NO_CACHE

from flows import db
from flows.documents import DocumentResult, duplicate_result, fingerprint, input_files, plan_run, process_batch
from flows.limits import run_lock
from flows.progress import Progress
from flows.reporting import ReportNotDrawn, ReportResult, render_reports
from flows.settings import Settings
from flows.summary import shown
from transform.frames import Finding, passes_columns


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


# The tasks pass batches, connections and the suite along: nothing to cache, and hashing them would cost.
@task(name="list-documents", cache_policy=NO_CACHE)
def list_documents(settings: Settings) -> tuple[list[tuple[Path, str]], dict[str, tuple[str, str, str]]]:
    files = input_files(settings.input_dir)
    with db.connect(settings.db_path, wait_seconds=settings.lock_wait_seconds) as con:
        db.apply_schema(con)
        known = db.known_documents(con)
    return files, known


@task(name="extract-batch", cache_policy=NO_CACHE)
def extract_batch(batch: list[tuple[Path, str, str | None]], settings: Settings,
                  loaded_at: datetime) -> list[DocumentResult]:
    return process_batch(batch, settings, loaded_at)


class Suite:
    """The expectation suite of a run, set up when the first statistics come (GX takes seconds to import)."""

    def __init__(self, run_id: str):
        self.run_id = run_id
        self.validator = None

    def get(self):
        if self.validator is None:
            from flows.validate import Validator

            self.validator = Validator(self.run_id)
        return self.validator


@task(name="validate-batch", cache_policy=NO_CACHE)
def validate_batch(results: list[DocumentResult], suite: Suite) -> tuple[pa.Table, list[Finding]]:
    """The batch's statistics as an Arrow table and all their findings: the row checks' (made with the rows)
    and the expectation suite's on the new rows, the row checks' outcomes included."""
    table = db.statistics_table([row for r in results for row in r.statistics])
    findings = [f for r in results for f in r.findings]
    if table.num_rows:
        frame = table.to_pandas()
        for column, values in passes_columns(frame["stat_id"].tolist(), findings).items():
            frame[column] = values
        findings += suite.get().validate(frame)
    return table, findings


@task(name="load-batch", cache_policy=NO_CACHE)
def load_batch(con, results: list[DocumentResult], statistics: pa.Table, findings: list[Finding], run_id: str,
               checked_at: datetime) -> None:
    db.load_batch(con, documents=[r.document for r in results], statistics=statistics,
                  national_rates=[row for r in results for row in r.national_rates], findings=findings,
                  run_id=run_id, checked_at=checked_at)


@task(name="commit-load", cache_policy=NO_CACHE)
def commit(con, transaction: db.RunTransaction, missing: list[str], settings: Settings) -> None:
    """The end of the load: missing documents, official rates, and the commit of the whole run."""
    from pyarrow import csv

    reference = csv.read_csv(settings.reference_csv,
                             convert_options=csv.ConvertOptions(column_types={"period": pa.string()}))
    db.finish_run(con, reference=reference, missing=missing, prune=settings.prune)
    transaction.commit()


@task(name="validation-page", cache_policy=NO_CACHE)
def validation_page(settings: Settings, run_id: str, suite: Suite) -> None:
    from flows.validation_page import write_validation_page

    tally = suite.validator.tally if suite.validator is not None else None
    write_validation_page(settings, run_id, tally)


@task(name="report", cache_policy=NO_CACHE)
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
    if todo:  # GX's import (seconds) overlaps the first extraction instead of following it
        threading.Thread(target=__import__, args=("flows.validate",), daemon=True).start()
    suite = Suite(run_id)
    spent = {"validate": 0.0, "load": 0.0}
    with db.connect(settings.db_path, wait_seconds=settings.lock_wait_seconds) as con, \
            db.RunTransaction(con) as transaction:
        duplicates = [duplicate_result(name, sha, first, loaded_at) for name, (sha, first) in plan.duplicates.items()]
        for results in chain(_extracted(todo, settings, loaded_at, logger), [duplicates]):  # one batch at a time
            started = time.perf_counter()
            statistics, findings = validate_batch(results, suite)
            validated = time.perf_counter()
            load_batch(con, results, statistics, findings, run_id, loaded_at)
            spent["validate"] += validated - started
            spent["load"] += time.perf_counter() - validated
        commit(con, transaction, missing, settings)
    logger.info("phase seconds: validate=%.2f load=%.2f (summed over the batches)", spent["validate"], spent["load"])
    validation_page(settings, run_id, suite)
    try:
        drawn = report(settings)
    except BaseException as error:  # Ctrl-C, a full disk, a drawing error: the data is in, the report is not
        raise ReportNotDrawn(error) from error
    return RunSummary(run_id, settings.task_runner_label, len(files), len(todo), plan.unchanged, drawn)


def _extracted(todo, settings: Settings, loaded_at: datetime, logger) -> Iterator[list[DocumentResult]]:
    """Batches of results, in the order of ``todo``. Locally one batch at a time: its two reader processes
    already use both cores, and extracting the next batch while this one is validated only made both slower
    (2,000 documents: 33 s against 27-28 s, measured back to back). On Dask, where the workers are other
    processes, two batches per worker are in flight while the caller validates and loads. Only those
    batches are in memory."""
    dask = settings.task_runner == "dask"
    size = settings.batch_size  # keeps Prefect's per-task overhead a small share, and memory bounded
    if dask:
        size = max(1, min(size, math.ceil(len(todo) / (4 * max(settings.workers, 1)))))
    batches = [todo[i : i + size] for i in range(0, len(todo), size)]
    ahead = 2 * max(settings.workers, 1) if dask else 1
    progress = Progress(len(todo), logger.info)
    if not dask:
        for batch in batches:
            results = extract_batch(batch, settings, loaded_at)
            progress.update(len(results))
            yield results
        progress.close()
        return
    pending = deque(extract_batch.submit(batch, settings, loaded_at) for batch in batches[:ahead])
    following = iter(batches[ahead:])
    while pending:
        results = pending.popleft().result()
        following_batch = next(following, None)
        if following_batch is not None:
            pending.append(extract_batch.submit(following_batch, settings, loaded_at))
        progress.update(len(results))
        yield results
    progress.close()
