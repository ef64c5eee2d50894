"""PDF files: the text layer, page by page, with tables as "cell | cell" rows.

pypdfium2 reads every page's text (fast path); pages are joined with "\\n" and
``RawText.page_starts`` records where each begins. Line breaks stay as pdfium
gives them (wrapped lines are joined later, by normalisation). A page that
looks like it holds a table (many path objects) is read again with pdfplumber:
table rows become lines "cell | cell" at the table's place, one cell per grid
column (a merged cell's text in its first column, "" in the positions it
covers, a wrapped cell's lines joined by a space), and the text
around the tables comes from pdfplumber too, so nothing is duplicated. Header
rows repeated at the top of a page that continues a table are dropped.

A truncated file whose trailer is gone is repaired in memory (a new page tree
and cross-reference table over the objects found) so the pages that survive
can still be read, with a W_PDF_PARTIAL warning. A text layer in a legacy
font encoding (``.VnTime``: TCVN3, VNI) is converted to Unicode page by page. Encrypted files, files that
are not PDFs and PDFs without any text get a clear error; there is no OCR.
"""

from __future__ import annotations

import io
import logging
import re
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from extractor.errors import (
    E_PDF_CORRUPT,
    E_PDF_ENCRYPTED,
    E_PDF_NO_TEXT,
    W_LEGACY_ENCODING,
    W_PDF_PAGE_NO_TEXT,
    W_PDF_PARTIAL,
    IngestError,
)
from extractor.ingest.txt import LEGACY_NAMES, convert_legacy, legacy_in_unicode
from extractor.models import FileError, RawText

TABLE_PATH_OBJECTS = 6
"""A page with at least this many path objects (rules, cell borders) is checked for tables."""

_PASSWORD_ERRORS = (4, 5)  # FPDF_ERR_PASSWORD, FPDF_ERR_SECURITY
_OBJECT = re.compile(rb"(?<![0-9])(\d{1,7})\s+\d{1,5}\s+obj\b")
_PAGE_TYPE = re.compile(rb"/Type\s*/Page(?![A-Za-z])")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\ue000-\uf8ff\ufffd]")
_NOT_SPACE = re.compile(r"\S")


def _corrupt(name: str, reason: str) -> IngestError:
    return IngestError(E_PDF_CORRUPT, f"{name}: not a readable PDF (file is truncated or corrupt: {reason})")


def _not_pdf_reason(data: bytes) -> str | None:
    """Why ``data`` is not a PDF at all, or None when it starts like one."""
    if b"%PDF-" in data[:1024]:
        return None
    head = data[:512].lstrip().lower()
    if head.startswith((b"<!doctype html", b"<html")) or b"<html" in head:
        what = "an HTML page saved with a .pdf name"
    elif head.startswith(b"pk\x03\x04"):
        what = "a ZIP/Office file saved with a .pdf name"
    else:
        what = "the %PDF header is missing"
    return f"not a PDF: {what}"


def _repair(data: bytes) -> bytes | None:
    """``data`` with a fresh page tree, catalog and cross-reference table appended,
    built from the objects still present; None when no page object survives."""
    offsets: dict[int, int] = {}
    for match in _OBJECT.finditer(data):
        offsets[int(match.group(1))] = match.start()
    pages: list[int] = []
    for number, start in sorted(offsets.items(), key=lambda item: item[1]):
        head = data[start : start + 4096]
        end = head.find(b"endobj")
        if end >= 0 and _PAGE_TYPE.search(head[:end]):
            pages.append(number)
    if not pages:
        return None
    top = max(offsets) + 1
    out = bytearray(data if data.endswith(b"\n") else data + b"\n")
    kids = b" ".join(b"%d 0 R" % page for page in pages)
    offsets[top] = len(out)
    out += b"%d 0 obj\n<< /Type /Pages /Kids [%s] /Count %d >>\nendobj\n" % (top, kids, len(pages))
    offsets[top + 1] = len(out)
    out += b"%d 0 obj\n<< /Type /Catalog /Pages %d 0 R >>\nendobj\n" % (top + 1, top)
    xref = len(out)
    size = top + 2
    out += b"xref\n0 %d\n" % size
    for number in range(size):
        out += b"%010d 00000 n \n" % offsets[number] if number in offsets else b"0000000000 65535 f \n"
    out += b"trailer\n<< /Size %d /Root %d 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (size, top + 1, xref)
    return bytes(out)


