"""The real-document scorer (extractor/evaluate_real.py) on small hand-built gold and output."""

from __future__ import annotations

import copy
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from extractor.cli import app
from extractor.eval_command import format_real, run_eval
from extractor.evaluate_real import RealFigure, RealReport, Split, is_real_gold, locate, match_figures, score_real
from extractor.export.jsonl import write_jsonl
from extractor.models import DocumentResult, Figure, Finding

REPO = Path(__file__).resolve().parent.parent
TEXT_A = "Tỉnh X sắp xếp 410 đơn vị hành chính cấp xã (300 xã, 95 phường, 15 thị trấn) trong năm 2025.\n"


def _gfig(fid: str, quote: str, kind: str, value: float, unit: str, **extra: Any) -> dict[str, Any]:
    fields = {"category": None, "basis": None, "org": "tỉnh X", "year": 2025, "base_year": None,
              "rate_percent": None, "approx": "exact", "parent": None}  # fmt: skip
    return {"id": fid, "quote": quote, "kind": kind, "value": value, "unit": unit, **fields, **extra}


GOLD: dict[str, Any] = {
    "about": "test gold",
    "documents": {
        "a.md": {
            "source": "a.md", "genre": "reorganisation",
            "figures": [
                _gfig("g1", "sắp xếp 410 đơn vị hành chính cấp xã", "count", 410, "đơn vị hành chính cấp xã"),
                _gfig("g2", "300 xã", "count", 300, "xã", parent="g1"),
                _gfig("g3", "95 phường", "count", 95, "phường", parent="g1"),
                _gfig("g4", "15 thị trấn", "count", 15, "thị trấn", parent="g1"),
            ],
            "sums": [{"whole": "g1", "parts": ["g2", "g3", "g4"]}],
            "findings": [{"rule": "sum", "quote": "410 đơn vị hành chính cấp xã", "stated": 410}],
        },
        "b.md": {"source": "b.md", "genre": "norms", "figures": [], "sums": [], "findings": []},
        "c.md": {
            "source": "c.md", "genre": "plan_report", "split": "held",
            "figures": [_gfig("g1", "giao 100 biên chế", "level", 100, "biên chế", category="total",
                              basis="assigned", org="Sở Nội vụ", year=2024)],
            "sums": [], "findings": [],
        },
    },
}  # fmt: skip


def _fig(fid: str, kind: str, value: float, unit: str, start: int = 0, **extra: Any) -> Figure:
    fields: dict[str, Any] = {"category": None, "org": "tỉnh X", "year": 2025, "text": str(value)}
    fields.update(extra)
    return Figure(id=fid, kind=kind, value=value, unit=unit, start=start, end=start + 3, **fields)


def _outputs(folder: Path) -> list[DocumentResult]:
    at = TEXT_A.index
    a = DocumentResult(
        source=str(folder / "a.md"), sha256=None,
        figures=[
            _fig("f1", "count", 410, "đơn vị hành chính cấp xã", at("410")),
            _fig("f2", "count", 300, "xã", at("300"), parent="f1"),
            _fig("f3", "count", 95, "phường", at("95"), parent="f1"),
            _fig("f4", "count", 15, "thị trấn", at("15"), parent="f1"),
        ],
        findings=[Finding(rule="sum", severity="error", message="410 ≠ 300 + 95 + 15", stated=410.0,
                          spans=[(at("410"), at("410") + 3)])],
    )  # fmt: skip
    c = DocumentResult(
        source=str(folder / "c.md"), sha256=None,
        figures=[_fig("f1", "level", 100, "biên chế", category="total", basis="assigned", org="Sở Nội vụ", year=2024,
                     sentence="Sở Nội vụ được giao 100 biên chế.")],
    )
    return [a, DocumentResult(source=str(folder / "b.md"), sha256=None), c]


def _run(tmp_path: Path, gold: dict[str, Any], outputs: list[DocumentResult], split: Split = "all") -> RealReport:
    (tmp_path / "a.md").write_text(TEXT_A, encoding="utf-8")
    gold_path, out_path = tmp_path / "gold.json", tmp_path / "out.jsonl"
    gold_path.write_text(json.dumps(gold, ensure_ascii=False, indent=2), encoding="utf-8")
    with out_path.open("w", encoding="utf-8") as handle:
        write_jsonl(outputs, handle)
    return score_real([gold_path], out_path, split=split)


def test_real_perfect_output_scores_one(tmp_path: Path) -> None:
    report = _run(tmp_path, GOLD, _outputs(tmp_path))
    o = report.overall
    assert (o.precision, o.recall, o.f1) == (1.0, 1.0, 1.0)
    assert all(rate == 1.0 for rate in o.rates.values()), o.rates
    c = o.counts
    assert (c.docs, c.gold_figures, c.tp, c.pairs) == (3, 5, 5, 5)
    assert (c.sums_assembled, c.sums) == (1, 1)
    assert (c.errors, c.errors_matched, c.gold_findings_found) == (1, 1, 1)
    assert (c.norm_docs, c.norm_output_figures) == (1, 0)
    assert [g.genre for g in report.groups] == ["norms", "plan_report", "reorganisation"]
    assert report.missing == []


