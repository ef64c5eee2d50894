"""Ingest: every format read, bad inputs refused with a clear error, boilerplate cut."""

from __future__ import annotations

import os
import unicodedata
from collections.abc import Callable
from pathlib import Path

import pypdfium2 as pdfium
import pytest
from hypothesis import given
from hypothesis import strategies as st

from extractor.errors import (
    E_BINARY,
    E_DOCX_CORRUPT,
    E_EMPTY,
    E_NOT_FOUND,
    E_PDF_CORRUPT,
    E_PDF_ENCRYPTED,
    E_PDF_NO_TEXT,
    E_TOO_LARGE,
    E_UNSUPPORTED,
    W_LEGACY_ENCODING,
    W_PDF_PAGE_NO_TEXT,
    W_PDF_PARTIAL,
    IngestError,
)
from extractor.ingest import SUPPORTED_SUFFIXES, iter_input_files, read_raw
from extractor.ingest.boilerplate import cut_boilerplate_tail
from extractor.ingest.samples import find_unicode_font, write_docx, write_pdf
from extractor.patterns import load_file

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"

PLAN = (
    "Kế hoạch số 123-KH/TU về quản lý biên chế trong hệ thống chính trị tỉnh Long An giai đoạn 2024 - 2026.\n"
    "Tổng biên chế năm 2024 là 28.489 biên chế, giảm 951 biên chế so với năm 2022.\n"
    "Ban Thường vụ Tỉnh ủy giao Ban Tổ chức Tỉnh ủy theo dõi, đôn đốc thực hiện kế hoạch này."
)
TONES = frozenset("\u0300\u0301\u0303\u0309\u0323")

needs_font = pytest.mark.skipif(
    find_unicode_font() is None, reason="no Unicode TTF font (apt-get install fonts-dejavu-core)"
)


def _write(tmp_path: Path, name: str, data: bytes | str) -> Path:
    path = tmp_path / name
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return path


def _tcvn3_bytes(text: str) -> bytes:
    """``text`` in TCVN3, built by reversing viparse's conversion table."""
    from viparse.normalize.tcvn3 import TCVN3

    reverse: dict[str, str] = {}
    for legacy, letter in TCVN3.pairs:
        reverse.setdefault(letter, legacy)
    return "".join(reverse.get(ch, ch) for ch in unicodedata.normalize("NFC", text)).encode("latin-1")


def _cp1258_bytes(text: str) -> bytes:
    """``text`` in Windows-1258: base letters precomposed, tone marks combining."""
    out: list[str] = []
    for ch in unicodedata.normalize("NFC", text):
        parts = unicodedata.normalize("NFD", ch)
        base = unicodedata.normalize("NFC", "".join(c for c in parts if c not in TONES))
        out.append(base + "".join(c for c in parts if c in TONES))
    return "".join(out).encode("cp1258")


def _ascii_pdf(path: Path, pages: list[str]) -> Path:
    """A small PDF in a core font (no TTF needed), one string per page ("" = blank)."""
    from fpdf import FPDF

    pdf = FPDF()
    pdf.set_font("helvetica", size=12)
    for text in pages:
        pdf.add_page()
        if text:
            pdf.multi_cell(0, 6, text)
    pdf.output(str(path))
    return path


# --- formats ---------------------------------------------------------------


def test_ingest_txt_utf8(tmp_path: Path) -> None:
    raw = read_raw(_write(tmp_path, "plan.txt", PLAN + "\r\n"))
    assert raw.format == "txt"
    assert raw.encoding == "utf-8"
    assert raw.text.rstrip("\n") == PLAN
    assert raw.warnings == []


def test_ingest_txt_line_ends_unified(tmp_path: Path) -> None:
    raw = read_raw(_write(tmp_path, "crlf.txt", b"dong mot\r\ndong hai\rdong ba\n"))
    assert raw.text == "dong mot\ndong hai\ndong ba\n"


@pytest.mark.parametrize("codec", ["utf-16", "utf-8-sig", "utf-32"])
def test_ingest_txt_bom(tmp_path: Path, codec: str) -> None:
    raw = read_raw(_write(tmp_path, "bom.txt", PLAN.encode(codec)))
    assert raw.text == PLAN
    assert "\ufeff" not in raw.text


