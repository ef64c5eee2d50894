"""What a figure takes from its sentence and its list: org, category, year, base year,
period and the list item's parent."""

from __future__ import annotations

import regex

from extractor.models import Figure, NumberMention, Sentence
from extractor.patterns import compiled, rx
from extractor.rules.categories import category_at, category_before, category_in
from extractor.rules.figure_context import LineContext, MentionIndex, SentenceState
from extractor.rules.figure_links import share_base
from extractor.rules.subjects import LIST_MARKER, REACH, change_subject, subject_of
from extractor.rules.units import is_person_or_thing, quota_units, unit_categories, unit_group

SUBJECT_REACH = 1000
"""Characters of the clause before a number searched for its subject."""
YEAR_AFTER_REACH = 80
"""How far after a figure with no year before it a year of the same clause part may stand."""


def tail(text: str, start: int, end: int) -> str:
    """``text[start:end]``, or only its last REACH characters (for patterns anchored at the end)."""
    return text[max(start, end - REACH):end]


def attach(
    text: str,
    sentence: Sentence,
    n: NumberMention,
    fig: Figure,
    state: SentenceState,
    ctx: LineContext,
    depth: int,
    at: MentionIndex,
    default_org: str | None,
) -> None:
    """Fill org, category, year, base year and parent from the sentence and its context."""
    head = next((h for h in reversed(state.heads) if h.kind in ("level", "count")), None)
    clause_start = state.clauses.at(n.start)
    if fig.kind in ("change", "rate"):
        _base_and_staff(text, sentence, n, fig, state, at)
    parent_fig = list_parent(ctx, depth)
    previous = state.last_change
    if fig.kind == "change" and fig.category in (None, "total") and previous is not None and previous.unit == fig.unit \
            and previous.category not in (None, "total") \
            and compiled("figures", "figure.year_sequence").fullmatch(text, previous.end, n.start):
        fig.category = previous.category  # "năm 2022 giảm 45 biên chế công chức; năm 2023 giảm 40 biên chế"
    if fig.kind == "count" and head is not None and head.kind == "level" and fig.unit == "người" \
            and head.unit == "người làm việc":
        fig.kind, fig.unit = "level", head.unit  # "… là 24.500 người làm việc; đến năm 2026 còn 22.050 người"
        fig.category = fig.category or head.category
    if fig.kind == "change" and head is not None and head.parent is not None and ";" in text[head.end:n.start]:
        head = next((h for h in state.heads if h.id == head.parent), head)  # "…, trong đó cấp tỉnh …, cấp huyện …; giảm 65 …"
    if fig.kind == "rate" and head is not None and head.kind == "level" and head.parent is None \
            and compiled("figures", "figure.rate_after_level").fullmatch(text, head.end, n.start):
        fig.org, fig.year, fig.period = head.org, head.year, head.period  # "giao 1.180 biên chế … cho X, giảm 2% so với …"
        fig.category = fig.category or head.category
        return
    if fig.kind == "change" and head is not None:
        if fig.unit != head.unit and is_person_or_thing(fig.unit) and head.unit in quota_units():
            fig.unit = head.unit  # "25.100 người làm việc …, giảm 300 người"
        fig.org, fig.category, fig.year = head.org, fig.category or head.category, head.year
        fig.period = head.period
        return
    subject = _subject(text, n, fig, state, clause_start)
    if not subject and head is not None and head.kind == fig.kind and rx(r"(?:\s+và|,)\s*$").search(tail(text, head.end, n.start)):
        fig.org, fig.year, fig.period = head.org, head.year, head.period
        fig.category = fig.category or ("total" if fig.unit == "biên chế" else None)
        listed = list_parent(ctx, depth)
        if listed is not None and head.parent == listed.id and not head.partial:
            fig.parent = listed.id  # "- Thị xã Giá Rai có 2 phường và 1 xã.": both parts of the list's whole
        return
    staff_count = fig.kind == "count" and unit_group(fig.unit) == "person"
    lead = r"(?<!\p{L})(?:là|có|được\s+giao|giao)\s*:?\s*$|\S\s*:\s*$" if staff_count else r"(?<!\p{L})là\s*:?\s*$"
    if fig.kind in ("rate", "count") and not rx(lead).search(tail(text, clause_start, n.start)):
        subject = ""
    if subject and fig.kind == "count" and is_person_or_thing(fig.unit):
        _quota_of_subject(text, n, fig, subject, clause_start)
    cat = category_at(subject, 0) if subject else None
    rest = rx(r"^[\s,]*(?:của|thuộc|trong|tại)\s+").sub("", subject[cat[1]:]).strip(" ,") if cat else ""
    if rest and compiled("figures", "figure.basis_rest").fullmatch(rest):
        rest = ""  # "biên chế công chức được giao là …": the basis, no org
    if cat and (rest == "" or rest != subject[cat[1]:].strip(" ,")):
        fig.category = cat[0] if fig.category in (None, "total") else fig.category  # "biên chế công chức … là 1.250 biên chế"
        fig.org = rest if len(rest.split()) > 1 else (parent_fig.org if parent_fig else default_org)
    elif subject:
        fig.org = subject
        fig.category = fig.category or ("total" if fig.unit == "biên chế" else None)
    else:
        fig.org = parent_fig.org if parent_fig else default_org
        fig.category = fig.category or ("total" if fig.unit == "biên chế" else None)
    _year_and_list(text, sentence, n, fig, state, ctx, depth, at, clause_start)


