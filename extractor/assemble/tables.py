"""Table cells to figure records.

The row label gives the org (org tables) or the measure (report tables:
"Tổng số biên chế được giao", "Số có mặt"); the column header gives the year,
category and basis; the unit row or unit column the unit. Rows nest by their
numbering (I → 1 → 1.1 → a)): a row's figure is a part of the nearest enclosing
row's figure in the same column, and basis and year cues of enclosing rows hold
for the rows inside them. Total rows of org tables are the wholes of the
top-level rows since the last total; "Trong đó" rows are parts of the row above.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import regex

from extractor.annotated import Table, TableColumn, TableRow
from extractor.assemble.cues import basis_of, category_of
from extractor.assemble.table_links import link_before_after, link_changes, link_parts, link_years
from extractor.models import Basis, Figure, FigureKind
from extractor.patterns import compiled, rx
from extractor.rules.parts import may_contain
from extractor.rules.norms import speaks_of_staff
from extractor.rules.numbers import as_count, parse_number
from extractor.structure.tables import SIGNS, cell_unit, cell_verb, is_number, number_part, signed_value

_STAFF = regex.compile(r"biên\s+chế|công\s+chức|viên\s+chức|người|cán\s+bộ|lao\s+động|hợp\s+đồng", regex.IGNORECASE)
_UNITS = regex.compile(r"(?<!\p{L})(?P<u>(?:đơn\s+vị\s+hành\s+chính|đvhc)(?:\s+cấp\s+(?:xã|huyện|tỉnh))?|xã|phường|thị\s+trấn|đơn\s+vị|cơ\s+quan|tổ\s+chức|đầu\s+mối|phòng|chi\s+cục|tổng\s+cục|cục)(?!\p{L})", regex.IGNORECASE)
_YEAR = regex.compile(r"(?<!\p{L})năm\s+((?:19|20)\d{2})(?!\d)", regex.IGNORECASE)
_BARE_YEAR = regex.compile(r"^\s*(?:năm\s+)?((?:19|20)\d{2})\s*$", regex.IGNORECASE)
_PERSON_UNITS = ("biên chế", "người làm việc", "người")
CAPTION_HEADING = 120
"""A paragraph this short right before a table, not ending in ":", is a heading or a
title ("I. Khối Đảng …", "Biểu 1. …"): the paragraph before it is read with it."""


@dataclass
class _Defaults:
    """What the words around a table say: the basis and category of its caption."""

    basis: Basis | None
    category: str | None
    unit: str | None = None
    """The unit of the unit line above the table ("Đơn vị tính: người")."""
    quota: str = "biên chế"
    """The quota noun of the caption: "người làm việc" where it names that and not biên chế."""
    year: int | None = None
    """The one year the caption names ("Biểu 01: … năm 2025"), for cells no header or row dates."""
    change: regex.Match[str] | None = None
    """The change word of a caption title ("Kết quả tinh giản biên chế giai đoạn 2021-2025"):
    its people cells are changes, unless their column or row states a basis."""


def _unit(table: Table, row: TableRow, col: TableColumn, lined: str | None = None, quota: str = "biên chế") -> str | None:
    """The unit of a cell: the row's or column's own ("Xã", a unit row or column),
    else the table's unit line (``lined``) unless the header counts units, else
    what the labels count."""
    label = f"{row.label or ''} {col.label}"
    own = _UNITS.fullmatch((row.label or "").strip())
    if own:
        return _unit_name(own)  # a row "Xã", "Phường" counts those units
    written = row.unit or col.unit
    if written and written != "%" and not written.strip("()").isdigit():
        return written
    if lined and not _UNITS.search(col.label) and not _counts_units(col):
        return lined  # "Đơn vị tính: người" over a table of staff
    if rx(r"biên\s+chế", regex.IGNORECASE).search(label):
        return "biên chế"
    counted = _UNITS.search(col.label)
    if counted and _counts_units(col) and not _STAFF.search(col.label):
        return _unit_name(counted)  # "Số đơn vị", "Số lượng phòng": a count of units, whatever the table's staff
    split = _split_of(table, col)
    if split is not None:
        return split  # "Tổng số xã | Chia ra: Loại I | Loại II": the split counts what its whole counts
    if _STAFF.search(label) or (table.about_quota and _headed(table, col)):
        if col.basis == "actual":  # "Số công chức có mặt": people, not posts, named as the header names them
            noun = rx(r"^\s*số\s+(?:lượng\s+)?(" + _STAFF.pattern + ")", regex.IGNORECASE).match(col.label)
            return rx(r"\s+").sub(" ", noun.group(1).lower()) if noun else "người"
        if rx(r"người\s+làm\s+việc", regex.IGNORECASE).search(col.label):
            return "người làm việc"  # a "Số lượng người làm việc" column counts that quota
        if col.category == "contract_workers":
            return "người"  # "Hợp đồng lao động", "HĐLĐ 111": people under contract hold no biên chế
        return quota if table.about_quota else "người"  # "Số lượng người làm việc …" over "Năm 2024" columns
    measure = compiled("tables", "table.measure_label").match(row.label or "")  # "Số phòng … giảm", not "Chi cục X"
    unit = _UNITS.search(col.label) or (_UNITS.search(row.label or "") if measure else None)
    staged_total = _columns_unit(table, col.stage) if unit is None and col.category == "total" and col.stage else None
    if staged_total:
        return staged_total  # "Trước sắp xếp: Tổng số | Xã | Phường | Thị trấn": the stage's units
    if unit is None and col.change:
        return _compared_unit(table, row, col, lined, quota)  # "Tăng, giảm" beside "Số đơn vị năm 2024 | … 2025"
    if unit is None and col.stage == "after":  # "Số phòng trước sắp xếp | Sau sắp xếp": the same thing, after
        unit = next((m for m in (_UNITS.search(c.label) for c in table.columns if c.stage == "before") if m), None)
    if unit is None and row.is_total:  # the total row's "Tổng" cell counts what the columns count when the rows name none
        return _rows_unit(table) or (_columns_unit(table) if col.category == "total" else None)
    if unit is None and col.category == "total":
        return _columns_unit(table)
    return _unit_name(unit) if unit else None


def _unit_name(found: regex.Match[str]) -> str:
    """The unit a match names, lowercase, "ĐVHC" written out."""
    return str(rx(r"^đvhc", regex.IGNORECASE).sub("đơn vị hành chính", str(rx(r"\s+").sub(" ", found.group("u"))).lower()))


def _headed(table: Table, col: TableColumn) -> bool:
    """Whether a value column has a header of its own: not none, nor the label
    column's header spread over it (an infobox "| Tỉnh X | |")."""
    return bool(col.label.strip()) and not any(c.role == "label" and c.label == col.label for c in table.columns)