def test_ingest_txt_cp1258(tmp_path: Path) -> None:
    raw = read_raw(_write(tmp_path, "cp1258.txt", _cp1258_bytes(PLAN)))
    assert raw.encoding == "cp1258"
    assert raw.text == PLAN
    assert [w.code for w in raw.warnings] == [W_LEGACY_ENCODING]


def test_ingest_txt_tcvn3(tmp_path: Path) -> None:
    data = _tcvn3_bytes(PLAN)
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    raw = read_raw(_write(tmp_path, "abc.txt", data))
    assert raw.encoding == "tcvn3"
    assert raw.text == PLAN
    assert raw.warnings[0].code == W_LEGACY_ENCODING
    assert raw.warnings[0].message == "abc.txt: legacy TCVN3 encoding detected and converted to Unicode"


def test_ingest_txt_tcvn3_inside_utf8(tmp_path: Path) -> None:
    # TCVN3 letters saved as UTF-8 (a crawl that decoded the bytes as Latin-1)
    data = _tcvn3_bytes(PLAN).decode("latin-1").encode("utf-8")
    raw = read_raw(_write(tmp_path, "mojibake.txt", data))
    assert raw.encoding == "utf-8+tcvn3"
    assert raw.text == PLAN


def test_ingest_txt_related_news_cut(tmp_path: Path) -> None:
    tail = "\nCác tin khác\n  • Tăng cường công tác dân vận (26/06/2024)\n  • Trang đầu 12345 Trang cuối\n"
    raw = read_raw(_write(tmp_path, "news.txt", PLAN + tail))
    assert raw.text == PLAN + "\n"


@pytest.mark.parametrize(
    ("line", "text"),
    [
        ("xác định là 34,[7][8] trong đó có 11 tỉnh", "xác định là 34, trong đó có 11 tỉnh"),
        ("32.808 người[a] sinh sống", "32.808 người sinh sống"),
        ("theo [Nghị định][1] của Chính phủ", "theo Nghị định của Chính phủ"),
        ("Điều [5] giữ nguyên", "Điều [5] giữ nguyên"),
    ],
)
def test_ingest_md_footnote_marks_dropped(line: str, text: str) -> None:
    from extractor.ingest.txt import strip_markdown

    assert strip_markdown(line) == text


def test_ingest_md_markup_stripped(tmp_path: Path) -> None:
    source = (
        "# Kế hoạch số 123-KH/TU\n"
        "\n"
        "Theo **Kết luận số 40-KL/TW** của *Bộ Chính trị* và __Quy định__ số 70-QĐ/TW.\n"
        "Xem [Nghị quyết 18-NQ/TW](https://example.vn/nq-18.html) ![ảnh](anh.png) <b>nay</b>.\n"
        "| Đơn vị | Năm 2024 |\n"
        "|---|---:|\n"
        "| Khối Đảng | 1.247 |\n"
        "```\n"
        "- mục giữ nguyên\n"
        "```\n"
        "- Tổng biên chế 28.489\n"
    )
    raw = read_raw(_write(tmp_path, "plan.md", source))
    assert raw.format == "md"
    assert raw.text.splitlines() == [
        "Kế hoạch số 123-KH/TU",
        "",
        "Theo Kết luận số 40-KL/TW của Bộ Chính trị và Quy định số 70-QĐ/TW.",
        "Xem Nghị quyết 18-NQ/TW ảnh nay.",
        "Đơn vị | Năm 2024",
        "Khối Đảng | 1.247",
        "- mục giữ nguyên",
        "- Tổng biên chế 28.489",
    ]


