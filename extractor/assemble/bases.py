"""The basis of a record: the cue words of its clause, the passage's carried basis, the
document's (a decision giving quotas, a plan), else a quota's default (assigned)."""

from __future__ import annotations

from extractor.annotated import AnnotatedDocument, DocumentContext
from extractor.assemble.cues import basis_of
from extractor.assemble.owners import clause_before
from extractor.check.sums import unit_group
from extractor.models import Basis, Figure
from extractor.patterns import compiled, rx
from extractor.rules.spans import bounded_match
from extractor.rules.units import canonical_unit

CARRY_CHARS = 300
"""How far a passage's basis carries to a count that states none."""


def cue_basis(doc: AnnotatedDocument, fig: Figure, sentence_start: int) -> None:
    """The basis the cue words of the figure's own list item (or right after its unit) name,
    set on ``fig``; a decision's opening verb ("Điều 1. Giao …") gives assigned; none for a vacancy."""
    if fig.basis is not None or is_vacancy(doc, fig):
        return  # "còn 23 biên chế chưa sử dụng": vacancies have no basis
    clause = compiled("figures", "figure.outside_quota").sub(" ", clause_before(doc.text, sentence_start, fig.start))
    item = list(rx(r"\d[^\d]*?(?:[,;]|\svà\s)").finditer(clause))  # "Ngoài số biên chế được giao, …": not its basis
    before = clause[item[-1].end():] if item else clause  # "đã tuyển dụng 12 công chức, tinh giản |9 người": its own item
    lead = clause[:item[0].start()] if item else ""
    lead = lead[:lead.rfind(":")] if ":" in lead else ""  # "Số người làm việc được giao: Trường A 45 người, Trường B |60"
    after = doc.text[fig.end:fig.end + 30]
    after = rx(r"[\d;,.()]|(?<!\p{L})(?:so\s+với|và|để|theo|thông\s+qua|từ|cho|tại)(?!\p{L})").split(after, maxsplit=1)[0]
    # "so với số được giao": the base's; "… 17 công chức thông qua thi tuyển": the way, no basis
    own = basis_of(before) if "/" in fig.text else None  # "có mặt là 2.150/2.245 biên chế được giao": the cue after is the whole's
    fig.basis = own or basis_of(after) or basis_of(before) or basis_of(lead)  # "519 biên chế được giao": the cue on the unit
    openings: tuple[tuple[str, Basis], ...] = (("figure.assigning_opening", "assigned"), ("figure.planning_opening", "planned"))
    for name, basis in openings:
        opening = compiled("figures", name).match(doc.text, sentence_start, fig.start)
        if fig.basis is None and opening is not None and ";" not in doc.text[sentence_start:fig.start]:
            fig.basis = basis  # "Điều 1. Giao số lượng người làm việc … là 3.180 người", "Dự kiến …, giảm 97 đơn vị"


def default_basis(context: DocumentContext, fig: Figure, done: bool, in_table: bool = False) -> Basis | None:
    """The basis of a staff figure with no cue: planned for a change or rate of a plan
    that does not say it is done (``done``: "đã giảm"), else the document's (a decision
    giving quotas: assigned), else assigned for a level or change of a quota (biên chế, người làm việc)."""
    if context.plan and not done and (fig.kind == "rate" or fig.kind == "change" and unit_group(fig.unit) == "staff"):
        return "planned"  # "KẾ HOẠCH tinh giản …: năm 2023 giảm 40 biên chế"
    if unit_group(fig.unit) != "staff" or fig.kind == "rate":
        return None
    if context.basis is not None:
        return context.basis
    quota = canonical_unit(fig.unit) == "biên chế" or canonical_unit(fig.unit) == "người làm việc" \
        and ("người làm việc" in fig.text or in_table)  # a table's row or column names the quota
    return "assigned" if quota and fig.kind in ("level", "change") else None  # "giảm 1.065 người làm việc": the quota


def until_year(doc: AnnotatedDocument, start: int, end: int) -> bool:
    """Whether the clause before a figure names the year it is reached by ("đến năm 2026 còn")."""
    clause = clause_before(doc.text, start, end)
    lo = end - len(clause)
    return any(y.role == "until" and lo <= y.start < end for y in doc.years or [])


def is_vacancy(doc: AnnotatedDocument, fig: Figure) -> bool:
    """Whether the figure counts posts left unfilled ("còn 23 biên chế chưa sử dụng")."""
    return bounded_match(compiled("figures", "figure.vacancy"), doc.text, fig.end) is not None


def is_difference(text: str, fig: Figure) -> bool:
    """Whether the figure is the gap between two measures ("thiếu 135 người", "vượt 17
    người so với số lượng tối đa", "thấp hơn 91 người"), no level of either."""
    digit = next((i for i, ch in enumerate(fig.text) if ch.isdigit()), 0)
    return compiled("figures", "figure.difference_before").search(text, max(0, fig.start - 30), fig.start + digit) is not None


def carried_basis(doc: AnnotatedDocument, fig: Figure, previous: Figure | None, headings: list[int]) -> Basis | None:
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
