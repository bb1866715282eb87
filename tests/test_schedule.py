"""A real Prefect server on loopback: `ankestat serve` (the deployment, its schedule and time zone, a triggered
run with its options and its logs in the API), `ankestat run` against it, and Prefect's own CLI on it."""

from __future__ import annotations

import os
import socket
import subprocess
import sys

import duckdb
import pytest

from flows.settings import OFFICIAL_RATES
from flows.supervise import wait_for_server
from tests.expected import ROOT, SAMPLES

pytestmark = pytest.mark.slow
CRON = "0 2 * * *"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def prefect_server(tmp_path_factory):
    """One server for the module: it takes 6-18 s to start."""
    port = _free_port()
    api = f"http://127.0.0.1:{port}/api"
    env = {**os.environ, "PREFECT_HOME": str(tmp_path_factory.mktemp("prefect-home")),
           "PREFECT_SERVER_ANALYTICS_ENABLED": "false", "DO_NOT_TRACK": "1", "PREFECT_UI_ENABLED": "false",
           "PREFECT_API_URL": api}
    server = subprocess.Popen([sys.executable, "-m", "prefect", "server", "start", "--host", "127.0.0.1",
                               "--port", str(port)], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_for_server(api, 120, server)
        yield env
    finally:
        server.terminate()
        server.wait(timeout=30)


def test_serve_registers_the_schedule_and_runs_the_flow(prefect_server, tmp_path):
    env = {**prefect_server, "PYTHONPATH": str(ROOT), "PREFECT_RUNNER_POLL_FREQUENCY": "2",
           "GX_ANALYTICS_ENABLED": "false", "COLUMNS": "250"}
    env.pop("PREFECT_LOGGING_LEVEL", None)  # as a user starts it: the CLI chooses the level
    db, out = tmp_path / "x.duckdb", tmp_path / "out"
    reference = tmp_path / "two_rates.csv"  # a run option carried through: its effect is in the database
    reference.write_text("".join(OFFICIAL_RATES.read_text(encoding="utf-8").splitlines(keepends=True)[:3]),
                         encoding="utf-8")
    serve = subprocess.Popen([sys.executable, "-m", "flows.cli", "serve", "--cron", CRON, "--input", str(SAMPLES),
                              "--db", str(db), "--out", str(out), "--reference", str(reference),
                              "--max-pages", "7"], cwd=ROOT, env=env,
                             stdout=(tmp_path / "serve.log").open("w"), stderr=subprocess.STDOUT)
    try:
        code = subprocess.run([sys.executable, "-c", _CLIENT_SCRIPT, CRON], env=env, cwd=ROOT, capture_output=True,
                              text=True, timeout=400)
        assert code.returncode == 0, code.stdout + code.stderr + (tmp_path / "serve.log").read_text()[-3000:]
        assert "COMPLETED" in code.stdout, (tmp_path / "serve.log").read_text()[-3000:]
        listed = subprocess.run([sys.executable, "-m", "prefect", "deployment", "ls"], env=env, capture_output=True,
                                text=True, timeout=120)
        assert listed.returncode == 0, listed.stdout + listed.stderr  # 422 with fastapi>=0.151
        assert "ankestat-scheduled/nightly" in listed.stdout, listed.stdout
    finally:
        serve.terminate()
        serve.wait(timeout=30)
    with duckdb.connect(str(db), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM appeal_stats").fetchone() == (15,)
        assert con.execute("SELECT count(*) FROM reference_national_rates").fetchone() == (2,)


def test_run_against_the_server_from_another_folder(prefect_server, tmp_path):
    """`ankestat run` started outside the repository finds its official rates; an unchanged re-run does not
    import Great Expectations; `prefect flow-run ls` lists the runs."""
    env = {**prefect_server, "GX_ANALYTICS_ENABLED": "false", "COLUMNS": "250"}
    env.pop("PYTHONPATH", None)
    env.pop("PREFECT_LOGGING_LEVEL", None)
    args = ["run", "--input", str(SAMPLES), "--db", str(tmp_path / "x.duckdb"), "--out", str(tmp_path / "out")]
    first = subprocess.run([sys.executable, "-m", "flows.cli", *args], cwd=tmp_path, env=env, capture_output=True,
                           text=True, timeout=300)
    assert first.returncode == 0, first.stderr[-3000:]
    assert first.stderr == ""  # the console is as quiet as with the temporary server
    assert first.stdout.startswith("ankestat run "), first.stdout
    again = subprocess.run([sys.executable, "-c", _RERUN_SCRIPT, *args], cwd=tmp_path, env=env,
                           capture_output=True, text=True, timeout=300)
    assert again.returncode == 0, again.stderr[-3000:]
    assert again.stdout.splitlines()[-1] == "exit 0; great_expectations imported: False", again.stdout
    listed = subprocess.run([sys.executable, "-m", "prefect", "flow-run", "ls"], env=env, capture_output=True,
                            text=True, timeout=120)
    assert listed.returncode == 0, listed.stdout + listed.stderr  # 422 with fastapi>=0.151
    assert "ankestat-nightly" in listed.stdout, listed.stdout


def test_a_served_run_with_strict_fails_when_a_document_is_rejected(prefect_server, tmp_path):
    """A cron line sees --strict in the exit code; a served run in its state, which the UI shows."""
    minutes = tmp_path / "minutes"
    minutes.mkdir()
    (minutes / "broken.pdf").write_bytes(b"%PDF-1.7 this is not a PDF")
    env = {**prefect_server, "GX_ANALYTICS_ENABLED": "false"}
    parameters = {"input_dir": str(minutes), "db_path": str(tmp_path / "x.duckdb"), "out_dir": str(tmp_path / "out"),
                  "strict": True}
    done = subprocess.run([sys.executable, "-c", _STRICT_SCRIPT, repr(parameters)], cwd=tmp_path, env=env,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    assert done.stdout.splitlines()[-1] == "FAILED --strict: 1 documents rejected", done.stdout


_STRICT_SCRIPT = r"""
import ast, sys
from flows.schedule import scheduled_nightly
from flows.settings import Settings

settings = Settings.from_parameters(ast.literal_eval(sys.argv[1]))
state = scheduled_nightly(settings.to_parameters(), return_state=True)
print(state.type.value, state.message)
"""

_RERUN_SCRIPT = r"""
import sys
from flows.cli import main
code = main(sys.argv[1:])
print(f"exit {code}; great_expectations imported: {'great_expectations' in sys.modules}")
"""

# Runs in its own process against the server: finds the deployment, checks its schedule and parameters,
# triggers a run, waits for it to finish and reads its logs.
_CLIENT_SCRIPT = r"""
import sys, time
from prefect.client.orchestration import get_client
import asyncio, datetime
from zoneinfo import ZoneInfo
from prefect.client.schemas.filters import LogFilter, LogFilterFlowRunId
from prefect.server.schemas.schedules import CronSchedule
from prefect.deployments import run_deployment

cron = sys.argv[1]
with get_client(sync_client=True) as client:
    deadline = time.monotonic() + 120
    while True:
        try:
            deployment = client.read_deployment_by_name("ankestat-scheduled/nightly")
            break
        except Exception:
            if time.monotonic() > deadline:
                raise
            time.sleep(2)
    schedules = [(s.schedule.cron, s.schedule.timezone) for s in deployment.schedules]
    assert schedules == [(cron, "Europe/Copenhagen")], schedules
    assert deployment.parameters["settings"]["max_pages"] == 7, deployment.parameters
    # The stored schedule, through the server's own scheduling code: 02:00 Danish time in winter and summer.
    stored = deployment.schedules[0].schedule
    dates = []
    for month in (1, 7):
        start = datetime.datetime(2027, month, 1, tzinfo=datetime.timezone.utc)
        dates += asyncio.run(CronSchedule(cron=stored.cron, timezone=stored.timezone).get_dates(n=2, start=start))
    local = {d.astimezone(ZoneInfo("Europe/Copenhagen")).strftime("%H:%M") for d in dates}
    assert local == {"02:00"}, dates
    assert {d.astimezone(datetime.timezone.utc).hour for d in dates} == {0, 1}, dates  # UTC+2 and UTC+1
run = run_deployment("ankestat-scheduled/nightly", timeout=300, poll_interval=2)
print(run.state.type.value if hasattr(run.state.type, "value") else run.state.type)
time.sleep(3)  # logs reach the API in batches
with get_client(sync_client=True) as client:
    logs = client.read_logs(LogFilter(flow_run_id=LogFilterFlowRunId(any_=[run.id])))
text = "\n".join(log.message for log in logs)
assert "statistics: " in text and "latest reversal rate" in text, text
"""
