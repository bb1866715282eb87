"""A run and everything it starts end together.

With no PREFECT_API_URL, Prefect starts a temporary API server (uvicorn) as a child of the run and stops it
at exit. A run that is killed (SIGKILL, the OOM killer) or terminated (SIGTERM: Python runs no exit
handlers then) never gets there, and the server was left behind. Prefect 3.8 has no setting for that, so
``ankestat run`` works in a child process in a process group of its own, which the server (and the reader
child, and a local Dask cluster) join, and the command's own process only supervises it. The supervisor
starts the server itself, as Prefect would, beside the child: it boots while the child imports.

- the child ends: the server is stopped, any process left in its group is killed, and the child's exit code
  is the command's;
- the supervisor gets SIGTERM (or SIGHUP): it kills the child's group, then ends by that signal;
- the supervisor gets SIGINT (Ctrl-C reaches only the terminal's foreground group): it is passed on to the
  child, which says what it always said (``interrupted; the database is as it was before this run``);
- the supervisor gets SIGTSTP (Ctrl-Z): the child's group is stopped, then the supervisor stops itself; when
  it is continued (``fg``, ``bg``, SIGCONT), it continues the child's group;
- the supervisor dies however it dies, SIGKILL included: the child holds the read end of a pipe whose only
  writer is the supervisor; a thread blocked on it reads end-of-file the moment the supervisor is gone, and
  kills the group. That thread does not wait for the main thread (as a signal handler would: a
  PR_SET_PDEATHSIG handler runs only between two bytecodes of the main thread), and it works beyond Linux.

stdin, stdout and stderr are the child's own, inherited: what the run prints is passed through untouched.
"""

from __future__ import annotations

import importlib.util
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

WATCH_FD = "_ANKESTAT_SUPERVISOR_FD"  # set for the child only: the fd of the pipe from its supervisor
TEMPORARY_API = "_ANKESTAT_TEMPORARY_API"  # set for the child only: the URL of the server started beside it
_ROOT = Path(__file__).resolve().parents[1]  # so the child imports this ankestat, installed or not


