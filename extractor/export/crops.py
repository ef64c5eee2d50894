"""Page crops for the report: the part of a PDF page or scanned image around a
figure or finding, with its box drawn, as an embedded ``data:`` JPEG.

Pages are rendered locally (pypdfium2 for PDF, Pillow for images) at
``CROP_DPI``, once per page; nothing is fetched and the report stays one
offline file. A source that is gone or unreadable simply gets no crop.
"""

from __future__ import annotations

import base64
import io
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from PIL import Image, ImageDraw

CROP_DPI = 130.0
MARGIN = 45.0
"""Points of page shown above and below the box."""
WIDTH = 340.0
"""Points of page shown across (centred on the box), so the text stays legible."""
MAX_CROPS = 80
"""Crops per document at most (the report must stay small enough to open)."""

Box = tuple[float, float, float, float]


class PageImages:
    """The pages of one PDF or image file, rendered on demand, each once."""

    def __init__(self, source: Path, fmt: str | None) -> None:
        self._source = source
        self._format = fmt
        self._pages: dict[int, tuple[Image.Image, float]] = {}
        self._pdf: object | None = None

    def page(self, number: int) -> tuple[Image.Image, float] | None:
        """(image of 1-based page ``number``, pixels per point), None when unavailable."""
        if number not in self._pages:
            try:
                self._pages[number] = self._render(number)
            except Exception:  # noqa: BLE001 - a crop is an extra; the report stands without it
                return None
        return self._pages[number]

    def _render(self, number: int) -> tuple[Image.Image, float]:
        scale = CROP_DPI / 72.0
        if self._format == "pdf":
            import pypdfium2 as pdfium

            if self._pdf is None:
                self._pdf = pdfium.PdfDocument(str(self._source))
            assert isinstance(self._pdf, pdfium.PdfDocument)
            page = self._pdf[number - 1]
            try:
                return page.render(scale=scale, grayscale=True).to_pil().convert("RGB"), scale
            finally:
                page.close()
        from extractor.ingest.image import image_dpi

        with Image.open(self._source) as image:
            image.seek(number - 1)
            px_per_pt = image_dpi(image) / 72.0
            frame = image.convert("RGB")
        factor = scale / px_per_pt
        frame = frame.resize((max(1, round(frame.width * factor)), max(1, round(frame.height * factor))))
        return frame, scale

    def close(self) -> None:
        """Release the open PDF."""
        close = getattr(self._pdf, "close", None)
        if callable(close):
            close()


def crop(pages: PageImages, number: int, bbox: list[float]) -> str | None:
    """A JPEG data URI of the band of page ``number`` around ``bbox`` (PDF points,
    origin top-left), the box outlined in red; None when the page cannot be rendered."""
    rendered = pages.page(number)
    if rendered is None or len(bbox) != 4:
        return None
    image, scale = rendered
    x0, top, x1, bottom = (value * scale for value in bbox)
    band_top = max(0, int(top - MARGIN * scale))
    band_bottom = min(image.height, int(bottom + MARGIN * scale))
    if band_bottom <= band_top:
        return None
    half = max(WIDTH * scale, x1 - x0 + 20 * scale) / 2
    left = int(max(0.0, min((x0 + x1) / 2 - half, image.width - 2 * half)))
    right = int(min(float(image.width), left + 2 * half))
    band = image.crop((left, band_top, right, band_bottom))
    draw = ImageDraw.Draw(band)
    pad = 2
    draw.rectangle((x0 - left - pad, top - band_top - pad, x1 - left + pad, bottom - band_top + pad),
                   outline=(214, 40, 40), width=3)
    out = io.BytesIO()
    band.save(out, format="JPEG", quality=70)
    return "data:image/jpeg;base64," + base64.b64encode(out.getvalue()).decode("ascii")


@contextmanager
def page_images(source: str, fmt: str | None) -> Iterator[PageImages | None]:
    """The pages of ``source`` for cropping; None for text formats or a missing file."""
    path = Path(source)
    if fmt not in ("pdf", "image") or not path.is_file():
        yield None
        return
    pages = PageImages(path, fmt)
    try:
        yield pages
    finally:
        pages.close()
