#!/usr/bin/env python3
"""Render the written table documents as PDF (ruled tables) and DOCX (Word tables).

Reads the markdown documents of ``evaluation/gold/written/`` (and any extra
markdown files named on the command line) and writes, for each, ``<stem>.pdf``
and ``<stem>.docx`` into ``--out`` (default ``build/tables/``):

* the PDF (A4, with a text layer) sets every markdown table as a ruled table,
  every cell bordered, long cells wrapped over several lines; headings and
  paragraphs as text;
* the DOCX holds every markdown table as a real Word table ("Table Grid"), with
  the cells of a multi-row header merged.

Markdown conventions: the rows above the ``|---|`` line are header rows; a
header cell whose text repeats to its right (same row) or below (next header
row) is one spanning cell, the way converters write merged cells. Each
non-blank line outside a table is one paragraph; ``#`` lines are headings.

    python scripts/make_table_docs.py [--out build/tables] [--check] [extra.md ...]

``--check`` reads each PDF back with pdfplumber (``page.extract_tables()``) and
each DOCX with python-docx and compares every table cell with the markdown.
The PDF needs a Unicode TrueType font (Debian ``fonts-dejavu-core``); see
extractor/ingest/samples.py.
"""

from __future__ import annotations

import argparse
import io
import re
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from docx.document import Document as DocxDocument
    from docx.table import Table as DocxTable
    from docx.table import _Cell, _Row
    from fpdf import FPDF

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from extractor.ingest.samples import FIXED_DATE, find_unicode_font, fixed_zip_dates  # noqa: E402

WRITTEN = REPO / "evaluation" / "gold" / "written"
_SEPARATOR = re.compile(r"^\s*\|?\s*:?-{2,}:?\s*(?:\|\s*:?-{2,}:?\s*)*\|?\s*$")
_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
_BR = re.compile(r"<br\s*/?>", re.IGNORECASE)
_NUMBER = re.compile(r"^[+\-−]?\d[\d.,]*%?$")
_ROMAN = re.compile(r"^[IVXLC]+\.?$")
_BOLD_LABELS = ("Tổng", "Cộng", "Toàn")
Grid = list[list[str | None]]


@dataclass(frozen=True)
class Heading:
    """A ``#`` line: its level (1-6) and text."""

    level: int
    text: str


@dataclass(frozen=True)
class Paragraph:
    """One non-blank line of prose."""

    text: str


@dataclass(frozen=True)
class Span:
    """A header cell covering ``rows`` x ``cols`` grid positions from (row, col)."""

    row: int
    col: int
    rows: int
    cols: int
    text: str


@dataclass
class Table:
    """A markdown table: header rows (above the ``|---|`` line) and body rows."""

    header: list[list[str]] = field(default_factory=list)
    body: list[list[str]] = field(default_factory=list)

    @property
    def width(self) -> int:
        """The number of columns (the widest row)."""
        return max(len(row) for row in self.header + self.body)

    def rows(self) -> list[list[str]]:
        """All rows, header first, each padded to ``width`` cells."""
        return [row + [""] * (self.width - len(row)) for row in self.header + self.body]


Block = Heading | Paragraph | Table


def split_row(line: str) -> list[str]:
    """``| a | b |`` as ``["a", "b"]`` (cells stripped)."""
    core = line.strip()
    core = core[1:] if core.startswith("|") else core
    core = core[:-1] if core.endswith("|") else core
    return [cell.strip() for cell in core.split("|")]


def _table(lines: Sequence[str]) -> Table:
    """The table of consecutive ``|`` lines; no separator line means no header."""
    table = Table()
    separator = next((i for i, line in enumerate(lines) if _SEPARATOR.match(line)), None)
    for index, line in enumerate(lines):
        if index == separator:
            continue
        target = table.header if separator is not None and index < separator else table.body
        target.append(split_row(line))
    return table


def parse_markdown(text: str) -> list[Block]:
    """The document's headings, paragraphs and tables, in order."""
    blocks: list[Block] = []
    pending: list[str] = []
    for line in text.splitlines() + [""]:
        if line.lstrip().startswith("|"):
            pending.append(line)
            continue
        if pending:
            blocks.append(_table(pending))
            pending = []
        if not line.strip():
            continue
        heading = _HEADING.match(line.strip())
        if heading:
            blocks.append(Heading(len(heading.group(1)), heading.group(2)))
        else:
            blocks.append(Paragraph(line.strip()))
    return blocks


