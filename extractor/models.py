"""The one vocabulary shared by every stage: pydantic models.

Every mention carries ``start``/``end`` offsets into ``Document.text`` (the
normalised text) and ``text == document.text[start:end]`` always holds.
"""

from __future__ import annotations

from bisect import bisect_right
from typing import Annotated, Any, Literal, NamedTuple, Self, cast

from pydantic import BaseModel, ConfigDict, Field, SkipValidation

FigureKind = Literal["level", "change", "rate", "count"]
Approx = Literal["exact", "about", "at_least", "over", "at_most", "under"]
Relation = Literal["cites", "implements", "continues", "amends", "replaces", "according_to"]
Severity = Literal["error", "warning"]
Basis = Literal["assigned", "actual", "planned"]
Extractor = Literal["rules", "model"]


class _Model(BaseModel):
    # Unknown fields are ignored when reading: OUTPUT.md lets later versions add fields.
    model_config = ConfigDict(extra="ignore")

    @classmethod
    def trusted(cls, **values: Any) -> Self:
        """``cls.model_construct(**values)`` for values a rule made itself (own spans, parsed
        numbers): no validation, in a third of the time, for mentions made by the hundred
        per page. Every field without a default must be given; nothing else is checked."""
        defaults = _plain_defaults(cls)
        if defaults is None:
            return cast(Self, cls.model_construct(**values))
        made: Self = cls.__new__(cls)
        _set = object.__setattr__
        _set(made, "__dict__", {**defaults, **values})
        _set(made, "__pydantic_fields_set__", set(values))
        _set(made, "__pydantic_extra__", None)
        _set(made, "__pydantic_private__", None)
        return made


_DEFAULTS: dict[type[BaseModel], dict[str, Any] | None] = {}


def _plain_defaults(cls: type[BaseModel]) -> dict[str, Any] | None:
    """Every field of ``cls`` with its default, or None where one is a factory, an
    alias or a post-init hook would need ``model_construct`` itself."""
    if cls not in _DEFAULTS:
        fields = cls.__pydantic_fields__
        plain = not cls.__pydantic_post_init__ and all(
            f.default_factory is None and f.alias is None and f.validation_alias is None for f in fields.values()
        )
        # every field in order (a required one holds None until given): the dict built from it
        # keeps the field order, which the JSON output follows
        _DEFAULTS[cls] = {n: None if f.is_required() else f.default for n, f in fields.items()} if plain else None
    return _DEFAULTS[cls]


class FileError(_Model):
    """A problem reading one input file; ``code`` is one of extractor.errors."""

    code: str
    message: str


class TextBox(NamedTuple):
    """Where a run of text sits on its page: characters ``start``-``end`` of the
    text, 1-based ``page``, the box in PDF points (origin top-left, as pdfplumber
    gives it) and the OCR confidence (0-100; None for a text layer)."""

    start: int
    end: int
    page: int
    x0: float
    top: float
    x1: float
    bottom: float
    conf: float | None = None


Boxes = Annotated[list[TextBox], SkipValidation]
"""Word boxes, sorted by ``start``; not validated (a page has thousands)."""


class RawText(_Model):
    """What an ingest module returns: text as read, before normalisation."""

    text: str
    format: str
    page_starts: list[int] = Field(default_factory=list)
    """Offsets into ``text`` where each page begins (paged sources only)."""
    warnings: list[FileError] = Field(default_factory=list)
    encoding: str | None = None
    boxes: Boxes = Field(default_factory=list, exclude=True)
    """Word boxes of PDF and image sources, in offsets into ``text``."""
    page_sizes: list[tuple[float, float]] = Field(default_factory=list)
    """(width, height) of each page in PDF points (PDF and image sources)."""
    ocr_pages: list[int] = Field(default_factory=list)
    """1-based pages whose text was read by OCR."""


class Location(NamedTuple):
    """A span's place on the page: 1-based page, ``[x0, top, x1, bottom]`` in PDF
    points (origin top-left) and the lowest OCR confidence of its words."""

    page: int
    bbox: list[float]
    conf: float | None