def _subject(text: str, n: NumberMention, fig: Figure, state: SentenceState, clause_start: int) -> str:
    """The org phrase a figure's clause names before it: after the figure before, if any, its own."""
    subject = subject_of(text, max(clause_start, n.start - SUBJECT_REACH), n.start)
    if fig.kind == "change" and not subject:
        subject = change_subject(text, max(clause_start, n.start - SUBJECT_REACH), n.start)  # "tỉnh X đã tinh giản 720 người"
    prior = state.heads[-1] if state.heads else None  # the figure before, whatever its kind
    if prior is not None and clause_start < prior.end < n.start:
        staff = category_at(text, prior.end)  # "45 biên chế công chức, Sở Tài chính …": the figure's own staff first
        tail_from = staff[1] if staff and staff[1] < n.start else prior.end
        own = subject_of(text, tail_from, n.start).lstrip(" ,")  # "…, viên chức là 1.765.123 người": its own subject
        if not own and fig.kind == "change":  # "khối Đảng giảm 12 biên chế (…), khối chính quyền giảm 85 …"
            closed = text.rfind(")", tail_from, n.start)
            own = change_subject(text, max(tail_from, closed + 1), n.start).lstrip(" ,")
        measure = list(rx(r"[,;]\s*(?=(?:tổng\s+)?số\s|biên\s+chế\s)", regex.IGNORECASE).finditer(own))
        own = own[measure[-1].end():] if measure else own  # "bố trí 3.190 người vào …, số dôi dư là"
        subject = own or subject  # "…, số công chức hiện có là 1.874 người": never the figure before
    return subject


def _quota_of_subject(text: str, n: NumberMention, fig: Figure, subject: str, clause_start: int) -> None:
    """A count of people whose subject names the quota is a level of it."""
    named = next((u for u in sorted(quota_units(), key=len, reverse=True) if rx(r"(?<!\p{L})" + regex.escape(u) + r"(?!\p{L})", regex.IGNORECASE).search(subject)), None)
    if named:  # "Tổng số người làm việc … là 25.100 người": the subject names the quota
        fig.kind, fig.unit = "level", named
        fig.category = fig.category or unit_categories().get(named)
    elif compiled("figures", "figure.quota_measure").search(tail(text, clause_start, n.start).rsplit(",", 1)[-1]):
        fig.kind = "level"  # "tổng số biên chế trong cả nước là 1.925.000 người": people counted as the quota
        fig.category = fig.category or category_in(tail(text, clause_start, n.start)) or "total"  # "biên chế sự nghiệp … là"


