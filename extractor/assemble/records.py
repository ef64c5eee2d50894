"""Prose and table figures to records: basis (extractor/assemble/bases.py), year from
the section heading, then the document's report year; org from the words around
(extractor/assemble/owners.py), never a count phrase, a clause fragment or a body
that only discussed the figure; parts take what their whole determines."""

from __future__ import annotations

from bisect import bisect_right

import regex

from extractor.annotated import AnnotatedDocument, DocumentContext, Section
from extractor.assemble.bases import carried_basis, cue_basis, default_basis, is_difference, is_vacancy, until_year
from extractor.assemble.cues import categories_in, category_of
from extractor.assemble.owners import (
    body_right_after, clause_before, org_ok, owner_after, place_before, recipient, row_org, territory,
)
from extractor.assemble.over_tables import link_prose_over_tables
from extractor.assemble.mergers import link_mergers
from extractor.assemble.gaps import link_gaps
from extractor.assemble.narrative import narrative_openings, narrative_year
from extractor.check.sums import unit_group
from extractor.models import Citation, Figure, Period
from extractor.patterns import compiled, rx
from extractor.rules.units import canonical_unit
from extractor.structure.sections import sections_at

BASE_REACH = 40
"""How far after a change its base year's level in brackets may stand."""
NATION = "cả nước"


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
    if context.as_of_year is not None and (fig.kind in ("level", "count") or fig.base_year is not None):
        return context.as_of_year  # "số có mặt đến ngày 31/12/2024": when the data hold; "giảm … so với năm 2015": to then
    if context.date is not None and context.issuer and fig.kind in ("level", "count"):
        return context.date.year
    if not context.issuer and fig.kind in ("level", "count") \
            and compiled("figures", "figure.present_state").search(fig.sentence) \
            and not compiled("figures", "figure.other_time_opening").match(fig.sentence):  # "Thời kỳ Hồng Bàng, …"
        return context.date.year if context.date is not None else context.latest_year or cited  # a dated page: its date
    return None


def _staff_of_parts(figures: list[Figure]) -> None:
    """A whole of staff naming no category whose listed parts name two or more counts all
    staff ("tinh giản 128 người, gồm 41 công chức và 87 viên chức": total); a part of
    officials whose own org is the commune level is commune officials ("cấp xã 981 biên chế")."""
    named: dict[str, set[str]] = {}
    for fig in figures:
        if fig.parent and fig.category and not fig.partial:
            named.setdefault(fig.parent, set()).add(fig.category)
        if fig.parent and fig.category == "officials" and fig.org and rx(r"(?<!\p{L})cấp\s+xã$").search(fig.org):
            fig.category = "commune_officials"
    for fig in figures:
        kinds = named.get(fig.id, set()) - {"leaders"}
        if fig.category is None and unit_group(fig.unit) == "staff" and len(kinds) >= 2:
            fig.category = "total"


def cited_year(citations: list[Citation]) -> int | None:
    """The latest year an act's symbol or date carries ("226/2025/NĐ-CP"), None for none."""
    years = [int(m.group(1)) for c in citations for m in [rx(r"/((?:19|20)\d{2})/").search(c.id or "")] if m]
    years += [int(c.date[:4]) for c in citations if c.date and c.date[:4].isdigit()]
    return max(years, default=None)