def header_spans(header: Sequence[Sequence[str]], width: int) -> list[Span]:
    """The header's cells as spans: equal non-empty neighbours to the right, then
    whole equal row segments below, make one cell."""
    rows = [list(row) + [""] * (width - len(row)) for row in header]
    covered: set[tuple[int, int]] = set()
    spans: list[Span] = []
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            if (r, c) in covered:
                continue
            cols = 1
            while text and c + cols < width and row[c + cols] == text and (r, c + cols) not in covered:
                cols += 1
            height = 1
            while (text and r + height < len(rows)
                   and all(rows[r + height][k] == text and (r + height, k) not in covered for k in range(c, c + cols))):
                height += 1
            covered.update((r + dr, c + dc) for dr in range(height) for dc in range(cols))
            spans.append(Span(r, c, height, cols, text))
    return spans


def cell_text(cell: str) -> str:
    """A markdown cell as set in the documents: ``<br>`` as a line break."""
    return _BR.sub("\n", cell)


def normalise(text: str | None) -> str | None:
    """Whitespace runs (wrapped lines included) as one space; None stays None."""
    return None if text is None else " ".join(text.split())


def expected_pdf_grid(table: Table) -> Grid:
    """The cells pdfplumber should read: a span's text at its top-left, None under it."""
    grid: Grid = [[normalise(cell_text(c)) for c in row] for row in table.rows()]
    for span in header_spans(table.header, table.width):
        for r in range(span.row, span.row + span.rows):
            for c in range(span.col, span.col + span.cols):
                grid[r][c] = None
        grid[span.row][span.col] = normalise(cell_text(span.text))
    return grid


def expected_docx_grid(table: Table) -> list[list[str]]:
    """The text python-docx gives per grid position: a merged cell's text at each."""
    return [[normalise(cell_text(c)) or "" for c in row] for row in table.rows()]


# PDF ------------------------------------------------------------------------


def _column_widths(pdf: FPDF, table: Table, available: float) -> list[float]:
    """Widths (mm) fitting ``available``: each column gets its longest word, the
    rest is shared in proportion to how much wider its text would like to be.
    Text is measured in bold (the widest it is set), with the padding and a margin."""
    pad = 4.0
    size = pdf.font_size_pt
    pdf.set_font("Body", "B", size)
    natural = [pad + 4.0] * table.width
    minimum = [pad + 4.0] * table.width
    spanning = {(s.row, c) for s in header_spans(table.header, table.width) if s.cols > 1
                for c in range(s.col, s.col + s.cols)}
    for r, row in enumerate(table.rows()):
        for c, cell in enumerate(row):
            if (r, c) in spanning:
                continue
            for line in cell_text(cell).split("\n"):
                natural[c] = max(natural[c], min(pad + pdf.get_string_width(line), 75.0))
                for word in line.split():
                    minimum[c] = max(minimum[c], pad + pdf.get_string_width(word))
    pdf.set_font("Body", "", size)
    if sum(natural) <= available:
        return [w * available / sum(natural) for w in natural]
    spare = max(available - sum(minimum), 0.0)
    extra = [n - m for n, m in zip(natural, minimum, strict=True)]
    share = sum(extra) or 1.0
    return [m + spare * e / share for m, e in zip(minimum, extra, strict=True)]


def _is_bold_row(row: Sequence[str]) -> bool:
    """Total, sub-total and group rows (Tổng cộng, Cộng, I, II ...) are set in bold."""
    label = next((c for c in row[1:] if c), "")
    return label.startswith(_BOLD_LABELS) or bool(row and _ROMAN.match(row[0]))


def _align(text: str, col: int) -> str:
    """Numbers right, the first (STT) column centred, text left."""
    if _NUMBER.match(text) and col > 0:
        return "RIGHT"
    return "CENTER" if col == 0 or not text or text == "-" else "LEFT"


