"""Stage 1a: reading a file's text as it is, by format (.txt .md .html .htm .docx
.pdf, and scanned pages as .png .jpg .jpeg .tif .tiff).

``read_raw`` checks the file (exists, not empty, not too large), dispatches on
the suffix and returns a ``RawText``. Any problem is an ``IngestError`` whose
message starts with the file name; no library exception escapes.
"""

from __future__ import annotations

import os
from pathlib import Path

from extractor.errors import (
    E_EMPTY,
    E_INTERNAL,
    E_NOT_FOUND,
    E_TOO_LARGE,
    E_UNREADABLE,
    E_UNSUPPORTED,
    IngestError,
)
from extractor.models import RawText

SUPPORTED_SUFFIXES: tuple[str, ...] = (
    ".txt", ".md", ".html", ".htm", ".docx", ".pdf", ".png", ".jpg", ".jpeg", ".tif", ".tiff",
)
"""File suffixes ``read_raw`` accepts (compared case-insensitively)."""

DEFAULT_MAX_BYTES = 20_000_000

__all__ = ["SUPPORTED_SUFFIXES", "iter_input_files", "read_raw"]


def _is_hidden(path: Path, root: Path) -> bool:
    """Whether any part of ``path`` below ``root`` starts with a dot."""
    return any(part.startswith(".") for part in path.relative_to(root).parts)


def iter_input_files(paths: list[Path]) -> list[Path]:
    """The files to read: files as given (whatever their suffix), folders walked
    recursively (sorted, supported suffixes only, hidden files and folders
    skipped); each path once, in order."""
    found: list[Path] = []
    seen: set[Path] = set()
    for given in paths:
        if given.is_dir():
            children: list[Path] = []
            for folder, dirs, files in os.walk(given):
                dirs[:] = [d for d in dirs if not d.startswith(".")]
                for filename in files:
                    child = Path(folder) / filename
                    if child.suffix.lower() in SUPPORTED_SUFFIXES and not _is_hidden(child, given):
                        children.append(child)
            candidates = sorted(children)
        else:
            candidates = [given]
        for candidate in candidates:
            if candidate not in seen:
                seen.add(candidate)
                found.append(candidate)
    return found


def _megabytes(size: int) -> str:
    return f"{size / 1_000_000:.1f} MB"


def _check(path: Path, max_bytes: int) -> int:
    """The file's size after the checks every format shares."""
    name = path.name or str(path)
    try:
        stat = path.stat()
    except FileNotFoundError:
        raise IngestError(E_NOT_FOUND, f"{name}: file not found ({path})") from None
    except OSError as exc:
        raise IngestError(E_UNREADABLE, f"{name}: cannot be read ({exc.strerror or exc})") from None
    if path.is_dir():
        raise IngestError(E_UNSUPPORTED, f"{name}: is a folder, not a file")
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        kind = f"'{path.suffix}'" if path.suffix else "(no suffix)"
        raise IngestError(
            E_UNSUPPORTED,
            f"{name}: unsupported file type {kind}; bienche reads {', '.join(SUPPORTED_SUFFIXES)}",
        )
    if stat.st_size == 0:
        raise IngestError(E_EMPTY, f"{name}: file is empty (0 bytes)")
    if stat.st_size > max_bytes:
        raise IngestError(
            E_TOO_LARGE,
            f"{name}: file is too large ({_megabytes(stat.st_size)}, the limit is "
            f"{_megabytes(max_bytes)}); --max-mb raises the limit",
        )
    return stat.st_size


def _read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise IngestError(E_UNREADABLE, f"{path.name}: cannot be read ({exc.strerror or exc})") from None


def _dispatch(path: Path) -> RawText:
    suffix = path.suffix.lower()
    if suffix in (".txt", ".md"):
        from extractor.ingest.txt import read_md, read_txt

        data = _read_bytes(path)
        return read_md(path, data) if suffix == ".md" else read_txt(path, data)
    if suffix in (".html", ".htm"):
        from extractor.ingest.html import read_html

        return read_html(path, _read_bytes(path))
    if suffix == ".docx":
        from extractor.ingest.docx import read_docx

        return read_docx(path)
    if suffix != ".pdf":
        from extractor.ingest.image import read_image

        return read_image(path)
    from extractor.ingest.pdf import read_pdf

    return read_pdf(path)


def read_raw(path: Path, *, max_bytes: int = DEFAULT_MAX_BYTES) -> RawText:
    """The text of one file as read (not yet normalised), with its format, page
    starts, encoding and warnings; raises ``IngestError`` when it cannot be read."""
    path = Path(path)
    _check(path, max_bytes)
    try:
        raw = _dispatch(path)
    except IngestError:
        raise
    except MemoryError:
        raise IngestError(E_TOO_LARGE, f"{path.name}: not enough memory to read this file") from None
    except Exception as exc:  # noqa: BLE001 - no library exception may escape
        raise IngestError(
            E_INTERNAL,
            f"{path.name}: unexpected error while reading ({type(exc).__name__}: {exc})",
        ) from exc
    if not raw.text.strip():
        raise IngestError(E_EMPTY, f"{path.name}: no text in the file (only whitespace or markup)")
    return raw
