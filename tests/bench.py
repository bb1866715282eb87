"""The scale benchmark: ``python -m tests.bench [--quick]`` (``make bench``).

Builds synthetic corpora (tests/corpus.py) in a temporary folder and measures the nightly run the way cron
runs it: ``python -m flows.cli run --input ... --db ... --out ...`` in a subprocess, start-up included.
Every figure is the median over ``--repeats`` runs (3; 1 with ``--quick``). Prints a table and writes it,
with the machine's facts, between the result markers of docs/benchmarks.md.

Scenarios (full / --quick):
  start-up   a run over an empty folder
  cold       2,000 / 500 text minutes of ~35 KB, 80 % with an appeal item; new database and output folder
  1-in-10    the same size with a 10 % appeal share
  unchanged  the cold run again on its database (nothing to read)
  20 new     20 new minutes beside the 2,000 on the cold run's database
  dask       the cold run with --task-runner dask --workers 2
  memory     10,000 / 2,000 documents, once: peak RSS
  in-process extraction alone (flows.documents.process_batch) at 1x, 2x, 4x corpus size; the floor (read
             every file, look for "ankestyrelse"); PDF pages/s of extract.readers.read_document
  report     flows.render.write_report on the consolidated figures of 98 / 25 kommuner × 4 areas × 3 years (the
             report tests' synthetic ones): from a cold chart cache, unchanged, and after one kommune's figures
             changed. ``--report-only`` runs just this one and prints it.
  start-up   (a section of its own) a missing input folder; an empty folder and an unchanged re-run of the
             samples, each with Prefect's temporary server (as cron runs it) and against a running
             ``prefect server start`` (as ``serve`` and the README's nightly setup run it). ``--startup-only``
             runs just these (~2 min) and writes their section.

Each run's log (PREFECT_LOGGING_LEVEL=INFO) gives its phases: imports, Prefect's temporary server, listing,
then extraction, validation (Great Expectations) and loading (DuckDB), which stream batch by batch and
overlap (the flow logs the seconds validate and load took, summed over the batches), the commit, the
validation page, the report, shutdown. A run is timed whole, report included, as a nightly run is
(``--no-with-report`` stops each run once its data is committed and its validation page written); "start
to data in" is shown beside it. A run that exceeds its time limit is stopped (its whole process group) and
shown as "> limit"; a scenario whose first run hits the limit is not repeated.
"""

from __future__ import annotations

import argparse
import hashlib
import math
import os
import platform
import random
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path

from flows.supervise import wait_for_server
from tests.corpus import fast_pdf, make_document, write_corpus

REPO = Path(__file__).resolve().parent.parent
DOC = REPO / "docs" / "benchmarks.md"
SAMPLES = REPO / "data" / "samples"
START, END = "<!-- bench:results:start -->", "<!-- bench:results:end -->"
STARTUP_START, STARTUP_END = "<!-- bench:startup:start -->", "<!-- bench:startup:end -->"
MB = 1e6

TARGETS = {"cold_s": 30.0, "new20_s": 15.0, "unchanged_s": 10.0, "unchanged_server_s": 4.0, "pdf_pages_s": 50.0,
           "memory_mb": 1024.0, "report_s": 30.0, "report_change_s": 5.0}


@dataclass(frozen=True)
class Config:
    repeats: int
    docs: int
    memory_docs: int
    linearity: tuple[int, ...]
    pdf_fast_docs: int
    pdf_mpl_docs: int
    dask: bool
    repeat_below: float  # a scenario whose first run took longer is not repeated (keeps the bench short)
    limit_cold: float  # seconds before a run is stopped
    limit_unchanged: float
    limit_memory: float
    limit_dask: float
    report_kommuner: int = 98


FULL = Config(repeats=3, docs=2000, memory_docs=10_000, linearity=(500, 1000, 2000), pdf_fast_docs=12,
              pdf_mpl_docs=2, dask=True, repeat_below=90, limit_cold=150, limit_unchanged=60, limit_memory=240,
              limit_dask=120)
QUICK = Config(repeats=1, docs=500, memory_docs=2000, linearity=(125, 250, 500), pdf_fast_docs=4,
               pdf_mpl_docs=1, dask=False, repeat_below=0, limit_cold=45, limit_unchanged=45, limit_memory=75,
               limit_dask=60, report_kommuner=25)
DOC_KB = (30, 40)  # "about 35 KB" minutes


# --- one pipeline run in a subprocess --------------------------------------------------------------------

PHASE_MARKERS = (  # (phase end, what the log line says), in order
    # Prefect's own line, or ankestat's when the supervisor started the server beside the run (flows/supervise.py)
    ("server_start", re.compile(r"Starting temporary server|Waiting for the temporary server")),
    ("flow_begin", re.compile(r"Beginning flow run")),
    # Only a task's own end: when the bench stops a run, Prefect logs its task "Finished in state Crashed".
    ("listed", re.compile(r"Task run 'list-documents.*Finished in state (?:Completed|Failed)")),
    ("extracted", re.compile(r"Task run 'extract-batch.*Finished in state (?:Completed|Failed)")),  # the last
    ("loaded", re.compile(r"Task run 'commit-load.*Finished in state (?:Completed|Failed)")),
    ("paged", re.compile(r"Task run 'validation-page.*Finished in state (?:Completed|Failed)")),
    ("reported", re.compile(r"Task run 'report.*Finished in state (?:Completed|Failed)")),
    ("flow_end", re.compile(r"Flow run .*Finished in state (?:Completed|Failed)")),
)
PHASES = (  # (name, from, to); 'validate' and 'load' are sums from the flow's log line, inside 'extract+'
    ("imports", "start", "server_start"), ("prefect server", "server_start", "flow_begin"),
    ("list+hash", "flow_begin", "listed"), ("extract+validate+load", "listed", "loaded"),
    ("validate", None, None), ("load", None, None), ("page", "loaded", "paged"), ("report", "paged", "reported"),
    ("shutdown", "reported", "exit"), ("start to data in", "start", "paged"),
)
_PHASE_SECONDS = re.compile(r"phase seconds: validate=([\d.]+) load=([\d.]+)")
_LOG_LINE = re.compile(r"^(\d\d):(\d\d):(\d\d\.\d+) \| \w+\s*\| (.*)$")


