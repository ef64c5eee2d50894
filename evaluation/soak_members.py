"""The members of the soak folder (``evaluation/soak.py``): bad, hard and good files.

Every writer returns the paths it wrote relative to the folder, with their kind:
"bad" (must get an error entry), "hard" (must finish, with or without an error)
or "good" (must read, and equal a run on the good members alone).
"""

from __future__ import annotations

import html
import io
import os
import random
import shutil
import zipfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
CORPUS = REPO / "corpus"
SUFFIXES = (".txt", ".md", ".html", ".htm", ".docx", ".pdf", ".png", ".jpg", ".jpeg", ".tif", ".tiff")
AS_ROOT = os.geteuid() == 0
SENTENCE = "Tổng biên chế của tỉnh năm 2024 là 1.250 biên chế. "
ODD_NAMES = (
    "Nghị quyết số 18 – bản sao.txt", "  spaces  around  .txt", "-2+3.txt", "--help.txt", "😀 emoji.md",
    "tab\tin name.txt", "line\nbreak.txt", "مرحبا.html", "Nghi\u0323 quyê\u0301t NFD.txt",
    "dài" * 60 + ".txt", "=1+1.txt", "<b>x<\\b>.htm", "'quote\".txt",  # the long one: 244 bytes (a name may have 255)
)  # fmt: skip
Members = list[tuple[str, str]]


def _write(folder: Path, rel: str, data: bytes) -> str:
    path = folder / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return rel


