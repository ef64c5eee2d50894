"""Scanned pages as image files (.png .jpg .jpeg .tif .tiff): every frame OCR'd.

A multi-page TIFF is one document with one page per frame. Boxes are in PDF
points at the image's resolution (its stated dpi, else ``DEFAULT_DPI``), so a
box means the same thing for a scan saved as an image or inside a PDF. Frames
over the input limits (pixels, frames, pixels of all frames) are refused
before they are decoded (E_LIMIT_PIXELS, E_LIMIT_PAGES).
"""

from __future__ import annotations

import struct
import warnings as py_warnings
from pathlib import Path

from PIL import Image, ImageSequence, UnidentifiedImageError

from extractor.errors import E_IMAGE, E_LIMIT_PIXELS, E_PDF_NO_TEXT, W_OCR_PAGES, W_PDF_PAGE_NO_TEXT, IngestError
from extractor.ingest import ocr
from extractor.ingest.limits import check_frames, check_pixels, current_limits
from extractor.ingest.pages import PageText, join_pages, page_from_words
from extractor.models import FileError, RawText

IMAGE_SUFFIXES: tuple[str, ...] = (".png", ".jpg", ".jpeg", ".tif", ".tiff")
DEFAULT_DPI = 300.0
"""Resolution assumed when an image does not state a plausible one."""


def image_dpi(image: Image.Image) -> float:
    """The resolution an image states (dpi), or ``DEFAULT_DPI`` when it states none plausible."""
    stated = image.info.get("dpi")
    try:
        value = float(stated[0]) if isinstance(stated, tuple) else float(stated or 0)
    except (TypeError, ValueError):
        value = 0.0
    return value if 70.0 <= value <= 1200.0 else DEFAULT_DPI


def _frames(path: Path) -> tuple[list[Image.Image], list[float]]:
    name = path.name
    limits = current_limits()
    Image.MAX_IMAGE_PIXELS = limits.max_pixels
    try:
        with py_warnings.catch_warnings():
            py_warnings.simplefilter("ignore", UserWarning)  # Pillow's notes on damaged tags
            py_warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(path) as image:
                frames: list[Image.Image] = []
                dpis: list[float] = []
                total = 0
                for frame in ImageSequence.Iterator(image):
                    check_frames(len(frames) + 1, name, limits)
                    width, height = frame.size
                    total += width * height
                    check_pixels(width, height, name, len(frames) + 1, total, limits)
                    frames.append(frame.convert("L"))
                    dpis.append(image_dpi(frame))
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise IngestError(E_LIMIT_PIXELS, f"{name}: the image is too large (over {limits.max_pixels:,} pixels); "
                          "--max-pixels raises the limit") from None
    except UnidentifiedImageError:
        raise IngestError(E_IMAGE, f"{name}: not a readable image (unknown or damaged format)") from None
    except IngestError:
        raise
    except (OSError, ValueError, SyntaxError, struct.error, EOFError) as exc:
        raise IngestError(E_IMAGE, f"{name}: not a readable image ({exc})") from None
    except (TypeError, KeyError, IndexError, ZeroDivisionError, AttributeError) as exc:
        # Pillow's plugins raise these for damaged headers (a TIFF without dimensions ...)
        raise IngestError(E_IMAGE, f"{name}: not a readable image (damaged: {type(exc).__name__}: {exc})") from None
    return frames, dpis


def read_image(path: Path) -> RawText:
    """The OCR text of an image file, one page per frame, with word boxes."""
    name = path.name
    frames, dpis = _frames(path)
    if not frames:
        raise IngestError(E_IMAGE, f"{name}: the image has no frames")
    read = ocr.ocr_images(frames, dpis, name)
    pages: list[PageText] = []
    for number, page in enumerate(read, start=1):
        size = (page.width, page.height)
        pages.append(page_from_words(page.words, number, ocr=True, size=size))
    found = [i + 1 for i, page in enumerate(pages) if page.text.strip()]
    if not found:
        raise IngestError(E_PDF_NO_TEXT, f"{name}: no text found in the image, even by OCR")
    plural = "s" if len(found) > 1 else ""
    warnings = [FileError(code=W_OCR_PAGES, message=(
        f"{name}: page{plural} {', '.join(map(str, found))} read by OCR (Tesseract); check figures against the page"))]
    empty = [i + 1 for i, page in enumerate(pages) if not page.text.strip()]
    if empty:
        warnings.append(FileError(code=W_PDF_PAGE_NO_TEXT, message=(
            f"{name}: no text found, even by OCR, on page{'s' if len(empty) > 1 else ''} {', '.join(map(str, empty))}")))
    return join_pages(pages, "image", warnings)
