"""The one annotated document every component reads and writes.

A ``Document`` (normalised text, page map) is wrapped once; components add
layers to it — structure (sentences, sections, tables), one layer per mention
kind (citations, dates, years, periods, numbers, orgs, categories, figures,
backrefs) and the document context (issuer, province, report year). No
component re-reads raw text or re-runs another's extractor: it reads the layers
it declares. Every mention satisfies ``text == document.text[start:end]``.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field, fields
from typing import Literal

from pydantic import Field

from extractor.models import (
    BackReference,
    Basis,
    Citation,
    DateMention,
    Document,
    Figure,
    Finding,
    Mention,
    NumberMention,
    OrgMention,
    Period,
    Sentence,
    YearMention,
)


class CategoryMention(Mention):
    """A quota category phrase ("cán bộ, công chức", "hợp đồng lao động" ...)."""

    category: str | None
    """Key from patterns/categories.yaml; None when the wording maps to none."""


class Section(Mention):
    """A numbered heading ("I. Khối Đảng", "2.1. Năm 2024") and the text it governs.

    ``start``/``end``/``text`` are the heading line; the section runs to ``body_end``."""

    number: str
    """The numbering as written: "I", "2.1", "a"."""
    level: int
    """1 for roman numerals, then one more per dotted part; letters are one deeper."""
    title: str
    """The heading without its numbering."""
    body_end: int
    year: int | None = None
    """The year the heading names ("2.1. Năm 2024")."""
    period: str | None = None


ColumnRole = Literal["label", "number", "unit", "value", "note"]


class TableColumn(Mention):
    """What a column header says about the numbers below it (``text`` is the header cell)."""

    index: int
    label: str
    """All header rows' cells of this column, joined top to bottom."""
    year: int | None = None
    category: str | None = None
    basis: Basis | None = None
    unit: str | None = None
    change: bool = False
    base_year: int | None = None
    """For a change column ("Giảm so với năm 2022"): the year it is measured against."""
    stage: Literal["before", "after"] | None = None
    """A reorganisation column: counts before ("Trước sắp xếp") or after ("Sau sắp xếp")."""
    rate: bool = False
    """A percentage column ("Tỷ lệ (%)"): its cells are the rates of the row's change."""
    role: ColumnRole = "value"


class TableCell(Mention):
    """One cell: its column index and its text span (stripped)."""

    column: int


class TableRow(Mention):
    """A body row: its cells, its row label (org or category), numbering, total flag."""

    cells: list[TableCell] = Field(default_factory=list)
    label: str | None = None
    number: str | None = None
    """Row numbering as written: "1.", "2.1", "a)"."""
    depth: int = -1
    """Nesting from the numbering (structure.tables.numbering_depth); -1 for an unnumbered row."""
    is_total: bool = False
    unit: str | None = None
    """The unit stated in the row's own "Đơn vị tính" cell ("Người", "Biên chế")."""
    kind: str | None = None
    """The staff a second label column names for the row ("| Sở Y tế | Công chức | 45 |"), as written."""


class Table(Mention):
    """A table (markdown, DOCX or PDF rows written as ``cell | cell``)."""

    columns: list[TableColumn] = Field(default_factory=list)
    rows: list[TableRow] = Field(default_factory=list)
    header_rows: int = 0
    title: str | None = None
    """A title written as the table's first row ("| BIỂU TỔNG HỢP … | | |"), its caption."""
    about_quota: bool = False
    """Whether the header or the text just before it speaks of biên chế or staff."""


@dataclass
class DocumentContext:
    """What the document says about itself: issuer, province, report year."""

    province: str | None = None
    issuer: str | None = None
    date: DateMention | None = None
    report_year: int | None = None
    """The year a report or plan is about ("Báo cáo … năm 2025", "Kế hoạch biên chế năm 2026")."""
    title: str | None = None
    org: str | None = None
    """The unit the document speaks for: "tỉnh X" for a provincial issuer, a ministry."""
    latest_year: int | None = None
    """The year of the latest full date in the text: the time an undated page speaks of."""
    as_of_year: int | None = None
    """The year of the cut-off date the lead states its data to ("số có mặt đến ngày 31/12/2024")."""
    subject: str | None = None
    """The body a page is about when its title is only that body's name ("Bộ Công an (Việt Nam)")."""
    basis: Basis | None = None
    """"assigned" for a decision that gives quotas and its appendix ("QUYẾT ĐỊNH Về việc giao biên
    chế …", "Kèm theo Quyết định số …"): staff figures with no basis cue of their own are assigned."""
    plan: bool = False
    """A plan ("KẾ HOẠCH", "ĐỀ ÁN", "PHƯƠNG ÁN" as its title): its changes and rates with no
    cue of their own are what it plans, unless they say they are done."""
    structure_year: int | None = None
    """The year of an act the lead says sets a body's structure ("Nghị định 26/2025/NĐ-CP quy
    định … cơ cấu tổ chức"): the counts of sub-units it lists are that structure, assigned then."""


@dataclass
class AnnotatedDocument:
    """A normalised document and every layer the components have added to it."""

    document: Document
    context: DocumentContext = field(default_factory=DocumentContext)
    sentences: list[Sentence] | None = None
    sections: list[Section] | None = None
    tables: list[Table] | None = None
    citations: list[Citation] | None = None
    dates: list[DateMention] | None = None
    years: list[YearMention] | None = None
    periods: list[Period] | None = None
    numbers: list[NumberMention] | None = None
    orgs: list[OrgMention] | None = None
    categories: list[CategoryMention] | None = None
    figures: list[Figure] | None = None
    backrefs: list[BackReference] | None = None
    findings: list[Finding] | None = None
    done: list[str] = field(default_factory=list)
    """Names of the components that ran, in order."""

    @property
    def text(self) -> str:
        """The normalised text every offset indexes."""
        return self.document.text

    @staticmethod
    def layer_names() -> tuple[str, ...]:
        """Every layer a component may read or write."""
        return tuple(f.name for f in fields(AnnotatedDocument) if f.name not in ("document", "done"))

    def has(self, name: str) -> bool:
        """Whether layer ``name`` has been written."""
        return name == "context" or getattr(self, name) is not None

    def mentions(self) -> Iterator[Mention]:
        """Every mention of every layer, table rows and cells included."""
        for name in self.layer_names():
            value = getattr(self, name, None)
            if not isinstance(value, list):
                continue
            for item in value:
                if isinstance(item, Mention):
                    yield item
                if isinstance(item, Table):
                    yield from item.columns
                    for row in item.rows:
                        yield row
                        yield from row.cells

    def sentence_index(self) -> list[int]:
        """Start offsets of the sentences, for bisecting."""
        return [s.start for s in self.sentences or []]