def _compared_unit(table: Table, row: TableRow, col: TableColumn, lined: str | None, quota: str) -> str | None:
    """What a change column with no noun of its own counts: what the columns it compares
    count (the total column if there is one, else the nearest value column before it)."""
    others = [c for c in table.columns if c.role == "value" and not c.change and not c.rate and c.index < col.index]
    totals = [c for c in others if c.category == "total"]
    for other in (totals or others[::-1])[:1]:
        return _unit(table, row, other, lined, quota)
    return None


def _columns_unit(table: Table, stage: str | None = None) -> str | None:
    """What a "Tổng" column counts when the other value columns (of its stage, where given)
    count kinds of unit."""
    kinds = [_kind_column(c) for c in table.columns if c.role == "value" and c.category != "total"
             and not c.change and (stage is None or c.stage == stage)]
    if len(kinds) < 2 or None in kinds:
        return None
    local = all(k in ("xã", "phường", "thị trấn") for k in kinds)
    return "đơn vị hành chính cấp xã" if local else "đơn vị"


def _rows_unit(table: Table) -> str | None:
    """What a total row counts when the rows above name kinds of unit ("Xã",
    "Phường", "Thị trấn"): administrative units if they all are, else units."""
    kinds = [(_UNITS.fullmatch((r.label or "").strip()), r) for r in table.rows if not r.is_total]
    named = [m.group("u").lower() for m, _ in kinds if m]
    if len(named) < 2 or len(named) < len(kinds):
        return None
    local = all(k in ("xã", "phường", "thị trấn") for k in named)
    return "đơn vị hành chính cấp xã" if local else "đơn vị"


