"""The JSON Lines contract (OUTPUT.md v1): one ``DocumentResult`` per line."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path
import sys
from typing import TextIO

from pydantic import ValidationError

from extractor.export.staging import Staged
from extractor.models import DocumentResult


def write_jsonl(results: Iterable[DocumentResult], out: TextIO) -> int:
    """Write each result as one JSON line to ``out``; returns the number written."""
    count = 0
    for result in results:
        out.write(result.to_json())
        out.write("\n")
        count += 1
    return count


class JsonlSink:
    """JSON Lines written as documents pass, to ``out`` (staged) or standard output (None)."""

    def __init__(self, out: Path | None) -> None:
        self._staged = Staged(out) if out is not None else None
        self._handle: TextIO = sys.stdout if self._staged is None else self._staged.temp.open("w", encoding="utf-8")

    def add(self, result: DocumentResult) -> None:
        """Write the line of ``result``."""
        write_jsonl((result,), self._handle)

    def finish(self) -> list[Staged]:
        """Close the file (flush standard output); the staged file, if any."""
        if self._staged is None:
            self._handle.flush()
            return []
        self._handle.close()
        return [self._staged]

    def abort(self) -> None:
        """Close and remove the staged file (standard output is left as it is)."""
        if self._staged is not None:
            self._handle.close()
            self._staged.discard()


def iter_jsonl(path: Path | str) -> Iterator[DocumentResult]:
    """The DocumentResults of a JSON Lines file one at a time, in file order (blank
    lines skipped): a spool read back without holding it all.

    Raises ``ValueError`` naming the file and line of the first invalid record.
    """
    with Path(path).open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                yield DocumentResult.model_validate_json(line)
            except ValidationError as exc:
                raise ValueError(f"{path}:{number}: not a DocumentResult record: {exc}") from exc


def read_jsonl(path: Path | str) -> list[DocumentResult]:
    """The DocumentResults of a JSON Lines file, in file order (blank lines skipped).

    Raises ``ValueError`` naming the file and line of the first invalid record.
    """
    return list(iter_jsonl(path))
