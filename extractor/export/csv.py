"""Figures and citations as flat tables: ``figures.csv`` and ``citations.csv``.

The row builders here (``figure_rows``, ``citation_rows``) are shared with the
XLSX export so that both show the same columns in the same order.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator
from pathlib import Path

from extractor.models import DocumentResult

Cell = str | int | float | bool | None
"""One spreadsheet cell: numbers stay numbers, None is an empty cell."""

FIGURE_FIELDS: tuple[str, ...] = (
    "kind", "value", "unit", "category", "org", "year", "period", "base_year",
    "rate_percent", "approx", "parent", "id", "start", "end", "text",
)  # fmt: skip
CITATION_FIELDS: tuple[str, ...] = (
    "id", "key", "number", "type", "date", "issuer", "relation", "partial",
    "is_self", "start", "end", "text",
)  # fmt: skip
FIGURE_COLUMNS: tuple[str, ...] = ("source", "page", *FIGURE_FIELDS, "sentence")
CITATION_COLUMNS: tuple[str, ...] = ("source", "page", *CITATION_FIELDS, "sentence")

_FORMULA_LEADS = ("=", "+", "-", "@", "\t", "\r")


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


def defuse(text: str) -> str:
    """``text`` with a leading quote if a spreadsheet would read it as a formula."""
    return "'" + text if text.startswith(_FORMULA_LEADS) else text


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
    leading quote (CSV injection); numbers are written as numbers.
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
            writer.writerows([_csv_cell(cell) for cell in row] for row in rows)
        paths.append(path)
    return paths
