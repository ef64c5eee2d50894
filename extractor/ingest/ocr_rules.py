"""Table rules and dust taken out of a page image before OCR (``clean_page``).

Tesseract's page analysis (``--psm 3``) takes a ruled grid for a picture: the
text in its cells is lost or read as one column. ``remove_rules`` paints the
long thin dark strokes of a page (cell borders, rules, underlines at least
``RULE_INCHES`` long) in the paper's grey, so the cells read as text set in
columns, which the layout then finds as a table. A stroke is found as a run of
dark pixels along a row (or column) once each pixel is widened by a pixel or
two across the stroke, so a rule on a page skewed by a few degrees still
reads as one run; letters are shorter than a rule and a solid dark area (a
photo, a black bar) is thicker than one, so both stay.

``remove_specks`` paints out dust: a dot of ink with no other ink near it
(``SPECK_INCHES``). Tesseract joins a speck to the figure beside it in a cell
and misreads both ("31" as "s2 gi"); a full stop, a decimal point or a
diacritic sits closer to its letters than that, and stays.

Every step is a logical operation on whole boolean masks shifted by a few pixels:
a window of ``n`` pixels takes about log2(n) shifts (each span doubled), so a
300-dpi page is cleaned in a few tenths of a second; a page without a run as long
as a rule skips the rest of the rule search.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray
from PIL import Image

Mask = NDArray[np.bool_]

RULE_INCHES = 0.25
"""Shortest stroke (inches) taken for a rule: longer than any letter is tall."""
SPECK_INCHES = (1 / 60, 1 / 15)
"""A speck: ink within a square of the first size (inches, across) with no other
ink within the second (about 1.7 mm) around it."""
INK_SHARE = 0.6
"""A pixel darker than this share of the paper's grey is ink."""
THICK_INCHES = 1 / 16
"""Strokes thicker than this (inches, about 1.6 mm) are not rules (a dark area)."""


def _first(mask: Mask, axis: int) -> Mask:
    """A view of ``mask`` with ``axis`` first (no copy), so one slice works for either axis."""
    return mask if axis == 0 else mask.T


def _spread(mask: Mask, width: int, axis: int, backward: bool) -> Mask:
    """For each pixel, whether ``mask`` is set on one of the ``width`` pixels from it on
    along ``axis`` (``backward``: the ``width`` pixels up to it); outside is unset.
    Two buffers take turns, so no step reads what it writes."""
    out, spare = mask.copy(), np.empty_like(mask)
    span = 1
    while span < width:
        step = min(span, width - span)
        now, then = _first(out, axis), _first(spare, axis)
        if backward:
            np.logical_or(now[step:], now[:-step], out=then[step:])
            then[:step] = now[:step]
        else:
            np.logical_or(now[:-step], now[step:], out=then[:-step])
            then[-step:] = now[-step:]
        out, spare = spare, out
        span += step
    return out


def _shift(mask: Mask, by: int, axis: int) -> Mask:
    """``mask`` moved so that each pixel holds the value ``by`` pixels further along ``axis``."""
    if by == 0:
        return mask
    out = np.zeros_like(mask)
    moved, source = _first(out, axis), _first(mask, axis)
    if by > 0:
        moved[:-by] = source[by:]
    else:
        moved[-by:] = source[:by]
    return out


def _any_within(mask: Mask, low: int, high: int, axis: int) -> Mask:
    """For each pixel, whether ``mask`` is set at some offset in ``low..high`` (pixels,
    both included) from it along ``axis``; outside the page counts as unset."""
    if low >= 0:
        return _shift(_spread(mask, high - low + 1, axis, False), low, axis)
    if high <= 0:
        return _shift(_spread(mask, high - low + 1, axis, True), high, axis)
    return _spread(_spread(mask, high + 1, axis, False), 1 - low, axis, True)


def _long_runs(mask: Mask, length: int, axis: int) -> Mask:
    """Pixels of ``mask`` inside a run of at least ``length`` set pixels along ``axis``."""
    if mask.shape[axis] < length:
        return np.zeros_like(mask)
    starts, spare = mask.copy(), np.empty_like(mask)
    span = 1  # starts[i] = all(mask[i:i + span]) along the axis
    while span < length:
        step = min(span, length - span)
        now, then = _first(starts, axis), _first(spare, axis)
        np.logical_and(now[:-step], now[step:], out=then[:-step])
        then[-step:] = False
        starts, spare = spare, starts
        span += step
    if not starts.any():
        return starts
    return _any_within(starts, 1 - length, 0, axis)


