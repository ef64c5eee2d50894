"""Stage 1: a file on disk becomes one normalised ``Document``."""

from __future__ import annotations

import hashlib
from bisect import bisect_right
from pathlib import Path

from extractor.models import Document, RawText, TextBox
from extractor.text import Anchors, invert_offset, normalise

DEFAULT_MAX_BYTES = 20_000_000


def sha256_of(path: Path) -> str:
    """Hex SHA-256 of the file's bytes."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def document_from_raw(source: str, sha256: str, raw: RawText) -> Document:
    """Normalise a ``RawText`` into a ``Document`` whose page map indexes the new text."""
    text, anchors = normalise(raw.text, wrapped_lines=raw.format in ("pdf", "md", "image"))
    page_starts = [min(len(text), max(0, invert_offset(anchors, p))) for p in raw.page_starts]
    return Document(
        source=source,
        sha256=sha256,
        format=raw.format,
        text=text,
        page_starts=page_starts,
        raw_anchors=anchors,
        encoding=raw.encoding,
        warnings=list(raw.warnings),
        boxes=_moved_boxes(raw.boxes, anchors, len(text)),
        page_sizes=list(raw.page_sizes),
        ocr_pages=list(raw.ocr_pages),
    )


def _moved_boxes(boxes: list[TextBox], anchors: Anchors, length: int) -> list[TextBox]:
    """``boxes`` with raw offsets turned into offsets of the normalised text
    (anchors inverted once for all boxes); boxes that vanish are dropped."""
    if not boxes:
        return []
    olds = [old for _, old in anchors]

    def new(offset: int) -> int:
        i = bisect_right(olds, offset) - 1
        if i < 0:
            return min(length, offset)
        anchor_new, anchor_old = anchors[i]
        return min(length, anchor_new + (offset - anchor_old))

    moved: list[TextBox] = []
    for box in boxes:
        start, end = new(box.start), new(box.end)
        if end > start:
            moved.append(box._replace(start=start, end=end))
    moved.sort(key=lambda box: box.start)
    return moved


def document_from_text(text: str, source: str = "<text>") -> Document:
    """A ``Document`` from a string (tests, the API): normalised like a .txt file."""
    sha = hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()
    return document_from_raw(source, sha, RawText(text=text, format="txt"))


def load_document(path: Path, *, max_bytes: int = DEFAULT_MAX_BYTES) -> Document:
    """Read and normalise one file; raises ``IngestError`` with a clear message."""
    from extractor.ingest import read_raw

    raw = read_raw(path, max_bytes=max_bytes)
    return document_from_raw(str(path), sha256_of(path), raw)
