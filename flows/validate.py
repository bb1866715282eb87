"""Run the Great Expectations suite on the statistics of each batch of new or changed documents.

One ephemeral context, suite and validation definition per run (``Validator``), then one validation per
batch: the rows of unchanged documents were validated by the run that loaded them. No Data Docs: GX's page
loads its scripts from the internet and is blank offline; the run writes its own page from the findings
(flows/validation_page.py).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

import great_expectations as gx
import pandas as pd
from great_expectations.data_context.types.base import ProgressBarsConfig

from transform.expectations import build_suite
from transform.frames import Finding


def _quiet_great_expectations() -> None:
    """No INFO chatter from GX in the run's output (some of its modules set their own logger levels)."""
    for name in ["great_expectations", *logging.root.manager.loggerDict]:
        if name.startswith("great_expectations"):
            logging.getLogger(name).setLevel(logging.WARNING)


@dataclass
class SuiteTally:
    """What the suite found over a run's batches, per expectation code: rows evaluated and rows failed."""

    rows: int = 0
    evaluated: dict = field(default_factory=dict)  # code -> rows the expectation looked at
    failed: dict = field(default_factory=dict)  # code -> rows it rejected
    meta: dict = field(default_factory=dict)  # code -> (severity, why, source, expectation type)


class Validator:
    """The suite, ready to validate frame after frame."""

    def __init__(self, run_id: str):
        _quiet_great_expectations()
        context = gx.get_context(mode="ephemeral")
        context.variables.progress_bars = ProgressBarsConfig(globally=False)
        definition = (context.data_sources.add_pandas("ankestat").add_dataframe_asset("statistics")
                      .add_batch_definition_whole_dataframe("batch"))
        suite = context.suites.add(build_suite())
        self.definition = context.validation_definitions.add(
            gx.ValidationDefinition(name=run_id, data=definition, suite=suite))
        self.tally = SuiteTally()

    def validate(self, frame: pd.DataFrame) -> list[Finding]:
        """Findings for every row an expectation rejects (except the row checks': those the row checks
        recorded themselves, with their numbers); the tally counts all of them."""
        frame = frame.reset_index(drop=True)
        result = self.definition.run(batch_parameters={"dataframe": frame},
                                     result_format={"result_format": "COMPLETE"})
        self.tally.rows += len(frame)
        findings = []
        for outcome in result.results:
            meta = outcome.expectation_config.meta
            code = meta["code"]
            self.tally.meta[code] = (meta["severity"], meta["why"], meta["source"], outcome.expectation_config.type)
            unexpected = outcome.result.get("unexpected_index_list") or []
            self.tally.evaluated[code] = self.tally.evaluated.get(code, 0) + outcome.result.get("element_count",
                                                                                                  len(frame))
            self.tally.failed[code] = self.tally.failed.get(code, 0) + (0 if outcome.success else len(unexpected))
            if outcome.success or meta["source"] == "row":
                continue
            for index in unexpected:
                row = frame.iloc[index] if isinstance(index, int) else frame.loc[index]
                findings.append(Finding(row["document"], row["stat_id"], code, meta["severity"], meta["why"],
                                        "expectation", 100))
        return findings
