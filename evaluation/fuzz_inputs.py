"""The inputs of the fuzzer (``evaluation/fuzz.py``, ``tests/test_fuzz.py``):
small valid seeds of every format built in memory, and the mutators that turn
a seed into an example (bytes flipped, set, inserted, deleted, duplicated, cut,
spliced with another seed, format tokens inserted; a DOCX given a random
well-formed body or one member mutated and re-zipped)."""

from __future__ import annotations

import io
import random
import zipfile
from collections.abc import Callable

FRAGMENTS = [
    "Nghị quyết số 18-NQ/TW", " của Bộ Chính trị", ", ngày 18/7/2022", "Kế hoạch số 12/KH-UBND", "là 1.263 biên chế",
    " (bao gồm 1.137 cán bộ, công chức, 126 viên chức)", "; giảm 25 biên chế so với năm 2022", " (tỷ lệ giảm 1,94%)",
    "\n- ", "\n+ ", "\n2.1. Năm 2024\n", "Trong đó:", "giai đoạn 2022 - 2026", "đến hết năm 2025", "1.2.3", "%",
    "60/2021/NĐ-CP", "Ủy ban nhân dân tỉnh Long An", "khoảng 400 cán bộ", "quý I-2023", "\u00a0", "–", "Uỷ", "\t",
]
TOKENS: dict[str, list[bytes]] = {
    ".pdf": [b"obj", b"endobj", b"stream\n", b"endstream", b"/Type /Page", b"xref", b"trailer", b"%%EOF", b"<<", b">>",
             b"/Length 999999", b"0 0 R", b"/Filter /FlateDecode", b"(", b")", b"Tj", b"BT", b"ET", b"/Count 9"],
    ".html": [b"<div>", b"</div>", b"<table><tr><td>", b"</td><td>", b"<article>", b"<script>", b"<!--", b"&#", b"<br>",
              b"<p>", b"<a href=x>", b'<meta charset="cp1258">', b"\xef\xbb\xbf", b"<div class=content>"],
    ".docx": [b"<w:p>", b"</w:p>", b"<w:tbl>", b"<w:tc>", b"<w:sdt>", b"<w:t>", b"&amp;", b"<w:gridSpan w:val=\"9\"/>"],
    ".txt": [f.encode("utf-8") for f in FRAGMENTS] + [b"\xff\xfe", b"\xef\xbb\xbf", b"\x00", b"\r", b"\x1a"],
}
TOKENS[".md"] = TOKENS[".txt"] + [b"# ", b"| a | b |\n|---|---|\n", b"```", b"**", b"[x](y)"]
TOKENS[".png"] = [b"IHDR", b"IDAT", b"IEND", b"\x00\x00\xff\xff"]
TOKENS[".jpg"] = [b"\xff\xd8", b"\xff\xc0", b"\xff\xda", b"\xff\xd9", b"\x00\x00\xff\xff"]
TOKENS[".tif"] = [b"II*\x00", b"\x00\x01\x00\x00", b"\xff\xff\xff\x7f", b"\x00\x00\xff\xff"]

# --- seeds ------------------------------------------------------------------------------


def _text(rng: random.Random, pieces: int = 30) -> str:
    return "".join(rng.choice(FRAGMENTS) for _ in range(pieces))


def _docx(paragraphs: list[str], table: list[list[str]]) -> bytes:
    import docx

    doc = docx.Document()
    for line in paragraphs:
        doc.add_paragraph(line)
    grid = doc.add_table(rows=len(table), cols=len(table[0]))
    for r, row in enumerate(table):
        for c, cell in enumerate(row):
            grid.cell(r, c).text = cell
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def _pdf(pages: list[str], compress: bool = True) -> bytes:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.set_compression(compress)
    pdf.set_font("helvetica", size=11)
    for text in pages:
        pdf.add_page()
        pdf.multi_cell(0, 6, text)
    return bytes(pdf.output())


