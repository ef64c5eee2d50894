"""One self-contained HTML report for a batch: summary, findings, highlighted text.

The page has no external resource (inline CSS and a small inline script, no
fonts or files to fetch) and works offline. Its Content-Security-Policy allows
only that one script, by hash, so text that slipped through unescaped could
still not run. Every piece of document text is HTML-escaped.

Queryable attributes: ``section.doc[data-source]``; figures ``.fig[data-kind]
[data-figure][data-start][data-end]``; citations ``.cit[data-citation]``;
finding marks ``.fm[data-finding][data-rule][data-severity]``, one badge
``.fbadge`` per finding and one ``li.finding`` in its section's list.
"""

from __future__ import annotations

import base64
import hashlib
from functools import lru_cache
from importlib import resources
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

from extractor import __version__
from extractor.export.crops import MAX_CROPS, PageImages, crop, page_images
from extractor.export.index import DocEntry, file_name
from extractor.export.labels import rule_label
from extractor.export.markup import Insert, Span, attrs, escape, nest_markup
from extractor.export.staging import Staged, abort_all, commit_all
from extractor.models import Citation, DocumentResult, Figure, Finding

ReportItem = tuple[DocumentResult, str | None]
"""A result and the normalised text its offsets index (None: not available)."""

KIND_LABELS = {"level": "Mức biên chế", "change": "Tăng/giảm", "rate": "Tỷ lệ", "count": "Số lượng"}
SEVERITY_LABELS = {"error": "Lỗi", "warning": "Cảnh báo"}
_LAYER_FINDING, _LAYER_CITATION, _LAYER_FIGURE, _LAYER_RATE = 0, 1, 2, 3


@lru_cache(maxsize=None)
def _asset(name: str) -> str:
    return resources.files("extractor.export").joinpath(name).read_text(encoding="utf-8")


def number(value: float | str | None) -> str:
    """A value the Vietnamese way: ``12.345``, ``1,67``; strings as they are; None as —."""
    if value is None:
        return "—"
    if isinstance(value, str):
        return value
    if float(value).is_integer():
        return f"{int(value):,}".replace(",", ".")
    whole = f"{value:,.4f}".rstrip("0").rstrip(".")
    return whole.replace(",", " ").replace(".", ",").replace(" ", ".")


def _counts(result: DocumentResult) -> tuple[int, int]:
    errors = sum(1 for f in result.findings if f.severity == "error")
    return errors, len(result.findings) - errors


def _name(result: DocumentResult) -> str:
    return file_name(result.source) or result.source


# ---- the text with its highlights ------------------------------------------------


def _figure_tip(figure: Figure) -> str:
    lines = [f"{KIND_LABELS.get(figure.kind, figure.kind)} ({figure.kind}) {figure.id}: {number(figure.value)} {figure.unit}"]
    for label, value in (
        ("Loại biên chế", figure.category), ("Cơ quan, đơn vị", figure.org), ("Năm", figure.year),
        ("So với năm", figure.base_year), ("Giai đoạn", figure.period), ("Trang", figure.page),
    ):  # fmt: skip
        if value is not None:
            lines.append(f"{label}: {value}")
    if figure.rate_percent is not None:
        lines.append(f"Tỷ lệ: {number(figure.rate_percent)}%")
    if figure.approx != "exact":
        lines.append(f"Mức độ chính xác: {figure.approx}")
    return "\n".join(lines)


def _citation_tip(citation: Citation) -> str:
    head = "Văn bản này" if citation.is_self else "Trích dẫn"
    lines = [f"{head}: {citation.id or citation.text}"]
    for label, value in (
        ("Khóa", citation.key), ("Loại", citation.type), ("Ngày", citation.date),
        ("Cơ quan ban hành", citation.issuer), ("Quan hệ", citation.relation), ("Trang", citation.page),
    ):  # fmt: skip
        lines.append(f"{label}: {'—' if value is None else value}")
    if citation.partial:
        lines.append("(trích dẫn chưa đầy đủ)")
    return "\n".join(lines)


def _finding_id(doc: int, index: int) -> str:
    return f"d{doc}-f{index}"