HTML_PAGE = """<!DOCTYPE html><html><head><meta charset="{charset}"><title>Tin</title>
<script>var menu = "Trang chủ";</script><style>p {{ color: red }}</style></head><body>
<header><div class="logo">Cổng thông tin điện tử tỉnh</div></header>
<nav><ul><li><a href="/">Trang chủ</a></li><li><a href="/tin">Tin tức</a></li></ul></nav>
<div class="sidebar"><a href="/q">Quảng cáo</a> Liên kết website các sở ngành trong tỉnh và cả nước.</div>
<div id="main" class="news-detail">
<h1>Kế hoạch quản lý biên chế</h1>
<p>Ngày 11/8/2023, Ban Thường vụ Tỉnh ủy kí ban hành Kế hoạch số 123-KH/TU về quản lý biên chế.</p>
<p>Tổng biên chế năm 2024 là 28.489 biên chế,<br>giảm 951 biên chế so với năm 2022.</p>
<table><tr><th>Đơn vị</th><th>2024</th></tr><tr><td>Khối Đảng</td><td>1.247</td></tr></table>
<p>Giao Ban Tổ chức Tỉnh ủy theo dõi, đôn đốc việc thực hiện Kế hoạch này.</p>
<h3>Các tin khác</h3>
<ul><li><a href="/1">Tăng cường công tác dân vận (26/06/2024)</a></li>
<li><a href="/2">Phát triển hạ tầng đồng bộ (14/05/2024)</a></li></ul>
</div>
<footer>Bản quyền thuộc Tỉnh ủy</footer></body></html>"""


@pytest.mark.parametrize("charset", ["utf-8", "windows-1258"])
def test_ingest_html_article_without_menus(tmp_path: Path, charset: str) -> None:
    page = HTML_PAGE.format(charset=charset)
    data = page.encode("utf-8") if charset == "utf-8" else _cp1258_bytes(page)
    raw = read_raw(_write(tmp_path, "tin.html", data))
    assert raw.format == "html"
    assert raw.text.splitlines() == [
        "Kế hoạch quản lý biên chế",
        "Ngày 11/8/2023, Ban Thường vụ Tỉnh ủy kí ban hành Kế hoạch số 123-KH/TU về quản lý biên chế.",
        "Tổng biên chế năm 2024 là 28.489 biên chế,",
        "giảm 951 biên chế so với năm 2022.",
        "Đơn vị | 2024",
        "Khối Đảng | 1.247",
        "Giao Ban Tổ chức Tỉnh ủy theo dõi, đôn đốc việc thực hiện Kế hoạch này.",
    ]


def test_ingest_html_table_spans_read_as_a_grid(tmp_path: Path) -> None:
    page = (
        "<html><body><article><p>Biên chế công chức các vụ thuộc Bộ như sau:</p><table>"
        "<thead><tr><th rowspan='2'>STT</th><th rowspan='2'>Đơn vị</th><th colspan='2'>Năm 2024</th></tr>"
        "<tr><th>Được giao</th><th>Có mặt</th></tr></thead>"
        "<tbody><tr><td>1</td><td>Vụ Pháp chế</td><td>22</td><td>21</td></tr>"
        "<tr><td colspan='2'>Tổng cộng</td><td>22</td><td>21</td></tr></tbody></table></article></body></html>"
    )
    raw = read_raw(_write(tmp_path, "bang.html", page))
    assert raw.text.splitlines()[1:] == [
        "STT | Đơn vị | Năm 2024 | ", " |  | Được giao | Có mặt", "1 | Vụ Pháp chế | 22 | 21", "Tổng cộng |  | 22 | 21",
    ]


def test_ingest_html_inline_related_box_dropped(tmp_path: Path) -> None:
    page = (
        "<html><body><article><p>Đoạn một của bài viết về biên chế năm 2024.</p>"
        "<p><strong>Tin liên quan</strong></p><ul><li><a href='/a'>Một tin khác</a></li></ul>"
        "<p>Đoạn hai của bài viết, nói về Kết luận số 40-KL/TW của Bộ Chính trị.</p>"
        "<p>Đoạn ba của bài viết, nói về Quy định số 70-QĐ/TW của Bộ Chính trị.</p>"
        "</article></body></html>"
    )
    raw = read_raw(_write(tmp_path, "bai.htm", page))
    assert raw.text.splitlines() == [
        "Đoạn một của bài viết về biên chế năm 2024.",
        "Đoạn hai của bài viết, nói về Kết luận số 40-KL/TW của Bộ Chính trị.",
        "Đoạn ba của bài viết, nói về Quy định số 70-QĐ/TW của Bộ Chính trị.",
    ]