@dataclass
class Run:
    scenario: str
    wall: float
    returncode: int | None  # None: stopped at the time limit
    limit: float
    maxrss_mb: float  # largest single process (wait4), the run and its waited-for children
    tree_mb: float  # sampled sum of RSS over the run's process tree
    marks: dict = field(default_factory=dict)  # seconds since start at each PHASE_MARKERS point
    tail: str = ""
    sums: dict = field(default_factory=dict)  # 'validate', 'load': seconds summed over the batches
    cut: bool = False  # stopped on purpose once its data was in (the report not awaited)

    @property
    def timed_out(self) -> bool:
        return self.returncode is None

    @property
    def data_in(self) -> float | None:
        """Seconds from start until the data was committed and the validation page written."""
        return self.marks.get("paged")

    def phase(self, name: str) -> float | None:
        """Seconds spent in phase ``name``; negative when the run was stopped in it (time so far); None
        when the log does not show it."""
        if name in ("validate", "load"):
            return self.sums.get(name)
        marks = {"start": 0.0, **self.marks}
        if not self.timed_out and not self.cut:
            marks["exit"] = self.wall
        start, end = next((a, b) for n, a, b in PHASES if n == name)
        if start not in marks:
            return None
        if end in marks:
            return marks[end] - marks[start]
        order = ["start", *(n for n, _ in PHASE_MARKERS if n != "flow_end"), "exit"]
        last = max((n for n in order if n in marks), key=order.index)
        if self.timed_out and (last == start or name == "start to data in"):
            return -(self.wall - marks[start])
        return None


def _tree_rss_kb(root: int) -> int:
    total, todo, seen = 0, [root], set()
    while todo:
        pid = todo.pop()
        if pid in seen:
            continue
        seen.add(pid)
        try:
            with open(f"/proc/{pid}/status") as handle:
                total += next((int(line.split()[1]) for line in handle if line.startswith("VmRSS:")), 0)
            for task in os.listdir(f"/proc/{pid}/task"):
                with open(f"/proc/{pid}/task/{task}/children") as handle:
                    todo += [int(child) for child in handle.read().split()]
        except (OSError, ValueError):
            continue
    return total


def _parse_sums(log: str) -> dict:
    match = _PHASE_SECONDS.search(log)
    return {"validate": float(match[1]), "load": float(match[2])} if match else {}


def _parse_marks(log: str, started: datetime) -> dict:
    base = started.hour * 3600 + started.minute * 60 + started.second + started.microsecond / 1e6
    marks: dict = {}
    for line in log.splitlines():
        match = _LOG_LINE.match(line)
        if not match:
            continue
        seconds = int(match[1]) * 3600 + int(match[2]) * 60 + float(match[3]) - base
        seconds += 86400 if seconds < -60 else 0  # past midnight
        for name, rx in PHASE_MARKERS:
            if rx.search(match[4]) and (name == "extracted" or name not in marks):
                marks[name] = seconds  # the first, but the last extract-batch (Dask workers log their own)
    return marks


def run_pipeline(scenario: str, args: list[str], workdir: Path, limit: float, env: dict, expected: int = 0,
                 cut_after: str | None = None) -> Run:
    """``python -m flows.cli run <args>`` from the repository root; wall time, peak memory and phases. With
    ``cut_after`` (a PHASE_MARKERS name) the run is stopped once its log shows that point."""
    log_path = workdir / f"{scenario.replace(' ', '_')}-{time.time_ns()}.log"
    command = [sys.executable, "-m", "flows.cli", "run", *args]
    peak_tree = [0]
    with log_path.open("w") as log:
        started = datetime.now()
        t0 = time.perf_counter()
        proc = subprocess.Popen(command, cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT,
                                start_new_session=True)
        done = threading.Event()

        def sample() -> None:
            while not done.is_set():
                peak_tree[0] = max(peak_tree[0], _tree_rss_kb(proc.pid))
                done.wait(0.2)

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        status, usage, returncode = None, None, None
        cut, seen, tick = False, "", 0
        cut_rx = dict(PHASE_MARKERS)[cut_after] if cut_after else None
        while status is None:
            tick += 1
            if cut_rx is not None and tick % 10 == 0:
                seen = log_path.read_text(errors="replace")
                if cut_rx.search(seen):
                    _stop_group(proc.pid, quiet=True)
                    _, raw, usage = os.wait4(proc.pid, 0)
                    status, returncode, cut = raw, 0, True
                    break
            pid, raw, ru = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                status, usage = raw, ru
                returncode = os.waitstatus_to_exitcode(raw)
                break
            if time.perf_counter() - t0 > limit:
                _stop_group(proc.pid)
                _, raw, usage = os.wait4(proc.pid, 0)
                status, returncode = raw, None
                break
            time.sleep(0.02)
        wall = time.perf_counter() - t0
        proc.returncode = -1 if returncode is None else returncode  # reaped here, not by Popen
        done.set()
        sampler.join()
        _stop_group(proc.pid, quiet=True)  # a temporary server or Dask worker left behind
    text = log_path.read_text(errors="replace")
    run = Run(scenario, wall, returncode, limit, usage.ru_maxrss / 1024, peak_tree[0] / 1024,
              _parse_marks(text, started), "\n".join(text.strip().splitlines()[-5:]), _parse_sums(text), cut)
    if cut and run.data_in is not None:
        run.wall = run.data_in
    if returncode not in (None, expected):
        print(f"  ! {scenario}: exit code {returncode}\n{run.tail}", file=sys.stderr)
    return run


