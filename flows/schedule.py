"""The nightly flow as a scheduled Prefect deployment (flow.serve against a running Prefect server)."""

from __future__ import annotations

from pathlib import Path

from prefect import flow

from flows.pipeline import nightly
from flows.settings import Settings

DEPLOYMENT_NAME = "nightly"


@flow(name="ankestat-scheduled")
def scheduled_nightly(input_dir: str, db_path: str, out_dir: str) -> dict:
    """Deployment parameters are plain strings; the run itself is the same nightly flow as `ankestat run`."""
    summary = nightly(Settings(input_dir=Path(input_dir), db_path=Path(db_path), out_dir=Path(out_dir)))
    return {"run_id": summary.run_id, "statistics": summary.statistics_by_status,
            "rejected": summary.documents_rejected}


def serve_nightly(settings: Settings, cron: str) -> None:
    """Register the deployment with its schedule and run it whenever it is due (blocks until stopped)."""
    scheduled_nightly.serve(
        name=DEPLOYMENT_NAME,
        cron=cron,
        parameters={"input_dir": str(settings.input_dir.resolve()), "db_path": str(settings.db_path.resolve()),
                    "out_dir": str(settings.out_dir.resolve())},
        description="ankestat: read, extract, validate, load and report the minutes in input_dir",
    )