def _zip_bomb(text_mb: int, *, paragraphs: bool = False) -> bytes:
    """A .docx whose text inflates to ``text_mb`` MB (about 1000:1): one paragraph
    (past lxml's limit on one text node), or short paragraphs (no such limit)."""
    buffer = io.BytesIO()
    types = ('<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
             '<Default Extension="xml" ContentType="application/xml"/>'
             '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>')  # fmt: skip
    rels = ('<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>')  # fmt: skip
    head = b'<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>'
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", types)
        archive.writestr("_rels/.rels", rels)
        with archive.open("word/document.xml", "w", force_zip64=True) as part:
            part.write(head)
            unit = "biên chế 1.250</w:t></w:r></w:p><w:p><w:r><w:t>" if paragraphs else "biên chế "
            block = (unit * 1000).encode("utf-8")
            for _ in range(text_mb * 1_000_000 // len(block)):
                part.write(block)
            part.write(b"</w:t></w:r></w:p></w:body></w:document>")
    return buffer.getvalue()


def _pdf(pages: int, line: str, *, password: str | None = None) -> bytes:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.set_font("Helvetica", size=11)
    for page in range(1, pages + 1):
        pdf.add_page()
        pdf.cell(0, 8, f"Trang {page}: {line}")
    if password is not None:
        pdf.set_encryption(owner_password="owner", user_password=password)
    return bytes(pdf.output())


def _special(folder: Path, seed: int) -> Members:
    """The bad and hard members that exist once."""
    rng = random.Random(seed)
    pdf = (CORPUS / "kh-123-longan.pdf").read_bytes()
    out: Members = []
    for suffix in SUFFIXES:
        out.append((_write(folder, f"bad/empty{suffix}", b""), "bad"))
        out.append((_write(folder, f"bad/random{suffix}", rng.randbytes(4096)), "bad"))
    out += [
        (_write(folder, "bad/truncated-third.pdf", pdf[: len(pdf) // 3]), "hard"),
        (_write(folder, "bad/truncated-head.pdf", pdf[:700]), "bad"),
        (_write(folder, "bad/encrypted.pdf", _pdf(1, "Ket luan 40-KL/TW", password="secret")), "bad"),
        (_write(folder, "bad/zip-bomb.docx", _zip_bomb(300)), "bad"),
        (_write(folder, "bad/zip-bomb-paragraphs.docx", _zip_bomb(40, paragraphs=True)), "bad"),
        (_write(folder, "bad/nul-bytes.txt", SENTENCE.encode() + b"\x00\x00" + SENTENCE.encode()), "bad"),
        (_write(folder, "bad/not-a-zip.docx", b"PK\x03\x04 this is no zip"), "bad"),
        (_write(folder, "hard/one-line-5mb.txt", (SENTENCE * (5_000_000 // len(SENTENCE.encode()))).replace(". ", ", ").encode()), "hard"),
        (_write(folder, "hard/deep-nesting.html", b"<html><body>" + b"<div>" * 50_000 + SENTENCE.encode() + b"</div>" * 50_000 + b"</body></html>"), "hard"),
        (_write(folder, "hard/pages-2000.pdf", _pdf(2000, "tong bien che nam 2024 la 1.250 bien che")), "hard"),
    ]
    big = folder / "bad/text-60mb.txt"
    with big.open("wb") as handle:
        block = (SENTENCE + "\n").encode() * 10_000
        for _ in range(60_000_000 // len(block) + 1):
            handle.write(block)
    out.append(("bad/text-60mb.txt", "bad"))
    return out


def write_bad(folder: Path, n_files: int, seed: int) -> Members:
    """The bad and hard members: each special case once, then more empty,
    random and truncated files up to 2 % of ``n_files``."""
    out = _special(folder, seed)
    rng = random.Random(seed + 1)
    pdf = (CORPUS / "kh-123-longan.pdf").read_bytes()
    for index in range(max(0, n_files // 50 - len(out))):
        suffix = SUFFIXES[index % len(SUFFIXES)]
        if index % 3 == 0:
            out.append((_write(folder, f"bad/more/random-{index}{suffix}", rng.randbytes(rng.randint(1, 20_000))), "bad"))
        elif index % 3 == 1:
            out.append((_write(folder, f"bad/more/empty-{index}{suffix}", b""), "bad"))
        else:
            out.append((_write(folder, f"bad/more/cut-{index}.pdf", pdf[: rng.randint(10, 2000)]), "bad"))
    return out


def write_links(folder: Path) -> tuple[Members, list[str]]:
    """Links, a pipe and unreadable entries: (members, entries that must not appear)."""
    links = folder / "links"
    links.mkdir(parents=True, exist_ok=True)
    outside = folder.parent / "outside"
    outside.mkdir(exist_ok=True)
    (outside / "secret.txt").write_text("mật khẩu: hunter2\n" + SENTENCE, encoding="utf-8")
    (links / "secret.txt").symlink_to(outside / "secret.txt")
    (links / "outside-dir").symlink_to(outside)
    (links / "loop-a.txt").symlink_to("loop-b.txt")
    (links / "loop-b.txt").symlink_to("loop-a.txt")
    (links / "dangling.txt").symlink_to("nowhere.txt")
    (links / "loop-dir").mkdir()
    (links / "loop-dir" / "up").symlink_to("..")
    (links / "inside.txt").symlink_to("../bad/nul-bytes.txt")  # read once, under its own name
    os.mkfifo(links / "pipe.txt")
    members: Members = [("links/loop-a.txt", "bad"), ("links/loop-b.txt", "bad"), ("links/dangling.txt", "bad"), ("links/pipe.txt", "bad")]
    absent = ["links/secret.txt", "links/outside-dir/secret.txt", "links/inside.txt", "links/loop-dir/up", ".hidden.txt"]
    _write(folder, ".hidden.txt", SENTENCE.encode())
    locked = _write(folder, "unreadable/file.txt", SENTENCE.encode())
    (folder / locked).chmod(0)
    _write(folder, "unreadable/dir/inner.txt", SENTENCE.encode())
    (folder / "unreadable/dir").chmod(0)
    if AS_ROOT:  # root reads them anyway
        members += [(locked, "hard"), ("unreadable/dir/inner.txt", "hard")]
        absent.append("unreadable/dir")
    else:
        members += [(locked, "bad"), ("unreadable/dir", "bad")]
        absent.append("unreadable/dir/inner.txt")
    return members, absent


def _variant(index: int, texts: list[tuple[str, str]], docx: bytes, pdf: bytes) -> tuple[str, bytes]:
    """The ``index``-th good member: a suffix and its bytes, distinct from every other."""
    name, text = texts[index % len(texts)]
    line = f"\nBản sao số {index}: giao thêm {index % 97 + 1} biên chế năm 2024.\n"
    slot = index % 40
    if slot < 24:
        return ".txt", (text + line).encode("utf-8")
    if slot < 28:
        return ".md", (f"# Bản sao {index}\n\n" + text + line).encode("utf-8")
    if slot < 34:
        body = "".join(f"<p>{html.escape(p)}</p>" for p in (text + line).splitlines() if p.strip())
        suffix = ".html" if slot % 2 else ".htm"
        return suffix, f"<html><head><meta charset='utf-8'><title>{name}</title></head><body>{body}</body></html>".encode()
    if slot < 37:
        buffer = io.BytesIO(docx)
        with zipfile.ZipFile(buffer, "a") as archive:
            archive.comment = f"variant {index}".encode()
        return ".docx", buffer.getvalue()
    return ".pdf", pdf + f"\n% variant {index}\n".encode()


def write_good(folder: Path, n_good: int, seed: int) -> list[str]:
    """``n_good`` distinct variants of the corpus documents, 200 a folder, the first
    ones under odd names, some in a folder named ``x.pdf``."""
    texts = [(p.stem, p.read_text(encoding="utf-8")) for p in sorted(CORPUS.glob("*.txt"))]
    docx = (CORPUS / "hoi-nghi-bien-che.docx").read_bytes()
    pdf = (CORPUS / "kh-123-longan.pdf").read_bytes()
    order = list(range(n_good))
    random.Random(seed + 2).shuffle(order)
    written: list[str] = []
    for position, index in enumerate(order):
        suffix, data = _variant(index, texts, docx, pdf)
        if position < len(ODD_NAMES):
            odd = ODD_NAMES[position]
            rel = f"odd/{odd}" if odd.endswith(suffix) else f"odd/{odd}{suffix}"
        elif position < len(ODD_NAMES) + 5:
            rel = f"x.pdf/member-{index}{suffix}"
        else:
            rel = f"good-{index // 200:03d}/{index:05d}{suffix}"
        written.append(_write(folder, rel, data))
    return written


def copy_good(folder: Path, target: Path, rels: list[str]) -> None:
    """The good members alone, at the same relative paths below ``target``."""
    for rel in rels:
        destination = target / rel
        destination.parent.mkdir(parents=True, exist_ok=True)
        try:
            os.link(folder / rel, destination)
        except OSError:
            shutil.copyfile(folder / rel, destination)


def make_removable(work: Path) -> None:
    """Give the unreadable entries their modes back, so that the folder can be deleted."""
    for path in (work / "in/unreadable", work / "in/unreadable/dir"):
        if path.exists():
            path.chmod(0o755)
    for path in work.glob("in/unreadable/**/*"):
        path.chmod(0o755 if path.is_dir() else 0o644)
