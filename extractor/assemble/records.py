"""Prose and table figures to records: basis from the clause's cue words, else the
document's (a decision giving quotas), else assigned for biên chế levels; year from
the section heading, then the document's report year; no org that is a count
phrase, a clause fragment or a body that only discussed the figure; parts take
what their whole determines."""

from __future__ import annotations

from bisect import bisect_right

import regex

from extractor.annotated import AnnotatedDocument, DocumentContext, Section
from extractor.assemble.cues import basis_of, categories_in, category_of
from extractor.assemble.over_tables import link_prose_over_tables
from extractor.assemble.narrative import narrative_openings, narrative_year
from extractor.check.sums import unit_group
from extractor.models import Basis, Citation, Figure
from extractor.patterns import compiled, rx
from extractor.rules.units import canonical_unit
from extractor.structure.sections import sections_at

MAX_ORG_WORDS = 30
OWNER_REACH = 160
"""How far after a count of units its owner may be named ("2 xã: A, B thuộc huyện X")."""
WORKPLACE_REACH = 160
"""How far after a count of staff the body they work at may be named."""
BASE_REACH = 40
"""How far after a change its base year's level in brackets may stand."""
CARRY_CHARS = 300
"""How far a passage's basis carries to a count that states none."""
NATION = "cả nước"


def _clause_before(text: str, sentence_start: int, pos: int) -> str:
    start = max(sentence_start, pos - 90)
    cut = max(text.rfind(";", start, pos), text.rfind("\n", start, pos))
    return text[cut + 1 if cut >= 0 else start:pos]


def _basis(doc: AnnotatedDocument, fig: Figure, sentence_start: int) -> None:
    if fig.basis is not None or _vacancy(doc, fig):
        return  # "còn 23 biên chế chưa sử dụng": vacancies have no basis
    before = _clause_before(doc.text, sentence_start, fig.start)
    item = list(rx(r"\d[^\d]*?(?:[,;]|\svà\s)").finditer(before))
    before = before[item[-1].end():] if item else before  # "đã tuyển dụng 12 công chức, tinh giản |9 người": its own item
    before = compiled("figures", "figure.outside_quota").sub(" ", before)  # "Ngoài số biên chế được giao, … 45 hợp đồng"
    after = doc.text[fig.end:fig.end + 30]
    after = rx(r"[\d;,.()]|(?<!\p{L})so\s+với(?!\p{L})").split(after, maxsplit=1)[0]  # "so với số được giao": the base's
    fig.basis = basis_of(after) or basis_of(before)  # "519 biên chế được giao": the cue on the unit is nearest
    opening = compiled("figures", "figure.assigning_opening").match(doc.text, sentence_start, fig.start)
    if fig.basis is None and opening is not None and ";" not in doc.text[sentence_start:fig.start]:
        fig.basis = "assigned"  # "Điều 1. Giao số lượng người làm việc … cho các đơn vị … là 3.180 người"


def _default_basis(context: DocumentContext, fig: Figure, done: bool) -> Basis | None:
    """The basis of a staff figure with no cue: planned for a change or rate of a plan
    that does not say it is done (``done``: "đã giảm"), else the document's (a decision
    giving quotas: assigned), else assigned for a level or change of a quota (biên chế, người làm việc)."""
    if context.plan and not done and (fig.kind == "rate" or fig.kind == "change" and unit_group(fig.unit) == "staff"):
        return "planned"  # "KẾ HOẠCH tinh giản …: năm 2023 giảm 40 biên chế"
    if unit_group(fig.unit) != "staff" or fig.kind == "rate":
        return None
    if context.basis is not None:
        return context.basis
    quota = canonical_unit(fig.unit) == "biên chế" or canonical_unit(fig.unit) == "người làm việc" and "người làm việc" in fig.text
    return "assigned" if quota and fig.kind in ("level", "change") else None  # "giảm 1.065 người làm việc": the quota


def _until_year(doc: AnnotatedDocument, start: int, end: int) -> bool:
    """Whether the clause before a figure names the year it is reached by ("đến năm 2026 còn")."""
    clause = _clause_before(doc.text, start, end)
    lo = end - len(clause)
    return any(y.role == "until" and lo <= y.start < end for y in doc.years or [])