def test_ingest_docx_paragraphs_and_table(tmp_path: Path) -> None:
    path = write_docx(
        "Hội nghị quán triệt\nKết luận số 40-KL/TW ngày 18/7/2022.\nĐoạn cuối.",
        tmp_path / "hoi-nghi.docx",
        table=[["Đơn vị", "2024"], ["Khối Đảng", "1.247"]],
    )
    raw = read_raw(path)
    assert raw.format == "docx"
    assert raw.text.splitlines() == [
        "Hội nghị quán triệt",
        "Kết luận số 40-KL/TW ngày 18/7/2022.",
        "Đoạn cuối.",
        "Đơn vị | 2024",
        "Khối Đảng | 1.247",
    ]


@needs_font
def test_ingest_pdf_text_and_page_starts(tmp_path: Path) -> None:
    text = "\n".join(f"Đoạn {i}: Ủy ban nhân dân tỉnh giao {i}.000 biên chế theo Kế hoạch số 123-KH/TU." for i in range(90))
    path = write_pdf(text, tmp_path / "plan.pdf")
    raw = read_raw(path)
    document = pdfium.PdfDocument(str(path))
    try:
        pages = len(document)
        first_lines = [document[i].get_textpage().get_text_range().split("\r\n")[0] for i in range(pages)]
    finally:
        document.close()
    assert pages >= 2
    assert raw.format == "pdf"
    assert len(raw.page_starts) == pages and raw.page_starts[0] == 0
    assert raw.page_starts == sorted(raw.page_starts)
    for start, line in zip(raw.page_starts, first_lines, strict=True):
        assert raw.text[start:].startswith(line)
    flat = " ".join(raw.text.split())
    assert "Đoạn 89: Ủy ban nhân dân tỉnh giao 89.000 biên chế theo Kế hoạch số 123-KH/TU." in flat
    assert "\r" not in raw.text


@needs_font
def test_ingest_pdf_table_rows(tmp_path: Path) -> None:
    path = write_pdf(
        "Biên chế năm 2024\nBảng dưới đây nêu số biên chế từng khối.",
        tmp_path / "bang.pdf",
        table=[["Đơn vị", "Năm 2024", "Năm 2025"], ["Ủy ban nhân dân", "1.247", "1.219"], ["Sở Nội vụ", "120", "118"]],
    )
    lines = read_raw(path).text.splitlines()
    assert lines == [
        "Biên chế năm 2024",
        "Bảng dưới đây nêu số biên chế từng khối.",
        "Đơn vị | Năm 2024 | Năm 2025",
        "Ủy ban nhân dân | 1.247 | 1.219",
        "Sở Nội vụ | 120 | 118",
    ]


@needs_font
def test_ingest_pdf_legacy_font_text_converted(tmp_path: Path) -> None:
    # a .VnTime PDF: the text layer holds TCVN3 letters as Latin-1 characters, and
    # ư (byte 0xAD, the soft-hyphen slot) as U+2212 MINUS SIGN
    legacy = _tcvn3_bytes(PLAN).decode("latin-1").replace("\xad", "\u2212")
    path = write_pdf(legacy, tmp_path / "vntime.pdf")
    raw = read_raw(path)
    assert " ".join(raw.text.split()) == " ".join(PLAN.split())
    assert [w.code for w in raw.warnings] == [W_LEGACY_ENCODING]


def test_ingest_docx_legacy_font_text_converted(tmp_path: Path) -> None:
    path = write_docx(_tcvn3_bytes(PLAN).decode("latin-1"), tmp_path / "vntime.docx")
    raw = read_raw(path)
    assert raw.text == PLAN
    assert raw.warnings[0].message == "vntime.docx: legacy TCVN3 encoding detected and converted to Unicode"


def test_ingest_pdf_blank_page_warned(tmp_path: Path) -> None:
    raw = read_raw(_ascii_pdf(tmp_path / "blank.pdf", ["", "Bien che nam 2024", ""]))
    assert raw.text.strip() == "Bien che nam 2024"
    assert [w.code for w in raw.warnings] == [W_PDF_PAGE_NO_TEXT]
    assert raw.warnings[0].message.startswith("blank.pdf: no text on pages 1, 3")
    assert len(raw.page_starts) == 3