def _finding_spans(finding: Finding, n: int) -> list[tuple[int, int]]:
    """The finding's spans clamped to the text, without duplicates, in text order."""
    spans = {(max(0, min(s, n)), max(0, min(e, n))) for s, e in finding.spans}
    return sorted(s for s in spans if s[0] <= s[1])


def _text_markup(doc: int, result: DocumentResult, text: str) -> str:
    """The document's text, escaped, with figures, citations and findings marked."""
    n = len(text)
    spans: list[Span] = []
    inserts: list[Insert] = []
    for index, finding in enumerate(result.findings, 1):
        fid = _finding_id(doc, index)
        located = _finding_spans(finding, n)
        for start, end in located:
            tag = "<span" + attrs(
                class_=f"fm sev-{finding.severity}", data_finding=fid, data_rule=finding.rule,
                data_severity=finding.severity, data_start=start, data_end=end,
            ) + ">"  # fmt: skip
            spans.append(Span(start, end, tag, _LAYER_FINDING))
        if located:
            badge = "<span" + attrs(
                class_=f"fbadge sev-{finding.severity}", role="button", tabindex=0, data_finding=fid,
                data_rule=finding.rule, data_severity=finding.severity, data_label=index,
                aria_label=f"{SEVERITY_LABELS.get(finding.severity, finding.severity)} {index}: {rule_label(finding.rule)}",
            ) + "></span>"  # fmt: skip
            inserts.append(Insert(located[0][0], badge))
    for citation in result.citations:
        tag = "<span" + attrs(
            class_="cit self" if citation.is_self else "cit", data_citation=citation.id or "",
            data_key=citation.key, data_type=citation.type, data_date=citation.date,
            data_issuer=citation.issuer, data_relation=citation.relation,
            data_start=citation.start, data_end=citation.end, data_tip=_citation_tip(citation),
        ) + ">"  # fmt: skip
        spans.append(Span(citation.start, citation.end, tag, _LAYER_CITATION))
    for figure in result.figures:
        tag = "<span" + attrs(
            class_=f"fig k-{figure.kind}", data_kind=figure.kind, data_figure=figure.id,
            data_value=figure.value, data_start=figure.start, data_end=figure.end, data_tip=_figure_tip(figure),
        ) + ">"  # fmt: skip
        spans.append(Span(figure.start, figure.end, tag, _LAYER_FIGURE))
        if figure.rate_span is not None:
            start, end = figure.rate_span
            tag = "<span" + attrs(
                class_="fig k-rate part", data_kind="rate", data_figure=figure.id, data_part="rate",
                data_start=start, data_end=end,
                data_tip=f"Tỷ lệ của {figure.id} ({number(figure.value)} {figure.unit}): {number(figure.rate_percent)}%",
            ) + ">"  # fmt: skip
            spans.append(Span(start, end, tag, _LAYER_RATE))
    return nest_markup(text, spans, inserts)


# ---- page parts ------------------------------------------------------------------


def _summary_row(doc: int, entry: DocEntry) -> str:
    flag = " has-errors" if entry.errors or entry.read_errors else (" has-warnings" if entry.warnings else "")
    return (
        f'<tr class="doc-row{flag}"{attrs(data_doc=doc, data_source=entry.source)}>'
        f'<td data-col="file"><a href="#doc-{doc}">{escape(entry.name)}</a></td>'
        f'<td data-col="format">{escape(entry.format or "—")}</td>'
        f'<td data-col="pages" class="num">{escape(entry.pages if entry.pages is not None else "—")}</td>'
        f'<td data-col="citations" class="num">{entry.citations}</td>'
        f'<td data-col="figures" class="num">{entry.figures}</td>'
        f'<td data-col="errors" class="num sev-error">{entry.errors or ""}</td>'
        f'<td data-col="warnings" class="num sev-warning">{entry.warnings or ""}</td>'
        f'<td data-col="read_errors" class="num">{entry.read_errors or ""}</td></tr>'
    )


