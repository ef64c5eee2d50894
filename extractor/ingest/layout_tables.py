"""Tables in laid-out lines: aligned columns of words become "cell | cell" rows.

A table is a run of lines whose large horizontal gaps line up: the run starts at
a line with a gap of at least ``big`` (about three spaces or one word height)
and goes on while each next line leaves the empty x-intervals of the run
("whitespace rivers") open; a line with gaps of its own that all fall on rivers
may cover some (a merged header cell, a total spanning two columns), and so may
a close line without gaps when the table goes on below it (a long wrapped
label). Evenly spaced lines (prose, a wrapped cell) count as covering their
whole width, so a justified paragraph never squeezes a river through its spaces.

The header is the lines before the first one holding a figure. Column
boundaries are the x-intervals no body line covers (or, twice as wide, only one
or two do: a total spanning two columns), a column only one line uses (a
centred "-") joins its neighbour, and a header gap beyond the body adds a column
only the header names ("Ghi chú"). Each run of words goes to the column right of
every river starting left of it. Wrapped cells: in a table numbered in its first
column each numbered line (or line with a figure) starts a row and owns the
lines up to the widest gap before the next one, all of them when the gaps are
even (cells set at the top); otherwise a line with words in one column only
joins the row below (nearer, its cell empty: a cell centred against a taller
one) or above (it starts in lower case, or sits closer than rows do).

A run is a table when it has three rows with two filled cells, and, with only
two columns, figures in two rows: a letter-head or a signature block set in two
columns is not a table.
"""

from __future__ import annotations

import math
from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass
from statistics import median

import regex

from extractor.ingest.layout import Box, LaidOutLine, Word, box_of

_Span = tuple[float, float]
_Cells = list[list[Word]]
_NUMBER = regex.compile(r"[(\[]?[+\-−]?\d[\d.,]*%?[)\]]?")
_YEAR = regex.compile(r"(?:19|20)\d\d")


@dataclass
class _Geo:
    """A line's deskewed word boxes (left to right), what it covers, its large
    gaps, and whether it reads as prose: words, mostly not figures, evenly spaced
    (by small spaces, or all stretched alike as on a justified line)."""

    line: LaidOutLine
    boxes: list[Box]
    cover: list[Box]  # the word boxes, or one box over an evenly spaced line
    gaps: list[_Span]
    prose: bool
    centre: float


def _geometry(line: LaidOutLine, big: float) -> _Geo:
    boxes = [box_of(w, line.skew) for w in line.words]
    spaces: list[float] = []
    gaps: list[_Span] = []
    right = boxes[0][2]
    for box in boxes[1:]:
        spaces.append(box[0] - right)
        if box[0] - right >= big:
            gaps.append((right, box[0]))
        right = max(right, box[2])
    typical = median(spaces) if spaces else 0.0
    if typical < big:
        even = len(spaces) >= 3 and max(spaces) < 2.5 * typical
    else:
        even = len(spaces) >= 3 and max(spaces) - min(spaces) < 0.2 * typical
    prose = even and sum(bool(_NUMBER.fullmatch(w.text)) for w in line.words) * 2 < len(line.words)
    cover = [(boxes[0][0], boxes[0][1], right, boxes[0][3])] if prose else boxes
    return _Geo(line, boxes, cover, [] if prose else gaps, prose, median((b[1] + b[3]) / 2 for b in boxes))


def _free(span: _Span, boxes: Sequence[Box]) -> list[_Span]:
    """The parts of ``span`` no box covers (boxes sorted by left edge)."""
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


def _extent(geos: Sequence[_Geo], start: int, width: float, pitch: float) -> int:
    """End (exclusive) of the run of lines from ``start`` that keep its rivers open.

    Lines more than ``2.2 * pitch`` apart end it. A line without large gaps may
    cover some rivers (a long wrapped label over a centred header's space) when
    it follows closely and a line after it, within three, keeps them open."""
    rivers = list(geos[start].gaps)
    end = kept = start + 1
    while end < len(geos) and end - kept < 3 and not geos[end].line.is_row:
        geo = geos[end]
        step = geo.centre - geos[end - 1].centre
        if step > 2.2 * pitch:
            break
        narrowed: list[_Span] = []
        crossed = 0
        for river in rivers:
            pieces = [p for p in _free(river, geo.cover) if p[1] - p[0] >= width]
            narrowed += pieces or [river]
            crossed += not pieces
        on_rivers = all(any(a < hi and lo < b for a, b in rivers) for lo, hi in geo.gaps)
        loose = (geo.gaps and not on_rivers) or (not geo.gaps and step > 1.1 * pitch)
        if crossed and (crossed == len(rivers) or loose):
            break
        if crossed and not geo.gaps:
            end += 1  # on trial: kept only if the table goes on below it
            continue
        rivers = narrowed
        end = kept = end + 1
    return kept