def _is_measure_table(table: Table) -> bool:
    part_row = compiled("tables", "table.part_row")  # "Trong đó: …" rows are shares of the row above
    labels = [r.label for r in table.rows if r.label and not r.is_total and not part_row.match(r.label)]
    measures = sum(1 for label in labels if compiled("tables", "table.measure_label").match(label))
    return bool(labels) and measures * 2 >= len(labels)


def _caption(text: str, table: Table) -> list[str]:
    """The line just before the table ("Biểu 1. Biên chế công chức …", "… như
    sau:"), past a unit line and parenthesised lines, then the line before a
    heading or title line; not the prose further up. Nearest first."""
    before = text[max(0, table.start - 300):table.start]
    paragraphs = [p.strip() for p in str(rx(r"\([^()]*\)").sub(" ", before)).split("\n")]
    paragraphs = [p for p in paragraphs if p.strip(" .:;-")]
    while paragraphs and compiled("tables", "table.unit_line").match(paragraphs[-1]):
        paragraphs.pop()
    if len(paragraphs) >= 2 and len(paragraphs[-1]) <= CAPTION_HEADING and not paragraphs[-1].endswith(":"):
        return [paragraphs[-1], paragraphs[-2]]  # a heading or title line: what it heads too
    return paragraphs[-1:]


def _unit_line(text: str, table: Table) -> str | None:
    """The unit of the unit line just above the table ("Đơn vị tính: người", "ĐVT:
    Biên chế"), lowercase, without a parenthesis after it; None when there is none."""
    lines = [line for line in text[max(0, table.start - 300):table.start].split("\n")[1:] if line.strip()]
    for line in reversed(lines[-3:]):
        found = compiled("tables", "table.unit_line").match(line.strip())
        if found:
            unit = regex.split(r"[(;,]", line.strip()[found.end():], maxsplit=1)[0].strip(" .:*-").lower()
            return unit if unit and len(unit.split()) <= 4 and not unit.isdigit() and "%" not in unit else None
    return None


def table_figures(tables: list[Table], first_id: int, text: str) -> list[Figure]:
    """Figure records from every table that counts staff or units; ids from ``f<first_id>``.

    A basis or category no header or row states comes from the caption just before
    the table ("BIÊN CHẾ CÁN BỘ, CÔNG CHỨC …", "… giao biên chế … như sau:")."""
    out: list[Figure] = []
    for table in tables:
        caption = _caption(text, table)
        cats = [c for c in map(category_of, caption) if c and c != "total"]
        words = " ".join(caption)
        quota = "người làm việc" if rx(r"người\s+làm\s+việc", regex.IGNORECASE).search(words) \
            and not rx(r"biên\s+chế", regex.IGNORECASE).search(words) else "biên chế"
        titled = caption and len(caption[0]) <= CAPTION_HEADING * 2 and not caption[0].rstrip().endswith(".")  # a title, no prose
        years = {int(m.group(1)) for m in _YEAR.finditer(caption[0])} if titled else set()
        changed = compiled("tables", "table.change_caption").search(caption[0]) if titled else None
        defaults = _Defaults(next((b for b in map(basis_of, caption) if b), None), cats[0] if cats else None,
                             _unit_line(text, table), quota, years.pop() if len(years) == 1 else None, changed)
        out += _table(table, first_id + len(out), defaults)
    return out


