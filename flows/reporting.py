"""The report phase: read the database, draw into a folder beside the old report, swap when complete.

The data is committed before the report is drawn, so a report can fail (a kill, Ctrl-C, a full disk, a
drawing error) after its data is in. The report therefore records which database state it was drawn from
(``STATE_FILE``, written last); a run redraws whenever the database differs from that, so a failed report
is redrawn by the next run instead of staying stale. The new files are drawn into a staging folder and
moved into place only when all of them are written: a failure leaves the old report whole.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
from dataclasses import dataclass
from datetime import datetime
from importlib import resources
from pathlib import Path

import pandas as pd

from flows import db
from flows.outputs import CHART_DIR, KOMMUNE_DIR, PDF_NAME
from flows.settings import Settings

STATE_FILE = ".ankestat-report-state"  # in the output folder: the database state the report shows
CACHE_DIR = ".ankestat-cache"  # in the output folder: chart PNGs by the hash of what they show


class ReportNotDrawn(Exception):
    """The run's data is loaded but its report was not (fully) drawn; the next run draws it."""

    def __init__(self, cause: BaseException):
        self.interrupted = isinstance(cause, KeyboardInterrupt)
        what = "interrupted" if self.interrupted else f"{type(cause).__name__}: {cause}"
        super().__init__(f"the report was not drawn ({what}); the data of this run is loaded, the old report is "
                         f"left as it was, and the next run draws it")


@dataclass(frozen=True)
class ReportResult:
    """What the database holds after a run, and the files rendered from it."""

    files: tuple[Path, ...]
    statistics_by_status: dict
    rejected: tuple[tuple[str, str], ...]  # (document, reason) of every rejected document
    duplicates: tuple[tuple[str, str], ...]  # (document, reason) of every byte-identical copy of another
    missing: tuple[str, ...]  # documents whose file is gone (kept until --prune)
    latest_rates: pd.DataFrame
    drawn: bool = True  # False: the report already showed this database state


def render_reports(settings: Settings, *, force: bool = True) -> ReportResult:
    """Export Parquet and render charts and the PDF from the database, unless (``force=False``) the report
    in the output folder was drawn from the same database state."""
    with db.connect(settings.db_path, wait_seconds=settings.lock_wait_seconds) as con:
        db.apply_schema(con)
        stats, documents, reference = db.read_frames(con)
        figures, _national = db.read_figures(con)
        state = database_state(stats, documents, reference)
        draw = force or drawn_state(settings.out_dir) != state
        files = publish(con, stats, documents, settings.out_dir, state) if draw else []
    rejected = documents[documents["status"] == "rejected"]
    duplicates = documents[documents["status"] == "duplicate"]
    missing = documents[documents["is_missing"].fillna(False).astype(bool)]
    return ReportResult(tuple(files), stats["status"].value_counts().to_dict(),
                        tuple(zip(rejected["document"], rejected["reason"], strict=True)),
                        tuple(zip(duplicates["document"], duplicates["reason"], strict=True)),
                        tuple(missing["document"]), latest_rates(figures), draw)


def database_state(*frames: pd.DataFrame) -> str:
    """A hash of everything the report is drawn from: the data, and the code that turns it into the report
    (reports/, the SQL views), so a new version redraws a report of unchanged data."""
    digest = hashlib.sha256()
    for package, suffixes in (("reports", (".py", ".typ")), ("flows", (".sql",))):
        for entry in sorted(resources.files(package).iterdir(), key=lambda e: e.name):
            if entry.name.endswith(suffixes):
                digest.update(entry.read_bytes())
    for frame in frames:
        digest.update(frame.to_csv(index=False).encode("utf-8"))
    return digest.hexdigest()


def drawn_state(out_dir: Path) -> str | None:
    """The database state the report in ``out_dir`` was drawn from; None when there is none (or no PDF)."""
    try:
        return (out_dir / STATE_FILE).read_text(encoding="utf-8").strip() if (out_dir / PDF_NAME).exists() else None
    except OSError:
        return None


def publish(con, stats, documents, out_dir: Path, state: str) -> list[Path]:
    """Draw the report and export the tables into a staging folder in ``out_dir``, then move every file
    into place, the PDF last and the state file after it. Charts and kommune PDFs of kommuner no longer in
    the database are removed."""
    from flows.render import write_report  # matplotlib and typst: only when a report is drawn

    out_dir.mkdir(parents=True, exist_ok=True)
    figures, national = db.read_figures(con)
    staging = Path(tempfile.mkdtemp(prefix=".ankestat-new-", dir=out_dir))
    cache = out_dir / CACHE_DIR
    try:
        db.export_parquet(con, staging / "parquet")
        drawn = write_report(figures, national, stats, documents, staging, cache_dir=cache,
                             generated_at=datetime.now())
        new = sorted((p for p in staging.rglob("*") if p.is_file()), key=lambda p: p.name == PDF_NAME)
        for path in new:
            target = out_dir / path.relative_to(staging)
            target.parent.mkdir(parents=True, exist_ok=True)
            os.replace(path, target)
        kept = {out_dir / path.relative_to(staging) for path in new}
        for folder in (CHART_DIR, KOMMUNE_DIR):
            for old in (out_dir / folder).glob("*"):
                if old.is_file() and old not in kept:
                    old.unlink()
        (staging / STATE_FILE).write_text(state, encoding="utf-8")
        os.replace(staging / STATE_FILE, out_dir / STATE_FILE)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return [out_dir / path.relative_to(staging) for path in drawn]


def latest_rates(figures: pd.DataFrame) -> pd.DataFrame:
    """Each kommune's newest area-total rate per scope (from kommune_figures), for the summary table."""
    from reports.danish import period_order

    columns = ["municipality", "scope", "period", "rate_pct", "national_rate_pct", "status"]
    usable = figures[figures["paragraph_key"].isna() & figures["rate_pct"].notna()]
    if usable.empty:
        return pd.DataFrame(columns=columns)
    usable = usable.assign(_order=usable["period"].map(period_order)).sort_values(["municipality", "scope", "_order"])
    return usable.groupby(["municipality", "scope"], as_index=False).tail(1)[columns].reset_index(drop=True)