def _stop_group(pgid: int, quiet: bool = False) -> None:
    """Stop the process group of a run this bench started (its own session, so nothing else is in it)."""
    for sig, wait in ((signal.SIGTERM, 5.0), (signal.SIGKILL, 0.0)):
        try:
            os.killpg(pgid, sig)
        except (ProcessLookupError, PermissionError):
            return
        deadline = time.monotonic() + wait
        while time.monotonic() < deadline:
            try:
                os.killpg(pgid, 0)
            except (ProcessLookupError, PermissionError):
                return
            time.sleep(0.1)
    if not quiet:
        print(f"  ! process group {pgid} stopped at the time limit", file=sys.stderr)


# --- in-process measurements -----------------------------------------------------------------------------


def direct_extraction(files: list[tuple[Path, str]], readers: int = 2) -> float:
    from flows.documents import process_batch
    from flows.settings import Settings

    t0 = time.perf_counter()
    results = process_batch([(path, name, None) for path, name in files], Settings(reader_processes=readers),
                            datetime.now().replace(microsecond=0))
    elapsed = time.perf_counter() - t0
    assert len(results) == len(files)
    return elapsed


def report_step(kommuner: str, out: str, cache: str, change: str) -> None:
    """One write_report, as a nightly run does it: in a fresh process (typst keeps layouts in memory
    between compiles of one process, which no nightly run benefits from). Prints its seconds."""
    from flows.render import write_report
    from tests.test_reports import GENERATED_AT, documents_frame, national_frame, statements_frame, synthetic

    figures = synthetic(int(kommuner))
    if change == "1":
        mine = figures["municipality"] == figures["municipality"].iloc[0]
        figures.loc[mine, "rate_pct"] += 1.0
    t0 = time.perf_counter()
    write_report(figures, national_frame(), statements_frame(), documents_frame(), Path(out),
                 cache_dir=Path(cache), generated_at=GENERATED_AT)
    print(f"{time.perf_counter() - t0:.3f}")


def report_render(kommuner: int, folder: Path) -> tuple[float, float, float, int, int]:
    """write_report on the report tests' synthetic consolidated figures of ``kommuner`` (four areas, three
    years each), each in a fresh process: (seconds from a cold chart cache, seconds with nothing changed,
    seconds after one kommune's figures changed, PDF pages, PNGs)."""
    import pypdfium2 as pdfium

    from flows.render import PDF_NAME

    out = Path(tempfile.mkdtemp(prefix="report-", dir=folder))
    env = {**os.environ, "PYTHONPATH": str(REPO)}

    def timed(change: bool) -> float:
        code = (f"from tests.bench import report_step; report_step({str(kommuner)!r}, {str(out / 'out')!r}, "
                f"{str(out / 'cache')!r}, {'1' if change else '0'!r})")
        done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
        return float(done.stdout.strip().splitlines()[-1])

    cold, same, after_change = timed(False), timed(False), timed(True)
    pdf = pdfium.PdfDocument(out / "out" / PDF_NAME)
    pages = len(pdf)
    pdf.close()
    pngs = len(list((out / "out").rglob("*.png")))
    shutil.rmtree(out)
    return cold, same, after_change, pages, pngs


def report_scenario(kommuner: int, repeats: int, folder: Path) -> list[tuple[str, str, str, str]]:
    """The report's rows of the results table, printed as each run ends."""
    runs = []
    for _ in range(repeats):
        cold, same, changed, pages, pngs = report_render(kommuner, folder)
        runs.append((cold, same, changed))
        print(f"  report, {kommuner} kommuner: {pages} pages, {pngs} PNGs; cold {cold:.1f} s, unchanged {same:.1f} s, "
              f"one kommune changed {changed:.1f} s", flush=True)
    rows = []
    for index, (label, target) in enumerate((("from a cold chart cache", TARGETS["report_s"]),
                                            ("nothing changed (drawn again on purpose)", None),
                                            ("after one kommune's figures changed", TARGETS["report_change_s"]))):
        times = [run[index] for run in runs]
        middle = median(times)
        full = kommuner == 98
        rows.append((
            f"report, {kommuner} kommuner × 4 areas, {label}" + (f": {pages} PDF pages + {pngs} PNGs"
                                                                  if index == 0 else ""),
            f"{middle:.1f} s ({len(times)} runs: {', '.join(f'{t:.1f}' for t in times)} s)",
            f"< {target:g} s" if target and full else "",
            ("met" if middle < target else "**missed**") if target and full else "",
        ))
    return rows


def floor(paths: list[Path]) -> tuple[float, int]:
    """The least any run must do: read every file once and look for one word."""
    t0 = time.perf_counter()
    hits = 0
    for path in paths:
        hits += b"ankestyrelse" in path.read_bytes().lower()
    return time.perf_counter() - t0, hits


def make_pdfs(folder: Path, fast_docs: int, mpl_docs: int) -> dict[str, list[Path]]:
    """Multi-page PDFs: ``fast_docs`` long minutes through fast_pdf, ``mpl_docs`` shorter ones through
    tests.formats.to_pdf (matplotlib, embedded TrueType fonts: about 0.3 s a page to write)."""
    from tests.formats import to_pdf

    rng = random.Random(7)
    folder.mkdir(parents=True, exist_ok=True)
    out: dict[str, list[Path]] = {"fast": [], "matplotlib": []}
    for engine, count, kb, write in (("fast", fast_docs, (60, 120), fast_pdf), ("matplotlib", mpl_docs, (15, 25),
                                                                                 to_pdf)):
        for i in range(count):
            text, _ = make_document(rng, rng.randint(kb[0] * 1024, kb[1] * 1024), rng.random() < 0.5)
            path = folder / f"{engine}-{i:03d}.pdf"
            path.write_bytes(write(text))
            out[engine].append(path)
    return out


def read_pdfs(paths: list[Path]) -> tuple[float, int]:
    from extract.readers import read_document

    pages = 0
    t0 = time.perf_counter()
    for path in paths:
        pages += len(read_document(path.name, path.read_bytes()).page_starts)
    return time.perf_counter() - t0, pages