def _vacancy(doc: AnnotatedDocument, fig: Figure) -> bool:
    """Whether the figure counts posts left unfilled ("còn 23 biên chế chưa sử dụng")."""
    return compiled("figures", "figure.vacancy").match(doc.text, fig.end) is not None


def _difference(text: str, fig: Figure) -> bool:
    """Whether the figure is the gap between two measures ("thiếu 135 người", "vượt 17
    người so với số lượng tối đa", "thấp hơn 91 người"), no level of either."""
    digit = next((i for i, ch in enumerate(fig.text) if ch.isdigit()), 0)
    return compiled("figures", "figure.difference_before").search(text, max(0, fig.start - 30), fig.start + digit) is not None


def _acts_on(text: str, end: int) -> bool:
    """Whether the body named up to ``end`` discusses or decides what follows ("Ủy ban
    Pháp luật thẩm tra …", "Bộ Chính trị ban hành Nghị quyết …")."""
    pos = end + len(text[end:end + 10]) - len(text[end:end + 10].lstrip())
    return any(compiled("figures", name).match(text, pos, pos + 40)
               for name in ("figure.discussant", "figure.decider"))


def _org_ok(org: str, sentence: str) -> bool:
    if len(org.split()) > MAX_ORG_WORDS or compiled("figures", "figure.org_fragment").search(org):
        return False
    at = sentence.find(org)
    discussed = at >= 0 and _acts_on(sentence, at + len(org))
    return not (discussed or compiled("figures", "figure.discussant").search(org))


def _territory(doc: AnnotatedDocument, fig: Figure, sentence_start: int) -> str | None:
    """"cả nước có 34 tỉnh", "Vùng X, gồm 14 tỉnh": the subject of a count of units."""
    before = _clause_before(doc.text, sentence_start, fig.start)
    split = compiled("figures", "figure.split_object").search(before)
    if split is not None:
        return str(split.group("subject"))  # "chia xã Viên An thuộc huyện Năm Căn thành |3 xã"
    before = compiled("figures", "figure.listed_counts").sub("", before)  # "có 1 thành phố, 2 thị xã và |9 huyện"
    m = compiled("figures", "figure.territory_verb").search(before)
    if m is None:
        return None
    subject = rx(r"^\s*(?:[-+•*]|\d+[.)]|[a-zđ]\))?\s*").sub("", m.group("subject"))
    lead = compiled("figures", "figure.subject_prefix").match(subject)  # "Trong khi đó, ở", "sau sắp xếp": no subject
    subject = subject[lead.end():].strip(" ,.-") if lead else subject.strip(" ,.-")
    subject = compiled("figures", "figure.subject_suffix").sub("", subject).strip(" ,.-")  # "Tỉnh Sa Đéc khi đó"
    if compiled("figures", "figure.bare_level").fullmatch(subject):
        return _last_named(doc, subject, fig.start)  # "Sau sắp xếp, huyện còn 10 xã": the huyện named before
    return subject if subject and _org_ok(subject, fig.sentence) and 2 <= len(subject.split()) <= 12 else None


NAMED_REACH = 1500
"""How far back a bare level noun ("huyện còn 10 xã") looks for the unit it stands for."""


def _last_named(doc: AnnotatedDocument, level: str, pos: int) -> str | None:
    """The last place mention before ``pos`` (within NAMED_REACH) that is a unit of ``level``."""
    noun = str(rx(r"\s+").sub(" ", level)).lower()
    named = [o for o in doc.orgs or [] if pos - NAMED_REACH <= o.start and o.end <= pos
             and str(rx(r"\s+").sub(" ", o.text)).lower().startswith(noun + " ")]
    return str(rx(r"\s+").sub(" ", named[-1].text)).strip() if named else None


def _owner_after(doc: AnnotatedDocument, fig: Figure) -> str | None:
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


def _row_org(doc: AnnotatedDocument, fig: Figure) -> str | None:
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


def _recipient(doc: AnnotatedDocument, fig: Figure) -> str | None:
    """"giao 2.100 biên chế công chức cho các cơ quan của tỉnh trong năm 2026": the body a
    quota is given to, right after the figure, is whose it is (not the giver before it)."""
    m = compiled("figures", "figure.recipient").match(doc.text, fig.end, min(len(doc.text), fig.end + 140))
    if m is None:
        return None
    org = str(rx(r"\s+").sub(" ", m.group("org"))).strip()
    return org if _org_ok(org, fig.sentence) else None