class Document(_Model):
    """One ingested file: normalised text, a page map and its digest."""

    source: str
    sha256: str
    format: str
    text: str
    page_starts: list[int] = Field(default_factory=list)
    """Offsets into ``text`` where each page begins; empty for unpaged sources."""
    raw_anchors: list[tuple[int, int]] = Field(default_factory=list)
    """Offset map back to the raw source: sorted (normalised, raw) pairs; between
    two anchors the texts advance together."""
    encoding: str | None = None
    warnings: list[FileError] = Field(default_factory=list)
    boxes: Boxes = Field(default_factory=list, exclude=True)
    """Word boxes in offsets into ``text`` (PDF and image sources), sorted by start."""
    page_sizes: list[tuple[float, float]] = Field(default_factory=list)
    ocr_pages: list[int] = Field(default_factory=list)

    def page_at(self, offset: int) -> int | None:
        """The 1-based page holding ``offset``, or None for unpaged sources."""
        if not self.page_starts:
            return None
        return max(1, bisect_right(self.page_starts, offset))

    def locate(self, start: int, end: int) -> Location | None:
        """Where characters ``start``-``end`` sit on the page: the page of the first
        word box they touch, the union of their boxes on that page and the lowest
        OCR confidence among them; None without boxes (text, HTML, DOCX)."""
        if not self.boxes:
            return None
        index = max(0, bisect_right(self.boxes, start, key=lambda box: box.start) - 1)
        hit: list[TextBox] = []
        for box in self.boxes[index:]:
            if box.start >= max(end, start + 1):
                break
            if box.end > start and (not hit or box.page == hit[0].page):
                hit.append(box)
        if not hit:
            return None
        confs = [box.conf for box in hit if box.conf is not None]
        bbox = [
            round(min(b.x0 for b in hit), 1), round(min(b.top for b in hit), 1),
            round(max(b.x1 for b in hit), 1), round(max(b.bottom for b in hit), 1),
        ]
        return Location(page=hit[0].page, bbox=bbox, conf=min(confs) if confs else None)

    def raw_offset(self, offset: int) -> int:
        """The offset in the raw source text that ``offset`` came from."""
        if not self.raw_anchors:
            return offset
        i = bisect_right(self.raw_anchors, (offset, 1 << 62)) - 1
        if i < 0:
            return offset
        norm, raw = self.raw_anchors[i]
        return raw + (offset - norm)


SENTENCE_LIMIT = 1000
"""Characters of a sentence a mention carries as its ``sentence``: a longer one (a
5 MB line with no full stop) is cut to a window around the mention, marked with "…"."""


class Sentence(_Model):
    """A sentence (or a list item / heading line) of the normalised text."""

    start: int
    end: int
    text: str

    def around(self, start: int, end: int, limit: int = SENTENCE_LIMIT) -> str:
        """The sentence as a mention at ``start:end`` carries it: whole when at most
        ``limit`` characters, else a window of about ``limit`` around the mention."""
        if len(self.text) <= limit:
            return self.text
        first, last = max(0, start - self.start), min(len(self.text), end - self.start)
        room = max(0, limit - (last - first)) // 2
        low, high = max(0, first - room), min(len(self.text), last + room)
        return ("…" if low > 0 else "") + self.text[low:high] + ("…" if high < len(self.text) else "")


class Token(_Model):
    """A word token (underthesea word segmentation) with offsets."""

    start: int
    end: int
    text: str


class Mention(_Model):
    """Base of everything found in a text: a span with its provenance."""

    start: int
    end: int
    text: str
    extractor: Extractor = "rules"
    confidence: float = 1.0


class NumberMention(Mention):
    """A number as written in Vietnamese: ``1.234.567``, ``1,94``, ``trên 25 nghìn``."""

    value: float
    approx: Approx = "exact"
    percent: bool = False
    number_start: int
    """Where the digits begin (after any qualifier such as "khoảng")."""


class DateMention(Mention):
    """A calendar date, month or quarter: ``ngày 18/7/2022``, ``quý I-2023``."""

    date: str
    """ISO form at the precision written: 2022-07-18, 2022-01, 2023-Q1."""
    precision: Literal["day", "month", "quarter"]
    year: int | None


class YearMention(Mention):
    """A year: ``năm 2024``, a heading ``2.1. Năm 2024``, ``so với năm 2022``, ``từ năm 2022 đến nay`` (since)."""

    year: int
    role: Literal["year", "base", "heading", "until", "since"] = "year"


class Period(Mention):
    """A span of years: ``giai đoạn 2022 - 2026``, ``từ năm 2026 đến năm 2030``."""

    start_year: int | None
    end_year: int | None
    label: str
    """Canonical ``2022-2026``; ``-2026`` when only the end is stated."""


class OrgMention(Mention):
    """A unit, body or organisation named in the text."""

    name: str
    """The name with context resolved (the province of a provincial plan)."""
    label: Literal["ORG", "LOC"] = "ORG"


class Citation(Mention):
    """A reference to another directive (or the document's own identity)."""

    id: str | None
    key: str | None
    number: str | None
    type: str | None
    type_code: str | None = None
    issuer_code: str | None = None
    date: str | None = None
    issuer: str | None = None
    relation: Relation = "cites"
    partial: bool = False
    is_self: bool = False
    page: int | None = None
    bbox: list[float] | None = None
    """``[x0, top, x1, bottom]`` on ``page`` in PDF points, origin top-left (PDF and image sources)."""
    ocr_confidence: float | None = None
    """Lowest Tesseract confidence (0-100) of its words, where the text was read by OCR."""
    repairs: list[str] = Field(default_factory=list)
    """OCR confusions undone to read ``id`` from ``text`` ("number: l→1", "issuer: VV→W"); empty when read as written."""
    sentence: str = ""