def _summary(docs: Sequence[DocEntry]) -> Iterator[str]:
    """The summary table in pieces: its head, one row per document, its foot."""
    totals = [0] * 6
    for entry in docs:
        for i, v in enumerate((entry.citations, entry.figures, entry.errors, entry.warnings, entry.read_errors, entry.pages or 0)):
            totals[i] += v
    head = "".join(
        f"<th{attrs(class_=cls)}>{label}</th>"
        for label, cls in (
            ("Tệp", None), ("Định dạng", None), ("Số trang", "num"), ("Trích dẫn", "num"), ("Số liệu", "num"),
            ("Lỗi", "num"), ("Cảnh báo", "num"), ("Lỗi đọc tệp", "num"),
        )  # fmt: skip
    )
    yield (
        '<section class="summary" aria-labelledby="summary-h"><h2 id="summary-h">Tóm tắt</h2>'
        f'<div class="table-wrap"><table class="summary-table"><thead><tr>{head}</tr></thead><tbody>'
    )
    for doc, entry in enumerate(docs, 1):
        yield _summary_row(doc, entry)
    yield (
        f'</tbody><tfoot><tr class="totals"><th>Tổng cộng: {len(docs)} tệp</th><td></td><td class="num">{totals[5] or ""}</td>'
        f'<td class="num">{totals[0]}</td><td class="num">{totals[1]}</td><td class="num">{totals[2]}</td>'
        f'<td class="num">{totals[3]}</td><td class="num">{totals[4]}</td></tr></tfoot></table></div></section>'
    )


def _legend() -> str:
    chips = [f'<span class="fig k-{kind}">{escape(label)}</span>' for kind, label in KIND_LABELS.items()]
    chips.append('<span class="cit">Trích dẫn văn bản</span>')
    chips.append('<span class="fm sev-error">Lỗi (sai số liệu)</span>')
    chips.append('<span class="fm sev-warning">Cảnh báo</span>')
    return f'<p class="legend" aria-label="Chú giải">{"".join(chips)}</p>'


def _crop_html(pages: PageImages | None, page: int | None, bbox: list[float] | None, label: str) -> str:
    """The page crop around ``bbox`` as a figure, or "" without one."""
    if pages is None or page is None or bbox is None:
        return ""
    uri = crop(pages, page, bbox)
    if uri is None:
        return ""
    caption = f"Trang {page}: {label}"
    return (f'<figure class="crop"><img src="{escape(uri)}" alt="{escape(caption)}">'
            f"<figcaption>{escape(caption)}</figcaption></figure>")


def _figure_crops(result: DocumentResult, pages: PageImages | None) -> str:
    """Crops of the document's figures on their pages, in a collapsed list."""
    if pages is None:
        return ""
    placed = [f for f in result.figures if f.page is not None and f.bbox is not None][:MAX_CROPS]
    items = "".join(
        f'<li{attrs(data_figure=f.id)}>{_crop_html(pages, f.page, f.bbox, f.text)}</li>' for f in placed
    )
    if not items:
        return ""
    return (f'<details class="crops"><summary>Vị trí số liệu trên trang ({len(placed)})</summary>'
            f'<ul class="crops">{items}</ul></details>')


