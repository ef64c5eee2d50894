"""evaluation/make_scans.py (image-only scans of texts) and evaluation/ocr_eval.py (their scoring)."""

from __future__ import annotations

import hashlib
import importlib.util
import json
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from extractor.ingest.samples import find_unicode_font

REPO = Path(__file__).resolve().parent.parent
needs_font = pytest.mark.skipif(
    find_unicode_font() is None, reason="no Unicode TTF font (apt-get install fonts-dejavu-core)"
)
TEXT = "\n".join(
    ["Kế hoạch số 12-KH/TU ngày 05/3/2024 của Ban Thường vụ Tỉnh ủy về quản lý biên chế.", ""]
    + [f"Đoạn {i}: giao 1.234 biên chế cho các cơ quan, đơn vị; tinh giản 5% biên chế." for i in range(30)]
    + ["STT | Đơn vị | Biên chế", "1 | Sở Nội vụ | 45", "2 | Sở Tài chính | 52"]
)


def _load(name: str) -> ModuleType:
    """An evaluation script as a module (registered in sys.modules for its dataclasses)."""
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, REPO / "evaluation" / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def _source(tmp_path: Path) -> Path:
    path = tmp_path / "seed-1.txt"
    path.write_text(TEXT, encoding="utf-8")
    return path


@needs_font
def test_make_scans_pdf_is_image_only_a4(tmp_path: Path) -> None:
    import pypdfium2 as pdfium

    written = _load("make_scans").make_scan(_source(tmp_path), tmp_path / "out", dpi=150, seed=3)
    assert [p.name for p in written] == ["seed-1.pdf"]
    pdf = pdfium.PdfDocument(str(written[0]))
    try:
        assert len(pdf) == 2
        for page in pdf:
            width, height = page.get_size()
            assert abs(width - 595.3) < 1.0 and abs(height - 841.9) < 1.0
            assert page.get_textpage().get_text_range().strip() == ""
            kinds = {obj.type for obj in page.get_objects()}
            assert kinds == {pdfium.raw.FPDF_PAGEOBJ_IMAGE}
    finally:
        pdf.close()


@needs_font
def test_make_scans_deterministic_for_a_seed(tmp_path: Path) -> None:
    scan = _load("make_scans").make_scan
    src = _source(tmp_path)
    digests = [hashlib.sha256(scan(src, tmp_path / out, dpi=150, seed=seed)[0].read_bytes()).hexdigest()
               for out, seed in (("a", 7), ("b", 7), ("c", 8))]
    assert digests[0] == digests[1]
    assert digests[0] != digests[2]


@needs_font
@pytest.mark.parametrize(("fmt", "names"), [
    ("png", ["seed-1.p001.png", "seed-1.p002.png"]),
    ("tif", ["seed-1.tif"]),
])
def test_make_scans_image_formats(tmp_path: Path, fmt: str, names: list[str]) -> None:
    from PIL import Image

    written = _load("make_scans").make_scan(_source(tmp_path), tmp_path, dpi=150, fmt=fmt, clean=True)
    assert [p.name for p in written] == names
    with Image.open(written[0]) as image:
        assert image.size == (1240, 1754) and image.mode == "L"
        assert round(image.info["dpi"][0]) == 150


def test_make_scans_text_blocks_groups_table_rows() -> None:
    blocks = _load("make_scans").text_blocks("Mở đầu\n\nA | B\n1 | 2\nKết thúc")
    assert blocks == ["Mở đầu", [["A", "B"], ["1", "2"]], "Kết thúc"]


def test_make_scans_bad_source_named(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "x.pdf"
    bad.write_bytes(b"not a pdf")
    assert _load("make_scans").main([str(bad), "-o", str(tmp_path / "out")]) == 1
    err = capsys.readouterr().err
    assert "x.pdf" in err and "Traceback" not in err


def _jsonl(path: Path, records: list[dict[str, Any]]) -> Path:
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in records) + "\n", encoding="utf-8")
    return path


def _cit(*ids: str | None) -> list[dict[str, Any]]:
    return [{"id": i} for i in ids]


def _fig(*pairs: tuple[float, str]) -> list[dict[str, Any]]:
    return [{"value": v, "kind": k} for v, k in pairs]