def _image(text: str, kind: str) -> bytes:
    from PIL import Image, ImageDraw

    image = Image.new("L", (360, 60), 255)
    ImageDraw.Draw(image).text((8, 20), text, fill=0)
    out = io.BytesIO()
    if kind == "TIFF":
        image.save(out, format=kind, save_all=True, append_images=[image.rotate(180)])
    else:
        image.save(out, format=kind)
    return out.getvalue()


def seeds(seed: int = 0) -> dict[str, list[bytes]]:
    """Valid small files of every format, by suffix (deterministic for ``seed``)."""
    rng = random.Random(seed)
    plan = _text(rng)
    ascii_plan = "Ke hoach so 12/KH-UBND ngay 18/7/2022: tong bien che la 1.263 bien che, giam 25 bien che."
    html = (f"<html><head><meta charset='utf-8'><title>t</title></head><body><nav>Menu</nav><article><h1>Kế hoạch"
            f"</h1><p>{plan}</p><table><tr><td>Sở Nội vụ</td><td>120</td></tr></table></article>"
            "<div class='related'>Các tin khác</div></body></html>")
    return {
        ".txt": [plan.encode("utf-8"), plan.encode("utf-16"), plan.encode("cp1258", "replace"),
                 ascii_plan.encode("latin-1")],
        ".md": [f"# Kế hoạch\n\n{plan}\n\n| Đơn vị | 2024 |\n|---|---|\n| Sở | 1.263 |\n".encode()],
        ".html": [html.encode("utf-8"), html.replace("utf-8", "cp1258").encode("cp1258", "replace")],
        ".docx": [_docx([plan[:200], plan[200:]], [["Đơn vị", "Năm 2024"], ["Sở Nội vụ", "1.263"]])],
        ".pdf": [_pdf([ascii_plan * 3, ascii_plan]), _pdf([ascii_plan, "", ascii_plan * 2], compress=False)],
        ".png": [_image("Bien che 1.263", "PNG")],
        ".jpg": [_image("Bien che 1.263", "JPEG")],
        ".tif": [_image("Bien che 1.263", "TIFF")],
    }


# --- mutators -----------------------------------------------------------------------------


def _flip(rng: random.Random, data: bytearray, suffix: str, pool: list[bytes]) -> None:
    if data:
        for _ in range(rng.randint(1, 8)):
            data[rng.randrange(len(data))] ^= 1 << rng.randrange(8)


def _byte(rng: random.Random, data: bytearray, suffix: str, pool: list[bytes]) -> None:
    if data:
        data[rng.randrange(len(data))] = rng.choice((0, 0xFF, 0x7F, 0x80, ord("<"), ord("("), ord("9"), ord("\n")))


def _insert(rng: random.Random, data: bytearray, suffix: str, pool: list[bytes]) -> None:
    chunk = rng.choice(TOKENS[suffix]) if rng.random() < 0.7 else rng.randbytes(rng.randint(1, 32))
    data[rng.randint(0, len(data)):0] = chunk * rng.choice((1, 1, 1, 2, 50))


def _delete(rng: random.Random, data: bytearray, suffix: str, pool: list[bytes]) -> None:
    if data:
        start = rng.randrange(len(data))
        del data[start : start + rng.randint(1, 64)]


def _duplicate(rng: random.Random, data: bytearray, suffix: str, pool: list[bytes]) -> None:
    if data:
        start = rng.randrange(len(data))
        chunk = bytes(data[start : start + rng.randint(1, 256)])
        data[start:start] = chunk * rng.randint(1, 4)


def _truncate(rng: random.Random, data: bytearray, suffix: str, pool: list[bytes]) -> None:
    if len(data) > 1:
        del data[rng.randrange(1, len(data)):]


def _splice(rng: random.Random, data: bytearray, suffix: str, pool: list[bytes]) -> None:
    other = rng.choice(pool)
    if data and other:
        at, start = rng.randrange(len(data)), rng.randrange(len(other))
        data[at:] = other[start:]


MUTATORS: list[Callable[[random.Random, bytearray, str, list[bytes]], None]] = [
    _flip, _byte, _insert, _delete, _duplicate, _truncate, _splice,
]