def _finding_item(doc: int, index: int, finding: Finding, text: str | None, pages: PageImages | None = None) -> str:
    fid = _finding_id(doc, index)
    severity = SEVERITY_LABELS.get(finding.severity, finding.severity)
    parts = [f'<p class="msg">{escape(finding.message)}</p>']
    if finding.stated is not None or finding.computed is not None:
        parts.append(
            f'<dl class="nums"><dt>Giá trị nêu</dt><dd class="stated">{escape(number(finding.stated))}</dd>'
            f'<dt>Giá trị tính</dt><dd class="computed">{escape(number(finding.computed))}</dd></dl>'
        )
    if finding.suggestion:
        parts.append(f'<p class="suggestion"><b>Đề xuất:</b> {escape(finding.suggestion)}</p>')
    if finding.related:
        same = "".join(f"<li>{escape(r.message)}</li>" for r in finding.related)
        parts.append(f'<div class="related"><b>Cùng nguyên nhân:</b><ul>{same}</ul></div>')
    if text is not None and finding.spans:
        quotes = " ".join(f"<q>{escape(text[s:e])}</q>" for s, e in _finding_spans(finding, len(text)) if s < e)
        parts.append(f'<p class="where"><b>Vị trí:</b> {quotes}</p>')
    if index <= MAX_CROPS:
        parts.append(_crop_html(pages, finding.page, finding.bbox, rule_label(finding.rule)))
    return (
        f'<li class="finding sev-{escape(finding.severity)}" tabindex="0"'
        f"{attrs(id=fid, data_finding=fid, data_rule=finding.rule, data_severity=finding.severity)}>"
        f'<div class="fhead"><span class="fno sev-{escape(finding.severity)}">{index}</span>'
        f'<span class="sev">{escape(severity)}</span> <span class="rule-name">{escape(rule_label(finding.rule))}</span> <code class="rule">{escape(finding.rule)}</code></div>'
        f'<div class="detail">{"".join(parts)}</div></li>'
    )


def _file_messages(result: DocumentResult) -> str:
    out: list[str] = []
    for cls, label, entries in (("read-errors", "Lỗi đọc tệp", result.errors), ("read-warnings", "Cảnh báo khi đọc", result.warnings)):
        if entries:
            lis = "".join(f'<li><code>{escape(e.code)}</code> {escape(e.message)}</li>' for e in entries)
            out.append(f'<div class="{cls}"><h3>{label}</h3><ul>{lis}</ul></div>')
    return "".join(out)


def _meta(result: DocumentResult, text: str | None) -> str:
    entries = [("Định dạng", result.format), ("Số trang", result.pages), ("Số ký tự", len(text) if text is not None else None)]
    if result.self_ is not None:
        own = result.self_
        entries += [("Văn bản", f"{own.type or ''} {own.id}".strip()), ("Ngày", own.date), ("Cơ quan ban hành", own.issuer)]
    entries.append(("SHA-256", result.sha256[:12] if result.sha256 else None))
    items = "".join(f"<div><dt>{escape(k)}</dt><dd>{escape(v)}</dd></div>" for k, v in entries if v is not None)
    return f'<dl class="meta">{items}</dl>'


def _section(doc: int, result: DocumentResult, text: str | None) -> str:
    errors, warnings = _counts(result)
    with page_images(result.source, result.format) as pages:
        findings = "".join(_finding_item(doc, i, f, text, pages) for i, f in enumerate(result.findings, 1))
        crops = _figure_crops(result, pages)
    if not findings:
        findings = '<li class="none">Không phát hiện mâu thuẫn nào.</li>'
    aside = (
        f'<aside class="findings-col" aria-label="Phát hiện"><h3>Phát hiện: {errors} lỗi, {warnings} cảnh báo</h3>'
        f'<ol class="findings">{findings}</ol>{crops}</aside>'
    )
    if text is not None:
        body = f'<div class="doc-body"><div class="text-col"><div class="text" lang="vi">{_text_markup(doc, result, text)}</div></div>{aside}</div>'
    else:
        reason = "Không đọc được tệp này; xem lỗi ở trên." if result.errors else "Văn bản không được đưa vào báo cáo."
        body = f'<p class="no-text">{reason}</p>' + (aside if result.findings else "")
    return (
        f'<section class="doc"{attrs(id=f"doc-{doc}", data_doc=doc, data_source=result.source)}>'
        f'<header class="doc-head"><h2><span class="docno">{doc}</span> {escape(_name(result))}</h2>'
        f'<p class="path">{escape(result.source)}</p>{_meta(result, text)}</header>'
        f"{_file_messages(result)}{body}"
        '<p class="top"><a href="#top">↑ Về đầu trang</a></p></section>'
    )


