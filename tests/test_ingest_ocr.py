"""OCR of scanned PDFs and images, the per-page decision, and word boxes.

The scans are made in the test: Vietnamese text drawn with DejaVu Sans on a
300 dpi page, saved as an image-only PDF or a PNG. Tesseract with its
Vietnamese model is needed; without it these tests skip, unless
``BIENCHE_REQUIRE_OCR=1`` (set by scripts/test.sh after installing it as root).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from PIL import Image, ImageDraw, ImageFont

from extractor.document import load_document
from extractor.errors import E_PDF_NO_TEXT, W_OCR_PAGES, IngestError
from extractor.ingest import ocr, read_raw
from extractor.pipeline import extract_document

FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
DPI = 300
LINES = [
    "ỦY BAN NHÂN DÂN TỈNH BÌNH AN",
    "Số: 45/QĐ-UBND",
    "Căn cứ Nghị định số 62/2020/NĐ-CP ngày 01/6/2020 của Chính phủ;",
    "Năm 2025, giao 1.234 biên chế công chức cho các cơ quan hành chính.",
]
TABLE = [("STT", "Đơn vị", "Năm 2025", "Năm 2026"), ("1", "Sở Nội vụ", "58", "57"),
         ("2", "Sở Tài chính", "61", "60"), ("", "Tổng cộng", "119", "117")]


def _need_ocr() -> None:
    missing = ocr.ocr_missing()
    if missing is None:
        return
    if os.environ.get("BIENCHE_REQUIRE_OCR") == "1":
        pytest.fail(f"{missing} (BIENCHE_REQUIRE_OCR=1)")
    pytest.skip(missing)


def _page(with_table: bool = True) -> Image.Image:
    if not FONT.exists():
        pytest.skip("DejaVu Sans is not installed (apt-get install fonts-dejavu-core)")
    font = ImageFont.truetype(str(FONT), 42)
    image = Image.new("L", (2480, 3508), 255)
    draw = ImageDraw.Draw(image)
    for i, line in enumerate(LINES):
        draw.text((250, 300 + i * 90), line, font=font, fill=0)
    if with_table:
        for r, row in enumerate(TABLE):
            for x, cell in zip((250, 500, 1300, 1800), row, strict=True):
                draw.text((x, 800 + r * 90), cell, font=font, fill=0)
    return image


def _signed_pdf(tmp_path: Path, target: Path) -> Path:
    """A scanned page as an image with one typed line over it (a scan signed digitally)."""
    from fpdf import FPDF

    body = tmp_path / "body.png"
    _page(with_table=False).save(body, dpi=(DPI, DPI))
    pdf = FPDF()
    pdf.add_font("dejavu", fname=str(FONT))
    pdf.set_font("dejavu", size=9)
    pdf.add_page()
    pdf.image(str(body), x=0, y=0, w=210, h=297)
    pdf.set_xy(120, 285)
    pdf.cell(text="Ký bởi: Văn phòng UBND tỉnh Bình An")
    pdf.output(str(target))
    return target


@pytest.fixture(scope="module")
def scan_pdf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An image-only PDF of one A4 page at 300 dpi."""
    path = tmp_path_factory.mktemp("scan") / "quyet-dinh.pdf"
    _page().save(path, resolution=float(DPI))
    return path


def test_ingest_ocr_scanned_pdf_read(scan_pdf: Path) -> None:
    _need_ocr()
    raw = read_raw(scan_pdf)
    assert raw.ocr_pages == [1]
    assert [w.code for w in raw.warnings] == [W_OCR_PAGES]
    assert "45/QĐ-UBND" in raw.text
    assert "1.234 biên chế" in raw.text
    assert "1 | Sở Nội vụ | 58 | 57" in raw.text  # table rows from word positions


def test_ingest_ocr_image_file_read(tmp_path: Path) -> None:
    _need_ocr()
    path = tmp_path / "trang.png"
    _page(with_table=False).save(path, dpi=(DPI, DPI))
    raw = read_raw(path)
    assert raw.format == "image"
    assert "62/2020/NĐ-CP" in raw.text
    assert raw.page_sizes and abs(raw.page_sizes[0][0] - 595.2) < 1


