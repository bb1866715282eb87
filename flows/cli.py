"""ankestat: the command line. Each command parses flags, builds Settings, calls one flow, and turns
errors into one clear line and a non-zero exit."""

from __future__ import annotations

import argparse
import atexit
import gc
import importlib
import logging
import os
import sys
import threading
import traceback
from contextlib import contextmanager
from dataclasses import replace
from datetime import datetime
from pathlib import Path

from flows.settings import Settings

EXIT_ERROR = 1
EXIT_STRICT = 3
EXIT_INTERRUPTED = 130  # 128 + SIGINT, as a shell reports a command ended by Ctrl-C
LOG_NAME = "ankestat.log"  # in the output folder: tracebacks of failed runs


def _quiet_offline_environment(command: str) -> None:
    """The machine is offline: no telemetry, and give Prefect's temporary server time to start. A running
    Prefect server keeps the runs' logs for its UI, so it gets them from INFO up (served runs inherit this
    environment); the console of `run` stays as quiet as with the temporary server, whose logs no one reads."""
    if "PREFECT_LOGGING_LEVEL" not in os.environ and (command == "serve" or os.environ.get("PREFECT_API_URL")):
        os.environ["PREFECT_LOGGING_LEVEL"] = "INFO"
        if command == "run":
            os.environ.setdefault("PREFECT_LOGGING_HANDLERS_CONSOLE_LEVEL", "WARNING")
    for name, value in {
        "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
        "DO_NOT_TRACK": "1",
        "GX_ANALYTICS_ENABLED": "false",
        "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "120",
        # ankestat uses no Prefect blocks; registering them makes every temporary server start slower
        "PREFECT_API_BLOCKS_REGISTER_ON_START": "false",
        "PREFECT_LOGGING_LEVEL": "WARNING",
    }.items():
        os.environ.setdefault(name, value)


def build_parser() -> argparse.ArgumentParser:
    defaults = Settings()
    parser = argparse.ArgumentParser(
        prog="ankestat",
        description="Ankestyrelsen appeal statistics from municipal minutes: extract, validate, store, report.",
    )
    parser.add_argument("--version", action="version", version=f"ankestat {_version()}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    run = commands.add_parser("run", help="the nightly flow: read, extract, validate, load, report",
                              description="Read a folder of minutes (txt, pdf, html, docx), extract every "
                                          "Ankestyrelsen statistic, validate, load into DuckDB, render reports.")
    _run_arguments(run, defaults)
    _verbose_argument(run)

    serve = commands.add_parser("serve", help="serve the nightly flow on a schedule through a Prefect server",
                                description="Register the nightly flow as a Prefect deployment with a cron "
                                            "schedule and run it when due, with the options of 'run'. Needs a "
                                            "running Prefect server (prefect server start) and PREFECT_API_URL "
                                            "pointing at it.")
    serve.add_argument("--cron", default="0 2 * * *", help="when to run, cron syntax (default: %(default)r)")
    serve.add_argument("--timezone", type=_time_zone, default="Europe/Copenhagen",
                       help="the time zone of --cron, an IANA name (default: %(default)s)")
    _run_arguments(serve, defaults)

    report = commands.add_parser("report", help="re-render the reports from the database",
                                 description="Re-render charts and the PDF report from the database, "
                                             "without reading the minutes again.")
    _db_argument(report, defaults)
    _out_argument(report, defaults)
    _verbose_argument(report)

    sql = commands.add_parser("sql", help="run a read-only SQL query and print the result",
                              description="Run one SQL statement on a read-only connection, e.g. ankestat "
                                          "sql \"SELECT municipality, period, reported_rate_pct FROM appeal_stats\"")
    sql.add_argument("query", help="the SQL statement")
    sql.add_argument("--format", choices=("table", "csv", "json"), default="table",
                     help="how to print the result (default: %(default)s)")
    _db_argument(sql, defaults)
    return parser


