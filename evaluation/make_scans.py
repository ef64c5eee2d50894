#!/usr/bin/env python3
"""Synthetic scans of annotated texts: print a text as a directive, then degrade it.

    python evaluation/make_scans.py SRC... -o OUTDIR [--dpi 150|200|300] [--seed N]
        [--format pdf|png|tif|jpg] [--clean] [--font PATH] [--font-size PT]

Each SRC (a .txt/.md file, a PDF, or a folder of them) becomes one scan in OUTDIR
with the same stem (``seed-1.txt`` -> ``seed-1.pdf``), so gold keyed by file name
maps onto it. A text is read the way bienche reads it (``extractor.ingest.txt``:
markdown markup removed, table rows as ``a | b | c``) and laid out on A4 pages:
serif 13 pt (DejaVu), margins 30/20/20/20 mm, justified paragraphs with a first-line
indent, runs of ``a | b`` rows drawn as a ruled grid. A PDF's pages are rendered with
pypdfium2 at the dpi instead.

Unless ``--clean``, every page is then degraded like a photocopied scan: grey paper and
ink, a rotation of 0.4-1.8 degrees (random sign), a slight blur, Gaussian noise and
dust specks, and JPEG compression at quality 35-60 (one quality per document; a PDF
embeds its pages as JPEG at that quality). Everything random comes from
``--seed`` and the file's stem, so a run is byte-for-byte repeatable.

Formats: ``pdf`` (default) is an image-only PDF, one page image per page, no text
layer; ``tif`` is one multi-page TIFF; ``png`` and ``jpg`` write one file per page,
``STEM.png`` for a one-page document, else ``STEM.p001.png``, ``STEM.p002.png`` ...
(``ocr_eval.py`` joins those back into one document).
"""

from __future__ import annotations

import argparse
import io
import sys
import unicodedata
import zlib
from collections.abc import Sequence
from dataclasses import dataclass
import time
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFilter, ImageFont

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from extractor.errors import IngestError  # noqa: E402
from extractor.ingest.txt import read_md, read_txt  # noqa: E402
from extractor.ingest.samples import find_unicode_font  # noqa: E402

A4_INCHES = (210 / 25.4, 297 / 25.4)
MARGINS_MM = (30.0, 20.0, 20.0, 20.0)  # left, top, right, bottom
FIXED_DATE = time.gmtime(1767225600)  # 2026-01-01, so a PDF's bytes repeat
TEXT_SUFFIXES = (".txt", ".md")
FORMATS = ("pdf", "png", "tif", "jpg")
CLEAN_QUALITY = 92  # JPEG quality of a clean page in a PDF or .jpg
Font = ImageFont.FreeTypeFont
Block = str | list[list[str]]


@dataclass(frozen=True)
class Look:
    """How a page is printed: resolution, font, size, paper and ink grey."""

    dpi: int
    font: Path
    size_pt: float = 13.0
    paper: int = 255
    ink: int = 0

    def px(self, mm: float) -> int:
        """``mm`` millimetres in pixels at this resolution."""
        return round(mm / 25.4 * self.dpi)

    def face(self, scale: float = 1.0) -> Font:
        """The font at the body size times ``scale``."""
        return ImageFont.truetype(str(self.font), max(6, round(self.size_pt * scale * self.dpi / 72)))


@dataclass(frozen=True)
class Damage:
    """The degradation of one page (drawn from the seeded generator)."""

    angle: float
    blur: float
    noise: float
    specks: int


def text_blocks(text: str) -> list[Block]:
    """Paragraphs (one per non-blank line) and tables (runs of ``a | b`` rows)."""
    blocks: list[Block] = []
    for raw in unicodedata.normalize("NFC", text).split("\n"):
        line = " ".join(raw.split())
        cells = [c.strip() for c in line.split(" | ")] if " | " in line else []
        if len(cells) >= 2:
            last = blocks[-1] if blocks else None
            if isinstance(last, list):
                last.append(cells)
            else:
                blocks.append([cells])
        elif line:
            blocks.append(line)
    return blocks


