"""Input limits: zip bombs, XML entities and depth in DOCX, HTML depth, PDF pages
and page sizes, image pixels; each refused with its own code, fast."""

from __future__ import annotations

import io
import multiprocessing
import time
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from extractor.errors import (
    E_DOCX_CORRUPT,
    E_LIMIT_HTML_DEPTH,
    E_LIMIT_INFLATED,
    E_LIMIT_PAGE_SIZE,
    E_LIMIT_PAGES,
    E_LIMIT_PIXELS,
    E_LIMIT_RATIO,
    E_LIMIT_XML,
    E_LIMIT_ZIP_MEMBERS,
    IngestError,
)
from extractor.ingest import read_raw
from extractor.ingest.limits import (
    DEFAULT_LIMITS,
    InputLimits,
    current_limits,
    from_env,
    html_depth,
    read_member,
    render_scale,
    set_limits,
    to_env,
)

TEXT = "Nghị quyết số 18-NQ/TW ngày 25/10/2017 giao 1.263 biên chế."


@pytest.fixture(autouse=True)
def _default_limits() -> Iterator[None]:
    set_limits(None)
    yield
    set_limits(None)


def _docx_bytes(document_xml: str | None = None, extra: dict[str, bytes] | None = None) -> bytes:
    """A minimal DOCX built with python-docx; ``document_xml`` replaces its body part."""
    import docx

    source = io.BytesIO()
    doc = docx.Document()
    doc.add_paragraph(TEXT)
    doc.save(source)
    out = io.BytesIO()
    with zipfile.ZipFile(source) as base, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as package:
        for info in base.infolist():
            data = base.read(info.filename)
            if info.filename == "word/document.xml" and document_xml is not None:
                data = document_xml.encode("utf-8")
            package.writestr(info.filename, data)
        for member, data in (extra or {}).items():
            package.writestr(member, data)
    return out.getvalue()


def _document_xml() -> str:
    with zipfile.ZipFile(io.BytesIO(_docx_bytes())) as package:
        return package.read("word/document.xml").decode("utf-8")


def _with_body(prefix: str, suffix: str, doctype: str = "") -> str:
    xml = _document_xml()
    head, rest = xml.split("?>", 1)
    at = rest.index("<w:body>") + len("<w:body>")
    return head + "?>" + doctype + rest[:at] + prefix + suffix + rest[at:]


def _refused(path: Path) -> IngestError:
    with pytest.raises(IngestError) as info:
        read_raw(path)
    assert info.value.message.startswith(f"{path.name}: ")
    return info.value


# --- ZIP packages ------------------------------------------------------------------------

ZIP_CASES = {
    "zip bomb": ({"word/media/zeros.bin": b"\0" * 5_000_000}, DEFAULT_LIMITS, E_LIMIT_RATIO, "zip bomb"),
    "members": ({f"word/x{i}.xml": b"<x/>" for i in range(30)}, InputLimits(max_zip_members=20),
                E_LIMIT_ZIP_MEMBERS, "members"),
    "member size": ({"word/media/big.bin": bytes(range(256)) * 4_000}, InputLimits(max_member_bytes=500_000),
                    E_LIMIT_INFLATED, "member word/media/big.bin would inflate to 1.0 MB"),
    "total size": ({f"word/media/{i}.bin": bytes(range(256)) * 1_000 for i in range(4)},
                   InputLimits(max_inflated_bytes=800_000), E_LIMIT_INFLATED, "the package inflates to"),
}


@pytest.mark.parametrize("case", list(ZIP_CASES), ids=list(ZIP_CASES))
def test_limits_zip_refused_before_inflating(tmp_path: Path, case: str) -> None:
    extra, limits, code, words = ZIP_CASES[case]
    path = tmp_path / "goi.docx"
    path.write_bytes(_docx_bytes(extra=extra))
    set_limits(limits)
    error = _refused(path)
    assert error.code == code
    assert words in error.message and "raises the limit" in error.message


def test_limits_zip_member_read_stops_at_budget() -> None:
    archive = zipfile.ZipFile(io.BytesIO(_docx_bytes(extra={"word/media/a.bin": bytes(range(256)) * 8_000})))
    entry = archive.getinfo("word/media/a.bin")
    with pytest.raises(IngestError) as info:
        read_member(archive, entry, "goi.docx", budget=1_000_000)
    assert info.value.code == E_LIMIT_INFLATED
    assert len(read_member(archive, entry, "goi.docx", budget=3_000_000)) == 2_048_000


def test_limits_docx_within_limits_reads(tmp_path: Path) -> None:
    path = tmp_path / "ok.docx"
    path.write_bytes(_docx_bytes(extra={"word/media/photo.bin": bytes(range(256)) * 400}))
    assert TEXT in read_raw(path).text