def _run_arguments(parser, defaults: Settings) -> None:
    """The options of a run, the same for `run` and `serve`."""
    parser.add_argument("--input", type=Path, default=defaults.input_dir,
                        help="folder of minutes (default: %(default)s)")
    _db_argument(parser, defaults)
    _out_argument(parser, defaults)
    parser.add_argument("--reference", type=Path, default=defaults.reference_csv,
                        help="official national rates CSV (default: the one shipped with ankestat)")
    parser.add_argument("--strict", action="store_true",
                        help="exit non-zero when a document was rejected or a statistic quarantined, or when the "
                             "input folder holds no documents")
    parser.add_argument("--rebuild", action="store_true",
                        help="read every document again, also the unchanged ones (after upgrading ankestat)")
    parser.add_argument("--prune", action="store_true",
                        help="forget documents whose file is gone (default: keep their rows, marked missing)")
    scale = parser.add_argument_group("scale-out")
    scale.add_argument("--task-runner", choices=("local", "dask"), default="local",
                       help="run extraction in this process (local) or on Dask (default: %(default)s)")
    scale.add_argument("--workers", type=_at_least(int, 1), default=defaults.workers,
                       help="workers of the local Dask cluster (default: %(default)s)")
    scale.add_argument("--dask-address", help="use an existing Dask scheduler, e.g. tcp://127.0.0.1:8786")
    limits = parser.add_argument_group("limits (a file over a limit is rejected with that reason)")
    limits.add_argument("--max-file-mb", type=_above_zero, default=defaults.max_file_bytes / 2**20,
                        help="largest file read, in MiB (default: %(default)g)")
    limits.add_argument("--max-pages", type=_at_least(int, 1), default=defaults.max_pages,
                        help="most PDF pages read (default: %(default)s)")
    limits.add_argument("--seconds-per-document", type=_above_zero, default=defaults.seconds_per_document,
                        help="time limit for reading one document (default: %(default)g)")
    limits.add_argument("--max-memory-mb", type=_above_zero, default=defaults.max_memory_bytes / 2**20,
                        help="memory limit of the process reading one document, in MiB (default: %(default)g)")
    limits.add_argument("--lock-wait", type=_at_least(float, 0), default=defaults.lock_wait_seconds,
                        help="seconds to wait for another run on the same database (default: %(default)g)")


def _settings(args) -> Settings:
    return Settings(input_dir=args.input, db_path=args.db, out_dir=args.out,
                    reference_csv=args.reference, strict=args.strict,
                    max_file_bytes=int(args.max_file_mb * 2**20), max_pages=args.max_pages,
                    seconds_per_document=args.seconds_per_document, lock_wait_seconds=args.lock_wait,
                    max_memory_bytes=int(args.max_memory_mb * 2**20),
                    rebuild=args.rebuild, prune=args.prune,
                    task_runner="dask" if (args.task_runner == "dask" or args.dask_address) else "local",
                    workers=args.workers, dask_address=args.dask_address)


def _at_least(kind, minimum):
    def parse(text: str):
        value = kind(text)
        if not value >= minimum:  # also NaN
            raise argparse.ArgumentTypeError(f"must be at least {minimum}, not {text}")
        return value

    parse.__name__ = kind.__name__  # argparse names the type in "invalid int value"
    return parse


def _above_zero(text: str) -> float:
    value = float(text)
    if not value > 0:  # also NaN
        raise argparse.ArgumentTypeError(f"must be more than 0, not {text}")
    return value


_above_zero.__name__ = "float"  # argparse names the type in "invalid float value"


def _time_zone(name: str) -> str:
    from zoneinfo import ZoneInfo

    try:
        ZoneInfo(name)
    except (ValueError, KeyError):  # ZoneInfoNotFoundError is a KeyError; a malformed name a ValueError
        raise argparse.ArgumentTypeError(f"unknown time zone {name!r} (an IANA name, e.g. Europe/Copenhagen)") from None
    return name


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("ankestat")
    except PackageNotFoundError:  # run from a source tree that is not installed
        return "unknown (not installed)"


def _db_argument(parser, defaults: Settings) -> None:
    parser.add_argument("--db", type=Path, default=defaults.db_path, help="DuckDB file (default: %(default)s)")


def _verbose_argument(parser) -> None:
    parser.add_argument("--verbose", action="store_true",
                        help="on failure, print the traceback (otherwise it goes to <out>/ankestat.log)")


def _out_argument(parser, defaults: Settings) -> None:
    parser.add_argument("--out", type=Path, default=defaults.out_dir,
                        help="folder for charts, PDF, Parquet and Data Docs (default: %(default)s)")


def entry() -> int:
    """The `ankestat` command. A run that needs Prefect's temporary API server (no PREFECT_API_URL) and passes
    its checks works in a child process that this one supervises, beside the server this one starts, so that
    the server ends with the run however the run ends (flows/supervise.py); everything else, and the child
    itself, is ``main``."""
    from flows.supervise import WATCH_FD, watch_supervisor

    argv = sys.argv[1:]
    watched = os.environ.pop(WATCH_FD, None)
    if watched is not None:  # this is the supervised child
        watch_supervisor(int(watched))
    code = main(argv, supervise=watched is None and not os.environ.get("PREFECT_API_URL"))
    # The command is done and has closed what it wrote. Collecting the cycles among the objects of ~2000 modules
    # (Prefect, pandas, matplotlib) as the interpreter ends took 0.5-1.5 s, a third of a re-run against a running
    # Prefect server; frozen, they are left to the operating system. Not in main: tests call it many times.
    gc.freeze()
    if code == EXIT_INTERRUPTED:
        _end_interrupted(code)
    return code