def _draw_table(pdf: FPDF, table: Table) -> None:
    """Draw ``table`` as a bordered fpdf2 table with merged header cells."""
    from fpdf.fonts import FontFace

    size = 9.0 if table.width <= 6 else 8.0
    pdf.set_font("Body", "", size)
    widths = _column_widths(pdf, table, pdf.epw)
    spans = {(s.row, s.col): s for s in header_spans(table.header, table.width)}
    heading = FontFace(emphasis="BOLD", fill_color=(230, 230, 230))
    with pdf.table(
        col_widths=widths, width=pdf.epw, num_heading_rows=max(len(table.header), 1),
        first_row_as_headings=bool(table.header), headings_style=heading, line_height=size * 0.5,
        text_align="LEFT", v_align="MIDDLE", padding=1.2,
    ) as grid:
        for r, row in enumerate(table.rows()):
            header = r < len(table.header)
            style = None if header or not _is_bold_row(row) else FontFace(emphasis="BOLD")
            cells = grid.row(style=style)
            for c, text in enumerate(row):
                if header:
                    span = spans.get((r, c))
                    if span is not None:
                        cells.cell(cell_text(text), align="CENTER", colspan=span.cols, rowspan=span.rows)
                else:
                    cells.cell(cell_text(text), align=_align(text, c))


def _draw_block(pdf: FPDF, block: Block) -> None:
    """Set one heading, paragraph or table."""
    if isinstance(block, Table):
        _draw_table(pdf, block)
        pdf.ln(3)
        return
    if isinstance(block, Heading):
        pdf.set_font("Body", "B", {1: 14, 2: 12.5}.get(block.level, 12))
        align = "C" if block.level <= 2 else "L"
        pdf.multi_cell(0, 6.5, block.text, align=align, new_x="LMARGIN", new_y="NEXT")
    else:
        pdf.set_font("Body", "", 12)
        pdf.multi_cell(0, 6.2, block.text, align="J", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)


def _leads_table(block: Block) -> bool:
    """A heading or a short caption line, kept on the page of the table after it."""
    return isinstance(block, Heading) or (isinstance(block, Paragraph) and len(block.text) < 120)


def _keep_together(blocks: Sequence[Block]) -> list[list[Block]]:
    """The blocks in groups that should start on one page: each table with the
    heading or caption line just before it; every other block alone."""
    groups: list[list[Block]] = []
    for index, block in enumerate(blocks):
        previous = blocks[index - 1] if index else None
        if (isinstance(block, Table) and previous is not None and _leads_table(previous)
                and len(groups[-1]) == 1 and groups[-1][0] is previous):
            groups[-1].append(block)
        else:
            groups.append([block])
    return groups


MIN_TABLE_START = 70.0
"""A table that would break with less than this much room (mm) left starts on a new page."""


def _draw_group(pdf: FPDF, group: Sequence[Block]) -> None:
    """Draw a group holding a table: on a new page when it would break with little
    room left here; otherwise here, a long table breaking with its header repeated."""
    room = pdf.page_break_trigger - pdf.y
    if any(isinstance(b, Table) for b in group) and room < MIN_TABLE_START and pdf.y > pdf.t_margin + 1:
        with pdf.offset_rendering() as dummy:
            for block in group:
                _draw_block(dummy, block)  # type: ignore[arg-type]  # the recorder proxies FPDF
        if dummy.page_break_triggered:
            pdf.add_page()
    for block in group:
        _draw_block(pdf, block)


def write_pdf(blocks: Iterable[Block], out: Path) -> Path:
    """Write the blocks as an A4 PDF with ruled tables; returns ``out``.

    Raises ``FileNotFoundError`` when no Unicode TrueType font is installed."""
    from fpdf import FPDF

    font = find_unicode_font()
    if font is None:
        raise FileNotFoundError("no Unicode TrueType font found: apt-get install fonts-dejavu-core, "
                                "or set BIENCHE_PDF_FONT to a .ttf with Vietnamese glyphs")
    regular, bold = font
    pdf = FPDF(orientation="portrait", unit="mm", format="A4")
    pdf.set_creation_date(FIXED_DATE)
    pdf.set_margins(left=20, top=18, right=15)
    pdf.set_auto_page_break(auto=True, margin=18)
    pdf.add_font("Body", "", str(regular))
    pdf.add_font("Body", "B", str(bold if bold is not None else regular))
    pdf.add_page()
    for group in _keep_together(list(blocks)):
        _draw_group(pdf, group)
    out.parent.mkdir(parents=True, exist_ok=True)
    pdf.output(str(out))
    return out