# --- XML in DOCX -----------------------------------------------------------------------

_LAUGHS = "".join(
    f'<!ENTITY l{i} "{("&l%d;" % (i - 1)) * 10 if i else "ha"}">' for i in range(9)
)
XML_CASES = {
    "billion laughs": (_with_body("<w:p><w:r><w:t>&l8;</w:t></w:r></w:p>", "",
                                  f"<!DOCTYPE w:document [{_LAUGHS}]>"), "declares a DTD or entities"),
    "external entity": (_with_body("<w:p><w:r><w:t>&x;</w:t></w:r></w:p>", "",
                                   '<!DOCTYPE w:document [<!ENTITY x SYSTEM "file:///etc/passwd">]>'),
                        "declares a DTD or entities"),
    "deep": (_with_body("<w:sdt><w:sdtContent>" * 120 + "<w:p/>", "</w:sdtContent></w:sdt>" * 120),
             "nests elements more than 200 deep"),
    "deeper than libxml2": (_with_body("<w:customXml>" * 5_000 + "<w:p/>", "</w:customXml>" * 5_000),
                            "nests elements more than 200 deep"),
}


@pytest.mark.parametrize("case", list(XML_CASES), ids=list(XML_CASES))
def test_limits_docx_xml_refused(tmp_path: Path, case: str) -> None:
    xml, words = XML_CASES[case]
    path = tmp_path / "xml.docx"
    path.write_bytes(_docx_bytes(xml))
    started = time.perf_counter()
    error = _refused(path)
    assert time.perf_counter() - started < 2.0
    assert error.code == E_LIMIT_XML
    assert words in error.message


def test_limits_docx_parser_expands_no_entity(tmp_path: Path) -> None:
    """python-docx's own parser (used for every part) neither reads an external
    entity nor expands an internal one, even without our DTD check."""
    from docx.oxml.parser import oxml_parser

    secret = tmp_path / "secret.txt"
    secret.write_text("TOPSECRET")
    xml = (f'<!DOCTYPE r [<!ENTITY x SYSTEM "file://{secret}"><!ENTITY y "expanded">]>'
           "<r><a>&x;</a><b>&y;</b></r>").encode()
    from lxml import etree

    root = etree.fromstring(xml, oxml_parser)
    text = etree.tostring(root).decode()
    assert "TOPSECRET" not in text and "expanded" not in text
    assert "&x;" in text


def test_limits_docx_damaged_member_corrupt(tmp_path: Path) -> None:
    data = bytearray(_docx_bytes(extra={"word/media/a.bin": bytes(range(256)) * 100}))
    at = data.find(b"word/media/a.bin") + len("word/media/a.bin") + 40  # inside its compressed bytes
    data[at : at + 20] = b"\xff" * 20
    path = tmp_path / "broken.docx"
    path.write_bytes(bytes(data))
    assert _refused(path).code == E_DOCX_CORRUPT


# --- HTML ----------------------------------------------------------------------------------


@pytest.mark.parametrize("depth", [1_001, 200_000])
def test_limits_html_deep_refused_fast(tmp_path: Path, depth: int) -> None:
    path = tmp_path / "deep.html"
    path.write_text("<div>" * depth + TEXT + "</div>" * depth, encoding="utf-8")
    started = time.perf_counter()
    error = _refused(path)
    assert time.perf_counter() - started < 2.0
    assert error.code == E_LIMIT_HTML_DEPTH and "--max-html-depth" in error.message


@pytest.mark.parametrize(
    ("html", "depth"),
    [
        ("<html><body><div><p>a<p>b<p>c</div></body></html>", 3),
        ("<ul>" + "<li>x" * 5_000 + "</ul>", 1),
        ("<div>" + "<br><img src=x><hr>" * 3_000 + "</div>", 1),
        ("<div><script>var s = '" + "<div>" * 3_000 + "';</script></div>", 1),
        ("<div><!-- " + "<div>" * 3_000 + " --></div>", 1),
        ("<b><i>x</b></i>" * 2_000, 2),
        ("<DIV><Div><div>x</DIV>", 3),
    ],
)
def test_limits_html_depth_estimate(html: str, depth: int) -> None:
    assert html_depth(html) == depth


def test_limits_html_sloppy_page_reads(tmp_path: Path) -> None:
    path = tmp_path / "sloppy.html"
    path.write_text("<body>" + f"<p>{TEXT}<li>mục" * 3_000 + "</body>", encoding="utf-8")
    assert TEXT in read_raw(path).text


# --- PDF -----------------------------------------------------------------------------------


