"""Positioned words to reading-order lines and "cell | cell" table rows (extractor/ingest/layout.py).

Most pages are synthetic word boxes built here (a fixed-pitch font: a character
is half the font size wide, a space 0.3 of it); the last tests read words that
pdfplumber finds in a PDF drawn with fpdf2.
"""

from __future__ import annotations

import math
import random
import time
from collections.abc import Sequence
from pathlib import Path

import pytest

from extractor.ingest.layout import LaidOutLine, Word, WordSpan, estimate_skew, layout, lines_from_words, render
from extractor.ingest.layout_tables import detect_tables
from extractor.ingest.samples import find_unicode_font

SIZE = 10.0
Cell = tuple[str, float, str]  # text, x, "l" (x is the left edge) or "r" (x is the right edge)


def words_at(text: str, x: float, y: float, size: float = SIZE, gap: float | None = None) -> list[Word]:
    """The words of ``text`` from left edge ``x`` on the line whose top is ``y``."""
    out: list[Word] = []
    step = 0.3 * size if gap is None else gap
    for token in text.split():
        width = 0.5 * size * len(token)
        out.append(Word(token, x, y, x + width, y + size, 95.0))
        x += width + step
    return out


def width_of(text: str, size: float = SIZE) -> float:
    return 0.5 * size * len(text) + 0.3 * size * (len(text.split()) - 1)


def row_at(cells: Sequence[Cell], y: float) -> list[Word]:
    """One table row: each cell left- or right-aligned at its x."""
    out: list[Word] = []
    for text, x, align in cells:
        if text:
            out += words_at(text, x if align == "l" else x - width_of(text), y)
    return out


def justified(lines: list[str], y: float, left: float = 50.0, right: float = 500.0) -> list[Word]:
    """Prose lines set flush on both margins (the last one ragged), 16 units apart."""
    out: list[Word] = []
    for n, line in enumerate(lines):
        tokens = line.split()
        letters = sum(0.5 * SIZE * len(t) for t in tokens)
        last = n == len(lines) - 1
        gap = 0.3 * SIZE if last or len(tokens) < 2 else (right - left - letters) / (len(tokens) - 1)
        out += words_at(line, left, y + 16 * n, gap=gap)
    return out


PROSE = [
    "Căn cứ Quy định số 70-QĐ/TW ngày 18 tháng 7 năm 2022 của Bộ Chính trị về quản",
    "lý biên chế của hệ thống chính trị, Ban Thường vụ Tỉnh ủy giao 1.234 biên chế",
    "công chức và 56 biên chế viên chức cho các cơ quan, đơn vị trong năm 2025 như",
    "sau, đồng thời yêu cầu các cơ quan thực hiện tinh giản biên chế theo lộ trình.",
]
COLUMNS = [(50.0, "l"), (90.0, "l"), (380.0, "r"), (480.0, "r")]
QUOTA_ROWS = [
    ["STT", "Đơn vị", "Năm 2025", "Năm 2026"],
    ["1.", "Sở Nội vụ", "1.234", "1.250"],
    ["2.", "Sở Tài chính", "56", "60"],
    ["3.", "Văn phòng Ủy ban nhân dân", "78", "80"],
    ["", "Tổng cộng", "1.368", "1.390"],
]


def table_words(rows: list[list[str]], y: float, pitch: float = 18.0) -> list[Word]:
    out: list[Word] = []
    for n, row in enumerate(rows):
        out += row_at([(text, x, a) for text, (x, a) in zip(row, COLUMNS)], y + pitch * n)
    return out


def quota_page() -> list[Word]:
    return justified(PROSE[:2], 60.0) + table_words(QUOTA_ROWS, 110.0) + justified(PROSE[2:], 220.0)


def assert_spans(text: str, spans: list[WordSpan], words: list[Word]) -> None:
    """Every word kept has one span and the text under it is the word."""
    for span in spans:
        assert text[span.start:span.end] == span.word.text
    assert sorted(id(s.word) for s in spans) == sorted(id(w) for w in words)
    assert [s.start for s in spans] == sorted(s.start for s in spans)


def laid_out(words: list[Word]) -> tuple[list[LaidOutLine], str]:
    lines = layout(words)
    text, spans = render(lines)
    assert_spans(text, spans, words)
    return lines, text


def rotated(words: list[Word], degrees: float, cx: float = 300.0, cy: float = 400.0) -> list[Word]:
    """Each box's centre turned by ``degrees`` about (cx, cy), y downwards (size kept, as OCR boxes are)."""
    a = math.radians(degrees)
    out: list[Word] = []
    for w in words:
        x, y = (w.x0 + w.x1) / 2 - cx, (w.top + w.bottom) / 2 - cy
        nx, ny = cx + x * math.cos(a) - y * math.sin(a), cy + x * math.sin(a) + y * math.cos(a)
        hw, hh = (w.x1 - w.x0) / 2, (w.bottom - w.top) / 2
        out.append(Word(w.text, nx - hw, ny - hh, nx + hw, ny + hh, w.conf))
    return out