# DOCX -----------------------------------------------------------------------


def _mark_header_row(row: _Row) -> None:
    """Make a Word table row repeat as the header on each page (``w:tblHeader``)."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    tr_pr = row._tr.get_or_add_trPr()
    flag = OxmlElement("w:tblHeader")
    flag.set(qn("w:val"), "true")
    tr_pr.append(flag)


def _set_text(cell: _Cell, text: str, *, bold: bool = False, align: str = "LEFT") -> None:
    """Replace a Word cell's content by ``text`` (line breaks kept)."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    cell.text = ""
    paragraph = cell.paragraphs[0]
    paragraph.alignment = getattr(WD_ALIGN_PARAGRAPH, align)
    lines = text.split("\n")
    for index, line in enumerate(lines):
        run = paragraph.add_run(line)
        run.bold = bold
        if index < len(lines) - 1:
            run.add_break()


def _add_docx_table(document: DocxDocument, table: Table) -> None:
    """Add ``table`` as a Word table; the header's spanning cells merged."""
    rows = table.rows()
    grid = document.add_table(rows=len(rows), cols=table.width)
    grid.style = "Table Grid"
    for span in header_spans(table.header, table.width):
        cell = grid.cell(span.row, span.col)
        if span.rows > 1 or span.cols > 1:
            cell = cell.merge(grid.cell(span.row + span.rows - 1, span.col + span.cols - 1))
        _set_text(cell, cell_text(span.text), bold=True, align="CENTER")
    for r in range(len(table.header)):
        _mark_header_row(grid.rows[r])
    for r, row in enumerate(rows[len(table.header):], start=len(table.header)):
        bold = _is_bold_row(row)
        for c, text in enumerate(row):
            _set_text(grid.cell(r, c), cell_text(text), bold=bold, align=_align(text, c))


def write_docx(blocks: Iterable[Block], out: Path) -> Path:
    """Write the blocks as a DOCX with Word tables; returns ``out``."""
    from docx import Document as new_document

    document = new_document()
    for block in blocks:
        if isinstance(block, Table):
            _add_docx_table(document, block)
            document.add_paragraph("")
        elif isinstance(block, Heading):
            document.add_heading(block.text, level=min(block.level, 4))
        else:
            document.add_paragraph(block.text)
    document.core_properties.created = FIXED_DATE.replace(tzinfo=None)
    document.core_properties.modified = FIXED_DATE.replace(tzinfo=None)
    buffer = io.BytesIO()
    document.save(buffer)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(fixed_zip_dates(buffer.getvalue()))
    return out


# Check ----------------------------------------------------------------------


def _pdf_grids(path: Path) -> list[Grid]:
    """Every table pdfplumber finds in the PDF, page by page, cells normalised."""
    import pdfplumber

    grids: list[Grid] = []
    with pdfplumber.open(str(path)) as pdf:
        for page in pdf.pages:
            for found in page.extract_tables():
                grids.append([[normalise(cell) for cell in row] for row in found])
    return grids


def _join_continuations(found: list[Grid], expected: list[Grid], heads: list[int]) -> list[Grid]:
    """Found tables matched to expected ones in order; a table continued on the next
    page (its header rows repeated) is joined back into one."""
    joined: list[Grid] = []
    index = 0
    for grid, head in zip(expected, heads, strict=True):
        if index >= len(found):
            break
        got = found[index]
        index += 1
        while (len(got) < len(grid) and index < len(found) and head
               and found[index][:head] == grid[:head]):
            got = got + found[index][head:]
            index += 1
        joined.append(got)
    return joined + found[index:]


def _compare(name: str, got: Sequence[Sequence[str | None]], want: Sequence[Sequence[str | None]]) -> list[str]:
    """Cell-by-cell differences between two grids, as messages."""
    if len(got) != len(want):
        return [f"{name}: {len(got)} rows, expected {len(want)}"]
    problems: list[str] = []
    for r, (got_row, want_row) in enumerate(zip(got, want, strict=True)):
        if list(got_row) != list(want_row):
            problems.append(f"{name} row {r + 1}: got {list(got_row)}, expected {list(want_row)}")
    return problems


