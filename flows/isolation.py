"""Read documents in a child process with a memory cap and a wall-clock kill.

PDFium is C: a signal cannot interrupt it and nothing bounds its memory, so a 3 MB PDF whose content
stream inflates to 1 GiB ran for minutes and took 15 GB. Here every document is read and extracted in a
child process whose address space is capped (RLIMIT_AS) and which is killed when the per-document time is
up. A child that dies or is killed costs only its document: that document is rejected with the reason
(and its bytes recorded, so it is not read again until they change), a new child takes the next one.

One child serves document after document, so its start (~0.3 s of imports) is paid once per process that
extracts: once in a local run, once per Dask worker; the limits apply the same way in both. Requests and
answers are pickles framed by their length on the child's stdin and stdout.
"""

from __future__ import annotations

import os
import pickle
import resource
import select
import signal
import struct
import subprocess
import sys
import threading
import time
from dataclasses import replace
from pathlib import Path

from extract.models import DocumentText, Extraction, UnreadableDocument
from flows.settings import Settings

_HEADER = struct.Struct("!Q")
_ROOT = Path(__file__).resolve().parents[1]  # so the child imports this ankestat, installed or not


class ReaderDied(Exception):
    """The child died (or was killed) while reading a document."""


class Reader:
    """A child process that reads documents, started on first use and replaced when it dies."""

    def __init__(self, memory_bytes: int):
        self.memory_bytes = memory_bytes
        self.process: subprocess.Popen | None = None

    def read(self, name: str, data: bytes, max_pages: int | None, seconds: float) -> tuple[DocumentText, Extraction]:
        request = pickle.dumps((name, data, max_pages), protocol=pickle.HIGHEST_PROTOCOL)
        # The time counts from the request: with two reading threads, this one may get the GIL back only
        # milliseconds after the child has answered, and that wait must not count as the child's being fast.
        deadline = time.monotonic() + seconds if seconds > 0 else None
        for attempt in (1, 2):
            if self.process is None or self.process.poll() is not None:
                self._start()
            try:
                _write_frame(self.process.stdin, request)
                break
            except (BrokenPipeError, OSError):
                self.close()  # it died between documents: a fresh child gets this one, once
                if attempt == 2:
                    raise
        try:
            answer = _read_frame(self.process.stdout.fileno(), deadline)
        except TimeoutError:
            self.close()
            raise UnreadableDocument(f"took longer than the {seconds:g} s limit per document") from None
        except ReaderDied:
            code = self.close()
            raise UnreadableDocument(self._death_reason(code)) from None
        kind, *payload = pickle.loads(answer)
        if kind == "ok":
            return payload[0], payload[1]
        raise UnreadableDocument(payload[0])

    def _death_reason(self, code: int | None) -> str:
        how = f"signal {signal.Signals(-code).name}" if code is not None and code < 0 else f"exit code {code}"
        limit = self.memory_bytes // 2**20
        return (f"reading it killed the reader process ({how}): most likely over the {limit} MiB memory limit "
                f"(--max-memory-mb)")

    def _start(self) -> None:
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(_ROOT), os.environ.get("PYTHONPATH")]))}
        self.process = subprocess.Popen(
            [sys.executable, "-m", "flows.isolation", str(self.memory_bytes)],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env, cwd=_ROOT,
        )

    def close(self) -> int | None:
        """Stop the child (kill it if it is busy); its exit code."""
        process, self.process = self.process, None
        if process is None:
            return None
        if process.poll() is None:
            process.kill()
        code = process.wait()
        for stream in (process.stdin, process.stdout):
            try:
                stream.close()
            except OSError:
                pass
        return code


def _write_frame(stream, payload: bytes) -> None:
    stream.write(_HEADER.pack(len(payload)))
    stream.write(payload)
    stream.flush()


def _read_frame(fd: int, deadline: float | None) -> bytes:
    header = _read_exactly(fd, _HEADER.size, deadline)
    return _read_exactly(fd, _HEADER.unpack(header)[0], deadline)


def _read_exactly(fd: int, size: int, deadline: float | None) -> bytes:
    chunks, left = [], size
    while left:
        timeout = None if deadline is None else deadline - time.monotonic()
        if timeout is not None and timeout <= 0:
            raise TimeoutError  # past the limit: an answer that is there by now came too late
        ready, _, _ = select.select([fd], [], [], timeout)
        if not ready:
            raise TimeoutError
        chunk = os.read(fd, min(left, 1 << 20))
        if not chunk:
            raise ReaderDied
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)


# The readers of this process that are not reading right now. A thread that reads takes one (or starts one)
# and puts it back after: as many children as threads read at once, one on Dask (a thread per worker), two
# in a local run (flows.documents.process_batch reads with ``settings.reader_processes`` threads).
_IDLE: list[Reader] = []
_IDLE_LOCK = threading.Lock()


def read_isolated(name: str, data: bytes, settings: Settings) -> tuple[DocumentText, Extraction]:
    """Extraction of one document and its DocumentText without the text itself (the parent needs only its
    pages, format and notes), read in a child process within the settings' limits."""
    with _IDLE_LOCK:
        reader = _IDLE.pop() if _IDLE else None
    if reader is not None and reader.memory_bytes != settings.max_memory_bytes:
        reader.close()
        reader = None
    reader = reader or Reader(settings.max_memory_bytes)
    try:
        return reader.read(name, data, settings.max_pages, settings.seconds_per_document)
    finally:
        with _IDLE_LOCK:
            _IDLE.append(reader)


def stop_reader() -> None:
    """Stop this process's child readers (they also stop by themselves when this process ends)."""
    with _IDLE_LOCK:
        readers = list(_IDLE)
        _IDLE.clear()
    for reader in readers:
        reader.close()


# --- the child -------------------------------------------------------------------------------------------


def _serve(memory_bytes: int) -> None:
    resource.setrlimit(resource.RLIMIT_AS, (memory_bytes, memory_bytes))
    _exit_with_parent()
    requests, answers = sys.stdin.buffer, os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)  # a library printing to stdout must not corrupt the answers
    from extract.document import extract_document
    from extract.readers import read_document

    while True:
        header = requests.read(_HEADER.size)
        if len(header) < _HEADER.size:
            return  # the parent closed the pipe: done
        name, data, max_pages = pickle.loads(requests.read(_HEADER.unpack(header)[0]))
        try:
            doc = read_document(name, data, max_pages=max_pages)
            # The text stays here: the parent needs only its pages, format and notes (the rows hold quotes).
            answer = ("ok", replace(doc, text=""), extract_document(name, doc))
        except UnreadableDocument as error:
            answer = ("unreadable", error.reason)
        except MemoryError:
            answer = ("unreadable", f"over the {memory_bytes // 2**20} MiB memory limit (--max-memory-mb)")
        except Exception as error:  # noqa: BLE001 - one document's failure is that document's rejection
            answer = ("unreadable", f"extraction failed: {type(error).__name__}: {error}"[:200])
        del data
        _write_frame(answers, pickle.dumps(answer, protocol=pickle.HIGHEST_PROTOCOL))


def _exit_with_parent() -> None:
    """A child whose parent is gone (killed mid-document) stops too, instead of reading on alone."""
    parent = os.getppid()

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(0.5)
        os._exit(1)

    threading.Thread(target=watch, daemon=True).start()


if __name__ == "__main__":
    _serve(int(sys.argv[1]))