def test_layout_prose_is_lines_not_a_table() -> None:
    lines, text = laid_out(justified(PROSE, 100.0))
    assert text.split("\n") == PROSE
    assert not any(line.is_row for line in lines)


QUOTA_TEXT = [
    PROSE[0], PROSE[1],
    "STT | Đơn vị | Năm 2025 | Năm 2026",
    "1. | Sở Nội vụ | 1.234 | 1.250",
    "2. | Sở Tài chính | 56 | 60",
    "3. | Văn phòng Ủy ban nhân dân | 78 | 80",
    " | Tổng cộng | 1.368 | 1.390",
    PROSE[2], PROSE[3],
]


def test_layout_quota_table_rows() -> None:
    lines, text = laid_out(quota_page())
    assert text.split("\n") == QUOTA_TEXT
    assert [line.table for line in lines] == [None, None, 0, 0, 0, 0, 0, None, None]
    assert [len(line.cells) for line in lines if line.is_row] == [4] * 5
    assert lines[6].cells[0] == ()


@pytest.mark.parametrize("degrees", [1.5, -1.5, 2.0, -0.7])
def test_layout_skewed_page_reads_as_straight(degrees: float) -> None:
    words = rotated(quota_page(), degrees)
    assert math.degrees(estimate_skew(words)) == pytest.approx(degrees, abs=0.2)
    _, text = laid_out(words)
    assert text.split("\n") == QUOTA_TEXT


def ocr_like(words: list[Word], seed: int, scale: float = 4.0) -> list[Word]:
    """Ink boxes as Tesseract gives them, in pixels: a word without ascenders is
    shorter at the top, one without descenders at the bottom, every edge jitters."""
    rng = random.Random(seed)
    out: list[Word] = []
    for w in words:
        h = w.bottom - w.top
        tall = any(c.isupper() or c.isdigit() or c in "bdfhklđ" for c in w.text)
        deep = any(c in "gpqyý" for c in w.text)
        top = w.top + (0 if tall else 0.3 * h) + rng.uniform(-0.08, 0.08) * h
        bottom = w.bottom - (0 if deep else 0.2 * h) + rng.uniform(-0.08, 0.08) * h
        x0, x1 = w.x0 + rng.uniform(-0.1, 0.1) * h, w.x1 + rng.uniform(-0.1, 0.1) * h
        out.append(Word(w.text, x0 * scale, top * scale, x1 * scale, bottom * scale, rng.uniform(60, 96)))
    return out


@pytest.mark.parametrize("seed", range(12))
def test_layout_ocr_like_boxes_on_a_skewed_scan(seed: int) -> None:
    degrees = random.Random(seed + 1000).uniform(-3.0, 3.0)
    _, text = laid_out(ocr_like(rotated(quota_page(), degrees), seed))
    assert text.split("\n") == QUOTA_TEXT


def test_layout_empty_cell_and_wrapped_label() -> None:
    rows = [
        ["STT", "Đơn vị", "Công chức", "Viên chức"],
        ["1.", "Sở Nội vụ", "45", ""],
        ["2.", "Ban Quản lý các khu", "12", "7"],
        ["", "công nghiệp tỉnh", "", ""],
        ["3.", "Sở Y tế", "", "2.310"],
    ]
    _, text = laid_out(table_words(rows, 100.0))
    assert text.split("\n") == [
        "STT | Đơn vị | Công chức | Viên chức",
        "1. | Sở Nội vụ | 45 | ",
        "2. | Ban Quản lý các khu công nghiệp tỉnh | 12 | 7",
        "3. | Sở Y tế |  | 2.310",
    ]


def test_layout_two_row_header_with_merged_cell() -> None:
    header = row_at([("STT", 50, "l"), ("Đơn vị", 90, "l"), ("Biên chế được giao", 320, "l")], 100.0)
    header += row_at([("Năm 2025", 380, "r"), ("Năm 2026", 480, "r")], 118.0)
    body = table_words(QUOTA_ROWS[1:4], 136.0)
    lines, text = laid_out(header + body)
    assert text.split("\n") == [
        "STT | Đơn vị | Biên chế được giao | ",
        " |  | Năm 2025 | Năm 2026",
        "1. | Sở Nội vụ | 1.234 | 1.250",
        "2. | Sở Tài chính | 56 | 60",
        "3. | Văn phòng Ủy ban nhân dân | 78 | 80",
    ]
    assert {line.table for line in lines} == {0}


