"""What a table cell counts: its unit from the row's or column's own noun, the unit line
above the table, the caption's quota noun or the columns it compares; which columns count
units ("Số xã", "Tổng số xã") and which split another ("Chia ra: Loại I | Loại II")."""

from __future__ import annotations

import regex

from extractor.annotated import Table, TableColumn, TableRow
from extractor.patterns import compiled, rx

STAFF = regex.compile(r"biên\s+chế|công\s+chức|viên\s+chức|người|cán\s+bộ|lao\s+động|hợp\s+đồng", regex.IGNORECASE)
"""Staff nouns in a header or row label."""
UNITS = regex.compile(r"(?<!\p{L})(?P<u>(?:đơn\s+vị\s+hành\s+chính|đvhc)(?:\s+cấp\s+(?:xã|huyện|tỉnh))?|(?<!cấp\s)xã|phường|thị\s+trấn|đơn\s+vị|cơ\s+quan|tổ\s+chức|đầu\s+mối|phòng|chi\s+cục|tổng\s+cục|cục)(?!\p{L})", regex.IGNORECASE)
"""Nouns of units a table counts (administrative units, bodies, offices)."""
PERSON_UNITS = ("biên chế", "người làm việc", "người")
"""Units that count people or their posts."""


def cell_unit_of(table: Table, row: TableRow, col: TableColumn, lined: str | None = None, quota: str = "biên chế") -> str | None:
    """The unit of a cell: the row's or column's own ("Xã", a unit row or column),
    else the table's unit line (``lined``) unless the header counts units, else
    what the labels count."""
    label = f"{row.label or ''} {col.label}"
    own = UNITS.fullmatch((row.label or "").strip())
    if own:
        return unit_name(own)  # a row "Xã", "Phường" counts those units
    written = row.unit or col.unit
    if written and written != "%" and not written.strip("()").isdigit():
        return written
    if lined and not UNITS.search(col.label) and not counts_units(col):
        return lined  # "Đơn vị tính: người" over a table of staff
    if rx(r"biên\s+chế", regex.IGNORECASE).search(label):
        return "biên chế"
    counted = UNITS.search(col.label)
    if counted and counts_units(col) and not STAFF.search(col.label):
        return unit_name(counted)  # "Số đơn vị", "Số lượng phòng": a count of units, whatever the table's staff
    split = _split_of(table, col)
    if split is not None:
        return split  # "Tổng số xã | Chia ra: Loại I | Loại II": the split counts what its whole counts
    if col.category == "leaders" and not table.about_quota:
        return "người"  # "Số cấp phó hiện có | theo quy định | dôi dư": deputies are people
    if compiled("tables", "table.people_row").match(row.label or ""):
        return "người"  # "Số người đã nghỉ hưu trước tuổi | 45": people who left, no posts
    if STAFF.search(label) or (table.about_quota and headed(table, col)):
        if col.basis == "actual":  # "Số công chức có mặt": people, not posts, named as the header names them
            noun = rx(r"^\s*số\s+(?:lượng\s+)?(" + STAFF.pattern + ")", regex.IGNORECASE).match(col.label)
            return rx(r"\s+").sub(" ", noun.group(1).lower()) if noun else "người"
        if rx(r"người\s+làm\s+việc", regex.IGNORECASE).search(col.label) or rx(r"^\W*(?:số\s+lượng\s+)?người\s+làm\s+việc",
                                                                              regex.IGNORECASE).match(row.label or ""):
            return "người làm việc"  # a "Số lượng người làm việc" column or row counts that quota
        if col.category == "contract_workers" or compiled("tables", "table.contract_row").match(row.label or ""):
            return "người"  # "Hợp đồng lao động", "HĐLĐ 111": people under contract hold no biên chế
        return quota if table.about_quota else "người"  # "Số lượng người làm việc …" over "Năm 2024" columns
    measure = compiled("tables", "table.measure_label").match(row.label or "")  # "Số phòng … giảm", not "Chi cục X"
    unit = UNITS.search(col.label) or (UNITS.search(row.label or "") if measure else None)
    staged_total = _columns_unit(table, col.stage) if unit is None and col.category == "total" else None
    # "Trước sắp xếp: Tổng số | Xã | …" (a stage's), "Tổng số | Chia ra: Xã | Phường | Thị trấn" (the table's)
    if staged_total:
        return staged_total  # "Trước sắp xếp: Tổng số | Xã | Phường | Thị trấn": the stage's units
    if unit is None and col.change:
        return _compared_unit(table, row, col, lined, quota)  # "Tăng, giảm" beside "Số đơn vị năm 2024 | … 2025"
    if unit is None and col.stage == "after":  # "Số phòng trước sắp xếp | Sau sắp xếp": the same thing, after
        unit = next((m for m in (UNITS.search(c.label) for c in table.columns if c.stage == "before") if m), None)
    if unit is None and row.is_total:  # the total row's "Tổng" cell counts what the columns count when the rows name none
        return _rows_unit(table) or (_columns_unit(table) if col.category == "total" else None)
    if unit is None and col.category == "total":
        return _columns_unit(table)
    return unit_name(unit) if unit else None


def unit_name(found: regex.Match[str]) -> str:
    """The unit a match names, lowercase, "ĐVHC" written out."""
    return str(rx(r"^đvhc", regex.IGNORECASE).sub("đơn vị hành chính", str(rx(r"\s+").sub(" ", found.group("u"))).lower()))