def _mutate_bytes(rng: random.Random, data: bytes, suffix: str, pool: list[bytes], rounds: int) -> bytes:
    out = bytearray(data)
    for _ in range(rounds):
        rng.choice(MUTATORS)(rng, out, suffix, pool)
    return bytes(out)


def _mutate_docx_member(rng: random.Random, data: bytes, pool: list[bytes]) -> bytes:
    """A DOCX with one member (mostly word/document.xml) mutated, re-zipped."""
    with zipfile.ZipFile(io.BytesIO(data)) as source:
        members = [(info.filename, source.read(info.filename)) for info in source.infolist()]
    names = [name for name, _ in members]
    target = "word/document.xml" if rng.random() < 0.8 else rng.choice(names)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as package:
        for name, body in members:
            if name == target:
                body = _mutate_bytes(rng, body, ".docx", [body], rng.randint(1, 6))
            package.writestr(name, body)
    return out.getvalue()


_W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def _run(rng: random.Random) -> str:
    text = _text(rng, rng.randint(0, 4)).replace("&", "&amp;").replace("<", "&lt;")
    return f'<w:r><w:t xml:space="preserve">{text}</w:t></w:r>' + ("<w:r><w:br/></w:r>" if rng.random() < 0.2 else "")


def _block(rng: random.Random, depth: int) -> str:
    """A random but well-formed body element: paragraph, table (spans, merges, nested), content control."""
    choice = rng.random() if depth < 4 else 0.0
    if choice < 0.5:
        return "<w:p>" + "".join(_run(rng) for _ in range(rng.randint(0, 3))) + "</w:p>"
    if choice < 0.8:
        rows = []
        for _ in range(rng.randint(0, 4)):
            cells = []
            for _ in range(rng.randint(0, 4)):
                props = rng.choice(["", '<w:gridSpan w:val="%d"/>' % rng.randint(0, 5), '<w:vMerge w:val="restart"/>',
                                    "<w:vMerge/>", '<w:hMerge w:val="continue"/>'])
                inner = "".join(_block(rng, depth + 1) for _ in range(rng.randint(0, 2)))
                cells.append(f"<w:tc><w:tcPr>{props}</w:tcPr>{inner}</w:tc>")
            before = '<w:trPr><w:gridBefore w:val="%d"/></w:trPr>' % rng.randint(0, 3) if rng.random() < 0.2 else ""
            rows.append(f"<w:tr>{before}{''.join(cells)}</w:tr>")
        grid = "".join("<w:gridCol/>" for _ in range(rng.randint(0, 4)))
        return f"<w:tbl><w:tblGrid>{grid}</w:tblGrid>{''.join(rows)}</w:tbl>"
    tag = rng.choice(["w:sdt", "w:customXml"])
    inner = "".join(_block(rng, depth + 1) for _ in range(rng.randint(0, 3)))
    return f"<w:sdt><w:sdtContent>{inner}</w:sdtContent></w:sdt>" if tag == "w:sdt" else f"<{tag}>{inner}</{tag}>"


def docx_with_body(rng: random.Random, data: bytes) -> bytes:
    """The seed DOCX with a random well-formed body in word/document.xml."""
    body = "".join(_block(rng, 0) for _ in range(rng.randint(0, 8)))
    xml = f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:document {_W}><w:body>{body}</w:body></w:document>'
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as package:
        for info in source.infolist():
            member = xml.encode("utf-8") if info.filename == "word/document.xml" else source.read(info.filename)
            package.writestr(info.filename, member)
    return out.getvalue()


def mutate(rng: random.Random, suffix: str, pool: list[bytes]) -> bytes:
    """One example: a seed of ``suffix`` mutated one to eight times (a DOCX: a
    random body, or one member mutated, or its bytes)."""
    data = rng.choice(pool)
    if suffix == ".docx" and rng.random() < 0.8:
        return docx_with_body(rng, data) if rng.random() < 0.6 else _mutate_docx_member(rng, data, pool)
    return _mutate_bytes(rng, data, suffix, pool, rng.randint(1, 8))
