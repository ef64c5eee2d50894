"""Opening a PDF with pypdfium2, and repairing one whose trailer is gone.

A truncated file is repaired in memory so the pages that survive can still be
read: the objects still present are found, plain or packed in object streams
(PDF 1.5, the part of a cut stream that still inflates), and a new page tree
(the old one's inherited page size and resources kept) and cross-reference
table are appended over them. A document over the page-count or page-size
limit is refused (``limits``).
Encrypted files and files that are not PDFs get a clear error.
"""

from __future__ import annotations

import re
import zlib
from dataclasses import dataclass, field

import pypdfium2 as pdfium

from extractor.errors import E_PDF_CORRUPT, E_PDF_ENCRYPTED, IngestError
from extractor.ingest.limits import check_pdf_pages, current_limits

_PASSWORD_ERRORS = (4, 5)  # FPDF_ERR_PASSWORD, FPDF_ERR_SECURITY
_OBJECT = re.compile(rb"(?<![0-9])(\d{1,7})\s+\d{1,5}\s+obj\b")
_PAGE_TYPE = re.compile(rb"/Type\s*/Page(?![A-Za-z])")
_PAGES_TYPE = re.compile(rb"/Type\s*/Pages(?![A-Za-z])")
_OBJSTM = re.compile(rb"/Type\s*/ObjStm(?![A-Za-z])")
_COUNT = re.compile(rb"/N\s+(\d+)")
_FIRST = re.compile(rb"/First\s+(\d+)")
_STREAM_START = re.compile(rb"stream\r?\n")
_PARENT = re.compile(rb"/Parent\s+\d+\s+\d+\s+R")
_INHERITED = re.compile(rb"/(?:MediaBox|CropBox)\s*\[[^\]]{0,200}\]|/Resources\s+\d+\s+\d+\s+R|/Rotate\s+-?\d+")


def corrupt(name: str, reason: str) -> IngestError:
    """The E_PDF_CORRUPT error for ``name``."""
    return IngestError(E_PDF_CORRUPT, f"{name}: not a readable PDF (file is truncated or corrupt: {reason})")


def not_pdf_reason(data: bytes) -> str | None:
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


@dataclass
class _Found:
    """What a damaged file still holds: plain objects (number -> offset), objects
    read out of object streams (number -> body), and the page objects in file order."""

    offsets: dict[int, int] = field(default_factory=dict)
    packed: dict[int, bytes] = field(default_factory=dict)
    pages: list[tuple[int, bytes]] = field(default_factory=list)
    inherited: list[bytes] = field(default_factory=list)


def _inflate(raw: bytes, limit: int) -> tuple[bytes, bool]:
    """As much of a Flate stream as inflates (block by block, a damaged or cut
    end dropped), at most ``limit`` bytes; whether it all inflated."""
    inflater = zlib.decompressobj()
    parts: list[bytes] = []
    size = 0
    for at in range(0, len(raw), 1 << 16):
        try:
            block = inflater.decompress(raw[at : at + (1 << 16)], max(limit - size, 1))
        except zlib.error:
            return b"".join(parts), False
        parts.append(block)
        size += len(block)
        if size >= limit:
            return b"".join(parts), False
    return b"".join(parts), inflater.eof


def _stream_objects(data: bytes, start: int, limit: int) -> dict[int, bytes]:
    """The objects packed in the object stream (``/Type /ObjStm``) whose object
    begins at ``start``: those wholly in the part that can still be inflated."""
    keyword = data.find(b"stream", start, start + 4096)
    head = data[start:keyword] if keyword >= 0 else b""
    count, first = _COUNT.search(head), _FIRST.search(head)
    if not _OBJSTM.search(head) or count is None or first is None:
        return {}
    body = _STREAM_START.match(data, keyword)
    begin = body.end() if body is not None else keyword + 6
    stop = data.find(b"endstream", begin)
    raw = data[begin : stop if stop >= 0 else len(data)]
    if b"/FlateDecode" in head:
        inflated, whole = _inflate(raw, limit)
    elif b"/Filter" in head:
        return {}
    else:
        inflated, whole = raw, stop >= 0
    offset = int(first.group(1))
    numbers = inflated[:offset].split()
    if not all(token.isdigit() for token in numbers):
        return {}
    pairs = [(int(numbers[i]), int(numbers[i + 1])) for i in range(0, min(len(numbers) - 1, 2 * int(count.group(1))), 2)]
    objects: dict[int, bytes] = {}
    for index, (number, at) in enumerate(pairs):
        end = offset + pairs[index + 1][1] if index + 1 < len(pairs) else (len(inflated) if whole else -1)
        if offset + at <= end <= len(inflated):
            objects[number] = inflated[offset + at : end].strip()
    return objects


