"""The scorer: exact TP/FP/FN and P/R for hand-built gold and output files."""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path

import pytest

from extractor.evaluate import EvalReport, GoldFile, format_report, id_key, issuer_key, score
from extractor.export.jsonl import write_jsonl
from extractor.models import (
    Citation,
    DocumentResult,
    Figure,
    Finding,
    OrgMention,
    Period,
    SelfIdentity,
)

REPO = Path(__file__).resolve().parent.parent

GOLD = {
    "a.txt": {
        "self": {"id": "123-KH/TU", "date": "2023-08-11", "issuer": "Ban Thường vụ Tỉnh ủy Long An"},
        "citations": [
            {"id": "18-NQ/TW", "date": "2017-10-25",
             "issuer": "Ban Chấp hành Trung ương Đảng khóa XII"},
            {"id": "71-QĐ/TW", "date": "2022-07-18", "issuer": "Bộ Chính trị"},
            {"id": "04-KH/TU", "date": "2020-12-17", "issuer": "Ban Thường vụ Tỉnh ủy Long An"},
            {"id": "60/2021/NĐ-CP", "issuer": "Chính phủ"},
            {"id": None, "partial": True, "number": "12", "type": "Kế hoạch"},
        ],
        "figures": [
            {"kind": "level", "value": 28960, "year": 2023, "category": "total",
             "org": "hệ thống chính trị tỉnh Long An"},
            {"kind": "change", "value": -25, "year": 2023, "base_year": 2022, "rate_percent": -1.94,
             "category": "total", "org": "Chính quyền địa phương"},
            {"kind": "change", "value": -16, "year": 2024, "base_year": 2023, "category": "total"},
            {"kind": "change", "value": -16, "year": 2024, "base_year": 2022, "rate_percent": -1.27,
             "category": "total", "org": "X"},
        ],
        "figures_present": [{"value": 5}, {"value": 2234720}, {"value": 10}],
        "periods": ["2022-2026", "2016-2020", "2023-2025"],
        "orgs_present": ["Bộ Chính trị", "Tòa án Nhân dân tối cao"],
        "findings": [
            {"rule": "sum", "stated": 27697},
            {"rule": "change", "stated": 16},
            {"rule": "period", "stated": "2022-2022", "match_any": ["2022-2022", "2022 - 2022"]},
        ],
    }
}  # fmt: skip


def _cite(cid: str | None, **fields: object) -> Citation:
    number = cid.split("-")[0] if cid else None
    values: dict[str, object] = {"start": 0, "end": 1, "text": "x", "id": cid, "key": cid,
                                 "number": number, "type": None}  # fmt: skip
    values.update(fields)
    return Citation.model_validate(values)


def _fig(kind: str, value: float, year: int | None = None, **fields: object) -> Figure:
    values: dict[str, object] = {"start": 0, "end": 1, "text": "x", "id": "f", "kind": kind,
                                 "value": value, "unit": "biên chế", "category": "total",
                                 "org": None, "year": year}  # fmt: skip
    values.update(fields)
    return Figure.model_validate(values)


def _period(label: str, start: int | None, end: int | None) -> Period:
    return Period(start=0, end=1, text=label, start_year=start, end_year=end, label=label)


