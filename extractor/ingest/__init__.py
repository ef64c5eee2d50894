"""Stage 1a: reading a file's text as it is, by format (.txt .md .html .htm .docx
.pdf, and scanned pages as .png .jpg .jpeg .tif .tiff).

``read_raw`` checks the file (exists, not empty, not too large), dispatches on
the suffix and returns a ``RawText``. Any problem is an ``IngestError`` whose
message starts with the file name; no library exception escapes.
"""

from __future__ import annotations

import errno
import os
import stat as stat_mode
from dataclasses import dataclass, field
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

__all__ = ["SUPPORTED_SUFFIXES", "InputScan", "iter_input_files", "read_raw", "scan_inputs"]


@dataclass
class InputScan:
    """What walking the inputs found: ``files`` to read, in order (a folder that
    cannot be listed is among them, so that it gets an error entry), and
    ``not_followed``: symbolic links left out because they lead outside the
    folder given (``--follow-links`` follows them)."""

    files: list[Path] = field(default_factory=list)
    not_followed: list[Path] = field(default_factory=list)

    def notes(self) -> list[str]:
        """One line per link left out, for the user."""
        return [
            f"skipped: {link} is a symbolic link to outside the input folder; --follow-links follows it"
            for link in self.not_followed
        ]


def _inside(target: str, root: str) -> bool:
    """Whether the real path ``target`` is ``root`` or below it."""
    try:
        return os.path.commonpath([target, root]) == root
    except ValueError:  # different drives
        return False


def _resolves(path: str) -> bool:
    """Whether ``path`` (a symbolic link) leads to something (not dangling, no loop)."""
    try:
        os.stat(path)
    except OSError:
        return False
    return True


@dataclass
class _Walk:
    """The state of walking one folder given on the command line."""

    root: str
    follow: bool
    scan: InputScan
    visited: set[str] = field(default_factory=set)
    regular: list[Path] = field(default_factory=list)
    links: list[Path] = field(default_factory=list)

    def entry(self, entry: os.DirEntry[str], subdirs: list[Path]) -> None:
        """Sort one folder entry into a file to read, a folder to walk, or neither."""
        path = Path(entry.path)
        supported = path.suffix.lower() in SUPPORTED_SUFFIXES
        try:
            is_dir = entry.is_dir()
        except OSError:
            is_dir = False
        if not entry.is_symlink():
            if is_dir:
                self.subfolder(path, subdirs)
            elif supported:
                self.regular.append(path)
            return
        target = os.path.realpath(path)
        if not _resolves(entry.path):
            if supported:
                self.links.append(path)  # read_raw names the loop or the missing target
        elif not self.follow and not _inside(target, self.root):
            self.scan.not_followed.append(path)
        elif is_dir:
            if not _inside(target, self.root):  # inside, its target is walked under its own name
                self.subfolder(path, subdirs)
        elif supported:
            self.links.append(path)

    def subfolder(self, path: Path, subdirs: list[Path]) -> None:
        """Walk ``path`` later unless its real folder was walked already (no loop)."""
        real = os.path.realpath(path)
        if real not in self.visited:
            self.visited.add(real)
            subdirs.append(path)

    def files(self) -> list[Path]:
        """Files found, sorted; a link to a file also found under its own name is dropped."""
        real = {os.path.realpath(p) for p in self.regular}
        kept = self.regular + [p for p in self.links if os.path.realpath(p) not in real]
        return sorted(kept)


def _walk_folder(root: Path, follow: bool, scan: InputScan) -> list[Path]:
    """The files below ``root`` (hidden entries skipped), walked without recursion;
    a folder that cannot be listed is returned as a path of its own."""
    walk = _Walk(root=os.path.realpath(root), follow=follow, scan=scan)
    walk.visited.add(walk.root)
    unreadable: list[Path] = []
    stack = [root]
    while stack:
        folder = stack.pop()
        subdirs: list[Path] = []
        try:
            with os.scandir(folder) as listing:
                for entry in listing:
                    if not entry.name.startswith("."):
                        walk.entry(entry, subdirs)
        except OSError:
            unreadable.append(folder)
        stack.extend(subdirs)
    return sorted(walk.files() + unreadable)


def scan_inputs(paths: list[Path], *, follow_links: bool = False) -> InputScan:
    """The files to read: files as given (whatever their suffix, links followed),
    folders walked recursively (sorted, supported suffixes only, hidden files and
    folders skipped, links leading outside the folder left out unless
    ``follow_links``, link loops cut); each file once (by its real path), in order."""
    scan = InputScan()
    seen: set[str] = set()
    for given in paths:
        candidates = _walk_folder(given, follow_links, scan) if given.is_dir() else [given]
        for candidate in candidates:
            key = os.path.realpath(candidate)
            if key not in seen:
                seen.add(key)
                scan.files.append(candidate)
    return scan


def iter_input_files(paths: list[Path], *, follow_links: bool = False) -> list[Path]:
    """The files to read (see :func:`scan_inputs`), without the links left out."""
    return scan_inputs(paths, follow_links=follow_links).files


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
        if exc.errno == errno.ELOOP:
            raise IngestError(E_UNREADABLE, f"{name}: cannot be read (a loop of symbolic links)") from None
        raise IngestError(E_UNREADABLE, f"{name}: cannot be read ({exc.strerror or exc})") from None
    if stat_mode.S_ISDIR(stat.st_mode):
        _check_folder(path, name)
    if not stat_mode.S_ISREG(stat.st_mode):
        raise IngestError(E_UNSUPPORTED, f"{name}: not a regular file (a device, pipe or socket)")
    try:
        with path.open("rb"):
            pass
    except OSError as exc:
        raise IngestError(E_UNREADABLE, f"{name}: cannot be read ({exc.strerror or exc})") from None
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


def _check_folder(path: Path, name: str) -> None:
    """Raise the error a folder given where a file is expected gets."""
    try:
        with os.scandir(path):
            pass
    except OSError as exc:
        raise IngestError(E_UNREADABLE, f"{name}: folder cannot be read ({exc.strerror or exc})") from None
    raise IngestError(E_UNSUPPORTED, f"{name}: is a folder, not a file")


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