LETTERHEAD = [
    [("TỈNH ỦY HÀ GIANG", 60, "l"), ("ĐẢNG CỘNG SẢN VIỆT NAM", 300, "l")],
    [("*", 100, "l")],
    [("Số 12-CT/TU", 70, "l"), ("Hà Giang, ngày 5 tháng 3 năm 2025", 280, "l")],
]
SIGNATURE = [
    [("Nơi nhận:", 50, "l"), ("T/M BAN THƯỜNG VỤ", 330, "l")],
    [("- Như trên;", 50, "l"), ("KT. BÍ THƯ", 350, "l")],
    [("- Lưu VT.", 50, "l"), ("PHÓ BÍ THƯ", 350, "l")],
    [("Nguyễn Văn An", 345, "l")],
]


def test_layout_letterhead_and_signature_are_not_tables() -> None:
    words = [w for n, row in enumerate(LETTERHEAD) for w in row_at(row, 40.0 + 16 * n)]
    words += justified(PROSE, 110.0)
    words += [w for n, row in enumerate(SIGNATURE) for w in row_at(row, 200.0 + 16 * n)]
    lines, text = laid_out(words)
    assert not any(line.is_row for line in lines)
    assert text.split("\n") == [
        "TỈNH ỦY HÀ GIANG ĐẢNG CỘNG SẢN VIỆT NAM", "*", "Số 12-CT/TU Hà Giang, ngày 5 tháng 3 năm 2025",
        *PROSE,
        "Nơi nhận: T/M BAN THƯỜNG VỤ", "- Như trên; KT. BÍ THƯ", "- Lưu VT. PHÓ BÍ THƯ", "Nguyễn Văn An",
    ]


def test_layout_two_column_numbers_table() -> None:
    rows = [[("Đơn vị", 60, "l"), ("Biên chế", 400, "r")], [("Sở Nội vụ", 60, "l"), ("45", 400, "r")],
            [("Sở Y tế", 60, "l"), ("2.310", 400, "r")], [("Sở Tư pháp", 60, "l"), ("30", 400, "r")]]
    _, text = laid_out([w for n, row in enumerate(rows) for w in row_at(row, 50.0 + 16 * n)])
    assert text.split("\n") == ["Đơn vị | Biên chế", "Sở Nội vụ | 45", "Sở Y tế | 2.310", "Sở Tư pháp | 30"]


def test_layout_vertically_centred_cells_join_their_row() -> None:
    """A ruled table's short cells centred against a two-line label: the label's
    lines sit above and below the numbered line, closer than the rows are."""
    words = row_at([("STT", 50, "l"), ("Chỉ tiêu", 90, "l"), ("Số lượng", 480, "r")], 100.0)
    y = 124.0
    rows = [("1.1.", "Tổng số biên chế", "công chức", "8.512"), ("1.2.", "Số công chức", "có mặt", "8.177")]
    for number, first, second, value in rows:
        words += words_at(first, 90, y) + row_at([(number, 50, "l"), (value, 480, "r")], y + 6.5)
        words += words_at(second, 90, y + 13)
        y += 34.0
    words += row_at([("1.3.", 50, "l"), ("Chưa sử dụng", 90, "l"), ("335", 480, "r")], y)
    _, text = laid_out(words)
    assert text.split("\n") == [
        "STT | Chỉ tiêu | Số lượng",
        "1.1. | Tổng số biên chế công chức | 8.512",
        "1.2. | Số công chức có mặt | 8.177",
        "1.3. | Chưa sử dụng | 335",
    ]


def test_layout_lines_mixed_sizes_and_far_apart_words() -> None:
    words = words_at("ĐIỀU 1.", 50, 96, size=16) + words_at("Phạm vi điều chỉnh", 130, 102)
    words += words_at("trang 2", 450, 102.5) + words_at("Dòng sau", 50, 122)
    lines = lines_from_words(words)
    assert [" ".join(w.text for w in line.words) for line in lines] == [
        "ĐIỀU 1. Phạm vi điều chỉnh trang 2", "Dòng sau"]
    assert all(len(line.cells) == 1 for line in lines)


def test_layout_drops_rule_glyphs_and_blank_words() -> None:
    words = words_at("Sở | Nội vụ", 50, 50) + [Word(" ", 200, 50, 204, 60, -1.0), Word("│", 210, 48, 212, 62)]
    lines = lines_from_words(words)
    assert render(lines)[0] == "Sở Nội vụ"


def test_layout_render_offsets_point_at_words() -> None:
    lines = layout(quota_page())
    text, spans = render(lines)
    first_row = next(n for n, line in enumerate(lines) if line.is_row)
    number = next(s for s in spans if s.word.text == "1.234" and s.line == first_row + 1)
    assert text[number.start:number.end] == "1.234"
    assert text.split("\n")[number.line] == "1. | Sở Nội vụ | 1.234 | 1.250"
    assert number.word.conf == 95.0
    assert lines[first_row + 1].text == "1. | Sở Nội vụ | 1.234 | 1.250"