def _coverage(block: Sequence[_Geo]) -> list[tuple[float, float, int]]:
    """(x from, x to, how many words cover it) across the block's x-range."""
    events = sorted(e for geo in block for box in geo.cover for e in ((box[0], 1), (box[2], -1)))
    runs: list[tuple[float, float, int]] = []
    count = 0
    for (x, step), (nxt, _) in zip(events, events[1:]):
        count += step
        if nxt > x:
            runs.append((x, nxt, count))
    return runs


def _rivers(body: Sequence[_Geo], width: float, block: Sequence[_Geo]) -> list[_Span]:
    """Column boundaries: x-intervals at least ``width`` wide that no line of the
    body covers (and a line of the block has words on both sides of), or, twice
    as wide, that only one or two cover while most lines have words on both sides."""
    runs = _coverage(body)
    found: list[_Span] = []
    for level in range(3):
        spans: list[_Span] = []
        for lo, hi, count in runs:
            if count > level:
                continue
            if spans and spans[-1][1] == lo:
                spans[-1] = (spans[-1][0], hi)
            else:
                spans.append((lo, hi))
        for lo, hi in spans:
            wide = hi - lo >= 2 * width
            if hi - lo < width or (level and not wide) or any(a < hi and lo < b for a, b in found):
                continue
            support = sum(g.cover[0][0] < lo and g.cover[-1][2] > hi and _free((lo, hi), g.cover) == [(lo, hi)]
                          for g in block)
            need = 1 if level == 0 else max(3, math.ceil(0.6 * (len(body) - level)))
            if support >= need:
                found.append((lo, hi))
    return sorted(found)


def _header_lines(block: Sequence[_Geo]) -> int:
    """How many lines head the block before its first line holding a figure (not
    a year, not a column number "(3)"); 0 when none does within ten lines."""
    for k, geo in enumerate(block[:10]):
        if any(_NUMBER.fullmatch(w.text) and not _YEAR.fullmatch(w.text) and not w.text.startswith("(")
               for w in geo.line.words):
            return k if k < len(block) - 2 else 0
    return 0


def _columns(block: Sequence[_Geo], width: float, head: int) -> list[_Span]:
    """The block's rivers: from its body lines (below ``head`` header lines),
    less one side of a column only one line uses (a centred "-"), plus a
    header's gaps beyond the body (a column only the header names, "Ghi chú")."""
    body = block[head:]
    rivers = _rivers(body, width, block)
    k = 1
    while k < len(rivers):
        lo, hi = rivers[k - 1][1], rivers[k][0]
        if sum(any(b[2] > lo and b[0] < hi for b in g.cover) for g in body) <= 1:
            del rivers[k if rivers[k][1] - rivers[k][0] < rivers[k - 1][1] - rivers[k - 1][0] else k - 1]
        else:
            k += 1
    left, right = min(g.cover[0][0] for g in body), max(g.cover[-1][2] for g in body)
    for geo in block[:head]:
        for a, b in geo.gaps:
            if any(x < b and a < y for x, y in rivers):
                continue
            if b > right + width:
                rivers.append((max(a, right), b))
            elif a < left - width:
                rivers.append((a, min(b, left)))
    return sorted(rivers)


