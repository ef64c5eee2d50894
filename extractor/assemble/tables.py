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
from extractor.assemble.cues import basis_of, caption_basis, category_of
from extractor.assemble.table_links import link_before_after, link_changes, link_parts, link_years
from extractor.assemble.table_rows import lone_rates, rates, reduces, row_totals
from extractor.assemble.table_units import UNITS, cell_unit_of, counts_people, counts_units, is_measure_table, org_column
from extractor.models import Basis, Figure, FigureKind
from extractor.patterns import compiled, rx
from extractor.rules.categories import category_in
from extractor.rules.parts import may_contain
from extractor.rules.norms import speaks_of_staff
from extractor.rules.numbers import as_count
from extractor.structure.tables import ACCOUNTING, SIGNS, cell_unit, cell_verb, is_number, number_part, signed_value

_YEAR = regex.compile(r"(?<!\p{L})năm\s+((?:19|20)\d{2})(?!\d)", regex.IGNORECASE)
_BARE_YEAR = regex.compile(r"^\s*(?:năm\s+)?((?:19|20)\d{2})\s*$", regex.IGNORECASE)
CAPTION_HEADING = 120
"""A paragraph this short right before a table, not ending in ":", is a heading or a
title ("I. Khối Đảng …", "Biểu 1. …"): the paragraph before it is read with it."""
NARRATIVE_WORDS = 12
"""Words from which a line ending with a full stop above a table's title is narrative, no caption."""


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


def _caption(text: str, table: Table) -> list[str]:
    """The line just before the table ("Biểu 1. Biên chế công chức …", "… như
    sau:"), past a unit line and parenthesised lines, then the line before a
    heading or title line; not the prose further up. Nearest first."""
    before = text[max(0, table.start - 300):table.start]
    paragraphs = [p.strip() for p in str(rx(r"\([^()]*\)").sub(" ", before)).split("\n")]
    paragraphs = [p for p in paragraphs if p.strip(" .:;-")]
    while paragraphs and compiled("tables", "table.unit_line").match(paragraphs[-1]):
        paragraphs.pop()
    if table.title:
        return [table.title, *paragraphs[-1:]]  # "| BIỂU TỔNG HỢP … | | |": the table's own title row first
    if len(paragraphs) >= 2 and len(paragraphs[-1]) <= CAPTION_HEADING and not paragraphs[-1].endswith(":"):
        if len(paragraphs[-2].split()) >= NARRATIVE_WORDS and paragraphs[-2].endswith("."):
            return paragraphs[-1:]  # "… so với tổng biên chế được giao năm 2021.": a narrative sentence heads no table
        return [paragraphs[-1], paragraphs[-2]]  # a heading or title line: what it heads too
    return paragraphs[-1:]


