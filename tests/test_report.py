"""The HTML report without a browser: escaping, nesting of overlapping spans, summary counts."""

from __future__ import annotations

import base64
import hashlib
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from extractor.cli import app
from extractor.document import document_from_text
from extractor.export.html import number, render_report, write_report
from extractor.export.markup import Insert, Span, attrs, nest_markup
from extractor.models import Citation, DocumentResult, FileError, Figure, Finding
from extractor.pipeline import extract_document
from extractor.report import attach_texts, build_report

ROOT = Path(__file__).resolve().parents[1]
LONG_AN = ROOT / "corpus" / "001_02c0c7e95a57206c.txt"
CONFERENCE = ROOT / "corpus" / "002_b492399a474e869d.txt"
VOID = {"meta", "link", "br", "img", "input", "hr"}


class _Tree(HTMLParser):
    """Checks nesting while parsing; collects the text inside every element with data-id."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []
        self.by_id: dict[str, list[str]] = {}
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attributes: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attributes)))
        if tag not in VOID:
            self.stack.append((tag, dict(attributes)))

    def handle_endtag(self, tag: str) -> None:
        assert self.stack, f"</{tag}> closes nothing"
        assert self.stack[-1][0] == tag, f"</{tag}> closes <{self.stack[-1][0]}>: not nested"
        self.stack.pop()

    def handle_data(self, data: str) -> None:
        self.text.append(data)
        for ident in {a["data-id"] for _, a in self.stack if a.get("data-id")}:
            assert ident is not None
            self.by_id.setdefault(ident, []).append(data)


def _parse(markup: str) -> _Tree:
    tree = _Tree()
    tree.feed(markup)
    tree.close()
    assert not tree.stack, f"unclosed: {tree.stack}"
    return tree


def _span(ident: str, start: int, end: int, layer: int = 0) -> Span:
    return Span(start, end, f"<span{attrs(data_id=ident)}>", layer)


def test_report_nests_crossing_spans() -> None:
    text = "abcdefghij"
    spans = [_span("a", 0, 6), _span("b", 3, 9), _span("c", 4, 5), _span("d", 0, 6, 1), _span("e", 8, 10)]
    markup = nest_markup(text, spans, [Insert(3, '<span class="badge"></span>')])
    tree = _parse(markup)
    assert "".join(tree.text) == text
    for span in spans:
        assert "".join(tree.by_id[span.open_tag.split('"')[1]]) == text[span.start : span.end]
    assert markup.count('data-id="a"') == 1  # the longer span stays whole; the crossing one is split
    assert markup.count('data-id="b"') == 2


def test_report_nesting_clamps_and_drops_empty_spans() -> None:
    markup = nest_markup("abc", [_span("x", -5, 2), _span("y", 2, 99), _span("z", 1, 1)])
    tree = _parse(markup)
    assert "".join(tree.by_id["x"]) == "ab" and "".join(tree.by_id["y"]) == "c"
    assert "z" not in tree.by_id


@settings(max_examples=200, deadline=None)
@given(
    st.text(alphabet="ab <>&\"'\nễ", min_size=1, max_size=40),
    st.lists(st.tuples(st.integers(0, 40), st.integers(0, 40), st.integers(0, 3)), max_size=12),
)
def test_report_nesting_holds_for_any_spans(text: str, raw: list[tuple[int, int, int]]) -> None:
    spans = [_span(f"s{i}", min(a, b), max(a, b), layer) for i, (a, b, layer) in enumerate(raw)]
    tree = _parse(nest_markup(text, spans))
    assert "".join(tree.text) == text
    for i, span in enumerate(spans):
        start, end = min(span.start, len(text)), min(span.end, len(text))
        assert "".join(tree.by_id.get(f"s{i}", [])) == text[start:end]


def _hostile_result() -> tuple[DocumentResult, str]:
    text = 'Văn bản <script>alert(1)</script> có 1.200 biên chế & "trích" 45-KH/TU.'
    start = text.index("1.200")
    figure = Figure(
        id="f1", kind="level", value=1200.0, unit="biên chế", category=None, org="<b>org</b>", year=2024,
        start=start, end=start + 14, text=text[start : start + 14],
    )  # fmt: skip
    cstart = text.index("45-KH/TU")
    citation = Citation(
        id="45-KH/TU", key="45-KH/TU", number="45", type="Kế hoạch", start=cstart, end=cstart + 8,
        text="45-KH/TU", issuer='"><script>alert(2)</script>',
    )  # fmt: skip
    finding = Finding(
        rule="sum", severity="error", message="<img src=x onerror=alert(3)> ≠", stated=1200.0, computed=1300.0,
        suggestion="likely 1.200 → 1.300 </li>", spans=[(start, start + 14), (cstart, cstart + 8)],
    )  # fmt: skip
    result = DocumentResult(
        source='dir/<script>x</script>".txt', sha256="0" * 64, format="txt",
        figures=[figure], citations=[citation], findings=[finding], chars=len(text),
    )  # fmt: skip
    return result, text


def test_report_escapes_document_text_and_fields() -> None:
    page = render_report([_hostile_result()])
    assert page.count("<script") == 1  # only the report's own script
    assert "<img" not in page and "<b>org" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    tree = _parse(page)
    shown = "".join(tree.text)
    assert "<script>alert(1)</script>" in shown and "<img src=x onerror=alert(3)> ≠" in shown


def test_report_marks_findings_figures_and_citations() -> None:
    result, text = _hostile_result()
    page = render_report([(result, text)])
    assert len(re.findall(r'class="fm sev-error" data-finding="d1-f1" data-rule="sum"', page)) == 2
    assert page.count('class="fbadge sev-error"') == 1
    assert 'data-kind="level" data-figure="f1"' in page
    assert 'data-citation="45-KH/TU"' in page
    assert '<dd class="stated">1.200</dd>' in page and '<dd class="computed">1.300</dd>' in page


def test_report_allows_only_its_own_script() -> None:
    page = render_report([_hostile_result()])
    script = page.split("<script>", 1)[1].split("</script>", 1)[0]
    digest = base64.b64encode(hashlib.sha256(script.encode()).digest()).decode()
    assert f"script-src &#x27;sha256-{digest}&#x27;" in page
    assert "default-src &#x27;none&#x27;" in page
    assert "http://" not in page and "https://" not in page


def test_report_summary_counts() -> None:
    findings = [
        Finding(rule="sum", severity="error", message="a", spans=[(0, 2)]),
        Finding(rule="change", severity="error", message="b"),
        Finding(rule="target", severity="warning", message="c"),
    ]
    good = DocumentResult(source="a/good.txt", sha256="1" * 64, format="pdf", pages=3, findings=findings)
    bad = DocumentResult(source="a/bad.pdf", sha256=None, errors=[FileError(code="E_PDF_CORRUPT", message="a/bad.pdf: broken <x>")])
    page = render_report([(good, "Hello world"), (bad, None)])
    row = re.search(r'<tr class="doc-row has-errors" data-doc="1".*?</tr>', page)
    assert row is not None
    cells = dict(re.findall(r'data-col="(\w+)"[^>]*>(.*?)</td>', row.group(0)))
    assert cells["pages"] == "3" and cells["errors"] == "2" and cells["warnings"] == "1" and cells["read_errors"] == ""
    assert '<a href="#doc-1">good.txt</a>' in cells["file"]
    assert "E_PDF_CORRUPT" in page and "broken &lt;x&gt;" in page and "Không đọc được tệp này" in page
    assert "2 lỗi</b>" in page and "1 cảnh báo</b>" in page and "1 tệp không đọc được" in page


def test_report_formats_numbers_the_vietnamese_way() -> None:
    assert [number(27697.0), number(1.67), number(-5.0), number(12345.5), number(None), number("2022-2022")] == [
        "27.697", "1,67", "-5", "12.345,5", "—", "2022-2022",
    ]  # fmt: skip


def test_report_built_from_files_keeps_texts(tmp_path: Path) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_text("", encoding="utf-8")
    items = build_report([LONG_AN, CONFERENCE, empty])
    (long_an, text), (_, text2), (bad, none) = items
    assert text is not None and text2 is not None and none is None and bad.errors
    assert len(long_an.findings) == 9
    for figure in long_an.figures:
        assert text[figure.start : figure.end] == figure.text
    again = attach_texts([r for r, _ in items])
    assert [t for _, t in again] == [text, text2, None]
    changed = long_an.model_copy(update={"sha256": "f" * 64})
    assert attach_texts([changed]) == [(changed, None)]
    assert attach_texts([long_an], max_text_chars=10) == [(long_an, None)]


def test_report_document_text_round_trips() -> None:
    source = "A <b>&amp; 1.263 biên chế, giảm 25 biên chế so với năm 2022.\n\tB"
    document = document_from_text(source)
    result = extract_document(document)
    tree = _parse(render_report([(result, document.text)]).split('<div class="text" lang="vi">', 1)[1].split("</div>", 1)[0])
    assert "".join(tree.text) == document.text


def test_report_cli_writes_the_page(tmp_path: Path) -> None:
    out = tmp_path / "r" / "report.html"
    run = CliRunner().invoke(app, ["report", str(LONG_AN), str(CONFERENCE), "-o", str(out)])
    assert run.exit_code == 0, run.output
    page = out.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and page.count('<section class="doc"') == 2
    assert CliRunner().invoke(app, ["report", str(tmp_path / "missing.txt")]).exit_code == 2


def test_report_written_by_extract(tmp_path: Path) -> None:
    run = CliRunner().invoke(app, ["extract", str(LONG_AN), "-o", str(tmp_path), "-q"])
    assert run.exit_code == 0, run.output
    page = (tmp_path / "report.html").read_text(encoding="utf-8")
    assert page.count('class="fbadge') == 9
    items = build_report([LONG_AN])
    write_report(items, tmp_path / "direct.html")
    assert (tmp_path / "direct.html").read_text(encoding="utf-8") == page


@pytest.mark.parametrize("severity", ["error", "warning"])
def test_report_styles_each_severity(severity: str) -> None:
    finding = Finding(rule="rate", severity=severity, message="m", spans=[(0, 3)])
    result = DocumentResult(source="x.txt", sha256="2" * 64, findings=[finding])
    page = render_report([(result, "abcdef")])
    assert f'class="fm sev-{severity}" data-finding="d1-f1" data-rule="rate" data-severity="{severity}"' in page