def _enclosing(rows: list[TableRow]) -> list[list[int]]:
    """For each row, the indices of the rows enclosing it by numbering, outermost first."""
    out: list[list[int]] = []
    stack: list[int] = []
    for i, row in enumerate(rows):
        depth = row.depth
        if depth < 0:
            out.append(list(stack))
            continue
        while stack and rows[stack[-1]].depth >= depth:
            stack.pop()
        out.append(list(stack))
        stack.append(i)
    return out


def _table(table: Table, first_id: int, defaults: _Defaults) -> list[Figure]:
    values = [c for c in table.columns if c.role == "value"]
    staged = any(c.stage for c in values) and any(_UNITS.search(c.label) or _UNITS.search(r.label or "")
                                                 for c in values for r in table.rows[:1])
    counted = any(_counts_units(c) for c in values)  # "Số lượng Văn phòng, Phòng, Đội": a count of units
    unit_rows = _is_measure_table(table) and any(_UNITS.search(r.label or "") or _UNITS.fullmatch((r.unit or "").strip())
                                                 for r in table.rows)  # "Số xã trước sắp xếp | Xã | 152"
    if not values or not (table.about_quota or staged or counted or unit_rows or any(c.year or c.category for c in values)):
        return []
    measures = _is_measure_table(table)
    if any(c.change for c in values):
        defaults = replace(defaults, change=None)  # "… | Biên chế năm 2025 | Giảm | …": the headers tell change from level
    enclosing = _enclosing(table.rows)
    figures: list[Figure] = []
    by_cell: dict[tuple[int, int], Figure] = {}
    for r, row in enumerate(table.rows):
        outer = [table.rows[i].label or "" for i in reversed(enclosing[r])]
        for cell in row.cells:
            col = table.columns[cell.column] if cell.column < len(table.columns) else None
            verb = cell_verb(cell.text) if col is not None and col.change else None  # "giảm 5"
            at = verb.end() if verb else 0
            if col is None or col.role != "value" or not cell.text or not is_number(cell.text[at:]):
                continue
            if col.rate or compiled("tables", "table.per_unit_header").search(col.label):
                continue  # rates are read with their changes; "Số lượng tối đa/xã" is a norm
            if compiled("tables", "table.other_count_header").match(col.label):
                continue  # "Số lớp", "Số học sinh" beside "Số người làm việc": no staff
            written = number_part(cell.text[at:])  # "1.245(*)": the mark points to a note, the number is before it
            own_unit = cell_unit(cell.text[at:]).lower()
            if own_unit and _counts_people(own_unit) and not table.about_quota \
                    and not speaks_of_staff(f"{row.text} {col.label}", 0, 10**6):
                continue  # "Dân số | 32.808 người": people, not staff
            fig = _cell_figure(table, row, col, cell.start + at, cell.start + at + len(written), written, outer, measures,
                               replace(defaults, unit=own_unit or defaults.unit), verb)  # "45 người"
            if fig is None:
                continue
            fig.id = f"f{first_id + len(figures)}"
            figures.append(fig)
            by_cell[(r, cell.column)] = fig
    link_changes(table, by_cell)
    link_parts(table, by_cell, enclosing, measures)
    _row_totals(table, by_cell)
    _rates(table, by_cell)
    figures += _lone_rates(table, by_cell, first_id + len(figures))
    link_before_after(table, by_cell)
    link_years(by_cell)
    return figures


