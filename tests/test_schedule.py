"""`ankestat serve`: a real Prefect server on loopback, the deployment with its schedule, a triggered run."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request

import duckdb
import pytest

from tests.expected import ROOT, SAMPLES

pytestmark = pytest.mark.slow
CRON = "0 2 * * *"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_for(url: str, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(1)
    raise TimeoutError(f"{url} did not answer in {seconds} s")


@pytest.fixture
def prefect_server(tmp_path):
    port = _free_port()
    api = f"http://127.0.0.1:{port}/api"
    env = {**os.environ, "PREFECT_HOME": str(tmp_path / "prefect-home"), "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
           "DO_NOT_TRACK": "1", "PREFECT_UI_ENABLED": "false", "PREFECT_API_URL": api}
    server = subprocess.Popen([sys.executable, "-m", "prefect", "server", "start", "--host", "127.0.0.1",
                               "--port", str(port)], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        _wait_for(f"{api}/health", 120)
        yield env
    finally:
        server.terminate()
        server.wait(timeout=30)


def test_serve_registers_the_schedule_and_runs_the_flow(prefect_server, tmp_path):
    env = {**prefect_server, "PYTHONPATH": str(ROOT), "PREFECT_RUNNER_POLL_FREQUENCY": "2",
           "GX_ANALYTICS_ENABLED": "false"}
    db, out = tmp_path / "x.duckdb", tmp_path / "out"
    serve = subprocess.Popen([sys.executable, "-m", "flows.cli", "serve", "--cron", CRON, "--input", str(SAMPLES),
                              "--db", str(db), "--out", str(out)], cwd=ROOT, env=env,
                             stdout=(tmp_path / "serve.log").open("w"), stderr=subprocess.STDOUT)
    try:
        code = subprocess.run([sys.executable, "-c", _CLIENT_SCRIPT, CRON], env=env, cwd=ROOT, capture_output=True,
                              text=True, timeout=400)
        assert code.returncode == 0, code.stdout + code.stderr
        assert "COMPLETED" in code.stdout, (tmp_path / "serve.log").read_text()[-3000:]
    finally:
        serve.terminate()
        serve.wait(timeout=30)
    with duckdb.connect(str(db), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM appeal_stats").fetchone() == (15,)


# Runs in its own process against the server: finds the deployment, checks its schedule, triggers a run and
# waits for it to finish.
_CLIENT_SCRIPT = r"""
import sys, time
from prefect.client.orchestration import get_client
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
    crons = [s.schedule.cron for s in deployment.schedules]
    assert crons == [cron], crons
run = run_deployment("ankestat-scheduled/nightly", timeout=300, poll_interval=2)
print(run.state.type.value if hasattr(run.state.type, "value") else run.state.type)
"""
