"""The progress bar of ``bienche extract`` (rich's progress module, imported only when
a bar is shown: see :func:`extractor.cli_support.file_progress`)."""

from __future__ import annotations

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    ProgressColumn,
    Task,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.text import Text


class RateColumn(ProgressColumn):
    """Files per second, once there is a rate to show."""

    def render(self, task: Task) -> Text:
        """``2.4 files/s`` (or ``- files/s`` before the second file)."""
        speed = task.finished_speed or task.speed
        return Text("- files/s" if speed is None else f"{speed:.1f} files/s", style="progress.data.speed")


def file_bar(err: Console) -> Progress:
    """A bar with count, rate, elapsed and remaining time, and the file just done
    (the ``file`` field, never read as markup)."""
    return Progress(
        TextColumn("{task.description}", markup=False),
        BarColumn(),
        MofNCompleteColumn(),
        RateColumn(),
        TimeElapsedColumn(),
        TextColumn("eta", markup=False),
        TimeRemainingColumn(),
        TextColumn("{task.fields[file]}", markup=False),
        console=err,
        refresh_per_second=8,
    )
