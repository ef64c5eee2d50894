"""Whose a figure is: the subject, territory, owner, recipient or workplace the words
around it name (used by the record-assembly stage, extractor/assemble/records.py)."""

from __future__ import annotations

from extractor.annotated import AnnotatedDocument
from extractor.models import Figure
from extractor.patterns import compiled, rx


def clause_before(text: str, sentence_start: int, pos: int) -> str:
    """The clause of the sentence before ``pos``: from the last ";" or line break within 90 characters."""
    start = max(sentence_start, pos - 90)
    cut = max(text.rfind(";", start, pos), text.rfind("\n", start, pos))
    return text[cut + 1 if cut >= 0 else start:pos]


MAX_ORG_WORDS = 30
"""Most words an org may have."""
OWNER_REACH = 160
"""How far after a count of units its owner may be named ("2 xã: A, B thuộc huyện X")."""
WORKPLACE_REACH = 160
"""How far after a count of staff the body they work at may be named."""
NAMED_REACH = 1500
"""How far back a bare level noun ("huyện còn 10 xã") looks for the unit it stands for."""


def acts_on(text: str, end: int) -> bool:
    """Whether the body named up to ``end`` discusses or decides what follows ("Ủy ban
    Pháp luật thẩm tra …", "Bộ Chính trị ban hành Nghị quyết …")."""
    pos = end + len(text[end:end + 10]) - len(text[end:end + 10].lstrip())
    return any(compiled("figures", name).match(text, pos, pos + 40)
               for name in ("figure.discussant", "figure.decider"))


def org_ok(org: str, sentence: str) -> bool:
    """Whether ``org`` may be whose a figure is: no count phrase, clause fragment, nor a body
    that only discussed or decided it."""
    if len(org.split()) > MAX_ORG_WORDS or compiled("figures", "figure.org_fragment").search(org):
        return False
    at = sentence.find(org)
    discussed = at >= 0 and acts_on(sentence, at + len(org))
    return not (discussed or compiled("figures", "figure.discussant").search(org))


def territory(doc: AnnotatedDocument, fig: Figure, sentence_start: int) -> str | None:
    """"cả nước có 34 tỉnh", "Vùng X, gồm 14 tỉnh": the subject of a count of units."""
    before = clause_before(doc.text, sentence_start, fig.start)
    split = compiled("figures", "figure.split_object").search(before)
    if split is not None:
        return str(split.group("subject"))  # "chia xã Viên An thuộc huyện Năm Căn thành |3 xã"
    before = compiled("figures", "figure.listed_counts").sub("", before)  # "có 1 thành phố, 2 thị xã và |9 huyện"
    m = compiled("figures", "figure.territory_verb").search(before)
    if m is None:
        return None
    subject = rx(r"^\s*(?:[-+•*]|\d+[.)]|[a-zđ]\))?\s*").sub("", m.group("subject"))
    cuts = list(compiled("figures", "figure.subject_cut").finditer(subject))
    subject = subject[cuts[-1].end():] if cuts else subject  # "… theo Quyết định 759 sau sáp nhập vùng X còn": vùng X
    lead = compiled("figures", "figure.subject_prefix").match(subject)  # "Trong khi đó, ở", "sau sắp xếp": no subject
    subject = subject[lead.end():].strip(" ,.-") if lead else subject.strip(" ,.-")
    subject = compiled("figures", "figure.subject_suffix").sub("", subject).strip(" ,.-")  # "Tỉnh Sa Đéc khi đó"
    if compiled("figures", "figure.bare_level").fullmatch(subject):
        return last_named(doc, subject, fig.start)  # "Sau sắp xếp, huyện còn 10 xã": the huyện named before
    return subject if subject and org_ok(subject, fig.sentence) and 2 <= len(subject.split()) <= 12 else None


def last_named(doc: AnnotatedDocument, level: str, pos: int) -> str | None:
    """The last place mention before ``pos`` (within NAMED_REACH) that is a unit of ``level``."""
    noun = str(rx(r"\s+").sub(" ", level)).lower()
    named = [o for o in doc.orgs or [] if pos - NAMED_REACH <= o.start and o.end <= pos
             and str(rx(r"\s+").sub(" ", o.text)).lower().startswith(noun + " ")]
    return str(rx(r"\s+").sub(" ", named[-1].text)).strip() if named else None