# --- bad inputs ------------------------------------------------------------


def _encrypted_pdf(tmp_path: Path) -> Path:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.set_encryption(owner_password="owner", user_password="user")
    pdf.add_page()
    pdf.set_font("helvetica", size=12)
    pdf.cell(text="secret")
    path = tmp_path / "locked.pdf"
    pdf.output(str(path))
    return path


BAD_INPUTS: dict[str, tuple[str, Callable[[Path], Path], str, str]] = {
    "empty": ("empty.txt", lambda tmp: _write(tmp, "empty.txt", b""), E_EMPTY, "empty"),
    "whitespace": ("blank.md", lambda tmp: _write(tmp, "blank.md", " \n\t\n"), E_EMPTY, "no text"),
    "random pdf": ("broken.pdf", lambda tmp: _write(tmp, "broken.pdf", os.urandom(4000)), E_PDF_CORRUPT, "not a readable PDF"),
    "encrypted pdf": ("locked.pdf", _encrypted_pdf, E_PDF_ENCRYPTED, "encrypted"),
    "image-only pdf": ("scan.pdf", lambda tmp: _ascii_pdf(tmp / "scan.pdf", ["", ""]), E_PDF_NO_TEXT, "OCR"),
    "docx not zip": ("report.docx", lambda tmp: _write(tmp, "report.docx", "plain text"), E_DOCX_CORRUPT, "not a readable DOCX"),
    "binary txt": ("data.txt", lambda tmp: _write(tmp, "data.txt", bytes(range(256)) * 4), E_BINARY, "binary"),
    "pdf named txt": ("x.txt", lambda tmp: _write(tmp, "x.txt", b"%PDF-1.7\n" + b"\x00" * 20), E_BINARY, "PDF"),
    "missing": ("missing.txt", lambda tmp: tmp / "missing.txt", E_NOT_FOUND, "not found"),
    "unsupported": ("sheet.xlsx", lambda tmp: _write(tmp, "sheet.xlsx", b"PK\x03\x04"), E_UNSUPPORTED, "unsupported"),
}


@pytest.mark.parametrize("case", list(BAD_INPUTS), ids=list(BAD_INPUTS))
def test_ingest_bad_input_clear_error(tmp_path: Path, case: str) -> None:
    name, make, code, words = BAD_INPUTS[case]
    with pytest.raises(IngestError) as info:
        read_raw(make(tmp_path))
    assert info.value.code == code
    assert info.value.message.startswith(f"{name}: ")
    assert words in info.value.message


