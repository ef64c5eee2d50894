"""Word documents (.docx): paragraphs and tables in body order.

Each paragraph is one line; each table row is one line "cell | cell | cell" with
one cell per grid column: a merged cell's text in its first column and "" in the
other columns (and later rows) it covers, a cell's lines joined by a space;
content controls (``w:sdt``) are read through. Text typed in a legacy font
(.VnTime: TCVN3) is converted to Unicode. A file that is not a ZIP package, or
has no ``word/document.xml``, is E_DOCX_CORRUPT; one over the input limits
(``limits``: members, inflated size, compression ratio, a DTD or entity
declarations, element depth) gets an ``E_LIMIT_*`` error. python-docx parses
with ``resolve_entities=False`` and lxml never fetches from the network, so no
entity is expanded or read from outside the package.
"""

from __future__ import annotations

import zipfile
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph

from extractor.errors import E_DOCX_CORRUPT, E_LIMIT_XML, IngestError
from extractor.ingest.limits import check_xml, check_zip_entries, current_limits, read_member
from extractor.ingest.txt import fix_legacy_text
from extractor.models import RawText

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_XML_LIMIT_WORDS = ("amplification", "Excessive depth", "huge input", "XML_PARSE_HUGE")
"""libxml2's words when a part passes its own limits (entity expansion, depth, size)."""
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def _corrupt(name: str, reason: str) -> IngestError:
    return IngestError(E_DOCX_CORRUPT, f"{name}: not a readable DOCX ({reason})")


def _check_package(path: Path) -> None:
    """Raise E_DOCX_CORRUPT unless ``path`` is a ZIP holding word/document.xml,
    and an ``E_LIMIT_*`` error when the package is over the input limits (too
    many members, a zip bomb, a DTD or too deep a nesting in document.xml).
    Every member is inflated once, within the limits, so a damaged one is found."""
    name = path.name
    with path.open("rb") as handle:
        head = handle.read(8)
    if head.startswith(_OLE):
        raise _corrupt(name, "this is an old Word 97-2003 .doc file; save it as .docx")
    if head.lstrip().startswith((b"{\\rtf",)):
        raise _corrupt(name, "this is an RTF file; save it as .docx")
    if not zipfile.is_zipfile(path):
        raise _corrupt(name, "not a ZIP package; the file is corrupt, truncated or not a DOCX")
    try:
        with zipfile.ZipFile(path) as archive:
            if "word/document.xml" not in set(archive.namelist()):
                raise _corrupt(name, "the package has no word/document.xml; is it another Office format?")
            _inflate_all(archive, name)
    except IngestError:
        raise
    except Exception as exc:  # noqa: BLE001 - zipfile/zlib raise many kinds for damaged data
        raise _corrupt(name, f"bad ZIP package: {exc}") from None


def _inflate_all(archive: zipfile.ZipFile, name: str) -> None:
    """Inflate every member within the limits; check document.xml's XML."""
    limits = current_limits()
    check_zip_entries(archive, name, limits)
    budget = limits.max_inflated_bytes
    for entry in archive.infolist():
        try:
            data = read_member(archive, entry, name, budget, limits)
        except (zipfile.BadZipFile, zlib.error, EOFError, OSError) as exc:
            raise _corrupt(name, f"damaged ZIP member {entry.filename} ({exc})") from None
        budget -= len(data)
        if entry.filename == "word/document.xml":
            check_xml(data, name, entry.filename, limits)


def _row_tcs(element: Any) -> Iterator[Any]:
    """The ``w:tc`` cells of a row, content controls and custom XML read through."""
    for child in element.iterchildren():
        if child.tag == f"{_W}tc":
            yield child
        elif child.tag == f"{_W}sdt":
            content = child.find(f"{_W}sdtContent")
            if content is not None:
                yield from _row_tcs(content)
        elif child.tag == f"{_W}customXml":
            yield from _row_tcs(child)


def _legacy_merge(tc: Any) -> str | None:
    """A cell's old-style horizontal merge (``w:hMerge``): "restart", "continue" or None."""
    merge = tc.find(f"{_W}tcPr/{_W}hMerge")
    if merge is None:
        return None
    return str(merge.get(f"{_W}val", "continue"))


def _cell_text(tc: Any, table: Any) -> str:
    """One cell's text on one line (paragraphs and nested tables joined by a space)."""
    parts = [" ".join(line.split()) for line in _block_lines(tc, _Cell(tc, table))]
    return " ".join(part for part in parts if part)


def _grid_cells(row: Any) -> list[str]:
    """A row's text per grid column: a merged cell's text in its first column,
    "" in the other columns it spans and in a vertical merge's later rows."""
    tr = row._tr
    cells = [""] * tr.grid_before
    for tc in _row_tcs(tr):
        covered = tc.vMerge == "continue" or _legacy_merge(tc) == "continue"
        cells.append("" if covered else _cell_text(tc, row.table))
        cells.extend([""] * (max(int(tc.grid_span), 1) - 1))
    cells.extend([""] * tr.grid_after)
    return cells


def _cells_text(row: Any) -> str:
    """A table row as "cell | cell", one cell per grid column, nested tables flattened."""
    cells = _grid_cells(row)
    return " | ".join(cells) if any(cells) else ""


def _block_lines(element: Any, parent: Any) -> Iterator[str]:
    """The lines of a body-like element (body, cell, content control), in order."""
    for child in element.iterchildren():
        tag = child.tag
        if tag == f"{_W}p":
            yield Paragraph(child, parent).text
        elif tag == f"{_W}tbl":
            for row in Table(child, parent).rows:
                yield _cells_text(row)
        elif tag == f"{_W}sdt":
            content = child.find(f"{_W}sdtContent")
            if content is not None:
                yield from _block_lines(content, parent)
        elif tag == f"{_W}customXml":
            yield from _block_lines(child, parent)


def docx_text(path: Path) -> str:
    """The body text of a DOCX, one line per paragraph or table row."""
    from docx import Document as open_document

    document = open_document(str(path))
    body = document.element.body
    lines = [line.replace("\r", "\n") for line in _block_lines(body, document._body)]
    return "\n".join(line.rstrip() for line in lines)


def read_docx(path: Path) -> RawText:
    """A .docx file's text (see the module docstring)."""
    _check_package(path)
    try:
        text = docx_text(path)
    except IngestError:
        raise
    except Exception as exc:  # noqa: BLE001 - python-docx, lxml and zipfile errors vary
        if any(word in str(exc) for word in _XML_LIMIT_WORDS):
            raise IngestError(E_LIMIT_XML, f"{path.name}: an XML part of the DOCX is over the parser's limits ({exc})") from None
        raise _corrupt(path.name, f"{type(exc).__name__}: {exc}") from exc
    text, warnings = fix_legacy_text(text, path.name)
    return RawText(text=text, format="docx", warnings=warnings)