def _body_right_after(doc: AnnotatedDocument, fig: Figure) -> str | None:
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


def _place_before(doc: AnnotatedDocument, fig: Figure, sentence_start: int) -> str | None:
    """"- Tỉnh Quảng Ninh: sắp xếp 41 đơn vị hành chính cấp xã …": the last place or
    body named in the sentence (or list item) before a count of administrative units."""
    found = None
    for org in doc.orgs or []:
        if org.start >= fig.start:
            break
        if org.start >= sentence_start and org.label in ("LOC", "ORG") and not _acts_on(doc.text, org.end) \
                and doc.text.count("(", org.end, fig.start) <= doc.text.count(")", org.end, fig.start):
            found = org
    return str(rx(r"\s+").sub(" ", found.text)).strip() if found is not None else None


def _carried_basis(doc: AnnotatedDocument, fig: Figure, previous: Figure | None, headings: list[int]) -> Basis | None:
    """A count with no cue of its own continues the passage's last figure of the same
    kind of thing ("… sẽ được sáp nhập thành 23 tỉnh. Cùng với 11 tỉnh giữ nguyên"):
    within ``CARRY_CHARS`` and no heading between."""
    if previous is None or previous.basis is None or fig.kind != "count" or previous.kind not in ("count", "change"):
        return None
    if unit_group(previous.unit) != unit_group(fig.unit) or fig.start - previous.end > CARRY_CHARS:
        return None
    if any(previous.end <= h < fig.start for h in headings):
        return None
    lines = doc.text[previous.end:fig.start].split("\n")[1:-1]  # the whole lines between the two
    if any(compiled("figures", "figure.heading_line").fullmatch(line) for line in lines):
        return None
    return previous.basis


def _year(fig: Figure, sections: list[Section], context: DocumentContext, cited: int | None = None) -> int | None:
    """The innermost section's year, the title's report year, then (levels and counts
    only) the year of the header's date under a printed issuer's header, or on a page
    without a printed header, for a figure stated as the present state ("hiện có",
    "sau sáp nhập"), the year of the date at its head, else of its latest full date, else
    ``cited``: the latest year in the symbols of the acts it cites (an undated page)."""
    for section in reversed(sections):
        if section.year is not None:
            return section.year
    if context.report_year is not None:
        return context.report_year
    if context.as_of_year is not None and fig.kind in ("level", "count"):
        return context.as_of_year  # "số có mặt đến ngày 31/12/2024": when the data hold
    if context.date is not None and context.issuer and fig.kind in ("level", "count"):
        return context.date.year
    if not context.issuer and fig.kind in ("level", "count") \
            and compiled("figures", "figure.present_state").search(fig.sentence):
        return context.date.year if context.date is not None else context.latest_year or cited  # a dated page: its date
    return None


def cited_year(citations: list[Citation]) -> int | None:
    """The latest year an act's symbol or date carries ("226/2025/NĐ-CP"), None for none."""
    years = [int(m.group(1)) for c in citations for m in [rx(r"/((?:19|20)\d{2})/").search(c.id or "")] if m]
    years += [int(c.date[:4]) for c in citations if c.date and c.date[:4].isdigit()]
    return max(years, default=None)


def _org(sections: list[Section], context: DocumentContext) -> str | None:
    """The innermost section whose heading names a unit, else the document's own unit."""
    for section in reversed(sections):
        if compiled("figures", "figure.org_heading").match(section.title):
            return str(rx(r"\s+").sub(" ", section.title)).strip(" :.*#")
    return context.org or context.subject


def _section_category(sections: list[Section]) -> str | None:
    """The one category the innermost heading naming any names ("1. Biên chế công chức");
    None where it names two ("I. Biên chế công chức, viên chức") or none does."""
    for section in reversed(sections):
        named = categories_in(section.title)
        if named:
            return next(iter(named)) if len(named) == 1 else None
    return None