def _widen(mask: Mask, by: int, axis: int) -> Mask:
    """``mask`` grown by ``by`` pixels both ways along ``axis``."""
    return _any_within(mask, -by, by, axis)


def _strokes(dark: Mask, length: int, slack: int, thick: int, axis: int) -> Mask:
    """Dark pixels on strokes along ``axis`` (1: across the page, 0: down) no thicker than ``thick``."""
    side = 1 - axis  # across the stroke
    along = _long_runs(_widen(dark, slack, side), length, axis) & dark
    if not along.any():
        return along
    solid = _long_runs(along, thick, side)  # across the stroke: thicker than a rule
    if not solid.any():
        return along
    return along & ~_widen(solid, thick, side)


def _paper(pixels: NDArray[np.uint8]) -> int:
    """The median grey of a page (``int(np.median)``, from a histogram: no sort)."""
    counts = np.cumsum(Image.fromarray(pixels).histogram())
    total = int(counts[-1])
    low = int(np.searchsorted(counts, (total - 1) // 2, side="right"))
    high = int(np.searchsorted(counts, total // 2, side="right"))
    return (low + high) // 2


def _ink(pixels: NDArray[np.uint8]) -> tuple[Mask, int] | None:
    """The dark pixels of a greyscale page (under ``INK_SHARE`` of its paper's grey,
    the median: most of a page is paper) and that grey; None for a dark page."""
    paper = _paper(pixels)
    if paper < 96:  # a dark page or a photo: nothing is taken out
        return None
    return pixels < INK_SHARE * paper, paper


def speck_mask(dark: Mask, dpi: float) -> Mask:
    """The pixels of ``dark`` on specks: small dots with no other ink near them
    (nothing dark in the ring between the small square around a pixel and the
    clear one), and the small square around each."""
    small, clear = (max(1, round(dpi * inches / 2)) for inches in SPECK_INCHES)
    if clear <= small:
        return np.zeros_like(dark)
    rows = _widen(dark, clear, 1)  # ink within ``clear`` along the row
    ring = _any_within(rows, -clear, -small - 1, 0) | _any_within(rows, small + 1, clear, 0)
    del rows
    columns = _widen(dark, small, 0)
    ring |= _any_within(columns, -clear, -small - 1, 1)
    ring |= _any_within(columns, small + 1, clear, 1)
    alone = dark & ~ring
    if not alone.any():
        return alone
    return _widen(_widen(alone, small, 0), small, 1)


def rule_mask(image: Image.Image, dpi: float) -> Mask:
    """The pixels of ``image`` (any mode) on rules: long thin dark strokes, across or down."""
    found = _ink(np.asarray(image.convert("L")))
    if found is None:
        return np.zeros((image.height, image.width), np.bool_)
    return _rules(found[0], dpi)


def _rules(dark: Mask, dpi: float) -> Mask:
    length = max(8, round(dpi * RULE_INCHES))
    slack = max(1, round(dpi / 150))
    thick = max(3, round(dpi * THICK_INCHES))
    return _strokes(dark, length, slack, thick, 1) | _strokes(dark, length, slack, thick, 0)


def clean_page(image: Image.Image, dpi: float) -> Image.Image:
    """A greyscale copy of ``image`` with its rules and specks painted in the
    paper's grey (the greyscale image itself when it has neither)."""
    grey = image.convert("L")
    pixels = np.array(grey)
    found = _ink(pixels)
    if found is None:
        return grey
    dark, paper = found
    rules = _rules(dark, dpi)
    if rules.any():
        rules = _widen(_widen(rules, 1, 0), 1, 1)  # the rule's anti-aliased edge
        dark &= ~rules
        paint = rules | speck_mask(dark, dpi)
    else:
        paint = speck_mask(dark, dpi)
    if not paint.any():
        return grey
    np.putmask(pixels, paint & (pixels < paper), np.uint8(paper))
    return Image.fromarray(pixels)
