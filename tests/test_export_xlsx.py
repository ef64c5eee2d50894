"""The clerk workbook read back with openpyxl: sheet order, the "Tổng hợp biên chế"
summary (values, formats, indent, sum check), Vietnamese headers and values, date
cells, print settings, inert formula-looking text."""

from __future__ import annotations

import datetime as dt
import typing
from pathlib import Path

import openpyxl
import pytest
from openpyxl.worksheet.worksheet import Worksheet

from extractor.check import rules
from extractor.export import write_xlsx
from extractor.export.labels import CATEGORY, COLUMNS, SHEETS, VALUES, rule_label, value_label
from extractor.export.xlsx import SHEET_NAMES
from extractor.export.xlsx_cells import date_cell
from extractor.export.xlsx_summary import same_unit
from extractor.models import (
    Approx,
    Basis,
    Citation,
    DocumentResult,
    Figure,
    FigureKind,
    Finding,
    Relation,
    SelfIdentity,
    Severity,
)
from extractor.patterns import entries

ORG = "Sở Nội vụ tỉnh Hòa Bình"
FORMULA_ORG = "=HYPERLINK(\"http://x\",\"Sở\")"
FORMULA_SENTENCE = "=SUM(A1:A3) là 200 biên chế"


def _figure(fid: str, value: float, year: int | None, **fields: object) -> Figure:
    start = 100 * int(fid[1:])
    base: dict[str, object] = {
        "id": fid, "kind": "level", "value": value, "unit": "biên chế", "category": "total",
        "org": ORG, "year": year, "start": start, "end": start + 12,
        "text": f"{value:g} biên chế", "sentence": f"Câu của {fid}.",
    }  # fmt: skip
    base.update(fields)
    return Figure.model_validate(base)


def _plan(part_2025: float = 110.0, **extra: object) -> DocumentResult:
    """A whole and two parts over 2024 and 2025; the 2024 parts add up, the 2025 ones
    add up when ``part_2025`` is 120."""
    figures = [
        _figure("f1", 200, 2024, sentence=FORMULA_SENTENCE),
        _figure("f2", 120, 2024, category="officials", parent="f1"),
        _figure("f3", 80, 2024, category="public_employees", parent="f1"),
        _figure("f4", 190, 2025),
        _figure("f5", part_2025, 2025, category="officials", parent="f4"),
        _figure("f6", 70, 2025, category="public_employees", parent="f4", approx="at_least"),
        _figure("f7", -10, 2025, kind="change", base_year=2024, rate_percent=-5.0),
        _figure("f8", 12, 2025, org=FORMULA_ORG, category=None),
    ]
    citation = Citation(
        start=10, end=18, text="18-NQ/TW", id="18-NQ/TW", key="18-NQ/TW", number="18",
        type="Nghị quyết", date="2017-10-25", issuer="Ban Chấp hành Trung ương",
        relation="implements", sentence="@cmd thực hiện Nghị quyết số 18-NQ/TW",
    )  # fmt: skip
    finding = Finding(
        rule="sum", severity="error", message="190 ≠ 110 + 70 = 180", stated=190, computed=180,
        spans=[(400, 412), (500, 512), (600, 612)],
    )  # fmt: skip
    own = SelfIdentity(id="45-KH/UBND", key="45-KH/UBND@tỉnh Hòa Bình", type="Kế hoạch",
                       date="2024-03-05", issuer="UBND tỉnh Hòa Bình")  # fmt: skip
    fields: dict[str, object] = {
        "source": "in/ke-hoach-45.txt", "sha256": "cd" * 32, "format": "txt", "chars": 900,
        "self": own, "figures": figures, "citations": [citation], "findings": [finding],
    }  # fmt: skip
    fields.update(extra)
    return DocumentResult.model_validate(fields)


def _book(tmp_path: Path, *results: DocumentResult) -> openpyxl.Workbook:
    return openpyxl.load_workbook(write_xlsx(list(results), tmp_path / "out.xlsx"))


def _sheet(tmp_path: Path, key: str, *results: DocumentResult) -> Worksheet:
    sheet = _book(tmp_path, *results)[SHEETS[key]]
    assert isinstance(sheet, Worksheet)
    return sheet


def _values(sheet: Worksheet, row: int) -> list[object]:
    return [cell.value for cell in sheet[row]]


def _column(sheet: Worksheet, key: str, field: str) -> list[object]:
    index = _values(sheet, 1).index(COLUMNS[key][field].header) + 1
    return [sheet.cell(row=r, column=index).value for r in range(2, sheet.max_row + 1)]


