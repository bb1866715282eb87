"""Checks of a run's settings that take milliseconds, made before Prefect is imported (1-5 s), so a wrong
folder or file is one line at once, not after a temporary server has started."""

from __future__ import annotations

from flows.documents import input_files
from flows.settings import Settings


class EmptyInputFolder(FileNotFoundError):
    """With --strict, an input folder without documents is an error: most likely a share that is not mounted."""


def check_run(settings: Settings) -> None:
    """Raise with one clear line when the run cannot do what it was asked."""
    if not settings.input_dir.is_dir():
        raise FileNotFoundError(f"input folder {settings.input_dir} does not exist")
    if not settings.reference_csv.is_file():
        raise FileNotFoundError(f"reference rates {settings.reference_csv} do not exist (--reference)")
    if settings.strict and not input_files(settings.input_dir):
        raise EmptyInputFolder(f"input folder {settings.input_dir} holds no documents (--strict)")
