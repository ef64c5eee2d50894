"""Quota figures: levels, signed changes, rates and counts, with unit, category,
org, year, base year, the rate that goes with a change, and the part-of
hierarchy ("Trong đó:", "bao gồm", "(1.137 cán bộ, công chức, 126 viên chức)")."""

from __future__ import annotations

import regex

from extractor.models import DateMention, Figure, FigureKind, NumberMention, Period, Sentence, YearMention
from extractor.patterns import compiled, rx
from extractor.rules.norms import FACILITY, is_figure, states_norm
from extractor.rules.numbers import as_count
from extractor.rules.spans import ByStart, Clauses, Overlaps, bounded_match
from extractor.rules.units import UnitAt, canonical_unit, quota_units, unit_at, unit_categories, unit_group
from extractor.rules.subjects import REACH
from extractor.rules.categories import category_at, category_before
from extractor.rules.figure_links import (
    before_after, before_after_across, before_in_brackets, dated_pair, labelled_sides, link_rate, pair_after_change, share_base,
)
from extractor.rules.figure_attach import attach, list_parent
from extractor.rules.list_totals import (
    bracket_totals, list_totals, merger_items, sentence_totals, whole_periods, yearly_change_breakdowns, yearly_change_totals,
)
from extractor.rules.unit_sources import unit_before, unit_of_list_item, unit_of_range, unit_of_share, unit_of_sibling
from extractor.rules.parts import item_owner, listed_part_of, may_contain, share_of, share_owner
from extractor.rules.figure_context import (
    LineContext, MentionIndex, SentenceState, depth_of, ended_with, line_basis, line_category, line_quota, line_year, start_line, whole_before,
)

LIST_REACH = 1000
"""Characters between a head figure and a number for the number to be one of its listed parts."""

_NEGATIVE_VERBS = ("giảm", "tinh giản", "cắt giảm", "thu gọn")
HEAD_GLUE = 20
"""Characters between a count and a change of no unit for the change to count what it counts ("64 (giảm 88)")."""
_HEADING = regex.compile(r"\s*(?:[IVX]{1,4}\.|\d{1,2}(?:\.\d{1,2})*\.)\s+\S")
"""A numbered heading line ("2. Số lượng người làm việc", "II. Biên chế")."""
_NUMBERED_ITEM = regex.compile(r"[ \t]*\d{1,2}[.)][ \t]+\S[^\n]*?\d")
"""A numbered line with a number in it: an item where a line ending ":" with a figure opens it."""




