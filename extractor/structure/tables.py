"""Tables as rows × cells with what their headers say.

Ingest writes every table — markdown, DOCX, PDF — as lines ``cell | cell | cell``.
A run of two or more such lines is a table. Header rows come before the first
row holding a number that is not a year; a row of units only ("Người",
"Biên chế", "(1)") is a header row too. Each column gets its role (label,
numbering, unit, value, note) and what its header cells say: a year, a
category, a basis (được giao / có mặt / dự kiến), a unit, a change.
"""

from __future__ import annotations

from typing import Literal

import regex

from extractor.annotated import ColumnRole, Table, TableCell, TableColumn, TableRow
from extractor.assemble.cues import basis_of, category_of
from extractor.models import Basis
from extractor.patterns import compiled, rx
from extractor.rules.numbers import parse_number
from extractor.rules.units import unit_at
from extractor.structure.table_kinds import kind_rows, numbers_are_values, ordinal_columns

_YEAR = regex.compile(r"(?<!\d)((?:19|20)\d{2})(?!\d)")
_SPAN = regex.compile(r"(?<!\d)(?:19|20)\d{2}\s*[-–]\s*((?:19|20)\d{2})(?!\d)")
_SEPARATOR = regex.compile(r"^[\s|:\-–—=+]*$")
_WITH_UNIT = regex.compile(r"^\s*[-+−–]?\s*\d[\d.,]*\s+(?P<unit>\p{L}[\p{L} ,]{0,40})$")
_ROW_NUMBER = regex.compile(r"^\s*(?P<n>(?:\d{1,3}(?:\.\d{1,3}){0,3}|[IVX]{1,4}|[a-zđ])[.)]?|[A-HJ-UW-Z][.)]?|[-+•])\s*$")
MAX_HEADER_ROWS = 4
"""More rows than this before the first figure are no header: the table lists keys and values."""
_QUOTA = regex.compile(r"biên\s+chế|công\s+chức|viên\s+chức|người\s+làm\s+việc|cán\s+bộ", regex.IGNORECASE)


_EMPHASIS = regex.compile(r"(?P<m>\*{1,3}|_{1,3})\s*(?P<t>[^*_\s](?:[^*]*[^*_\s])?)\s*(?P=m)")
"""A cell wholly in markdown emphasis: its text is what the marks enclose."""


def _cells(line: str, start: int, outer: bool) -> list[TableCell]:
    """Cells of one ``a | b | c`` line (``| a | b |`` when ``outer``), offsets into the document, text stripped."""
    out: list[TableCell] = []
    pos = start
    parts = line.split("|")
    if outer and line.lstrip().startswith("|"):
        pos += len(parts[0]) + 1
        parts = parts[1:]
    if outer and line.rstrip().endswith("|") and parts:
        parts = parts[:-1]
    for i, raw in enumerate(parts):
        left = len(raw) - len(raw.lstrip())
        text = raw.strip()
        bold = _EMPHASIS.fullmatch(text)
        if bold is not None:  # "**105**", "*Tổng cộng*": markdown emphasis around the whole cell
            left, text = left + bold.start("t"), bold.group("t")
        out.append(TableCell.trusted(start=pos + left, end=pos + left + len(text), text=text, column=i))  # own spans: unvalidated
        pos += len(raw) + 1
    return out


def _width(line: str, outer: bool) -> int:
    parts = line.count("|") + 1
    if outer:
        parts -= line.lstrip().startswith("|") + (line.rstrip().endswith("|") and len(line.strip()) > 1)
    return parts


def _outer_pipes(lines: list[str]) -> bool:
    """Whether a block's lines carry outer pipes (``| a | b |``): the reading that gives
    more lines one width wins ("| Trong đó | 14 | 13 |" under "1 | Sở X | 72 | 69 |" is
    a row with empty first and last cells); a tie goes to what most lines open with."""
    agree: list[int] = []
    for outer in (False, True):
        widths = [_width(line, outer) for line in lines]
        agree.append(max(widths.count(w) for w in set(widths)))
    if agree[0] != agree[1]:
        return agree[1] > agree[0]
    return sum(line.lstrip().startswith("|") for line in lines) * 2 > len(lines)


