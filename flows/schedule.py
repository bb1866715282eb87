"""The nightly flow as a scheduled Prefect deployment (flow.serve against a running Prefect server)."""

from __future__ import annotations

from prefect import flow, get_run_logger
from prefect.schedules import Cron
from prefect.states import Failed

from flows.pipeline import nightly
from flows.preflight import check_run
from flows.runners import with_task_runner
from flows.settings import Settings
from flows.summary import format_summary, strict_trouble

DEPLOYMENT_NAME = "nightly"


@flow(name="ankestat-scheduled")
def scheduled_nightly(settings: dict):
    """The one parameter is the run's settings as plain JSON (what the options of `ankestat run` set); the run
    itself is the same nightly flow, and its summary is in the run's log. With --strict, trouble fails the run."""
    run_settings = Settings.from_parameters(settings)
    check_run(run_settings)  # each night again: the folder may be gone or empty by now
    summary = with_task_runner(nightly, run_settings)(run_settings)
    get_run_logger().info(format_summary(summary, run_settings))
    result = {"run_id": summary.run_id, "statistics": summary.statistics_by_status,
              "rejected": summary.documents_rejected}
    trouble = strict_trouble(summary)
    if run_settings.strict and trouble:
        return Failed(message=f"--strict: {trouble}", data=result)
    return result


def serve_nightly(settings: Settings, cron: str, timezone: str) -> None:
    """Register the deployment with its schedule and run it whenever it is due (blocks until stopped)."""
    scheduled_nightly.serve(
        name=DEPLOYMENT_NAME,
        schedules=[Cron(cron, timezone=timezone)],
        parameters={"settings": settings.to_parameters()},
        description="ankestat: read, extract, validate, load and report the minutes in settings.input_dir",
    )