def find_figures(
    text: str,
    sentences: list[Sentence],
    numbers: list[NumberMention],
    years: list[YearMention],
    periods: list[Period],
    dates: list[DateMention],
    excluded: list[tuple[int, int]],
    default_org: str | None = None,
) -> list[Figure]:
    """Every quota figure in ``text``; ``excluded`` spans (citations, dates) hold none."""
    figures: list[Figure] = []
    ctx = LineContext()
    index = MentionIndex(text, years, periods, dates)
    by_start = ByStart(numbers)
    skip = Overlaps(excluded)
    line_start = -1
    line = ""
    content_start = depth = 0
    opener: bool | None = None
    ended: Figure | None = None
    earlier: list[Figure] = []
    under_lead = False  # numbered items ("1. Sở Nội vụ: 55 biên chế.") under a line ending ":" that opens them
    for sentence in sentences:
        new_line = index.breaks.last_before(0, sentence.start) + 1
        if new_line != line_start:
            numbered = bounded_match(_NUMBERED_ITEM, text, new_line) is not None
            line_end = index.breaks.first_from(sentence.start)
            this_line = text[new_line:line_end if line_end >= 0 else len(text)]
            if numbered:
                under_lead = under_lead or line.rstrip().endswith(":")  # "… như sau:" or "… 412 biên chế, cụ thể:"
            elif not depth_of(this_line):
                under_lead = False  # a bulleted line stays in the numbered items it follows
            ended, earlier = None, []
            line_start, line = new_line, this_line
            start_line(text, sentence, ctx, index, item=numbered and under_lead)
            content_start = line_start + len(line) - len(line.lstrip())
            # numbered items under a lead line are one deeper; bullets under such an item one more
            depth = max(depth_of(line), 1) if numbered and under_lead else depth_of(line) + (1 if under_lead else 0)
            opener = None
            ctx.sibling = ctx.sibling if depth > 0 else None
            ctx.lead_year = line_year(line, line_start, index) if line.rstrip().endswith(":") else (ctx.lead_year if depth > 0 else None)
            ctx.norm_lead = states_norm(line) if line.rstrip().endswith(":") else ctx.norm_lead and depth > 0
            ctx.lead_category = line_category(line) if line.rstrip().endswith(":") else (ctx.lead_category if depth > 0 else None)
            total_line = rx(r"\s*(?:tổng\s+cộng|cộng|tổng\s+số)\s*:", regex.IGNORECASE).match(line) is not None
            opens_list = line.rstrip().endswith(":") or len(line) < 160 and _HEADING.match(line) is not None \
                and not line.rstrip().endswith(".")  # "2. Số lượng người làm việc" over "- Số có mặt: 3.312 người."
            ctx.lead_quota = line_quota(line) if opens_list else (ctx.lead_quota if depth > 0 or total_line else None)
            ctx.lead_basis = line_basis(line) if line.rstrip().endswith(":") else (ctx.lead_basis if depth > 0 or total_line else None)
        state = SentenceState(clauses=Clauses(text, sentence.start), carried=whole_before(text, sentence, ended), earlier=earlier)
        for n in by_start.between(sentence.start, sentence.end):
            if n.end > sentence.end or skip.any(n.number_start, n.end):
                continue
            if n.number_start <= content_start and text[n.end:n.end + 2] in (". ", ") ", ".\n"):
                continue  # a list number ("1. ", "2) ")
            fig = _classify(text, sentence, n, state, ctx, depth, index, len(figures), default_org)
            if fig is not None:
                figures.append(fig)
        if state.heads and opener is None:
            opener = compiled("figures", "figure.breakdown_opener").search(line.rstrip()) is not None
        if state.heads and opener:
            ctx.opens[depth] = True
        earlier = [h for h in state.heads if h.kind in ("level", "count") and h.parent is None]
        ctx.sibling = earlier[-1] if earlier and depth > 0 else ctx.sibling
        ended = ended_with(text, sentence, state.heads, figures)
        for head in state.heads[:1]:
            if head.kind in ("level", "count"):
                ctx.parents[depth] = head
                ctx.opens.setdefault(depth, False)
                for deeper in [d for d in ctx.parents if d > depth]:
                    del ctx.parents[deeper]
    list_totals(text, figures)
    sentence_totals(text, figures)
    yearly_change_totals(text, figures)
    yearly_change_breakdowns(text, figures)
    merger_items(text, figures)
    bracket_totals(text, figures)
    labelled_sides(text, figures)
    whole_periods(figures)
    return figures



