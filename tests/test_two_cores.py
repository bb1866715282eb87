"""Extraction on both cores gives exactly the rows of the one-process run: same order, same stat_ids, same
findings, in process_batch and through the streaming flow into DuckDB. Real documents (the samples, a
synthetic corpus with PDFs, broken files), real child readers, a real Prefect run and DuckDB file."""

from __future__ import annotations

import os
import shutil
from datetime import datetime
from pathlib import Path

import duckdb
import pytest

from flows.documents import fingerprint, input_files, process_batch
from flows.isolation import stop_reader
from flows.settings import Settings
from tests.corpus import write_corpus
from tests.expected import SAMPLES

NOW = datetime(2024, 1, 1)


def _corpus(folder: Path, n: int) -> Path:
    write_corpus(folder, n, seed=11, appeal_share=0.8, pdf_share=0.1, target_kb=(8, 20))
    for path in SAMPLES.iterdir():
        shutil.copy(path, folder / path.name)
    (folder / "broken.pdf").write_bytes(b"%PDF-1.7\nnot really")
    (folder / "empty.txt").write_bytes(b"")
    return folder


def _reader_children() -> int:
    """Child processes of this process that are document readers (flows/isolation.py)."""
    count = 0
    for task in os.listdir(f"/proc/{os.getpid()}/task"):
        with open(f"/proc/{os.getpid()}/task/{task}/children") as handle:
            for pid in handle.read().split():
                try:
                    with open(f"/proc/{pid}/cmdline", "rb") as cmd:
                        count += b"flows.isolation" in cmd.read()
                except OSError:
                    pass
    return count


def test_two_reader_processes_give_the_rows_of_one(tmp_path):
    folder = _corpus(tmp_path / "in", 60)
    batch = [(path, name, fingerprint(path)) for path, name in input_files(folder)]
    stop_reader()
    one = process_batch(batch, Settings(reader_processes=1), NOW)
    assert _reader_children() == 1
    stop_reader()
    two = process_batch(batch, Settings(reader_processes=2), NOW)
    assert _reader_children() == 2, "the batch was read by two child processes"
    stop_reader()
    assert [r.document["document"] for r in two] == [name for _, name, _ in batch]
    assert sum(len(r.statistics) for r in one) > 40 and any(r.findings for r in one)
    assert any(r.document["status"] == "rejected" for r in one)
    assert two == one  # documents, statistics (order, stat_ids, every value), national rates, findings


def _tables(db: Path) -> dict[str, list[tuple]]:
    with duckdb.connect(str(db), read_only=True) as con:
        return {
            "documents": con.execute("SELECT * EXCLUDE (loaded_at) FROM documents ORDER BY document").fetchall(),
            "appeal_stats": con.execute("SELECT * FROM appeal_stats ORDER BY stat_id").fetchall(),
            "reported_national_rates": con.execute("SELECT * FROM reported_national_rates ORDER BY ALL").fetchall(),
            "findings": con.execute("SELECT * EXCLUDE (run_id, checked_at) FROM all_findings ORDER BY ALL").fetchall(),
        }


@pytest.mark.slow
def test_streaming_flow_on_two_cores_loads_the_rows_of_one(tmp_path):
    """Four batches, so the flow streams; one reader against two, table by table."""
    from flows.pipeline import nightly

    folder = _corpus(tmp_path / "in", 40)
    dbs = {}
    for readers in (1, 2):
        settings = Settings(input_dir=folder, db_path=tmp_path / f"r{readers}.duckdb", out_dir=tmp_path / f"o{readers}",
                            reader_processes=readers, batch_size=12)
        summary = nightly(settings)
        assert summary.documents_read == len(input_files(folder))
        dbs[readers] = _tables(settings.db_path)
    assert len(dbs[1]["appeal_stats"]) > 40 and dbs[1]["findings"]
    for table in dbs[1]:
        assert dbs[2][table] == dbs[1][table], table