def _org(sections: list[Section], context: DocumentContext) -> str | None:
    """The innermost section whose heading names a unit, else the document's own unit."""
    for section in reversed(sections):
        if rx(r"\d").search(str(rx(r"(?<!\p{L})năm\s+(?:19|20)\d{2}").sub(" ", section.title))):
            continue  # "2. Sở Tư pháp: 40 biên chế.": a list item with its figure, no heading of what follows
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
    timed = rx(r"^(?:giai\s+đoạn|năm|thời\s+kỳ|kỳ|nhiệm\s+kỳ)(?!\p{L})", regex.IGNORECASE).match(owner)  # "… trong giai đoạn"
    fig.org = owner if 2 <= len(owner.split()) <= 12 and category_of(owner, total_words=False) is None and not timed else None
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
    people_of_quota = unit_group(fig.unit) == unit_group(previous.unit) == "staff"  # "620 biên chế, có mặt 598 người"
    if previous.kind not in ("level", "count") or (previous.unit != fig.unit and not people_of_quota) \
            or unit_group(fig.unit) != "staff" or fig.kind not in ("level", "count") \
            or previous.parent is not None and not previous.partial and previous.parent != fig.parent:
        return  # a change is of its whole; a listed part's staff is its own (a share's is the clause's; items of one total, siblings)
    fig.category = previous.category
    fig.org = fig.org or (previous.org if previous.parent is None else None)  # a share's org ("trong đó cấp tỉnh …") is its own

    fig.year = fig.year or previous.year  # "… phân bổ năm 2025 là 1.420 biên chế; số công chức hiện có 1.398 người"


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
    fig.category = change.category if fig.category in (None, "total") else fig.category  # "(380 biên chế)": no staff of its own
    fig.org = fig.org or change.org
    fig.basis = fig.basis or change.basis
    level = next((f for f in reversed(before) if f.kind == fig.kind and f.unit == fig.unit and f.year == change.year
                  and f.parent is None and f.end <= change.start and change.start - f.end <= BASE_REACH * 2), None)
    # "4.250 người (cán bộ 2.050 người, công chức 2.200 người), giảm 380 người …": the whole, never a part of it
    if level is not None and change.before_after is None and change.parent is None:
        change.before_after = (fig.id, level.id)  # "X năm 2025, giảm N so với năm 2024 (Y)": N = X − Y


def _from_whole(doc: AnnotatedDocument, fig: Figure, parent: Figure, sentence_start: int) -> None:
    """What a listed part takes from its whole: basis, org unless it names its own, and
    the whole's staff (a level of staff for a count of staff)."""
    fig.basis = fig.basis or parent.basis
    own = territory(doc, fig, sentence_start) if unit_group(fig.unit) == "area" and fig.org is None else None
    fig.org = fig.org or own or parent.org  # "(trong đó tỉnh X có 216 xã)" names its own
    if parent.kind == "count" and fig.category not in (None, "leaders") and unit_group(fig.unit) == unit_group(parent.unit) == "staff" \
            and rx(r"(?<!\p{L})tổng\s+số\s*$", regex.IGNORECASE).search(doc.text, max(0, parent.start - 12), parent.start):
        parent.kind = "level"  # "tổng số 2.143.560 người nêu trên gồm 241.320 cán bộ, công chức, …": all the staff
    if fig.kind == "count" and parent.kind == "level" and unit_group(fig.unit) == unit_group(parent.unit) == "staff":
        fig.kind = "level"  # "… là 2.023.123 người, trong đó cán bộ, công chức là 258.000 người"
    elif fig.kind == "level" and parent.kind == "count" and fig.basis is None and fig.unit == parent.unit == "người":
        fig.kind = "count"  # "Số cán bộ, công chức … là 1.065 người, trong đó cán bộ 502 người, công chức 563 người"
    if fig.category is None and parent.category not in (None, "total") and unit_group(fig.unit) == unit_group(parent.unit) == "staff":
        fig.category = parent.category  # "70 chỉ tiêu công chức, gồm 60 chỉ tiêu … thi tuyển và 10 …": parts of officials
    if fig.category == "officials" and parent.category == "commune_officials":
        fig.category = parent.category  # "cán bộ, công chức cấp xã là 3.450 người. Trong đó: … công chức 1.830 người"
    if fig.category in (None, "total") and fig.unit in ("người", parent.unit) and unit_group(parent.unit) == "staff":
        fig.category = parent.category  # "16.044 người làm việc (gồm 64 người của …)": the whole's kind of staff