def test_ingest_ocr_boxes_inside_page_and_on_the_words(scan_pdf: Path) -> None:
    _need_ocr()
    document = load_document(scan_pdf)
    width, height = document.page_sizes[0]
    for box in document.boxes:
        assert 0 <= box.x0 < box.x1 <= width and 0 <= box.top < box.bottom <= height
        assert box.conf is not None and 0 <= box.conf <= 100
    result = extract_document(document)
    figure = next(f for f in result.figures if f.value == 1234)
    assert figure.page == 1 and figure.bbox is not None
    x0, top, x1, bottom = figure.bbox
    # drawn at x=250 px, line 4 at y=300+3*90 px: in points, x ≈ 60 + the words before it
    assert 60 < x0 < x1 < 595 and 300 + 3 * 90 < top * DPI / 72 + 5 < bottom * DPI / 72 + 5 < 300 + 4 * 90 + 10
    citation = next(c for c in result.citations if c.id == "45/QĐ-UBND")
    assert citation.bbox is not None and citation.ocr_confidence is not None


def test_ingest_ocr_missing_tesseract_says_how_to_install(scan_pdf: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ocr, "ocr_missing", lambda: "Tesseract is not installed; " + ocr.INSTALL_HINT)
    with pytest.raises(IngestError) as info:
        read_raw(scan_pdf)
    assert info.value.code == E_PDF_NO_TEXT
    assert info.value.message.startswith("quyet-dinh.pdf: ")
    assert "apt-get install tesseract-ocr tesseract-ocr-vie" in info.value.message


def test_ingest_ocr_text_layer_pdf_has_boxes_without_ocr(tmp_path: Path) -> None:
    if not FONT.exists():
        pytest.skip("DejaVu Sans is not installed")
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_font("dejavu", fname=str(FONT))
    pdf.set_font("dejavu", size=12)
    pdf.add_page()
    pdf.set_xy(20, 40)
    pdf.cell(text="Năm 2025, giao 2.468 biên chế công chức cho các sở.")
    path = tmp_path / "layer.pdf"
    pdf.output(str(path))
    document = load_document(path)
    assert document.ocr_pages == []
    figure = next(f for f in extract_document(document).figures if f.value == 2468)
    assert figure.page == 1 and figure.ocr_confidence is None and figure.bbox is not None
    x0, top, x1, bottom = figure.bbox
    mm = 72 / 25.4
    assert 20 * mm < x0 < x1 < 200 * mm and 38 * mm < top < bottom < 50 * mm


def test_ingest_ocr_partial_page_keeps_text_layer_and_adds_scan(tmp_path: Path) -> None:
    """A typed line over a scanned body (a signed scan): both are read, the typed line once."""
    _need_ocr()
    raw = read_raw(_signed_pdf(tmp_path, tmp_path / "signed.pdf"))
    assert raw.ocr_pages == [1]
    assert raw.text.count("Ký bởi: Văn phòng UBND tỉnh Bình An") == 1
    assert "1.234 biên chế" in raw.text


def test_ingest_ocr_mixed_folder_one_command(tmp_path: Path) -> None:
    """Text PDF, scan, signed scan with a text line, DOCX and PNG in one `bienche extract`."""
    _need_ocr()
    import json
    import subprocess
    import sys

    from fpdf import FPDF

    from extractor.ingest.samples import write_docx

    folder = tmp_path / "in"
    folder.mkdir()
    _page().save(folder / "scan.pdf", resolution=float(DPI))
    _page(with_table=False).save(folder / "trang.png", dpi=(DPI, DPI))
    write_docx("\n".join(LINES), folder / "van-ban.docx")
    pdf = FPDF()
    pdf.add_font("dejavu", fname=str(FONT))
    pdf.set_font("dejavu", size=11)
    pdf.add_page()
    pdf.multi_cell(0, 6, "\n".join(LINES))
    pdf.output(str(folder / "text.pdf"))
    _signed_pdf(tmp_path, folder / "signed.pdf")
    out = tmp_path / "out"
    done = subprocess.run([sys.executable, "-m", "extractor", "extract", str(folder), "-o", str(out)],
                          capture_output=True, text=True, check=False, timeout=600)
    assert done.returncode == 0, done.stderr
    results = {Path(r["source"]).name: r for r in map(json.loads, (out / "results.jsonl").read_text().splitlines())}
    assert set(results) == {"scan.pdf", "trang.png", "van-ban.docx", "text.pdf", "signed.pdf"}
    for name, result in results.items():
        assert result["errors"] == [], name
        assert any(c["id"] == "62/2020/NĐ-CP" for c in result["citations"]), name
        scanned = name in ("scan.pdf", "trang.png", "signed.pdf")
        assert any(w["code"] == W_OCR_PAGES for w in result["warnings"]) == scanned, name
        if name.endswith((".pdf", ".png")):
            assert all(f["bbox"] is not None for f in result["figures"]), name


RULED = [("STT", "Cơ quan, đơn vị", "Công chức", "Viên chức"), ("1", "Sở Nội vụ", "58", "19"),
         ("2", "Sở Tài chính", "97", "10"), ("3", "Sở Xây dựng", "84", "36"), ("", "Tổng cộng", "239", "65")]