def _pdf(path: Path, pages: int, size: tuple[float, float] = (210, 297)) -> Path:
    from fpdf import FPDF

    pdf = FPDF(format=size)
    pdf.set_font("helvetica", size=12)
    for number in range(pages):
        pdf.add_page()
        pdf.cell(text=f"Trang so {number + 1}")
    pdf.output(str(path))
    return path


def test_limits_pdf_pages_refused(tmp_path: Path) -> None:
    path = _pdf(tmp_path / "dai.pdf", 5)
    assert "Trang so 5" in read_raw(path).text
    set_limits(InputLimits(max_pages=4))
    error = _refused(path)
    assert error.code == E_LIMIT_PAGES
    assert "5 pages (the limit is 4)" in error.message and "--max-pages" in error.message


def test_limits_pdf_page_size_refused(tmp_path: Path) -> None:
    path = _pdf(tmp_path / "rong.pdf", 1, size=(6_000, 300))  # mm: 17 008 points wide
    error = _refused(path)
    assert error.code == E_LIMIT_PAGE_SIZE and "page 1 is 17,008 x 850 points" in error.message


@pytest.mark.parametrize(
    ("size", "dpi", "scale"),
    [((595.0, 842.0), 300.0, 300.0 / 72.0), ((14_400.0, 14_400.0), 300.0, (100_000_000 / 14_400.0**2) ** 0.5)],
)
def test_limits_render_scale_capped(size: tuple[float, float], dpi: float, scale: float) -> None:
    got = render_scale(*size, dpi)
    assert got == pytest.approx(scale)
    assert size[0] * size[1] * got * got <= DEFAULT_LIMITS.max_pixels * 1.0001


# --- images --------------------------------------------------------------------------------


def test_limits_image_pixels_refused(tmp_path: Path) -> None:
    from PIL import Image

    path = tmp_path / "scan.png"
    Image.new("L", (2_000, 1_000), 255).save(path)
    set_limits(InputLimits(max_pixels=1_000_000))
    error = _refused(path)
    assert error.code == E_LIMIT_PIXELS and "over 1,000,000 pixels" in error.message


def test_limits_image_later_frame_checked(tmp_path: Path) -> None:
    from PIL import Image

    path = tmp_path / "scan.tif"
    small, big = Image.new("L", (100, 100), 255), Image.new("L", (1_500, 1_000), 255)
    small.save(path, save_all=True, append_images=[big])
    set_limits(InputLimits(max_pixels=1_000_000))
    error = _refused(path)
    assert error.code == E_LIMIT_PIXELS and error.message.startswith("scan.tif: frame 2 is 1,500 x 1,000")


def test_limits_image_frames_refused(tmp_path: Path) -> None:
    from PIL import Image

    path = tmp_path / "many.tif"
    frames = [Image.new("L", (50, 50), 255) for _ in range(4)]
    frames[0].save(path, save_all=True, append_images=frames[1:])
    set_limits(InputLimits(max_frames=3))
    assert _refused(path).code == E_LIMIT_PAGES


# --- setting the limits ----------------------------------------------------------------------


def test_limits_from_env_overrides() -> None:
    env = {"BIENCHE_MAX_PAGES": "10", "BIENCHE_MAX_RATIO": "12.5", "BIENCHE_MAX_PIXELS": "oops",
           "BIENCHE_MAX_HTML_DEPTH": "-3"}
    limits = from_env(environ=env)
    assert limits.max_pages == 10 and isinstance(limits.max_pages, int)
    assert limits.max_ratio == 12.5
    assert limits.max_pixels == DEFAULT_LIMITS.max_pixels
    assert limits.max_html_depth == DEFAULT_LIMITS.max_html_depth


def test_limits_to_env_round_trip() -> None:
    limits = InputLimits(max_pages=12, max_ratio=7.5, max_pixels=3_000_000)
    assert from_env(environ=to_env(limits)) == limits


def _child_pages(queue: multiprocessing.Queue[int]) -> None:
    queue.put(current_limits().max_pages)


@pytest.mark.skipif("fork" not in multiprocessing.get_all_start_methods(), reason="needs fork")
def test_limits_set_inherited_by_forked_worker() -> None:
    set_limits(InputLimits(max_pages=7))
    context = multiprocessing.get_context("fork")
    queue: multiprocessing.Queue[int] = context.Queue()
    worker = context.Process(target=_child_pages, args=(queue,))
    worker.start()
    worker.join(30)
    assert queue.get(timeout=5) == 7
    set_limits(None)
    assert current_limits() == from_env()


def test_limits_key_names_every_limit() -> None:
    key = InputLimits(max_pages=9).key()
    assert "max_pages=9" in key and key.count("=") == len(DEFAULT_LIMITS.__dataclass_fields__)