def _is_table_line(line: str) -> bool:
    return " | " in f" {line} " or (line.strip().startswith("|") and line.count("|") >= 2)


def _continues(lines: list[str], i: int, last: str) -> bool:
    """Whether the blank line ``i`` only interrupts the table ``last`` ends: the next line is
    a row of as many cells, not the header of a new table (no rule right under it)."""
    nxt = lines[i + 1] if i + 1 < len(lines) else ""
    after = lines[i + 2] if i + 2 < len(lines) else ""
    ruled = bool(_SEPARATOR.match(after)) and "-" in after  # "| a | b |" then "|---|---|": a new table's header
    return not lines[i].strip() and _is_table_line(nxt) and nxt.count("|") == last.count("|") and not ruled


def _blocks(text: str) -> list[list[tuple[int, str]]]:
    """Runs of two or more consecutive table lines (holding " | " between cells); one blank
    line inside a markdown table that goes on with rows of its width does not end it."""
    blocks: list[list[tuple[int, str]]] = []
    current: list[tuple[int, str]] = []
    pos = 0
    lines = text.split("\n")
    for i, line in enumerate(lines):
        if _is_table_line(line):
            current.append((pos, line))
        elif current and any(_SEPARATOR.match(x) for _, x in current) and _continues(lines, i, current[-1][1]):
            pass  # "| 2 | Sở Nội vụ | 60 |" / "" / "| 3 | Sở Tài chính | 70 |": one table
        elif current:
            if len(current) >= 2:
                blocks.append(current)
            current = []
        pos += len(line) + 1
    if len(current) >= 2:
        blocks.append(current)
    return blocks


def number_part(cell: str) -> str:
    """The number of a cell as written, without a footnote mark after it ("9.528(**)" →
    "9.528") nor the unit it is written with ("45 người" → "45")."""
    mark = compiled("tables", "table.footnote_mark").search(cell)
    cell = cell[:mark.start()] if mark is not None and mark.start() > 0 else cell
    unit = cell_unit(cell)
    return cell[:len(cell) - len(unit)].rstrip() if unit else cell


def cell_unit(cell: str) -> str:
    """The unit a cell's number is written with ("45 người", "5 đơn vị"), as written; "" if none."""
    m = _WITH_UNIT.match(cell)
    if m is None:
        return ""
    found = unit_at(cell, m.start("unit"))
    return cell[m.start("unit"):] if found is not None and found.end >= len(cell.rstrip()) else ""


def signed_value(cell: str) -> tuple[float, bool] | None:
    """The value of a cell's number and whether it is written with a sign ("-15", "+3",
    "− 2" in a "Tăng (+), giảm (-)" column: a minus is negative); None when it holds none."""
    written = number_part(cell).strip()
    sign = written[:1] if written[:1] in SIGNS else ""
    value = parse_number(written[len(sign):].replace(" ", ""))
    if value is None:
        return None
    return (-value if sign and sign != "+" else value), bool(sign)


ACCOUNTING = regex.compile(r"\(\s*(\d[\d.,]*)\s*\)")
"""A number in brackets, as accountants write a negative one ("(69)" in a change column)."""

SIGNS = "+-−–"
"""Signs a table cell's number may be written with (plus, hyphen, minus, en dash)."""


def cell_verb(cell: str) -> regex.Match[str] | None:
    """The change word a cell writes before its number ("giảm 5"), if any."""
    return compiled("tables", "table.cell_verb").match(cell)


def is_number(cell: str) -> bool:
    """Whether a cell holds one number as written (``7.540``, ``1,5``, ``1.245(*)``, ``-15``)."""
    return signed_value(cell) is not None


def holds_number(cell: str) -> bool:
    """Whether a cell holds one number, also in an accountant's brackets ("(69)")."""
    return is_number(cell) or ACCOUNTING.fullmatch(cell) is not None


def _is_unit_cell(cell: str) -> bool:
    return not cell or compiled("tables", "table.unit_cell").fullmatch(cell) is not None