RULED_X = (200, 420, 1300, 1800, 2300)  # column borders, px


def _ruled_page(skew_degrees: float) -> Image.Image:
    """A table drawn in a ruled grid (3 px borders), with dust specks in its cells, turned a little."""
    if not FONT.exists():
        pytest.skip("DejaVu Sans is not installed (apt-get install fonts-dejavu-core)")
    font = ImageFont.truetype(str(FONT), 42)
    image = Image.new("L", (2480, 3508), 235)
    draw = ImageDraw.Draw(image)
    draw.text((250, 300), LINES[0], font=font, fill=20)
    top, pitch = 600, 110
    for r, row in enumerate(RULED):
        for k, cell in enumerate(row):
            draw.text((RULED_X[k] + 30, top + r * pitch + 30), cell, font=font, fill=20)
        draw.ellipse((RULED_X[4] - 100, top + r * pitch + 40, RULED_X[4] - 97, top + r * pitch + 43), fill=20)
    bottom = top + len(RULED) * pitch
    for r in range(len(RULED) + 1):
        draw.line((RULED_X[0], top + r * pitch, RULED_X[-1], top + r * pitch), fill=20, width=3)
    for x in RULED_X:
        draw.line((x, top, x, bottom), fill=20, width=3)
    return image.rotate(skew_degrees, resample=Image.Resampling.BICUBIC, fillcolor=235)


def test_ingest_ocr_clean_page_paints_out_rules_and_specks() -> None:
    from extractor.ingest.ocr_rules import clean_page, rule_mask

    page = _ruled_page(0.0)
    assert page.crop((RULED_X[0], 600 + 2 * 110 - 2, RULED_X[-1], 600 + 2 * 110 + 2)).getextrema()[0] < 50
    cleaned = clean_page(page, DPI)
    grid_row = cleaned.crop((RULED_X[0], 600 + 2 * 110 - 8, RULED_X[-1], 600 + 2 * 110 + 8))
    assert grid_row.getextrema()[0] > 150  # the rule under row 1 is gone
    speck = cleaned.crop((RULED_X[4] - 110, 600 + 110 + 30, RULED_X[4] - 86, 600 + 110 + 54))
    assert speck.getextrema()[0] > 150
    assert cleaned.crop((RULED_X[1] + 30, 600 + 110 + 30, RULED_X[2], 600 + 2 * 110)).getextrema()[0] < 50
    grid = rule_mask(page, DPI).sum()
    assert 0.9 * grid < rule_mask(_ruled_page(1.2), DPI).sum() < 1.1 * grid  # askew: the same rules
    assert clean_page(_page(), DPI).getextrema()[0] < 50  # text without rules keeps its ink


@pytest.mark.parametrize("skew", [0.0, 1.2, -1.6])
def test_ingest_ocr_ruled_table_rows_as_cells(tmp_path: Path, skew: float) -> None:
    """A table in a ruled grid, scanned a little askew: each row one "cell | cell" line
    of four cells (Tesseract may drop the lone digits of the STT column; its cell stays)."""
    _need_ocr()
    path = tmp_path / "bang.png"
    _ruled_page(skew).save(path, dpi=(DPI, DPI))
    rows = [line.split(" | ") for line in read_raw(path).text.split("\n") if " | " in line]
    assert rows[0] == list(RULED[0])
    assert [row[1] for row in rows[1:]] == [row[1] for row in RULED[1:]]
    assert all(len(row) == 4 and row[2].isdigit() and row[3].isdigit() for row in rows[1:])
    assert all(row[0] in ("", expected[0]) for row, expected in zip(rows[1:], RULED[1:], strict=True))
    read = [cell for row in rows[1:] for cell in row[2:]]
    assert sum(a == b for a, b in zip(read, (c for row in RULED[1:] for c in row[2:]), strict=True)) >= 6


@pytest.mark.parametrize("dpi", [150.0, 200.0, 300.0, 400.0])
def test_ingest_ocr_prepare_page_scales_fine_pages_down_to_read_dpi(dpi: float) -> None:
    page = Image.new("L", (round(8.27 * dpi), round(11.69 * dpi)), 235)
    prepared, scale = ocr.prepare_page(page, dpi)
    expected = dpi if ocr.OCR_READ_DPI <= 0 or dpi <= ocr.OCR_READ_DPI * 1.05 else ocr.OCR_READ_DPI
    assert prepared.mode == "L"
    assert abs(prepared.width - page.width * expected / dpi) <= 1
    assert abs(prepared.width / scale - 8.27 * 72) < 1  # pixels per point: the page is A4 wide either way