# --- start-up: the temporary Prefect server against a running one ------------------------------------------


@contextmanager
def running_prefect_server(home: Path, env: dict):
    """``prefect server start`` on a free loopback port, as the README's nightly setup runs it; its API URL."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    api = f"http://127.0.0.1:{port}/api"
    server = subprocess.Popen([sys.executable, "-m", "prefect", "server", "start", "--host", "127.0.0.1", "--port",
                               str(port)], env={**env, "PREFECT_HOME": str(home), "PREFECT_UI_ENABLED": "false"},
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        wait_for_server(api, 180, server)
        yield api
    finally:
        _stop_group(server.pid, quiet=True)
        server.wait()


def startup_scenarios(tmp: Path, env: dict, repeats: int, logs: Path, server_home: Path) -> dict[str, list[Run]]:
    """Each scenario ``repeats`` times; an unchanged re-run's database is filled by one run first (not counted)."""
    groups: dict[str, list[Run]] = {}

    def state() -> list[str]:
        folder = Path(tempfile.mkdtemp(prefix="startup-", dir=tmp))
        return ["--db", str(folder / "ankestat.duckdb"), "--out", str(folder / "out")]

    def measure(scenario: str, args: list[str], run_env: dict, expected: int = 0) -> None:
        runs = []
        for _ in range(repeats):
            runs.append(run_pipeline(scenario, args, logs, 120, run_env, expected))
            print(f"  {scenario:<58} {runs[-1].wall:6.2f} s", flush=True)
        groups[scenario] = runs

    def empty_and_unchanged(where: str, run_env: dict) -> None:
        measure(f"empty folder, {where}", ["--input", str(empty), *state()], run_env)
        filled = ["--input", str(SAMPLES), *state()]
        run_pipeline("fill the database (not counted)", filled, logs, 300, run_env)
        measure(f"unchanged re-run of the samples, {where}", filled, run_env)

    empty = tmp / "startup-empty"
    empty.mkdir(exist_ok=True)
    measure("missing input folder (one-line error)", ["--input", str(tmp / "nowhere"), *state()], env, expected=1)
    empty_and_unchanged("temporary server", env)
    with running_prefect_server(server_home, env) as api:
        empty_and_unchanged("running server", {**env, "PREFECT_API_URL": api})
    return groups


def startup_section(groups: dict[str, list[Run]], facts: dict, repeats: int) -> list[str]:
    targets = {"unchanged re-run of the samples, temporary server": TARGETS["unchanged_s"],
               "unchanged re-run of the samples, running server": TARGETS["unchanged_server_s"]}
    rows = [("scenario", "median", "target", "")]
    for scenario, runs in groups.items():
        walls = ", ".join(f"{r.wall:.1f}" for r in runs)
        target = targets.get(scenario)
        rows.append((scenario, f"{median([r.wall for r in runs]):.2f} s ({len(runs)} runs: {walls} s)",
                     f"≤ {target:.0f} s" if target else "", verdict(runs, target) if target else ""))
    return [
        STARTUP_START,
        f"## Start-up (`python -m tests.bench --startup-only`, {facts['date']})",
        "",
        f"Medians over {repeats} runs of `python -m flows.cli run` in a subprocess, start-up and exit included. "
        "The samples are the 5 documents of `data/samples`; a re-run finds them unchanged and its report "
        "current. The running server is a `prefect server start` on loopback with its own `PREFECT_HOME`, "
        "started before the runs.",
        "",
        "Machine: " + "; ".join(f"{k}: {v}" for k, v in facts.items() if k != "date"),
        "",
        *_markdown_table(rows),
        "",
        "Phases (medians, seconds, from the runs' Prefect logs). The temporary server boots beside the run while "
        "it imports, so `prefect server` is only the wait left after the imports; against a running server there "
        "is none, and `imports` and `prefect server` show –:",
        "",
        *phase_table(groups),
        STARTUP_END,
    ]


# --- reporting -------------------------------------------------------------------------------------------


def median(values: list[float]) -> float | None:
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None


def wall(runs: list[Run]) -> float | None:
    """Median wall time of runs that all finished cleanly; None otherwise."""
    if not runs or any(r.timed_out or r.returncode for r in runs):
        return None
    return median([r.wall for r in runs])


def seconds(runs: list[Run]) -> str:
    if any(r.timed_out for r in runs):
        text = f"> {runs[0].limit:.0f} s (stopped)"
    else:
        text = f"{median([r.wall for r in runs]):.1f} s"
    failed = sorted({r.returncode for r in runs if r.returncode})
    if failed:
        text += f" (failed: exit {', '.join(map(str, failed))})"
    if len(runs) > 1:
        text += f" ({len(runs)} runs)"
    return text


def speed_probe() -> float:
    """Seconds for a fixed pure-Python loop, the best of three: this machine is shared, and the same run can
    take 25 % longer in a slow stretch. Taken at the start and the end of a bench, it says which one it was."""
    best = math.inf
    for _ in range(3):
        started = time.perf_counter()
        total = 0
        for i in range(10_000_000):
            total += i * i
        best = min(best, time.perf_counter() - started)
    return best


def machine_facts() -> dict[str, str]:
    def first(path: str, key: str) -> str:
        try:
            with open(path) as handle:
                return next((line.split(":", 1)[1].strip() for line in handle if line.startswith(key)), "?")
        except OSError:
            return "?"

    mem_kb = first("/proc/meminfo", "MemTotal").split()[0]
    versions = []
    for package in ("prefect", "great-expectations", "duckdb", "pandas", "matplotlib", "pypdfium2"):
        try:
            from importlib.metadata import version

            versions.append(f"{package} {version(package)}")
        except Exception:  # noqa: BLE001 - a missing package is just not listed
            pass
    code = hashlib.sha256()
    for folder in ("extract", "flows", "reports", "transform"):
        for path in sorted((REPO / folder).glob("*.py")):
            code.update(path.read_bytes())
    return {
        "date": datetime.now().strftime("%Y-%m-%d %H:%M"),
        "speed": f"a fixed Python loop took {speed_probe():.2f} s at the start",
        "nproc": str(len(os.sched_getaffinity(0))),
        "cpu": first("/proc/cpuinfo", "model name"),
        "memory": f"{int(mem_kb) / 2**20:.1f} GiB" if mem_kb.isdigit() else "?",
        "python": f"{platform.python_version()} ({sys.executable})",
        "os": platform.platform(),
        "packages": ", ".join(versions),
        "code": f"sha256 of extract/ flows/ reports/ transform/ *.py: {code.hexdigest()[:12]}",
    }