def _unit_line(text: str, table: Table) -> str | None:
    """The unit of the unit line just above the table ("Đơn vị tính: người", "ĐVT:
    Biên chế"), lowercase, without a parenthesis after it; None when there is none."""
    lo = max(0, table.start - 300)
    above = text[lo:table.start].split("\n")
    lines = [line for line in (above[1:] if lo > 0 and text[lo - 1] != "\n" else above) if line.strip()]  # whole lines
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
        cats = [c for c in map(category_in, caption) if c]  # "Biên chế công chức, số lượng người làm việc …": none
        words = " ".join(caption)
        quota = "người làm việc" if rx(r"người\s+làm\s+việc", regex.IGNORECASE).search(words) \
            and not rx(r"biên\s+chế", regex.IGNORECASE).search(words) else "biên chế"
        titled = caption and len(caption[0]) <= CAPTION_HEADING * 2 and not caption[0].rstrip().endswith(".")  # a title, no prose
        years = {int(m.group(1)) for m in _YEAR.finditer(caption[0])} if titled else set()
        changed = compiled("tables", "table.change_caption").search(caption[0]) if titled else None
        defaults = _Defaults(next((b for b in map(caption_basis, caption) if b), None), cats[0] if cats else None,
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
    staged = any(c.stage for c in values) and any(UNITS.search(c.label) or UNITS.search(r.label or "")
                                                 for c in values for r in table.rows[:1])
    counted = any(counts_units(c) for c in values)  # "Số lượng Văn phòng, Phòng, Đội": a count of units
    measures = is_measure_table(table)
    unit_rows = measures and any(UNITS.search(r.label or "") or UNITS.fullmatch((r.unit or "").strip())
                                                 for r in table.rows)  # "Số xã trước sắp xếp | Xã | 152"
    if not values or not (table.about_quota or staged or counted or unit_rows or any(c.year or c.category for c in values)):
        return []
    files = sum(bool(compiled("tables", "table.file_label").match(r.label or "")) for r in table.rows)
    if files * 2 >= len(table.rows):
        return []  # a listing of files counts no staff
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
            bracketed = ACCOUNTING.fullmatch(cell.text) if col is not None and col.change and verb is None else None
            at = bracketed.start(1) if bracketed else at  # "(5)" under "So sánh (tăng/giảm)": a reduction of 5
            body = bracketed.group(1) if bracketed else cell.text[at:]
            if col is None or col.role != "value" or not cell.text or not is_number(body) \
                    or row.number is not None and cell.text == row.number and cell.column == row.cells[0].column:
                continue  # the row's own numbering, read from its first cell
            if col.rate or compiled("tables", "table.per_unit_header").search(col.label):
                continue  # rates are read with their changes; "Số lượng tối đa/xã" is a norm
            if compiled("tables", "table.other_count_header").match(col.label):
                continue  # "Số lớp", "Số học sinh" beside "Số người làm việc": no staff
            written = number_part(body)  # "1.245(*)": the mark points to a note, the number is before it
            own_unit = cell_unit(body).lower()
            if own_unit and counts_people(own_unit) and not table.about_quota \
                    and not speaks_of_staff(f"{row.text} {col.label}", 0, 10**6):
                continue  # "Dân số | 32.808 người": people, not staff
            fig = _cell_figure(table, row, col, cell.start + at, cell.start + at + len(written), written, outer, measures,
                               replace(defaults, unit=own_unit or defaults.unit), verb, bracketed is not None)  # "45 người"
            if fig is None:
                continue
            fig.id = f"f{first_id + len(figures)}"
            figures.append(fig)
            by_cell[(r, cell.column)] = fig
    link_changes(table, by_cell)
    link_parts(table, by_cell, enclosing, measures)
    row_totals(table, by_cell)
    rates(table, by_cell)
    figures += lone_rates(table, by_cell, first_id + len(figures))
    link_before_after(table, by_cell)
    link_years(table, by_cell)
    return figures


def _cell_figure(table: Table, row: TableRow, col: TableColumn, start: int, end: int, written: str,
                 outer: list[str], measures: bool, defaults: _Defaults, verb: regex.Match[str] | None = None,
                 bracketed: bool = False) -> Figure | None:
    unit = cell_unit_of(table, row, col, defaults.unit, defaults.quota)
    read = signed_value(written)
    value, signed = (abs(read[0]), read[0] < 0) if read is not None and read[1] else (read[0] if read else None, None)
    signed = True if bracketed else signed  # an accountant's "(5)": minus five
    money = compiled("tables", "table.money_unit")
    if unit is None or value is None or money.match(unit) or money.match((row.unit or col.unit or "").strip()) \
            or compiled("tables", "table.money_label").search(row.label or "") or compiled("tables", "table.money_label").search(col.label):
        return None  # "Kinh phí … | Triệu đồng | 61.500": money is no figure
    if "%" in (row.unit, col.unit):
        return _rate_cell(row, col, start, end, written, value, outer)
    value = as_count(value, number_part(written).strip().lstrip(SIGNS))  # "1,250" people: a thousands comma
    label = row.label or ""
    change = verb or compiled("tables", "table.change_label").search(label) or compiled("tables", "table.change_label").search(col.label)
    if change is None and defaults.change is not None and counts_people(unit) and not (col.basis or basis_of(label)):
        change = defaults.change  # under "Kết quả tinh giản biên chế …": each cell counts people streamlined
    if change is not None and rx(r"tinh\s+giản", regex.IGNORECASE).match(change.group("verb")) \
            and unit == defaults.quota and not (row.unit or col.unit or rx(r"biên\s+chế", regex.IGNORECASE).search(col.label)):
        unit = "người"  # "Số công chức tinh giản", "Kết quả tinh giản biên chế": people streamlined, not posts
    gap = compiled("tables", "table.gap_label").search(col.label) or compiled("tables", "table.gap_label").search(label) \
        or (compiled("tables", "table.people_row").match(label) if change is None else None)  # "Số người thôi việc": a count
    kind: FigureKind = "count" if gap is not None else "change" if col.change or change or signed is not None else (
        "level" if counts_people(unit) else "count")  # "Chưa sử dụng", "Thừa (+)/Thiếu (-)": a gap between measures
    negative = reduces(change) if signed is None else signed  # "-15" under "Tăng (+), giảm (-)": the sign decides
    is_org = (not measures and not row.is_total and bool(label) and not UNITS.fullmatch(label.strip())
              and not compiled("tables", "table.part_row").match(label))  # "Trong đó: …" names a share, not a unit
    year, base_year = _row_years(table, label, outer, col, kind)
    dated = {c.year for c in table.columns if c.year}
    year = year or (defaults.year if not dated or kind != "change" and defaults.year not in dated else None)
    # the caption's year for a column of none, unless a column has it ("… năm 2025 | Giao | Có mặt đến 31/12/2024")
    if kind == "change" and year and base_year is None and compiled("tables", "table.previous_year").search(f"{label} {col.label}"):
        base_year = year - 1  # "Số giảm so với năm trước" under "2023": against 2022
    basis = None if gap is not None and kind == "count" else (
        col.basis or basis_of(label) or next((b for b in map(basis_of, outer) if b), None) or defaults.basis)
    implied = "public_employees" if rx(r"người\s+làm\s+việc", regex.IGNORECASE).search(label) else None
    own = category_of(label, total_words=not row.is_total) if not is_org else None
    bare = col.category == "total" and not rx(r"tổng", regex.IGNORECASE).search(col.label)
    grand = row.is_total and rx(r"^\W*tổng", regex.IGNORECASE).match(label) is not None  # "Tổng cộng (I+II)": no group's
    enclosing = None if grand else next((c for c in (category_of(t, total_words=False) for t in outer) if c), None)
    # "I. Cán bộ, công chức" over its rows; a bare "Biên chế được giao" column yields to the caption's, the row's and the group's
    col_category = None if bare and (defaults.category or own not in (None, "total") or enclosing) else col.category
    people = counts_people(unit)
    part_own = own if own not in (None, "total") and compiled("tables", "table.part_row").match(label) else None
    part_own = part_own or (category_of(row.kind, total_words=False) if row.kind else None)  # "| Sở Y tế | Công chức | 45 |"
    category = (part_own or col_category or own or implied or (enclosing or defaults.category if people else None)
                or ("total" if people else None))  # "Trong đó: lãnh đạo, quản lý": the share names its own kind
    if defaults.category and category not in (None, "total", defaults.category) and may_contain(category, defaults.category):
        category = defaults.category  # a "Công chức" column under "… CÁN BỘ, CÔNG CHỨC … CẤP XÃ": commune officials
    return Figure(id="", start=start, end=end, text=written, kind=kind, value=-value if negative else value,
                  unit=unit, category=category, org=label if is_org else _subtotal_org(table, row) or org_column(col),
                  year=year, basis=basis,
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


def _rate_cell(row: TableRow, col: TableColumn, start: int, end: int, written: str, value: float,
               outer: list[str]) -> Figure:
    """A row counted in "%" ("Tỷ lệ giảm biên chế công chức so với năm 2021 | % | 10"):
    a rate, negative for a reduction, against the year after "so với"."""
    label = row.label or ""
    change = compiled("tables", "table.change_label").search(label)
    negative = reduces(change)
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