def report_head(docs: Sequence[DocEntry]) -> Iterator[str]:
    """The page up to the documents' sections, in pieces: head, overview, the summary table."""
    script = _asset("report.js")
    digest = base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode("ascii")
    policy = f"default-src 'none'; style-src 'unsafe-inline'; script-src 'sha256-{digest}'; img-src data:"
    n_errors = sum(d.errors for d in docs)
    n_warnings = sum(d.warnings for d in docs)
    n_failed = sum(1 for d in docs if d.read_errors)
    yield (
        '<!DOCTYPE html>\n<html lang="vi"><head><meta charset="utf-8">'
        f'<meta http-equiv="Content-Security-Policy" content="{escape(policy)}">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        '<meta name="generator" content="bienche ' + escape(__version__) + '">'
        '<title>Báo cáo kiểm tra số liệu biên chế</title><link rel="icon" href="data:,">'
        f"<style>{_asset('report.css')}</style></head>"
        '<body id="top"><header class="page-head"><h1>Báo cáo kiểm tra số liệu biên chế</h1>'
        f'<p class="overview">{len(docs)} văn bản · <b class="sev-error">{n_errors} lỗi</b> · '
        f'<b class="sev-warning">{n_warnings} cảnh báo</b> · {n_failed} tệp không đọc được</p>'
        f"{_legend()}"
        '<p class="hint">Di chuột lên phần tô màu để xem chi tiết; bấm vào một phát hiện để xem phép tính và đề xuất sửa.</p>'
        "</header><main>"
    )
    yield from _summary(docs)


def report_tail() -> str:
    """The page after the documents' sections."""
    return (
        "</main>"
        '<div id="tip" class="tip" role="tooltip" hidden></div>'
        '<div id="panel" class="panel" role="dialog" aria-live="polite" aria-label="Chi tiết phát hiện" hidden>'
        '<button type="button" class="close" aria-label="Đóng">×</button><div class="panel-body"></div></div>'
        f"<script>{_asset('report.js')}</script></body></html>\n"
    )


def render_report(items: list[ReportItem]) -> str:
    """The whole report page for ``items`` (result, text or None), as one HTML string."""
    sections = "".join(_section(doc, result, text) for doc, (result, text) in enumerate(items, 1))
    return "".join(report_head([DocEntry.of(result) for result, _ in items])) + sections + report_tail()


class ReportSink:
    """The report page written section by section to ``out`` (staged): the summary
    table from ``docs`` first, then each document as it passes, its text from
    ``text_of`` (None: shown without text). Documents must come in ``docs`` order."""

    def __init__(self, out: Path, docs: Sequence[DocEntry], text_of: Callable[[DocumentResult], str | None] | None = None) -> None:
        self._docs, self._text_of = docs, text_of
        self._staged = Staged(out)
        self._handle = self._staged.temp.open("w", encoding="utf-8", errors="replace", newline="\n")
        self._count = 0
        try:
            self._handle.writelines(report_head(docs))
        except BaseException:
            self.abort()
            raise

    def add(self, result: DocumentResult) -> None:
        """Write the section of ``result`` with the text ``text_of`` gives."""
        self.add_item(result, self._text_of(result) if self._text_of is not None else None)

    def add_item(self, result: DocumentResult, text: str | None) -> None:
        """Write the section of ``result`` with ``text``."""
        self._count += 1
        if self._count > len(self._docs) or self._docs[self._count - 1].source != result.source:
            raise ValueError(f"{result.source}: not document {self._count} of the run's summary")
        self._handle.write(_section(self._count, result, text))

    def finish(self) -> list[Staged]:
        """Write the end of the page and close it; returns it staged."""
        if self._count != len(self._docs):
            raise ValueError(f"the report got {self._count} of the run's {len(self._docs)} documents")
        self._handle.write(report_tail())
        self._handle.close()
        return [self._staged]

    def abort(self) -> None:
        """Close and remove the page."""
        self._handle.close()
        self._staged.discard()


def write_report(items: list[ReportItem], out: Path) -> None:
    """Write the report page for ``items`` to ``out`` (UTF-8); it appears complete or not at all."""
    sink = ReportSink(out, [DocEntry.of(result) for result, _ in items])
    try:
        for result, text in items:
            sink.add_item(result, text)
        staged = sink.finish()
    except BaseException:
        abort_all([sink])
        raise
    commit_all(staged)