OUTPUT = DocumentResult(
    source="corpus/sub/a.txt",
    sha256=None,
    self_=SelfIdentity(id="123-KH/TU", key="123-KH/TU", type=None, date=None, issuer="Tỉnh ủy Long An"),
    citations=[
        _cite("18-NQ/TW", issuer="BCH Trung ương (khóa XII)"),
        _cite("18-NQ/TW", date="2017-10-25", issuer="Ban Chấp hành Trung ương"),
        _cite("71-QĐ/TW", date="2022-07-19", issuer="Bộ Chính trị"),
        _cite("4-KH/TU", date="2020-12-17", issuer="Tỉnh ủy Long An"),
        _cite("60/2021/NĐ-CP", date="2021-06-01", issuer="Chính phủ"),
        _cite("99-KL/TW"),
        _cite(None, partial=True, number="12", type="Kế hoạch"),
        _cite(None, partial=True, number="7", type="Quyết định"),
    ],
    figures=[
        _fig("level", 28960, 2023, org="Hệ thống chính trị tỉnh Long An"),
        _fig("change", -25, 2023, base_year=2022, rate_percent=-1.943, org="Chính quyền địa phương",
             category="officials"),
        _fig("change", -16, 2024, base_year=2022),
        _fig("level", 999, 2023),
        _fig("rate", 5),
        _fig("rate", -10),
        _fig("count", 2234720.4),
    ],
    periods=[
        _period("2022-2026", 2022, 2026),
        _period("2016 – 2020", 2016, 2020),
        _period("-2030", None, 2030),
        _period("2021-2025", 2021, 2025),
    ],
    orgs=[
        OrgMention(start=0, end=1, text="Bộ Chính trị", name="bộ chính trị"),
        OrgMention(start=0, end=1, text="Toà án nhân dân tối cao", name="Toà án nhân dân tối cao"),
    ],
    findings=[
        Finding(rule="sum", severity="error", message="27.697 ≠ 26.697", stated=27697),
        Finding(rule="change", severity="error", message="giảm 16", stated=-16),
        Finding(rule="period", severity="warning", message="40-KL/TW: giai đoạn 2022 - 2022"),
        Finding(rule="rate", severity="error", message="x", stated=1.5),
        Finding(rule="rate", severity="warning", message="y"),
    ],
)  # fmt: skip


def _write(tmp_path: Path, gold: Mapping[str, object], outputs: list[DocumentResult]) -> tuple[Path, Path]:
    gold_path = tmp_path / "gold.json"
    gold_path.write_text(json.dumps({"documents": gold}, ensure_ascii=False), encoding="utf-8")
    output_path = tmp_path / "out.jsonl"
    with output_path.open("w", encoding="utf-8") as handle:
        write_jsonl(outputs, handle)
    return gold_path, output_path


@pytest.fixture
def report(tmp_path: Path) -> EvalReport:
    return score(*_write(tmp_path, GOLD, [OUTPUT]))


@pytest.mark.parametrize(
    ("field", "mode", "counts", "precision", "recall"),
    [
        ("citation_id", "strict", (3, 2, 1), 3 / 5, 3 / 4),
        ("citation_id", "lenient", (4, 1, 0), 4 / 5, 1.0),
        ("partial_ref", "strict", (1, 1, 0), 1 / 2, 1.0),
        ("partial_ref", "lenient", (1, 1, 0), 1 / 2, 1.0),
        ("citation_date", "strict", (1, 2, 2), 1 / 3, 1 / 3),
        ("citation_date", "lenient", (2, 2, 1), 2 / 4, 2 / 3),
        ("citation_issuer", "strict", (2, 1, 2), 2 / 3, 2 / 4),
        ("citation_issuer", "lenient", (4, 0, 0), 1.0, 1.0),
        ("self", "strict", (1, 1, 2), 1 / 2, 1 / 3),
        ("self", "lenient", (2, 0, 1), 1.0, 2 / 3),
        ("figure_record", "strict", (2, 2, 2), 2 / 4, 2 / 4),
        ("figure_record", "lenient", (3, 1, 1), 3 / 4, 3 / 4),
        ("figure_present", "strict", (3, 0, 0), None, 1.0),  # magnitudes: "giảm 10%" is the 10 in gold
        ("figure_present", "lenient", (3, 0, 0), None, 1.0),
        ("period", "strict", (1, 2, 2), 1 / 3, 1 / 3),
        ("period", "lenient", (2, 1, 1), 2 / 3, 2 / 3),
        ("org_present", "strict", (1, 0, 1), None, 1 / 2),
        ("org_present", "lenient", (2, 0, 0), None, 1.0),
        ("finding", "strict", (2, 2, 1), 2 / 4, 2 / 3),
        ("finding", "lenient", (3, 1, 0), 3 / 4, 1.0),
    ],
)
def test_evaluate_field_counts(
    report: EvalReport,
    field: str,
    mode: str,
    counts: tuple[int, int, int],
    precision: float | None,
    recall: float,
) -> None:
    result = report.get(field, "strict" if mode == "strict" else "lenient")
    assert (result.tp, result.fp, result.fn) == counts
    assert result.precision == pytest.approx(precision)
    assert result.recall == pytest.approx(recall)
    if precision is None:
        assert result.f1 is None
    else:
        assert result.f1 == pytest.approx(2 * precision * recall / (precision + recall))