def _is_unit_row(cells: list[TableCell]) -> bool:
    return all(_is_unit_cell(c.text) or rx(r"\(?\d{1,2}\)?").fullmatch(c.text) for c in cells)


def _is_numbered_row(cells: list[TableCell]) -> bool:
    """A row opening with its numbering ("1.", "I", "a)") and a label is a body row,
    even with no figure in it ("1. | Tổng số biên chế được giao | | |")."""
    rest = [c.text for c in cells[1:] if c.text]
    return (bool(cells) and _ROW_NUMBER.match(cells[0].text) is not None and cells[0].text.strip() not in "-+•"
            and any(not is_number(t) and not _is_unit_cell(t) for t in rest))


def _is_subheader_row(cells: list[TableCell]) -> bool:
    """"| | | Giao | Có mặt | Giao | Có mặt |" right under the rule: the second row of a
    two-row header (no number, no row label, two or more labels under the merged cells)."""
    if not cells or cells[0].text or (len(cells) > 1 and cells[1].text):
        return False
    labels = [c.text for c in cells[2:] if c.text]
    return len(labels) >= 2 and not any(is_number(v) and not _YEAR.fullmatch(v) for v in labels)


def _is_header(cells: list[TableCell], seen_body: bool, after_rule: bool) -> bool:
    """Header rows come before the body: in markdown, the rows above the ``|---|``
    rule and unit rows right under it; elsewhere rows before the first number."""
    if seen_body:
        return False
    if after_rule:
        return _is_unit_row(cells) or _is_subheader_row(cells)
    values = [c.text for c in cells[1:] if c.text]
    if any(is_number(v) and not _YEAR.fullmatch(v) for v in values):
        return _is_unit_row(cells)
    return not _is_numbered_row(cells)


def _column_role(label: str) -> ColumnRole:
    roles: tuple[ColumnRole, ...] = ("number", "unit", "note", "label")
    for role in roles:
        if compiled("tables", f"table.column_{role}").search(label):
            return role
    return "value"


def _category_of_header(label: str) -> str | None:
    """The category a column header names; a bare "Cán bộ" column counts officials."""
    found = category_of(label)
    if found in (None, "total") and compiled("tables", "table.cadre_header").search(label):
        return "officials"
    return found


def _basis_of_header(label: str) -> Basis | None:
    """The basis a column header states; a bare "Kế hoạch" column is planned."""
    found = basis_of(label)
    if found is None and compiled("tables", "table.plan_header").match(label.strip()):
        return "planned"
    return found


def stage_of(label: str) -> Literal["before", "after"] | None:
    """"before" or "after" for a header or row label naming a reorganisation's side, else None."""
    if compiled("tables", "table.before_header").search(label):
        return "before"
    if compiled("tables", "table.after_header").search(label):
        return "after"
    return None


def _change_years(columns: list[TableColumn]) -> None:
    """A change column "so với năm X" is measured against X and holds for the latest other
    year; one naming two years, the later first ("So sánh 2024/2022"), compares those."""
    years = [c.year for c in columns if c.year and not c.change]
    for col in columns:
        pair = compiled("tables", "table.year_pair_header").search(col.label) if col.change else None
        if pair is not None and int(pair.group("year")) > int(pair.group("base")):
            col.year, col.base_year = int(pair.group("year")), int(pair.group("base"))
            continue
        base = rx(r"so\s+với\s+(?:năm\s+)?((?:19|20)\d{2})", regex.IGNORECASE).search(col.label)
        if col.change and base:
            col.base_year = int(base.group(1))
            later = [y for y in years if y > col.base_year]
            col.year = max(later) if later else None


def _role_of(cells: list[TableCell]) -> ColumnRole:
    roles = [_column_role(c.text) for c in cells if c.text]
    roles = [r for c, r in zip([c for c in cells if c.text], roles) if r == "label" or not _is_unit_cell(c.text)]
    return next((r for r in roles if r != "value"), "value")  # "Chỉ tiêu" heads the labels, though "chỉ tiêu" is a unit too


