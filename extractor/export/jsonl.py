"""The JSON Lines contract (OUTPUT.md v1): one ``DocumentResult`` per line."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import TextIO

from pydantic import ValidationError

from extractor.models import DocumentResult


def write_jsonl(results: Iterable[DocumentResult], out: TextIO) -> int:
    """Write each result as one JSON line to ``out``; returns the number written."""
    count = 0
    for result in results:
        out.write(result.to_json())
        out.write("\n")
        count += 1
    return count


def read_jsonl(path: Path | str) -> list[DocumentResult]:
    """The DocumentResults of a JSON Lines file, in file order (blank lines skipped).

    Raises ``ValueError`` naming the file and line of the first invalid record.
    """
    results: list[DocumentResult] = []
    with Path(path).open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                results.append(DocumentResult.model_validate_json(line))
            except ValidationError as exc:
                raise ValueError(f"{path}:{number}: not a DocumentResult record: {exc}") from exc
    return results