def test_export_xlsx_sheet_order_and_names(tmp_path: Path) -> None:
    assert _book(tmp_path, _plan()).sheetnames == [
        "Tổng hợp biên chế", "Số liệu", "Trích dẫn", "Phát hiện", "Văn bản", "Lỗi đọc tệp", "Giải thích cột",
    ]  # fmt: skip
    assert list(SHEET_NAMES) == list(SHEETS.values())


def test_export_xlsx_summary_heading_and_columns(tmp_path: Path) -> None:
    sheet = _sheet(tmp_path, "summary", _plan())
    assert _values(sheet, 1) == [
        "Đơn vị", "Loại biên chế", "Đơn vị tính", "2024", "2025", "Kiểm tra tổng", "Ghi chú", "Mã số liệu",
    ]  # fmt: skip
    heading = _values(sheet, 2)
    assert heading[0] == "in/ke-hoach-45.txt — Kế hoạch số 45-KH/UBND — ngày 05/03/2024 — UBND tỉnh Hòa Bình"
    assert heading[1:] == [None] * 7 and sheet.cell(row=2, column=1).font.bold


def test_export_xlsx_summary_whole_and_parts(tmp_path: Path) -> None:
    sheet = _sheet(tmp_path, "summary", _plan())
    rows = [_values(sheet, r)[:5] for r in range(3, 7)]
    assert rows == [
        [ORG, "tổng số", "biên chế", 200, 190],
        [ORG, "cán bộ, công chức", "biên chế", 120, 110],
        [ORG, "viên chức", "biên chế", 80, 70],
        [FORMULA_ORG, None, "biên chế", None, 12],
    ]  # the change f7 stays on the Số liệu sheet
    assert sheet.max_row == 6
    indents = [int(sheet.cell(row=r, column=c).alignment.indent) for r in (3, 4, 5) for c in (1, 2)]
    assert indents == [0, 0, 1, 1, 1, 1]
    assert {sheet.cell(row=r, column=c).number_format for r in (3, 4) for c in (4, 5)} == {"#,##0"}
    assert _values(sheet, 5)[6] == "2025: ít nhất 70"
    assert _values(sheet, 3)[7] == "f1, f4"


@pytest.mark.parametrize(
    ("part_2025", "check"),
    [(120.0, "khớp"), (110.0, "2025: lệch 10 (Σ phần 180); còn lại khớp"), (130.0, "2025: lệch −10 (Σ phần 200); còn lại khớp")],
)
def test_export_xlsx_summary_check_column(tmp_path: Path, part_2025: float, check: str) -> None:
    sheet = _sheet(tmp_path, "summary", _plan(part_2025))
    assert _values(sheet, 3)[5] == check
    assert _values(sheet, 4)[5] is None  # a part without parts has no check


def test_export_xlsx_summary_splits_a_year_stated_on_two_bases(tmp_path: Path) -> None:
    figures = [_figure("f1", 100, 2025, basis="assigned"), _figure("f2", 96, 2025, basis="actual"),
               _figure("f3", 99, 2024, basis="assigned")]  # fmt: skip
    sheet = _sheet(tmp_path, "summary", _plan(figures=figures))
    assert _values(sheet, 1)[3:6] == ["2024", "2025 (được giao)", "2025 (có mặt)"]
    assert _values(sheet, 3)[3:7] == [99, 100, 96, None]
    assert _values(sheet, 3)[7] == "được giao: 2024"  # the 2024 header does not say it


def test_export_xlsx_summary_part_named_like_its_whole_gets_own_row(tmp_path: Path) -> None:
    figures = [_figure("f1", 50, 2024), _figure("f2", 20, 2024, parent="f1"),
               _figure("f3", 49, 2025), _figure("f4", 19, 2025, parent="f3")]  # fmt: skip
    sheet = _sheet(tmp_path, "summary", _plan(figures=figures))
    assert [_values(sheet, r)[3:5] for r in (3, 4)] == [[50, 49], [20, 19]]
    assert int(sheet.cell(row=4, column=1).alignment.indent) == 1


