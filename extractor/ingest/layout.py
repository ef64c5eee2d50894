"""Page layout from positioned words: reading-order lines, and tables as rows of cells.

Both OCR (Tesseract word boxes) and born-digital pages read by word position
(pdfplumber ``extract_words``) give words with a box; this module turns them
into the page text the rest of bienche reads:

* ``lines_from_words`` groups words into lines: the page skew (a degree or two
  on a scan) is estimated from provisional lines and undone, then each word
  joins the line whose last word it overlaps vertically (by half the smaller
  height, so mixed font sizes stay together); words far apart on one baseline
  stay on one line. Words read left to right, lines top to bottom.
* ``detect_tables`` finds tables: a run of lines with large horizontal gaps whose
  empty x-intervals ("whitespace rivers") line up from row to row. Column
  boundaries come from the intervals no line of the block covers (or only one or
  two: a merged header cell, a "Tổng cộng" spanning two columns), each word run
  goes to the column its left edge lies in, a line holding words in one column
  only is a wrapped cell and joins the row above. A block needs three rows with
  two filled cells; a two-column block also needs numbers (a letter-head or a
  signature block is not a table).
* ``render`` writes table rows as "cell | cell" ("" for an empty cell) and other
  lines as words joined by one space, with every word's offsets in the text.

Coordinates are in any unit with y growing downwards (PDF points from the top,
image pixels). Words that are only rule glyphs ("|", "│": OCR'd cell borders)
and blank words are dropped.
"""

from __future__ import annotations

import math
from bisect import bisect_left
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from statistics import median
from typing import NamedTuple

import regex

_Box = tuple[float, float, float, float]  # x0, top, x1, bottom in deskewed coordinates
_Span = tuple[float, float]
_RULE_GLYPHS = frozenset("|│┃¦‖")
_NUMBER = regex.compile(r"[(\[]?[+\-−]?\d[\d.,]*%?[)\]]?")
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


def _box(word: Word, skew: float) -> _Box:
    """The word's box with the page rotated by ``-skew`` (its centre moves, its size stays)."""
    x0, x1 = min(word.x0, word.x1), max(word.x0, word.x1)
    top, bottom = min(word.top, word.bottom), max(word.top, word.bottom)
    half_w, half_h = (x1 - x0) / 2, max((bottom - top) / 2, 1e-6)
    cx, cy = x0 + half_w, top + half_h
    if skew:
        cos, sin = math.cos(skew), math.sin(skew)
        cx, cy = cx * cos + cy * sin, cy * cos - cx * sin
    return cx - half_w, cy - half_h, cx + half_w, cy + half_h


def _unit(boxes: Sequence[_Box]) -> float:
    return max(median(b[3] - b[1] for b in boxes), 1e-6)


def _best_line(box: _Box, candidates: Iterable[int], last: list[_Box]) -> int:
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


def _chain(boxes: Sequence[_Box]) -> list[list[int]]:
    """Word indexes grouped into lines: left to right, each word joins the line
    whose last words it overlaps vertically most (lines found via y buckets)."""
    unit = _unit(boxes)
    lines: list[list[int]] = []
    last: list[_Box] = []  # per line: the last word's x-range, the band of its last three words
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


def _band(group: Sequence[int], boxes: Sequence[_Box]) -> tuple[float, float, float, float]:
    """(x0, median top, x1, median bottom) of a group of words."""
    return (min(boxes[i][0] for i in group), median(boxes[i][1] for i in group),
            max(boxes[i][2] for i in group), median(boxes[i][3] for i in group))


def _apart(a: Sequence[int], b: Sequence[int], boxes: Sequence[_Box]) -> bool:
    """Whether no word of group ``a`` overlaps one of ``b`` horizontally (beyond a sliver)."""
    merged = sorted([(boxes[i], 0) for i in a] + [(boxes[i], 1) for i in b])
    for (left, ga), (right, gb) in zip(merged, merged[1:]):
        if ga != gb and left[2] - right[0] > 0.3 * min(left[2] - left[0], right[2] - right[0]):
            return False
    return True


def _merge_fragments(groups: list[list[int]], boxes: Sequence[_Box]) -> list[list[int]]:
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
    boxes = [_box(w, 0.0) for w in words]
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
    boxes = [_box(w, skew) for w in kept]
    out: list[LaidOutLine] = []
    for group in _merge_fragments(_chain(boxes), boxes):
        ordered = tuple(kept[i] for i in sorted(group, key=lambda k: boxes[k][0]))
        out.append(LaidOutLine(words=ordered, cells=(ordered,), skew=skew))
    return out


