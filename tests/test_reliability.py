"""Bad input loses nothing: broken files are rejected with a reason, runs cannot interleave, and a run
killed halfway leaves the database as it was."""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

from flows.cli import main
from flows.limits import run_lock
from tests.expected import ROOT, SAMPLES
from tests.formats import pdf_bomb

pytestmark = pytest.mark.slow
GOOD = "002_d6347c3e8119a208.txt"


def _broken_folder(folder):
    folder.mkdir()
    shutil.copy(SAMPLES / GOOD, folder / GOOD)
    (folder / "empty.txt").write_bytes(b"")
    (folder / "junk.txt").write_bytes(bytes(range(256)) * 40)
    (folder / "fake.pdf").write_text("Ankestyrelsen stadfæstede 10 sager", encoding="utf-8")
    (folder / "truncated.pdf").write_bytes(b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendo")
    (folder / "picture.png").write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 64)
    (folder / "notes.docx").write_text("not a zip", encoding="utf-8")
    (folder / "huge.txt").write_text("Ankestyrelsen " * 200_000, encoding="utf-8")  # about 2.8 MB
    return folder


def _documents(db):
    with duckdb.connect(str(db), read_only=True) as con:
        return {row[0]: row[1:] for row in con.execute("SELECT document, status, reason FROM documents").fetchall()}


def test_broken_files_are_rejected_with_reasons_and_the_run_goes_on(tmp_path, capsys):
    folder = _broken_folder(tmp_path / "in")
    db = tmp_path / "x.duckdb"
    args = ["run", "--input", str(folder), "--db", str(db), "--out", str(tmp_path / "out"), "--max-file-mb", "1"]
    assert main(args) == 0
    docs = _documents(db)
    assert set(docs) == {p.name for p in folder.iterdir()}, "every file gets a documents row"
    assert docs[GOOD][0] == "ok"
    rejected = {name: reason for name, (status, reason) in docs.items() if status == "rejected"}
    assert set(rejected) == set(docs) - {GOOD}
    assert all(reason for reason in rejected.values())
    assert "too large" in rejected["huge.txt"]
    assert "unsupported" in rejected["picture.png"]
    assert "empty" in rejected["empty.txt"]
    summary = capsys.readouterr().out
    assert "7 documents rejected" in summary
    assert main(args + ["--strict"]) == 3


def test_second_run_waits_then_gives_up_with_one_line(tmp_path, capsys):
    db = tmp_path / "x.duckdb"
    with run_lock(db, wait_seconds=0):
        code = main(["run", "--input", str(SAMPLES), "--db", str(db), "--out", str(tmp_path / "out"),
                     "--lock-wait", "1"])
    err = capsys.readouterr().err.strip().splitlines()
    assert code == 1
    assert len(err) == 1 and "another ankestat run" in err[0]


def test_killed_run_leaves_database_as_it_was(tmp_path):
    """SIGKILL to the `ankestat run` process alone (not its group): the database is as it was, and nothing
    the run started outlives it: not Prefect's temporary server, not the reader child."""
    db, out = tmp_path / "x.duckdb", tmp_path / "out"
    assert main(["run", "--input", str(SAMPLES), "--db", str(db), "--out", str(out)]) == 0
    before = _snapshot(db)
    folder = tmp_path / "many"
    folder.mkdir()
    text = (SAMPLES / "000_03d8cac4ca15eb82.txt").read_text(encoding="utf-8")
    for i in range(2500):  # enough work that the kill lands before the run commits (two readers: ~9 s)
        (folder / f"copy_{i:04}.txt").write_text(text.replace("226", str(300 + i)), encoding="utf-8")
    with _run_in_session(["run", "--input", str(folder), "--db", str(db), "--out", str(out)]) as process:
        server = _wait_for_prefect_server(process)
        time.sleep(max(0.0, 12 - (time.monotonic() - process.started)))
        still_running = process.poll() is None
        process.send_signal(signal.SIGKILL)  # the command's own process only
        process.wait()
        left = _members_after(process.pid, seconds=10)
    assert still_running, "the run ended before it could be killed; give it more work"
    assert server and not left, f"outlived the killed run: {left}"
    assert _snapshot(db) == before


