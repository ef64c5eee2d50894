"""Tesseract OCR of page images: words with boxes (PDF points) and confidences.

All pages of one file go to one ``tesseract`` process (a list of page images,
TSV out), so the Vietnamese model loads once per file rather than once per
page. Tesseract runs single-threaded (``OMP_THREAD_LIMIT=1``): the batch
spreads files over the cores. Nothing is downloaded: Tesseract and its
Vietnamese data come from Debian (``tesseract-ocr``, ``tesseract-ocr-vie``).

Each page is cleaned (``ocr_rules.clean_page``) at the resolution it was rendered
or scanned at, then, when finer than ``OCR_READ_DPI``, scaled down to it for
Tesseract: cleaning needs the fine detail (specks, thin rules), while Tesseract
reads a 13-pt page as well at 200 dpi as at 300 and spends less time on it. The
boxes come back in PDF points all the same (each page's own pixels per point).
Pages are written as uncompressed greyscale (PGM) for Tesseract to read.

Settings (environment): ``BIENCHE_OCR_DPI`` (PDF render resolution, 300),
``BIENCHE_OCR_READ_DPI`` (resolution Tesseract reads at, 200; 0: as rendered),
``BIENCHE_OCR_PSM`` (page segmentation mode, 3), ``BIENCHE_OCR_RULES=0`` (no
cleaning), ``BIENCHE_OCR_PROCS`` (Tesseract processes per file).
"""

from __future__ import annotations

import csv
import functools
import io
import os
import shutil
import subprocess
import tempfile
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from PIL import Image

from extractor.errors import E_OCR_UNAVAILABLE, E_TIMEOUT, IngestError
from extractor.ingest.layout import Word
from extractor.ingest.ocr_rules import clean_page

OCR_DPI = int(os.environ.get("BIENCHE_OCR_DPI", "300"))
"""Resolution pages are rendered at for OCR (BIENCHE_OCR_DPI overrides)."""

OCR_PSM = os.environ.get("BIENCHE_OCR_PSM", "3")
"""Tesseract's page segmentation mode (BIENCHE_OCR_PSM overrides; 3: automatic)."""

OCR_READ_DPI = float(os.environ.get("BIENCHE_OCR_READ_DPI", "200"))
"""Resolution Tesseract reads pages at: a finer page is cleaned at its own
resolution, then scaled down to this (BIENCHE_OCR_READ_DPI overrides; 0: never scaled)."""

OCR_RULES = os.environ.get("BIENCHE_OCR_RULES", "1") != "0"
"""Whether table rules and dust are painted out of page images before OCR (BIENCHE_OCR_RULES=0: not)."""

OCR_LANG = "vie"
PAGE_SECONDS = 120
"""Time allowed per page before the OCR of a file is abandoned."""

INSTALL_HINT = "install Tesseract and its Vietnamese model: apt-get install tesseract-ocr tesseract-ocr-vie"


@dataclass(frozen=True)
class OcrPage:
    """The words Tesseract read on one page, in PDF points (origin top-left)."""

    words: list[Word]
    width: float
    height: float


@functools.cache
def ocr_missing() -> str | None:
    """Why OCR cannot run here (Tesseract or its Vietnamese data absent), or None."""
    binary = shutil.which("tesseract")
    if binary is None:
        return f"Tesseract is not installed; {INSTALL_HINT}"
    try:
        listed = subprocess.run(
            [binary, "--list-langs"], capture_output=True, text=True, timeout=30, check=False
        )
    except (OSError, subprocess.SubprocessError) as exc:
        return f"Tesseract does not run ({exc}); {INSTALL_HINT}"
    if OCR_LANG not in listed.stdout.split():
        return f"Tesseract has no Vietnamese model; {INSTALL_HINT}"
    return None


def require_ocr(name: str, what: str) -> None:
    """Raise E_OCR_UNAVAILABLE for ``name`` when OCR cannot run; ``what`` says which pages need it."""
    missing = ocr_missing()
    if missing is not None:
        raise IngestError(E_OCR_UNAVAILABLE, f"{name}: {what} need OCR, but {missing}")


def ocr_processes(pages: int) -> int:
    """Tesseract processes to run at once for one file: all cores in a process of
    its own (a single file, ``-j 1``), one inside a batch worker, whose siblings
    use the other cores; ``BIENCHE_OCR_PROCS`` overrides."""
    import multiprocessing

    stated = os.environ.get("BIENCHE_OCR_PROCS", "")
    if stated.isdigit() and int(stated) > 0:
        wanted = int(stated)
    elif multiprocessing.parent_process() is not None:
        wanted = 1
    else:
        wanted = os.cpu_count() or 1
    return max(1, min(wanted, pages))


