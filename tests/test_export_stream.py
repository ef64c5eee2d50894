"""Streaming outputs: one pass over the results writes the same bytes (JSONL, CSV,
HTML) and cells (XLSX) as the list writers, every file complete or not at all, in
memory that does not grow with the number of documents."""

from __future__ import annotations

import filecmp
import tracemalloc
from collections.abc import Iterator
from pathlib import Path, PurePosixPath

import openpyxl
import pytest
import xlsxwriter

from extractor.batch import add_corpus_findings, extract_many
from extractor.check import check_corpus
from extractor.document import load_document
from extractor.export import stream
from extractor.export.csv import write_csv
from extractor.export.html import write_report
from extractor.export.index import RunIndex, file_name
from extractor.export.jsonl import iter_jsonl, write_jsonl
from extractor.export.stream import Targets, write_outputs
from extractor.export.xlsx import write_xlsx
from extractor.export.xlsx_cells import Formats, Styled, XCell, fit_row_height, print_setup, write_cell
from extractor.export.xlsx_sheets import Table, list_tables
from extractor.export.xlsx_summary import summary_blocks, summary_headers, write_summary
from extractor.ingest import iter_input_files
from extractor.models import Citation, DocumentResult, FileError, Figure, Finding, SelfIdentity
from extractor.pipeline import extract_document
from extractor.report import attach_texts

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT.parent / "shared" / "seeds"
OUTPUTS = ("results.jsonl", "figures.csv", "citations.csv", "bienche.xlsx", "report.html")
TEXT = (
    "Kế hoạch số 7-KH/TU ngày 11/8/2023 của Tỉnh ủy. Thực hiện Quyết định số 71-QĐ/TW ngày 18/7/2022 "
    "của Bộ Chính trị, năm 2023 tổng biên chế của tỉnh là 1.200 biên chế, trong đó khối Đảng 200 biên chế "
    "và khối chính quyền 1.000 biên chế; giảm 25 biên chế so với năm 2022."
)


# ---- results to write -------------------------------------------------------------


def _figure(fid: str, value: float, **fields: object) -> Figure:
    base: dict[str, object] = {
        "id": fid, "kind": "level", "value": value, "unit": "biên chế", "category": "total",
        "org": "tỉnh Long An", "year": 2024, "start": 10, "end": 20, "text": f"{value} biên chế",
        "page": 1, "sentence": f"=Giao {value} biên chế cho các cơ quan, đơn vị của tỉnh trong năm, một câu dài.",
    }  # fmt: skip
    base.update(fields)
    return Figure.model_validate(base)


def _cite(date: str, issuer: str, start: int = 0) -> Citation:
    return Citation(start=start, end=start + 8, text="71-QĐ/TW", id="71-QĐ/TW", key="71-QĐ/TW", number="71",
                    type="Quyết định", date=date, issuer=issuer, page=1, sentence="@Theo Quyết định số 71-QĐ/TW.")  # fmt: skip


def _synthetic() -> list[DocumentResult]:
    """Four documents: split bases, parts under a whole, a key dated and issued
    differently across documents, a failed read, one with nothing at all."""
    own = SelfIdentity(id="1-KH/TU", key="1-KH/TU@Long An", type="Kế hoạch", date="2023-08-11", issuer="Tỉnh ủy")
    first = DocumentResult(
        source="in/a.txt", sha256=None, format="txt", pages=2, chars=900, self_=own,
        citations=[_cite("2022-07-18", "Bộ Chính trị")],
        figures=[
            _figure("f1", 1200, basis="assigned"), _figure("f2", 200, parent="f1", org="khối Đảng"),
            _figure("f3", 1000, parent="f1", org="khối chính quyền"), _figure("f4", 1150, basis="actual"),
            _figure("f5", -25, kind="change", base_year=2023, rate_percent=-2.04), _figure("f6", 3.5, kind="rate"),
        ],
        findings=[Finding(rule="sum", severity="error", message="1.200 ≠ 1.100", stated=1200, computed=1100,
                          spans=[(10, 20)], related=[Finding(rule="change", severity="warning", message="x")])],
        warnings=[FileError(code="W_PDF_PARTIAL", message="page 2 has no text")],
    )  # fmt: skip
    second = DocumentResult(
        source="in/b.txt", sha256=None, format="txt", pages=1, chars=500,
        citations=[_cite("2022-07-19", "Ban Bí thư", 30)],
        figures=[_figure("f1", 800, year=None, period="2021-2026", approx="about")],
    )  # fmt: skip
    failed = DocumentResult(source="in/c.pdf", sha256=None, errors=[FileError(code="E_PDF_CORRUPT", message="in/c.pdf: not a PDF")])
    return [first, second, failed, DocumentResult(source="in/d.txt", sha256="00" * 32, format="txt")]


def _with_text(tmp_path: Path) -> list[DocumentResult]:
    """The synthetic results and one extracted from a real file, whose text the report reads again."""
    path = tmp_path / "in" / "kh-7.txt"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(TEXT, encoding="utf-8")
    return [*_synthetic(), extract_document(load_document(path))]


