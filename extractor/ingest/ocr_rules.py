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
SHIFT_WIDEN = 3
"""Up to this many pixels a mask is widened by shifting it; further, by running sums."""
THICK_INCHES = 1 / 16
"""Strokes thicker than this (inches, about 1.6 mm) are not rules (a dark area)."""


def _long_runs(mask: Mask, length: int) -> Mask:
    """Pixels of ``mask`` inside a run of at least ``length`` along axis 1 (slices of
    running sums only: a fancy-indexed gather over a 300-dpi page costs seconds)."""
    height, width = mask.shape
    if width < length:
        return np.zeros_like(mask)
    sums = np.zeros((height, width + 1), np.int32)
    np.cumsum(mask, axis=1, out=sums[:, 1:])
    full = np.zeros((height, width), np.int32)  # a full run of ``length`` starts here
    full[:, :width - length + 1] = (sums[:, length:] - sums[:, :-length]) >= length
    starts = np.zeros((height, width + 1), np.int32)
    np.cumsum(full, axis=1, out=starts[:, 1:])
    behind = np.zeros((height, width), np.int32)  # starts up to ``length`` before each pixel
    behind[:, length - 1:] = starts[:, :width - length + 1]
    covered: Mask = (starts[:, 1:] - behind) > 0
    return covered


def _widen(mask: Mask, by: int, axis: int) -> Mask:
    """``mask`` grown by ``by`` pixels both ways along ``axis`` (a window of running
    sums when ``by`` is large: shifting the page ``by`` times costs a second)."""
    if by <= SHIFT_WIDEN:
        out = mask.copy()
        for step in range(1, by + 1):
            if axis == 0:
                out[step:] |= mask[:-step]
                out[:-step] |= mask[step:]
            else:
                out[:, step:] |= mask[:, :-step]
                out[:, :-step] |= mask[:, step:]
        return out
    flat = mask if axis == 1 else mask.T
    height, width = flat.shape
    padded = np.zeros((height, width + 2 * by), np.int32)
    padded[:, by:by + width] = flat
    sums = np.zeros((height, width + 2 * by + 1), np.int32)
    np.cumsum(padded, axis=1, out=sums[:, 1:])
    grown: Mask = (sums[:, 2 * by + 1:2 * by + 1 + width] - sums[:, :width]) > 0
    return grown if axis == 1 else np.ascontiguousarray(grown.T)


def _strokes(dark: Mask, length: int, slack: int, thick: int) -> Mask:
    """Dark pixels on horizontal strokes (runs along axis 1) no thicker than ``thick``."""
    along = _long_runs(_widen(dark, slack, 0), length) & dark
    solid = _long_runs(along.T, thick).T  # across the stroke: thicker than a rule
    return along & ~_widen(solid, thick, 0)


def _ink(pixels: NDArray[np.uint8]) -> tuple[Mask, int] | None:
    """The dark pixels of a greyscale page (under ``INK_SHARE`` of its paper's grey,
    the median: most of a page is paper) and that grey; None for a dark page."""
    paper = int(np.median(pixels))
    if paper < 96:  # a dark page or a photo: nothing is taken out
        return None
    return pixels < INK_SHARE * paper, paper


def _box_sums(mask: Mask, radius: int) -> NDArray[np.int32]:
    """For each pixel, how many pixels of ``mask`` lie in the square of ``radius`` around it."""
    height, width = mask.shape
    side = 2 * radius + 1
    sums = np.zeros((height + side, width + side), np.int32)  # the running sums of the mask padded by ``radius``
    padded = np.zeros((height + 2 * radius, width + 2 * radius), np.int32)
    padded[radius:radius + height, radius:radius + width] = mask
    sums[1:, 1:] = padded.cumsum(axis=0, dtype=np.int32).cumsum(axis=1, dtype=np.int32)
    out: NDArray[np.int32] = (sums[side:side + height, side:side + width] - sums[:height, side:side + width]
                              - sums[side:side + height, :width] + sums[:height, :width])
    return out


def speck_mask(dark: Mask, dpi: float) -> Mask:
    """The pixels of ``dark`` on specks: small dots with no other ink near them."""
    small, clear = (max(1, round(dpi * inches / 2)) for inches in SPECK_INCHES)
    alone = dark & (_box_sums(dark, small) == _box_sums(dark, clear))
    return _box_sums(alone, small) > 0


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
    across = _strokes(dark, length, slack, thick)
    down = _strokes(dark.T, length, slack, thick).T
    return across | down


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
    if not paint.any():
        return grey
    pixels[paint & (pixels < paper)] = np.uint8(paper)
    return Image.fromarray(pixels)
