"""Outputs that are complete or absent: each is written to a temporary name beside
its target and renamed over it (``os.replace``) only once every output of the run
is complete; on any exception the temporary files go and old outputs stay as they were.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Protocol

from extractor.models import DocumentResult


class Staged:
    """One output being written: ``temp`` now, ``target`` after :meth:`commit`."""

    def __init__(self, target: Path) -> None:
        target.parent.mkdir(parents=True, exist_ok=True)
        self.target = target
        self.temp = target.with_name(f".{target.name}.{os.getpid()}-{secrets.token_hex(4)}.part")

    def commit(self) -> None:
        """Rename the finished temporary file over the target."""
        os.replace(self.temp, self.target)

    def discard(self) -> None:
        """Remove the temporary file, if any."""
        self.temp.unlink(missing_ok=True)


class Sink(Protocol):
    """A streaming writer: one document at a time, then finished or aborted."""

    def add(self, result: DocumentResult) -> None:
        """Write what ``result`` contributes."""

    def finish(self) -> list[Staged]:
        """Complete and close the temporary files; returns them, not yet committed."""

    def abort(self) -> None:
        """Close and remove the temporary files (also after :meth:`finish`)."""


def abort_all(sinks: Iterable[Sink]) -> None:
    """Abort every sink; a failing abort does not keep the others from theirs."""
    for sink in sinks:
        try:
            sink.abort()
        except Exception:  # noqa: BLE001, S110 - cleanup must go on; the first error is the one raised
            pass


def commit_all(staged: Sequence[Staged]) -> list[Path]:
    """Rename every staged file over its target; the rest are removed if one fails."""
    done = 0
    try:
        for item in staged:
            item.commit()
            done += 1
    finally:
        for item in staged[done:]:
            item.discard()
    return [item.target for item in staged]


def drive(
    results: Iterable[DocumentResult],
    sinks: Sequence[Sink],
    before: Callable[[DocumentResult], None] | None = None,
) -> list[Path]:
    """One pass of ``results`` through every sink (``before`` first sees each result);
    all outputs are renamed into place at the end, or none on an exception."""
    staged: list[Staged] = []
    try:
        for result in results:
            if before is not None:
                before(result)
            for sink in sinks:
                sink.add(result)
        for sink in sinks:
            staged.extend(sink.finish())
    except BaseException:
        abort_all(sinks)
        raise
    return commit_all(staged)