def headed(table: Table, col: TableColumn) -> bool:
    """Whether a value column has a header of its own: not none, nor the label
    column's header spread over it (an infobox "| Tỉnh X | |")."""
    return bool(col.label.strip()) and not any(c.role == "label" and c.label == col.label for c in table.columns)


def _compared_unit(table: Table, row: TableRow, col: TableColumn, lined: str | None, quota: str) -> str | None:
    """What a change column with no noun of its own counts: what the columns it compares
    count (the total column if there is one, else the nearest value column before it)."""
    others = [c for c in table.columns if c.role == "value" and not c.change and not c.rate and c.index < col.index]
    totals = [c for c in others if c.category == "total"]
    for other in (totals or others[::-1])[:1]:
        return cell_unit_of(table, row, other, lined, quota)
    return None


def _columns_unit(table: Table, stage: str | None = None) -> str | None:
    """What a "Tổng" column counts when the other value columns (of its stage, where given)
    count kinds of unit."""
    kinds = [kind_column(c) for c in table.columns if c.role == "value" and c.category != "total"
             and not c.change and (stage is None or c.stage == stage)]
    if len(kinds) < 2 or None in kinds:
        return None
    local = all(k in ("xã", "phường", "thị trấn") for k in kinds)
    return "đơn vị hành chính cấp xã" if local else "đơn vị"


def _rows_unit(table: Table) -> str | None:
    """What a total row counts when the rows above name kinds of unit ("Xã",
    "Phường", "Thị trấn"): administrative units if they all are, else units."""
    kinds = [(UNITS.fullmatch((r.label or "").strip()), r) for r in table.rows if not r.is_total]
    named = [m.group("u").lower() for m, _ in kinds if m]
    if len(named) < 2 or len(named) < len(kinds):
        return None
    local = all(k in ("xã", "phường", "thị trấn") for k in named)
    return "đơn vị hành chính cấp xã" if local else "đơn vị"


def is_measure_table(table: Table) -> bool:
    part_row = compiled("tables", "table.part_row")  # "Trong đó: …" rows are shares of the row above
    labels = [r.label for r in table.rows if r.label and not r.is_total and not part_row.match(r.label)]
    measures = sum(1 for label in labels if compiled("tables", "table.measure_label").match(label))
    return bool(labels) and measures * 2 >= len(labels)


def counts_units(col: TableColumn) -> bool:
    """Whether a column header counts units ("Số lượng phòng", "Tổng số xã", "Số đơn vị trực thuộc")."""
    return bool(rx(r"^\s*(?:tổng\s+)?số\s+(?:lượng\s+)?", regex.IGNORECASE).match(col.label)) and UNITS.search(col.label) is not None


def split_whole(table: Table, col: TableColumn) -> TableColumn | None:
    """The column a "Chia ra" / "Trong đó" column of no noun of its own splits: the value
    column before the split, when it counts units ("Tổng số xã | Chia ra: Loại I | …")."""
    split = rx(r"^\s*(?:chia\s+ra|trong\s+đó)(?!\p{L})", regex.IGNORECASE).match(col.label) \
        or compiled("tables", "table.autonomy_header").match(col.label)  # "Tổng số đơn vị | Tự chủ chi thường xuyên | …"
    if split is None or STAFF.search(col.label) or UNITS.search(col.label[split.end():]):
        return None
    before = [c for c in table.columns[:col.index] if c.role == "value" and not c.label.lower().startswith(split.group(0).lower())
              and not compiled("tables", "table.autonomy_header").match(c.label)]
    whole = before[-1] if before else None
    return whole if whole is not None and counts_units(whole) and not STAFF.search(whole.label) else None


def _split_of(table: Table, col: TableColumn) -> str | None:
    """The unit a split column counts: its whole's (see ``split_whole``)."""
    whole = split_whole(table, col)
    counted = UNITS.search(whole.label) if whole is not None else None
    return unit_name(counted) if counted else None


def kind_column(col: TableColumn) -> str | None:
    """The unit kind a column counts ("Số xã", "Phường", "Trước sắp xếp Xã"), or None."""
    label = col.label
    for side in ("table.before_header", "table.after_header"):
        label = str(compiled("tables", side).sub(" ", label))  # the stage a merged header gives is no kind
    label = str(rx(r"^\s*(?:chia\s+ra|trong\s+đó)\s*:?", regex.IGNORECASE).sub("", label))  # "Chia ra: Xã | Phường"
    m = rx(r"^(?:số\s+(?:lượng\s+)?)?(?P<u>.+?)$", regex.IGNORECASE).match(label.strip())
    kind = UNITS.fullmatch(m.group("u").strip()) if m else None
    return str(kind.group("u")).lower() if kind else None


def counts_people(unit: str) -> bool:
    """Whether a unit counts people ("biên chế", "người", "công chức"), not units."""
    return unit in PERSON_UNITS or bool(STAFF.fullmatch(unit))


def org_column(col: TableColumn) -> str | None:
    """"| Loại | Sở Y tế | Sở Giáo dục | Cộng |": a column headed by a body counts its staff."""
    return col.label.strip() if compiled("tables", "table.org_header").match(col.label) else None
