"""What a clerk sends, checked and stored: safe names, bounded sizes, zip archives opened safely.

An :class:`Intake` receives file parts as they stream in (``begin``, ``write``,
``end``) and writes them under one job's input folder. Every name is reduced to
safe components (no separators, control characters or leading dots); a zip
member with an absolute path or ``..`` is refused (no zip-slip); sizes are
bounded per file, in all and in number, by what a zip declares and by what it
actually unpacks to (no zip bomb). Every refusal is an :class:`UploadError`
with the HTTP status to answer (400 or 413) and a message naming the file.
"""

from __future__ import annotations

import re
import stat
import unicodedata
import zipfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import IO

from extractor.ingest import SUPPORTED_SUFFIXES

MAX_NAME_CHARS = 80
MAX_DEPTH = 12
_CHUNK = 1 << 16
_UNSAFE = re.compile(r'[\\/:*?"<>|]')
_DRIVE = re.compile(r"^[A-Za-z]:")


@dataclass(frozen=True)
class Limits:
    """Bounds on one upload: files (zip members included), bytes per file, bytes in all."""

    max_files: int = 200
    max_file_bytes: int = 20_000_000
    max_total_bytes: int = 200_000_000


class UploadError(Exception):
    """An upload refused: ``status`` (400 bad input, 413 too large) and a message naming the file."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


def _megabytes(size: int) -> str:
    return f"{size / 1_000_000:g} MB"


def safe_component(name: str) -> str:
    """One path component made safe: NFC, no control characters, separators or
    characters Windows forbids, no leading dots or spaces, at most 80 characters
    (the suffix kept); ``tệp`` when nothing is left."""
    text = unicodedata.normalize("NFC", name)
    text = "".join(ch for ch in text if not unicodedata.category(ch).startswith("C"))
    text = _UNSAFE.sub("_", text).strip().lstrip(".").strip()
    if len(text) > MAX_NAME_CHARS:
        suffix = PurePosixPath(text).suffix
        suffix = suffix if len(suffix) <= 10 else ""
        text = text[: MAX_NAME_CHARS - len(suffix)].rstrip() + suffix
    return text or "tệp"


def upload_name(filename: str) -> str:
    """The stored name of an uploaded file: its last component only, made safe."""
    return safe_component(re.split(r"[\\/]", filename)[-1])


def member_path(member: str, archive: str) -> PurePosixPath:
    """A zip member's path made safe; an absolute path or a ``..`` is refused (400)."""
    unified = member.replace("\\", "/")
    if unified.startswith("/") or _DRIVE.match(unified):
        raise UploadError(400, f"{archive}: mục {member!r} có đường dẫn tuyệt đối; tệp nén này bị từ chối")
    parts = [p for p in unified.split("/") if p not in ("", ".")]
    if ".." in parts:
        raise UploadError(400, f"{archive}: mục {member!r} trỏ ra ngoài thư mục (..); tệp nén này bị từ chối")
    if not parts:
        raise UploadError(400, f"{archive}: mục {member!r} không có tên")
    return PurePosixPath(*(safe_component(p) for p in parts))


def member_name(info: zipfile.ZipInfo) -> str:
    """A member's name; one stored as UTF-8 without the UTF-8 flag (many zip tools)
    is read as UTF-8 rather than as the CP437 the format assumes."""
    if info.flag_bits & 0x800:
        return info.filename
    try:
        return info.filename.encode("cp437").decode("utf-8")
    except UnicodeError:
        return info.filename


def _is_zip(name: str) -> bool:
    return name.lower().endswith(".zip")


def _skip_reason(info: zipfile.ZipInfo, path: PurePosixPath) -> str | None:
    """Why a zip member is not taken (None: it is taken)."""
    mode = info.external_attr >> 16
    if stat.S_ISLNK(mode):
        return "liên kết tượng trưng"
    if any(part.startswith(".") or part == "__MACOSX" for part in PurePosixPath(info.filename.replace("\\", "/")).parts):
        return "tệp ẩn"
    if info.flag_bits & 0x1:
        return "được mã hoá"
    if len(path.parts) > MAX_DEPTH:
        return "thư mục lồng quá sâu"
    if _is_zip(path.name):
        return "tệp nén lồng trong tệp nén"
    if path.suffix.lower() not in SUPPORTED_SUFFIXES:
        return "định dạng không hỗ trợ"
    return None