def test_real_wrong_year_lowers_records_not_found(tmp_path: Path) -> None:
    outputs = _outputs(tmp_path)
    outputs[0].figures[1].year = 2024
    o = _run(tmp_path, GOLD, outputs).overall
    assert o.counts.tp == 4 and o.f1 is not None and o.f1 < 1.0
    assert o.rates["found"] == 1.0 and o.rates["found_near"] == 1.0
    assert o.counts.pairs == 5  # the near miss is still paired once, for its attributes
    assert o.rates["parent"] == 1.0 and o.counts.sums_assembled == 1


def test_real_sum_with_wrong_parents_is_not_assembled(tmp_path: Path) -> None:
    outputs = _outputs(tmp_path)
    for figure in outputs[0].figures[1:]:
        figure.parent = None
    o = _run(tmp_path, GOLD, outputs).overall
    assert (o.counts.sums_assembled, o.counts.sums) == (0, 1)
    assert o.counts.parent_ok == 2  # only the whole and the plan figure (both without parent)
    assert o.f1 == 1.0


def test_real_figure_on_norms_doc_is_counted(tmp_path: Path) -> None:
    outputs = _outputs(tmp_path)
    outputs[1].figures = [_fig("f1", "level", 15, "biên chế")]
    report = _run(tmp_path, GOLD, outputs)
    assert report.overall.counts.norm_output_figures == 1
    assert report.overall.precision is not None and report.overall.precision < 1.0
    assert "figures on norm/other-sense docs: 1" in format_real(report)


def test_real_error_not_in_gold_is_false(tmp_path: Path) -> None:
    outputs = _outputs(tmp_path)
    outputs[2].findings = [Finding(rule="change", severity="error", message="x", stated=7.0)]
    outputs[2].findings.append(Finding(rule="sum", severity="warning", message="only a warning"))
    c = _run(tmp_path, GOLD, outputs).overall.counts
    assert (c.errors, c.errors_matched, c.errors - c.errors_matched) == (2, 1, 1)


def test_real_finding_matches_by_quote(tmp_path: Path) -> None:
    outputs = _outputs(tmp_path)
    outputs[0].findings[0].stated = 999.0  # the stated number is off, but the span covers the gold quote
    assert _run(tmp_path, GOLD, outputs).overall.counts.errors_matched == 1
    outputs[0].findings[0].spans = [(0, 2)]
    assert _run(tmp_path, GOLD, outputs).overall.counts.errors_matched == 0


def test_real_finding_matches_one_listed_under_its_root_cause(tmp_path: Path) -> None:
    outputs = _outputs(tmp_path)
    gold_one = outputs[0].findings[0]
    outputs[0].findings = [Finding(rule="other", severity="error", message="root", stated=1.0, related=[gold_one])]
    assert _run(tmp_path, GOLD, outputs).overall.counts.errors_matched == 1
    outputs[0].findings = [Finding(rule="other", severity="error", message="root", stated=1.0)]
    assert _run(tmp_path, GOLD, outputs).overall.counts.errors_matched == 0


def test_real_split_filtering(tmp_path: Path) -> None:
    outputs = _outputs(tmp_path)
    dev = _run(tmp_path, GOLD, outputs, "dev")
    held = _run(tmp_path, GOLD, outputs, "held")
    assert [g.genre for g in dev.groups] == ["norms", "reorganisation"]  # no split counts as dev
    assert [g.genre for g in held.groups] == ["plan_report"] and held.overall.counts.docs == 1


def test_real_attribute_accuracies(tmp_path: Path) -> None:
    outputs = _outputs(tmp_path)
    c_fig = outputs[2].figures[0]
    c_fig.org, c_fig.basis, c_fig.category, c_fig.unit = "so noi vu", "actual", None, "BIÊN CHẾ được giao"
    outputs[0].figures[0].org = None
    rates = _run(tmp_path, GOLD, outputs).overall.rates
    assert rates["org"] == 4 / 5  # diacritics-insensitive containment; gold org with output null is wrong
    assert rates["basis"] == 4 / 5 and rates["category"] == 4 / 5 and rates["unit"] == 1.0


def test_real_missing_output_document(tmp_path: Path) -> None:
    report = _run(tmp_path, GOLD, _outputs(tmp_path)[1:])
    assert report.missing == ["a.md"]
    assert report.overall.counts.tp == 1 and report.overall.rates["found"] == 1 / 5


def test_real_locate_ignores_markup_and_spacing() -> None:
    text = "Danh sách 08 Chi nhánh\nvăn phòng"
    assert locate("**Danh sách 08  Chi nhánh** văn", text) == (0, text.index("văn") + 3)
    assert locate("không có", text) is None