def _cells(geo: _Geo, rivers: Sequence[_Span], width: float) -> _Cells:
    """The line's words by column: a new run of words starts after a river's
    middle or, on a line of the header, after any gap of ``width``; it goes to
    the column right of every river starting left of it (so a header word set
    over the space before right-aligned figures goes to their column)."""
    mids = [(a + b) / 2 for a, b in rivers]
    starts = [a for a, _ in rivers]
    cells: _Cells = [[] for _ in range(len(rivers) + 1)]
    column, right = 0, -math.inf
    for box, word in zip(geo.boxes, geo.line.words):
        k = bisect_left(mids, right)
        if (k < len(mids) and mids[k] <= box[0]) or box[0] - right >= width:
            column = max(column, bisect_left(starts, box[0]))
        cells[column].append(word)
        right = max(right, box[2])
    return cells


def _filled(cells: Sequence[Sequence[Word]]) -> list[int]:
    return [i for i, cell in enumerate(cells) if cell]


@dataclass
class _Row:
    cells: _Cells
    first: int  # index of its first and last line in the block
    last: int


def _is_figure(cell: Sequence[Word]) -> bool:
    text = "".join(w.text for w in cell)
    return bool(_NUMBER.fullmatch(text)) and not _YEAR.fullmatch(text) and not text.startswith("(")


def _wrapped_rows(split: Sequence[_Cells], centres: Sequence[float]) -> list[_Row]:
    """Rows where a line in one column only joins the row below (nearer, its cell
    empty) or above (lower case start, or closer than rows are)."""
    pitches = [b - a for a, b, ca, cb in zip(centres, centres[1:], split, split[1:])
               if len(_filled(ca)) > 1 and len(_filled(cb)) > 1]
    pitch = median(pitches) if pitches else 0.0
    rows: list[_Row] = []
    carry: list[Word] = []
    for i, cells in enumerate(split):
        filled = _filled(cells)
        if len(filled) == 1 and not carry:
            column = filled[0]
            above = centres[i] - centres[i - 1] if i else math.inf
            below = centres[i + 1] - centres[i] if i + 1 < len(split) else math.inf
            if below < 0.8 * above and not split[i + 1][column] and _filled(split[i + 1]):
                carry = cells[column]
                continue
            lower = cells[column][0].text[:1].islower()
            if rows and rows[-1].cells[column] and (lower or above < 0.8 * pitch):
                rows[-1].cells[column] += cells[column]
                rows[-1].last = i
                continue
        if carry:
            column = _filled(split[i - 1])[0]
            cells[column] = carry + cells[column]
        rows.append(_Row(cells, i - 1 if carry else i, i))
        carry = []
    return rows


def _owners(split: Sequence[_Cells], centres: Sequence[float], anchors: list[int]) -> list[int]:
    """For each line from the first numbered row on, the line that starts its row:
    a numbered row owns the lines up to the widest gap before the next one (all
    of them when the gaps are even: cells set at the top), and the line just
    above it when that one hugs it (a cell centred against a taller one)."""
    owner = list(range(len(split)))
    first = anchors[0]
    above = first  # lines above the first numbered row, below the widest gap, are its own when
    # its label is not on its numbered line
    while above > max(0, first - 3) and not split[above - 1][0] and not any(_is_figure(c) for c in split[above - 1]):
        above -= 1
    gaps = [centres[k + 1] - centres[k] for k in range(max(0, above - 1), first)]
    centred = len(split[first]) > 1 and not split[first][1]
    if centred and above < first and len(gaps) > 1 and max(gaps) > 1.5 * min(gaps):
        for k in range(max(0, above - 1) + gaps.index(max(gaps)) + 1, first):
            owner[k] = first
    spacing = [centres[b] - centres[a] for a, b in zip(anchors, anchors[1:])]
    pitch = median(spacing) if spacing else math.inf
    for a, b in zip(anchors, [*anchors[1:], len(split)]):
        if b == len(split):  # after the last numbered row: its wrapped lines, while they stay close
            cut = a
            while cut + 1 < b and centres[cut + 1] - centres[cut] < 0.8 * pitch:
                cut += 1
        else:
            gaps = [centres[k + 1] - centres[k] for k in range(a, b)]
            cut = a + gaps.index(max(gaps)) if max(gaps) > 1.5 * min(gaps) else b - 1
        for k in range(a + 1, b):
            owner[k] = a if k <= cut else b if b < len(split) else k
    return owner