def wrap(text: str, font: Font, width: float) -> list[list[str]]:
    """``text`` as lines of words no wider than ``width`` (overlong words cut)."""
    lines: list[list[str]] = []
    line: list[str] = []
    space = font.getlength(" ")
    used = 0.0
    for word in text.split():
        while font.getlength(word) > width and len(word) > 1:
            cut = max(1, int(len(word) * width / font.getlength(word)) - 1)
            if line:
                lines.append(line)
            lines.append([word[:cut]])
            line, used, word = [], 0.0, word[cut:]
        wide = font.getlength(word)
        if line and used + space + wide > width:
            lines.append(line)
            line, used = [], 0.0
        used += (space if line else 0.0) + wide
        line.append(word)
    if line:
        lines.append(line)
    return lines


class Pager:
    """A4 pages being filled top to bottom."""

    def __init__(self, look: Look) -> None:
        self.look = look
        self.size = (round(A4_INCHES[0] * look.dpi), round(A4_INCHES[1] * look.dpi))
        left, top, right, bottom = (look.px(mm) for mm in MARGINS_MM)
        self.left, self.top = left, top
        self.right, self.bottom = self.size[0] - right, self.size[1] - bottom
        self.pages: list[Image.Image] = []
        self.y = 0
        self.new_page()

    def new_page(self) -> None:
        """Start a blank page."""
        self.pages.append(Image.new("L", self.size, self.look.paper))
        self.draw = ImageDraw.Draw(self.pages[-1])
        self.y = self.top

    def room(self, height: int) -> None:
        """Make sure ``height`` pixels fit below the current line (new page if not)."""
        if self.y + height > self.bottom and self.y > self.top:
            self.new_page()

    def words(self, words: Sequence[str], x: float, width: float, font: Font, justify: bool) -> None:
        """Draw one line of words from ``x``, spread over ``width`` when ``justify``."""
        space = font.getlength(" ")
        gap = space
        if justify and len(words) > 1:
            gap = max(space, (width - sum(font.getlength(w) for w in words)) / (len(words) - 1))
        ascent = font.getmetrics()[0]
        for word in words:
            self.draw.text((x, self.y + ascent), word, font=font, fill=self.look.ink, anchor="ls")
            x += font.getlength(word) + gap


def draw_paragraph(pager: Pager, text: str, font: Font) -> None:
    """A justified paragraph with a 10 mm first-line indent."""
    indent = pager.look.px(10)
    width = pager.right - pager.left
    step = round(font.size * 1.35)
    first = wrap(text, font, width - indent)[:1]
    rest = wrap(" ".join(text.split()[len(first[0]):]), font, width) if first else []
    lines = first + rest
    for i, line in enumerate(lines):
        pager.room(step)
        x = pager.left + (indent if i == 0 else 0)
        pager.words(line, x, width - (indent if i == 0 else 0), font, justify=i < len(lines) - 1)
        pager.y += step
    pager.y += round(font.size * 0.35)


def column_widths(rows: Sequence[Sequence[str]], font: Font, avail: float, pad: float) -> list[float]:
    """Widths summing to ``avail``: each column's natural width, long ones shrunk."""
    cols = max(len(r) for r in rows)
    natural = [2 * pad + 1.0] * cols
    for row in rows:
        for c, cell in enumerate(row):
            natural[c] = max(natural[c], 2 * pad + font.getlength(cell))
    if sum(natural) <= avail:
        return [w * avail / sum(natural) for w in natural]
    share = avail / cols
    small = sum(w for w in natural if w <= share)
    large = [w for w in natural if w > share]
    rest = avail - small
    return [w if w <= share else rest * w / sum(large) for w in natural]