def _row_totals(table: Table, by_cell: dict[tuple[int, int], Figure]) -> None:
    """Columns to totals: in each row, the cells under category columns ("Công chức",
    "Viên chức") add up to the cell under the "Tổng số" column of the same year,
    basis and stage; each gets that cell as its ``row_total``."""
    _group_totals(table, by_cell)
    grouped = {f.row_total for f in by_cell.values() if f.row_total} | {f.id for f in by_cell.values() if f.row_total}
    groups: dict[tuple[int, object, object, str], list[tuple[TableColumn, Figure]]] = {}
    for (r, c), fig in sorted(by_cell.items()):
        if fig.id in grouped:
            continue  # summed within its header group already
        col = table.columns[c]
        groups.setdefault((r, col.year, col.stage, fig.kind), []).append((col, fig))
    for cells in groups.values():
        totals = [(col, fig) for col, fig in cells if col.category == "total"]
        parts = [fig for col, fig in cells if col.category not in (None, "total")]
        bases = {col.basis for col, _ in cells if col.category not in (None, "total")}
        if not parts:  # "Số xã | Số phường | Tổng": columns of unit kinds add up to the total column
            parts = [fig for col, fig in cells if col.category is None and _kind_column(col)]
            if len({f.unit for f in parts}) != len(parts):
                continue
        elif any(col.category is None for col, _ in cells) or len({col.label for col, _ in cells}) != len(cells):
            continue  # a sibling column of no known category ("Cán bộ | Công chức | … | Tổng"): no sum to check
        if len(totals) != 1 or len(parts) < 2:
            continue
        if len(bases) > 1 or totals[0][0].basis not in (None, *bases):
            continue
        shares = any(rx(r"^\W*trong\s+đó", regex.IGNORECASE).match(col.label) for col, fig in cells if fig in parts)
        for fig in parts:
            fig.row_total = totals[0][1].id
            fig.partial = fig.partial or shares  # "Tổng số | Trong đó: Công chức | Viên chức": shares, not all of it
        if totals[0][1].basis is None and len(bases) == 1:
            totals[0][1].basis = next(iter(bases))  # the sum of assigned parts is assigned


_GROUP_TOTAL = regex.compile(r"^(?P<group>.+?)\s+(?:tổng\s+cộng|tổng\s+số|cộng|tổng)$", regex.IGNORECASE)


def _group_totals(table: Table, by_cell: dict[tuple[int, int], Figure]) -> None:
    """Under a merged header, a "Cộng" column ("Cán bộ, công chức cấp xã | Cán bộ | Công
    chức | Cộng") is the total of that header's other columns in each row; so is the
    column a "Chia ra" split divides."""
    _split_totals(table, by_cell)
    for t, col in enumerate(table.columns):
        found = _GROUP_TOTAL.match(col.label) if col.role == "value" else None
        if found is None:
            continue
        members = [c for c, other in enumerate(table.columns) if c != t and other.role == "value"
                   and other.label.startswith(found.group("group") + " ") and other.year == col.year]
        for r in range(len(table.rows)):
            total, parts = by_cell.get((r, t)), [by_cell[(r, c)] for c in members if (r, c) in by_cell]
            if total is not None and len(parts) >= 2 and all(p.kind == total.kind for p in parts):
                for part in parts:
                    part.row_total = total.id


def _counts_units(col: TableColumn) -> bool:
    """Whether a column header counts units ("Số lượng phòng", "Tổng số xã", "Số đơn vị trực thuộc")."""
    return bool(rx(r"^\s*(?:tổng\s+)?số\s+(?:lượng\s+)?", regex.IGNORECASE).match(col.label)) and _UNITS.search(col.label) is not None


def _split_whole(table: Table, col: TableColumn) -> TableColumn | None:
    """The column a "Chia ra" / "Trong đó" column of no noun of its own splits: the value
    column before the split, when it counts units ("Tổng số xã | Chia ra: Loại I | …")."""
    split = rx(r"^\s*(?:chia\s+ra|trong\s+đó)(?!\p{L})", regex.IGNORECASE).match(col.label)
    if split is None or _STAFF.search(col.label) or _UNITS.search(col.label[split.end():]):
        return None
    before = [c for c in table.columns[:col.index] if c.role == "value" and not c.label.lower().startswith(split.group(0).lower())]
    whole = before[-1] if before else None
    return whole if whole is not None and _counts_units(whole) and not _STAFF.search(whole.label) else None


def _split_of(table: Table, col: TableColumn) -> str | None:
    """The unit a split column counts: its whole's (see ``_split_whole``)."""
    whole = _split_whole(table, col)
    counted = _UNITS.search(whole.label) if whole is not None else None
    return _unit_name(counted) if counted else None