def _complete_org(doc: AnnotatedDocument, fig: Figure, parent: Figure | None, sentence_start: int, in_table: bool,
                  by_id: dict[str, Figure], previous: Figure | None = None) -> None:
    """The org from the words around the figure, in order: the recipient of a quota, the
    body after a count of units or after the staff noun, the territory that has the units,
    the country for provinces, a change's after-count's, a note cell's row."""
    if unit_group(fig.unit) == "staff" and fig.kind in ("level", "change"):
        fig.org = recipient(doc, fig) or fig.org  # "UBND tỉnh giao 45 biên chế cho Sở Y tế": whose staff they are
    if fig.kind in ("count", "change") and unit_group(fig.unit) != "staff" and (fig.org is None or unit_group(fig.unit) == "area"):
        fig.org = owner_after(doc, fig) or fig.org  # "3 phường A, B, C cùng xã D từng thuộc thị xã X": the place they belong to
    if fig.org is None and unit_group(fig.unit) != "area":
        fig.org = body_right_after(doc, fig)
    if fig.org is None and fig.kind == "count" and previous is not None and previous.kind == "change" and previous.org \
            and previous.start >= sentence_start and compiled("figures", "figure.reached_after_change").fullmatch(doc.text, previous.end, fig.start):
        fig.org = previous.org  # "tỉnh đã giảm 12 sở, ban, ngành xuống còn 14 cơ quan": the level the change's subject reached
    if fig.org is None and fig.kind in ("count", "level") and parent is None:
        fig.org = territory(doc, fig, sentence_start)
    if fig.org is None and parent is None and unit_group(fig.unit) == "area":
        fig.org = place_before(doc, fig, sentence_start)
    if fig.org is None and fig.kind == "count" and unit_group(fig.unit) == "area" and parent is None \
            and compiled("figures", "figure.province_count").match(fig.text) \
            and not compiled("figures", "figure.split_into").search(clause_before(doc.text, sentence_start, fig.start)) \
            and not doc.text[max(0, fig.start - 3):fig.start].rstrip().endswith("("):
        fig.org = NATION  # provinces are counted within the country
    if fig.org is None and fig.before_after and fig.before_after[1] in by_id:
        fig.org = by_id[fig.before_after[1]].org  # "… còn 45 xã (giảm 75 đơn vị)": the change is of the after's unit
    if fig.org is None and in_table:
        fig.org = row_org(doc, fig)  # "| Trường THPT B | 72 | Giảm 3 người so với năm 2024 |": the row's unit
    if fig.org is None and not in_table and parent is None and previous is not None and previous.org \
            and previous.start >= sentence_start and previous.parent is None \
            and {unit_group(previous.unit), unit_group(fig.unit)} != {"area", "staff"} \
            and not (previous.unit != fig.unit and compiled("figures", "figure.measure_clause").search(doc.text, previous.end, fig.start)):
        fig.org = previous.org  # "tỉnh X đã tinh giản 412 người; … công chức hiện có là 2.876 người": the sentence's subject
        # but not into a clause counting its own measure ("…; số đơn vị sự nghiệp giảm 28 đơn vị")


def _continues(text: str, prior: Figure, fig: Figure) -> bool:
    """Whether a rate or change states the change of the figure right before it: a level
    followed by ", giảm 2%", or a rate followed by its count in brackets "(giảm 24 …)"."""
    if prior.kind == "level" and prior.parent is None:
        return compiled("figures", "figure.rate_after_level").fullmatch(text, prior.end, fig.start) is not None
    return prior.kind == "rate" and fig.kind == "change" and rx(
        r"(?:[^\d;()]|(?<!\d)(?:19|20)\d\d(?!\d)){0,40}\(\s*(?:tương\s+ứng\s+|tức\s+là\s+)?(?:giảm|tăng)\s+").fullmatch(
        text, prior.end, fig.start) is not None


