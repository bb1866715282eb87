"""Run the Great Expectations suite on the statistics frame and write Data Docs for the run."""

from __future__ import annotations

import logging
from pathlib import Path

import great_expectations as gx
import pandas as pd
from great_expectations.data_context.types.base import ProgressBarsConfig

from transform.expectations import build_suite

DOCS_SITE = "ankestat"


def _quiet_great_expectations() -> None:
    """No INFO chatter from GX in the run's output (some of its modules set their own logger levels)."""
    for name in ["great_expectations", *logging.root.manager.loggerDict]:
        if name.startswith("great_expectations"):
            logging.getLogger(name).setLevel(logging.WARNING)


def run_expectations(frame: pd.DataFrame, docs_dir: Path, run_name: str) -> list[dict]:
    """Findings (stat_id, check_name, severity, message) for every row an expectation rejects.
    Data Docs for the run are written under ``docs_dir``."""
    _quiet_great_expectations()
    context = gx.get_context(mode="ephemeral")
    context.variables.progress_bars = ProgressBarsConfig(globally=False)
    context.add_data_docs_site(
        site_name=DOCS_SITE,
        site_config={
            "class_name": "SiteBuilder",
            "store_backend": {"class_name": "TupleFilesystemStoreBackend",
                              "base_directory": str(docs_dir.resolve())},  # GX wants it absolute
            "site_index_builder": {"class_name": "DefaultSiteIndexBuilder"},
        },
    )
    batch = context.data_sources.add_pandas("ankestat").add_dataframe_asset("statistics")
    definition = batch.add_batch_definition_whole_dataframe("extracted")
    suite = context.suites.add(build_suite())
    validation = context.validation_definitions.add(gx.ValidationDefinition(name=run_name, data=definition,
                                                                             suite=suite))
    checkpoint = context.checkpoints.add(gx.Checkpoint(
        name="nightly",
        validation_definitions=[validation],
        actions=[gx.checkpoint.UpdateDataDocsAction(name="data_docs", site_names=[DOCS_SITE])],
        result_format={"result_format": "COMPLETE"},
    ))
    frame = frame.reset_index(drop=True)
    result = checkpoint.run(batch_parameters={"dataframe": frame})
    findings = []
    for validation_result in result.run_results.values():
        for outcome in validation_result.results:
            if outcome.success:
                continue
            config = outcome.expectation_config
            for index in outcome.result.get("unexpected_index_list") or []:
                row = frame.iloc[index] if isinstance(index, int) else frame.loc[index]
                findings.append({
                    "stat_id": row["stat_id"],
                    "check_name": config.type,
                    "severity": config.meta.get("severity", "quarantine"),
                    "message": f"{config.meta.get('why', config.type)} ({config.type})",
                })
    return findings
