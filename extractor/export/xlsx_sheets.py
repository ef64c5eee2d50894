"""The list sheets of the workbook, in Vietnamese: Số liệu, Trích dẫn, Phát hiện,
Văn bản, Lỗi đọc tệp and the column dictionary "Giải thích cột".

Each sheet is a column spec (field, style, width) and rows of cells; values that are
codes in the records (kind, category, relation, severity, rule …) are shown in
Vietnamese through :mod:`extractor.export.labels`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from extractor.export.csv import plain
from extractor.export.labels import COLUMNS, SHEETS, value_label
from extractor.export.xlsx_cells import Style, Styled, XCell, date_cell
from extractor.models import Citation, DocumentResult, Figure, Finding

Spec = tuple[tuple[str, Style, int | None], ...]
"""(field, style, fixed width or None to fit the values) per column."""

FIGURE_SPEC: Spec = (
    ("source", "wrap", 22), ("page", "plain", None), ("id", "text", None), ("kind", "text", None),
    ("value", "auto", None), ("unit", "text", None), ("category", "wrap", 18), ("org", "wrap", 30),
    ("year", "plain", None), ("period", "text", None), ("base_year", "plain", None),
    ("rate_percent", "dec", None), ("basis", "text", None), ("approx", "text", None),
    ("partial", "text", None), ("parent", "text", None), ("row_total", "text", None),
    ("text", "wrap", 20), ("ocr_confidence", "dec", None), ("sentence", "wrap", 60),
)  # fmt: skip
CITATION_SPEC: Spec = (
    ("source", "wrap", 22), ("page", "plain", None), ("id", "text", None), ("key", "text", None),
    ("number", "text", None), ("type", "text", None), ("date", "date", 14), ("issuer", "wrap", 30),
    ("relation", "text", None), ("partial", "text", None), ("is_self", "text", None),
    ("text", "wrap", 24), ("ocr_confidence", "dec", None), ("sentence", "wrap", 60),
)  # fmt: skip
FINDING_SPEC: Spec = (
    ("source", "wrap", 22), ("rule", "wrap", 20), ("severity", "text", None),
    ("message", "wrap", 50), ("stated", "auto", None), ("computed", "auto", None),
    ("suggestion", "wrap", 36), ("mentions", "wrap", 36), ("page", "plain", None),
    ("sentence", "wrap", 60),
)  # fmt: skip
DOCUMENT_SPEC: Spec = (
    ("source", "text", None), ("self_id", "text", None), ("self_type", "text", None),
    ("self_date", "date", 14), ("self_issuer", "wrap", 30), ("format", "text", None),
    ("pages", "num", None), ("chars", "num", None), ("citations", "num", None),
    ("figures", "num", None), ("levels", "num", None), ("findings", "num", None),
    ("errors", "num", None), ("warnings", "num", None), ("sha256", "text", 20),
)  # fmt: skip
ERROR_SPEC: Spec = (("source", "text", None), ("level", "text", None), ("code", "text", None), ("message", "wrap", 80))
DICTIONARY_SPEC: Spec = (("sheet", "text", None), ("header", "wrap", 28), ("field", "text", None), ("meaning", "wrap", 70))

_TRANSLATED = ("kind", "category", "approx", "relation", "basis", "severity", "rule", "level")


@dataclass(frozen=True)
class Table:
    """One list sheet: its key in :data:`extractor.export.labels.SHEETS`, columns, rows."""

    key: str
    spec: Spec
    rows: list[list[XCell]]

    @property
    def name(self) -> str:
        """The sheet name shown on its tab."""
        return SHEETS[self.key]

    def headers(self) -> list[str]:
        """The Vietnamese header of each column."""
        return [COLUMNS[self.key][name].header for name, _, _ in self.spec]


def _cell(name: str, value: object) -> XCell:
    """A record value as a cell: codes translated, dates as dates, numbers as numbers."""
    if isinstance(value, str) and name in _TRANSLATED:
        return value_label(name, value)
    if name in ("date", "self_date") and (value is None or isinstance(value, str)):
        return date_cell(value)
    return plain(value)


def _mention_rows(
    results: Iterable[DocumentResult], spec: Spec, which: str
) -> Iterator[list[XCell]]:
    for result in results:
        mentions: list[Figure] | list[Citation] = result.figures if which == "figures" else result.citations
        for mention in mentions:
            row: list[XCell] = []
            for name, _, _ in spec:
                value = result.source if name == "source" else getattr(mention, name)
                cell = _cell(name, value)
                if name == "value" and isinstance(mention, Figure) and mention.kind == "rate":
                    cell = Styled(mention.value, "dec")
                row.append(cell)
            yield row


MentionIndex = dict[tuple[int, int], list[Figure | Citation]]


def mention_index(result: DocumentResult) -> MentionIndex:
    """The figures and citations of ``result`` by their (start, end), for :func:`mentioned`."""
    at: MentionIndex = {}
    pool: list[Figure | Citation] = [*result.figures, *result.citations]
    for m in pool:
        at.setdefault((m.start, m.end), []).append(m)
    return at


def mentioned(result: DocumentResult, finding: Finding, at: MentionIndex | None = None) -> list[Figure | Citation]:
    """The figures and citations a finding's spans point at: an exact span first,
    else every mention the span overlaps; each once, in span order (``at``: the
    result's :func:`mention_index`, built once for all its findings)."""
    at = mention_index(result) if at is None else at
    pool: list[Figure | Citation] = []
    found: list[Figure | Citation] = []
    seen: set[int] = set()
    for start, end in finding.spans:
        hits = at.get((start, end))
        if not hits:
            pool = pool or [*result.figures, *result.citations]
            hits = [m for m in pool if m.start < max(end, start + 1) and start < m.end]
        for m in hits:
            if id(m) not in seen:
                seen.add(id(m))
                found.append(m)
    return found


def _mention_label(mention: Figure | Citation) -> str:
    if isinstance(mention, Figure):
        return f"{mention.id}: {mention.text}"
    return mention.id or mention.text


def _finding_rows(results: Iterable[DocumentResult]) -> Iterator[list[XCell]]:
    for result in results:
        at = mention_index(result)
        for finding in result.all_findings():  # a root cause's related findings get rows too
            hits = mentioned(result, finding, at)
            sentences = list(dict.fromkeys(m.sentence for m in hits if m.sentence))
            page = finding.page or next((m.page for m in hits if m.page), None)
            yield [
                result.source, value_label("rule", finding.rule), value_label("severity", finding.severity),
                finding.message, plain(finding.stated), plain(finding.computed), finding.suggestion,
                "\n".join(_mention_label(m) for m in hits), page, "\n".join(sentences),
            ]  # fmt: skip


def _document_rows(results: Iterable[DocumentResult]) -> Iterator[list[XCell]]:
    for result in results:
        own = result.self_
        yield [
            result.source, own.id if own else None, own.type if own else None,
            date_cell(own.date) if own else None, own.issuer if own else None, result.format,
            result.pages, result.chars, len(result.citations), len(result.figures),
            sum(1 for f in result.figures if f.kind == "level"), len(result.all_findings()),
            len(result.errors), len(result.warnings), result.sha256,
        ]  # fmt: skip


def _error_rows(results: Iterable[DocumentResult]) -> Iterator[list[XCell]]:
    for result in results:
        for level, problems in (("error", result.errors), ("warning", result.warnings)):
            for problem in problems:
                yield [result.source, value_label("level", level), problem.code, problem.message]


def _dictionary_rows(summary_headers: list[str]) -> Iterator[list[XCell]]:
    """Every column of every sheet: sheet, header, JSONL field, meaning."""
    for key, columns in COLUMNS.items():
        for name, label in columns.items():
            header = label.header
            if key == "summary" and name == "year":
                years = [h for h in summary_headers if h not in {c.header for c in columns.values()}]
                header = ", ".join(years) if years else header
            yield [SHEETS[key], header, label.field or None, label.meaning]


RowsOf = Callable[[Iterable[DocumentResult]], Iterator[list[XCell]]]
"""The rows a sheet gets from some results, in order."""


def _figure_rows(results: Iterable[DocumentResult]) -> Iterator[list[XCell]]:
    return _mention_rows(results, FIGURE_SPEC, "figures")


def _citation_rows(results: Iterable[DocumentResult]) -> Iterator[list[XCell]]:
    return _mention_rows(results, CITATION_SPEC, "citations")


DOCUMENT_SHEETS: tuple[tuple[str, Spec, RowsOf], ...] = (
    ("figures", FIGURE_SPEC, _figure_rows),
    ("citations", CITATION_SPEC, _citation_rows),
    ("findings", FINDING_SPEC, _finding_rows),
    ("documents", DOCUMENT_SPEC, _document_rows),
    ("errors", ERROR_SPEC, _error_rows),
)
"""The list sheets with rows per document (key, columns, rows), in workbook order;
the column dictionary comes after them."""


def dictionary_table(summary_headers: list[str]) -> Table:
    """The column dictionary sheet, last in the workbook."""
    return Table("columns", DICTIONARY_SPEC, list(_dictionary_rows(summary_headers)))


def list_tables(results: list[DocumentResult], summary_headers: list[str]) -> list[Table]:
    """The sheets after the summary, in workbook order."""
    tables = [Table(key, spec, list(rows(results))) for key, spec, rows in DOCUMENT_SHEETS]
    return [*tables, dictionary_table(summary_headers)]