PLAN_TITLE_CHARS = 600
"""How far into a plan its title's period ("KẾ HOẠCH Tinh giản biên chế giai đoạn 2022-2026") may stand."""


def _plan_period(doc: AnnotatedDocument) -> Period | None:
    """The period a plan's title names, the span its targets are set for; None for other documents."""
    if not doc.context.plan:
        return None
    return next((p for p in doc.periods or [] if p.start < PLAN_TITLE_CHARS and p.start_year and p.end_year), None)


def _target_year(fig: Figure, plan_period: Period | None) -> None:
    """A rate or change of no year against a base year is a target for the end of its
    period ("giai đoạn 2022-2026 … giảm 5% so với năm 2021": 2026), its own or its plan's."""
    if fig.year is not None or fig.kind not in ("rate", "change") or fig.base_year is None:
        return
    end = rx(r"((?:19|20)\d{2})$").search(fig.period or "")
    year = int(end.group(1)) if end else (plan_period.end_year if plan_period is not None else None)
    if year is not None and year > fig.base_year:
        fig.year = year
        fig.period = fig.period or (plan_period.label if plan_period is not None else None)


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
        parent, prior = (by_id.get(fig.parent) if fig.parent else None), previous
        if parent is not None and parent.start > fig.start:
            parent = None  # "…, Sở Tài chính 60 biên chế; tổng cộng 105": an item before its total reads as a sibling
        if fig.org and compiled("tables", "table.measure_label").match(fig.org):
            _measure_subject(fig, fig.org)
        if fig.org and not org_ok(fig.org, fig.sentence):
            fig.org = parent.org if parent is not None else None
        if parent is not None:
            _from_whole(doc, fig, parent, sentence_start)
        in_table = any(s <= fig.start < e for s, e in table_spans)
        if parent is None and not in_table:
            shared = by_id.get(previous.parent) if previous is not None and previous.partial and previous.parent \
                and ";" in doc.text[previous.end:fig.start] else None  # "…, trong đó lãnh đạo 85 người; hiện có 504 người"
            _same_staff(fig, shared or previous, sentence_start)  # past the share's clause, the whole's staff
            if fig.kind == "count" and previous is not None and previous.kind == "level" and previous.unit == fig.unit \
                    and previous.parent is None and previous.start >= sentence_start and fig.category == previous.category \
                    and not is_vacancy(doc, fig) and not is_difference(doc.text, fig):
                fig.kind = "level"  # "năm 2025 được giao 26.500 người; đến năm 2030 còn 23.850 người": one measure
            _change_staff(fig, by_id.get(previous.parent or "", previous) if previous else None, sentence_start)
            _fronted_change(doc, fig, previous, sentence_start)
        cue_basis(doc, fig, sentence_start)
        if fig.basis is None and fig.kind in ("change", "rate") and previous is not None and previous.kind == "level" \
                and previous.start >= sentence_start and (rx(r"[^\d,;()]{0,30},[^\d,;()]{0,30}").fullmatch(doc.text, previous.end, fig.start)
                                                          or _continues(doc.text, previous, fig)):
            fig.basis = previous.basis  # "… hiện có là 1.347 người, giảm 64 người": the change of that measure
        if fig.kind == "change" and previous is not None and previous.kind == "rate" and previous.basis is not None \
                and fig.basis in (None, "assigned") and _continues(doc.text, previous, fig):
            fig.basis = previous.basis  # "…, giảm 2% so với năm 2025 (giảm 24 biên chế)": the rate's count, one measure
        if fig.basis is None and (fig.kind == "level" or fig.kind == "count" and not is_vacancy(doc, fig)) \
                and parent is None and previous is not None \
                and previous.kind == "level" and previous.parent is None and previous.start >= sentence_start \
                and (previous.unit == fig.unit or unit_group(previous.unit) == unit_group(fig.unit) == "staff") \
                and rx(r"[^\d,;()]{0,30}(?:,|\s+và\s)[^\d,;()]{0,30}").fullmatch(doc.text, previous.end, fig.start):
            fig.basis = previous.basis  # "công chức hiện có là 2.876 người, viên chức là 21.340 người": one measure listed
            # "hiện có 1.845 công chức và 21.336 viên chức": the one verb's
        if fig.basis is None and parent is None and not in_table and not is_vacancy(doc, fig):
            fig.basis = carried_basis(doc, fig, previous, headings)
        done = compiled("figures", "figure.achieved").search(clause_before(doc.text, sentence_start, fig.start)) is not None
        if doc.context.plan and not done and fig.kind == "level" and fig.basis in (None, "assigned") \
                and until_year(doc, sentence_start, fig.start):
            fig.basis = "planned"  # a plan's "đến năm 2026 còn 2.280 biên chế": the level it aims at
        if fig.basis is None and parent is None:  # a part has its whole's ("đã tinh giản 245 người, trong đó: …")
            fig.basis = default_basis(doc.context, fig, done, in_table)
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
        if fig.kind in ("level", "count") and is_difference(doc.text, fig):
            fig.kind, fig.basis = "count", None  # "thiếu 135 người so với số được giao": a gap between two measures
        base = _base_before(doc, bases, fig)
        if base is not None and fig.kind in ("level", "count"):
            fig.year = base  # "giảm 62 biên chế so với năm 2022 (791 biên chế)": 791 is 2022's
            _base_like_change(fig, previous_change, figures[:figures.index(fig)])
        around = sections_at(doc.sections or [], fig.start)
        if fig.year is None and (fig.kind != "rate" or fig.base_year is not None):  # a rate "so với năm 2021" is the report's
            fig.year = (parent.year if parent is not None and parent.year
                        else narrative_year(openings, headings, sentence_start) or _year(fig, around, doc.context, cited))
        elif fig.year is None:  # "Vào ngày 14/2/2025, … dự kiến giảm 50% đơn vị hành chính cấp tỉnh": the narrative's
            fig.year = narrative_year(openings, headings, sentence_start)
        if fig.year is None and fig.kind == "change" and prior is not None and prior.kind in ("level", "count") \
                and prior.unit == fig.unit and rx(r"\s*\(\s*(?:giảm|tăng)\s+").fullmatch(doc.text, prior.end, fig.start):
            fig.year = prior.year  # "còn 11 chi cục (giảm 7 chi cục)": the change ends where that count stands
        _complete_org(doc, fig, parent, sentence_start, in_table, by_id, prior)
        if fig.kind in ("rate", "change") and prior is not None and prior.org and prior.start >= sentence_start \
                and _continues(doc.text, prior, fig):
            fig.org = prior.org  # "giao 1.180 biên chế … cho X, giảm 2% … (giảm 24 biên chế)": X's, not the proposer's
        if fig.org is None or compiled("figures", "figure.self_reference").fullmatch(fig.org):
            fig.org = _org(around, doc.context) or fig.org  # "toàn tỉnh đã tinh giản 354 người": the document's own
        if fig.category in (None, "total") and not in_table and unit_group(fig.unit) == "staff":
            fig.category = _section_category(around) or fig.category  # under "1. Biên chế công chức"
        if fig.kind == "rate":
            fig.unit = "%"  # "giảm tối thiểu 20% công chức": a rate's unit is the percent; its category names the staff
    plan_period = _plan_period(doc)
    for fig in figures:
        after = by_id.get(fig.before_after[1]) if fig.kind == "change" and fig.year is None and fig.before_after else None
        if after is not None:
            fig.year = after.year  # "Trước sắp xếp | Sau sắp xếp | Giảm": the change ends in the after's year
        _target_year(fig, plan_period)
    _staff_of_parts(figures)
    link_prose_over_tables(doc, figures)
    link_mergers(doc.text, figures)
    link_gaps(doc, figures)
    return figures