@dataclass
class Intake:
    """Receives the files of one upload into ``folder``, enforcing ``limits``.

    ``files`` lists ``(display name, stored path)`` in arrival order; ``skipped``
    the zip members left out, each with its reason.
    """

    folder: Path
    limits: Limits
    files: list[tuple[str, Path]] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    total: int = 0
    _used: set[str] = field(default_factory=set)
    _name: str = ""
    _size: int = 0
    _handle: IO[bytes] | None = None
    _target: Path | None = None

    def _unique(self, relative: PurePosixPath) -> PurePosixPath:
        candidate, n = relative, 1
        while str(candidate).casefold() in self._used:
            n += 1
            stem, suffix = PurePosixPath(relative.name).stem, relative.suffix
            candidate = relative.with_name(f"{stem} ({n}){suffix}")
        self._used.add(str(candidate).casefold())
        return candidate

    def _count(self, name: str) -> None:
        if len(self.files) >= self.limits.max_files:
            raise UploadError(413, f"{name}: quá {self.limits.max_files} tệp trong một lần gửi")

    def begin(self, filename: str) -> None:
        """Start a file part named ``filename`` (a ``.zip`` is opened when it ends)."""
        self.end()
        self._name = upload_name(filename)
        self._size = 0
        if _is_zip(self._name):
            self._target = self.folder / ".incoming.zip"
        else:
            self._count(self._name)
            self._name = str(self._unique(PurePosixPath(self._name)))
            self._target = self.folder / self._name
        self._target.parent.mkdir(parents=True, exist_ok=True)
        self._handle = self._target.open("wb")

    def write(self, data: bytes) -> None:
        """Append ``data`` to the current part; 413 past the per-file or total size."""
        if self._handle is None:
            return
        limit = self.limits.max_total_bytes if _is_zip(self._name) else self.limits.max_file_bytes
        self._size += len(data)
        self.total += len(data)
        if self._size > limit:
            raise UploadError(413, f"{self._name}: lớn hơn {_megabytes(limit)}")
        if self.total > self.limits.max_total_bytes:
            raise UploadError(413, f"{self._name}: tổng dung lượng gửi lên vượt {_megabytes(self.limits.max_total_bytes)}")
        self._handle.write(data)

    def end(self) -> None:
        """Finish the current part: record the file, or unpack the zip and drop it."""
        if self._handle is None or self._target is None:
            return
        self._handle.close()
        self._handle = None
        target, self._target = self._target, None
        if not _is_zip(self._name):
            self.files.append((self._name, target))
            return
        try:
            self._unpack(target, self._name)
        finally:
            target.unlink(missing_ok=True)

    def close(self) -> None:
        """Close a part left open (after an error)."""
        if self._handle is not None:
            self._handle.close()
            self._handle = None

    def _unpack(self, archive_path: Path, archive: str) -> None:
        try:
            with zipfile.ZipFile(archive_path) as archive_file:
                members = self._members(archive_file, archive)
                self._check_declared(members, archive)
                base = self._unique(PurePosixPath(archive))
                for info, path in members:
                    self._extract(archive_file, info, base / path, archive)
        except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, NotImplementedError, OSError) as error:
            raise UploadError(400, f"{archive}: không phải tệp zip đọc được ({error})") from error

    def _members(self, archive_file: zipfile.ZipFile, archive: str) -> list[tuple[zipfile.ZipInfo, PurePosixPath]]:
        taken: list[tuple[zipfile.ZipInfo, PurePosixPath]] = []
        for info in archive_file.infolist():
            if info.is_dir():
                continue
            path = member_path(member_name(info), archive)
            reason = _skip_reason(info, path)
            if reason is not None:
                self.skipped.append(f"{archive}/{path}: {reason}")
                continue
            taken.append((info, path))
        return taken

    def _check_declared(self, members: list[tuple[zipfile.ZipInfo, PurePosixPath]], archive: str) -> None:
        if len(self.files) + len(members) > self.limits.max_files:
            raise UploadError(413, f"{archive}: quá {self.limits.max_files} tệp trong một lần gửi ({len(members)} tệp trong tệp nén)")
        for info, path in members:
            if info.file_size > self.limits.max_file_bytes:
                raise UploadError(413, f"{archive}/{path}: khi giải nén lớn hơn {_megabytes(self.limits.max_file_bytes)}")
        declared = sum(info.file_size for info, _ in members)
        if self.total + declared > self.limits.max_total_bytes:
            raise UploadError(413, f"{archive}: khi giải nén vượt tổng {_megabytes(self.limits.max_total_bytes)}")

    def _extract(self, archive_file: zipfile.ZipFile, info: zipfile.ZipInfo, relative: PurePosixPath, archive: str) -> None:
        relative = self._unique(relative)
        target = self.folder / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        size = 0
        with archive_file.open(info) as source, target.open("wb") as out:
            while chunk := source.read(_CHUNK):
                size += len(chunk)
                self.total += len(chunk)
                if size > info.file_size or size > self.limits.max_file_bytes or self.total > self.limits.max_total_bytes:
                    raise UploadError(413, f"{relative}: giải nén ra nhiều hơn kích thước khai báo hoặc giới hạn")
                out.write(chunk)
        self.files.append((str(relative), target))