@pytest.mark.parametrize(
    ("name", "mode", "correct", "total"),
    [
        ("figure_org", "strict", 1, 2),
        ("figure_category", "strict", 1, 2),
        ("figure_org", "lenient", 2, 3),
        ("figure_category", "lenient", 2, 3),
    ],
)
def test_evaluate_figure_accuracies(
    report: EvalReport, name: str, mode: str, correct: int, total: int
) -> None:
    accuracy = next(a for a in report.accuracies if a.name == name and a.mode == mode)
    assert (accuracy.correct, accuracy.total) == (correct, total)
    assert accuracy.accuracy == pytest.approx(correct / total)


def test_evaluate_lists_misses_per_document(report: EvalReport) -> None:
    (doc,) = report.documents
    assert doc.source == "corpus/sub/a.txt"
    assert "citation_id/strict: 04-KH/TU" in doc.missed
    assert "citation_id/strict: 99-KL/TW" in doc.spurious
    assert "citation_date/strict: 71-QĐ/TW: 2022-07-19" in doc.spurious


def test_evaluate_micro_averages_and_counts_missing_documents(tmp_path: Path) -> None:
    gold = {
        "x.txt": {"citations": [{"id": "39-NQ/TW"}]},
        "y.txt": {"citations": [{"id": "1-KL/TW"}, {"id": "2-KL/TW"}, {"id": "3-KL/TW"}]},
    }
    found = DocumentResult(source="dir/x.txt", sha256=None, citations=[_cite("39-NQ/TW")])
    report = score(*_write(tmp_path, gold, [found]))
    ids = report.get("citation_id")
    assert (ids.documents, ids.tp, ids.fp, ids.fn) == (2, 1, 0, 3)
    assert ids.recall == pytest.approx(0.25) and ids.precision == pytest.approx(1.0)
    assert report.missing == ["y.txt"]
    assert report.get("period").documents == 0 and report.get("period").recall is None


@pytest.mark.parametrize(("match_stem", "missing"), [(False, ["y.txt"]), (True, [])])
def test_evaluate_matches_documents_by_file_name(
    tmp_path: Path, match_stem: bool, missing: list[str]
) -> None:
    gold: dict[str, object] = {"x.txt": {"citations": []}, "y.txt": {"citations": []}}
    outputs = [
        DocumentResult(source="a/b/x.txt", sha256=None),
        DocumentResult(source="other\\y.pdf", sha256=None),
        DocumentResult(source="z.txt", sha256=None),
    ]
    report = score(*_write(tmp_path, gold, outputs), match_stem=match_stem)
    assert report.missing == missing
    expected = ["z.txt"] if match_stem else ["other\\y.pdf", "z.txt"]
    assert report.unmatched == expected


@pytest.mark.parametrize(
    ("a", "b"),
    [("04 - KH/TU", "4-kh/tu"), ("60/2021/NĐ-CP", "60/2021/nđ–cp"), ("123-KH/TU", "123 KH/TU")],
)
def test_evaluate_lenient_id_key(a: str, b: str) -> None:
    assert id_key(a, "lenient") == id_key(b, "lenient")
    assert id_key(a, "strict") != id_key(b, "strict")


@pytest.mark.parametrize(
    ("issuer", "key"),
    [
        ("Ban Chấp hành Trung ương Đảng khóa XII", "ban chấp hành trung ương"),
        ("BCH Trung ương (khoá XIII)", "ban chấp hành trung ương"),
        ("Bộ Chính trị  khóa XI", "bộ chính trị"),
        ("Ban Thường vụ Tỉnh ủy Long An", "ban thường vụ tỉnh ủy long an"),
    ],
)
def test_evaluate_issuer_key(issuer: str, key: str) -> None:
    assert issuer_key(issuer) == key


def test_evaluate_format_report_is_a_table(report: EvalReport) -> None:
    text = format_report(report, per_document=True)
    assert "citation_id      strict" in text
    assert "figure_org" in text and "missed   citation_id/strict: 04-KH/TU" in text


def test_evaluate_seed_gold_parses() -> None:
    gold = GoldFile.model_validate_json((REPO / "evaluation/gold/seeds.json").read_text("utf-8"))
    assert len(gold.documents) == 5
    long_an = gold.documents["001_02c0c7e95a57206c.txt"]
    assert long_an.self_ is not None and long_an.self_.id == "123-KH/TU"
    assert long_an.figures is not None and len(long_an.figures) == 53