def _measure_subject(fig: Figure, subject: str) -> None:
    """"Tổng số cán bộ, công chức cấp xã … là 3.586 người": a subject that names a
    measure is no org; it gives the category, and a total of staff is a level."""
    whose = compiled("figures", "figure.measure_owner").search(subject)  # "… viên chức trong cả nước"
    owner = compiled("figures", "figure.basis_tail").sub("", whose.group("org")).strip(" ,.") if whose else ""
    fig.org = owner if 2 <= len(owner.split()) <= 12 and category_of(owner, total_words=False) is None else None
    named = category_of(subject, total_words=False)
    fig.category = fig.category or named
    if named and fig.kind == "count" and unit_group(fig.unit) == "staff" and rx(r"^\s*tổng\s+số", regex.IGNORECASE).match(subject):
        fig.kind = "level"


def _base_before(doc: AnnotatedDocument, bases: list[tuple[int, int]], fig: Figure) -> int | None:
    """The base year whose mention ("so với năm 2022", patterns/dates.yaml year.base) ends
    right before the bracket the figure opens: "… so với năm 2022 (|791 biên chế)"."""
    i = bisect_right(bases, (fig.start, 10**4)) - 1
    if i < 0 or not rx(r"\s*\(\s*").fullmatch(doc.text, bases[i][0], fig.start):
        return None
    return bases[i][1]


def _same_staff(fig: Figure, previous: Figure | None, sentence_start: int) -> None:
    """"Cán bộ, công chức cấp xã là 3.586 người; … đã bố trí 3.190 người, số dôi dư là 396
    người": people counted after a level of people in the same sentence, naming no staff
    of their own, are of that level's staff (and its org, where they name none)."""
    if previous is None or previous.start < sentence_start or fig.category not in (None, "total", previous.category):
        return
    people_of_quota = fig.unit == "người" and unit_group(previous.unit) == "staff"  # "620 biên chế, có mặt 598 người"
    if previous.kind not in ("level", "count") or (previous.unit != fig.unit and not people_of_quota) \
            or unit_group(fig.unit) != "staff" or fig.kind not in ("level", "count") \
            or previous.parent is not None and not previous.partial:
        return  # a change is of its whole; a listed part's staff is its own (a share's is the clause's)
    fig.category = previous.category
    fig.org = fig.org or previous.org


def _change_staff(fig: Figure, whole: Figure | None, sentence_start: int) -> None:
    """"Giao 1.379 biên chế công chức …, giảm 23 biên chế so với năm 2025": a change naming no
    staff, right after a level of its unit in the same sentence, is of that level's staff
    (the whole's, when the figure before is one of its parts); so is a rate after a level."""
    if fig.kind not in ("change", "rate") or fig.category not in (None, "total") or whole is None or whole.start < sentence_start:
        return
    if whole.kind == "level" and (whole.unit == fig.unit or fig.kind == "rate") and whole.category not in (None, "total"):
        fig.category = whole.category  # "… là 253.046 biên chế, giảm 10,01% so với năm 2015": the rate of that staff


def _fronted_change(doc: AnnotatedDocument, fig: Figure, previous: Figure | None, sentence_start: int) -> None:
    """"Năm 2025, Sở Y tế được giao 3.120 người làm việc. So với năm 2024, giảm 62 người.": a
    change whose sentence opens with its base year and names nothing else is of the level the
    sentence before ended with (its staff, org and quota noun)."""
    if fig.kind != "change" or previous is None or previous.kind != "level" or previous.end > sentence_start \
            or doc.text[previous.end:sentence_start].strip(" .\n") or fig.org is not None:
        return
    if not compiled("figures", "figure.fronted_change").fullmatch(doc.text, sentence_start, fig.start):
        return
    fig.category = fig.category if fig.category not in (None, "total") else previous.category
    fig.org, fig.basis = previous.org, fig.basis or previous.basis
    if canonical_unit(fig.unit) == "người" and unit_group(previous.unit) == "staff":
        fig.unit = previous.unit  # "… 3.120 người làm việc. … giảm 62 người": the quota's people


def _base_like_change(fig: Figure, change: Figure | None, before: list[Figure]) -> None:
    """"18.420 người, giảm 210 người so với năm 2024 (18.630 người)": the base year's
    level in brackets measures what the change measures (its unit, category, org)."""
    if change is None or change.base_year != fig.year or unit_group(change.unit) != unit_group(fig.unit) \
            or fig.start - change.end > BASE_REACH:
        return
    if unit_group(change.unit) == "staff":
        fig.kind = "level"  # a staff count of the base year is that year's staffing level
    fig.unit = change.unit
    fig.category, fig.org = fig.category or change.category, fig.org or change.org
    fig.basis = fig.basis or change.basis
    level = next((f for f in reversed(before) if f.kind == fig.kind and f.unit == fig.unit and f.year == change.year
                  and f.end <= change.start and change.start - f.end <= BASE_REACH * 2), None)
    if level is not None and change.before_after is None and change.parent is None:
        change.before_after = (fig.id, level.id)  # "X năm 2025, giảm N so với năm 2024 (Y)": N = X − Y