def _rows(block: Sequence[_Geo], width: float) -> list[_Row]:
    """The block's rows, each line of a wrapped cell joined to its row; a table
    numbered in its first column groups lines by row number (``_owners``)."""
    head = _header_lines(block)
    rivers = _columns(block, width, head)
    split = [_cells(g, rivers, width) for g in block]
    centres = [g.centre for g in block]
    figures = [i for i in range(head, len(split)) if any(_is_figure(c) for c in split[i])]
    numbered = len(figures) >= 2 and sum(bool(split[i][0]) for i in figures) >= 0.6 * len(figures)
    anchors = [i for i in range(head, len(split)) if split[i][0] or i in figures]
    if not numbered or not anchors:
        return _wrapped_rows(split, centres)
    owner = _owners(split, centres, anchors)
    body = min(i for i in range(len(split)) if owner[i] >= anchors[0])
    rows = _wrapped_rows(split[:body], centres[:body])
    grouped: dict[int, _Row] = {}
    for i in range(body, len(split)):
        row = grouped.setdefault(owner[i], _Row([[] for _ in split[i]], i, i))
        for column, words in enumerate(split[i]):
            row.cells[column] += words
        row.last = i
    return rows + sorted(grouped.values(), key=lambda r: r.first)


def _is_table(rows: Sequence[_Row]) -> bool:
    """Three rows with two filled cells; with two columns, numbers in two rows."""
    if len(rows) < 3 or len(rows[0].cells) < 2 or sum(len(_filled(r.cells)) > 1 for r in rows) < 3:
        return False
    if len(rows[0].cells) > 2:
        return True
    numeric = sum(any(_NUMBER.fullmatch("".join(w.text for w in c)) for c in r.cells[1:]) for r in rows)
    return numeric >= 2


def _table_at(geos: Sequence[_Geo], start: int, width: float, pitch: float) -> tuple[int, int, list[_Row]]:
    """(first line, end line, rows) of the table found from line ``start``; no rows if none.

    Rows with one filled cell at either end are left out (text around the table)."""
    end = _extent(geos, start, width, pitch)
    for attempt in range(2):
        block = geos[start:end]
        rows = _rows(block, width)
        kept = [k for k, row in enumerate(rows) if len(_filled(row.cells)) > 1]
        if not kept:
            break
        first, last = start + rows[kept[0]].first, start + rows[kept[-1]].last + 1
        if attempt or (first, last) == (start, end):
            rows = rows[kept[0]:kept[-1] + 1]
            return first, last, rows if _is_table(rows) else []
        start, end = first, last  # columns again without the text around the table
    return start, end, []


def _page_scale(lines: Sequence[LaidOutLine]) -> tuple[float, float]:
    """(a large gap: about three spaces or one word height, the usual distance between lines)."""
    unit = median(abs(w.bottom - w.top) for line in lines for w in line.words)
    spaces = [g for line in lines for a, b in zip(line.words, line.words[1:]) if (g := b.x0 - a.x1) > 0]
    big = max(0.9 * unit, min(3 * median(spaces), 2 * unit)) if spaces else unit
    centres = [median((w.top + w.bottom) / 2 for w in line.words) for line in lines]
    pitches = [abs(b - a) for a, b in zip(centres, centres[1:])]
    return big, max(median(pitches), 1.4 * unit)


def detect_tables(lines: Sequence[LaidOutLine]) -> list[LaidOutLine]:
    """``lines`` (as ``lines_from_words`` gives them) with each table found turned
    into rows, a wrapped cell's lines joined into its row; rows already in
    ``lines`` are kept as they are."""
    text = [line for line in lines if line.words]
    if len(text) < 3:
        return list(text)
    big, pitch = _page_scale(text)
    geos = [_geometry(line, big) for line in text]
    out: list[LaidOutLine] = []
    tables = 0
    i = 0
    while i < len(geos):
        rows: list[_Row] = []
        first = end = i
        if geos[i].gaps and not geos[i].line.is_row:
            first, end, rows = _table_at(geos, i, 0.5 * big, pitch)
        if not rows:
            out.append(geos[i].line)
            i += 1
            continue
        out += [geo.line for geo in geos[i:first]]
        for row in rows:
            words = tuple(w for cell in row.cells for w in cell)
            out.append(LaidOutLine(words, tuple(tuple(c) for c in row.cells), tables, geos[i].line.skew))
        tables += 1
        i = end
    return out