@pytest.mark.parametrize("how", [signal.SIGTERM, signal.SIGINT])
def test_a_terminated_or_interrupted_run_takes_its_prefect_server_with_it(tmp_path, how):
    db, out = tmp_path / "x.duckdb", tmp_path / "out"
    with _run_in_session(["run", "--input", str(SAMPLES), "--db", str(db), "--out", str(out)],
                         stderr=subprocess.PIPE) as process:
        server = _wait_for_prefect_server(process)
        _wait_for_file(db, process)  # the server starts beside the run: wait until the run is under way too
        process.send_signal(how)
        _, err = process.communicate(timeout=60)
        left = _members_after(process.pid, seconds=10)
    assert server and not left, f"outlived the run: {left}"
    if how == signal.SIGTERM:
        assert process.returncode == -signal.SIGTERM  # ended by the signal, as before
    else:  # Ctrl-C: passed on to the run, which says what is true
        assert process.returncode == 130, err.decode()
        assert err.decode().splitlines() == ["ankestat: interrupted; the database is as it was before this run"]
    with duckdb.connect(str(db), read_only=True) as con:  # as before the run: nothing loaded
        tables = {t for (t,) in con.execute("SELECT table_name FROM information_schema.tables").fetchall()}
        assert "core_statistics" not in tables or not con.execute("SELECT * FROM core_statistics").fetchall()