def _environment() -> dict[str, str]:
    env = dict(os.environ)
    env.setdefault("OMP_THREAD_LIMIT", "1")
    return env


def _words(tsv: str, scales: Sequence[float]) -> list[list[Word]]:
    """Tesseract TSV rows as words per page, boxes divided by each page's pixels per point."""
    pages: list[list[Word]] = [[] for _ in scales]
    for row in csv.DictReader(io.StringIO(tsv), delimiter="\t", quoting=csv.QUOTE_NONE):
        text = (row.get("text") or "").strip()
        if row.get("level") != "5" or not text:
            continue
        index = int(row["page_num"]) - 1
        if not 0 <= index < len(pages):
            continue
        scale = scales[index]
        left, top = float(row["left"]) / scale, float(row["top"]) / scale
        width, height = float(row["width"]) / scale, float(row["height"]) / scale
        conf = float(row["conf"])
        pages[index].append(Word(text, left, top, left + width, top + height, max(conf, 0.0)))
    return pages


def _run(listing: list[str], name: str) -> str:
    """Tesseract's TSV for the page images in ``listing`` (one process)."""
    with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False, encoding="utf-8") as handle:
        handle.write("\n".join(listing) + "\n")
    command = ["tesseract", handle.name, "stdout", "-l", OCR_LANG, "--psm", OCR_PSM,
               "-c", "tessedit_create_tsv=1", "-c", "tessedit_create_txt=0", "-c", "tessedit_do_invert=0"]
    try:
        done = subprocess.run(command, capture_output=True, env=_environment(), check=False,
                              timeout=PAGE_SECONDS * max(1, len(listing)))
    except subprocess.TimeoutExpired:
        raise IngestError(E_TIMEOUT, f"{name}: OCR took too long and was stopped") from None
    except OSError as exc:
        raise IngestError(E_OCR_UNAVAILABLE, f"{name}: Tesseract could not start ({exc}); {INSTALL_HINT}") from None
    finally:
        os.unlink(handle.name)
    if done.returncode != 0:
        detail = done.stderr.decode("utf-8", "replace").strip().splitlines()[-1:] or ["no message"]
        raise IngestError(E_OCR_UNAVAILABLE, f"{name}: Tesseract failed ({detail[0]})")
    return done.stdout.decode("utf-8", "replace")


def prepare_page(image: Image.Image, dpi: float) -> tuple[Image.Image, float]:
    """The greyscale image Tesseract reads for a page rendered or scanned at ``dpi``
    (cleaned at that resolution unless BIENCHE_OCR_RULES=0, then scaled down to
    ``OCR_READ_DPI`` when finer) and its pixels per PDF point."""
    grey = clean_page(image, dpi) if OCR_RULES else image.convert("L")
    scale = dpi / 72.0
    if OCR_READ_DPI <= 0 or dpi <= OCR_READ_DPI * 1.05:
        return grey, scale
    width = max(1, round(grey.width * OCR_READ_DPI / dpi))
    height = max(1, round(grey.height * OCR_READ_DPI / dpi))
    return grey.resize((width, height), Image.Resampling.BILINEAR), scale * width / grey.width


def ocr_images(images: Sequence[Image.Image], dpis: Sequence[float], name: str) -> list[OcrPage]:
    """OCR every image (one page each, rendered or scanned at ``dpis``): pages split
    into ``ocr_processes`` runs of Tesseract at once; raises ``IngestError`` naming
    ``name`` when OCR is unavailable, fails or runs out of time."""
    require_ocr(name, f"{len(images)} page{'s' if len(images) != 1 else ''}")
    scales: list[float] = []
    procs = ocr_processes(len(images))
    with tempfile.TemporaryDirectory(prefix="bienche-ocr-") as folder:
        listing: list[str] = []
        for index, image in enumerate(images):
            target = Path(folder) / f"page-{index:05d}.pgm"
            prepared, scale = prepare_page(image, dpis[index])
            prepared.save(target)
            scales.append(scale)
            listing.append(str(target))
        chunks = [list(range(i, len(images), procs)) for i in range(procs)]
        with ThreadPoolExecutor(max_workers=procs) as pool:
            tsvs = list(pool.map(lambda chunk: _run([listing[i] for i in chunk], name), chunks))
    pages: list[list[Word]] = [[] for _ in images]
    for chunk, tsv in zip(chunks, tsvs, strict=True):
        for index, words in zip(chunk, _words(tsv, [scales[i] for i in chunk]), strict=True):
            pages[index] = words
    return [
        OcrPage(words=page, width=image.width * 72.0 / dpi, height=image.height * 72.0 / dpi)
        for page, image, dpi in zip(pages, images, dpis, strict=True)
    ]