def _split_totals(table: Table, by_cell: dict[tuple[int, int], Figure]) -> None:
    """In each row, the cells of a "Chia ra" split add up to the cell of the column they
    split; "Trong đó" columns are shares of it (``partial``)."""
    members: dict[int, list[int]] = {}
    for c, col in enumerate(table.columns):
        whole = _split_whole(table, col) if col.role == "value" else None
        if whole is not None:
            members.setdefault(whole.index, []).append(c)
    for t, cols in members.items():
        shares = table.columns[cols[0]].label.lower().startswith("trong")
        for r in range(len(table.rows)):
            total, parts = by_cell.get((r, t)), [by_cell[(r, c)] for c in cols if (r, c) in by_cell]
            if total is not None and len(parts) >= 2 and all(p.kind == total.kind and p.unit == total.unit for p in parts):
                for part in parts:
                    part.row_total, part.partial = total.id, part.partial or shares


def _kind_column(col: TableColumn) -> str | None:
    """The unit kind a column counts ("Số xã", "Phường", "Trước sắp xếp Xã"), or None."""
    label = col.label
    for side in ("table.before_header", "table.after_header"):
        label = str(compiled("tables", side).sub(" ", label))  # the stage a merged header gives is no kind
    m = rx(r"^(?:số\s+(?:lượng\s+)?)?(?P<u>.+?)$", regex.IGNORECASE).match(label.strip())
    kind = _UNITS.fullmatch(m.group("u").strip()) if m else None
    return str(kind.group("u")).lower() if kind else None


def _rates(table: Table, by_cell: dict[tuple[int, int], Figure]) -> None:
    """A percentage cell in a "Tỷ lệ (%)" column is the rate of the row's change."""
    for r, row in enumerate(table.rows):
        changes = [f for (i, _), f in sorted(by_cell.items()) if i == r and f.kind == "change"]
        for cell in row.cells:
            col = table.columns[cell.column] if cell.column < len(table.columns) else None
            value = parse_number(cell.text.replace(" ", "")) if col is not None and col.rate else None
            if value is None or not changes:
                continue
            change = changes[-1]
            change.rate_percent = -abs(value) if change.value < 0 else abs(value)
            change.rate_span = (cell.start, cell.end)


def _lone_rates(table: Table, by_cell: dict[tuple[int, int], Figure], first_id: int) -> list[Figure]:
    """A "Giảm (%)" cell in a row with no change of its own is a rate of its own: against the
    row's earliest year column, for its latest ("Biên chế năm 2022 | năm 2026 | Giảm (%)")."""
    out: list[Figure] = []
    for r, row in enumerate(table.rows):
        own = [(table.columns[c], f) for (i, c), f in sorted(by_cell.items()) if i == r]
        if not own or any(f.kind == "change" for _, f in own):
            continue
        years = sorted({col.year for col, f in own if col.year and f.kind == "level"})
        for cell in row.cells:
            col = table.columns[cell.column] if cell.column < len(table.columns) else None
            value = parse_number(cell.text.replace(" ", "")) if col is not None and col.rate else None
            verb = compiled("tables", "table.change_label").search(col.label) if col is not None else None
            if col is None or value is None or verb is None:
                continue  # "Tỷ lệ (%)" beside "Kế hoạch | Thực hiện": how much of a plan was done, no rate of staff
            negative = _reduces(verb)
            staff = next(f for _, f in own)
            out.append(Figure(id=f"f{first_id + len(out)}", start=cell.start, end=cell.start + len(cell.text.strip()),
                              text=cell.text.strip(), kind="rate", value=-value if negative else value, unit="%",
                              category=staff.category, org=staff.org, year=years[-1] if len(years) > 1 else None,
                              base_year=years[0] if years else None, sentence=row.text))
    return out