def _classify(
    text: str,
    sentence: Sentence,
    n: NumberMention,
    state: SentenceState,
    ctx: LineContext,
    depth: int,
    at: MentionIndex,
    index: int,
    default_org: str | None,
) -> Figure | None:
    if not n.percent and not state.heads and unit_at(text, n.end) is None \
            and unit_before(text, sentence.start, n.start, n.end) is None and unit_of_range(text, n.end) is None \
            and unit_of_sibling(text, sentence, n, ctx.sibling) is None:
        return None  # no unit and no head figure to be a part of: the cues before cannot help
    if not n.percent and bounded_match(compiled("figures", "figure.percent_range_to"), text, n.end):
        return None  # "giảm 60 - 70% đơn vị …": the lower bound of a range of percentages, the upper one is the figure
    before = text[max(sentence.start, n.start - 60):n.start]
    lower = compiled("figures", "figure.percent_range_from").search(before) if n.percent else None
    before = before[:lower.start()] if lower else before  # "giảm 60 - |70%": the verb before the range
    verb = compiled("figures", "figure.change_verb").search(before)
    sign = -1.0 if verb and verb.group("verb").lower().split()[0] in {v.split()[0] for v in _NEGATIVE_VERBS} else 1.0
    if verb and verb.group("verb").lower() == "tăng":
        sign = 1.0
    if n.percent and state.last_change is not None \
            and link_rate(text, before, n, state.last_change, at.years.between(n.end, min(sentence.end, n.end + 40))):
        return None
    after_pos = n.end
    approx = n.approx
    led = False  # a person count read as the quota its list's lead line gives out
    category: str | None = None
    equals: Figure | None = None
    unit: str
    group: str
    cat = category_at(text, after_pos)
    head = state.heads[-1] if state.heads else None
    last_open = at.opens.last_before(sentence.start, n.start)
    in_parens = last_open > at.closes.last_before(sentence.start, n.start)
    glued = head is not None and not rx(r"[;)]").search(text, head.end, n.start)
    # "giảm 20 biên chế công chức, 35 biên chế viên chức": one verb; not "(giảm 45 …) và 25.640 …" nor "…; giao 22.470 …"
    if cat and not n.percent and head is not None and not verb and (in_parens or head.kind == "change" and glued):
        return _category_part(text, sentence, n, head, cat, state, in_parens, last_open, index, at)
    if n.percent:
        found = unit_at(text, after_pos)
        if found:
            group, unit, end_pos = found
            cat2 = category_at(text, end_pos)
            category = cat2[0] if cat2 else None
            if cat and cat[1] >= end_pos:
                category, end_pos = cat[0], cat[1]
        else:
            group, unit = "rate", "%"
        kind: FigureKind = "rate"
        value = sign * n.value if verb else n.value
        if compiled("figures", "figure.share_left").search(before):
            value = n.value  # "giảm còn khoảng 60 - 70% so với …": the share that remains, not a reduction
        if lower is not None:
            approx = "about"  # "60 - 70%": the upper bound stands for a range
        previous = state.last_rate
        if not verb and previous is not None and previous.value < 0 and n.start - previous.end < REACH \
                and rx(r"^[^;]{0,60}\s(?:và|,)\s*$").match(text[previous.end:n.start]):
            value = -n.value
            equals = previous  # "giảm tối thiểu 5% biên chế công chức và 5% biên chế viên chức": one verb, one bound
    else:
        found = unit_at(text, after_pos)
        if found is None and head is not None and head.kind in ("level", "count") \
                and (compiled("figures", "figure.until_reduced").search(before)
                     or verb and (head.unit in quota_units() or n.start - head.end < HEAD_GLUE)
                     or compiled("figures", "figure.next_year_step").fullmatch(text, head.end, n.start)):
            found = UnitAt(unit_group(head.unit), head.unit, n.end)  # "là 1.980, giảm 20 so với", "64 đơn vị (giảm 88)"
        if found is None:
            found = unit_before(text, sentence.start, n.start, n.end) or unit_of_range(text, n.end) \
                or unit_of_sibling(text, sentence, n, ctx.sibling) or unit_of_share(text, n, state.heads) \
                or unit_of_list_item(text, n, state.heads)
        if found is None:
            return None
        group, unit, end_pos = found
        if group == "person" and unit == "người" and ctx.lead_quota is not None and not verb:
            group, unit = "quota", ctx.lead_quota  # "Giao số lượng người làm việc … như sau: / a) Bệnh viện A: 620 người;"
            led = True
        listed = in_parens and last_open > head.end if head is not None else False
        if listed and head is not None and (group == "thing") != (unit_group(head.unit) == "thing"):
            listed = False  # "14.231 biên chế (34 viện kiểm sát cấp tỉnh, …)": units named beside staff are no part of it
        if listed and compiled("figures", "figure.bracket_basis").match(text, last_open):
            listed = False  # "được giao 1.286 biên chế (có mặt 1.259 người)": the same body's other measure, no part
        if listed and group == "person" and compiled("figures", "figure.population_before").search(
                text, max(sentence.start, n.number_start - 80), n.number_start):
            return None  # "17 xã … (trong đó, dân số thị xã … là 40.000 người)": inhabitants, no part and no figure
        if listed and head is not None and compiled("figures", "figure.compared_bracket").search(text, head.end, last_open):
            listed = False  # "thấp hơn 1.120 người so với số được giao (22.460 người)": the measure compared with
        left_out = listed and compiled("figures", "figure.not_included").search(text, last_open, n.start) is not None
        listed = listed and not left_out  # "(chưa tính số hợp đồng 68)": beside the whole, not in it
        if head is not None and head.kind == "change" and not in_parens and ")" in text[head.end:n.start]:
            head = next((h for h in reversed(state.heads) if h.kind in ("level", "count") and h.parent is None), head)
            # "12.500 người (giảm 250 người …), gồm: giáo dục 10.200 người; …": the level's list, past the bracket
        people_of = group == "person" and head is not None and head.unit.startswith("người")  # "21.350 người làm việc, gồm: … 16.420 người"
        if head is not None and not listed and group in ("thing", "person", "quota") and (_same_group(head, group) or people_of) \
                and n.start - head.end < LIST_REACH:
            between = str(rx(r"\([^()]{0,120}\)").sub("", text[head.end:n.start]))  # "120 cán bộ, công chức (trong đó 45 nữ) và 80 …"
            between = str(rx(r"(?<![^\s:;,])(?:[a-zđ]|\d{1,2})\)\s").sub("", between))  # "gồm: a) cấp tỉnh 830 biên chế; b) …"
            listed = compiled("figures", "figure.listed_after").match(between) is not None
        opened = in_parens and rx(r"\(\s*(?:trong\s+đó|(?:bao\s+)?gồm)\s*:?", regex.IGNORECASE).match(text, last_open) is not None
        listed_after_change = listed and (not in_parens or opened) and head is not None and head.kind == "change"
        # "giảm 12 đầu mối cấp phòng (trong đó: 5 phòng thuộc sở, 7 phòng …)": the change's own breakdown
        if listed and not verb and head is not None and (head.kind in ("level", "count") or listed_after_change):
            # "đã tinh giản 286 người, gồm 41 công chức, 233 viên chức và 12 người lao động hợp đồng": a change lists too
            own = unit_categories().get(unit) if group == "quota" else None  # "… và 50 chỉ tiêu hợp đồng": its own staff
            named = cat or category_at(text, end_pos) or ((own, end_pos) if own else None)
            part = _part(text, sentence, n, head, named[0] if named else "", end_pos, index)
            part.category = named[0] if named else category_before(text, max(head.end, sentence.start), n.start)
            part.unit = unit if group != "quota" or own else head.unit
            if part.category is None:
                part.org = item_owner(text, max(head.end, sentence.start), n.start) or part.org  # "gồm: khối Đảng 560 biên chế; …"
                part.category = head.category if head.category != "total" else None  # parts by unit: the whole's staff
            return part
        if group == "quota":
            cat2 = category_at(text, end_pos)
            category = cat2[0] if cat2 else unit_categories().get(unit)
        if cat and group == "person":
            category = cat[0]
        carried = (not verb and head is not None and head.kind == "change" and _same_group(head, group)
                   and compiled("figures", "figure.list_glue").fullmatch(text, head.end, n.start) is not None)
        if carried and head is not None:
            sign = -1.0 if head.value < 0 else 1.0  # "giảm 6 tổng cục và 60 đơn vị cấp Cục, 300 …": one verb
        rate = state.last_rate
        if not verb and not carried and rate is not None and rate.value != 0 \
                and compiled("figures", "figure.rate_equivalent").fullmatch(text, rate.end, n.start):
            carried, sign = True, (-1.0 if rate.value < 0 else 1.0)  # "giảm 5% biên chế (tương đương 109 biên chế)"
            equals = rate
            category = category or rate.category  # "biên chế công chức giảm 5%, tương ứng 98 biên chế"
        beside_level = left_out and head is not None and head.kind == "level"
        if group == "person" and category is None and not verb and not carried:
            category = category_before(text, sentence.start, n.start)  # "có cán bộ, công chức 3.210 người"
            beside_level = beside_level or category is not None  # a headcount of a named staff is a level
        vacancy = group == "quota" and bounded_match(compiled("figures", "figure.vacancy"), text, end_pos) is not None
        kind = "change" if verb or carried else ("level" if (group == "quota" and not vacancy) or beside_level else "count")
        counted = _count_value(text, n)
        value = sign * counted if verb or carried else counted  # "1,250 người": a thousands comma
    end = end_pos if not n.percent or found else n.end
    under_staff = depth > 0 and (parent := list_parent(ctx, depth)) is not None and unit_group(parent.unit) in ("quota", "person")
    under_staff = under_staff or state.carried is not None and unit_group(state.carried.unit) in ("quota", "person")
    # "… là 12.500 người. Trong đó: mầm non 3.200 người; …": the staff the sentence before counted
    if not is_figure(text, sentence, n, end, kind, group, verb is not None or value < 0, ctx.staff_heading or under_staff,
                     norm_lead=ctx.norm_lead, unit=unit, listed=canonical_unit(unit) == FACILITY and _listed_with_a_body(text, n, head)):
        return None
    fig = Figure(
        id=f"f{index + 1}",
        start=n.start,
        end=end,
        text="",
        kind=kind,
        value=value,
        unit=unit,
        category=category,
        org=None,
        year=None,
        approx=approx,
        sentence=sentence.around(n.start, end),
    )
    fig.text = text[fig.start:fig.end]
    attach(text, sentence, n, fig, state, ctx, depth, at, default_org)
    if led:
        fig.basis = fig.basis or ctx.lead_basis  # the list's lead line "Giao …" gives its items
    if kind == "rate" and equals is not None:
        fig.approx = fig.approx if fig.approx != "exact" else equals.approx
        equals = None
    if equals is not None and equals.base_year is None:
        equals.base_year, equals.base_year_span = fig.base_year, fig.base_year_span  # the rate's and its count's
    elif equals is not None and fig.base_year is None:
        fig.base_year, fig.base_year_span = equals.base_year, equals.base_year_span  # "giảm 10% so với năm 2025, tương ứng 215 người"
    if equals is not None:
        equals.basis = fig.basis = equals.basis or fig.basis  # one change, written twice
    if fig.parent is not None and in_parens and compiled("figures", "figure.not_included").search(text, last_open, n.start):
        fig.parent = None  # "(chưa tính số hợp đồng 68)": what the whole leaves out is no part of it
    if fig.parent is None and kind in ("level", "count"):
        share_of(text, fig, n.number_start, group, state.heads)
        if fig.parent is None and state.carried is not None:  # "… là 28.456 người. Trong đó: cán bộ, công chức 4.456 người"
            share_of(text, fig, n.number_start, group, [state.carried], since=sentence.start)
        if fig.parent is None and state.carried is not None:  # "… là 25.640 người. Cụ thể: cán bộ, công chức 3.210 người"
            listed_part_of(text, fig, n.number_start, group, state.carried, since=sentence.start)
        for whole in reversed(state.earlier if fig.parent is None and state.carried is not None else []):
            if whole is not state.carried and whole.kind == "level" and fig.kind == "level":
                share_of(text, fig, n.number_start, group, [whole], since=sentence.start)  # "…, chưa sử dụng 47. Trong đó: …"
            if fig.parent is not None:
                break
        if fig.partial and fig.category in (None, "total"):
            fig.category = category_before(text, sentence.start, n.start) or fig.category  # "trong đó: viên chức 24.000 người"
        if fig.partial and category_before(text, sentence.start, n.start) is None:
            fig.org = share_owner(text, sentence.start, n.start, fig.unit)  # "trong đó văn phòng Sở 60 biên chế"
    if kind == "change" and fig.parent is None and fig.year is not None:
        period = next((h for h in state.heads if h.kind == "change" and h.parent is None and h.year is None and h.value * fig.value > 0
                       and abs(h.value) > abs(fig.value)), None)
        if period is not None and compiled("figures", "figure.yearly_steps").match(text[period.end:n.start]):
            fig.parent, fig.partial = period.id, True  # "… 1.120 biên chế, trong đó: năm 2022 giảm 230 biên chế; …"
    if kind == "change":
        state.last_change = fig
        if fig.base_year is None and fig.year is None:
            fig.before_after = before_after(text, fig, state.heads) \
                or before_after_across(text, fig, state.heads, state.earlier, sentence.start)
        elif fig.base_year is None:
            dated_pair(fig, state.heads)  # "năm 2021 được giao 2.400 …; đến năm 2026 còn 2.280 …, giảm 120 biên chế"
    elif kind in ("level", "count") and state.last_change is not None:
        pair_after_change(text, state.last_change, head, fig)  # "giảm 120 biên chế, từ 14.320 … xuống còn 14.200 …"
        before_in_brackets(text, state.last_change, fig, state.heads)  # "giảm 94 đơn vị so với trước sắp xếp (141 đơn vị)"
    if kind == "rate":
        state.last_rate = fig
    if kind in ("level", "count") or (kind == "change" and head is None):
        state.heads.append(fig)
    elif kind == "change":
        state.heads.append(fig)
    return fig