def _from_whole(doc: AnnotatedDocument, fig: Figure, parent: Figure, sentence_start: int) -> None:
    """What a listed part takes from its whole: basis, org unless it names its own, and
    the whole's staff (a level of staff for a count of staff)."""
    fig.basis = fig.basis or parent.basis
    own = _territory(doc, fig, sentence_start) if unit_group(fig.unit) == "area" and fig.org is None else None
    fig.org = fig.org or own or parent.org  # "(trong đó tỉnh X có 216 xã)" names its own
    if fig.kind == "count" and parent.kind == "level" and unit_group(fig.unit) == unit_group(parent.unit) == "staff":
        fig.kind = "level"  # "… là 2.023.123 người, trong đó cán bộ, công chức là 258.000 người"
    if fig.category == "officials" and parent.category == "commune_officials":
        fig.category = parent.category  # "cán bộ, công chức cấp xã là 3.450 người. Trong đó: … công chức 1.830 người"
    if fig.category in (None, "total") and fig.unit in ("người", parent.unit) and unit_group(parent.unit) == "staff":
        fig.category = parent.category  # "16.044 người làm việc (gồm 64 người của …)": the whole's kind of staff


def _complete_org(doc: AnnotatedDocument, fig: Figure, parent: Figure | None, sentence_start: int, in_table: bool,
                  by_id: dict[str, Figure]) -> None:
    """The org from the words around the figure, in order: the recipient of a quota, the
    body after a count of units or after the staff noun, the territory that has the units,
    the country for provinces, a change's after-count's, a note cell's row."""
    if unit_group(fig.unit) == "staff" and fig.kind in ("level", "change"):
        fig.org = _recipient(doc, fig) or fig.org  # "UBND tỉnh giao 45 biên chế cho Sở Y tế": whose staff they are
    if fig.org is None and fig.kind in ("count", "change") and unit_group(fig.unit) != "staff":
        fig.org = _owner_after(doc, fig)
    if fig.org is None and unit_group(fig.unit) != "area":
        fig.org = _body_right_after(doc, fig)
    if fig.org is None and fig.kind in ("count", "level") and parent is None:
        fig.org = _territory(doc, fig, sentence_start)
    if fig.org is None and parent is None and unit_group(fig.unit) == "area":
        fig.org = _place_before(doc, fig, sentence_start)
    if fig.org is None and fig.kind == "count" and unit_group(fig.unit) == "area" and parent is None \
            and compiled("figures", "figure.province_count").match(fig.text) \
            and not compiled("figures", "figure.split_into").search(_clause_before(doc.text, sentence_start, fig.start)) \
            and not doc.text[max(0, fig.start - 3):fig.start].rstrip().endswith("("):
        fig.org = NATION  # provinces are counted within the country
    if fig.org is None and fig.before_after and fig.before_after[1] in by_id:
        fig.org = by_id[fig.before_after[1]].org  # "… còn 45 xã (giảm 75 đơn vị)": the change is of the after's unit
    if fig.org is None and in_table:
        fig.org = _row_org(doc, fig)  # "| Trường THPT B | 72 | Giảm 3 người so với năm 2024 |": the row's unit


