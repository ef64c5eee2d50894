"""Opening a PDF with pypdfium2, and repairing one whose trailer is gone.

A truncated file is repaired in memory (a new page tree and cross-reference
table over the objects found) so the pages that survive can still be read.
Encrypted files and files that are not PDFs get a clear error.
"""

from __future__ import annotations

import re

import pypdfium2 as pdfium

from extractor.errors import E_PDF_CORRUPT, E_PDF_ENCRYPTED, IngestError

_PASSWORD_ERRORS = (4, 5)  # FPDF_ERR_PASSWORD, FPDF_ERR_SECURITY
_OBJECT = re.compile(rb"(?<![0-9])(\d{1,7})\s+\d{1,5}\s+obj\b")
_PAGE_TYPE = re.compile(rb"/Type\s*/Page(?![A-Za-z])")


def corrupt(name: str, reason: str) -> IngestError:
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


def repair(data: bytes) -> bytes | None:
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


def open_pdf(data: bytes, name: str) -> tuple[pdfium.PdfDocument, bytes, bool]:
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
    repaired = repair(data)
    if repaired is not None:
        try:
            return pdfium.PdfDocument(repaired), repaired, True
        except pdfium.PdfiumError:
            pass
    raise corrupt(name, reason)