def _year_and_list(text: str, sentence: Sentence, n: NumberMention, fig: Figure, state: SentenceState, ctx: LineContext,
                   depth: int, at: MentionIndex, clause_start: int) -> None:
    """The figure's year, date and period, and its parent and staff from the list it is an item of."""
    parent_fig = list_parent(ctx, depth)
    stated = [y for y in at.years.between(clause_start, n.start) if y.role in ("year", "until")]
    years = [y for y in stated if y.role == "year"]
    nearest = stated[-1] if stated and not rx(r"\d").search(text, stated[-1].end, n.start) else None
    quota_year = next((y for y in reversed(years) if compiled("figures", "figure.quota_year_before").search(
        text, max(clause_start, y.start - 60), y.start)), None)  # "giao biên chế công chức năm 2024 cho …"
    own_year = nearest or quota_year or (years[0] if years else None)  # "năm 2022 là 890 …, năm 2023 là 880": each its own;
    # "đến năm 2026 còn 22.050 người": the year the level is reached
    date = at.dates.first(sentence.start, n.start)
    later = at.years.first(fig.end, min(sentence.end, fig.end + YEAR_AFTER_REACH), lambda y: y.role == "year")
    later = later if later is not None and not rx(r"[\d,;()]").search(text, fig.end, later.start) else None
    if own_year:
        fig.year = own_year.year
    elif later is not None:
        fig.year = later.year  # "giao 2.100 biên chế công chức cho các cơ quan của tỉnh trong năm 2026"
    elif parent_fig and parent_fig.year:
        fig.year = parent_fig.year
    elif ctx.lead_year:
        fig.year = ctx.lead_year  # "Biên chế giao năm 2025:\n- Sở Y tế: 45 biên chế"
    elif ctx.heading_year:
        fig.year = ctx.heading_year
    elif date and date.year:
        fig.year = date.year
    if depth > 0 and ctx.lead_category and fig.category in (None, "total") and fig.unit in quota_units():
        fig.category = ctx.lead_category  # "Biên chế công chức giao năm 2025 gồm:\n- Khối Đảng: 450 biên chế"
    if date and date.precision == "day":
        fig.date = date.date
    period = at.periods.first(sentence.start, n.start, lambda p: bool(p.start_year))
    fig.period = period.label if period else ctx.period
    if parent_fig and depth > 0 and not state.heads:
        fig.parent = parent_fig.id
        if fig.category in (None, "total") and fig.unit == parent_fig.unit and parent_fig.category not in (None, "total"):
            fig.category = parent_fig.category  # "Giao biên chế công chức …, cụ thể: - Sở Tài chính: 78 biên chế"



def _base_and_staff(text: str, sentence: Sentence, n: NumberMention, fig: Figure, state: SentenceState, at: MentionIndex) -> None:
    """A change's or rate's base year: right after it ("… so với năm 2024"), else fronted
    at the sentence's start ("So với năm 2015, biên chế công chức giảm 10,01%, …"); and,
    for a rate naming no staff, the category right before its verb."""
    base = at.years.first(n.end, min(sentence.end, n.end + 60), lambda y: y.role == "base")
    if base and not rx(r"\d").search(text[n.end:base.start]):
        fig.base_year = base.year
        fig.base_year_span = (base.start, base.end)
        share_base(text, fig, state.last_rate if fig.kind == "rate" else state.last_change)
    else:
        fronted = at.years.first(sentence.start, n.start, lambda y: y.role == "base")
        if fronted is not None and not LIST_MARKER.sub("", text[sentence.start:fronted.start]).strip() \
                and compiled("figures", "figure.fronted_base").match(text, fronted.end, n.start):
            fig.base_year, fig.base_year_span = fronted.year, (fronted.start, fronted.end)
        elif fronted is not None and state.last_change is not None and fig.kind == "change" \
                and not LIST_MARKER.sub("", text[sentence.start:fronted.start]).strip() \
                and state.last_change.base_year_span == (fronted.start, fronted.end):
            fig.base_year, fig.base_year_span = fronted.year, (fronted.start, fronted.end)
            # "So với năm 2015, biên chế công chức giảm 312 …, biên chế viên chức giảm 2.840 người": every change's
    verb = compiled("figures", "figure.change_verb").search(text, max(sentence.start, n.start - 60), n.start)
    if fig.kind == "rate" and fig.category is None and verb is not None:
        fig.category = category_before(text, sentence.start, verb.start())  # "biên chế công chức giảm 10,01%"
        if fig.category is None:  # "biên chế công chức của tỉnh giảm 5%": the one staff the verb's subject names
            lo = max(sentence.start, *(text.rfind(mark, sentence.start, verb.start()) + 1 for mark in ",;:"))
            fig.category = category_in(text[lo:verb.start()])


def list_parent(ctx: LineContext, depth: int) -> Figure | None:
    for d in range(depth - 1, -1, -1):
        if d in ctx.parents:
            return ctx.parents[d] if ctx.opens.get(d) else None
    return None