def test_export_xlsx_summary_joins_a_unit_named_with_fewer_words(tmp_path: Path) -> None:
    figures = [_figure("f1", 50, 2024, org=f"{ORG} cấp tỉnh, cấp huyện"), _figure("f2", 49, 2025)]
    sheet = _sheet(tmp_path, "summary", _plan(figures=figures))
    assert sheet.max_row == 3 and _values(sheet, 3)[3:5] == [50, 49]
    assert _values(sheet, 3)[6] == "cũng ghi không có «cấp tỉnh, cấp huyện» (f2)"


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [("Khối Đảng", "Khối Đảng cấp tỉnh", True), ("Khối Đảng cấp tỉnh", "Khối Đảng", True),
     ("Trường Cao đẳng 1", "Trường Cao đẳng 12", False), ("Sở Y tế", "Sở Y tế", False), (None, "Sở Y tế", False)],
)  # fmt: skip
def test_export_xlsx_same_unit(a: str | None, b: str, same: bool) -> None:
    assert same_unit(a, b) is same


def test_export_xlsx_summary_of_nothing_says_so(tmp_path: Path) -> None:
    sheet = _sheet(tmp_path, "summary", _plan(figures=[]))
    assert _values(sheet, 2)[0] == "Không có mức biên chế nào trong các văn bản đã đọc."


@pytest.mark.parametrize("key", [k for k in SHEETS if k != "summary"])
def test_export_xlsx_headers_are_vietnamese(tmp_path: Path, key: str) -> None:
    sheet = _sheet(tmp_path, key, _plan())
    headers = _values(sheet, 1)
    assert headers == [label.header for label in COLUMNS[key].values()]
    assert not {"kind", "org", "approx", "source", "value", "rule"} & set(headers)


ENGLISH = {"level", "change", "total", "officials", "public_employees", "at_least", "exact",
           "implements", "cites", "error", "warning", "sum", "assigned", "True", "False"}  # fmt: skip


def test_export_xlsx_shows_no_english_codes(tmp_path: Path) -> None:
    book = _book(tmp_path, _plan())
    seen = {
        str(cell.value) for sheet in book.worksheets if sheet.title != SHEETS["columns"]
        for row in sheet.iter_rows() for cell in row if cell.value is not None
    }  # fmt: skip
    assert not ENGLISH & seen
    assert {"mức biên chế", "tăng/giảm", "viên chức", "ít nhất", "thực hiện", "lỗi", "tổng không khớp"} <= seen


def test_export_xlsx_dates_are_date_cells(tmp_path: Path) -> None:
    book = _book(tmp_path, _plan())
    for key, field, day in (("citations", "date", dt.datetime(2017, 10, 25)), ("documents", "self_date", dt.datetime(2024, 3, 5))):
        sheet = book[SHEETS[key]]
        col = _values(sheet, 1).index(COLUMNS[key][field].header) + 1
        cell = sheet.cell(row=2, column=col)
        assert (cell.value, cell.is_date, cell.number_format) == (day, True, "dd/mm/yyyy")


@pytest.mark.parametrize(
    ("iso", "cell"),
    [("2022-07-18", dt.date(2022, 7, 18)), ("2022-07", "07/2022"), ("2023-Q1", "quý I/2023"),
     ("2022-02-30", "2022-02-30"), (None, None)],
)  # fmt: skip
def test_export_xlsx_date_cell(iso: str | None, cell: object) -> None:
    assert date_cell(iso) == cell


def test_export_xlsx_number_formats_of_figures(tmp_path: Path) -> None:
    sheet = _sheet(tmp_path, "figures", _plan())
    headers = _values(sheet, 1)
    value = sheet.cell(row=8, column=headers.index("Giá trị") + 1)  # f7, the change
    rate = sheet.cell(row=8, column=headers.index("Tỷ lệ (%)") + 1)
    year = sheet.cell(row=8, column=headers.index("Năm") + 1)
    assert (value.value, value.number_format) == (-10, "#,##0")
    assert (rate.value, rate.number_format) == (-5, "#,##0.00")
    assert (year.value, year.number_format) == (2025, "General")


@pytest.mark.parametrize("name", SHEET_NAMES)
def test_export_xlsx_print_setup(tmp_path: Path, name: str) -> None:
    sheet = _book(tmp_path, _plan())[name]
    assert sheet.page_setup.orientation == "landscape"
    assert sheet.print_title_rows == "$1:$1"
    assert sheet.sheet_properties.pageSetUpPr.fitToPage is True
    assert (sheet.page_setup.fitToWidth or 1, sheet.page_setup.fitToHeight) == (1, 0)
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref is not None and sheet.auto_filter.ref.startswith("A1:")