def _cell_figure(table: Table, row: TableRow, col: TableColumn, start: int, end: int, written: str,
                 outer: list[str], measures: bool, defaults: _Defaults, verb: regex.Match[str] | None = None) -> Figure | None:
    unit = _unit(table, row, col, defaults.unit, defaults.quota)
    read = signed_value(written)
    value, signed = (abs(read[0]), read[0] < 0) if read is not None and read[1] else (read[0] if read else None, None)
    money = compiled("tables", "table.money_unit")
    if unit is None or value is None or money.match(unit) or money.match((row.unit or col.unit or "").strip()):
        return None  # "Kinh phí … | Triệu đồng | 61.500": money is no figure
    if "%" in (row.unit, col.unit):
        return _rate_cell(row, col, start, end, written, value, outer)
    value = as_count(value, number_part(written).strip().lstrip(SIGNS))  # "1,250" people: a thousands comma
    label = row.label or ""
    change = verb or compiled("tables", "table.change_label").search(label) or compiled("tables", "table.change_label").search(col.label)
    if change is None and defaults.change is not None and _counts_people(unit) and not (col.basis or basis_of(label)):
        change = defaults.change  # under "Kết quả tinh giản biên chế …": each cell counts people streamlined
    if change is not None and rx(r"tinh\s+giản", regex.IGNORECASE).match(change.group("verb")) \
            and unit == defaults.quota and not (row.unit or col.unit or rx(r"biên\s+chế", regex.IGNORECASE).search(col.label)):
        unit = "người"  # "Số công chức tinh giản", "Kết quả tinh giản biên chế": people streamlined, not posts
    gap = compiled("tables", "table.gap_label").search(col.label) or compiled("tables", "table.gap_label").search(label)
    kind: FigureKind = "count" if gap is not None else "change" if col.change or change or signed is not None else (
        "level" if _counts_people(unit) else "count")  # "Chưa sử dụng", "Thừa (+)/Thiếu (-)": a gap between measures
    negative = _reduces(change) if signed is None else signed  # "-15" under "Tăng (+), giảm (-)": the sign decides
    is_org = (not measures and not row.is_total and bool(label) and not _UNITS.fullmatch(label.strip())
              and not compiled("tables", "table.part_row").match(label))  # "Trong đó: …" names a share, not a unit
    year, base_year = _row_years(table, label, outer, col, kind)
    year = year or (defaults.year if not table.columns or not any(c.year for c in table.columns) else None)
    basis = None if gap is not None and kind == "count" else (
        col.basis or basis_of(label) or next((b for b in map(basis_of, outer) if b), None) or defaults.basis)
    implied = "public_employees" if rx(r"người\s+làm\s+việc", regex.IGNORECASE).search(label) else None
    own = category_of(label, total_words=not row.is_total) if not is_org else None
    bare = col.category == "total" and not rx(r"tổng", regex.IGNORECASE).search(col.label)
    grand = row.is_total and rx(r"^\W*tổng", regex.IGNORECASE).match(label) is not None  # "Tổng cộng (I+II)": no group's
    enclosing = None if grand else next((c for c in (category_of(t, total_words=False) for t in outer) if c), None)
    # "I. Cán bộ, công chức" over its rows; a bare "Biên chế được giao" column yields to the caption's, the row's and the group's
    col_category = None if bare and (defaults.category or own not in (None, "total") or enclosing) else col.category
    people = _counts_people(unit)
    part_own = own if own not in (None, "total") and compiled("tables", "table.part_row").match(label) else None
    category = (part_own or col_category or own or implied or (enclosing or defaults.category if people else None)
                or ("total" if people else None))  # "Trong đó: lãnh đạo, quản lý": the share names its own kind
    if defaults.category and category not in (None, "total", defaults.category) and may_contain(category, defaults.category):
        category = defaults.category  # a "Công chức" column under "… CÁN BỘ, CÔNG CHỨC … CẤP XÃ": commune officials
    return Figure(id="", start=start, end=end, text=written, kind=kind, value=-value if negative else value,
                  unit=unit, category=category, org=label if is_org else _subtotal_org(table, row), year=year, basis=basis,
                  base_year=base_year, role=col.stage,
                  sentence=row.text)


