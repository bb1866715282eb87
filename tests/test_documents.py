"""Every file is accounted for and none can stop the others: real files on disk, no Prefect."""

from __future__ import annotations

import os
import shutil
import time
from datetime import datetime

import pytest

from flows.documents import fingerprint, input_files, plan_run, process_file
from flows.settings import Settings
from tests.expected import SAMPLES
from tests.formats import pdf_bomb

GOOD = "000_03d8cac4ca15eb82.txt"
NOW = datetime(2024, 1, 1)


def _plan(folder, known, rebuild=False):
    files = input_files(folder)
    return plan_run(files, {name: fingerprint(path) for path, name in files}, known, rebuild=rebuild)


def _record(result):
    doc = result.document
    return doc["sha256"], doc["status"], doc["reason"]


def test_same_bytes_under_two_names_are_read_once_and_the_copy_is_recorded(tmp_path):
    shutil.copy(SAMPLES / GOOD, tmp_path / "Referat.txt")
    shutil.copy(SAMPLES / GOOD, tmp_path / "Referat (1).txt")
    plan = _plan(tmp_path, {})
    assert [name for _, name, _ in plan.read] == ["Referat.txt"]  # none loaded yet: the shorter name
    sha, first = plan.duplicates["Referat (1).txt"]
    assert first == "Referat.txt" and sha == fingerprint(tmp_path / "Referat.txt")
    # Next night nothing changed: nothing is read or written again.
    known = {"Referat.txt": (sha, "ok", None), "Referat (1).txt": (sha, "duplicate", "same bytes as Referat.txt")}
    plan = _plan(tmp_path, known)
    assert plan.read == [] and plan.duplicates == {} and plan.unchanged == 2
    # The first copy is deleted: the other one is read now, so its statistics stay in the database.
    (tmp_path / "Referat.txt").unlink()
    assert [name for _, name, _ in _plan(tmp_path, known).read] == ["Referat (1).txt"]


def test_the_copy_already_loaded_stays_the_one_read(tmp_path):
    shutil.copy(SAMPLES / GOOD, tmp_path / "long name.txt")
    sha = fingerprint(tmp_path / "long name.txt")
    shutil.copy(SAMPLES / GOOD, tmp_path / "a.txt")  # a copy appears later, with a shorter name
    plan = _plan(tmp_path, {"long name.txt": (sha, "ok", None)})
    assert plan.read == [] and plan.duplicates == {"a.txt": (sha, "long name.txt")}


def test_statistics_of_two_names_with_the_same_bytes_have_different_ids(tmp_path):
    shutil.copy(SAMPLES / GOOD, tmp_path / "old name.txt")
    shutil.copy(SAMPLES / GOOD, tmp_path / "new name.txt")
    ids = [{row["stat_id"] for row in process_file(tmp_path / n, n, Settings(), NOW).statistics}
           for n in ("old name.txt", "new name.txt")]
    assert ids[0] and ids[1] and not ids[0] & ids[1]


def _reason(tmp_path, name):
    result = process_file(tmp_path / name, name, Settings(), NOW)
    assert result.document["status"] == "rejected" and result.statistics == []
    return result.document["reason"]


def test_a_file_that_fails_on_read_is_rejected_with_the_reason(tmp_path):
    # Reading /proc/self/mem from offset 0 fails with EIO, as a bad disk or a dropped network share does
    # (tests run as root, where chmod 000 does not stop a read; test_reliability drops the capability).
    (tmp_path / "eio.txt").symlink_to("/proc/self/mem")
    assert fingerprint(tmp_path / "eio.txt") is None
    assert _reason(tmp_path, "eio.txt") == "cannot read the file: Input/output error"


def test_fifo_and_dangling_link_are_listed_and_rejected_without_blocking(tmp_path):
    os.mkfifo(tmp_path / "pipe.txt")  # opening it would block for ever
    (tmp_path / "gone.txt").symlink_to(tmp_path / "nowhere.txt")
    assert [name for _, name in input_files(tmp_path)] == ["gone.txt", "pipe.txt"]
    assert "not a regular file" in _reason(tmp_path, "pipe.txt")
    assert "dangling symbolic link" in _reason(tmp_path, "gone.txt")
    plan = _plan(tmp_path, {})
    assert len(plan.read) == 2, "unreadable files are tried (and rejected) every run"


@pytest.mark.parametrize("limit_bytes", [10])
def test_too_large_file_keeps_its_hash_so_it_is_not_read_again(tmp_path, limit_bytes):
    shutil.copy(SAMPLES / GOOD, tmp_path / GOOD)
    result = process_file(tmp_path / GOOD, GOOD, Settings(max_file_bytes=limit_bytes), NOW)
    assert result.document["status"] == "rejected" and "too large" in result.document["reason"]
    assert result.document["sha256"] == fingerprint(tmp_path / GOOD)


def test_pdf_bomb_over_the_memory_cap_is_rejected_in_a_moment(tmp_path):
    # A stream inflating to 256 MiB took ~25 s and ~6 GB in this process; the child capped at 512 MiB dies.
    (tmp_path / "bomb.pdf").write_bytes(pdf_bomb(256))
    started = time.monotonic()
    result = process_file(tmp_path / "bomb.pdf", "bomb.pdf", Settings(max_memory_bytes=512 * 2**20), NOW)
    assert time.monotonic() - started < 10
    assert result.document["status"] == "rejected"
    assert "512 MiB memory limit" in result.document["reason"]
    assert result.document["sha256"] == fingerprint(tmp_path / "bomb.pdf"), "recorded: not read again"
    # The next document gets a fresh reader.
    shutil.copy(SAMPLES / GOOD, tmp_path / GOOD)
    assert process_file(tmp_path / GOOD, GOOD, Settings(), NOW).document["status"] == "ok"


def test_pdfium_busy_past_the_time_limit_is_killed(tmp_path):
    # SIGALRM could not interrupt PDFium; the child is killed from outside.
    (tmp_path / "slow.pdf").write_bytes(pdf_bomb(64))  # some 6 s of PDFium
    started = time.monotonic()
    result = process_file(tmp_path / "slow.pdf", "slow.pdf",
                          Settings(seconds_per_document=1, max_memory_bytes=8 * 2**30), NOW)
    assert time.monotonic() - started < 4
    assert result.document["reason"] == "took longer than the 1 s limit per document"


def test_rows_read_in_the_child_are_those_read_in_this_process(tmp_path):
    from extract.document import extract_document
    from extract.readers import read_document

    for path in sorted(SAMPLES.iterdir()):
        result = process_file(path, path.name, Settings(), NOW)
        doc = read_document(path.name, path.read_bytes())
        extraction = extract_document(path.name, doc)
        assert [row["quote"] for row in result.statistics] == [s.quote for s in extraction.statistics]
        assert result.document["municipality"] == extraction.meta.municipality
