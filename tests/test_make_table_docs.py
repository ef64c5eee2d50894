"""scripts/make_table_docs.py: ruled PDF tables pdfplumber can read, DOCX tables with merged headers."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

from extractor.ingest.samples import find_unicode_font

REPO = Path(__file__).resolve().parent.parent
DOCUMENT = REPO / "evaluation" / "gold" / "written" / "qd-giao-bien-che-dong-lam.md"
needs_font = pytest.mark.skipif(
    find_unicode_font() is None, reason="no Unicode TTF font (apt-get install fonts-dejavu-core)"
)


def _script() -> ModuleType:
    """The script as a module (registered in sys.modules, which its dataclasses need)."""
    if "make_table_docs" in sys.modules:
        return sys.modules["make_table_docs"]
    spec = importlib.util.spec_from_file_location("make_table_docs", REPO / "scripts" / "make_table_docs.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["make_table_docs"] = module
    spec.loader.exec_module(module)
    return module


def test_make_table_docs_header_spans() -> None:
    spans = _script().header_spans(
        [["STT", "Đơn vị", "Biên chế được giao", "Biên chế được giao", ""],
         ["STT", "Đơn vị", "Công chức", "Viên chức", ""]], 5)
    shapes = {(s.row, s.col, s.rows, s.cols, s.text) for s in spans}
    assert (0, 0, 2, 1, "STT") in shapes and (0, 1, 2, 1, "Đơn vị") in shapes
    assert (0, 2, 1, 2, "Biên chế được giao") in shapes
    assert (1, 2, 1, 1, "Công chức") in shapes and (1, 3, 1, 1, "Viên chức") in shapes
    assert (0, 4, 1, 1, "") in shapes and (1, 4, 1, 1, "") in shapes  # empty cells are never merged


@needs_font
def test_make_table_docs_pdf_and_docx_tables(tmp_path: Path) -> None:
    import pdfplumber
    from docx import Document as open_document

    module = _script()
    pdf, docx = module.build_document(DOCUMENT, tmp_path)
    assert (pdf.name, docx.name) == ("qd-giao-bien-che-dong-lam.pdf", "qd-giao-bien-che-dong-lam.docx")
    with pdfplumber.open(str(pdf)) as document:
        tables = [t for page in document.pages for t in page.extract_tables()]
    assert len(tables) == 2
    first = [[" ".join(c.split()) if c is not None else None for c in row] for row in tables[0]]
    assert first[0] == ["STT", "Cơ quan, đơn vị", "Tổng số", "Biên chế được giao", None, "Ghi chú"]
    assert first[1] == [None, None, None, "Công chức", "Viên chức", None]
    assert ["1", "Văn phòng Tỉnh ủy", "106", "84", "22", ""] in first
    assert first[-1] == ["", "Cộng", "408", "268", "140", ""]

    grid = open_document(str(docx)).tables[0]
    assert grid.cell(0, 3)._tc is grid.cell(0, 4)._tc  # "Biên chế được giao" spans two columns
    assert grid.cell(0, 0)._tc is grid.cell(1, 0)._tc  # "STT" spans two header rows
    assert grid.cell(1, 3)._tc is not grid.cell(1, 4)._tc
    assert grid.cell(0, 3).text == "Biên chế được giao"
    assert [c.text for c in grid.rows[3].cells] == ["1", "Văn phòng Tỉnh ủy", "106", "84", "22", ""]
    assert module.check_document(DOCUMENT, pdf, docx) == []


@needs_font
def test_make_table_docs_check_notices_a_wrong_cell(tmp_path: Path) -> None:
    module = _script()
    pdf, docx = module.build_document(DOCUMENT, tmp_path)
    changed = tmp_path / "changed.md"
    changed.write_text(DOCUMENT.read_text(encoding="utf-8").replace("| 106 | 84 | 22 |", "| 106 | 85 | 21 |"), encoding="utf-8")
    problems = module.check_document(changed, pdf, docx)
    assert any(".pdf table 1" in p for p in problems) and any(".docx table 1" in p for p in problems)