def _row_years(table: Table, label: str, outer: list[str], col: TableColumn, kind: str) -> tuple[int | None, int | None]:
    """A cell's year and base year: the column's, else a row labelled by its year ("2024",
    "Năm 2024"), else a year its labels name; a change row "Giảm so với năm 2022" under year
    rows is the change from that year to the latest row's."""
    base = compiled("dates", "year.base").search(label) if kind == "change" else None
    if base is not None and not col.year:
        rows = [int(m.group(1)) for m in (_BARE_YEAR.match(r.label or "") for r in table.rows) if m]
        return (max(rows) if rows and max(rows) > int(base.group("y")) else None), int(base.group("y"))
    own = _BARE_YEAR.match(label)
    year = col.year or (int(own.group(1)) if own else None) \
        or next((int(m.group(1)) for m in (_YEAR.search(t) for t in [label, *outer]) if m), None)
    return year, col.base_year if kind == "change" else None


def _counts_people(unit: str) -> bool:
    """Whether a unit counts people ("biên chế", "người", "công chức"), not units."""
    return unit in _PERSON_UNITS or bool(_STAFF.fullmatch(unit))


def _reduces(change: regex.Match[str] | None) -> bool:
    """Whether a change word of a row label or header reduces ("giảm", "tinh giản"), not adds ("tăng", "bổ sung")."""
    return change is not None and not change.group("verb").lower().startswith(("tăng", "bổ"))


def _rate_cell(row: TableRow, col: TableColumn, start: int, end: int, written: str, value: float,
               outer: list[str]) -> Figure:
    """A row counted in "%" ("Tỷ lệ giảm biên chế công chức so với năm 2021 | % | 10"):
    a rate, negative for a reduction, against the year after "so với"."""
    label = row.label or ""
    change = compiled("tables", "table.change_label").search(label)
    negative = _reduces(change)
    base = rx(r"so\s+với\s+(?:năm\s+)?((?:19|20)\d{2})", regex.IGNORECASE).search(label)
    own = _YEAR.search(label[:base.start()] if base else label)
    year = col.year or (int(own.group(1)) if own else None) or next(
        (int(m.group(1)) for m in (_YEAR.search(t) for t in outer) if m), None)
    category = category_of(label, total_words=False) or next((c for c in map(category_of, outer) if c), None)
    return Figure(id="", start=start, end=end, text=written, kind="rate", value=-value if negative else value,
                  unit="%", category=category, org=None, year=year, basis=col.basis or basis_of(label),
                  base_year=int(base.group(1)) if base else None, sentence=row.text)


def _subtotal_org(table: Table, row: TableRow) -> str | None:
    """"Cộng huyện Tây Kim": the unit a sub-total row names is its org; "Cộng A" is the
    group row numbered A ("A | Đơn vị sự nghiệp thuộc Sở Y tế")."""
    if not row.is_total:
        return None
    if rx(r"^\W*(?:cả\s+nước|toàn\s+quốc)\W*$", regex.IGNORECASE).match(row.label or ""):
        return "cả nước"  # "| Cả nước | 250.000 |": the country's total
    named = rx(r"^\s*(?:tổng\s+)?cộng\s+(?P<org>(?:huyện|quận|thị\s+xã|thành\s+phố|tỉnh|khối)\s+(?!toàn)\S.*?)\s*:?\s*$",
               regex.IGNORECASE).match(row.label or "")
    if named:
        return str(named.group("org"))
    group = rx(r"^\s*cộng\s+(?P<n>(?-i:[A-Z]|[IVX]{1,4}))\s*$", regex.IGNORECASE).match(row.label or "")
    heads = [r.label for r in table.rows if group and (r.number or "").strip(" .)") == group.group("n") and r.label]
    return heads[0] if len(heads) == 1 else None
