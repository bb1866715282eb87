"""The CLI: help on every command, one clear line and a non-zero exit on errors."""

from __future__ import annotations

import pytest

from flows.cli import main


@pytest.mark.parametrize("argv", [["--help"], ["run", "--help"], ["serve", "--help"], ["report", "--help"],
                                  ["sql", "--help"]])
def test_help_on_every_command(argv, capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(argv)
    assert exit_info.value.code == 0
    assert "usage: ankestat" in capsys.readouterr().out


def test_missing_input_folder_is_one_clear_line(tmp_path, capsys):
    code = main(["run", "--input", str(tmp_path / "nowhere"), "--db", str(tmp_path / "x.duckdb")])
    err = capsys.readouterr().err.strip().splitlines()
    assert code == 1
    assert err == [f"ankestat: error: input folder {tmp_path / 'nowhere'} does not exist"]


# --- checked before Prefect is imported: a wrong folder or file is one line at once ---------------------------

_WHAT_WAS_IMPORTED = r"""
import sys
from flows.cli import main
code = main(sys.argv[1:])
heavy = sorted(m for m in ("prefect", "pandas", "duckdb", "great_expectations") if m in sys.modules)
print(f"exit {code}; imported: {heavy}")
"""


@pytest.mark.parametrize("case", ["missing folder", "missing reference", "empty folder with --strict"])
def test_a_run_that_cannot_start_says_so_before_importing_prefect(tmp_path, case):
    import os
    import subprocess
    import sys

    from tests.expected import ROOT, SAMPLES

    empty = tmp_path / "empty"
    (empty / "sub").mkdir(parents=True)
    (empty / ".DS_Store").write_bytes(b"")  # hidden files are not documents
    argv, says = {
        "missing folder": (["--input", str(tmp_path / "nowhere")],
                           f"input folder {tmp_path / 'nowhere'} does not exist"),
        "missing reference": (["--input", str(SAMPLES), "--reference", str(tmp_path / "none.csv")],
                              f"reference rates {tmp_path / 'none.csv'} do not exist (--reference)"),
        "empty folder with --strict": (["--input", str(empty), "--strict"],
                                       f"input folder {empty} holds no documents (--strict)"),
    }[case]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env.pop("PREFECT_API_URL", None)
    done = subprocess.run([sys.executable, "-c", _WHAT_WAS_IMPORTED, "run", *argv, "--db", str(tmp_path / "x.duckdb"),
                           "--out", str(tmp_path / "out")], cwd=tmp_path, env=env, capture_output=True, text=True,
                          timeout=120)
    assert done.stdout.splitlines()[-1] == "exit 1; imported: []", done.stdout + done.stderr
    assert done.stderr == f"ankestat: error: {says}\n"
    assert not (tmp_path / "x.duckdb").exists()


def test_an_empty_folder_without_strict_is_a_run_like_any_other(tmp_path):
    from flows.preflight import check_run
    from flows.settings import Settings

    check_run(Settings(input_dir=tmp_path))  # no error: the run records that nothing is there


def test_the_official_rates_ship_inside_the_package():
    from flows.settings import OFFICIAL_RATES, Settings

    assert Settings().reference_csv == OFFICIAL_RATES
    assert OFFICIAL_RATES.is_absolute() and OFFICIAL_RATES.is_file()
    assert OFFICIAL_RATES.read_text(encoding="utf-8").startswith("period,scope,area_label,national_rate_pct")


@pytest.mark.parametrize("argv, message", [
    (["--workers", "0"], "argument --workers: must be at least 1, not 0"),
    (["--max-file-mb", "-1"], "argument --max-file-mb: must be more than 0, not -1"),
    (["--seconds-per-document", "nan"], "argument --seconds-per-document: must be more than 0, not nan"),
    (["--max-pages", "many"], "argument --max-pages: invalid int value: 'many'"),
])
def test_limits_out_of_range_are_refused_by_the_parser(argv, message, capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["run", *argv])
    assert exit_info.value.code == 2
    assert capsys.readouterr().err.strip().splitlines()[-1].endswith(message)


# --- serve takes the options of run ----------------------------------------------------------------------------

def test_serve_takes_every_option_of_run():
    from flows.cli import build_parser

    commands = next(a for a in build_parser()._actions if a.dest == "command").choices
    options = {name: {o for a in commands[name]._actions for o in a.option_strings} for name in ("run", "serve")}
    assert options["run"] - options["serve"] == {"--verbose"}
    assert options["serve"] - options["run"] == {"--cron", "--timezone"}


def test_serve_builds_the_same_settings_as_run():
    from flows.cli import _settings, build_parser

    options = ["--input", "in", "--db", "a.duckdb", "--reference", "r.csv", "--strict", "--prune", "--max-pages",
               "7", "--max-file-mb", "2", "--task-runner", "dask", "--workers", "3", "--lock-wait", "0"]
    run = build_parser().parse_args(["run", *options])
    serve = build_parser().parse_args(["serve", "--cron", "0 3 * * *", *options])
    assert _settings(serve) == _settings(run)
    assert (_settings(serve).max_pages, _settings(serve).max_file_bytes, _settings(serve).workers) == (7, 2**21, 3)
    assert (serve.cron, serve.timezone) == ("0 3 * * *", "Europe/Copenhagen")


def test_serve_refuses_an_unknown_time_zone(capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["serve", "--timezone", "Europe/Kobenhavn"])
    assert exit_info.value.code == 2
    assert "unknown time zone 'Europe/Kobenhavn'" in capsys.readouterr().err


def test_serve_without_a_prefect_server_is_one_clear_line(monkeypatch, capsys):
    monkeypatch.delenv("PREFECT_API_URL", raising=False)
    assert main(["serve"]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "serve needs a running Prefect server" in err[0]


def test_settings_travel_as_deployment_parameters():
    import json
    from pathlib import Path

    from flows.settings import Settings

    settings = Settings(input_dir=Path("/srv/minutes"), strict=True, max_pages=7, task_runner="dask", workers=3)
    parameters = json.loads(json.dumps(settings.to_parameters()))  # what the API stores
    assert parameters["input_dir"] == "/srv/minutes" and parameters["dask_address"] is None
    assert Settings.from_parameters(parameters) == settings
    with pytest.raises(TypeError):
        Settings.from_parameters({**parameters, "max_page": 7})  # a misspelt name is an error


def test_sql_without_database_is_one_clear_line(tmp_path, capsys):
    code = main(["sql", "select 1", "--db", str(tmp_path / "none.duckdb")])
    err = capsys.readouterr().err.strip().splitlines()
    assert code == 1 and len(err) == 1 and "run 'ankestat run' first" in err[0]


def test_report_without_database_is_one_clear_line(tmp_path, capsys):
    code = main(["report", "--db", str(tmp_path / "none.duckdb"), "--out", str(tmp_path / "out")])
    assert code == 1
    assert "run 'ankestat run' first" in capsys.readouterr().err


def test_unknown_command_exits_non_zero(capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["frobnicate"])
    assert exit_info.value.code == 2


# --- the read-only SQL shell is a sandbox: the database and nothing else --------------------------------

@pytest.fixture
def small_db(tmp_path):
    import duckdb

    path = tmp_path / "a.duckdb"
    with duckdb.connect(str(path)) as con:
        con.execute("CREATE TABLE t AS SELECT 1 AS x, NULL::INTEGER AS y")
    return path


def _sql(db, statement, capsys, *extra):
    code = main(["sql", statement, "--db", str(db), *extra])
    captured = capsys.readouterr()
    return code, captured.out, captured.err.strip().splitlines()


def test_sql_reads_the_database_and_prints_null(small_db, capsys):
    code, out, err = _sql(small_db, "SELECT x, y FROM t", capsys)
    assert code == 0 and err == []
    assert "NULL" in out and "<NA>" not in out and "NaN" not in out


@pytest.mark.parametrize("statement", [
    "SELECT content FROM read_text('/etc/passwd')",
    "SELECT * FROM read_csv('/etc/passwd')",
    "ATTACH '{tmp}/other.duckdb' AS other",
    "SET enable_external_access = true",
    "INSTALL httpfs",
    "LOAD httpfs",
])
def test_sql_refuses_anything_outside_the_database(small_db, capsys, statement):
    code, out, err = _sql(small_db, statement.format(tmp=small_db.parent), capsys)
    assert code == 1 and len(err) == 1 and err[0].startswith("ankestat: error:"), err
    assert "root:" not in out
    assert not (small_db.parent / "other.duckdb").exists()


@pytest.mark.parametrize("target", ["evil.sh", "a.duckdb"])
def test_sql_cannot_write_files_or_overwrite_the_database(small_db, capsys, target):
    path = small_db.parent / target
    before = path.read_bytes() if path.exists() else None
    code, _, err = _sql(small_db, f"COPY (SELECT 'garbage') TO '{path}'", capsys)
    assert code == 1 and len(err) == 1
    assert (path.read_bytes() if path.exists() else None) == before
    code, out, _ = _sql(small_db, "SELECT x FROM t", capsys)  # the database still opens
    assert code == 0 and "1" in out


def test_sql_refuses_writes_to_the_database(small_db, capsys):
    code, _, err = _sql(small_db, "DELETE FROM t", capsys)
    assert code == 1 and len(err) == 1 and "read-only" in err[0]


@pytest.mark.parametrize("statement, says", [
    ("SELECT 1; SELECT 2", "exactly one statement"),
    ("SELECT 1; COPY (SELECT 1) TO 'x.csv'", "exactly one statement"),
    ("   ", "empty"),
])
def test_sql_takes_exactly_one_statement(small_db, capsys, statement, says):
    code, _, err = _sql(small_db, statement, capsys)
    assert code == 1 and len(err) == 1 and says in err[0]


@pytest.mark.parametrize("fmt, expected", [("csv", "x,y\n1,NULL\n"), ("json", '[{"x":1,"y":null}]\n')])
def test_sql_output_formats(small_db, capsys, fmt, expected):
    code, out, _ = _sql(small_db, "SELECT x, y FROM t", capsys, "--format", fmt)
    assert code == 0 and out == expected


# --- errors say what is true, in one line ------------------------------------------------------------------

def test_version(capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["--version"])
    assert exit_info.value.code == 0
    assert capsys.readouterr().out.strip() == "ankestat 0.1.0"


def test_names_are_printed_escaped():
    from flows.summary import shown

    forged = "a.txt\n  rejected b.txt: \x1b[2Jforged"
    assert shown(forged) == "a.txt\\n  rejected b.txt: \\x1b[2Jforged"
    assert shown("Rødovre – referat.pdf") == "Rødovre – referat.pdf"


def test_report_takes_the_run_lock_and_names_the_holder(small_db, tmp_path, capsys):
    from flows.limits import run_lock

    with run_lock(small_db, wait_seconds=0):  # as a run holds it
        code = main(["report", "--db", str(small_db), "--out", str(tmp_path / "out")])
    err = capsys.readouterr().err.strip().splitlines()
    assert code == 1 and len(err) == 1 and "another ankestat run (pid" in err[0], err


def test_a_run_on_a_database_held_by_an_open_sql_shell_says_so(small_db, tmp_path, capsys):
    import os
    import subprocess
    import sys
    import time

    import duckdb

    from tests.expected import ROOT, SAMPLES

    long_query = "SELECT sum(hash(i)) FROM range(100000000000) t(i)"
    shell = subprocess.Popen([sys.executable, "-m", "flows.cli", "sql", long_query, "--db", str(small_db)],
                             cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)},
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:  # until the shell holds the file
            try:
                duckdb.connect(str(small_db)).close()
                time.sleep(0.2)
            except duckdb.IOException:
                break
        code = main(["run", "--input", str(SAMPLES), "--db", str(small_db), "--out", str(tmp_path / "out"),
                     "--lock-wait", "1"])
    finally:
        shell.kill()
        shell.wait()
    err = capsys.readouterr().err.strip().splitlines()
    assert code == 1 and len(err) == 1, err
    assert "in use by an open `ankestat sql` (pid" in err[0], err


def test_the_command_passes_the_runs_output_and_exit_code_through_untouched(tmp_path):
    """`ankestat run` without PREFECT_API_URL works in a supervised child (flows/supervise.py): its one-line
    error and exit code are the command's, as they were."""
    import os
    import subprocess
    import sys

    from tests.expected import ROOT

    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env.pop("PREFECT_API_URL", None)
    done = subprocess.run([sys.executable, "-m", "flows.cli", "run", "--input", str(tmp_path / "nowhere"),
                           "--db", str(tmp_path / "x.duckdb"), "--out", str(tmp_path / "out")],
                          cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120)
    assert (done.returncode, done.stdout) == (1, "")
    assert done.stderr == f"ankestat: error: input folder {tmp_path / 'nowhere'} does not exist\n"


def test_an_interrupted_command_ends_with_130_even_run_as_python_m(tmp_path):
    """Ctrl-C is answered with one line and exit code 130. CPython 3.11 run as `python -m` (as the supervisor
    starts a run) ended by SIGINT instead when the interrupt had passed through an exec of text, as it does
    in the middle of an import (dataclasses, pydantic): that made a reliability test fail one time in ten."""
    import os
    import subprocess
    import sys

    from tests.expected import ROOT

    (tmp_path / "interrupted_sql.py").write_text(
        "import sys\n"
        "import flows.cli as cli\n"
        "def _sql(args):\n"
        "    exec('raise KeyboardInterrupt')  # where a Ctrl-C during an import lands\n"
        "cli._sql = _sql\n"
        "sys.exit(cli.entry())\n", encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), str(tmp_path)])}
    done = subprocess.run([sys.executable, "-m", "interrupted_sql", "sql", "SELECT 1"], cwd=tmp_path, env=env,
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 130, done.returncode
    assert done.stderr == "ankestat: interrupted; nothing was changed\n"


def test_only_a_folder_with_files_the_database_does_not_know_counts_as_new(tmp_path):
    """What decides whether a run imports Great Expectations and the report's drawing while the temporary
    server boots: an unchanged or empty folder must not pay for imports it does not need."""
    import duckdb

    from flows import db
    from flows.cli import _has_new_files

    folder = tmp_path / "in"
    folder.mkdir()
    with duckdb.connect(str(tmp_path / "new.duckdb")) as con:  # a new database: no tables yet
        assert not _has_new_files(con, folder)
        (folder / "a.txt").write_text("Ankestyrelsen", encoding="utf-8")
        assert _has_new_files(con, folder)
        db.apply_schema(con)
        con.execute("INSERT INTO documents (document, sha256, status, n_statistics, loaded_at) "
                    "VALUES ('a.txt', 'x', 'ok', 0, now())")
        assert not _has_new_files(con, folder)
        (folder / "b.txt").write_text("Ankestyrelsen", encoding="utf-8")
        assert _has_new_files(con, folder)
