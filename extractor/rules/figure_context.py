"""The context a figure is read in: what carries from line to line (heading year, list
parents, a list's lead line), from number to number within a sentence, and the document's
mentions looked up by position (used by extractor/rules/figures.py)."""

from __future__ import annotations

from dataclasses import dataclass, field

from extractor.models import Basis, DateMention, Figure, Period, Sentence, YearMention
from extractor.patterns import compiled, rx
from extractor.rules.categories import category_in
from extractor.rules.norms import speaks_of_staff
from extractor.rules.spans import ByStart, Clauses, Positions
from extractor.rules.subjects import LIST_MARKER


@dataclass
class LineContext:
    """Context carried from line to line: heading year, period and list parents."""

    heading_year: int | None = None
    period: str | None = None
    parents: dict[int, Figure] = field(default_factory=dict)
    opens: dict[int, bool] = field(default_factory=dict)
    staff_heading: bool = False
    """The numbered heading above speaks of staff ("2. Số lượng người làm việc")."""
    sibling: Figure | None = None
    """The last level or count of the list item lines just before (none past a plain line)."""
    lead_year: int | None = None
    """The one year of the line ending with ":" that opens the list items below ("Biên chế giao năm 2025:")."""
    norm_lead: bool = False
    """The line ending with ":" that opens the list items below states a norm ("… được bố trí … như sau:")."""
    lead_category: str | None = None
    """The one staff category of the line ending with ":" that opens the list items below."""
    lead_quota: str | None = None
    """The quota a line ending with ":" and stating no figure gives out to the items below
    ("Giao số lượng người làm việc năm 2025 … như sau:" → "người làm việc")."""
    lead_basis: Basis | None = None
    """The basis the opening verb of that line names ("Giao …": assigned; "Dự kiến …": planned)."""


@dataclass
class SentenceState:
    """What one sentence's figures so far leave for the next number."""

    clauses: Clauses
    heads: list[Figure] = field(default_factory=list)
    last_change: Figure | None = None
    last_rate: Figure | None = None
    carried: Figure | None = None
    """The whole that ended the sentence before, when this one opens with "Trong đó"."""
    earlier: list[Figure] = field(default_factory=list)
    """The sentence before's levels and counts that are no part (same paragraph)."""


class MentionIndex:
    """The document's mentions and brackets, looked up by position (see rules/spans.py)."""

    def __init__(self, text: str, years: list[YearMention], periods: list[Period], dates: list[DateMention]) -> None:
        self.years = ByStart(years)
        self.periods = ByStart(periods)
        self.dates = ByStart(dates)
        self.opens = Positions(text, r"\(")
        self.closes = Positions(text, r"\)")
        self.breaks = Positions(text, r"\n")


def depth_of(line: str) -> int:
    """How deep a list item line nests: 2 under "+", 1 under "-" or "a)", 0 for a plain or numbered line."""
    m = LIST_MARKER.match(line)
    if not m:
        return 0
    marker = m.group("m")
    if marker == "+":
        return 2
    if marker in "-•*" or marker.endswith(")") and marker[0].isalpha():
        return 1  # "- …", "a) …": items under the line that opens them; "1." numbers clauses
    return 0


def line_year(line: str, line_start: int, index: MentionIndex) -> int | None:
    """The year of a line that opens a list ("Biên chế giao năm 2025:"), when it names one."""
    found = [y for y in index.years.between(line_start, line_start + len(line)) if y.role in ("year", "until")]  # "- Đến năm 2021:"
    bounds = compiled("figures", "figure.year_bound")
    years = {y.year for y in found if not bounds.search(line, max(0, y.start - line_start - 12), y.start - line_start)}
    return years.pop() if len(years) == 1 and len(found) == 1 else None  # "Trước năm 2025, … gồm:": no year of the list


def line_category(line: str) -> str | None:
    """The one staff category of a line that only opens a list ("Biên chế công chức giao năm
    2025 gồm:"): none where the line states figures of its own or names it in brackets."""
    bare = str(rx(r"\([^()]*\)").sub(" ", line))
    if rx(r"\d").search(str(rx(r"(?<!\p{L})năm\s+(?:19|20)\d{2}").sub(" ", bare))):
        return None  # "Tổng biên chế … (không bao gồm cán bộ, công chức cấp xã) là 28.489 …. Trong đó:"
    return category_in(bare)