def _open(data: bytes, name: str) -> tuple[pdfium.PdfDocument, bytes, bool]:
    """(document, the bytes it was opened from, whether they had to be repaired)."""
    try:
        return pdfium.PdfDocument(data), data, False
    except pdfium.PdfiumError as exc:
        if getattr(exc, "err_code", None) in _PASSWORD_ERRORS:
            raise IngestError(
                E_PDF_ENCRYPTED,
                f"{name}: the PDF is encrypted (password-protected); save an unprotected copy to read it",
            ) from None
        reason = str(exc)
    repaired = _repair(data)
    if repaired is not None:
        try:
            return pdfium.PdfDocument(repaired), repaired, True
        except pdfium.PdfiumError:
            pass
    raise _corrupt(name, reason)


def _readable(text: str) -> bool:
    """Whether a page's text is real text, not glyph codes of a font without a Unicode map."""
    letters = len(_NOT_SPACE.findall(text))
    return letters > 0 and len(_CONTROL.findall(text)) <= letters * 0.1


def _looks_tabular(page: pdfium.PdfPage) -> bool:
    paths = 0
    for _ in page.get_objects(filter=(pdfium_c.FPDF_PAGEOBJ_PATH,), max_depth=3):
        paths += 1
        if paths >= TABLE_PATH_OBJECTS:
            return True
    return False


def _page_text(page: pdfium.PdfPage) -> str:
    textpage = page.get_textpage()
    try:
        text = str(textpage.get_text_range())
    finally:
        textpage.close()
    return text.replace("\r\n", "\n").replace("\r", "\n").replace("\x02", "-")


def _cell(value: str | None) -> str:
    """A table cell on one line; "" for a grid position covered by a merged cell (None)."""
    return " ".join((value or "").split())


def _tables_text(data: bytes, page_indexes: list[int]) -> dict[int, str]:
    """Page index -> the page's text with its tables as "cell | cell" lines, for
    the pages where pdfplumber finds a table; other pages are left out."""
    import pdfplumber

    quiet = logging.getLogger("pdfminer")
    if quiet.level == logging.NOTSET:
        quiet.setLevel(logging.ERROR)  # damaged streams are reported by our own warnings
    found: dict[int, str] = {}
    with pdfplumber.open(io.BytesIO(data), pages=[i + 1 for i in page_indexes]) as pdf:
        for page in pdf.pages:
            tables = page.find_tables()
            if not tables:
                continue
            boxes = [table.bbox for table in tables]

            def outside(obj: dict[str, object], boxes: list[tuple[float, float, float, float]] = boxes) -> bool:
                if obj.get("object_type") != "char":
                    return True
                x = (float(str(obj["x0"])) + float(str(obj["x1"]))) / 2
                y = (float(str(obj["top"])) + float(str(obj["bottom"]))) / 2
                return not any(x0 <= x <= x1 and top <= y <= bottom for x0, top, x1, bottom in boxes)

            items: list[tuple[float, int, str]] = []
            for line in page.filter(outside).extract_text_lines():
                items.append((float(line["top"]), 0, str(line["text"])))
            for table in tables:
                for order, row in enumerate(table.extract(), start=1):
                    cells = [_cell(value) for value in row]  # None: covered by a merged cell
                    if any(cells):
                        items.append((float(table.bbox[1]), order, " | ".join(cells)))
            items.sort(key=lambda item: (item[0], item[1]))
            found[page.page_number - 1] = "\n".join(text for _, _, text in items)
    return found


def _ranges(pages: list[int]) -> str:
    """1-based page numbers as "1, 3-5"."""
    spans: list[list[int]] = []
    for page in pages:
        if spans and page == spans[-1][1] + 1:
            spans[-1][1] = page
        else:
            spans.append([page, page])
    return ", ".join(f"{a}" if a == b else f"{a}-{b}" for a, b in spans)


def _read_pages(document: pdfium.PdfDocument) -> tuple[list[str], list[int], list[int]]:
    """(text of each page, 0-based pages that failed to load, pages that look tabular)."""
    texts: list[str] = []
    failed: list[int] = []
    tabular: list[int] = []
    for index in range(len(document)):
        try:
            page = document[index]
        except pdfium.PdfiumError:
            texts.append("")
            failed.append(index)
            continue
        try:
            texts.append(_page_text(page))
            if _looks_tabular(page):
                tabular.append(index)
        except pdfium.PdfiumError:
            texts.append("")
            failed.append(index)
        finally:
            page.close()
    return texts, failed, tabular


