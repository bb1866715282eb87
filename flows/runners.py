"""Where extraction runs: in this process, or on a Dask cluster (prefect-dask's DaskTaskRunner)."""

from __future__ import annotations

from flows.settings import Settings


def with_task_runner(flow, settings: Settings):
    """``flow`` with the task runner the settings ask for."""
    if settings.task_runner != "dask":
        return flow
    from prefect_dask import DaskTaskRunner

    if settings.dask_address:
        runner = DaskTaskRunner(address=settings.dask_address)
    else:
        # Processes, one thread each: extraction is pure Python and holds the GIL.
        runner = DaskTaskRunner(cluster_kwargs={"n_workers": settings.workers, "threads_per_worker": 1,
                                                "processes": True, "dashboard_address": None})
    return flow.with_options(task_runner=runner)