def _find(data: bytes) -> _Found:
    """The objects and pages of ``data``, plain and packed in object streams."""
    found = _Found()
    for match in _OBJECT.finditer(data):
        found.offsets[int(match.group(1))] = match.start()
    limit = current_limits().max_member_bytes
    for number, start in sorted(found.offsets.items(), key=lambda item: item[1]):
        head = data[start : start + 4096]
        end = head.find(b"endobj")
        body = head[head.find(b"obj") + 3 : end] if end >= 0 else b""
        _note(found, number, body)
        if _OBJSTM.search(head[:512]):
            for packed, text in _stream_objects(data, start, limit).items():
                if packed not in found.offsets and packed not in found.packed:
                    found.packed[packed] = text
                    _note(found, packed, text)
    return found


def _note(found: _Found, number: int, body: bytes) -> None:
    """Record ``body`` as a page, or take the inheritable keys of an old page tree node."""
    if _PAGE_TYPE.search(body):
        found.pages.append((number, body))
    elif _PAGES_TYPE.search(body) and not found.inherited:
        found.inherited = _INHERITED.findall(body)


def repair(data: bytes) -> bytes | None:
    """``data`` with the objects packed in surviving object streams, fresh copies
    of the page objects, a new page tree, catalog and cross-reference table
    appended; None when no page object survives."""
    found = _find(data)
    if not found.pages:
        return None
    offsets = dict(found.offsets)
    top = max([*offsets, *found.packed]) + 1
    out = bytearray(data if data.endswith(b"\n") else data + b"\n")
    pages = {number: _PARENT.sub(b"/Parent %d 0 R" % top, body) for number, body in found.pages}
    for number, body in [*found.packed.items(), *pages.items()]:
        offsets[number] = len(out)
        out += b"%d 0 obj\n%s\nendobj\n" % (number, pages.get(number, body))
    kids = b" ".join(b"%d 0 R" % number for number in pages)
    offsets[top] = len(out)
    inherited = b" ".join(found.inherited)
    out += b"%d 0 obj\n<< /Type /Pages /Kids [%s] /Count %d %s >>\nendobj\n" % (top, kids, len(pages), inherited)
    offsets[top + 1] = len(out)
    out += b"%d 0 obj\n<< /Type /Catalog /Pages %d 0 R >>\nendobj\n" % (top + 1, top)
    xref = len(out)
    size = top + 2
    out += b"xref\n0 %d\n" % size
    for number in range(size):
        out += b"%010d 00000 n \n" % offsets[number] if number in offsets else b"0000000000 65535 f \n"
    out += b"trailer\n<< /Size %d /Root %d 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (size, top + 1, xref)
    return bytes(out)


def open_pdf(data: bytes, name: str) -> tuple[pdfium.PdfDocument, bytes, bool]:
    """(document, the bytes it was opened from, whether they had to be repaired);
    a document over the page-count or page-size limit is refused (E_LIMIT_*)."""
    document, opened, repaired = _open(data, name)
    try:
        check_document(document, name)
    except BaseException:
        document.close()
        raise
    return document, opened, repaired


def check_document(document: pdfium.PdfDocument, name: str) -> None:
    """Raise ``E_LIMIT_PAGES`` or ``E_LIMIT_PAGE_SIZE`` for a document over the input limits."""
    limits = current_limits()
    count = len(document)
    check_pdf_pages(count, [], name, limits)
    sizes: list[tuple[float, float]] = []
    for index in range(count):
        try:
            sizes.append(document.get_page_size(index))
        except pdfium.PdfiumError:
            continue  # a page that cannot be loaded is reported when it is read
    check_pdf_pages(count, sizes, name, limits)


def _open(data: bytes, name: str) -> tuple[pdfium.PdfDocument, bytes, bool]:
    try:
        return pdfium.PdfDocument(data), data, False
    except pdfium.PdfiumError as exc:
        if getattr(exc, "err_code", None) in _PASSWORD_ERRORS:
            raise IngestError(
                E_PDF_ENCRYPTED,
                f"{name}: the PDF is encrypted (password-protected); save an unprotected copy to read it",
            ) from None
        reason = str(exc)
    repaired = repair(data)
    if repaired is not None:
        try:
            return pdfium.PdfDocument(repaired), repaired, True
        except pdfium.PdfiumError:
            pass
    raise corrupt(name, reason)
