"""PDF files: the text layer where there is one, OCR where there is not, tables
as "cell | cell" rows, and the box of every figure's words on its page.

Each page is decided on its own:

- **text**: pypdfium2's text layer (fast path); a page with many drawn paths is
  re-read with pdfplumber for its ruled tables (``pdf_tables``);
- **scan**: no readable text layer (a scanned or stamped page, or fonts without
  a Unicode map) and something drawn on it: rendered at ``OCR_DPI`` and read by
  Tesseract (``ocr``), words laid out into lines and table rows (``layout``);
- **partial**: a short text layer over a page mostly covered by an image (a
  scan signed digitally, a typed header above a scanned body): the OCR words
  outside the text layer's words are added to them;
- **blank**: nothing on the page.

Pages are joined with "\\n" and ``RawText.page_starts`` records where each
begins; ``RawText.boxes`` holds the word boxes in PDF points, origin top-left.
A truncated file is repaired in memory so the surviving pages can still be
read (W_PDF_PARTIAL). A text layer in a legacy font encoding (``.VnTime``:
TCVN3, VNI) is converted to Unicode page by page.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import pypdfium2 as pdfium
import regex

from extractor.errors import (
    E_PDF_CORRUPT,
    E_PDF_NO_TEXT,
    W_LEGACY_ENCODING,
    W_OCR_PAGES,
    W_PDF_PAGE_NO_TEXT,
    W_PDF_PARTIAL,
    IngestError,
)
from extractor.ingest.layout import Word
from extractor.ingest.pages import PageText, join_pages, page_from_words
from extractor.ingest.pdf_layer import LayerPage, read_layer
from extractor.ingest.pdf_repair import corrupt, not_pdf_reason, open_pdf
from extractor.ingest.pdf_tables import drop_repeated_headers, tables_pages
from extractor.ingest.syllable import is_syllable
from extractor.ingest.txt import LEGACY_NAMES, convert_legacy, legacy_in_unicode
from extractor.models import FileError, RawText

PARTIAL_IMAGE_SHARE = 0.5
"""A page this much covered by images ..."""
PARTIAL_MAX_CHARS = 1500
"""... with fewer text-layer characters than this is read by OCR as well."""

MIN_OCR_SYLLABLES = 0.5
"""Share of an OCR'd page's letter words that must be Vietnamese syllables (or
all-caps codes) for the reading to be kept: glyphs of a font lost in a damaged
file OCR into junk, which is dropped rather than passed on as text."""

_LETTER_WORD = regex.compile(r"\p{L}+")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\ue000-\uf8ff\ufffd]")


def _visible(text: str) -> int:
    """How many characters of ``text`` are not white space (what ``\\S`` matches, counted
    without building a list of them)."""
    return sum(map(len, text.split()))


@dataclass
class _Pages:
    """The pages of one PDF as they are being read."""

    texts: list[PageText] = field(default_factory=list)
    layers: list[LayerPage | None] = field(default_factory=list)
    failed: list[int] = field(default_factory=list)
    readable: set[int] = field(default_factory=set)
    scans: list[int] = field(default_factory=list)
    partial: list[int] = field(default_factory=list)
    empty_ocr: list[int] = field(default_factory=list)


def _readable(text: str, visible: int | None = None) -> bool:
    """Whether a page's text is real text, not glyph codes of a font without a Unicode map
    (``visible``: ``_visible(text)`` when the caller has it)."""
    letters = _visible(text) if visible is None else visible
    return letters > 0 and len(_CONTROL.findall(text)) <= letters * 0.1


def looks_vietnamese(text: str) -> bool:
    """Whether OCR'd ``text`` reads as Vietnamese: enough of its letter words are
    syllables or upper-case codes (QĐ, UBND), and letters and digits outweigh
    punctuation."""
    words = _LETTER_WORD.findall(text)
    signs = _visible(text)
    if not words or signs == 0:
        return False
    good = sum(len(w) for w in words if is_syllable(w) or (w.isupper() and len(w) <= 6))
    letters = sum(len(w) for w in words)
    alnum = letters + sum(ch.isdigit() for ch in text)
    return good >= MIN_OCR_SYLLABLES * letters and alnum >= 0.6 * signs


def _ranges(pages: list[int]) -> str:
    """1-based page numbers as "1, 3-5"."""
    spans: list[list[int]] = []
    for page in pages:
        if spans and page == spans[-1][1] + 1:
            spans[-1][1] = page
        else:
            spans.append([page, page])
    return ", ".join(f"{a}" if a == b else f"{a}-{b}" for a, b in spans)


def _plural(pages: list[int]) -> str:
    return f"page{'s' if len(pages) > 1 else ''} {_ranges(pages)}"


def _classify(state: _Pages, index: int, layer: LayerPage) -> None:
    text = layer.page.text
    chars = _visible(text)
    if _readable(text, chars):
        state.readable.add(index)
        if layer.image_share >= PARTIAL_IMAGE_SHARE and chars < PARTIAL_MAX_CHARS:
            state.partial.append(index)
    elif layer.image_share > 0.0 or text.strip():
        state.scans.append(index)


def _read_pages(document: pdfium.PdfDocument) -> _Pages:
    state = _Pages()
    for index in range(len(document)):
        try:
            page = document[index]
        except pdfium.PdfiumError:
            state.texts.append(PageText(text=""))
            state.layers.append(None)
            state.failed.append(index)
            continue
        try:
            layer = read_layer(page, index + 1)
            if layer.image_share >= PARTIAL_IMAGE_SHARE and _readable(layer.page.text):
                layer = read_layer(page, index + 1, every_word=True)
            state.texts.append(layer.page)
            state.layers.append(layer)
            _classify(state, index, layer)
        except pdfium.PdfiumError:
            state.texts.append(PageText(text=""))
            state.layers.append(None)
            state.failed.append(index)
        finally:
            page.close()
    return state


def _outside_layer(words: list[Word], layer: list[Word]) -> list[Word]:
    """OCR words whose centre falls in no text-layer word (the text layer wins)."""
    def covered(word: Word) -> bool:
        x, y = (word.x0 + word.x1) / 2, (word.top + word.bottom) / 2
        return any(w.x0 - 1 <= x <= w.x1 + 1 and w.top - 1 <= y <= w.bottom + 1 for w in layer)

    return [word for word in words if not covered(word)]


def _ocr(document: pdfium.PdfDocument, state: _Pages, name: str) -> None:
    """Read the scanned and partial pages by OCR, in place (one Tesseract run)."""
    wanted = sorted({*state.scans, *state.partial})
    if not wanted:
        return
    from extractor.ingest import ocr  # Tesseract and PIL: only for a page that needs them

    if ocr.ocr_missing() is not None:
        return
    images = []
    from extractor.ingest.limits import render_scale  # the pixel limit caps the render

    dpis: list[float] = []
    for index in wanted:
        page = document[index]
        try:
            scale = render_scale(page.get_width(), page.get_height(), ocr.OCR_DPI)
            images.append(page.render(scale=scale, grayscale=True).to_pil())
            dpis.append(scale * 72.0)
        finally:
            page.close()
    read = ocr.ocr_images(images, dpis, name)
    for index, page_ocr in zip(wanted, read, strict=True):
        layer = state.layers[index]
        words = page_ocr.words
        if index in state.partial and layer is not None:
            words = layer.words + _outside_layer(words, layer.words)
        size = layer.page.size if layer is not None else (page_ocr.width, page_ocr.height)
        page = page_from_words(words, index + 1, ocr=True, size=size)
        if index in state.partial and not looks_vietnamese(page.text):
            continue  # the text layer stands alone
        state.texts[index] = page if looks_vietnamese(page.text) else PageText(text="", ocr=True, size=size)
        if state.texts[index].text.strip():
            state.readable.add(index)
        elif index in state.scans:
            state.empty_ocr.append(index + 1)


def _with_tables(opened: bytes, state: _Pages) -> None:
    """Re-read with pdfplumber the text pages that look tabular (in place)."""
    pages = [i for i, layer in enumerate(state.layers)
             if layer is not None and layer.tabular and i in state.readable and not state.texts[i].ocr]
    if not pages:
        return
    try:
        replaced: set[int] = set()
        for index, page in tables_pages(opened, pages).items():
            if _readable(page.text):
                state.texts[index] = page
                replaced.add(index)
    except Exception:  # noqa: BLE001 - table layout is a refinement; the text layer stands
        return
    drop_repeated_headers(state.texts, replaced)


def _no_text_error(name: str, state: _Pages) -> IngestError:
    from extractor.ingest import ocr  # Tesseract and PIL: only for a page that needs them

    missing = ocr.ocr_missing()
    if state.scans and missing is not None:
        return IngestError(E_PDF_NO_TEXT, f"{name}: no text layer (scanned PDF?) and OCR cannot run: {missing}")
    if state.scans:
        return IngestError(E_PDF_NO_TEXT, f"{name}: no text found, even by OCR, on {_plural(state.empty_ocr)}")
    return IngestError(E_PDF_NO_TEXT, f"{name}: no text on any page and no image to OCR (blank PDF?)")


def _warnings(name: str, state: _Pages, damaged: bool) -> list[FileError]:
    total = len(state.texts)
    unread = [i + 1 for i in range(total) if i not in state.readable]
    out: list[FileError] = []
    if damaged:
        detail = f"; pages {_ranges(unread)} could not be read" if unread else ""
        message = f"{name}: the PDF is truncated or damaged; read {len(state.readable)} of {total} pages{detail}"
        out.append(FileError(code=W_PDF_PARTIAL, message=message))
    elif unread:
        out.append(_page_warning(name, state, unread))
    ocr_pages = [i + 1 for i, page in enumerate(state.texts) if page.ocr and page.text.strip()]
    if ocr_pages:
        from extractor.ingest import ocr

        message = (f"{name}: {_plural(ocr_pages)} read by OCR (Tesseract, {ocr.OCR_DPI} dpi); "
                   "check figures against the page")
        out.append(FileError(code=W_OCR_PAGES, message=message))
    return out


def _page_warning(name: str, state: _Pages, unread: list[int]) -> FileError:
    """W_PDF_PAGE_NO_TEXT naming the blank pages and those that could not be read."""
    from extractor.ingest import ocr  # Tesseract and PIL: only for a page that needs them

    missing = ocr.ocr_missing()
    scans = {i + 1 for i in state.scans}
    blank = [page for page in unread if page not in scans]
    unocr = [page for page in unread if page in scans]
    parts: list[str] = []
    if blank:
        parts.append(f"no text on {_plural(blank)}")
    if unocr and missing is not None:
        parts.append(f"{_plural(unocr)} need OCR, but {missing}")
    elif unocr:
        parts.append(f"no text found, even by OCR, on {_plural(unocr)}")
    return FileError(code=W_PDF_PAGE_NO_TEXT, message=f"{name}: {'; '.join(parts)}")


def _convert_legacy(name: str, pages: list[PageText], warnings: list[FileError]) -> None:
    legacy = legacy_in_unicode("\n".join(page.text for page in pages if not page.ocr))
    if legacy is None:
        return
    for index, page in enumerate(pages):
        if page.text and not page.ocr:
            text = convert_legacy(page.text, legacy)
            boxes = page.boxes if len(text) == len(page.text) else []
            pages[index] = PageText(text=text, boxes=boxes, size=page.size)
    message = f"{name}: legacy {LEGACY_NAMES[legacy]} encoding detected and converted to Unicode"
    warnings.append(FileError(code=W_LEGACY_ENCODING, message=message))


def read_pdf(path: Path) -> RawText:
    """A PDF's text, pages joined by "\\n", with page starts, word boxes and warnings."""
    name = path.name
    data = path.read_bytes()
    reason = not_pdf_reason(data)
    if reason is not None:
        raise IngestError(E_PDF_CORRUPT, f"{name}: not a readable PDF ({reason})")
    document, opened, repaired = open_pdf(data, name)
    try:
        state = _read_pages(document)
        _ocr(document, state, name)
    except pdfium.PdfiumError as exc:
        raise corrupt(name, str(exc)) from None
    finally:
        document.close()
    if not state.texts:
        raise corrupt(name, "the document has no pages")
    _with_tables(opened, state)
    unread = [i for i in range(len(state.texts)) if i not in state.readable]
    damaged = repaired or bool(state.failed) or (b"%%EOF" not in data[-2048:] and bool(unread))
    if not state.readable:
        if damaged:
            raise corrupt(name, "no page could be read")
        raise _no_text_error(name, state)
    warnings = _warnings(name, state, damaged)
    pages = [page if index in state.readable else PageText(text="", size=page.size)
             for index, page in enumerate(state.texts)]
    _convert_legacy(name, pages, warnings)
    return join_pages(pages, "pdf", warnings)