def draw_table(pager: Pager, rows: Sequence[Sequence[str]], font: Font) -> None:
    """Rows as a ruled grid, cells wrapped, a row never split over two pages."""
    pad = pager.look.px(1.2)
    rule = max(1, round(pager.look.dpi / 150))
    widths = column_widths(rows, font, pager.right - pager.left, pad)
    step = round(font.size * 1.25)
    for row in rows:
        cells = [wrap(row[c] if c < len(row) else "", font, widths[c] - 2 * pad) for c in range(len(widths))]
        height = max(len(c) for c in cells) * step + 2 * pad
        pager.room(height)
        x = float(pager.left)
        for width, lines in zip(widths, cells):
            box = (round(x), pager.y, round(x + width), pager.y + height)
            pager.draw.rectangle(box, outline=pager.look.ink, width=rule)
            top = pager.y
            pager.y += pad
            for line in lines:
                pager.words(line, x + pad, width - 2 * pad, font, justify=False)
                pager.y += step
            pager.y = top
            x += width
        pager.y += height
    pager.y += round(font.size * 0.6)


def render_text(text: str, look: Look) -> list[Image.Image]:
    """``text`` printed on A4 pages (greyscale images at ``look.dpi``)."""
    pager = Pager(look)
    body, small = look.face(), look.face(11 / 13)
    for block in text_blocks(text):
        if isinstance(block, str):
            draw_paragraph(pager, block, body)
        else:
            draw_table(pager, block, small)
    return pager.pages


def render_pdf(path: Path, dpi: int) -> list[Image.Image]:
    """The pages of a PDF rendered in greyscale at ``dpi``."""
    import pypdfium2 as pdfium

    try:
        pdf = pdfium.PdfDocument(str(path))
    except pdfium.PdfiumError as exc:
        raise ValueError(f"cannot be opened as a PDF ({exc})") from None
    try:
        return [pdf[i].render(scale=dpi / 72, grayscale=True).to_pil().convert("L") for i in range(len(pdf))]
    finally:
        pdf.close()


def draw_damage(rng: np.random.Generator, dpi: int) -> Damage:
    """One page's degradation: a degree or two of skew, blur, noise, JPEG."""
    sign = 1.0 if rng.random() < 0.5 else -1.0
    return Damage(
        angle=sign * float(rng.uniform(0.4, 1.8)),
        blur=float(rng.uniform(0.5, 0.9)) * dpi / 300,
        noise=float(rng.uniform(6.0, 12.0)),
        specks=int(rng.integers(100, 300)),
    )


def degrade(page: Image.Image, damage: Damage, rng: np.random.Generator, quality: int) -> Image.Image:
    """``page`` skewed, blurred, noised, specked and JPEG-compressed at ``quality``."""
    paper = int(rng.integers(228, 246))
    ink = int(rng.integers(25, 60))
    grey = np.asarray(page, dtype=np.float32) / 255.0
    toned = Image.fromarray((ink + grey * (paper - ink)).astype(np.uint8), "L")
    img = toned.rotate(damage.angle, resample=Image.Resampling.BICUBIC, fillcolor=paper)
    img = img.filter(ImageFilter.GaussianBlur(damage.blur))
    pixels = np.asarray(img, dtype=np.float32) + rng.normal(0.0, damage.noise, (img.height, img.width))
    ys = rng.integers(0, img.height - 2, damage.specks)
    xs = rng.integers(0, img.width - 2, damage.specks)
    for y, x in zip(ys.tolist(), xs.tolist()):
        pixels[y:y + 2, x:x + 2] = ink
    img = Image.fromarray(np.clip(pixels, 0, 255).astype(np.uint8), "L")
    buffer = io.BytesIO()
    img.save(buffer, "JPEG", quality=quality)
    buffer.seek(0)
    return Image.open(buffer).convert("L")