def _end_interrupted(code: int) -> None:
    """End now with ``code``, exit handlers run. Run as ``python -m`` (as the supervisor starts a run), CPython
    3.11 ends by SIGINT instead, after its code is finalised, when the KeyboardInterrupt it handled had passed
    through an ``exec`` of text: dataclasses and pydantic build classes that way, so Ctrl-C during the imports
    of Prefect did it. The caller then saw "killed by SIGINT", not the run's own answer."""
    atexit._run_exitfuncs()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


def main(argv: list[str] | None = None, supervise: bool = False) -> int:
    """The command; ``supervise``: a run that passes its checks works in a supervised child (see ``entry``)."""
    argv = sys.argv[1:] if argv is None else argv
    args = build_parser().parse_args(argv)
    _quiet_offline_environment(args.command)
    try:
        if args.command == "run":
            return _run(args, argv if supervise else None)
        if args.command == "report":
            return _report(args)
        if args.command == "serve":
            return _serve(args)
        return _sql(args)
    except KeyboardInterrupt:
        told = {"run": "the database is as it was before this run",
                "report": "the report was not replaced"}.get(args.command, "nothing was changed")
        print(f"ankestat: interrupted; {told}", file=sys.stderr)
        return EXIT_INTERRUPTED
    except Exception as error:  # noqa: BLE001 - the CLI's one job is to turn errors into one line
        # flows.reporting imports pandas (0.4 s): an error raised before it was loaded cannot be its ReportNotDrawn
        reporting = sys.modules.get("flows.reporting")
        if reporting and isinstance(error, reporting.ReportNotDrawn) and error.interrupted:
            print(f"ankestat: interrupted: {error}", file=sys.stderr)
            return EXIT_INTERRUPTED
        if getattr(args, "verbose", False):
            traceback.print_exception(error, file=sys.stderr)
        print(f"ankestat: error: {_one_line(error)}{_logged(args, error)}", file=sys.stderr)
        return EXIT_ERROR


@contextmanager
def _prefect_console(*, verbose: bool):
    """Prefect prints a failed task's traceback (30-190 lines) on the console before ankestat's one line.
    Without --verbose those records are held back from the console (the traceback goes to the log file);
    a filter, because Prefect may reset handler levels when it reconfigures logging."""
    from prefect.logging.handlers import PrefectConsoleHandler

    loggers = [logging.getLogger(), *(lg for lg in logging.root.manager.loggerDict.values()
                                      if isinstance(lg, logging.Logger))]
    handlers = {h for lg in loggers for h in lg.handlers if isinstance(h, PrefectConsoleHandler)}
    quiet = _NoFailureTracebacks()
    if not verbose:
        for handler in handlers:
            handler.addFilter(quiet)
    try:
        yield
    finally:
        for handler in handlers:
            handler.removeFilter(quiet)