@needs_font
def test_ingest_pdf_truncated_half_refused(tmp_path: Path) -> None:
    whole = write_pdf("\n".join([PLAN] * 30), tmp_path / "whole.pdf").read_bytes()
    path = _write(tmp_path, "truncated.pdf", whole[: len(whole) // 2])
    with pytest.raises(IngestError) as info:
        read_raw(path)
    assert info.value.code == E_PDF_CORRUPT
    assert info.value.message.startswith("truncated.pdf: not a readable PDF (file is truncated or corrupt: ")


def test_ingest_pdf_truncated_keeps_readable_pages(tmp_path: Path) -> None:
    whole = _ascii_pdf(tmp_path / "whole.pdf", ["Trang mot " * 50, "Trang hai " * 50, "Trang ba " * 50])
    data = whole.read_bytes()
    path = _write(tmp_path, "cut.pdf", data[: len(data) // 2])
    raw = read_raw(path)
    assert "Trang mot" in raw.text
    assert [w.code for w in raw.warnings] == [W_PDF_PARTIAL]
    assert raw.warnings[0].message.startswith("cut.pdf: the PDF is truncated or damaged; read ")


def test_ingest_too_large(tmp_path: Path) -> None:
    path = tmp_path / "huge.txt"
    with path.open("wb") as handle:
        handle.truncate(21_000_000)
    with pytest.raises(IngestError) as info:
        read_raw(path, max_bytes=20_000_000)
    assert info.value.code == E_TOO_LARGE
    message = info.value.message
    assert message.startswith("huge.txt: ") and "21.0 MB" in message and "20.0 MB" in message
    assert "--max-mb" in message


# --- files and folders -----------------------------------------------------


def test_ingest_iter_input_files(tmp_path: Path) -> None:
    for rel in ["b/plan.PDF", "a.txt", "b/c/note.md", ".hidden.txt", ".git/x.txt", "b/skip.xlsx", "page.htm"]:
        target = tmp_path / "in" / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text("x")
    single = tmp_path / "single.xlsx"
    single.write_text("x")
    found = iter_input_files([single, tmp_path / "in", tmp_path / "in" / "a.txt"])
    root = tmp_path / "in"
    assert found == [single, root / "a.txt", root / "b/c/note.md", root / "b/plan.PDF", root / "page.htm"]
    assert ".pdf" in SUPPORTED_SUFFIXES


# --- boilerplate -----------------------------------------------------------


def _marker_cases() -> list[tuple[str, str, bool]]:
    cases: list[tuple[str, str, bool]] = []
    for entry in load_file("boilerplate")["tail_markers"]:
        cases += [(entry["phrase"], text, True) for text in entry.get("examples", [])]
        cases += [(entry["phrase"], text, False) for text in entry.get("negatives", [])]
    return cases


@pytest.mark.parametrize(("phrase", "text", "cut"), _marker_cases())
def test_ingest_boilerplate_patterns(phrase: str, text: str, cut: bool) -> None:
    result = cut_boilerplate_tail(text)
    if cut:
        assert len(result) < len(text), f"{phrase!r} should cut {text!r}"
        assert text.startswith(result.rstrip("\n"))
        assert phrase.casefold() not in result.casefold().split("\n")[-2:]
    else:
        assert result == text, f"{phrase!r} should not cut {text!r}"


def test_ingest_boilerplate_every_marker_has_examples() -> None:
    for entry in load_file("boilerplate")["tail_markers"]:
        assert entry.get("examples") and entry.get("negatives"), entry["phrase"]


@given(st.text(alphabet=st.sampled_from("ab \nCác tin khác"), max_size=80))
def test_ingest_boilerplate_cut_is_prefix(text: str) -> None:
    result = cut_boilerplate_tail(text)
    assert result == text or text.startswith(result.rstrip())


# --- the shared corpus -----------------------------------------------------


def _shared(*parts: str) -> Path:
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"{path} is absent")
    return path


def test_ingest_seeds_read_and_tails_cut() -> None:
    seeds = _shared("seeds")
    texts = {path.name: read_raw(path).text for path in sorted(seeds.glob("*.txt"))}
    assert len(texts) == 5
    plan = texts["001_02c0c7e95a57206c.txt"]
    assert "123-KH/TU" in plan and "Các tin khác" not in plan and plan.rstrip().endswith("TH-VPTU")
    assert "Thống kê truy cập" not in texts["002_b492399a474e869d.txt"]


def test_ingest_corpus_extra_reads_without_error() -> None:
    folder = _shared("corpus-extra")
    files = iter_input_files([folder])
    assert len(files) > 300
    for path in files:
        raw = read_raw(path)
        assert raw.text.strip(), path.name
        assert "**" not in raw.text and "](http" not in raw.text, path.name


@needs_font
def test_ingest_make_corpus_pdf_readable(tmp_path: Path) -> None:
    import importlib.util

    seeds = _shared("seeds")
    spec = importlib.util.spec_from_file_location("make_corpus", REPO / "scripts" / "make_corpus.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    written = module.build_corpus(seeds, tmp_path / "corpus")
    assert {p.name for p in written} >= {"kh-123-longan.pdf", "hoi-nghi-bien-che.docx", "ban-scan-004.pdf"}
    import pypdfium2

    scan = pypdfium2.PdfDocument(tmp_path / "corpus" / "ban-scan-004.pdf")
    assert len(scan) == 2 and not scan[0].get_textpage().get_text_range().strip()  # image only: OCR's work
    assert module.check_pdf(tmp_path / "corpus" / "kh-123-longan.pdf") == []
    pdf = read_raw(tmp_path / "corpus" / "kh-123-longan.pdf")
    assert len(pdf.page_starts) >= 5
    docx = read_raw(tmp_path / "corpus" / "hoi-nghi-bien-che.docx")
    assert "Kết luận số 40-KL/TW" in docx.text
