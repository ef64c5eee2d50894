"""Figures and citations as flat tables: ``figures.csv`` and ``citations.csv``.

The row builders here (``figure_rows``, ``citation_rows``) are shared with the
XLSX export so that both show the same columns in the same order.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TextIO

from extractor.export.staging import Staged, drive
from extractor.models import DocumentResult

Cell = str | int | float | bool | None
"""One spreadsheet cell: numbers stay numbers, None is an empty cell."""

FIGURE_FIELDS: tuple[str, ...] = (
    "kind", "value", "unit", "category", "org", "year", "period", "base_year",
    "rate_percent", "basis", "role", "approx", "partial", "parent", "row_total", "id", "start", "end", "text", "bbox", "ocr_confidence",
)  # fmt: skip
CITATION_FIELDS: tuple[str, ...] = (
    "id", "key", "number", "type", "date", "issuer", "relation", "partial",
    "is_self", "start", "end", "text", "bbox", "ocr_confidence",
)  # fmt: skip
FIGURE_COLUMNS: tuple[str, ...] = ("source", "page", *FIGURE_FIELDS, "sentence")
CITATION_COLUMNS: tuple[str, ...] = ("source", "page", *CITATION_FIELDS, "sentence")

FORMULA_LEADS = ("=", "+", "-", "@", "\t", "\r")
"""What a spreadsheet may read as the start of a formula (OWASP's CSV-injection list)."""
_BULLET = re.compile(r"^[ \t]*(?:[-+*•◦▪‣∙·–—])[ \t]+")


def plain(value: object) -> Cell:
    """A model value as a cell: whole floats become ints (28960.0 -> 28960)."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if value is None or isinstance(value, str | int | float | bool):
        return value
    return str(value)


def figure_rows(results: Iterable[DocumentResult]) -> Iterator[list[Cell]]:
    """One row per figure, in ``FIGURE_COLUMNS`` order: source, page, fields, sentence."""
    for result in results:
        for figure in result.figures:
            fields = [plain(getattr(figure, name)) for name in FIGURE_FIELDS]
            yield [result.source, figure.page, *fields, figure.sentence]


def citation_rows(results: Iterable[DocumentResult]) -> Iterator[list[Cell]]:
    """One row per citation, in ``CITATION_COLUMNS`` order: source, page, fields, sentence."""
    for result in results:
        for citation in result.citations:
            fields = [plain(getattr(citation, name)) for name in CITATION_FIELDS]
            yield [result.source, citation.page, *fields, citation.sentence]


def formula_risk(text: str) -> bool:
    """Whether a spreadsheet could read ``text`` as a formula: it starts with
    = + - @ tab or CR, also after leading spaces."""
    return text.lstrip(" ").startswith(FORMULA_LEADS)


def defuse(text: str) -> str:
    """``text`` with a leading quote if it is a formula risk, else unchanged.

    The one guard of every CSV bienche writes (``extract --csv`` and
    ``graph export -f csv``)."""
    return "'" + text if formula_risk(text) else text


def strip_bullet(sentence: str) -> str:
    """``sentence`` without a leading list bullet ("- ", "+ ", "• ", "– " …)."""
    return _BULLET.sub("", sentence, count=1)


def defuse_sentence(sentence: str) -> str:
    """A sentence cell: its list bullet dropped, then :func:`defuse`."""
    return defuse(strip_bullet(sentence))


def _csv_cell(value: Cell) -> str | int | float:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return defuse(value)
    return value


class CsvSink:
    """``figures.csv`` and ``citations.csv`` in ``out_dir``, written as documents pass."""

    def __init__(self, out_dir: Path) -> None:
        self._tables = [
            (Staged(out_dir / "figures.csv"), FIGURE_COLUMNS, figure_rows),
            (Staged(out_dir / "citations.csv"), CITATION_COLUMNS, citation_rows),
        ]
        self._handles: list[TextIO] = []
        try:
            for staged, columns, _ in self._tables:
                handle = staged.temp.open("w", encoding="utf-8-sig", newline="")
                self._handles.append(handle)
                csv.writer(handle).writerow(columns)
        except BaseException:
            self.abort()
            raise
        self._writers = [csv.writer(handle) for handle in self._handles]

    def add(self, result: DocumentResult) -> None:
        """Write the figure and citation rows of ``result``."""
        for writer, (_, _, rows) in zip(self._writers, self._tables, strict=True):
            writer.writerows(_csv_row(row) for row in rows((result,)))

    def finish(self) -> list[Staged]:
        """Close both files; returns them staged."""
        for handle in self._handles:
            handle.close()
        return [staged for staged, _, _ in self._tables]

    def abort(self) -> None:
        """Close and remove both files."""
        for handle in self._handles:
            handle.close()
        for staged, _, _ in self._tables:
            staged.discard()


def write_csv(results: Iterable[DocumentResult], out_dir: Path) -> list[Path]:
    """Write ``figures.csv`` and ``citations.csv`` (UTF-8 with BOM) into ``out_dir``.

    Returns the paths written. Text cells that start like a formula get a
    leading quote (CSV injection), sentences lose a leading list bullet first;
    numbers are written as numbers. Both files appear complete or not at all.
    """
    return drive(results, [CsvSink(out_dir)])


def _csv_row(row: list[Cell]) -> list[str | int | float]:
    """A table row as CSV cells; the last cell is the sentence."""
    *cells, sentence = row
    last = defuse_sentence(sentence) if isinstance(sentence, str) else _csv_cell(sentence)
    return [*(_csv_cell(cell) for cell in cells), last]