def check_pdf(path: Path, tables: Sequence[Table]) -> list[str]:
    """Problems found reading the PDF's tables back with pdfplumber ([] if none)."""
    expected = [expected_pdf_grid(t) for t in tables]
    found = _join_continuations(_pdf_grids(path), expected, [len(t.header) for t in tables])
    problems = [] if len(found) == len(expected) else [f"{path.name}: {len(found)} tables, expected {len(expected)}"]
    for index, (got, want) in enumerate(zip(found, expected, strict=False)):
        problems += _compare(f"{path.name} table {index + 1}", got, want)
    return problems


def _merge_problems(name: str, grid: DocxTable, table: Table) -> list[str]:
    """Spanning header cells that are not one merged Word cell, or plain ones that are."""
    problems: list[str] = []
    for span in header_spans(table.header, table.width):
        top = grid.cell(span.row, span.col)._tc
        for r in range(span.row, span.row + span.rows):
            for c in range(span.col, span.col + span.cols):
                if grid.cell(r, c)._tc is not top:
                    problems.append(f"{name}: header cell ({r + 1}, {c + 1}) not merged into ({span.row + 1}, {span.col + 1})")
        if span.rows == span.cols == 1 and span.col + 1 < table.width:
            if grid.cell(span.row, span.col + 1)._tc is top:
                problems.append(f"{name}: header cell ({span.row + 1}, {span.col + 1}) merged but should not be")
    return problems


def check_docx(path: Path, tables: Sequence[Table]) -> list[str]:
    """Problems found reading the DOCX's tables back with python-docx ([] if none)."""
    from docx import Document as open_document

    document = open_document(str(path))
    problems = [] if len(document.tables) == len(tables) else [
        f"{path.name}: {len(document.tables)} tables, expected {len(tables)}"]
    for index, (grid, table) in enumerate(zip(document.tables, tables, strict=False)):
        name = f"{path.name} table {index + 1}"
        got = [[normalise(cell.text) or "" for cell in row.cells] for row in grid.rows]
        problems += _compare(name, got, expected_docx_grid(table))
        problems += _merge_problems(name, grid, table)
    return problems


# Command line ---------------------------------------------------------------


def written_documents() -> list[Path]:
    """The markdown documents of evaluation/gold/written/ (README.md left out)."""
    return sorted(p for p in WRITTEN.glob("*.md") if p.name.lower() != "readme.md")


def build_document(source: Path, out: Path) -> tuple[Path, Path]:
    """Render one markdown document as ``out/<stem>.pdf`` and ``out/<stem>.docx``."""
    blocks = parse_markdown(source.read_text(encoding="utf-8"))
    pdf = write_pdf(blocks, out / f"{source.stem}.pdf")
    docx = write_docx(blocks, out / f"{source.stem}.docx")
    return pdf, docx


def check_document(source: Path, pdf: Path, docx: Path) -> list[str]:
    """Problems of the rendered PDF and DOCX against the markdown's tables."""
    tables = [b for b in parse_markdown(source.read_text(encoding="utf-8")) if isinstance(b, Table)]
    return check_pdf(pdf, tables) + check_docx(docx, tables)


def main(argv: list[str] | None = None) -> int:
    """Command line entry point; returns the exit status."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("extra", nargs="*", type=Path, help="more markdown files to render")
    parser.add_argument("--out", type=Path, default=REPO / "build" / "tables")
    parser.add_argument("--only-extra", action="store_true", help="render only the files given as arguments")
    parser.add_argument("--check", action="store_true", help="read the outputs back and compare their tables")
    args = parser.parse_args(argv)
    sources = ([] if args.only_extra else written_documents()) + list(args.extra)
    bad = 0
    for source in sources:
        try:
            pdf, docx = build_document(source, args.out)
        except (FileNotFoundError, UnicodeDecodeError) as exc:
            print(f"make_table_docs: {source}: {exc}", file=sys.stderr)
            return 1
        problems = check_document(source, pdf, docx) if args.check else []
        for problem in problems:
            print(f"make_table_docs: {problem}", file=sys.stderr)
        bad += len(problems)
        status = f" (checked: {len(problems)} problems)" if args.check else ""
        print(f"wrote {pdf} and {docx.name}{status}")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
