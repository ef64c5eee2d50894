"""The run journal: every finished file's record, appended and flushed as it arrives.

A batch writes each result here the moment it is done, before any output file. The
outputs (JSON Lines, CSV, XLSX, report) are then written from the journal, so a run
stopped by Ctrl-C, SIGTERM or even ``kill -9`` loses at most the files in flight,
and ``extract --resume`` finds every record it can keep. A line cut short by a kill
is ignored when read back.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from extractor.models import DocumentResult

JOURNAL_NAME = ".bienche-journal.jsonl"


@dataclass(frozen=True)
class Entry:
    """Where one record sits in the journal and what identifies it."""

    offset: int
    source: str
    sha256: str | None
    settings: str | None
    codes: tuple[str, ...]


class Journal:
    """An append-only JSON Lines file of raw records (corpus-wide findings not yet added)."""

    def __init__(self, path: Path, *, fresh: bool) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self._handle: IO[bytes] = path.open("wb" if fresh else "ab")

    def append(self, result: DocumentResult) -> int:
        """Write ``result`` as one line, flushed to the OS; returns its byte offset."""
        offset = self._handle.tell()
        self._handle.write(result.to_json().encode("utf-8") + b"\n")
        self._handle.flush()
        return offset

    def close(self) -> None:
        """Close the file (records stay)."""
        self._handle.close()


def entries(path: Path) -> Iterator[Entry]:
    """The complete, valid records of a journal with their offsets, in file order."""
    if not path.is_file():
        return
    with path.open("rb") as handle:
        offset = 0
        for line in handle:
            start, offset = offset, offset + len(line)
            if not line.endswith(b"\n"):
                return  # cut short by a kill
            try:
                record = json.loads(line)
            except ValueError:
                continue
            if not isinstance(record, dict) or not isinstance(record.get("source"), str):
                continue
            codes = tuple(str(e.get("code")) for e in record.get("errors") or () if isinstance(e, dict))
            yield Entry(start, record["source"], record.get("sha256"), record.get("settings"), codes)


def read_at(handle: IO[bytes], offset: int) -> DocumentResult:
    """The record that starts at ``offset`` of an open journal."""
    handle.seek(offset)
    return DocumentResult.model_validate_json(handle.readline())


def compact(path: Path, offsets: list[int]) -> None:
    """Rewrite the journal to hold just the records at ``offsets``, in that order (atomically)."""
    temporary = path.with_name(path.name + ".tmp")
    with path.open("rb") as source, temporary.open("wb") as target:
        for offset in offsets:
            source.seek(offset)
            target.write(source.readline())
    os.replace(temporary, path)