def run_supervised(argv: list[str]) -> int:
    """Run ``ankestat <argv>`` in a child in its own process group and wait for it; its exit code."""
    pending: list[int] = []  # signals that came before the child was there
    signal.signal(signal.SIGTERM, lambda signum, _frame: pending.append(signum))
    signal.signal(signal.SIGHUP, lambda signum, _frame: pending.append(signum))
    signal.signal(signal.SIGINT, lambda signum, _frame: pending.append(signum))
    started: list[subprocess.Popen] = []  # the child, once it is there

    def stop_together(_signum, _frame):
        # Installed before the child starts: a Ctrl-Z in between would otherwise be dropped (a session leader
        # without a terminal ignores SIGTSTP by default). Before the child exists this process stops alone.
        if started:
            _signal_group(started[0].pid, signal.SIGSTOP)
        os.kill(os.getpid(), signal.SIGSTOP)  # stops here; the next line runs when this process is continued

    def continue_together(_signum, _frame):
        if started:
            _signal_group(started[0].pid, signal.SIGCONT)

    signal.signal(signal.SIGTSTP, stop_together)
    signal.signal(signal.SIGCONT, continue_together)
    read_end, write_end = os.pipe()  # both ends not inheritable: the child gets the read end only
    port = _free_port()
    api = f"http://127.0.0.1:{port}/api"
    env = {**os.environ, WATCH_FD: str(read_end), "PREFECT_API_URL": api, TEMPORARY_API: api,
           "PYTHONPATH": os.pathsep.join(filter(None, [str(_ROOT), os.environ.get("PYTHONPATH")]))}
    # -P: the current folder is not put on sys.path, so a `flows` folder there cannot stand in for ankestat's.
    child = subprocess.Popen([sys.executable, "-P", "-m", "flows.cli", *argv], env=env, pass_fds=(read_end,),
                             process_group=0)
    started.append(child)
    os.close(read_end)
    server = _start_temporary_server(port, group=child.pid)
    ended_by: list[int] = []

    def end_group(signum, _frame):
        ended_by.append(signum)
        _kill_group(child.pid)

    def pass_on(signum, _frame):
        if child.returncode is None:
            child.send_signal(signum)

    signal.signal(signal.SIGTERM, end_group)
    signal.signal(signal.SIGHUP, end_group)
    signal.signal(signal.SIGINT, pass_on)
    for signum in pending:
        (pass_on if signum == signal.SIGINT else end_group)(signum, None)
    # Wait without reaping, so that the child's pid (its group's id) cannot be taken by another process
    # before the group's leftovers are killed.
    while True:
        try:
            os.waitid(os.P_PID, child.pid, os.WEXITED | os.WNOWAIT)
            break
        except ChildProcessError:
            break
        except InterruptedError:  # pragma: no cover - Python retries waitid after a signal handler itself
            continue
    _stop(server)
    _kill_group(child.pid)
    code = child.wait()
    os.close(write_end)
    if ended_by:
        code = -ended_by[0]
    if code < 0:  # end as the child (or this process) was ended, so a caller sees the same signal
        signal.signal(-code, signal.SIG_DFL)
        os.kill(os.getpid(), -code)
        return 128 - code
    return code


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _start_temporary_server(port: int, group: int) -> subprocess.Popen:
    """Prefect's temporary API server, started as Prefect 3.8 starts it (``SubprocessASGIServer``), but here,
    beside the child and in its process group: it boots (5-8 s) while the child imports (3-5 s), instead of
    after. The child waits for it (``wait_for_server``) before its flow starts."""
    site = Path(importlib.util.find_spec("prefect").origin).parents[1]  # not imported here: that takes seconds
    return subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "--app-dir", str(site), "--factory", "prefect.server.api.server:create_app",
         "--host", "127.0.0.1", "--port", str(port), "--log-level", "error", "--lifespan", "on"],
        env={**os.environ, "PREFECT_UI_ENABLED": "0", "PREFECT__SERVER_EPHEMERAL": "1", "PREFECT__SERVER_FINAL": "1"},
        stdin=subprocess.DEVNULL, process_group=group)


def wait_for_server(api: str, seconds: float, process: subprocess.Popen | None = None) -> None:
    """Return when the Prefect server at ``api`` answers; raise when it does not within ``seconds``, or when
    ``process`` (the server, if this process started it) has ended. In the child: the server started beside it."""
    deadline = time.monotonic() + seconds
    while True:
        try:
            with urllib.request.urlopen(f"{api}/health", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            pass
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"the Prefect server at {api} ended with exit code {process.returncode}")
        if time.monotonic() > deadline:
            raise RuntimeError(f"the Prefect server at {api} did not answer within {seconds:g} s")
        time.sleep(0.05)


def _stop(server: subprocess.Popen) -> None:
    """Let the server end on its own (0.2 s), so its database is left between two writes; then it is killed."""
    server.terminate()
    try:
        server.wait(timeout=5)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()


def watch_supervisor(fd: int) -> None:
    """In the child: when the supervisor is gone (the pipe ``fd`` reads end-of-file), kill this process
    group, this process included. Only in a child that leads its own group (as the supervisor starts it)."""
    if os.getpgrp() != os.getpid():
        return
    os.set_inheritable(fd, False)

    def watch():
        try:
            while os.read(fd, 1):
                pass
        except OSError:
            pass
        os.killpg(os.getpgrp(), signal.SIGKILL)

    threading.Thread(target=watch, name="ankestat-supervisor-watch", daemon=True).start()


def _kill_group(pgid: int) -> None:
    _signal_group(pgid, signal.SIGKILL)


def _signal_group(pgid: int, signum: int) -> None:
    try:
        os.killpg(pgid, signum)
    except (ProcessLookupError, PermissionError):
        pass
