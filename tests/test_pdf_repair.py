"""Truncated PDFs keep the pages wholly before the cut, whether the file keeps
its objects plain (PDF 1.3, fpdf2) or packs them in object streams (PDF 1.5)."""

from __future__ import annotations

import re
import zlib
from pathlib import Path

import pytest

from extractor.errors import E_PDF_CORRUPT, W_PDF_PARTIAL, IngestError
from extractor.ingest import read_raw
from extractor.ingest.pdf_repair import repair

PAGES = 10
CUTS = 40
_OBJ = re.compile(rb"(\d+) 0 obj\n(.*?)\nendobj\n", re.S)


def _fpdf(pages: int = PAGES) -> bytes:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.set_font("helvetica", size=12)
    for number in range(1, pages + 1):
        pdf.add_page()
        pdf.multi_cell(0, 6, f"Trang so {number} " * 40)
    return bytes(pdf.output())


def _plain(data: bytes) -> tuple[bytes, list[int]]:
    """The fpdf2 file as it is, and for each page the offset its objects end at."""
    ends = {int(m.group(1)): m.end() for m in _OBJ.finditer(data)}
    bodies = {int(m.group(1)): m.group(2) for m in _OBJ.finditer(data)}
    pages = [n for n, body in bodies.items() if b"/Type /Page\n" in body or body.endswith(b"/Type /Page\n>>")]
    needed = []
    for page in sorted(pages):
        content = int(re.search(rb"/Contents (\d+) 0 R", bodies[page]).group(1))  # type: ignore[union-attr]
        needed.append(max(ends[page], ends[content]))
    return data, needed


def _packed(data: bytes) -> tuple[bytes, list[int]]:
    """The fpdf2 file rewritten as PDF 1.5: each page's content stream, then an
    object stream with its page and resource dictionaries; the rest in a last
    object stream; an xref stream. With the offset each page's objects end at."""
    bodies = {int(m.group(1)): m.group(2) for m in _OBJ.finditer(data)}
    out = bytearray(b"%PDF-1.5\n%\xe9\xeb\xf1\xbf\n")
    where: dict[int, tuple[int, int, int]] = {}
    state = {"next": max(bodies) + 1}

    def plain(number: int, body: bytes) -> None:
        where[number] = (1, len(out), 0)
        out.extend(b"%d 0 obj\n%s\nendobj\n" % (number, body))

    def packed(members: list[int]) -> None:
        number = state["next"]
        state["next"] += 1
        header, parts, offset = [], [], 0
        for index, member in enumerate(members):
            header.append(b"%d %d" % (member, offset))
            parts.append(bodies[member] + b"\n")
            offset += len(bodies[member]) + 1
            where[member] = (2, number, index)
        head = b" ".join(header) + b"\n"
        raw = zlib.compress(head + b"".join(parts))
        plain(number, b"<< /Type /ObjStm /N %d /First %d /Filter /FlateDecode /Length %d >>\nstream\n%s\nendstream"
              % (len(members), len(head), len(raw), raw))

    pages = sorted(n for n, body in bodies.items() if re.search(rb"/Type /Page\b", body))
    done: set[int] = set()
    needed = []
    for page in pages:
        content = int(re.search(rb"/Contents (\d+) 0 R", bodies[page]).group(1))  # type: ignore[union-attr]
        resources = int(re.search(rb"/Resources (\d+) 0 R", bodies[page]).group(1))  # type: ignore[union-attr]
        plain(content, bodies[content])
        packed([page, resources])
        done |= {page, content, resources}
        needed.append(len(out))
    packed([n for n in sorted(bodies) if n not in done])
    root = next(n for n, body in bodies.items() if b"/Type /Catalog" in body)
    xref = state["next"]
    where[xref] = (1, len(out), 0)
    rows = b"".join(bytes([t]) + a.to_bytes(4, "big") + b.to_bytes(2, "big")
                    for t, a, b in (where.get(n, (0, 0, 65535)) for n in range(xref + 1)))
    raw = zlib.compress(rows)
    at = len(out)
    out += (b"%d 0 obj\n<< /Type /XRef /Size %d /W [1 4 2] /Root %d 0 R /Filter /FlateDecode /Length %d >>\n"
            b"stream\n%s\nendstream\nendobj\nstartxref\n%d\n%%%%EOF\n" % (xref, xref + 1, root, len(raw), raw, at))
    return bytes(out), needed


def _pages_read(path: Path) -> set[int]:
    try:
        raw = read_raw(path)
    except IngestError as error:
        assert error.code == E_PDF_CORRUPT and error.message.startswith(f"{path.name}: ")
        return set()
    assert [w.code for w in raw.warnings] == [W_PDF_PARTIAL]
    assert raw.warnings[0].message.startswith(f"{path.name}: the PDF is truncated or damaged; read ")
    return {int(n) for n in re.findall(r"Trang so (\d+)", raw.text)}


@pytest.mark.parametrize("layout", [_plain, _packed], ids=["plain objects", "object streams"])
def test_pdf_repair_cut_keeps_pages_before_cut(tmp_path: Path, layout: object) -> None:
    data, needed = layout(_fpdf())  # type: ignore[operator]
    whole = tmp_path / "whole.pdf"
    whole.write_bytes(data)
    assert {int(n) for n in re.findall(r"Trang so (\d+)", read_raw(whole).text)} == set(range(1, PAGES + 1))
    recovered = expected = 0
    for k in range(1, CUTS + 1):
        cut = len(data) * k // (CUTS + 1)
        path = tmp_path / f"cut-{k}.pdf"
        path.write_bytes(data[:cut])
        before = {number for number, end in enumerate(needed, start=1) if end <= cut}
        got = _pages_read(path)
        assert before <= got, f"cut at {cut}: pages {sorted(before - got)} lost"
        recovered += len(got)
        expected += len(before)
    assert recovered >= expected > 100


def test_pdf_repair_nothing_to_repair() -> None:
    assert repair(b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\n") is None


def test_pdf_repair_damaged_object_stream_keeps_what_inflates(tmp_path: Path) -> None:
    data, needed = _packed(_fpdf(4))
    damaged = bytearray(data)
    at = needed[2] - 60  # inside page 3's object stream
    damaged[at : at + 8] = b"\x00" * 8
    path = tmp_path / "hong.pdf"
    path.write_bytes(bytes(damaged[: needed[3] - 10]))
    assert {1, 2} <= _pages_read(path)
