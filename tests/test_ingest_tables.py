"""Ingest of tables with merged cells: one cell per grid column, DOCX and PDF alike.

A merged cell writes its text once, in its first grid column, and "" in every
other grid position it covers (to its right, and below for a vertical merge),
so the table parser lines headers up with values by cell index. The last tests
read the sixteen written markdown documents (evaluation/gold/written/) rendered as DOCX and
PDF by scripts/make_table_docs.py and compare their table lines with the
markdown's; run this file as a script for the per-document counts.
"""

from __future__ import annotations

import sys
from pathlib import Path
from types import ModuleType

import pytest

from extractor.ingest import read_raw
from extractor.ingest.samples import find_unicode_font

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))
needs_font = pytest.mark.skipif(
    find_unicode_font() is None, reason="no Unicode TTF font (apt-get install fonts-dejavu-core)"
)
Rows = list[list[str]]


def _script() -> ModuleType:
    """scripts/make_table_docs.py as a module (one loader, shared with its own tests)."""
    from test_make_table_docs import _script as load

    return load()


def table_rows(text: str) -> Rows:
    """The cells of every table line ("a | b | c") of ingested text, stripped."""
    return [[cell.strip() for cell in line.split("|")] for line in text.split("\n") if " | " in f" {line} "]


def markdown_rows(source: Path, *, merged_blank: bool = True) -> Rows:
    """The cells of the markdown's table rows (separators left out, ``<br>`` as a
    space); with ``merged_blank`` a merged header cell's repeats are ""."""
    module = _script()
    rows: Rows = []
    for block in module.parse_markdown(source.read_text(encoding="utf-8")):
        if not isinstance(block, module.Table):
            continue
        grid = module.expected_pdf_grid(block) if merged_blank else block.rows()
        rows += [[module.normalise(module.cell_text(c or "")) or "" for c in row] for row in grid]
    return rows


def _docx_with_merges(path: Path) -> Path:
    """A DOCX whose table has a 2-row header: STT and Đơn vị merged down, "Biên
    chế được giao" merged across Công chức | Viên chức, a two-line Ghi chú."""
    from docx import Document

    document = Document()
    document.add_paragraph("Biểu tổng hợp biên chế năm 2025")
    grid = document.add_table(rows=4, cols=5)
    grid.cell(0, 0).merge(grid.cell(1, 0)).text = "STT"
    grid.cell(0, 1).merge(grid.cell(1, 1)).text = "Đơn vị"
    grid.cell(0, 2).merge(grid.cell(0, 3)).text = "Biên chế được giao"
    grid.cell(0, 4).text = "Ghi chú"
    grid.cell(1, 2).text = "Công chức"
    grid.cell(1, 3).text = "Viên chức"
    for c, text in enumerate(["1", "Sở Nội vụ", "58", "19", ""]):
        grid.cell(2, c).text = text
    for c, text in enumerate(["", "Cộng", "58", "19", ""]):
        grid.cell(3, c).text = text
    note = grid.cell(2, 4).paragraphs[0]
    note.add_run("Gồm các chi cục")
    note.add_run().add_break()
    note.add_run("trực thuộc")
    document.add_paragraph("Đoạn sau biểu.")
    document.save(str(path))
    return path


def test_ingest_docx_merged_header_one_cell_per_column(tmp_path: Path) -> None:
    raw = read_raw(_docx_with_merges(tmp_path / "merged.docx"))
    lines = raw.text.split("\n")
    assert lines[0] == "Biểu tổng hợp biên chế năm 2025"
    assert lines[1:5] == [
        "STT | Đơn vị | Biên chế được giao |  | Ghi chú",
        " |  | Công chức | Viên chức |",
        "1 | Sở Nội vụ | 58 | 19 | Gồm các chi cục trực thuộc",
        " | Cộng | 58 | 19 |",
    ]
    assert lines[5] == "Đoạn sau biểu."
    assert {len(row) for row in table_rows(raw.text)} == {5}


def test_ingest_docx_merged_header_columns_parsed(tmp_path: Path) -> None:
    from extractor.structure.tables import find_tables

    raw = read_raw(_docx_with_merges(tmp_path / "merged.docx"))
    (table,) = find_tables(raw.text)
    labels = [column.label for column in table.columns]
    assert labels[2] == "Biên chế được giao Công chức" and labels[3].endswith("Viên chức")


