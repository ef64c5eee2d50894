"""One page's text with the boxes of its words, and pages joined into one text.

Every paged reader (PDF text layer, pdfplumber tables, OCR of scans and
images) produces ``PageText``: the page's text and, for the words it can
place, a ``TextBox`` in offsets into that text. ``join_pages`` joins them with
"\\n" into the ``RawText`` of the file, shifting every box to file offsets.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from extractor.ingest.layout import Word, layout, render
from extractor.models import FileError, RawText, TextBox


@dataclass
class PageText:
    """A page's text, the boxes of its words (offsets into ``text``) and how it was read."""

    text: str
    boxes: list[TextBox] = field(default_factory=list)
    ocr: bool = False
    size: tuple[float, float] = (0.0, 0.0)

    def without_first_lines(self, count: int) -> PageText:
        """The page with its first ``count`` lines removed (a repeated table header)."""
        if count <= 0:
            return self
        lines = self.text.split("\n")
        cut = sum(len(line) + 1 for line in lines[:count])
        kept = [box._replace(start=box.start - cut, end=box.end - cut) for box in self.boxes if box.start >= cut]
        return PageText(text="\n".join(lines[count:]), boxes=kept, ocr=self.ocr, size=self.size)


def page_from_words(words: Iterable[Word], page: int, *, ocr: bool, size: tuple[float, float]) -> PageText:
    """A page laid out from positioned words: reading-order lines, aligned columns
    as "cell | cell" rows, and one box per word (with its OCR confidence)."""
    text, spans = render(layout(words))
    boxes = [
        TextBox(span.start, span.end, page, span.word.x0, span.word.top, span.word.x1, span.word.bottom, span.word.conf)
        for span in spans
    ]
    boxes.sort(key=lambda box: box.start)
    return PageText(text=text, boxes=boxes, ocr=ocr, size=size)


def join_pages(pages: list[PageText], fmt: str, warnings: list[FileError]) -> RawText:
    """The file's ``RawText``: pages joined by "\\n", page starts, boxes in file offsets."""
    page_starts: list[int] = []
    boxes: list[TextBox] = []
    offset = 0
    for page in pages:
        page_starts.append(offset)
        boxes.extend(box._replace(start=box.start + offset, end=box.end + offset) for box in page.boxes)
        offset += len(page.text) + 1
    return RawText(
        text="\n".join(page.text for page in pages),
        format=fmt,
        page_starts=page_starts,
        warnings=warnings,
        boxes=boxes,
        page_sizes=[page.size for page in pages],
        ocr_pages=[index + 1 for index, page in enumerate(pages) if page.ocr],
    )