def test_ctrl_z_stops_the_whole_run_and_fg_continues_it(tmp_path):
    """Ctrl-Z (SIGTSTP) reaches only the supervisor, which stops the run's group with it; SIGCONT (fg/bg)
    continues both, and the run completes."""
    db, out = tmp_path / "x.duckdb", tmp_path / "out"
    with _run_in_session(["run", "--input", str(SAMPLES), "--db", str(db), "--out", str(out)]) as process:
        _wait_for_prefect_server(process)
        process.send_signal(signal.SIGTSTP)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and not _all_stopped(process.pid):
            time.sleep(0.1)
        assert _all_stopped(process.pid), _states(process.pid)
        process.send_signal(signal.SIGCONT)
        assert process.wait(timeout=180) == 0
    with duckdb.connect(str(db), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM appeal_stats").fetchone()[0] > 0


def _states(sid: int) -> dict[int, str]:
    states = {}
    for pid, _ in _session_members(sid):
        with contextlib.suppress(OSError):
            stat = Path(f"/proc/{pid}/stat").read_text()
            states[pid] = stat[stat.rindex(")") + 2]
    return states


def _all_stopped(sid: int) -> bool:
    states = _states(sid)
    return bool(states) and all(state == "T" for state in states.values())


@contextlib.contextmanager
def _run_in_session(args, stderr=subprocess.DEVNULL):
    """``ankestat <args>`` as a subprocess in a session of its own, with no PREFECT_API_URL (so Prefect starts
    its temporary server). Every process the run starts is in that session; whatever the test leaves is
    killed at the end, so a failing test leaves nothing behind either."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env.pop("PREFECT_API_URL", None)
    process = subprocess.Popen([sys.executable, "-m", "flows.cli", *args], cwd=ROOT, env=env,
                               stdout=subprocess.DEVNULL, stderr=stderr, start_new_session=True)
    process.started = time.monotonic()
    try:
        yield process
    finally:
        for pid, _ in _session_members(process.pid):
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        if process.poll() is None:
            process.kill()
        process.wait()


def _session_members(sid: int) -> list[tuple[int, str]]:
    """The live processes (zombies excluded) of session ``sid``, with their command lines, from /proc."""
    members = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        state, _ppid, _pgrp, session = stat[stat.rindex(")") + 2:].split()[:4]
        if int(session) == sid and state != "Z":
            members.append((int(entry.name), cmdline.strip()))
    return members


def _wait_for_prefect_server(process, seconds: float = 120) -> list[tuple[int, str]]:
    """Wait until the run's temporary Prefect server (uvicorn) is running; its processes."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and process.poll() is None:
        server = [m for m in _session_members(process.pid) if "uvicorn" in m[1] and "prefect" in m[1]]
        if server:
            return server
        time.sleep(0.1)
    raise AssertionError("the run's temporary Prefect server never showed up")


def _wait_for_file(path: Path, process, seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    while not path.exists() and time.monotonic() < deadline and process.poll() is None:
        time.sleep(0.1)
    assert path.exists(), f"{path} never showed up"


def _members_after(sid: int, seconds: float) -> list[tuple[int, str]]:
    """The processes of session ``sid`` still alive after up to ``seconds``."""
    deadline = time.monotonic() + seconds
    while (left := _session_members(sid)) and time.monotonic() < deadline:
        time.sleep(0.1)
    return left


def _snapshot(db, wait_seconds: float = 10.0):
    """The tables, once the database can be opened. A killed run holds DuckDB's lock during its whole load
    phase; the kernel drops it when the last thread of the killed process is gone, which can be a moment
    after its main thread shows as a zombie (a next run would wait for it the same way, --lock-wait)."""
    deadline = time.monotonic() + wait_seconds
    while True:
        try:
            con = duckdb.connect(str(db), read_only=True)
            break
        except duckdb.IOException as error:
            if "lock" not in str(error).lower() or time.monotonic() > deadline:
                raise
            time.sleep(0.1)
    with con:
        return {t: con.execute(f"SELECT * FROM {t} ORDER BY ALL").fetchall()
                for t in ("documents", "core_statistics", "reported_national_rates")}


def test_document_over_the_time_limit_is_rejected_and_the_run_goes_on(tmp_path):
    db = tmp_path / "x.duckdb"
    args = ["run", "--input", str(SAMPLES), "--db", str(db), "--out", str(tmp_path / "out"),
            "--seconds-per-document", "0.000001"]
    assert main(args) == 0
    docs = _documents(db)
    assert len(docs) == 5
    assert all(status == "rejected" and "limit per document" in reason for status, reason in docs.values())


def test_same_bytes_under_two_names_or_a_renamed_file_do_not_stop_the_load(tmp_path, capsys):
    folder, db, out = tmp_path / "in", tmp_path / "x.duckdb", tmp_path / "out"
    shutil.copytree(SAMPLES, folder)
    shutil.copy(SAMPLES / GOOD, folder / "002_d6347c3e8119a208 (1).txt")  # the same bytes under a second name
    args = ["run", "--input", str(folder), "--db", str(db), "--out", str(out)]
    assert main(args) == 0
    docs = _documents(db)
    assert docs["002_d6347c3e8119a208 (1).txt"] == ("duplicate", f"same bytes as {GOOD}")
    assert _count(db) == 15, "the copy adds no second set of rows"
    assert "1 byte-identical copies" in capsys.readouterr().out
    # A file renamed before --prune: its old name keeps its rows (marked missing), the new name loads its own.
    (folder / "000_03d8cac4ca15eb82.txt").rename(folder / "renamed.txt")
    assert main(args) == 0
    assert _documents(db)["renamed.txt"][0] == "ok"
    assert _count(db, "document = 'renamed.txt'") == _count(db, "document = '000_03d8cac4ca15eb82.txt'") > 0
    assert main(args + ["--prune"]) == 0
    assert _count(db) == 15


def _count(db, where="true"):
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute(f"SELECT count(*) FROM appeal_stats WHERE {where}").fetchone()[0]


def test_a_failed_report_is_redrawn_by_the_next_run_and_the_old_one_stays_whole(tmp_path, capsys):
    folder, db, out = tmp_path / "in", tmp_path / "x.duckdb", tmp_path / "out"
    folder.mkdir()
    shutil.copy(SAMPLES / GOOD, folder / GOOD)
    args = ["run", "--input", str(folder), "--db", str(db), "--out", str(out)]
    assert main(args) == 0
    old_pdf = (out / "ankestat-rapport.pdf").read_bytes()
    capsys.readouterr()
    # The next run's report fails when its files are moved into place (a real OSError: a folder is in the
    # way of one chart), after its data is committed.
    shutil.copy(SAMPLES / "000_03d8cac4ca15eb82.txt", folder)
    blocker = out / "diagrammer" / "roedovre-udvikling.png"
    blocker.mkdir(parents=True)
    assert main(args) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "data of this run is loaded" in err[0] and "next run draws it" in err[0], err
    assert (out / "ankestat-rapport.pdf").read_bytes() == old_pdf, "the old report is left whole"
    assert not list(out.glob(".ankestat-new-*")), "no staging folder left behind"
    # Nothing new to read, but the report is behind the database: the next run draws it.
    blocker.rmdir()
    assert main(args) == 0
    assert (out / "ankestat-rapport.pdf").read_bytes() != old_pdf
    assert (out / "diagrammer" / "roedovre-udvikling.png").is_file()
    # And a run with nothing new and an up-to-date report draws nothing.
    drawn = (out / "ankestat-rapport.pdf").stat().st_mtime_ns
    assert main(args) == 0
    assert (out / "ankestat-rapport.pdf").stat().st_mtime_ns == drawn


def test_done_when_bad_files_beside_the_samples_load_every_good_statistic(tmp_path):
    """The samples plus a byte-identical copy, an unreadable file (chmod 000, run without root's
    CAP_DAC_OVERRIDE so the mode counts), a `$\\foo$` sentence, a NUL byte, UTF-16 without BOM, a PDF bomb and
    a file name with a newline and a terminal escape: exit 0, every good statistic loads, each bad file is
    in documents with its reason, the report is drawn."""
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        pytest.skip("setpriv (util-linux) is needed to drop root's capability to read any file")
    folder, db, out = tmp_path / "in", tmp_path / "x.duckdb", tmp_path / "out"
    shutil.copytree(SAMPLES, folder)
    shutil.copy(SAMPLES / GOOD, folder / "002_d6347c3e8119a208 (1).txt")
    (folder / "locked.txt").write_bytes((SAMPLES / GOOD).read_bytes())
    (folder / "locked.txt").chmod(0)
    rodovre = (SAMPLES / "000_03d8cac4ca15eb82.txt").read_text(encoding="utf-8")
    (folder / "tex.txt").write_text(rodovre.replace("Beskæftigelsesudvalget", r"Udvalget $\foo$", 1)
                                    .replace("226", "227"), encoding="utf-8")
    data = (SAMPLES / "003_a0a4e38bb360a38c.txt").read_bytes()
    (folder / "nul.txt").write_bytes(data[:40] + b"\x00" + data[40:])
    (folder / "utf16.txt").write_bytes((SAMPLES / "004_d675881337821316.txt").read_text("utf-8").encode("utf-16-le"))
    (folder / "bomb.pdf").write_bytes(pdf_bomb(256))
    (folder / "forged\n  rejected x: \x1b[31mred.txt").write_bytes(b"")  # rejected: printed
    drop = "-dac_override,-dac_read_search"
    command = [setpriv, f"--inh-caps={drop}", f"--bounding-set={drop}", sys.executable, "-m", "flows.cli",
               "run", "--input", str(folder), "--db", str(db), "--out", str(out), "--max-memory-mb", "512"]
    done = subprocess.run(command, cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)}, capture_output=True,
                          text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    docs = _documents(db)
    assert set(docs) == {p.name for p in folder.iterdir()}
    assert docs["locked.txt"] == ("rejected", "cannot read the file: Permission denied")
    assert docs["002_d6347c3e8119a208 (1).txt"] == ("duplicate", f"same bytes as {GOOD}")
    assert docs["bomb.pdf"][0] == "rejected" and "memory limit" in docs["bomb.pdf"][1]
    assert docs["nul.txt"][0] == docs["utf16.txt"][0] == docs["tex.txt"][0] == "ok"
    with duckdb.connect(str(db), read_only=True) as con:
        notes = dict(con.execute("SELECT document, notes FROM documents").fetchall())
    assert notes["nul.txt"] == "removed 1 NUL byte"
    assert "no byte-order mark" in notes["utf16.txt"]
    assert _count(db) == 15 + _count(db, "document IN ('tex.txt', 'nul.txt', 'utf16.txt')")
    assert _count(db, "document = 'nul.txt'") == _count(db, "document = '003_a0a4e38bb360a38c.txt'") > 0
    assert (out / "ankestat-rapport.pdf").is_file()
    assert "\x1b" not in done.stdout and "\\x1b[31mred.txt" in done.stdout
    assert not any(line.startswith("  rejected x:") for line in done.stdout.splitlines()), "no forged line"
    assert "UserWarning" not in done.stderr, "no glyph is missing from the report"
    # The bomb's bytes are recorded: the next night reads only the file it could not read.
    again = subprocess.run(command, cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)}, capture_output=True,
                           text=True, timeout=300)
    assert again.returncode == 0, again.stderr
    assert "12 found, 1 read, 11 unchanged" in again.stdout