def _page_warning(name: str, texts: list[str], unread: list[int]) -> FileError:
    """W_PDF_PAGE_NO_TEXT naming the blank pages and those whose text is unreadable."""
    blank = [page for page in unread if not texts[page - 1].strip()]
    garbled = [page for page in unread if texts[page - 1].strip()]
    parts: list[str] = []
    if blank:
        parts.append(f"no text on page{'s' if len(blank) > 1 else ''} {_ranges(blank)} (scanned images?)")
    if garbled:
        parts.append(
            f"unreadable text on page{'s' if len(garbled) > 1 else ''} {_ranges(garbled)} "
            "(fonts without a Unicode map)"
        )
    return FileError(code=W_PDF_PAGE_NO_TEXT, message=f"{name}: {'; '.join(parts)}; OCR is not available")


def _is_row(line: str) -> bool:
    return " | " in f" {line} "


def _repeated_header(previous: str, page: str) -> int:
    """How many of ``page``'s first lines repeat the header of the table that ends
    ``previous`` (a table continued on the next page with its header rows
    repeated); 0 unless ``previous`` ends with table rows and ``page`` starts with them."""
    before = previous.rstrip("\n").split("\n")
    start = len(before)
    while start > 0 and _is_row(before[start - 1]):
        start -= 1
    ending = before[start:]
    lines = page.split("\n")
    count = 0
    while (count < len(ending) - 1 and count < len(lines) - 1 and _is_row(lines[count])
           and lines[count] == ending[count] and _is_row(lines[count + 1])):
        count += 1
    return count


def _drop_repeated_headers(texts: list[str], pages: set[int]) -> None:
    """Remove, in place, header rows repeated at the top of a continuation page,
    so a table broken over pages reads as one (pages read with pdfplumber only)."""
    drops = {i: _repeated_header(texts[i - 1], texts[i]) for i in sorted(pages) if i - 1 in pages}
    for index, count in drops.items():
        if count:
            texts[index] = "\n".join(texts[index].split("\n")[count:])


def _with_tables(opened: bytes, texts: list[str], pages: list[int]) -> None:
    """Replace the text of ``pages`` where pdfplumber finds tables (in place)."""
    if not pages:
        return
    try:
        replaced: set[int] = set()
        for index, text in _tables_text(opened, pages).items():
            if _readable(text):
                texts[index] = text
                replaced.add(index)
    except Exception:  # noqa: BLE001 - table layout is a refinement; the text layer stands
        return
    _drop_repeated_headers(texts, replaced)


def read_pdf(path: Path) -> RawText:
    """A PDF's text layer, pages joined by "\\n", with page starts and warnings."""
    name = path.name
    data = path.read_bytes()
    reason = _not_pdf_reason(data)
    if reason is not None:
        raise IngestError(E_PDF_CORRUPT, f"{name}: not a readable PDF ({reason})")
    document, opened, repaired = _open(data, name)
    try:
        texts, failed, tabular = _read_pages(document)
    except pdfium.PdfiumError as exc:
        raise _corrupt(name, str(exc)) from None
    finally:
        document.close()
    if not texts:
        raise _corrupt(name, "the document has no pages")
    readable = {i for i, text in enumerate(texts) if _readable(text)}
    _with_tables(opened, texts, [i for i in tabular if i in readable])
    unread = [i + 1 for i in range(len(texts)) if i not in readable]
    damaged = repaired or bool(failed) or (b"%%EOF" not in data[-2048:] and bool(unread))
    if not readable:
        if damaged:
            raise _corrupt(name, "no page could be read")
        if any(text.strip() for text in texts):
            raise IngestError(
                E_PDF_NO_TEXT, f"{name}: no readable text layer (fonts without a Unicode map); OCR is not available"
            )
        raise IngestError(E_PDF_NO_TEXT, f"{name}: no text layer (scanned PDF?); OCR is not available")
    warnings: list[FileError] = []
    if damaged:
        detail = f"; pages {_ranges(unread)} could not be read" if unread else ""
        message = f"{name}: the PDF is truncated or damaged; read {len(readable)} of {len(texts)} pages{detail}"
        warnings.append(FileError(code=W_PDF_PARTIAL, message=message))
    elif unread:
        warnings.append(_page_warning(name, texts, unread))
    kept = [text if index in readable else "" for index, text in enumerate(texts)]
    legacy = legacy_in_unicode("\n".join(kept))
    if legacy is not None:
        kept = [convert_legacy(text, legacy) if text else text for text in kept]
        label = LEGACY_NAMES[legacy]
        message = f"{name}: legacy {label} encoding detected and converted to Unicode"
        warnings.append(FileError(code=W_LEGACY_ENCODING, message=message))
    page_starts: list[int] = []
    offset = 0
    for text in kept:
        page_starts.append(offset)
        offset += len(text) + 1
    return RawText(text="\n".join(kept), format="pdf", page_starts=page_starts, warnings=warnings)