def _header_texts(header: list[list[TableCell]], width: int) -> list[list[str]]:
    """The header's cell texts with each merged cell's text carried into the
    positions it covers: an empty cell right of a header cell, in a row whose
    next row has sub-headers under both ("Biên chế được giao" over "Công chức |
    Viên chức", written once by PDF and DOCX, repeated by markdown)."""
    grid = [[row[i].text if i < len(row) else "" for i in range(width)] for row in header]
    for h in reversed(range(len(grid) - 1)):  # the lowest rows first: a span over a span ("… năm 2025" over "Trong đó")
        below = grid[h + 1]
        for i in range(1, width):
            if not grid[h][i] and grid[h][i - 1] and below[i] and below[i - 1]:
                grid[h][i] = grid[h][i - 1]
    return grid


def _columns(header: list[list[TableCell]], width: int) -> list[TableColumn]:
    columns: list[TableColumn] = []
    span_year: int | None = None
    span_text = ""
    texts = _header_texts(header, width)
    for i in range(width):
        cells = [row[i] for row in header if i < len(row)]
        label = " ".join(dict.fromkeys(t[i] for t in texts if t[i]))
        first = next((c for c in cells if c.text), cells[0] if cells else None)
        year_match = _SPAN.search(label) or _YEAR.search(label)  # "Tinh giản giai đoạn 2022-2026": held by its end
        if label:
            span_text = cells[0].text if cells and cells[0].text else span_text
        elif span_text:
            label = span_text  # a merged header cell spans the empty ones after it
        year = int(year_match.group(year_match.lastindex or 1)) if year_match else (span_year if not label or label == span_text else None)
        span_year = year if year_match else span_year
        unit = next((c.text for c in cells if c.text and _is_unit_cell(c.text)), None)
        col = TableColumn(start=first.start if first else 0, end=first.end if first else 0, text=first.text if first else "",
                          index=i, label=label, year=year, category=_category_of_header(label), basis=_basis_of_header(label),
                          unit=unit.strip("() ").lower() if unit else None,  # "(người)" in a unit row
                          change=compiled("tables", "table.change_header").search(label) is not None,
                          rate=compiled("tables", "table.rate_header").search(label) is not None,
                          stage=stage_of(label),
                          role=_role_of(cells))
        columns.append(col)
    _change_years(columns)
    if any(c.stage == "after" for c in columns):  # "Số ĐVHC hiện có | … | Sau sắp xếp": what there is now is the before side
        for col in columns:
            if col.stage is None and not col.change and compiled("tables", "table.current_header").search(col.label):
                col.stage = "before"
    if columns and not any(c.role == "label" for c in columns):
        first_text = next((c for c in columns if c.role == "value" and not c.year and not c.category and not c.basis), None)
        if first_text is not None and first_text.index <= 1:
            first_text.role = "label"
    return columns


def numbering_depth(number: str | None) -> int:
    """Nesting of a row numbering: A. → 0, I → 1, 1 → 2, 1.1 → 3, a) → 6, - or + → 7; none → -1."""
    if not number:
        return -1
    core = number.rstrip(".)")
    if rx(r"[A-HJ-UW-Z]").fullmatch(core):
        return 0
    if rx(r"[IVX]{1,4}").fullmatch(core):
        return 1
    if core[:1].isdigit():
        return 2 + core.count(".")
    if rx(r"[a-zđ]").fullmatch(core):
        return 6
    return 7