@dataclass
class _Geo:
    """A line's deskewed word boxes (left to right), its large gaps, and whether
    it reads as prose (evenly spaced words, as a justified line is)."""

    line: LaidOutLine
    boxes: list[_Box]
    gaps: list[_Span]
    prose: bool

    @property
    def centre(self) -> float:
        return median((b[1] + b[3]) / 2 for b in self.boxes)


def _geometry(line: LaidOutLine, big: float) -> _Geo:
    boxes = [_box(w, line.skew) for w in line.words]
    spaces: list[float] = []
    gaps: list[_Span] = []
    right = boxes[0][2]
    for box in boxes[1:]:
        spaces.append(box[0] - right)
        if box[0] - right >= big:
            gaps.append((right, box[0]))
        right = max(right, box[2])
    typical = median(spaces) if spaces else 0.0
    prose = len(spaces) >= 3 and typical < big and max(spaces) < 2.5 * max(typical, 0.0)
    return _Geo(line, boxes, gaps, prose)


def _free(span: _Span, boxes: Sequence[_Box]) -> list[_Span]:
    """The parts of ``span`` no box covers."""
    pieces: list[_Span] = []
    cursor, end = span
    for box in boxes:
        if box[2] <= cursor or box[0] >= end:
            continue
        if box[0] > cursor:
            pieces.append((cursor, box[0]))
        cursor = max(cursor, box[2])
    if cursor < end:
        pieces.append((cursor, end))
    return pieces


def _narrow(rivers: list[_Span], geo: _Geo, width: float) -> tuple[list[_Span], int]:
    """(the rivers narrowed to the line's free space, how many the line crosses)."""
    out: list[_Span] = []
    crossed = 0
    for river in rivers:
        pieces = [p for p in _free(river, geo.boxes) if p[1] - p[0] >= width]
        out += pieces or [river]
        crossed += not pieces
    return out, crossed


def _joins(geo: _Geo, above: _Geo, reach: float) -> bool:
    return not geo.line.is_row and not geo.prose and geo.centre - above.centre <= reach


def _extent(geos: Sequence[_Geo], start: int, width: float, reach: float) -> int:
    """End (exclusive) of the run of lines from ``start`` whose free space keeps
    the rivers of ``start``'s gaps open; a line may cross some if its own large
    gaps all fall on rivers (a merged header or total cell)."""
    rivers = list(geos[start].gaps)
    end = start + 1
    while end < len(geos) and _joins(geos[end], geos[end - 1], reach):
        narrowed, crossed = _narrow(rivers, geos[end], width)
        gaps = geos[end].gaps
        if crossed and (crossed == len(rivers) or not gaps
                        or not all(any(a < hi and lo < b for a, b in rivers) for lo, hi in gaps)):
            break
        rivers = narrowed
        end += 1
    return end


def _coverage(block: Sequence[_Geo]) -> list[tuple[float, float, int]]:
    """(x from, x to, how many lines have a word there) across the block's x-range."""
    events: list[tuple[float, int]] = []
    for geo in block:
        for box in geo.boxes:
            events += [(box[0], 1), (box[2], -1)]
    events.sort()
    runs: list[tuple[float, float, int]] = []
    count = 0
    for (x, step), (nxt, _) in zip(events, events[1:]):
        count += step
        if nxt > x:
            runs.append((x, nxt, count))
    return runs


def _rivers(block: Sequence[_Geo], width: float) -> list[_Span]:
    """Column boundaries: x-intervals at least ``width`` wide that no line covers,
    or, twice as wide, that only one or two lines cover (a merged header cell)
    while most lines have words on both sides."""
    runs = _coverage(block)
    found: list[_Span] = []
    for level in range(3):
        need = 2 if level == 0 else max(3, math.ceil(0.6 * (len(block) - level)))
        spans: list[_Span] = []
        for lo, hi, count in runs:
            if count > level:
                continue
            if spans and spans[-1][1] == lo:
                spans[-1] = (spans[-1][0], hi)
            else:
                spans.append((lo, hi))
        for lo, hi in spans:
            if hi - lo < width * (1 if level == 0 else 2) or any(a < hi and lo < b for a, b in found):
                continue
            support = sum(g.boxes[0][0] < lo and max(b[2] for b in g.boxes) > hi
                          and _free((lo, hi), g.boxes) == [(lo, hi)] for g in block)
            if support >= need:
                found.append((lo, hi))
    return sorted(found)