class _NoFailureTracebacks(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        return not (record.name.startswith("prefect") and record.levelno >= logging.ERROR)


def _logged(args, error: Exception) -> str:
    """Append the traceback to ``<out>/ankestat.log`` for run and report; say where it went."""
    from flows.limits import DatabaseBusy

    out = getattr(args, "out", None)
    if out is None or args.command not in ("run", "report") or isinstance(error, (FileNotFoundError, DatabaseBusy)):
        return ""  # a plain user error: its one line says all there is
    log = Path(out) / LOG_NAME
    try:
        log.parent.mkdir(parents=True, exist_ok=True)
        with log.open("a", encoding="utf-8") as handle:
            handle.write(f"--- {datetime.now().isoformat(timespec='seconds')} ankestat {args.command}\n")
            traceback.print_exception(error, file=handle)
    except OSError:
        return ""
    return f" (details in {log}, or run with --verbose)"


def _run(args, supervised_argv: list[str] | None = None) -> int:
    from flows.preflight import check_run

    settings = _settings(args)
    check_run(settings)
    if supervised_argv is not None:  # the checks passed: the run itself works in a supervised child
        from flows.supervise import run_supervised

        return run_supervised(supervised_argv)
    from flows import db  # pandas and DuckDB: after the checks that need neither
    from flows.limits import run_lock
    from flows.supervise import TEMPORARY_API

    with run_lock(settings.db_path, settings.lock_wait_seconds):
        # A database held by an open `ankestat sql` is one clear line now, before Prefect starts.
        with db.connect(settings.db_path, wait_seconds=settings.lock_wait_seconds) as con:
            # Only a run that will wait for a temporary server uses it (see _wait_for_temporary_server).
            new_files = bool(os.environ.get(TEMPORARY_API)) and _has_new_files(con, settings.input_dir)
        # Prefect only now: the arguments, the folder, the reference and the database are known to be good.
        from flows.pipeline import nightly
        from flows.runners import with_task_runner
        from flows.summary import format_summary, strict_trouble

        _wait_for_temporary_server(import_for_new_files=new_files)

        with _prefect_console(verbose=args.verbose):
            summary = with_task_runner(nightly, settings)(settings, take_lock=False)
    print(format_summary(summary, settings))
    return EXIT_STRICT if settings.strict and strict_trouble(summary) else 0


def _has_new_files(con, input_dir: Path) -> bool:
    """Whether the input folder holds a file the database has no row for: a cheap sign that the run has
    documents to read (a file whose bytes changed under a known name is not seen here; it is read all the same)."""
    import duckdb

    from flows.db import known_documents
    from flows.documents import input_files

    names = [name for _path, name in input_files(input_dir)]
    try:
        known = known_documents(con)
    except duckdb.CatalogException:  # a new database, without the table yet
        known = {}
    return any(name not in known for name in names)


def _wait_for_temporary_server(*, import_for_new_files: bool) -> None:
    """A supervised run's temporary server boots beside it (flows/supervise.py); wait until it answers."""
    from flows.supervise import TEMPORARY_API, wait_for_server

    api = os.environ.get(TEMPORARY_API)
    if api:
        # The server boots on one core for seconds while this process would only wait: what a run with new
        # documents needs later is imported now, on the other (Great Expectations ~2.5 s, which otherwise
        # competed with the reader processes; the report's drawing ~0.8 s). Not for a run with nothing new:
        # there the imports outlasted the wait, and slowed the server's start and the run's exit.
        if import_for_new_files:
            threading.Thread(target=_import_what_a_run_needs_later, name="ankestat-imports", daemon=True).start()
        # At INFO (the bench's level): how much of the server's start the imports did not cover.
        logging.getLogger("prefect.ankestat").info("Waiting for the temporary server at %s", api)
        wait_for_server(api, float(os.environ["PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS"]))


def _import_what_a_run_needs_later() -> None:
    for module in ("flows.validate", "flows.render"):
        try:
            importlib.import_module(module)
        except Exception:  # noqa: BLE001 - imported again where it is used, which then says what is wrong
            return


def _report(args) -> int:
    from flows.limits import run_lock
    from flows.reporting import render_reports

    settings = Settings(db_path=args.db, out_dir=args.out)
    if not settings.db_path.exists():
        raise FileNotFoundError(f"no database at {settings.db_path}: run 'ankestat run' first")
    # One writer of the database and the report folder at a time: a run, or this.
    with run_lock(settings.db_path, settings.lock_wait_seconds, kind="report"):
        result = render_reports(settings)
    print(f"wrote {len(result.files)} files to {settings.out_dir}")
    return 0


def _serve(args) -> int:
    from flows.preflight import check_run

    if not os.environ.get("PREFECT_API_URL"):
        raise RuntimeError("serve needs a running Prefect server: start one with 'prefect server start --host "
                           "127.0.0.1' and set PREFECT_API_URL=http://127.0.0.1:4200/api")
    settings = _settings(args)
    check_run(settings)
    # Absolute paths: the served runs start in a folder of the runner's choosing.
    settings = replace(settings, input_dir=settings.input_dir.resolve(), db_path=settings.db_path.resolve(),
                       out_dir=settings.out_dir.resolve(), reference_csv=settings.reference_csv.resolve())
    from flows.schedule import serve_nightly

    serve_nightly(settings, cron=args.cron, timezone=args.timezone)
    return 0


def _sql(args) -> int:
    import pandas as pd

    from flows.db import query

    frame = query(args.db, args.query)
    if args.format == "csv":
        print(frame.to_csv(index=False, na_rep="NULL"), end="")
    elif args.format == "json":
        print(frame.to_json(orient="records", force_ascii=False, date_format="iso"))
    else:
        with pd.option_context("display.max_rows", 500, "display.max_columns", 50, "display.width", 200,
                               "display.max_colwidth", 60):
            shown = frame.astype(object).where(frame.notna(), "NULL")
            print(shown.to_string(index=False) if not frame.empty else "(no rows)")
    return 0


def _one_line(error: Exception) -> str:
    from flows.summary import shown

    text = str(error).strip().splitlines()
    return shown(text[0]) if text else type(error).__name__


if __name__ == "__main__":
    sys.exit(entry())
