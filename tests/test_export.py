"""Exports: JSON Lines round trip, CSV and XLSX tables, formula-looking text kept inert."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import openpyxl
import pytest
from openpyxl.worksheet.worksheet import Worksheet

from extractor.export import read_jsonl, write_csv, write_jsonl, write_xlsx
from extractor.export.csv import CITATION_COLUMNS, FIGURE_COLUMNS
from extractor.export.labels import COLUMNS, SHEETS
from extractor.models import (
    Citation,
    DocumentResult,
    FileError,
    Figure,
    Finding,
    SelfIdentity,
)

FORMULA_SENTENCES = ["=SUM(A1)", "-12 biên chế", "@x giảm 25 biên chế"]


def _figure(index: int, sentence: str, **fields: object) -> Figure:
    base: dict[str, object] = {
        "id": f"f{index}",
        "kind": "level",
        "value": 28960.0,
        "unit": "biên chế",
        "category": "total",
        "org": "hệ thống chính trị tỉnh Long An",
        "year": 2023,
        "start": 100 * index,
        "end": 100 * index + 15,
        "text": "28.960 biên chế",
        "page": index + 1,
        "sentence": sentence,
    }
    base.update(fields)
    return Figure.model_validate(base)


@pytest.fixture
def results() -> list[DocumentResult]:
    """Two documents: one with every kind of record, one that failed to read."""
    figures = [
        _figure(0, FORMULA_SENTENCES[0]),
        _figure(1, FORMULA_SENTENCES[1], kind="change", value=-25.0, base_year=2022,
                rate_percent=-1.94, text="-25"),
        _figure(2, FORMULA_SENTENCES[2], value=1263.0, parent="f0"),
    ]  # fmt: skip
    citation = Citation(
        start=40, end=48, text="71-QĐ/TW", id="71-QĐ/TW", key="71-QĐ/TW", number="71",
        type="Quyết định", date="2022-07-18", issuer="Bộ Chính trị", page=1,
        sentence="=HYPERLINK(\"http://x\") theo 71-QĐ/TW",
    )  # fmt: skip
    finding = Finding(
        rule="sum", severity="error", message="27.697 ≠ 2.273 + 24.424 = 26.697",
        stated=27697, computed=26697, spans=[(100, 115), (200, 215)],
    )  # fmt: skip
    own = SelfIdentity(id="123-KH/TU", key="123-KH/TU@tỉnh Long An", type="Kế hoạch",
                       date="2023-08-11", issuer="Ban Thường vụ Tỉnh ủy Long An")  # fmt: skip
    good = DocumentResult(
        source="corpus/kh-123.pdf", sha256="ab" * 32, format="pdf", pages=3, chars=5000,
        self_=own, citations=[citation], figures=figures, findings=[finding],
        warnings=[FileError(code="W_PDF_PARTIAL", message="page 2 has no text")],
    )  # fmt: skip
    bad = DocumentResult(
        source="corpus/broken.pdf", sha256=None,
        errors=[FileError(code="E_PDF_CORRUPT", message="corpus/broken.pdf: not a PDF")],
    )  # fmt: skip
    return [good, bad]


def _sheet(path: Path, name: str) -> Worksheet:
    sheet = openpyxl.load_workbook(path)[name]
    assert isinstance(sheet, Worksheet)
    return sheet


def _column(sheet: Worksheet, header: str) -> list[object]:
    headers = [cell.value for cell in sheet[1]]
    index = headers.index(header) + 1
    return [sheet.cell(row=r, column=index).value for r in range(2, sheet.max_row + 1)]


def test_export_jsonl_round_trip(results: list[DocumentResult], tmp_path: Path) -> None:
    buffer = io.StringIO()
    assert write_jsonl(results, buffer) == 2
    lines = buffer.getvalue().splitlines()
    assert len(lines) == 2 and '"self":{' in lines[0]
    path = tmp_path / "out.jsonl"
    path.write_text(buffer.getvalue() + "\n", encoding="utf-8")
    assert read_jsonl(path) == results


def test_export_jsonl_names_the_bad_line(tmp_path: Path) -> None:
    path = tmp_path / "out.jsonl"
    path.write_text('{"source": "a.txt", "sha256": null}\n{"source": 1}\n', encoding="utf-8")
    with pytest.raises(ValueError, match=r"out\.jsonl:2"):
        read_jsonl(path)


def _csv_rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def test_export_csv_writes_both_tables_with_bom(results: list[DocumentResult], tmp_path: Path) -> None:
    paths = write_csv(results, tmp_path / "csv")
    assert [p.name for p in paths] == ["figures.csv", "citations.csv"]
    assert all(p.read_bytes().startswith(b"\xef\xbb\xbf") for p in paths)
    with paths[0].open(encoding="utf-8-sig", newline="") as handle:
        assert tuple(next(csv.reader(handle))) == FIGURE_COLUMNS
    assert FIGURE_COLUMNS[:2] == ("source", "page") and FIGURE_COLUMNS[-1] == "sentence"
    assert CITATION_COLUMNS[:2] == ("source", "page") and CITATION_COLUMNS[-1] == "sentence"
    assert len(_csv_rows(paths[0])) == 3 and len(_csv_rows(paths[1])) == 1


@pytest.mark.parametrize("index", range(len(FORMULA_SENTENCES)))
def test_export_csv_defuses_formula_text(
    results: list[DocumentResult], tmp_path: Path, index: int
) -> None:
    figures_csv = write_csv(results, tmp_path)[0]
    assert _csv_rows(figures_csv)[index]["sentence"] == "'" + FORMULA_SENTENCES[index]


def test_export_csv_keeps_numbers_as_numbers(results: list[DocumentResult], tmp_path: Path) -> None:
    figures_csv, citations_csv = write_csv(results, tmp_path)
    change = _csv_rows(figures_csv)[1]
    assert (change["value"], change["rate_percent"], change["year"]) == ("-25", "-1.94", "2023")
    assert (change["base_year"], change["page"], change["text"]) == ("2022", "2", "'-25")
    level = _csv_rows(figures_csv)[0]
    assert (level["value"], level["base_year"], level["parent"]) == ("28960", "", "")
    cited = _csv_rows(citations_csv)[0]
    assert (cited["partial"], cited["sentence"][:2], cited["issuer"]) == ("false", "'=", "Bộ Chính trị")


def _header(key: str, field: str) -> str:
    return COLUMNS[key][field].header


def test_export_xlsx_has_seven_sheets_with_frozen_filtered_headers(
    results: list[DocumentResult], tmp_path: Path
) -> None:
    path = write_xlsx(results, tmp_path / "out.xlsx")
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == list(SHEETS.values())
    for key, sheet in zip(SHEETS, book.worksheets, strict=True):
        assert sheet.freeze_panes == "A2"
        assert sheet.auto_filter.ref is not None and sheet.auto_filter.ref.startswith("A1:")
        if key != "summary":
            assert tuple(cell.value for cell in sheet[1]) == tuple(c.header for c in COLUMNS[key].values())


@pytest.mark.parametrize("field", ["value", "year", "page", "rate_percent", "base_year"])
def test_export_xlsx_numbers_are_numbers(
    results: list[DocumentResult], tmp_path: Path, field: str
) -> None:
    sheet = _sheet(write_xlsx(results, tmp_path / "out.xlsx"), SHEETS["figures"])
    index = [cell.value for cell in sheet[1]].index(_header("figures", field)) + 1
    cell = sheet.cell(row=3, column=index)  # the change figure: every numeric field set
    assert cell.data_type == "n" and isinstance(cell.value, int | float)


@pytest.mark.parametrize("index", range(len(FORMULA_SENTENCES)))
def test_export_xlsx_formula_text_stays_a_string(
    results: list[DocumentResult], tmp_path: Path, index: int
) -> None:
    sheet = _sheet(write_xlsx(results, tmp_path / "out.xlsx"), SHEETS["figures"])
    column = [cell.value for cell in sheet[1]].index(_header("figures", "sentence")) + 1
    cell = sheet.cell(row=index + 2, column=column)
    assert cell.data_type == "s" and cell.value == FORMULA_SENTENCES[index]


def test_export_xlsx_citation_text_is_not_a_formula_or_link(
    results: list[DocumentResult], tmp_path: Path
) -> None:
    sheet = _sheet(write_xlsx(results, tmp_path / "out.xlsx"), SHEETS["citations"])
    column = [cell.value for cell in sheet[1]].index(_header("citations", "sentence")) + 1
    cell = sheet.cell(row=2, column=column)
    assert cell.data_type == "s" and cell.hyperlink is None
    assert _column(sheet, _header("citations", "partial")) == [None]
    assert _column(sheet, _header("citations", "relation")) == ["dẫn chiếu"]


def test_export_xlsx_findings_carry_page_and_sentence(
    results: list[DocumentResult], tmp_path: Path
) -> None:
    sheet = _sheet(write_xlsx(results, tmp_path / "out.xlsx"), SHEETS["findings"])
    row = dict(zip(COLUMNS["findings"], (cell.value for cell in sheet[2]), strict=True))
    assert row["page"] == 2 and row["sentence"] == "\n".join(FORMULA_SENTENCES[1:])
    assert (row["stated"], row["computed"]) == (27697, 26697)
    assert row["mentions"] == "f1: -25\nf2: 28.960 biên chế"
    assert (row["rule"], row["severity"]) == ("tổng không khớp", "lỗi")


def test_export_xlsx_documents_and_errors(results: list[DocumentResult], tmp_path: Path) -> None:
    path = write_xlsx(results, tmp_path / "out.xlsx")
    documents = _sheet(path, SHEETS["documents"])
    assert _column(documents, _header("documents", "figures")) == [3, 0]
    assert _column(documents, _header("documents", "self_id")) == ["123-KH/TU", None]
    errors = _sheet(path, SHEETS["errors"])
    assert _column(errors, _header("errors", "level")) == ["cảnh báo", "lỗi"]
    assert _column(errors, _header("errors", "code")) == ["W_PDF_PARTIAL", "E_PDF_CORRUPT"]


def test_export_xlsx_writes_empty_results(tmp_path: Path) -> None:
    path = write_xlsx([], tmp_path / "empty.xlsx")
    assert _sheet(path, SHEETS["figures"]).max_row == 1
