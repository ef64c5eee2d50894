"""One PDF page's text layer through pypdfium2: its text, the boxes of its
words, and what the page is made of (drawn paths, images) so the reader can
decide between the text layer, a table re-read and OCR.

Boxes cost a call into pdfium per character looked up, so a plain text page
boxes only the words that hold a digit (every figure, date and document
number has one); a page that is merged with OCR boxes every word.
"""

from __future__ import annotations

import ctypes
import re
from dataclasses import dataclass
from bisect import bisect_left

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from extractor.ingest.layout import Word
from extractor.ingest.pages import PageText
from extractor.models import TextBox

TABLE_PATH_OBJECTS = 6
"""A page with at least this many path objects (rules, cell borders) is checked for tables."""

_DIGIT_WORD = re.compile(r"(?<!\S)[^\s\d]*\d\S*")
"""A word holding a digit (``re``, anchored at the word's start: twice as fast as a
scan that retries inside every digitless word)."""
_ANY_WORD = re.compile(r"\S+")
_RETURN = re.compile(r"\r(?=\n)")


@dataclass
class LayerPage:
    """What pdfium gives for one page."""

    page: PageText
    words: list[Word]
    """Every word with its box (filled only when asked for)."""
    tabular: bool
    image_share: float
    """Share of the page area covered by images (a scan is close to 1)."""


class _CharBoxes:
    """Character boxes of one text page, in PDF points with the origin top-left."""

    def __init__(self, textpage: pdfium.PdfTextPage, height: float) -> None:
        self._raw = textpage.raw
        self._height = height
        self._left, self._right, self._bottom, self._top = (ctypes.c_double() for _ in range(4))
        self._refs = tuple(ctypes.byref(value) for value in (self._left, self._right, self._bottom, self._top))
        self._get = pdfium_c.FPDFText_GetCharBox

    def box(self, index: int) -> tuple[float, float, float, float] | None:
        """(x0, top, x1, bottom) of character ``index``, None when pdfium has none."""
        if not self._get(self._raw, index, *self._refs):
            return None
        height = self._height
        return self._left.value, height - self._top.value, self._right.value, height - self._bottom.value

    def span(self, start: int, end: int) -> tuple[float, float, float, float] | None:
        """Union of the first and last character boxes of ``start``-``end``."""
        first = self.box(start)
        if end - 1 == start:
            return first
        last = self.box(end - 1)
        if first is None or last is None:
            return first or last
        return min(first[0], last[0]), min(first[1], last[1]), max(first[2], last[2]), max(first[3], last[3])


_MAX_DEPTH = 3
"""Levels of page objects looked at: the page's own and those in forms two deep."""


class _Drawn:
    """Path objects and image area of a page, in one walk of its objects by raw
    pdfium calls (what two ``get_objects(max_depth=3)`` walks gave, without a
    Python object per text object)."""

    def __init__(self, page: pdfium.PdfPage, width: float, height: float) -> None:
        self.paths = 0
        self._area = 0.0
        self._width, self._height = width, height
        self._bounds = [ctypes.c_float() for _ in range(4)]
        self._walk(page.raw, None, 0)
        self.image_share = min(1.0, self._area / max(1.0, width * height))

    def _walk(self, page: object, form: object | None, level: int) -> None:
        count = pdfium_c.FPDFFormObj_CountObjects(form) if form is not None else pdfium_c.FPDFPage_CountObjects(page)
        if count < 0:
            raise pdfium.PdfiumError("Failed to get number of pageobjects.")
        for i in range(count):
            raw = pdfium_c.FPDFFormObj_GetObject(form, i) if form is not None else pdfium_c.FPDFPage_GetObject(page, i)
            if not raw:
                raise pdfium.PdfiumError("Failed to get pageobject.")
            kind = pdfium_c.FPDFPageObj_GetType(raw)
            if kind == pdfium_c.FPDF_PAGEOBJ_PATH:
                self.paths += 1
            elif kind == pdfium_c.FPDF_PAGEOBJ_IMAGE:
                self._add_image(raw)
            elif kind == pdfium_c.FPDF_PAGEOBJ_FORM and level < _MAX_DEPTH - 1:
                self._walk(page, raw, level + 1)
            elif kind == pdfium_c.FPDF_PAGEOBJ_UNKNOWN:
                raise pdfium.PdfiumError("Failed to determine pageobject type.")

    def _add_image(self, raw: object) -> None:
        left, bottom, right, top = self._bounds
        if not pdfium_c.FPDFPageObj_GetBounds(raw, left, bottom, right, top):
            raise pdfium.PdfiumError("Failed to locate pageobject.")
        w = max(0.0, min(right.value, self._width) - max(left.value, 0.0))
        h = max(0.0, min(top.value, self._height) - max(bottom.value, 0.0))
        self._area += w * h


def read_layer(page: pdfium.PdfPage, number: int, *, every_word: bool = False) -> LayerPage:
    """Page ``number`` (1-based) as its text layer says, with word boxes."""
    width, height = page.get_size()
    textpage = page.get_textpage()
    try:
        original = str(textpage.get_text_range())
        boxes_of = _CharBoxes(textpage, height)
        returns = [m.start() for m in _RETURN.finditer(original)] if "\r" in original else []
        found = (_ANY_WORD if every_word else _DIGIT_WORD).finditer(original)
        boxes: list[TextBox] = []
        words: list[Word] = []
        for match in found:
            box = boxes_of.span(match.start(), match.end())
            if box is None:
                continue
            shift = bisect_left(returns, match.start())
            start, end = match.start() - shift, match.end() - shift
            boxes.append(TextBox(start, end, number, *box))
            if every_word:
                words.append(Word(match.group(), *box, None))
    finally:
        textpage.close()
    text = original.replace("\r\n", "\n").replace("\r", "\n").replace("\x02", "-")
    drawn = _Drawn(page, width, height)
    return LayerPage(
        page=PageText(text=text, boxes=boxes, size=(width, height)),
        words=words,
        tabular=drawn.paths >= TABLE_PATH_OBJECTS,
        image_share=drawn.image_share,
    )