def phase_table(groups: dict[str, list[Run]]) -> list[str]:
    names = [name for name, _, _ in PHASES]
    lines = ["| scenario | runs | wall | " + " | ".join(names) + " | peak RSS (largest process / tree) |",
             "|---|---:|---:|" + "---:|" * len(names) + "---:|"]
    for scenario, runs in groups.items():
        cells = []
        for name in names:
            values = [r.phase(name) for r in runs]
            if any(v is not None and v < 0 for v in values):
                cells.append(f"> {-min(v for v in values if v is not None):.1f} (stopped)")
            else:
                value = median(values)
                cells.append("–" if value is None else f"{value:.1f}")
        rss = f"{max(r.maxrss_mb for r in runs):.0f} / {max(r.tree_mb for r in runs):.0f} MB"
        lines.append(f"| {scenario} | {len(runs)} | {seconds(runs)} | " + " | ".join(cells) + f" | {rss} |")
    return lines


def _met(value: float | None, target: float) -> str:
    return "?" if value is None else "met" if value <= target else "**missed**"


def verdict(runs: list[Run], target: float) -> str:
    """A time target: met, missed, or failed (the run did not finish cleanly)."""
    if any(r.returncode not in (None, 0) for r in runs):
        return "**failed**"
    if any(r.timed_out for r in runs):
        return "**missed**" if runs[0].limit >= target else "?"
    return "met" if median([r.wall for r in runs]) < target else "**missed**"