def _row(cells: list[TableCell], start: int, line: str, columns: list[TableColumn]) -> TableRow:
    role = {c.index: c.role for c in columns}
    labels = [c for c in cells if c.text and role.get(c.column, "value") == "label"]
    if not labels:
        labels = [c for c in cells if c.text and not is_number(c.text) and not _ROW_NUMBER.match(c.text)
                  and role.get(c.column) not in ("unit", "note")]
        labels.sort(key=lambda c: role.get(c.column) == "number")  # "Tổng cộng" merged over STT and the label: last resort
    numbered = next((c for c in cells if role.get(c.column) == "number" and _ROW_NUMBER.match(c.text)), None)
    first = columns[0] if columns else None
    if numbered is None and cells and _ROW_NUMBER.match(cells[0].text) and not any(c.role == "number" for c in columns) \
            and (first is None or first.role != "value" or not first.label or labels and labels[0].column > cells[0].column):
        numbered = cells[0]  # "6 | Trần Văn A | …" under a lost header: a number left of the label numbers the row
    unit_cell = next((c for c in cells if role.get(c.column) == "unit" and c.text), None)
    label = str(rx(r"\s*<br\s*/?>\s*", regex.IGNORECASE).sub(" ", labels[0].text)) if labels else None  # "Sở Nội vụ<br>(…)"
    named = rx(r"\(([^()]{1,20})\)\s*$").search(label or "") if unit_cell is None else None
    unit = unit_cell.text if unit_cell else named.group(1) if named and _is_unit_cell(named.group(1)) else None
    # "Số lượng người làm việc (người)": the row's unit in its label
    number = numbered.text if numbered else None
    depth = numbering_depth(number)
    is_total = bool(label and compiled("tables", "table.total_row").match(label))
    end = start + len(line.rstrip())
    return TableRow(start=start, end=end, text=line.rstrip(), cells=cells, label=label, number=number,
                    depth=depth, is_total=is_total, unit=unit.strip("() ").lower() if unit else None)


def _title_row(header: list[list[TableCell]], body: list[tuple[int, str, list[TableCell]]]
               ) -> tuple[list[list[TableCell]], list[tuple[int, str, list[TableCell]]]]:
    """"| BIỂU TỔNG HỢP … | | |" above the rule, the real header right under it: the title is
    no header, and the rows under it up to the first number are."""
    if len(header) != 1 or len(header[0]) < 3 or sum(bool(c.text) for c in header[0]) != 1 or not header[0][0].text:
        return header, body  # an infobox ("| Tỉnh X | |" over key | value rows) is no titled table
    n = 0
    while n < len(body) and n < MAX_HEADER_ROWS and _is_header(body[n][2], False, False):
        n += 1
    return ([cells for _, _, cells in body[:n]], body[n:]) if n else (header, body)


def find_tables(text: str) -> list[Table]:
    """Every table of ``text`` with its columns and body rows."""
    tables: list[Table] = []
    for block in _blocks(text):
        lines = [(s, line) for s, line in block if not _SEPARATOR.match(line)]
        if len(lines) < 2:
            continue
        rule = next((s for s, line in block if _SEPARATOR.match(line) and "-" in line), None)
        outer = _outer_pipes([line for _, line in lines])
        split = [(s, line, _cells(line, s, outer)) for s, line in lines]
        header: list[list[TableCell]] = []
        body: list[tuple[int, str, list[TableCell]]] = []
        for s, line, cells in split:
            if _is_header(cells, bool(body), rule is not None and s > rule):
                header.append(cells)
            else:
                body.append((s, line, cells))
        if len(header) > MAX_HEADER_ROWS:  # a key | value list (an infobox) has no header
            header, body = [], [(s, line, cells) for s, line, cells in split]
        title = header[0][0].text if len(header) == 1 else None
        header, body = _title_row(header, body)
        title = title if title and not any(c.text == title for row in header for c in row) else None
        width = max(len(c) for _, _, c in split)
        columns = _columns(header, width)
        numbers_are_values(columns, [cells for _, _, cells in body])
        ordinal_columns(columns, [cells for _, _, cells in body])
        rows = kind_rows([_row(cells, s, line, columns) for s, line, cells in body], columns)
        start, end = block[0][0], block[-1][0] + len(block[-1][1].rstrip())
        before = text[max(0, start - 300):start]
        head_text = " ".join([c.label for c in columns] + ([title] if title else []))
        about = bool(_QUOTA.search(head_text) or _QUOTA.search(before) or any(r.label and _QUOTA.search(r.label) for r in rows)
                     or {"assigned", "actual"} <= {c.basis for c in columns})  # "| Giao | Có mặt |": a staffing table
        if about and not _QUOTA.search(head_text) and compiled("tables", "table.other_measure_header").search(head_text):
            about = False  # "Đối tượng khen thưởng | Huân chương": awards after a paragraph on staff count no staff
        tables.append(Table(start=start, end=end, text=text[start:end], columns=columns, rows=rows,
                            header_rows=len(header), title=title, about_quota=about))
    return tables