def _category_part(text: str, sentence: Sentence, n: NumberMention, head: Figure, cat: tuple[str, int], state: SentenceState,
                   in_parens: bool, last_open: int, index: int, at: MentionIndex) -> Figure:
    """A number followed by a category in brackets after a whole, or after a change: a part
    of it ("(gồm 196 công chức nam …)"), or a sibling of one verb where no cue says part."""
    part = _part(text, sentence, n, head, cat[0], cat[1], index)
    named = unit_at(text, n.end)
    if named is not None and named.group == "person" and head.unit not in quota_units():
        # "355 người (gồm 196 công chức nam …)": the part's own noun; parts of biên chế are biên chế
        written = str(rx(r"\s+").sub(" ", text[n.end:cat[1]].strip())).lower()
        part.unit = written if cat[1] > named.end and written.startswith(named.unit) else named.unit
    cue = in_parens or compiled("figures", "figure.part_cue").search(text, head.end, n.start) is not None
    left_out = in_parens and compiled("figures", "figure.not_included").search(text, last_open, n.start) is not None
    if not cue or left_out or not may_contain(head.category, cat[0]):
        part.parent = None  # "giảm 20 biên chế công chức, 35 biên chế viên chức": siblings of one verb
        state.heads.append(part)
        base = at.years.first(part.end, min(sentence.end, part.end + 60), lambda y: y.role == "base")
        if part.kind == "change" and base is not None and not rx(r"\d").search(text, part.end, base.start):
            part.base_year, part.base_year_span = base.year, (base.start, base.end)
            share_base(text, part, head)  # "giảm 2.476 biên chế công chức và 19.578 … viên chức so với năm 2022"
    return part


