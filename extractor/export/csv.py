"""Figures and citations as flat tables: ``figures.csv`` and ``citations.csv``.

The row builders here (``figure_rows``, ``citation_rows``) are shared with the
XLSX export so that both show the same columns in the same order.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable, Iterator
from pathlib import Path

from extractor.models import DocumentResult

Cell = str | int | float | bool | None
"""One spreadsheet cell: numbers stay numbers, None is an empty cell."""

FIGURE_FIELDS: tuple[str, ...] = (
    "kind", "value", "unit", "category", "org", "year", "period", "base_year",
    "rate_percent", "approx", "parent", "row_total", "id", "start", "end", "text", "bbox", "ocr_confidence",
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


def write_csv(results: Iterable[DocumentResult], out_dir: Path) -> list[Path]:
    """Write ``figures.csv`` and ``citations.csv`` (UTF-8 with BOM) into ``out_dir``.

    Returns the paths written. Text cells that start like a formula get a
    leading quote (CSV injection), sentences lose a leading list bullet first;
    numbers are written as numbers.
    """
    kept = list(results)
    out_dir.mkdir(parents=True, exist_ok=True)
    tables = (
        ("figures.csv", FIGURE_COLUMNS, figure_rows(kept)),
        ("citations.csv", CITATION_COLUMNS, citation_rows(kept)),
    )
    paths: list[Path] = []
    for name, columns, rows in tables:
        path = out_dir / name
        with path.open("w", encoding="utf-8-sig", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(columns)
            writer.writerows(_csv_row(row) for row in rows)
        paths.append(path)
    return paths


def _csv_row(row: list[Cell]) -> list[str | int | float]:
    """A table row as CSV cells; the last cell is the sentence."""
    *cells, sentence = row
    last = defuse_sentence(sentence) if isinstance(sentence, str) else _csv_cell(sentence)
    return [*(_csv_cell(cell) for cell in cells), last]
