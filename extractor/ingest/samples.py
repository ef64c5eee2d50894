"""Sample files built from plain text: the corpus PDF and DOCX, and test fixtures.

``write_pdf`` lays text out as an A4 document with a Unicode TrueType font, the
way a directive exported from a word processor looks: wrapped paragraphs over
several pages, with a text layer. ``write_docx`` writes one Word paragraph per
line. Both can append a table (rows of cells) so tests exercise table paths.

The PDF needs a TTF font covering Vietnamese. ``find_unicode_font`` looks, in
order, at ``$BIENCHE_PDF_FONT``, the DejaVu fonts of Debian's
``fonts-dejavu-core`` package, other common system fonts, and the DejaVu Sans
that matplotlib ships. fpdf2 (a ``dev`` extra) is imported only when a PDF is
written.
"""

from __future__ import annotations

import importlib.util
import io
import os
import zipfile
from collections.abc import Sequence
from datetime import datetime, timezone
from pathlib import Path

_FONT_DIRS = (
    Path("/usr/share/fonts/truetype/dejavu"),
    Path("/usr/share/fonts/dejavu"),
    Path("/usr/share/fonts/TTF"),
    Path("/usr/share/fonts/truetype/noto"),
    Path("/usr/share/fonts/truetype/liberation"),
    Path("/usr/local/share/fonts"),
    Path("/Library/Fonts"),
    Path("C:/Windows/Fonts"),
)
_FONT_NAMES = (
    ("DejaVuSerif.ttf", "DejaVuSerif-Bold.ttf"),
    ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf"),
    ("NotoSerif-Regular.ttf", "NotoSerif-Bold.ttf"),
    ("NotoSans-Regular.ttf", "NotoSans-Bold.ttf"),
    ("LiberationSerif-Regular.ttf", "LiberationSerif-Bold.ttf"),
    ("times.ttf", "timesbd.ttf"),
)

Table = Sequence[Sequence[str]]
FIXED_DATE = datetime(2023, 8, 11, tzinfo=timezone.utc)
"""Creation date written into the samples, so that a rebuild gives the same bytes."""


def find_unicode_font() -> tuple[Path, Path | None] | None:
    """(regular, bold or None) paths of a TTF font with Vietnamese glyphs, or None."""
    override = os.environ.get("BIENCHE_PDF_FONT")
    if override and Path(override).is_file():
        return Path(override), None
    for folder in _FONT_DIRS:
        for regular, bold in _FONT_NAMES:
            if (folder / regular).is_file():
                bold_path = folder / bold
                return folder / regular, bold_path if bold_path.is_file() else None
    spec = importlib.util.find_spec("matplotlib")
    if spec is not None and spec.origin is not None:
        ttf = Path(spec.origin).parent / "mpl-data" / "fonts" / "ttf"
        if (ttf / "DejaVuSans.ttf").is_file():
            bold_path = ttf / "DejaVuSans-Bold.ttf"
            return ttf / "DejaVuSans.ttf", bold_path if bold_path.is_file() else None
    return None


def _is_heading(line: str, index: int) -> bool:
    """Short lines without a final full stop read as headings (set in bold)."""
    return index < 2 or (len(line) < 90 and not line.rstrip().endswith((".", ";", ",")))


def write_pdf(text: str, out: Path, *, table: Table | None = None) -> Path:
    """Write ``text`` as an A4 PDF (one paragraph per non-blank line), optionally
    followed by a ruled ``table``; returns ``out``.

    Raises ``FileNotFoundError`` when no Unicode TrueType font is installed
    (Debian: ``apt-get install fonts-dejavu-core``).
    """
    from fpdf import FPDF
    from fpdf.fonts import FontFace

    font = find_unicode_font()
    if font is None:
        raise FileNotFoundError(
            "no Unicode TrueType font found for the PDF: install Debian's fonts-dejavu-core "
            "or set BIENCHE_PDF_FONT to a .ttf file with Vietnamese glyphs"
        )
    regular, bold = font
    pdf = FPDF(orientation="portrait", unit="mm", format="A4")
    pdf.set_creation_date(FIXED_DATE)
    pdf.set_margins(left=30, top=20, right=20)
    pdf.set_auto_page_break(auto=True, margin=20)
    pdf.add_font("Body", "", str(regular))
    pdf.add_font("Body", "B", str(bold if bold is not None else regular))
    pdf.add_page()
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    for index, line in enumerate(lines):
        heading = _is_heading(line, index)
        pdf.set_font("Body", "B" if heading else "", 13 if index < 2 else 12)
        pdf.multi_cell(0, 6.5, line, align="C" if index < 2 else "J", new_x="LMARGIN", new_y="NEXT")
        pdf.ln(2.5)
    if table:
        pdf.set_font("Body", "", 10)
        with pdf.table(headings_style=FontFace(emphasis="BOLD")) as grid:
            for row in table:
                cells = grid.row()
                for cell in row:
                    cells.cell(cell)
    out.parent.mkdir(parents=True, exist_ok=True)
    pdf.output(str(out))
    return out


def write_docx(text: str, out: Path, *, table: Table | None = None) -> Path:
    """Write ``text`` as a DOCX (one Word paragraph per non-blank line), optionally
    followed by a ``table``; returns ``out``."""
    from docx import Document as new_document

    document = new_document()
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    for index, line in enumerate(lines):
        if index == 0:
            document.add_heading(line, level=1)
        else:
            document.add_paragraph(line)
    if table:
        width = max(len(row) for row in table)
        grid = document.add_table(rows=len(table), cols=width)
        grid.style = "Table Grid"
        for row_cells, row in zip(grid.rows, table, strict=True):
            for cell, value in zip(row_cells.cells, row, strict=False):
                cell.text = value
    document.core_properties.created = FIXED_DATE.replace(tzinfo=None)
    document.core_properties.modified = FIXED_DATE.replace(tzinfo=None)
    buffer = io.BytesIO()
    document.save(buffer)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(fixed_zip_dates(buffer.getvalue()))
    return out


def fixed_zip_dates(package: bytes) -> bytes:
    """The ZIP ``package`` rewritten with one fixed timestamp on every member."""
    stamp = FIXED_DATE.timetuple()[:6]
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(package)) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=stamp)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = info.external_attr
            target.writestr(fixed, source.read(info.filename))
    return out.getvalue()
