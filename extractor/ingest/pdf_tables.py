"""Ruled PDF tables through pdfplumber: table rows become lines "cell | cell" at
the table's place, with a box per cell; the text around the tables comes from
pdfplumber too (with a box per word), so nothing is read twice.

One cell per grid column: a merged cell's text sits in its first column and
"" in the positions it covers; a wrapped cell's lines are joined by a space.
Header rows repeated at the top of a page that continues a table are dropped.
"""

from __future__ import annotations

import io
import logging
from typing import Any

from extractor.ingest.pages import PageText
from extractor.models import TextBox

Box = tuple[float, float, float, float]


def _cell(value: str | None) -> str:
    """A table cell on one line; "" for a grid position covered by a merged cell (None)."""
    return " ".join((value or "").split())


def _line_boxes(line: dict[str, Any], start: int, page: int) -> list[TextBox]:
    """Boxes of the words of one pdfplumber text line whose text starts at ``start``."""
    text = str(line["text"])
    chars = [c for c in line.get("chars", []) if str(c.get("text", "")).strip()]
    boxes: list[TextBox] = []
    pointer = 0
    word_start: int | None = None
    word_box: list[float] = []
    for index, char in enumerate(text + " "):
        if char.isspace():
            if word_start is not None and word_box:
                boxes.append(TextBox(start + word_start, start + index, page, *word_box))
            word_start, word_box = None, []
            continue
        if word_start is None:
            word_start = index
        if pointer < len(chars):
            c = chars[pointer]
            pointer += 1
            edges = [float(c["x0"]), float(c["top"]), float(c["x1"]), float(c["bottom"])]
            word_box = edges if not word_box else [
                min(word_box[0], edges[0]), min(word_box[1], edges[1]),
                max(word_box[2], edges[2]), max(word_box[3], edges[3]),
            ]
    return boxes


def _outside(boxes: list[Box]) -> Any:
    def keep(obj: dict[str, object]) -> bool:
        if obj.get("object_type") != "char":
            return True
        x = (float(str(obj["x0"])) + float(str(obj["x1"]))) / 2
        y = (float(str(obj["top"])) + float(str(obj["bottom"]))) / 2
        return not any(x0 <= x <= x1 and top <= y <= bottom for x0, top, x1, bottom in boxes)

    return keep


def _row_items(table: Any) -> list[tuple[float, int, list[tuple[str, Box | None]]]]:
    items: list[tuple[float, int, list[tuple[str, Box | None]]]] = []
    rows = table.rows
    for order, texts in enumerate(table.extract(), start=1):
        cells = [_cell(value) for value in texts]  # None: covered by a merged cell
        if not any(cells):
            continue
        grid = rows[order - 1].cells if order - 1 < len(rows) else []
        boxes = [grid[i] if i < len(grid) else None for i in range(len(cells))]
        items.append((float(table.bbox[1]), order, list(zip(cells, boxes, strict=True))))
    return items


def _page_text(page: Any, number: int) -> PageText | None:
    tables = page.find_tables()
    if not tables:
        return None
    items: list[tuple[float, int, list[tuple[str, Box | None]] | dict[str, Any]]] = []
    for line in page.filter(_outside([t.bbox for t in tables])).extract_text_lines():
        items.append((float(line["top"]), 0, line))
    for table in tables:
        items.extend(_row_items(table))
    items.sort(key=lambda item: (item[0], item[1]))
    parts: list[str] = []
    boxes: list[TextBox] = []
    offset = 0
    for _, _, item in items:
        if isinstance(item, dict):
            line_text = str(item["text"])
            boxes.extend(_line_boxes(item, offset, number))
        else:
            pieces: list[str] = []
            cursor = offset
            for text, box in item:
                if text and box is not None:
                    boxes.append(TextBox(cursor, cursor + len(text), number, *box))
                pieces.append(text)
                cursor += len(text) + 3
            line_text = " | ".join(pieces)
        parts.append(line_text)
        offset += len(line_text) + 1
    size = (float(page.width), float(page.height))
    return PageText(text="\n".join(parts), boxes=boxes, size=size)


def tables_pages(data: bytes, page_indexes: list[int]) -> dict[int, PageText]:
    """0-based page index -> the page re-read with its tables as "cell | cell"
    lines, for the pages where pdfplumber finds a table; other pages are left out."""
    import pdfplumber

    quiet = logging.getLogger("pdfminer")
    if quiet.level == logging.NOTSET:
        quiet.setLevel(logging.ERROR)  # damaged streams are reported by our own warnings
    found: dict[int, PageText] = {}
    with pdfplumber.open(io.BytesIO(data), pages=[i + 1 for i in page_indexes]) as pdf:
        for page in pdf.pages:
            read = _page_text(page, page.page_number)
            if read is not None:
                found[page.page_number - 1] = read
    return found


def _is_row(line: str) -> bool:
    return " | " in f" {line} "


def repeated_header(previous: str, page: str) -> int:
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


def drop_repeated_headers(pages: list[PageText], indexes: set[int]) -> None:
    """Remove, in place, header rows repeated at the top of a continuation page,
    so a table broken over pages reads as one (pages in ``indexes`` only)."""
    drops = {i: repeated_header(pages[i - 1].text, pages[i].text) for i in sorted(indexes) if i - 1 in indexes}
    for index, count in drops.items():
        pages[index] = pages[index].without_first_lines(count)