def assemble_records(doc: AnnotatedDocument) -> list[Figure]:
    """Every figure of ``doc`` completed from its context (see the module docstring)."""
    figures = doc.figures or []
    by_id = {f.id: f for f in figures}
    openings = narrative_openings(doc)
    headings = sorted(s.start for s in doc.sections or [])
    starts = [(s.start, s.end) for s in doc.sentences or []]
    j = 0
    previous: Figure | None = None
    previous_change: Figure | None = None
    table_spans = [(t.start, t.end) for t in doc.tables or []]
    bases = sorted((y.end, y.year) for y in doc.years or [] if y.role == "base")
    cited = cited_year(doc.citations or [])
    for fig in figures:
        while j < len(starts) and starts[j][1] <= fig.start:
            j += 1
        sentence_start = starts[j][0] if j < len(starts) and starts[j][0] <= fig.start else fig.start
        parent = by_id.get(fig.parent) if fig.parent else None
        if fig.org and compiled("tables", "table.measure_label").match(fig.org):
            _measure_subject(fig, fig.org)
        if fig.org and not _org_ok(fig.org, fig.sentence):
            fig.org = parent.org if parent is not None else None
        if parent is not None:
            _from_whole(doc, fig, parent, sentence_start)
        in_table = any(s <= fig.start < e for s, e in table_spans)
        if parent is None and not in_table:
            _same_staff(fig, previous, sentence_start)
            _change_staff(fig, by_id.get(previous.parent or "", previous) if previous else None, sentence_start)
            _fronted_change(doc, fig, previous, sentence_start)
        _basis(doc, fig, sentence_start)
        if fig.basis is None and fig.kind == "change" and previous is not None and previous.kind == "level" \
                and previous.start >= sentence_start and rx(r"[^\d,;()]{0,30},[^\d,;()]{0,30}").fullmatch(doc.text, previous.end, fig.start):
            fig.basis = previous.basis  # "… hiện có là 1.347 người, giảm 64 người": the change of that measure
        if fig.basis is None and parent is None and not in_table and not _vacancy(doc, fig):
            fig.basis = _carried_basis(doc, fig, previous, headings)
        done = compiled("figures", "figure.achieved").search(_clause_before(doc.text, sentence_start, fig.start)) is not None
        if doc.context.plan and not done and fig.kind == "level" and fig.basis in (None, "assigned") \
                and _until_year(doc, sentence_start, fig.start):
            fig.basis = "planned"  # a plan's "đến năm 2026 còn 2.280 biên chế": the level it aims at
        if fig.basis is None:
            fig.basis = _default_basis(doc.context, fig, done)
        if not in_table:
            previous = fig  # table cells carry their own header cues
            previous_change = fig if fig.kind == "change" else previous_change
        if fig.kind == "rate" and fig.approx == "at_least" and fig.value < 0 and fig.basis != "planned" and not done:
            fig.basis = "planned"  # "giảm tối thiểu 20%": a minimum reduction is a target, unless done ("đã giảm")
        structure = doc.context.structure_year
        if structure is not None and fig.kind == "count" and not in_table \
                and (unit_group(fig.unit) not in ("staff", "area") or fig.unit == "đơn vị"):
            fig.basis, fig.year = fig.basis or "assigned", fig.year or structure  # "Nghị định … cơ cấu tổ chức": "Vụ X có 6 phòng"
        if fig.kind == "count" and fig.basis in ("actual", "assigned") and unit_group(fig.unit) == "staff":
            fig.kind = "level"  # "hiện có 125 công chức": a headcount is a staffing level
        if fig.kind in ("level", "count") and _difference(doc.text, fig):
            fig.kind, fig.basis = "count", None  # "thiếu 135 người so với số được giao": a gap between two measures
        base = _base_before(doc, bases, fig)
        if base is not None and fig.kind in ("level", "count"):
            fig.year = base  # "giảm 62 biên chế so với năm 2022 (791 biên chế)": 791 is 2022's
            _base_like_change(fig, previous_change, figures[:figures.index(fig)])
        around = sections_at(doc.sections or [], fig.start)
        if fig.year is None and (fig.kind != "rate" or fig.base_year is not None):  # a rate "so với năm 2021" is the report's
            fig.year = (parent.year if parent is not None and parent.year
                        else narrative_year(openings, headings, sentence_start) or _year(fig, around, doc.context, cited))
        _complete_org(doc, fig, parent, sentence_start, in_table, by_id)
        if fig.org is None or compiled("figures", "figure.self_reference").fullmatch(fig.org):
            fig.org = _org(around, doc.context) or fig.org  # "toàn tỉnh đã tinh giản 354 người": the document's own
        if fig.category in (None, "total") and not in_table and unit_group(fig.unit) == "staff":
            fig.category = _section_category(around) or fig.category  # under "1. Biên chế công chức"
        if fig.kind == "rate":
            fig.unit = "%"  # "giảm tối thiểu 20% công chức": a rate's unit is the percent; its category names the staff
    link_prose_over_tables(doc, figures)
    return figures