def _count_value(text: str, n: NumberMention) -> float:
    """The number's value as a count ("1,250 người" is 1.250: see ``as_count``)."""
    written = text[n.number_start:n.end].split()
    return as_count(n.value, written[0]) if written else n.value


def _part(text: str, sentence: Sentence, n: NumberMention, head: Figure, category: str, end: int, index: int) -> Figure:
    value = _count_value(text, n) if head.value >= 0 else -_count_value(text, n)
    return Figure(
        id=f"f{index + 1}",
        start=n.start,
        end=end,
        text=text[n.start:end],
        kind=head.kind,
        value=value,
        unit=head.unit,
        category=category,
        org=head.org,
        year=head.year,
        period=head.period,
        base_year=head.base_year,
        approx=n.approx,
        parent=head.id,
        sentence=sentence.around(n.start, end),
    )


def _listed_with_a_body(text: str, n: NumberMention, head: Figure | None) -> bool:
    """Whether the number follows a count of bodies in one list ("30 Cục, Vụ, 10 trường đại học, 22 …")."""
    return head is not None and head.kind in ("count", "change") and unit_group(head.unit) == "thing" \
        and n.start - head.end < HEAD_GLUE * 2 and compiled("figures", "figure.list_glue").fullmatch(text, head.end, n.start) is not None


def _same_group(head: Figure, group: str) -> bool:
    """Whether ``head`` counts things of the same group (units, people, quota)."""
    return unit_group(head.unit) == group
