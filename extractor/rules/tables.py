"""Quota figures from tables: rows "cell | cell | cell" (as ingest writes DOCX, PDF and
markdown tables) under a header that names years ("Biên chế năm 2024") or categories
("Cán bộ, công chức", "Viên chức"), in a table about biên chế. A "Tổng cộng" row is the
whole of the rows above it when the table is flat, so the checker can add them up."""

from __future__ import annotations

from dataclasses import dataclass

import regex

from extractor.models import Figure
from extractor.rules.figures import category_at
from extractor.rules.numbers import parse_number

_YEAR = regex.compile(r"(?<!\d)((?:19|20)\d{2})(?!\d)")
_TOTAL_ROW = regex.compile(r"^\s*(?:tổng\s+cộng|tổng\s+số|tổng|cộng|toàn\s+tỉnh|toàn\s+thành\s+phố)\s*:?\s*$", regex.IGNORECASE)
_INDEX = regex.compile(r"^\s*(?:\d{1,3}|[IVX]{1,4}|[a-zđ])[.)]?\s*$")
_NESTED_INDEX = regex.compile(r"^\s*(?:\d{1,3}\.\d|[IVX]{1,4}[.)]?$|[a-zđ]\)|-|\+)")
_CHANGE_HEADER = regex.compile(r"tăng|giảm|chênh\s+lệch|so\s+với", regex.IGNORECASE)
_QUOTA = regex.compile(r"biên\s+chế", regex.IGNORECASE)


@dataclass
class _Column:
    index: int
    year: int | None
    category: str | None
    change: bool


def _cells(line: str, start: int) -> list[tuple[int, int, str]]:
    """(start, end, text) of each cell, offsets into the document, text stripped."""
    out: list[tuple[int, int, str]] = []
    pos = start
    for raw in line.split("|"):
        left = len(raw) - len(raw.lstrip())
        text = raw.strip()
        out.append((pos + left, pos + left + len(text), text))
        pos += len(raw) + 1
    return out


def _blocks(text: str) -> list[list[tuple[int, str]]]:
    """Runs of two or more consecutive table lines (containing " | ")."""
    blocks: list[list[tuple[int, str]]] = []
    current: list[tuple[int, str]] = []
    pos = 0
    for line in text.split("\n"):
        if line.count("|") >= 1 and " | " in f" {line} ":
            current.append((pos, line))
        else:
            if len(current) >= 2:
                blocks.append(current)
            current = []
        pos += len(line) + 1
    if len(current) >= 2:
        blocks.append(current)
    return blocks


def _is_numeric(cell: str) -> bool:
    return parse_number(cell.replace(" ", "")) is not None


def find_table_figures(text: str, first_id: int) -> list[Figure]:
    """Figures from every biên chế table of ``text``; ids start at ``f<first_id>``."""
    figures: list[Figure] = []
    for block in _blocks(text):
        header_rows: list[list[tuple[int, int, str]]] = []
        body: list[tuple[int, str]] = []
        for start, line in block:
            cells = _cells(line, start)
            if not body and not any(_is_numeric(c[2]) and not _YEAR.fullmatch(c[2]) for c in cells[1:]):
                header_rows.append(cells)
            else:
                body.append((start, line))
        if not header_rows or not body:
            continue
        before = text[max(0, block[0][0] - 300):block[0][0]]
        header_text = " ".join(c[2] for row in header_rows for c in row)
        if not (_QUOTA.search(header_text) or _QUOTA.search(before)):
            continue
        columns = _columns(header_rows)
        if not any(c.year or c.category for c in columns.values()):
            continue
        figures += _rows(text, body, columns, first_id + len(figures))
    return figures


def _columns(header_rows: list[list[tuple[int, int, str]]]) -> dict[int, _Column]:
    columns: dict[int, _Column] = {}
    for row in header_rows:
        year_span: int | None = None
        for i, (_, _, cell) in enumerate(row):
            year = _YEAR.search(cell)
            cat = category_at(cell.lower(), 0)
            col = columns.setdefault(i, _Column(i, None, None, False))
            if year:
                col.year = int(year.group(1))
                year_span = col.year
            elif year_span and not cell:
                col.year = year_span  # a merged header cell spans the empty ones after it
            if cat and cell.lower().strip().startswith(("cán bộ", "công chức", "viên chức", "hợp đồng", "người", "biên chế")):
                col.category = cat[0]
            if regex.match(r"^\s*(?:tổng|tổng\s+số|tổng\s+cộng|cộng)\b", cell, regex.IGNORECASE):
                col.category = col.category or "total"
            if _CHANGE_HEADER.search(cell):
                col.change = True
    return columns


def _rows(text: str, body: list[tuple[int, str]], columns: dict[int, _Column], first_id: int) -> list[Figure]:
    figures: list[Figure] = []
    flat = not any(_NESTED_INDEX.match(cells[0][2]) or cells[0][2].lower().startswith("trong đó") for cells in (_cells(line, start) for start, line in body))
    by_column: dict[int, list[Figure]] = {}
    totals: list[Figure] = []
    column_of: dict[str, int] = {}
    for start, line in body:
        cells = _cells(line, start)
        labels = [c[2] for c in cells if c[2] and not _is_numeric(c[2]) and not _INDEX.match(c[2])]
        org = labels[0] if labels else None
        is_total = bool(org and _TOTAL_ROW.match(org))
        for i, (s, e, cell) in enumerate(cells):
            col = columns.get(i)
            if col is None or not (col.year or col.category) or not cell or _INDEX.match(cell) and i == 0:
                continue
            value = parse_number(cell.replace(" ", ""))
            if value is None:
                continue
            fig = Figure(
                id=f"f{first_id + len(figures)}",
                start=s,
                end=e,
                text=text[s:e],
                kind="change" if col.change else "level",
                value=value,
                unit="biên chế",
                category=col.category or "total",
                org=None if is_total else org,
                year=col.year,
                sentence=line.strip(),
            )
            figures.append(fig)
            column_of[fig.id] = i
            (totals if is_total else by_column.setdefault(i, [])).append(fig)
    if flat:
        for total in totals:
            parts = [p for p in by_column.get(column_of[total.id], []) if p.start < total.start and p.parent is None]
            if len(parts) >= 2:
                for p in parts:
                    p.parent = total.id
    return figures