# --- the benchmark ---------------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.bench", description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="smaller corpora, one repetition (~4 min)")
    parser.add_argument("--repeats", type=int, help="runs per scenario (default: 3, --quick: 1)")
    parser.add_argument("--write", action=argparse.BooleanOptionalAction, default=None,
                        help=f"write the results into {DOC.relative_to(REPO)} (default: yes, not with --quick)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder (corpora, logs)")
    parser.add_argument("--dask", action="store_true", help="also the Dask run with --quick")
    parser.add_argument("--report-only", action="store_true", help="only the report scenario; print, write nothing")
    parser.add_argument("--with-report", action=argparse.BooleanOptionalAction, default=True,
                        help="let each run draw its report, as a nightly run does (default); --no-with-report "
                             "stops each run once its data is in")
    parser.add_argument("--startup-only", action="store_true",
                        help=f"only the start-up scenarios; print, and write their section of {DOC.relative_to(REPO)}")
    parser.add_argument("--limit-factor", type=float, default=1.0,
                        help="multiply the time limits of the runs (cold: 150 s, memory: 240 s, dask: 120 s; "
                             "--quick: 45, 75, 60)")
    args = parser.parse_args(argv)
    config = QUICK if args.quick else FULL
    config = replace(config, limit_cold=config.limit_cold * args.limit_factor,
                     limit_unchanged=config.limit_unchanged * args.limit_factor,
                     limit_memory=config.limit_memory * args.limit_factor,
                     limit_dask=config.limit_dask * args.limit_factor)
    repeats = args.repeats or config.repeats
    write = (not args.quick) if args.write is None else args.write
    began = time.perf_counter()

    tmp = Path(tempfile.mkdtemp(prefix="ankestat-bench-"))
    if args.report_only:
        for row in report_scenario(config.report_kommuner, repeats, tmp):
            print(" | ".join(row))
        shutil.rmtree(tmp, ignore_errors=True)
        return 0
    # Prefect's database lives in a home of the bench's own, kept between benches: the first run in a new home
    # spends ~15 s creating it, which no nightly run pays.
    prefect_home = Path(tempfile.gettempdir()) / "ankestat-bench-prefect-home"
    needs_warm_up = not prefect_home.exists()
    env = {**os.environ, "PYTHONPATH": str(REPO), "PREFECT_LOGGING_LEVEL": "INFO",
           "PREFECT_HOME": str(prefect_home), "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
           "DO_NOT_TRACK": "1", "GX_ANALYTICS_ENABLED": "false"}
    env.pop("PREFECT_API_URL", None)  # the nightly run as cron starts it: with its temporary server
    logs = tmp / "logs"
    logs.mkdir()
    facts = machine_facts()
    server_home = Path(tempfile.gettempdir()) / "ankestat-bench-prefect-server-home"
    if args.startup_only:
        if needs_warm_up:
            run_pipeline("warm-up (not counted)", ["--input", str(SAMPLES), "--db", str(tmp / "warm.duckdb"),
                                                   "--out", str(tmp / "warm")], logs, 180, env)
        startup = startup_section(startup_scenarios(tmp, env, args.repeats or 5, logs, server_home), facts,
                                  args.repeats or 5)
        print("\n".join(startup))
        if args.write is not False:
            _write_section(startup, STARTUP_START, STARTUP_END)
            print(f"wrote {DOC.relative_to(REPO)}")
        shutil.rmtree(tmp, ignore_errors=True)
        return 0
    print(f"ankestat bench ({'quick' if args.quick else 'full'}, {repeats} run(s) each) in {tmp}")
    print("  " + "; ".join(f"{k}: {v}" for k, v in facts.items() if k in ("nproc", "cpu", "memory", "python")))

    def run_once(scenario: str, corpus: Path | None, limit: float, extra: tuple[str, ...] = (),
                 state: Path | None = None, cut: bool = True) -> Run:
        state = state or Path(tempfile.mkdtemp(prefix="run-", dir=tmp))
        folder = corpus if corpus is not None else tmp / "empty"
        folder.mkdir(exist_ok=True)
        run = run_pipeline(scenario, ["--input", str(folder), "--db", str(state / "ankestat.duckdb"),
                                      "--out", str(state / "out"), *extra], logs, limit, env,
                           cut_after="paged" if cut and not args.with_report else None)
        shown = f"> {limit:.0f} s, stopped" if run.timed_out else f"{run.wall:.1f} s" + (" (data in)" if run.cut
                                                                                         else "")
        print(f"  {scenario:<30} {shown:>16}   peak RSS {run.maxrss_mb:5.0f} MB (tree {run.tree_mb:5.0f} MB)"
              f"   [{(time.perf_counter() - began) / 60:4.1f} min]", flush=True)
        return run

    def repeated(scenario: str, corpus: Path | None, limit: float, extra: tuple[str, ...] = (),
                 state: Path | None = None, cut: bool = True) -> list[Run]:
        runs = [run_once(scenario, corpus, limit, extra, state, cut)]
        while len(runs) < repeats and not runs[-1].timed_out and runs[0].wall < config.repeat_below:
            runs.append(run_once(scenario, corpus, limit, extra, state, cut))
        return runs

    # A warm-up run creates the Prefect database in a new PREFECT_HOME while the corpora are written.
    warm = threading.Thread(target=run_once, args=("warm-up (not counted)", None, 180))
    if needs_warm_up:
        warm.start()
    t0 = time.perf_counter()
    corpus_a = tmp / "cold-80pct"
    paths_a = write_corpus(corpus_a, config.docs, seed=1, appeal_share=0.8, pdf_share=0.0, target_kb=DOC_KB)
    corpus_b = tmp / "cold-10pct"
    paths_b = write_corpus(corpus_b, config.docs, seed=2, appeal_share=0.1, pdf_share=0.0, target_kb=DOC_KB)
    corpus_m = tmp / "memory"
    write_corpus(corpus_m, config.memory_docs, seed=3, appeal_share=0.8, pdf_share=0.0, target_kb=DOC_KB)
    pdfs = make_pdfs(tmp / "pdf", config.pdf_fast_docs, config.pdf_mpl_docs)
    size_a = sum(p.stat().st_size for p in paths_a)
    size_b = sum(p.stat().st_size for p in paths_b)
    os.sync()  # the corpora's ~500 MB of dirty pages are written out now, not during the first timed runs
    generated = time.perf_counter() - t0
    print(f"  corpora written in {generated:.1f} s: {config.docs} docs = {size_a / MB:.1f} MB (80 % appeal), "
          f"{size_b / MB:.1f} MB (10 %), {config.memory_docs} docs for memory", flush=True)
    if needs_warm_up:
        warm.join()

    # pipeline runs
    empty = repeated("start-up (empty folder)", None, 120, cut=False)  # the whole run: its report is empty
    first_state = Path(tempfile.mkdtemp(prefix="run-", dir=tmp))
    cold_name = f"cold {config.docs}, 80 % appeal"
    cold = [run_once(cold_name, corpus_a, config.limit_cold, state=first_state)]
    unchanged, new20 = [], []
    if "loaded" in cold[0].marks:  # the database holds every document: a re-run has nothing to read
        unchanged = repeated("unchanged re-run", corpus_a, config.limit_unchanged, state=first_state)
        # 20 new minutes in a folder of their own inside the corpus, each repeat on a copy of the database
        new_folder = corpus_a / "new"
        write_corpus(new_folder, 20, seed=9, appeal_share=0.8, pdf_share=0.0, target_kb=DOC_KB)
        for _ in range(repeats):
            state = Path(tempfile.mkdtemp(prefix="run-", dir=tmp))
            for name in ("ankestat.duckdb", "ankestat.duckdb.wal"):  # what is not checkpointed yet, too
                if (first_state / name).exists():
                    shutil.copy(first_state / name, state / name)
            if (first_state / "out").exists():  # and the report with its chart cache, as a nightly run finds it
                shutil.copytree(first_state / "out", state / "out", symlinks=True)
            new20.append(run_once(f"20 new on {config.docs}", corpus_a, config.limit_unchanged, state=state))
            if new20[-1].timed_out:
                break
        shutil.rmtree(new_folder)
    while len(cold) < repeats and not cold[-1].timed_out and cold[0].wall < config.repeat_below:
        cold.append(run_once(cold_name, corpus_a, config.limit_cold))
    sparse = repeated(f"cold {config.docs}, 10 % appeal", corpus_b, config.limit_cold)
    dask = []
    if config.dask or args.dask:
        dask = [run_once(f"cold {config.docs}, dask 2 workers", corpus_a, config.limit_dask,
                         ("--task-runner", "dask", "--workers", "2"))]
    memory = [run_once(f"memory: {config.memory_docs} docs", corpus_m, config.limit_memory)]

    notes = [f"- {r.scenario}: exit {r.returncode}: `{_error_line(r.tail)}`"
             for r in [*empty, *cold, *unchanged, *sparse, *dask, *memory] if r.returncode]

    # in-process
    from flows.documents import input_files

    files_a = input_files(corpus_a)
    linear: dict[int, float] = {}
    for n in config.linearity:
        linear[n] = median([direct_extraction(files_a[:n]) for _ in range(repeats)])
        print(f"  process_batch {n:>6} docs {linear[n]:>9.2f} s   {1000 * linear[n] / n:.2f} ms/doc")
    direct = linear.get(config.docs) or median([direct_extraction(files_a) for _ in range(repeats)])
    direct_one = median([direct_extraction(files_a, readers=1) for _ in range(repeats)])
    print(f"  process_batch, 1 reader process: {direct_one:.2f} s")
    pdf_rates = {}
    for engine, paths in pdfs.items():
        if paths:
            timings = [read_pdfs(paths) for _ in range(repeats)]
            pdf_rates[engine] = (timings[0][1], median([t[0] for t in timings]))
            print(f"  read_document {engine} PDFs: {timings[0][1]} pages in {pdf_rates[engine][1]:.2f} s")

    report_rows = report_scenario(config.report_kommuner, repeats, tmp)
    startup = startup_section(startup_scenarios(tmp, env, repeats, logs, server_home), facts, repeats)

    # the table: time figures side by side with the floor (read every file once, find one word)
    floor_runs = [floor(paths_a) for _ in range(repeats)]
    floor_s, floor_hits = median([f[0] for f in floor_runs]), floor_runs[0][1]

    def by_floor(value: float | None, at_least: bool = False) -> str:
        return "" if not value or not floor_s else f"{'≥ ' if at_least else ''}{value / floor_s:.0f}x"

    def data_in(runs: list[Run]) -> tuple[str, float | None]:
        """'start to data in' of runs: median seconds as text, and as a number (None when a run was stopped)."""
        values = [r.data_in for r in runs]
        if not runs or any(v is None for v in values):
            return (f"> {runs[0].limit:.0f} s (stopped)" if runs else "not run"), None
        middle = median(values)
        return f"{middle:.1f} s" + (f" ({len(runs)} runs)" if len(runs) > 1 else ""), middle

    def whole(runs: list[Run]) -> tuple[str, float | None]:
        """The whole run, its report included: median wall seconds as text, and as a number."""
        if not runs or any(r.timed_out or r.cut for r in runs):
            return (f"> {runs[0].limit:.0f} s (stopped)" if runs and runs[0].timed_out else "not run"), None
        middle = median([r.wall for r in runs])
        return f"{middle:.1f} s" + (f" ({len(runs)} runs)" if len(runs) > 1 else ""), middle

    cold_text, cold_s = data_in(cold)
    sparse_text, sparse_s = data_in(sparse)
    new_text, new_s = data_in(new20)
    unchanged_text, unchanged_s = data_in(unchanged)
    # The targets are a nightly run's: the whole run, report included (shown against data in with --no-with-report).
    targeted = {name: whole(runs) for name, runs in (("cold", cold), ("new20", new20), ("unchanged", unchanged))}
    with_report = all(value is not None for _text, value in targeted.values())
    start_s = median([r.wall for r in empty])
    extract_in_run = median([r.phase("extract+validate+load") for r in cold])
    mem_run = memory[0]
    rows = [("metric", "median", "target", "", "÷ floor")]
    rows.append((f"floor: read {config.docs} files, find 'ankestyrelse' ({floor_hits} hits)", f"{floor_s:.2f} s", "",
                 "", "1x"))
    if with_report:
        for key, label, target in (("cold", f"cold run, {config.docs} docs, 80 % appeal", "≤ 30 s"),
                                    ("new20", f"20 new minutes on the {config.docs}-document database", "≤ 15 s"),
                                    ("unchanged", "unchanged re-run (same database)", "< 10 s")):
            text, value = targeted[key]
            rows.append((f"{label}: whole run, report included", text, target,
                         _met(value, TARGETS[f"{key}_s"]), by_floor(value)))
    rows.append((f"cold run, {config.docs} docs ({size_a / MB:.0f} MB), 80 % appeal: start to data in (start-up, "
                 "extract, validate, load, validation page; not the report)", cold_text,
                 "" if with_report else "≤ 30 s", "" if with_report else _met(cold_s, TARGETS["cold_s"]),
                 by_floor(cold_s)))
    if cold_s:
        rows.append(("  throughput", f"{config.docs / cold_s:.0f} docs/s, {size_a / MB / cold_s:.2f} MB/s", "", "",
                     ""))
    rows.append((f"20 new minutes on the {config.docs}-document database: start to data in", new_text,
                 "" if with_report else "≤ 15 s", "" if with_report else _met(new_s, TARGETS["new20_s"]),
                 by_floor(new_s)))
    rows.append(("unchanged re-run (same database): start to data in", unchanged_text,
                 "" if with_report else "< 10 s", "" if with_report else _met(unchanged_s, TARGETS["unchanged_s"]),
                 by_floor(unchanged_s)))
    rows.append((f"cold run, {config.docs} docs ({size_b / MB:.0f} MB), 10 % appeal: start to data in", sparse_text,
                 "", "", by_floor(sparse_s)))
    rows.append(("start-up: run over an empty folder (whole run)", seconds(empty), "", "", by_floor(start_s)))
    rows.extend((*row, "") for row in report_rows)
    for engine, (pages, elapsed) in pdf_rates.items():
        rate = pages / elapsed
        rows.append((f"PDF text, read_document ({engine} PDFs, {pages} pages)", f"{rate:.0f} pages/s", ">= 50",
                     "met" if rate >= TARGETS["pdf_pages_s"] else "**missed**", ""))
    mem_ok = "met" if mem_run.maxrss_mb < TARGETS["memory_mb"] else "**missed**"
    mem_text, mem_s = data_in(memory)
    span = "whole run, report included (the largest process is typst's layout child)" if with_report \
        else "start to data in"
    rows.append((f"peak RSS, {config.memory_docs} docs (largest process), {span}",
                 f"{mem_run.maxrss_mb:.0f} MB" + (" (at least: run stopped)" if mem_run.timed_out else ""), "< 1 GB",
                 mem_ok if not mem_run.timed_out or mem_ok != "met" else "met so far", ""))
    rows.append(("  sum of RSS over the process tree (sampled: supervisor, flow, readers, Prefect server)",
                 f"{mem_run.tree_mb:.0f} MB", "", "", ""))
    rows.append((f"  time of that run ({config.memory_docs} docs), start to data in", mem_text, "", "",
                 by_floor(mem_s / config.memory_docs * config.docs if mem_s else None)))
    rows.append((f"extraction alone: process_batch over the {config.docs} docs, 2 reader processes", f"{direct:.1f} s",
                 "", "", by_floor(direct)))
    rows.append(("  the same with 1 reader process", f"{direct_one:.1f} s ({direct_one / direct:.2f}x the 2)", "",
                 "", by_floor(direct_one)))
    if extract_in_run is not None and extract_in_run >= 0:
        rows.append(("  extract+validate+load inside the cold run (streamed batches)",
                     f"{extract_in_run:.1f} s ({100 * (extract_in_run - direct) / direct:+.0f} % on extraction alone)",
                     "", "", by_floor(extract_in_run)))
        validate_s = median([r.phase("validate") for r in cold])
        load_s = median([r.phase("load") for r in cold])
        if validate_s is not None:
            rows.append(("    of which validate (GX on new rows) / load (Arrow into DuckDB), summed over batches",
                         f"{validate_s:.1f} s / {load_s:.1f} s", "", "", ""))
    if cold_s and start_s:
        rest = cold_s - start_s - direct
        rows.append(("start to data in - start-up (empty run) - extraction alone", f"{rest:.1f} s = "
                     f"{100 * rest / cold_s:.0f} % of it", "", "", ""))
    if dask:
        dask_text, dask_s = data_in(dask)
        rows.append((f"dask, 2 workers, {config.docs} docs, 80 % appeal: start to data in", dask_text, "", "",
                     by_floor(dask_s)))
    table = _markdown_table(rows)
    linearity = ["| documents | process_batch | per document |", "|---:|---:|---:|"]
    linearity += [f"| {n} | {s:.2f} s | {1000 * s / n:.2f} ms |" for n, s in linear.items()]
    groups = {"start-up (empty folder)": empty, f"cold, {config.docs} docs, 80 % appeal": cold,
              "unchanged re-run": unchanged, f"20 new on {config.docs}": new20,
              f"cold, {config.docs} docs, 10 % appeal": sparse,
              f"dask, 2 workers, {config.docs} docs": dask, f"memory, {config.memory_docs} docs": memory}
    phases = phase_table({name: runs for name, runs in groups.items() if runs})
    total = time.perf_counter() - began
    print()
    print("\n".join(table))
    print("\nphases (medians, seconds, from the runs' Prefect logs):")
    print("\n".join(phases))
    print("\nlinearity of the extraction (process_batch, 2 reader processes):")
    print("\n".join(linearity))
    if notes:
        print("\nruns that failed:\n" + "\n".join(notes))
    print(f"\nbench took {total / 60:.1f} min")
    facts["speed"] += f", {speed_probe():.2f} s at the end (lower is faster)"

    print("\n".join(startup))
    if write:
        _write_doc(facts, config, repeats, args.quick, table, phases, linearity, total, generated, notes)
        _write_section(startup, STARTUP_START, STARTUP_END)
        print(f"wrote {DOC.relative_to(REPO)}")
    if args.keep:
        print(f"kept {tmp}")
    else:
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


