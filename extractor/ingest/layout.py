"""Page layout from positioned words: reading-order lines, and tables as rows of cells.

Both OCR (Tesseract word boxes) and born-digital pages read by word position
(pdfplumber ``extract_words``) give words with a box; this module turns them
into the page text the rest of bienche reads:

* ``lines_from_words`` groups words into lines: the page skew (a degree or two
  on a scan) is estimated from provisional lines and undone, then each word
  joins the line whose last words it overlaps vertically (by half the smaller
  height, so mixed font sizes stay together); pieces of one line that did not
  chain (overlapping boxes, ascender/descender-only words) are joined after.
  Words far apart on one baseline stay on one line. Words read left to right,
  lines top to bottom.
* ``detect_tables`` (in ``layout_tables``) turns tables, found from aligned
  columns, into rows with one cell per column; ``layout`` does both steps.
* ``render`` writes table rows as "cell | cell" ("" for an empty cell) and other
  lines as words joined by one space, with every word's offsets in the text.

Coordinates are in any unit with y growing downwards (PDF points from the top,
image pixels). Words that are only rule glyphs ("|", "│": OCR'd cell borders)
and blank words are dropped.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from statistics import median
from typing import NamedTuple

Box = tuple[float, float, float, float]
"""(x0, top, x1, bottom) of a word in deskewed coordinates."""
_RULE_GLYPHS = frozenset("|│┃¦‖")
MAX_SKEW = 0.1
"""Largest skew (radians, about 5.7°) that is undone; a larger estimate is taken as noise."""


@dataclass(frozen=True)
class Word:
    """One positioned word: its text, box (y grows downwards) and OCR confidence (0-100) if any."""

    text: str
    x0: float
    top: float
    x1: float
    bottom: float
    conf: float | None = None


@dataclass(frozen=True)
class LaidOutLine:
    """A line of the page: its words in text order and its cells.

    A text line has one cell holding all its words; a table row (``table`` is the
    table's index on the page) has one cell per column, ``()`` for an empty one,
    and may hold the words of a wrapped cell's further lines. ``skew`` is the page
    skew (radians) the line was grouped under."""

    words: tuple[Word, ...]
    cells: tuple[tuple[Word, ...], ...]
    table: int | None = None
    skew: float = 0.0

    @property
    def is_row(self) -> bool:
        """Whether the line is a table row."""
        return self.table is not None

    @property
    def bbox(self) -> tuple[float, float, float, float]:
        """(x0, top, x1, bottom) around the line's words, page coordinates."""
        ws = self.words
        return min(w.x0 for w in ws), min(w.top for w in ws), max(w.x1 for w in ws), max(w.bottom for w in ws)

    @property
    def text(self) -> str:
        """The line as ``render`` writes it."""
        return render([self])[0]


class WordSpan(NamedTuple):
    """Where ``render`` put a word: ``text[start:end] == word.text``, on output line ``line``."""

    word: Word
    start: int
    end: int
    line: int


def _kept(word: Word) -> bool:
    text = word.text.strip()
    return bool(text) and not set(text) <= _RULE_GLYPHS


def box_of(word: Word, skew: float) -> Box:
    """The word's box with the page rotated by ``-skew`` (its centre moves, its size stays)."""
    x0, x1 = min(word.x0, word.x1), max(word.x0, word.x1)
    top, bottom = min(word.top, word.bottom), max(word.top, word.bottom)
    half_w, half_h = (x1 - x0) / 2, max((bottom - top) / 2, 1e-6)
    cx, cy = x0 + half_w, top + half_h
    if skew:
        cos, sin = math.cos(skew), math.sin(skew)
        cx, cy = cx * cos + cy * sin, cy * cos - cx * sin
    return cx - half_w, cy - half_h, cx + half_w, cy + half_h


def _unit(boxes: Sequence[Box]) -> float:
    return max(median(b[3] - b[1] for b in boxes), 1e-6)


def _best_line(box: Box, candidates: Iterable[int], last: list[Box]) -> int:
    """The line (index) whose last words ``box`` continues best, or -1."""
    x0, top, x1, bottom = box
    best, best_score = -1, (0.0, 0.0)
    for line in candidates:
        lx0, ltop, lx1, lbottom = last[line]
        small = min(bottom - top, lbottom - ltop)
        overlap = (min(bottom, lbottom) - max(top, ltop)) / small
        if overlap < 0.5 or x0 < lx1 - 0.5 * min(x1 - x0, lx1 - lx0):
            continue
        score = (overlap, -abs(top + bottom - ltop - lbottom))
        if best < 0 or score > best_score:
            best, best_score = line, score
    return best


def _chain(boxes: Sequence[Box]) -> list[list[int]]:
    """Word indexes grouped into lines: left to right, each word joins the line
    whose last words it overlaps vertically most (lines found via y buckets)."""
    unit = _unit(boxes)
    lines: list[list[int]] = []
    last: list[Box] = []  # per line: the last word's x-range, the band of its last three words
    bucket_of: list[int] = []
    buckets: dict[int, list[int]] = {}
    for i in sorted(range(len(boxes)), key=lambda k: boxes[k][0]):
        box = boxes[i]
        key = math.floor((box[1] + box[3]) / 2 / unit)
        near = (line for k in range(key - 2, key + 3) for line in buckets.get(k, ()))
        line = _best_line(box, near, last)
        if line < 0:
            line = len(lines)
            lines.append([])
            last.append(box)
            bucket_of.append(key)
            buckets.setdefault(key, []).append(line)
        lines[line].append(i)
        recent = [boxes[k] for k in lines[line][-3:]]
        last[line] = (box[0], min(b[1] for b in recent), box[2], max(b[3] for b in recent))
        if bucket_of[line] != key:
            buckets[bucket_of[line]].remove(line)
            buckets.setdefault(key, []).append(line)
            bucket_of[line] = key
    return lines


def _band(group: Sequence[int], boxes: Sequence[Box]) -> tuple[float, float, float, float]:
    """(x0, median top, x1, median bottom) of a group of words."""
    return (min(boxes[i][0] for i in group), median(boxes[i][1] for i in group),
            max(boxes[i][2] for i in group), median(boxes[i][3] for i in group))


def _apart(a: Sequence[int], b: Sequence[int], boxes: Sequence[Box]) -> bool:
    """Whether no word of group ``a`` overlaps one of ``b`` horizontally (beyond a sliver)."""
    merged = sorted([(boxes[i], 0) for i in a] + [(boxes[i], 1) for i in b])
    for (left, ga), (right, gb) in zip(merged, merged[1:]):
        if ga != gb and left[2] - right[0] > 0.3 * min(left[2] - left[0], right[2] - right[0]):
            return False
    return True


def _merge_fragments(groups: list[list[int]], boxes: Sequence[Box]) -> list[list[int]]:
    """Groups sorted top to bottom, pieces of one line (same band, words side by side) joined."""
    bands = {id(g): _band(g, boxes) for g in groups}
    groups = sorted(groups, key=lambda g: bands[id(g)][1] + bands[id(g)][3])
    out: list[list[int]] = []
    for group in groups:
        _, top, _, bottom = bands[id(group)]
        for other in out[-3:]:
            _, otop, _, obottom = bands[id(other)]
            near = abs(top + bottom - otop - obottom) / 2 < 0.35 * max(bottom - top, obottom - otop)
            if near and _apart(group, other, boxes):
                other.extend(group)
                bands[id(other)] = _band(other, boxes)
                break
        else:
            out.append(group)
    return out


def estimate_skew(words: Sequence[Word]) -> float:
    """The page's skew in radians (positive: lines fall to the right), from provisional lines."""
    boxes = [box_of(w, 0.0) for w in words]
    if not boxes:
        return 0.0
    unit = _unit(boxes)
    slopes: list[float] = []
    for group in _chain(boxes):
        xs = [(boxes[i][0] + boxes[i][2]) / 2 for i in group]
        ys = [(boxes[i][1] + boxes[i][3]) / 2 for i in group]
        if len(group) < 3 or max(xs) - min(xs) < 8 * unit:
            continue
        mx, my = sum(xs) / len(xs), sum(ys) / len(ys)
        var = sum((x - mx) ** 2 for x in xs)
        slopes += [sum((x - mx) * (y - my) for x, y in zip(xs, ys)) / var] * len(group)
    angle = math.atan(median(slopes)) if slopes else 0.0
    return angle if 0.0005 < abs(angle) <= MAX_SKEW else 0.0


def lines_from_words(words: Iterable[Word]) -> list[LaidOutLine]:
    """The words grouped into lines in reading order, each line one cell."""
    kept = [w for w in words if _kept(w)]
    if not kept:
        return []
    skew = estimate_skew(kept)
    boxes = [box_of(w, skew) for w in kept]
    out: list[LaidOutLine] = []
    for group in _merge_fragments(_chain(boxes), boxes):
        ordered = tuple(kept[i] for i in sorted(group, key=lambda k: boxes[k][0]))
        out.append(LaidOutLine(words=ordered, cells=(ordered,), skew=skew))
    return out


def layout(words: Iterable[Word]) -> list[LaidOutLine]:
    """Lines of the page in reading order with its tables as rows:
    ``detect_tables(lines_from_words(words))``."""
    from extractor.ingest.layout_tables import detect_tables

    return detect_tables(lines_from_words(words))


def render(lines: Sequence[LaidOutLine]) -> tuple[str, list[WordSpan]]:
    """The text of ``lines`` joined by "\\n" (rows as "cell | cell", other lines
    as words joined by one space) and where each word landed, in text order."""
    parts: list[str] = []
    spans: list[WordSpan] = []
    pos = 0
    for number, line in enumerate(lines):
        if number:
            parts.append("\n")
            pos += 1
        cells = line.cells if line.is_row else (line.words,)
        for index, cell in enumerate(cells):
            if index:
                parts.append(" | ")
                pos += 3
            for k, word in enumerate(cell):
                if k:
                    parts.append(" ")
                    pos += 1
                parts.append(word.text)
                spans.append(WordSpan(word, pos, pos + len(word.text), number))
                pos += len(word.text)
    return "".join(parts), spans