def test_real_run_eval_detects_format_and_takes_folders(tmp_path: Path) -> None:
    _run(tmp_path, GOLD, _outputs(tmp_path))
    second = {"documents": {"a.md": GOLD["documents"]["a.md"]}}
    (tmp_path / "golds").mkdir()
    (tmp_path / "gold.json").rename(tmp_path / "golds" / "part-1.json")
    (tmp_path / "golds" / "part-2.json").write_text(json.dumps(second, ensure_ascii=False), encoding="utf-8")
    data = json.loads(run_eval([tmp_path / "golds"], tmp_path / "out.jsonl", split="all", as_json=True))
    assert data["overall"]["f1"] == 1.0 and data["duplicates"] == ["a.md"]
    assert is_real_gold(GOLD) and not is_real_gold(json.loads((REPO / "evaluation/gold/seeds.json").read_text()))
    with pytest.raises(ValueError):
        run_eval([REPO / "evaluation/gold/seeds.json", tmp_path / "golds"], tmp_path / "out.jsonl")


def test_real_cli_eval(tmp_path: Path) -> None:
    _run(tmp_path, GOLD, _outputs(tmp_path))
    gold, out = str(tmp_path / "gold.json"), str(tmp_path / "out.jsonl")
    result = CliRunner().invoke(app, ["eval", gold, gold, out, "--split", "held"])
    assert result.exit_code == 0, result.output
    assert "split: held; documents: 1" in result.output and "plan_report" in result.output
    assert CliRunner().invoke(app, ["eval", gold, out, "--split", "x"]).exit_code == 2
    script = subprocess.run(
        [sys.executable, str(REPO / "evaluation/score.py"), gold, out, "--json", "--split", "all"],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    assert json.loads(script.stdout)["overall"]["counts"]["docs"] == 3


def test_split_gold_is_stratified_deterministic_and_idempotent(tmp_path: Path) -> None:
    gold = copy.deepcopy(GOLD)
    for i in range(5):
        gold["documents"][f"n{i}.md"] = {"source": "x", "genre": "norms", "figures": []}
    path = tmp_path / "gold.json"
    path.write_text(json.dumps(gold, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    script = [sys.executable, str(REPO / "scripts/split_gold.py"), str(path)]
    subprocess.run(script, check=True, capture_output=True)
    first = path.read_text(encoding="utf-8")
    subprocess.run(script, check=True, capture_output=True)
    assert path.read_text(encoding="utf-8") == first
    docs = json.loads(first)["documents"]
    assert first.startswith('{\n "about"') and "xếp" in first  # indent 1, not escaped
    norms = [d["split"] for d in docs.values() if d["genre"] == "norms"]
    assert sorted(norms) == ["dev", "dev", "dev", "dev", "held", "held"]  # round(0.4 * 6) = 2
    assert docs["a.md"]["split"] == "dev" and docs["c.md"]["split"] == "dev"  # n = 1: round(0.4) = 0 held
    assert list(docs["a.md"])[:3] == ["source", "genre", "split"]


def test_real_match_pairs_by_quote_before_by_value() -> None:
    gold = [RealFigure.model_validate(_gfig("g1", "a", "level", 40, "biên chế")),
            RealFigure.model_validate(_gfig("g2", "b", "level", 40, "biên chế"))]
    out = [_fig("f1", "level", 40, "biên chế", start=0, year=2020), _fig("f2", "level", 40, "biên chế", start=100)]
    quotes = {0: 0, 1: 100}  # g1's quote is where f1 is (its year wrong), g2's where f2 is

    def near(i: int, j: int) -> bool:
        return out[j].start == quotes[i]

    pairs, full = match_figures(gold, out, near)
    assert pairs == {0: 0, 1: 1} and full == 1


@pytest.mark.parametrize(("link", "assembled"), [("row_total", True), ("parent", False), ("mixed", False)])
def test_real_total_cell_of_row_and_column_scores_each_sum(link: str, assembled: bool) -> None:
    from extractor.evaluate_real import RealSum, _assembled

    total = _fig("t", "level", 30, "người")
    parts = [_fig(f"p{i}", "level", v, "người") for i, v in enumerate((10, 20))]
    column = [_fig(f"c{i}", "level", v, "người", parent="t") for i, v in enumerate((12, 18))]  # the column under the total
    for i, p in enumerate(parts):
        setattr(p, "row_total" if link == "row_total" or (link == "mixed" and i == 0) else "parent", "t")
    out = [total, *parts, *column]
    ids = {"gt": 0, "g0": 1, "g1": 2}
    pairs = {0: 0, 1: 1, 2: 2}
    # as row parts the column below does not count against the sum; as parents its two cells are extra parts
    assert _assembled(RealSum(whole="gt", parts=["g0", "g1"]), ids, pairs, out) is assembled