def _error_line(tail: str) -> str:
    lines = [line for line in tail.splitlines() if "error" in line.lower()]
    return (lines[-1] if lines else tail.splitlines()[-1] if tail else "?").strip()[:200]


def _markdown_table(rows: list[tuple[str, ...]]) -> list[str]:
    head, *body = rows
    align = ["---", "---:", "---:", "---"] + ["---:"] * (len(head) - 4)
    lines = ["| " + " | ".join(head) + " |", "|" + "|".join(align[: len(head)]) + "|"]
    lines += ["| " + " | ".join(cell.replace("|", "\\|") for cell in row) + " |" for row in body]
    return lines


def _write_doc(facts, config: Config, repeats: int, quick: bool, table, phases, linearity, total: float,
               generated: float, notes: list[str]) -> None:
    section = [
        START,
        f"## Results ({'quick' if quick else 'full'} bench, {facts['date']})",
        "",
        "Written by `python -m tests.bench`; medians over "
        f"{repeats} run(s) per scenario. Documents are ~35 KB text minutes ({DOC_KB[0]}-{DOC_KB[1]} KB); "
        f"corpora took {generated:.0f} s to generate; the whole bench {total / 60:.1f} min. A run still going "
        f"after its limit is stopped (cold runs {config.limit_cold:.0f} s, unchanged {config.limit_unchanged:.0f} s, "
        f"memory {config.limit_memory:.0f} s, dask {config.limit_dask:.0f} s); a scenario whose first run took "
        f"over {config.repeat_below:.0f} s is "
        "not repeated. \"Cold\" means a new database and output folder; the input files are in the page cache.",
        "",
        "Machine: " + "; ".join(f"{k}: {v}" for k, v in facts.items() if k != "date"),
        "",
        *table,
        "",
        "Phases of the pipeline runs, medians in seconds, from each run's Prefect log (a task's end minus the "
        "previous one's; `imports` is process start to the temporary server starting):",
        "",
        *phases,
        "",
        "Linearity of the extraction alone (`flows.documents.process_batch`, 2 reader processes, medians):",
        "",
        *linearity,
        *(["", "Runs that failed:", "", *notes] if notes else []),
        END,
    ]
    _write_section(section, START, END)


def _write_section(section: list[str], start: str, end: str) -> None:
    """Replace the lines between the ``start`` and ``end`` markers of the benchmarks document (or append)."""
    text = DOC.read_text(encoding="utf-8") if DOC.exists() else _DOC_HEAD
    if start in text and end in text:
        before, rest = text.split(start, 1)
        after = rest.split(end, 1)[1]
        text = before + "\n".join(section) + after
    else:
        text = text.rstrip("\n") + "\n\n" + "\n".join(section) + "\n"
    DOC.parent.mkdir(parents=True, exist_ok=True)
    DOC.write_text(text, encoding="utf-8")


_DOC_HEAD = """# Benchmarks

`make bench` (or `python -m tests.bench`, `--quick` for a ~4 minute version) measures the nightly run at
national scale on synthetic minutes from `tests/corpus.py`. The results section below is rewritten by each
full bench; the rest of this file is not.
"""


if __name__ == "__main__":
    sys.exit(main())