def _corpus() -> list[DocumentResult]:
    roots = [ROOT / "corpus", *([SEEDS] if SEEDS.is_dir() else [])]
    return list(extract_many(list(iter_input_files(roots)), jobs=1))


# ---- the list path, as ``bienche extract`` wrote it before streaming ------------------


def _width(header: str, rows: list[list[XCell]], index: int) -> int:
    longest = len(header)
    for row in rows[:2000]:
        cell = row[index]
        value = cell.value if isinstance(cell, Styled) else cell
        if value is not None:
            longest = max(longest, 12 if not isinstance(value, str | int | float) else len(str(value)))
    return min(longest + 2, 60)


def _old_table(book: xlsxwriter.Workbook, formats: Formats, table: Table) -> None:
    """The in-memory sheet writer the streaming one replaced, kept here to compare."""
    sheet = book.add_worksheet(table.name)
    headers = table.headers()
    widths = [width or _width(h, table.rows, col) for col, (h, (_, _, width)) in enumerate(zip(headers, table.spec, strict=True))]
    for col, header in enumerate(headers):
        sheet.write_string(0, col, header, formats.get("wrap", bold=True, bottom=1))
        sheet.set_column(col, col, widths[col])
    fit_row_height(sheet, 0, list(zip(headers, widths, strict=True)))
    styles = [style for _, style, _ in table.spec]
    for row_index, row in enumerate(table.rows, start=1):
        fit_row_height(sheet, row_index, [(v, w) for v, w, s in zip(row, widths, styles, strict=True) if s == "wrap"])
        for col, value in enumerate(row):
            write_cell(sheet, row_index, col, value, styles[col], formats)
    print_setup(sheet, len(table.rows), len(table.spec) - 1)