def test_layout_detect_tables_again_changes_nothing() -> None:
    lines = layout(quota_page())
    assert detect_tables(lines) == lines
    assert detect_tables(lines_from_words(quota_page())) == lines


def test_layout_empty_and_tiny_input() -> None:
    assert layout([]) == []
    assert render([]) == ("", [])
    assert render(layout(words_at("một dòng", 0, 0)))[0] == "một dòng"


def test_layout_two_thousand_words_is_fast() -> None:
    words: list[Word] = []
    blocks = 0
    while len(words) < 2000:
        y = 40.0 + 170.0 * blocks
        words += justified(PROSE, y) + table_words(QUOTA_ROWS, y + 70.0)
        blocks += 1
    start = time.perf_counter()
    lines = layout(rotated(words, 1.0, cy=85.0 * blocks))
    elapsed = time.perf_counter() - start
    assert [line.table for line in lines if line.is_row] == [n for n in range(blocks) for _ in QUOTA_ROWS]
    assert elapsed < 1.5, elapsed


# Real positioned words: an unruled table drawn as text with fpdf2, read back with pdfplumber.

FONT = find_unicode_font()
needs_font = pytest.mark.skipif(FONT is None, reason="no Unicode TTF font (apt-get install fonts-dejavu-core)")


def _unruled_pdf(path: Path) -> None:
    from fpdf import FPDF

    assert FONT is not None
    pdf = FPDF(unit="pt", format="A4")
    pdf.add_font("Body", "", str(FONT[0]))
    pdf.set_font("Body", "", 11)
    pdf.add_page()
    y = 80.0
    for line in PROSE[:2]:
        pdf.text(60, y, line)
        y += 15
    y += 10
    for row in QUOTA_ROWS:
        for text, (x, align) in zip(row, [(60, "l"), (100, "l"), (400, "r"), (500, "r")]):
            if text:
                pdf.text(x if align == "l" else x - pdf.get_string_width(text), y, text)
        y += 17
    y += 10
    for line in PROSE[2:]:
        pdf.text(60, y, line)
        y += 15
    pdf.output(str(path))


@needs_font
def test_layout_pdfplumber_words_unruled_table(tmp_path: Path) -> None:
    import pdfplumber

    path = tmp_path / "unruled.pdf"
    _unruled_pdf(path)
    with pdfplumber.open(path) as pdf:
        found = pdf.pages[0].extract_words()
    words = [Word(str(w["text"]), float(w["x0"]), float(w["top"]), float(w["x1"]), float(w["bottom"])) for w in found]
    lines, text = laid_out(words)
    assert text.split("\n") == QUOTA_TEXT
    assert sum(line.is_row for line in lines) == 5


@needs_font
def test_layout_ruled_table_read_from_word_positions(tmp_path: Path) -> None:
    """A ruled table (scripts/make_table_docs.py) read from its words only, as an
    OCR'd scan is: each body row matches pdfplumber's reading of the ruled grid."""
    import pdfplumber
    from test_make_table_docs import _script

    module = _script()
    source = tmp_path / "ruled.md"
    source.write_text(
        "Biểu biên chế năm 2025\n\n"
        "| STT | Đơn vị | Biên chế được giao | Biên chế được giao | Ghi chú |\n"
        "| STT | Đơn vị | Công chức | Viên chức | Ghi chú |\n"
        "|---|---|---|---|---|\n"
        "| 1 | Sở Nội vụ | 58 | 19 | |\n"
        "| 2 | Ban Quản lý các khu công nghiệp và khu kinh tế tỉnh | 31 | - | Gồm các ban trực thuộc |\n"
        "| 3 | Sở Y tế | 55 | 118 | |\n"
        "| | Cộng | 144 | 137 | |\n",
        encoding="utf-8",
    )
    pdf_path = module.write_pdf(module.parse_markdown(source.read_text(encoding="utf-8")), tmp_path / "ruled.pdf")
    with pdfplumber.open(pdf_path) as pdf:
        page = pdf.pages[0]
        grid = [" | ".join(" ".join((c or "").split()) for c in row) for t in page.find_tables() for row in t.extract()]
        found = page.extract_words()
    words = [Word(str(w["text"]), float(w["x0"]), float(w["top"]), float(w["x1"]), float(w["bottom"])) for w in found]
    _, text = laid_out(words)
    rows = [line for line in text.split("\n") if " | " in line]
    body = grid[2:]
    assert len(body) == 4 and all(row in rows for row in body), (body, rows)
    assert text.split("\n")[0] == "Biểu biên chế năm 2025"