def _cells(geo: _Geo, mids: Sequence[float]) -> list[list[Word]]:
    """The line's words by column: a run of words starts a new cell after a river
    and goes to the column its left edge lies in."""
    cells: list[list[Word]] = [[] for _ in range(len(mids) + 1)]
    column, right = 0, -math.inf
    for box, word in zip(geo.boxes, geo.line.words):
        k = bisect_left(mids, right)
        if k < len(mids) and mids[k] <= box[0]:
            column = max(column, bisect_left(mids, box[0]))
        cells[column].append(word)
        right = max(right, box[2])
    return cells


def _filled(cells: Sequence[Sequence[Word]]) -> list[int]:
    return [i for i, cell in enumerate(cells) if cell]


def _rows(block: Sequence[_Geo], mids: Sequence[float]) -> list[list[list[Word]]]:
    """The block's rows; a line with words in one column only, below a row with
    that cell filled, is a wrapped cell (it starts in lower case, sits closer than
    rows do, or the table numbers its rows in the first column) and joins it."""
    split = [_cells(g, mids) for g in block]
    pitches = [b.centre - a.centre for a, b, ca, cb in zip(block, block[1:], split, split[1:])
               if len(_filled(ca)) > 1 and len(_filled(cb)) > 1]
    pitch = median(pitches) if pitches else 0.0
    multi = [c for c in split if len(_filled(c)) > 1]
    numbered = sum(bool(c[0]) for c in multi) >= 0.8 * len(multi)
    rows: list[list[list[Word]]] = []
    for i, cells in enumerate(split):
        filled = _filled(cells)
        if rows and len(filled) == 1 and rows[-1][filled[0]]:
            column = filled[0]
            first = cells[column][0].text[:1]
            close = block[i].centre - block[i - 1].centre < 0.8 * pitch
            if first.islower() or close or (numbered and column > 0):
                rows[-1][column] += cells[column]
                continue
        rows.append(cells)
    return rows


def _is_table(rows: Sequence[Sequence[Sequence[Word]]]) -> bool:
    """Three rows with two filled cells; with two columns, numbers in two rows."""
    if len(rows) < 3 or len(rows[0]) < 2 or sum(len(_filled(r)) > 1 for r in rows) < 3:
        return False
    if len(rows[0]) > 2:
        return True
    numeric = sum(any(_NUMBER.fullmatch(" ".join(w.text for w in c).replace(" ", "")) for c in r[1:]) for r in rows)
    return numeric >= 2


def _table_at(geos: Sequence[_Geo], start: int, width: float, reach: float) -> tuple[int, int, list[list[list[Word]]]]:
    """(first line, end line, rows) of the table starting at ``start``; no rows if none."""
    end = _extent(geos, start, width, reach)
    while end - start >= 3:
        block = geos[start:end]
        rows = _rows(block, [(a + b) / 2 for a, b in _rivers(block, width)])
        if len(_filled(rows[-1])) > 1:
            return start, end, rows if _is_table(rows) else []
        end -= 1  # a last line in one column: text under the table, or its wrapped last cell
    return start, end, []


def detect_tables(lines: Sequence[LaidOutLine]) -> list[LaidOutLine]:
    """``lines`` with each table found turned into rows (a wrapped cell's lines
    joined into its row); rows already in ``lines`` are kept as they are."""
    text = [line for line in lines if line.words]
    if len(text) < 3:
        return list(text)
    unit = median(abs(w.bottom - w.top) for line in text for w in line.words)
    spaces = [g for line in text for a, b in zip(line.words, line.words[1:]) if (g := b.x0 - a.x1) > 0]
    big = max(0.9 * unit, min(3 * median(spaces), 2 * unit)) if spaces else unit
    geos = [_geometry(line, big) for line in text]
    pitches = [b.centre - a.centre for a, b in zip(geos, geos[1:])]
    reach = max(2.2 * median(pitches), 3 * unit)
    out: list[LaidOutLine] = []
    tables = 0
    i = 0
    while i < len(geos):
        rows: list[list[list[Word]]] = []
        if geos[i].gaps and not geos[i].line.is_row and not geos[i].prose:
            _, end, rows = _table_at(geos, i, 0.5 * big, reach)
        if not rows:
            out.append(geos[i].line)
            i += 1
            continue
        for cells in rows:
            words = tuple(w for cell in cells for w in cell)
            out.append(LaidOutLine(words, tuple(tuple(c) for c in cells), tables, geos[i].line.skew))
        tables += 1
        i = end
    return out


def layout(words: Iterable[Word]) -> list[LaidOutLine]:
    """Lines of the page in reading order with its tables as rows: ``detect_tables(lines_from_words(words))``."""
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