def _runs(tmp_path: Path) -> tuple[Path, Path]:
    text = _jsonl(tmp_path / "text.jsonl", [
        {"source": "in/a.txt", "citations": _cit("1-KH/TU", "1-KH/TU", "39-NQ/TW", None),
         "dates": [{"date": "2024-03-05"}, {"date": "2023"}],
         "figures": _fig((1234, "level"), (-25, "change"), (5, "rate"))},
        {"source": "in/b.md", "citations": _cit("71-QĐ/TW"), "figures": _fig((10, "count"))},
    ])
    scan = _jsonl(tmp_path / "scan.jsonl", [
        {"source": "scans/a.p001.png", "citations": _cit("1-KH/TU", "39-NQ/TW"),
         "dates": [{"date": "2024-03-05"}], "figures": _fig((1234, "level"))},
        {"source": "scans/a.p002.png", "citations": _cit("3-KH/TU"), "figures": _fig((25, "change"), (5, "rate"))},
        {"source": "scans/c.pdf", "citations": _cit("9-CT/TW")},
    ])
    return text, scan


def test_ocr_eval_scores_hand_written_runs(tmp_path: Path) -> None:
    ocr_eval = _load("ocr_eval")
    text, scan = _runs(tmp_path)
    report = ocr_eval.evaluate(ocr_eval.load_results(text), ocr_eval.load_results(scan))
    a, b = report["documents"]
    assert (a["name"], a["ids_text"], a["ids_scan"], a["ids_matched"]) == ("a", 3, 3, 2)
    assert a["citation_precision"] == pytest.approx(2 / 3) and a["citation_f1"] == pytest.approx(2 / 3)
    assert (a["dates_found"], a["dates_text"], a["figures_found"], a["figures_text"]) == (1, 2, 2, 3)
    assert (b["ids_matched"], b["ids_scan"], b["citation_recall"], b["citation_precision"]) == (0, 0, 0.0, None)
    overall = report["overall"]
    assert (overall["ids_text"], overall["ids_scan"], overall["ids_matched"]) == (4, 3, 2)
    assert overall["citation_precision"] == pytest.approx(2 / 3)
    assert overall["citation_recall"] == pytest.approx(0.5)
    assert overall["citation_f1"] == pytest.approx(4 / 7)
    assert overall["dates_found_share"] == pytest.approx(0.5)
    assert overall["figures_found_share"] == pytest.approx(0.5)
    assert report["missing_scans"] == ["b"] and report["extra_scans"] == ["c"]


def test_ocr_eval_gold_citations(tmp_path: Path) -> None:
    ocr_eval = _load("ocr_eval")
    text, scan = _runs(tmp_path)
    gold = tmp_path / "gold.json"
    gold.write_text(json.dumps({"documents": {"a.txt": {"citations": [{"id": "1-KH/TU"}, {"id": "2-KH/TU"}]},
                                            "z.txt": {"citations": [{"id": "5-CT/TW"}]}}}))
    report = ocr_eval.evaluate(ocr_eval.load_results(text), ocr_eval.load_results(scan), ocr_eval.gold_ids(gold))
    g = report["gold_citations"]
    assert (g["text"]["tp"], g["text"]["output"], g["text"]["gold"]) == (1, 2, 2)
    assert (g["scan"]["tp"], g["scan"]["output"], g["scan"]["gold"]) == (1, 3, 2)
    assert g["scan"]["f1"] == pytest.approx(0.4)


def test_ocr_eval_cli_json_and_bad_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    ocr_eval = _load("ocr_eval")
    text, scan = _runs(tmp_path)
    assert ocr_eval.main([str(text), str(scan), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["overall"]["ids_matched"] == 2
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"source": "a.txt"}\n{oops\n', encoding="utf-8")
    assert ocr_eval.main([str(text), str(bad)]) == 2
    assert "bad.jsonl:2" in capsys.readouterr().err


@pytest.mark.parametrize(("reference", "hypothesis", "expected"), [
    ("Biên chế | 45", "Biên chế 45", 0.0),
    ("abcd", "abxd", 0.25),
    ("Tỉnh  ủy\nLong An", "Tinh ủy Long An", 1 / 15),
])
def test_ocr_eval_char_error_rate(reference: str, hypothesis: str, expected: float) -> None:
    pytest.importorskip("rapidfuzz")
    assert _load("ocr_eval").char_error_rate(reference, hypothesis) == pytest.approx(expected)