def owner_after(doc: AnnotatedDocument, fig: Figure) -> str | None:
    """"6 Tổng cục hiện tại của Bộ Công an": the body named right after a count of units."""
    link = compiled("figures", "figure.owner_after")
    labels = ("ORG", "LOC")  # "08 Chi nhánh … của tỉnh Khánh Hòa", "2 xã … thuộc huyện X"
    for org in doc.orgs or []:
        if not (fig.end <= org.start <= fig.end + OWNER_REACH and org.label in labels):
            continue
        if link.fullmatch(doc.text, fig.end, org.start):
            return str(rx(r"\s+").sub(" ", org.text)).strip()
        head = rx(r"(?:\p{Lu}[\p{L}]*[ \t]+){1,3}$").search(doc.text, max(fig.end, org.start - 30), org.start)
        if head and link.fullmatch(doc.text, fig.end, head.start()):  # "… thuộc Thuế tỉnh Đồng Tháp": the body before the place
            return str(rx(r"\s+").sub(" ", doc.text[head.start():org.end])).strip()
    return None


def row_org(doc: AnnotatedDocument, fig: Figure) -> str | None:
    """The label of the table row a figure written inside a cell of prose stands in (a
    note), when the label names a unit: not a measure, not a total."""
    for table in doc.tables or []:
        if table.start <= fig.start < table.end:
            row = next((r for r in table.rows if r.start <= fig.start < r.end), None)
            cell = next((c for c in row.cells if c.start <= fig.start < c.end), None) if row is not None else None
            note = cell is not None and cell.column < len(table.columns) and table.columns[cell.column].role == "note"
            label = (row.label or "").strip() if row is not None else ""
            if not note or row is None or row.is_total or not label or compiled("tables", "table.measure_label").match(label):
                return None
            return label
    return None


def recipient(doc: AnnotatedDocument, fig: Figure) -> str | None:
    """"giao 2.100 biên chế công chức cho các cơ quan của tỉnh trong năm 2026": the body a
    quota is given to, right after the figure, is whose it is (not the giver before it)."""
    m = compiled("figures", "figure.recipient").match(doc.text, fig.end, min(len(doc.text), fig.end + 140))
    if m is None:
        return None
    org = str(rx(r"\s+").sub(" ", m.group("org"))).strip()
    return org if org_ok(org, fig.sentence) else None


def body_right_after(doc: AnnotatedDocument, fig: Figure) -> str | None:
    """"tuyển 70 công chức Thanh tra Chính phủ": a body named right after the staff
    noun, with nothing between, is whose staff they are; so is the body they are to
    work at ("70 chỉ tiêu công chức … vào làm việc tại các vụ, cục thuộc Bộ X")."""
    works_at = compiled("figures", "figure.works_at")
    for org in doc.orgs or []:
        if org.start > fig.end + WORKPLACE_REACH:
            break
        if org.start >= fig.end and org.label == "ORG":
            gap = doc.text[fig.end:org.start]
            if not gap.strip() or works_at.match(gap):
                return str(rx(r"\s+").sub(" ", org.text)).strip()
    return None


def place_before(doc: AnnotatedDocument, fig: Figure, sentence_start: int) -> str | None:
    """"- Tỉnh Quảng Ninh: sắp xếp 41 đơn vị hành chính cấp xã …": the last place or
    body named in the sentence (or list item) before a count of administrative units."""
    found = None
    clauses = list(compiled("figures", "figure.measure_clause").finditer(doc.text, sentence_start, fig.start))
    sentence_start = clauses[-1].end() if clauses else sentence_start  # "…; số đơn vị sự nghiệp giảm 28 đơn vị": its own
    for org in doc.orgs or []:
        if org.start >= fig.start:
            break
        if org.start >= sentence_start and org.label in ("LOC", "ORG") and not acts_on(doc.text, org.end) \
                and doc.text.count("(", org.end, fig.start) <= doc.text.count(")", org.end, fig.start):
            found = org
    return str(rx(r"\s+").sub(" ", found.text)).strip() if found is not None else None