@pytest.mark.parametrize(
    ("key", "field", "row", "text"),
    [("summary", "org", 6, FORMULA_ORG), ("figures", "sentence", 2, FORMULA_SENTENCE),
     ("figures", "org", 9, FORMULA_ORG), ("citations", "sentence", 2, "@cmd thực hiện Nghị quyết số 18-NQ/TW")],
)  # fmt: skip
def test_export_xlsx_formula_text_stays_a_string(
    tmp_path: Path, key: str, field: str, row: int, text: str
) -> None:
    sheet = _sheet(tmp_path, key, _plan())
    col = _values(sheet, 1).index(COLUMNS[key][field].header) + 1
    cell = sheet.cell(row=row, column=col)
    assert (cell.value, cell.data_type, cell.hyperlink) == (text, "s", None)


def test_export_xlsx_findings_name_figures_and_sentences(tmp_path: Path) -> None:
    sheet = _sheet(tmp_path, "findings", _plan())
    assert _column(sheet, "findings", "rule") == ["tổng không khớp"]
    assert _column(sheet, "findings", "severity") == ["lỗi"]
    assert _column(sheet, "findings", "mentions") == ["f4: 190 biên chế\nf5: 110 biên chế\nf6: 70 biên chế"]
    assert _column(sheet, "findings", "sentence") == ["Câu của f4.\nCâu của f5.\nCâu của f6."]
    assert (_column(sheet, "findings", "stated"), _column(sheet, "findings", "computed")) == ([190], [180])


def test_export_xlsx_dictionary_lists_every_column(tmp_path: Path) -> None:
    sheet = _sheet(tmp_path, "columns", _plan())
    rows = [_values(sheet, r) for r in range(2, sheet.max_row + 1)]
    assert len(rows) == sum(len(columns) for columns in COLUMNS.values())
    assert [SHEETS["figures"], "Loại số liệu", "figures[].kind"] in [row[:3] for row in rows]
    assert [SHEETS["summary"], "2024, 2025", "figures[].value theo year, basis"] in [row[:3] for row in rows]
    assert all(row[3] for row in rows)


@pytest.mark.parametrize("literal", [FigureKind, Approx, Relation, Severity, Basis])
def test_export_labels_cover_every_model_value(literal: object) -> None:
    field = {FigureKind: "kind", Approx: "approx", Relation: "relation", Severity: "severity", Basis: "basis"}
    values = typing.get_args(literal)
    assert all(value in VALUES[field[literal]] for value in values)  # type: ignore[index]


def test_export_labels_cover_every_category_and_rule() -> None:
    categories = {getattr(entry, "category") for entry in entries("categories")}
    assert categories <= set(CATEGORY)
    assert all(rule_label(rule) != rule for rule in rules.ALL)
    assert rule_label("sum") == "tổng không khớp" and rule_label("new_rule") == "new_rule"
    assert value_label("category", "public_employees") == "viên chức"


def test_export_xlsx_summary_gives_a_second_value_its_own_row(tmp_path: Path) -> None:
    table = [_figure(f"f{i}", value, None, org=None, category="public_employees", sentence=f"{i} | Ngành {i} | {value:g} |")
             for i, value in ((1, 9), (2, 14), (3, 9))]  # fmt: skip
    sheet = _sheet(tmp_path, "summary", _plan(figures=table))
    assert _values(sheet, 1)[3] == "không rõ năm"
    rows = [_values(sheet, r) for r in (3, 4)]
    assert sheet.max_row == 4 and [row[3] for row in rows] == [9, 14]
    assert [row[0] for row in rows] == ["(không rõ đơn vị)"] * 2
    assert [row[4:] for row in rows] == [[None, "câu: «1 | Ngành 1 | 9 |»", "f1, f3"], [None, "câu: «2 | Ngành 2 | 14 |»", "f2"]]


def test_export_xlsx_summary_rows_linear_in_unitless_values() -> None:
    import time

    from extractor.export.xlsx_summary import document_rows
    from extractor.models import DocumentResult, Figure

    def doc(n: int) -> DocumentResult:
        figures = [Figure(id=f"f{i}", start=i, end=i + 1, text="1", kind="level", value=float(i), unit="biên chế", category="total", org=None, year=2024) for i in range(n)]
        return DocumentResult(source="mot-dong.txt", sha256="0", figures=figures)

    small, big = doc(2_000), doc(8_000)
    started = time.perf_counter()
    assert len(document_rows(small)) == 2_000
    t_small = time.perf_counter() - started
    started = time.perf_counter()
    assert len(document_rows(big)) == 8_000  # one row per different value, as in a real table of unit-less rows
    assert time.perf_counter() - started < 10 * max(t_small, 0.05)  # 4x the values: linear, not 16x