def line_basis(line: str) -> Basis | None:
    """The basis a list's lead line opens with: "Giao …" assigned, "Dự kiến …" planned, else None."""
    if compiled("figures", "figure.assigning_opening").match(line):
        return "assigned"
    return "planned" if compiled("figures", "figure.planning_opening").match(line) else None


def line_quota(line: str) -> str | None:
    """"người làm việc" for a line that only opens a list and names that quota, else None."""
    bare = str(rx(r"\([^()]*\)").sub(" ", str(rx(r"^\s*(?:[IVX]{1,4}|\d{1,2}(?:\.\d{1,2})*)[.)]\s").sub("", line))))
    if rx(r"\d").search(str(rx(r"(?<!\p{L})năm\s+(?:19|20)\d{2}").sub(" ", bare))):
        return None
    return "người làm việc" if rx(r"(?i)(?<!\p{L})người\s+làm\s+việc(?!\p{L})").search(bare) else None


def ended_with(text: str, sentence: Sentence, heads: list[Figure], figures: list[Figure]) -> Figure | None:
    """The whole ``sentence`` ends with, itself or its listed parts ("… đã tinh giản 286
    người, gồm 41 công chức, 233 viên chức và 12 người lao động hợp đồng."), else None."""
    wholes = [h for h in heads if h.kind in ("level", "count", "change") and h.parent is None]
    if not wholes:
        return None
    whole = wholes[-1]
    if rx(r"[^\d,;:()]{0,24}").fullmatch(text[whole.end:sentence.end].strip(" .)")):
        return whole  # "… được giao 2.345 biên chế |công chức.": its staff named after the unit
    if whole.kind == "change" and len(wholes) > 1 and wholes[-2].kind in ("level", "count"):
        aside = rx(r"[^\d;:()]{0,40}\([^()]*\)[\s.]*").fullmatch(text, wholes[-2].end, sentence.end)
        if aside is not None and text.rfind("(", wholes[-2].end, whole.start) >= 0:
            return wholes[-2]  # "… có 1.245 thôn, tổ dân phố (giảm 312 … so với năm 2019).": the count before the aside
    parts = [f.end for f in figures[-20:] if f.parent == whole.id]
    rest = text[max(parts):sentence.end].strip(" .)") if parts else ","
    return whole if rx(r"[^\d,;:()]{0,40}").fullmatch(rest) else None  # "… và 12 người |lao động hợp đồng."


def whole_before(text: str, sentence: Sentence, ended: Figure | None) -> Figure | None:
    """``ended`` (the whole the sentence before ended with, in the same paragraph) when
    ``sentence`` opens with "Trong đó" or "Cụ thể:": its figures may be shares or parts of it."""
    if ended is None or not any(compiled("figures", name).match(text, sentence.start, sentence.end)
                                for name in ("figure.share_opening", "figure.list_opening")):
        return None
    return ended


def start_line(text: str, sentence: Sentence, ctx: LineContext, index: MentionIndex, item: bool = False) -> None:
    """A new line's effect on the context: a heading's year, or a numbered heading's staff
    sense and period, and list parents cleared under either. A numbered ``item`` of a list
    a line before opened ("… 412 biên chế, cụ thể: / 1. Cấp tỉnh: 190 biên chế, trong đó:")
    is no heading."""
    for y in index.years.between(sentence.start, sentence.end):
        if y.role == "heading":
            ctx.heading_year = y.year
            ctx.parents.clear()
            ctx.opens.clear()
            return
    short = len(sentence.text) < 160  # first: the heading pattern backtracks over a long "1.2.3.…" run
    heading = short and not item and rx(r"\s*(?:[IVX]{1,4}\.|\d{1,2}(?:\.\d{1,2})*\.)\s+\S").match(sentence.text)
    if heading and not sentence.text.rstrip().endswith("."):
        ctx.staff_heading = speaks_of_staff(text, sentence.start, sentence.end)
        ctx.heading_year = None
        ctx.period = None
        ctx.parents.clear()
        ctx.opens.clear()
        for p in index.periods.between(sentence.start, sentence.end):
            if p.start_year:
                ctx.period = p.label