@needs_font
def test_ingest_pdf_merged_header_one_cell_per_column(tmp_path: Path) -> None:
    module = _script()
    source = tmp_path / "merged.md"
    source.write_text(
        "Biểu tổng hợp biên chế năm 2025\n\n"
        "| STT | Đơn vị | Biên chế được giao | Biên chế được giao | Ghi chú |\n"
        "| STT | Đơn vị | Công chức | Viên chức | Ghi chú |\n"
        "|---|---|---|---|---|\n"
        "| 1 | Sở Nội vụ | 58 | 19 | Gồm các chi cục<br>trực thuộc |\n"
        "| | Cộng | 58 | 19 | |\n",
        encoding="utf-8",
    )
    pdf = module.write_pdf(module.parse_markdown(source.read_text(encoding="utf-8")), tmp_path / "merged.pdf")
    raw = read_raw(pdf)
    assert table_rows(raw.text) == [
        ["STT", "Đơn vị", "Biên chế được giao", "", "Ghi chú"],
        ["", "", "Công chức", "Viên chức", ""],
        ["1", "Sở Nội vụ", "58", "19", "Gồm các chi cục trực thuộc"],
        ["", "Cộng", "58", "19", ""],
    ]
    assert raw.text.split("\n")[0] == "Biểu tổng hợp biên chế năm 2025"
    assert raw.page_starts == [0]


def test_ingest_pdf_repeated_header_on_next_page_dropped() -> None:
    from extractor.ingest.pages import PageText
    from extractor.ingest.pdf_tables import drop_repeated_headers
    from extractor.models import TextBox

    header = "STT | Đơn vị | Số lượng"
    texts = ["Biểu 1\n" + header + "\n1 | Sở Nội vụ | 58\n", header + "\n2 | Sở Y tế | 19\nĐoạn sau.",
             header + "\n1 | Sở Tài chính | 7"]
    at = texts[1].index("19")
    pages = [PageText(text=t) for t in texts]
    pages[1].boxes = [TextBox(at, at + 2, 2, 1.0, 2.0, 3.0, 4.0)]
    drop_repeated_headers(pages, {0, 1, 2})
    assert pages[1].text == "2 | Sở Y tế | 19\nĐoạn sau."
    box = pages[1].boxes[0]
    assert pages[1].text[box.start:box.end] == "19"  # boxes follow the text
    assert pages[2].text.startswith(header)  # page 2 ends with prose: a new table, its header kept


def compare_written(out: Path) -> dict[str, dict[str, bool]]:
    """For each written document: whether its DOCX and PDF table lines equal the
    markdown's (merged header repeats as "")."""
    module = _script()
    results: dict[str, dict[str, bool]] = {}
    for source in module.written_documents():
        pdf, docx = module.build_document(source, out)
        want = markdown_rows(source)
        results[source.stem] = {
            "docx": table_rows(read_raw(docx).text) == want,
            "pdf": table_rows(read_raw(pdf).text) == want,
        }
    return results


@needs_font
def test_ingest_written_documents_tables_match_markdown(tmp_path: Path) -> None:
    results = compare_written(tmp_path)
    assert len(results) == len(_script().written_documents()) >= 22  # every written markdown document
    assert {name: r for name, r in results.items() if not all(r.values())} == {}


def _report(out: Path) -> int:
    """Print the per-document comparison (and the first differing rows); 0 if all match."""
    module = _script()
    bad = 0
    for source in module.written_documents():
        pdf, docx = module.build_document(source, out)
        want, raw_want = markdown_rows(source), markdown_rows(source, merged_blank=False)
        for path in (docx, pdf):
            got = table_rows(read_raw(path).text)
            same = sum(a == b for a, b in zip(got, want, strict=False))
            ok = got == want
            bad += not ok
            print(f"{path.name}: {'MATCH' if ok else 'DIFF'} {same}/{len(want)} rows "
                  f"(got {len(got)}; verbatim markdown {'equal' if got == raw_want else 'differs'})")
            for index, (a, b) in enumerate(zip(got, want, strict=False)):
                if a != b:
                    print(f"  row {index + 1}: got {a}\n  {'':>{len(str(index + 1)) + 5}}want {b}")
                    break
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(_report(Path(sys.argv[1]) if len(sys.argv) > 1 else Path("/tmp/tables")))