def _old_xlsx(results: list[DocumentResult], out: Path) -> Path:
    columns, blocks = summary_blocks(results)
    book = xlsxwriter.Workbook(str(out), {"strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False})
    formats = Formats(book)
    write_summary(book, formats, columns, blocks)
    for table in list_tables(results, summary_headers(columns)):
        _old_table(book, formats, table)
    book.close()
    return out


def _list_outputs(results: list[DocumentResult], out: Path) -> None:
    """What ``bienche extract`` wrote from a list: corpus findings added, then each writer."""
    add_corpus_findings(results)
    out.mkdir(parents=True, exist_ok=True)
    with (out / "results.jsonl").open("w", encoding="utf-8") as handle:
        write_jsonl(results, handle)
    write_csv(results, out)
    _old_xlsx(results, out / "bienche.xlsx")
    write_report(attach_texts(results), out / "report.html")


def _stream_outputs(results: list[DocumentResult], out: Path) -> list[Path]:
    index = RunIndex()
    for result in results:
        index.add(result)
    return write_outputs(iter(results), _targets(out), index)


def _targets(out: Path) -> Targets:
    return Targets(out / "results.jsonl", False, out, out / "bienche.xlsx", out / "report.html", 20_000_000)


def _cells(path: Path) -> dict[str, object]:
    """Every cell of every sheet with its look, column widths, row heights, print setup."""
    book = openpyxl.load_workbook(path)
    sheets: dict[str, object] = {}
    for ws in book.worksheets:
        cells = [
            [(c.value, c.number_format, c.font.b, c.alignment.wrap_text, c.alignment.indent, c.alignment.horizontal,
              c.fill.fgColor.rgb, c.border.top.style, c.border.bottom.style) for c in row]
            for row in ws.iter_rows()
        ]  # fmt: skip
        widths = {k: v.width for k, v in ws.column_dimensions.items()}
        heights = {k: v.height for k, v in ws.row_dimensions.items() if v.height is not None}
        setup = (ws.freeze_panes, ws.auto_filter.ref, ws.print_title_rows, ws.page_setup.orientation, ws.page_setup.fitToHeight)
        sheets[ws.title] = (cells, widths, heights, setup)
    return sheets


def _assert_same(old: Path, new: Path) -> None:
    for name in ("results.jsonl", "figures.csv", "citations.csv", "report.html"):
        assert filecmp.cmp(old / name, new / name, shallow=False), name
    assert _cells(old / "bienche.xlsx") == _cells(new / "bienche.xlsx")


# ---- tests ------------------------------------------------------------------------


def test_export_stream_index_corpus_findings_match_check_corpus() -> None:
    results = _synthetic()
    index = RunIndex()
    for result in results:
        index.add(result)
    expected = check_corpus(_synthetic())
    assert index.corpus_findings() == expected
    assert sorted(expected) == ["in/a.txt", "in/b.txt"]  # the 71-QĐ/TW conflict is there to compare
    assert [d.source for d in index.documents()] == [r.source for r in results]


def test_export_stream_same_outputs_as_list_writers(tmp_path: Path) -> None:
    _list_outputs(_with_text(tmp_path), tmp_path / "old")
    paths = _stream_outputs(_with_text(tmp_path), tmp_path / "new")
    assert paths == [tmp_path / "new" / name for name in OUTPUTS]
    _assert_same(tmp_path / "old", tmp_path / "new")
    assert "71-QĐ/TW được ghi ngày khác nhau giữa các văn bản" in (tmp_path / "new" / "results.jsonl").read_text(encoding="utf-8")


def test_export_stream_same_outputs_on_corpus(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)  # sources are the paths the report reads again
    results = _corpus()
    _list_outputs([r.model_copy(deep=True) for r in results], tmp_path / "old")
    spool = tmp_path / "spool.jsonl"  # as ``bienche extract`` may keep results: on disk, read back lazily
    index = RunIndex()
    with spool.open("w", encoding="utf-8") as handle:
        for result in results:
            index.add(result)
            write_jsonl([result], handle)
    write_outputs(iter_jsonl(spool), _targets(tmp_path / "new"), index)
    _assert_same(tmp_path / "old", tmp_path / "new")
    assert "<span class=\"fig" in (tmp_path / "new" / "report.html").read_text(encoding="utf-8")


def _failing(results: list[DocumentResult], at: int) -> Iterator[DocumentResult]:
    for number, result in enumerate(results):
        if number == at:
            raise RuntimeError("spool broken")
        yield result


@pytest.mark.parametrize("at", [0, 2])
def test_export_stream_failure_leaves_old_outputs(tmp_path: Path, at: int) -> None:
    for name in OUTPUTS:
        (tmp_path / name).write_text("old", encoding="utf-8")
    results = _synthetic()
    index = RunIndex()
    for result in results:
        index.add(result)
    with pytest.raises(RuntimeError, match="spool broken"):
        write_outputs(_failing(results, at), _targets(tmp_path), index)
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(OUTPUTS)  # no temporary file left
    assert all((tmp_path / name).read_text(encoding="utf-8") == "old" for name in OUTPUTS)


@pytest.mark.parametrize("results", [lambda rs: rs[:-1], lambda rs: rs[::-1]], ids=["fewer", "reordered"])
def test_export_stream_results_must_match_index(tmp_path: Path, results: object) -> None:
    index = RunIndex()
    synthetic = _synthetic()
    for result in synthetic:
        index.add(result)
    with pytest.raises(ValueError, match="index"):
        write_outputs(results(synthetic), _targets(tmp_path / "out"), index)  # type: ignore[operator]
    assert not any((tmp_path / "out").iterdir())


@pytest.mark.parametrize("module", ["extractor.export.xlsx", "extractor.export.xlsx_summary"])
def test_export_stream_sheet_overflow_writes_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, module: str) -> None:
    monkeypatch.setattr(f"{module}.MAX_ROWS", 3)
    (tmp_path / "bienche.xlsx").write_text("old", encoding="utf-8")
    with pytest.raises(ValueError, match="do not fit in XLSX"):
        write_xlsx(_synthetic(), tmp_path / "bienche.xlsx")
    assert (tmp_path / "bienche.xlsx").read_text(encoding="utf-8") == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["bienche.xlsx"]


def _small(i: int) -> DocumentResult:
    """A small result: one level, one citation of a key every document cites alike."""
    figure = _figure("f1", 100 + i, year=2020 + i % 5, org=f"Sở {i % 40}")
    cite = _cite("2022-07-18", "Bộ Chính trị")
    return DocumentResult(source=f"in/doc-{i:05d}.txt", sha256=None, format="txt", pages=1, chars=100, citations=[cite], figures=[figure])


def _peaks(n: int, out: Path) -> tuple[float, float]:
    """(bytes per document the index holds, peak bytes of the write pass on top)."""
    tracemalloc.start()
    try:
        index = RunIndex()
        for i in range(n):
            index.add(_small(i))
        index.corpus_findings()
        held = tracemalloc.get_traced_memory()[0]
        tracemalloc.reset_peak()
        write_outputs((_small(i) for i in range(n)), _targets(out), index)
        return held / n, tracemalloc.get_traced_memory()[1] - held
    finally:
        tracemalloc.stop()


def test_export_stream_memory_flat(tmp_path: Path) -> None:
    stream.write_outputs(iter([]), _targets(tmp_path / "warm"), RunIndex())  # imports and caches first
    per_doc_small, peak_small = _peaks(500, tmp_path / "small")
    per_doc_large, peak_large = _peaks(5000, tmp_path / "large")
    assert peak_large < 1.5 * peak_small, (peak_small, peak_large)
    assert max(per_doc_small, per_doc_large) < 1500, (per_doc_small, per_doc_large)


@pytest.mark.parametrize("source", ["corpus/kh-123.pdf", "", "/", "//a", "a/./b/", "a/.", "x/..", "a//b", "./a", ".", "a/.hidden"])
def test_export_stream_file_name_as_pathlib(source: str) -> None:
    assert file_name(source) == PurePosixPath(source).name