def write_pages(pages: Sequence[Image.Image], outdir: Path, stem: str, fmt: str, dpi: int,
                quality: int) -> list[Path]:
    """Write the pages as ``fmt`` under ``outdir`` (JPEG data at ``quality``); the paths written."""
    if fmt == "pdf":
        path = outdir / f"{stem}.pdf"
        pages[0].save(path, "PDF", save_all=True, append_images=list(pages[1:]), resolution=float(dpi),
                      quality=quality, creationDate=FIXED_DATE, modDate=FIXED_DATE, producer="make_scans")
        return [path]
    if fmt == "tif":
        path = outdir / f"{stem}.tif"
        pages[0].save(path, "TIFF", save_all=True, append_images=list(pages[1:]), dpi=(dpi, dpi),
                      compression="tiff_deflate")
        return [path]
    paths: list[Path] = []
    for number, page in enumerate(pages, 1):
        name = stem if len(pages) == 1 else f"{stem}.p{number:03d}"
        path = outdir / f"{name}.{fmt}"
        options: dict[str, object] = {"quality": quality} if fmt == "jpg" else {"optimize": False}
        page.save(path, "JPEG" if fmt == "jpg" else "PNG", dpi=(dpi, dpi), **options)
        paths.append(path)
    return paths


def document_rng(seed: int, stem: str) -> np.random.Generator:
    """The generator of one document: from the seed and the file's stem."""
    return np.random.default_rng([seed, zlib.crc32(stem.encode("utf-8"))])


def source_text(path: Path) -> str:
    """A .txt/.md file's text as bienche reads it (markdown markup removed)."""
    data = path.read_bytes()
    return (read_md(path, data) if path.suffix.lower() == ".md" else read_txt(path, data)).text


def make_scan(src: Path, outdir: Path, *, dpi: int = 300, seed: int = 0, fmt: str = "pdf",
              clean: bool = False, font: Path | None = None, size_pt: float = 13.0) -> list[Path]:
    """Scan one source file into ``outdir``; the files written. Raises ``ValueError``."""
    if src.suffix.lower() == ".pdf":
        pages = render_pdf(src, dpi)
    elif src.suffix.lower() in TEXT_SUFFIXES:
        found = find_unicode_font()
        face = font or (found[0] if found else None)
        if face is None:
            raise ValueError("no Unicode TrueType font found (apt-get install fonts-dejavu-core, or --font)")
        pages = render_text(source_text(src), Look(dpi=dpi, font=face, size_pt=size_pt))
    else:
        raise ValueError(f"not a .txt, .md or .pdf file ({src.suffix or 'no suffix'})")
    quality = CLEAN_QUALITY
    if not clean:
        rng = document_rng(seed, src.stem)
        quality = int(rng.integers(35, 61))
        pages = [degrade(page, draw_damage(rng, dpi), rng, quality) for page in pages]
    outdir.mkdir(parents=True, exist_ok=True)
    return write_pages(pages, outdir, src.stem, fmt, dpi, quality)


def sources(paths: Sequence[Path]) -> list[Path]:
    """The files named, folders replaced by their .txt/.md/.pdf files (sorted)."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found += sorted(p for p in path.iterdir() if p.suffix.lower() in (*TEXT_SUFFIXES, ".pdf"))
        else:
            found.append(path)
    return found


def main(argv: Sequence[str] | None = None) -> int:
    """The command line; 0 when every source was scanned, 1 otherwise."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("src", nargs="+", type=Path, help="text (.txt .md) or PDF files, or folders of them")
    parser.add_argument("-o", "--out", type=Path, required=True, help="output folder")
    parser.add_argument("--dpi", type=int, default=300, choices=(150, 200, 300))
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--format", choices=FORMATS, default="pdf")
    parser.add_argument("--clean", action="store_true", help="no degradation (a baseline)")
    parser.add_argument("--font", type=Path, default=None, help="a TTF font (default DejaVu Serif)")
    parser.add_argument("--font-size", type=float, default=13.0, help="body size in points")
    args = parser.parse_args(argv)
    failed = 0
    for src in sources(args.src):
        try:
            written = make_scan(src, args.out, dpi=args.dpi, seed=args.seed, fmt=args.format,
                                clean=args.clean, font=args.font, size_pt=args.font_size)
        except (IngestError, ValueError, OSError) as exc:
            print(f"make_scans: {src}: {exc}", file=sys.stderr)
            failed += 1
            continue
        print(f"{src.name} -> {', '.join(p.name for p in written)}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
