"""Structure components: sentences, the document's own context, sections, tables."""

from __future__ import annotations

from extractor.annotated import AnnotatedDocument
from extractor.components.base import component
from extractor.gazetteer import find_province
from extractor.patterns import compiled, rx
from extractor.rules.header import HEADER_CHARS, header_issuer
from extractor.rules.orgs import document_province
from extractor.segment import split_sentences
from extractor.structure.sections import find_sections
from extractor.structure.tables import find_tables

TITLE_LINES = 12
SUBJECT_WORDS = 10
LEAD_CHARS = 2500
"""How far into a document its lead (what the data are and when) reaches."""
"""A title of a body's name is short: a longer one is a headline."""


@component("sentences", writes=("sentences",))
def sentences(doc: AnnotatedDocument) -> None:
    """Sentences, list items and heading lines, split once for every later stage."""
    doc.sentences = split_sentences(doc.text)


@component("context", reads=("dates",), writes=("context",))
def context(doc: AnnotatedDocument) -> None:
    """Issuer and province from the printed header, the header date, the report year of the title."""
    text = doc.text
    issuer = header_issuer(text)
    doc.context.issuer = issuer
    doc.context.province = document_province(text) or find_province(issuer or "")
    doc.context.org = _document_org(issuer, doc.context.province)
    doc.context.date = next((d for d in doc.dates or [] if d.start < HEADER_CHARS and d.precision == "day"), None)
    doc.context.as_of_year = _as_of_year(doc)
    doc.context.structure_year = _structure_year(doc)
    doc.context.latest_year = max((d.year for d in doc.dates or [] if d.precision == "day" and d.year), default=None)
    first = text.lstrip().split("\n", 1)[0]
    subject = compiled("context", "context.subject_title").match(first)
    if subject and len(subject.group("name").split()) <= SUBJECT_WORDS:
        doc.context.subject = subject.group("name").strip(" ,")
    elif doc.context.org is None:
        doc.context.subject = _place_subject(first, text[:HEADER_CHARS * 3])
    head = "\n".join(line for line in text[:HEADER_CHARS * 2].split("\n")[:TITLE_LINES * 3] if line.strip())
    lines = head.split("\n")[:TITLE_LINES]
    body = next((i for i, line in enumerate(lines) if i and compiled("context", "context.body_start").match(line)), len(lines))
    title_lines = " ".join(lines[:body])  # "I. MỤC TIÊU", "Điều 1.", "Căn cứ …": the title ends before the body
    if compiled("context", "context.assigning_act").search(title_lines):
        doc.context.basis = "assigned"
    doc.context.plan = compiled("context", "context.plan_title").search("\n".join(head.split("\n")[:TITLE_LINES])) is not None
    place = compiled("context", "context.title_place").search("\n".join(head.split("\n")[:TITLE_LINES]))
    if doc.context.org is None and place is not None:
        doc.context.org = rx(r"\s+").sub(" ", place.group("org"))  # "KẾ HOẠCH … của tỉnh Phú An", no header
    title = compiled("context", "context.report_title").search(title_lines)
    if title:
        doc.context.report_year = int(title.group("y"))
        doc.context.title = rx(r"\s+").sub(" ", title.group(0)).strip(" #*")


def _place_subject(first: str, head: str) -> str | None:
    """"tỉnh Bắc Ninh" for a page titled only by a province's name ("# Bắc Ninh") whose
    infobox says what it is ("| Tỉnh |", "| Thành phố trực thuộc trung ương |"); else None."""
    title = compiled("context", "context.place_title").match(first)
    if title is None or find_province(title.group("name")) != title.group("name"):
        return None
    kind = compiled("context", "context.place_kind").search(head)
    if kind is None:
        return None
    return f"{'tỉnh' if kind.group('kind').lower() == 'tỉnh' else 'thành phố'} {title.group('name')}"


def _as_of_year(doc: AnnotatedDocument) -> int | None:
    """The year of the first cut-off date in the lead ("Số liệu … đến ngày 31/12/2024")."""
    cue = compiled("context", "context.as_of")
    for d in doc.dates or []:
        if d.start > LEAD_CHARS:
            break
        if d.precision == "day" and d.year and cue.search(doc.text, max(0, d.start - 160), d.start):
            return d.year
    return None


def _structure_year(doc: AnnotatedDocument) -> int | None:
    """The year of an act the lead says sets a body's structure: its symbol's year, else the
    first full date before it, else the header date's."""
    act = compiled("context", "context.structure_act").search(doc.text, 0, LEAD_CHARS)
    if act is None:
        return None
    if act.group("y"):
        return int(act.group("y"))
    dated = [d.year for d in doc.dates or [] if d.precision == "day" and d.year and d.start < act.start()]
    if dated:
        return dated[-1]
    return doc.context.date.year if doc.context.date is not None else None


def _document_org(issuer: str | None, province: str | None) -> str | None:
    """"tỉnh X" for a provincial body of the header, the ministry for a ministry, else None."""
    if not issuer:
        return None
    district = rx(r"(?:(?P<party>Huyện ủy|Quận ủy|Thị ủy)|(?:Ủy ban nhân dân|Hội đồng nhân dân) (?P<kind>huyện|quận|thị xã))"
                  r"\s+(?P<name>\p{Lu}.*)$").search(issuer)
    if district is not None:  # "Huyện ủy Nam Đàn", "Ủy ban nhân dân huyện Tân Lập": a district's own document
        kind = district.group("kind") or {"Huyện ủy": "huyện", "Quận ủy": "quận", "Thị ủy": "thị xã"}[district.group("party")]
        return f"{kind} {district.group('name')}"
    local = rx(r"(?:tỉnh|thành phố)\s+(\p{Lu}.*)$").search(issuer) or rx(r"(?:Tỉnh ủy|Thành ủy)\s+(\p{Lu}.*)$").search(issuer)
    if rx(r"(?:Bộ|Ủy ban Dân tộc|Văn phòng Chính phủ|Thanh tra Chính phủ)\b").match(issuer) and not local:
        return issuer
    if local:
        kind = "thành phố" if "thành phố" in issuer or "Thành ủy" in issuer else "tỉnh"
        return f"{kind} {local.group(1)}"
    if province and rx(r"(?:Ủy ban nhân dân|Hội đồng nhân dân|Tỉnh ủy)$").search(issuer):
        return f"tỉnh {province}"
    if rx(r"(?:Tổng cục|Cục|Sở|Văn phòng)\s+\p{Lu}").match(issuer):
        return issuer  # a body named in the header speaks for itself
    return None


@component("sections", reads=("years", "periods", "dates"), writes=("sections",))
def sections(doc: AnnotatedDocument) -> None:
    """Numbered headings and the spans they govern."""
    doc.sections = find_sections(doc.text, doc.years or [], doc.periods or [], doc.dates or [])


@component("tables", writes=("tables",))
def tables(doc: AnnotatedDocument) -> None:
    """Tables as rows × cells, with column roles and header labels."""
    doc.tables = find_tables(doc.text)
