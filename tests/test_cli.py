"""The CLI: help on every command, one clear line and a non-zero exit on errors."""

from __future__ import annotations

import pytest

from flows.cli import main


@pytest.mark.parametrize("argv", [["--help"], ["run", "--help"], ["report", "--help"], ["sql", "--help"]])
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