class BackReference(Mention):
    """A reference back to a directive cited earlier in the same document:
    "Nghị quyết trên", "Kế hoạch này", "Nghị quyết 18", "Kết luận 50"."""

    type: str | None
    number: str | None = None
    resolved_id: str | None = None
    resolved_key: str | None = None
    resolved_start: int | None = None
    """Offset of the full citation it points to; None when unresolved."""
    refers_to_self: bool = False
    relation: Relation = "cites"
    unresolved_reason: str | None = None
    sentence: str = ""


class SelfIdentity(_Model):
    """The document's own identifier, as it states it ("kí ban hành Kế hoạch số ...")."""

    id: str
    key: str
    type: str | None
    date: str | None
    issuer: str | None


class Figure(Mention):
    """A quota figure: a level, a signed change, a rate or a count."""

    id: str
    kind: FigureKind
    value: float
    unit: str
    category: str | None
    org: str | None
    year: int | None
    period: str | None = None
    base_year: int | None = None
    base_year_span: tuple[int, int] | None = None
    rate_percent: float | None = None
    rate_span: tuple[int, int] | None = None
    approx: Approx = "exact"
    basis: Basis | None = None
    """What the number is: a quota ``assigned`` (được giao, phân bổ, chỉ tiêu), an
    ``actual`` headcount (có mặt, hiện có), a ``planned`` one (dự kiến, đề nghị), or
    None where the text does not say; assigned and actual figures never add up."""
    parent: str | None = None
    """``id`` of the figure this one is a part of ("Trong đó:", "bao gồm")."""
    row_total: str | None = None
    """In a table, ``id`` of the same row's total cell ("Tổng số" column) that this
    cell adds up to with the row's other category cells (columns to totals);
    ``parent`` then stays the total row of its column (rows to totals)."""
    before_after: tuple[str, str] | None = None
    """For a change stated without years: ids of the before and after levels
    ("từ 1.250 ... xuống còn 410, giảm 840")."""
    gap_of: tuple[str, str] | None = None
    """For a count of posts left unfilled: ids of the assigned and the actual level it is
    the difference of ("được giao 2.145 …, có mặt 2.031 …, còn 114 biên chế chưa sử dụng")."""
    page: int | None = None
    bbox: list[float] | None = None
    """``[x0, top, x1, bottom]`` on ``page`` in PDF points, origin top-left (PDF and image sources)."""
    ocr_confidence: float | None = None
    """Lowest Tesseract confidence (0-100) of its words, where the text was read by OCR."""
    sentence: str = ""
    date: str | None = None
    role: Literal["before", "after"] | None = None
    """In a reorganisation statement: the count before or after the change."""
    partial: bool = False
    """A part of an open breakdown (a "Trong đó" row): its whole may hold more, so
    it never enters a sum with the whole's other parts."""


class Finding(_Model):
    """A figure or reference that does not add up, with the arithmetic shown."""

    rule: str
    severity: Severity
    message: str
    stated: float | str | None = None
    computed: float | str | None = None
    suggestion: str | None = None
    spans: list[tuple[int, int]] = Field(default_factory=list)
    page: int | None = None
    bbox: list[float] | None = None
    """Box of the first span on ``page`` (PDF and image sources)."""
    related: list[Finding] = Field(default_factory=list)
    """Findings with the same root cause (one typo that breaks several relations):
    reported once, here, under the finding whose repair fixes them all."""


class DocumentResult(_Model):
    """Everything extracted from one file: the JSON Lines record (OUTPUT.md v1)."""

    source: str
    sha256: str | None
    format: str | None = None
    errors: list[FileError] = Field(default_factory=list)
    warnings: list[FileError] = Field(default_factory=list)
    self_: SelfIdentity | None = Field(default=None, alias="self")
    citations: list[Citation] = Field(default_factory=list)
    backrefs: list[BackReference] = Field(default_factory=list)
    figures: list[Figure] = Field(default_factory=list)
    findings: list[Finding] = Field(default_factory=list)
    periods: list[Period] = Field(default_factory=list)
    dates: list[DateMention] = Field(default_factory=list)
    orgs: list[OrgMention] = Field(default_factory=list)
    pages: int | None = None
    chars: int = 0
    settings: str | None = None
    """What the record depends on besides the file (``extractor.settings.settings_key``):
    ``extract --resume`` keeps a record only when this and ``sha256`` still match."""

    model_config = ConfigDict(extra="ignore", populate_by_name=True)

    def all_findings(self) -> list[Finding]:
        """Every finding, those listed under a root cause included."""
        out: list[Finding] = []
        for f in self.findings:
            out.append(f)
            out.extend(f.related)
        return out

    def to_json(self) -> str:
        """The record as one JSON line (field ``self`` under its contract name)."""
        return self.model_dump_json(by_alias=True)
