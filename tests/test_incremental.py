"""Nightly operation: unchanged documents are not read again, changed ones replace their rows, gone ones
are marked missing (or forgotten with --prune), and Dask gives the same rows as a local run."""

from __future__ import annotations

import shutil

import duckdb
import pytest

from flows.cli import main
from tests.expected import SAMPLES
from tests.formats import pdf_bomb

pytestmark = pytest.mark.slow
TABLES = ("documents", "core_statistics", "reported_national_rates")


def _rows(db, sql):
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute(sql).fetchall()


def _run(folder, db, out, *extra):
    return main(["run", "--input", str(folder), "--db", str(db), "--out", str(out), *extra])


def test_changed_file_replaces_its_rows_and_gone_file_is_marked(tmp_path, capsys):
    folder, db, out = tmp_path / "in", tmp_path / "x.duckdb", tmp_path / "out"
    shutil.copytree(SAMPLES, folder)
    assert _run(folder, db, out) == 0
    capsys.readouterr()
    changed = folder / "000_03d8cac4ca15eb82.txt"
    changed.write_text(changed.read_text(encoding="utf-8").replace("30 procent", "31 procent"), encoding="utf-8")
    (folder / "004_d675881337821316.txt").unlink()
    assert _run(folder, db, out) == 0
    printed = capsys.readouterr().out
    assert "4 found, 1 read, 3 unchanged" in printed
    assert _rows(db, "SELECT reported_rate_pct FROM appeal_stats WHERE municipality = 'Rødovre' "
                     "AND period = '2021'") == [(31.0,)]
    assert _rows(db, "SELECT document FROM documents WHERE is_missing") == [("004_d675881337821316.txt",)]
    assert len(_rows(db, "SELECT * FROM documents")) == 5
    assert _run(folder, db, out, "--prune") == 0
    assert len(_rows(db, "SELECT * FROM documents")) == 4
    assert _rows(db, "SELECT count(*) FROM documents WHERE is_missing") == [(0,)]


def test_dask_two_workers_gives_the_same_rows_as_local(tmp_path, capsys):
    local_db, dask_db = tmp_path / "local.duckdb", tmp_path / "dask.duckdb"
    folder = tmp_path / "in"
    shutil.copytree(SAMPLES, folder)
    (folder / "bomb.pdf").write_bytes(pdf_bomb(256))  # the memory cap holds on Dask workers too
    limit = ("--max-memory-mb", "512")
    assert _run(folder, local_db, tmp_path / "out1", *limit) == 0
    capsys.readouterr()
    assert _run(folder, dask_db, tmp_path / "out2", *limit, "--task-runner", "dask", "--workers", "2") == 0
    assert "dask (local cluster, 2 workers)" in capsys.readouterr().out
    for db in (local_db, dask_db):
        [(status, reason)] = _rows(db, "SELECT status, reason FROM documents WHERE document = 'bomb.pdf'")
        assert status == "rejected" and "512 MiB memory limit" in reason
    for table in TABLES:
        columns = "* EXCLUDE (loaded_at)" if table == "documents" else "*"
        assert _rows(local_db, f"SELECT {columns} FROM {table} ORDER BY ALL") == \
            _rows(dask_db, f"SELECT {columns} FROM {table} ORDER BY ALL"), table
