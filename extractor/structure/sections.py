"""Numbered headings ("I. Khối Đảng", "2.1. Năm 2024", "a) Cấp xã") and the sections they open.

A heading is a short line that starts with its numbering and does not end like a
sentence; its section runs to the next heading of the same or a higher level.
"""

from __future__ import annotations

from collections.abc import Sequence

import regex

from extractor.patterns import rx

from extractor.annotated import Section
from extractor.models import DateMention, Period, YearMention

_HEADING = regex.compile(
    r"^(?P<lead>[ \t#*]*)(?P<num>(?:[IVX]{1,4}|\d{1,2}(?:\.\d{1,2}){0,3}|[a-zđ])[.)]|(?:Phần|Mục|Chương|PHẦN|MỤC|CHƯƠNG)\s+[IVX\d]{1,4}[.:]?)[ \t]+(?P<title>\S[^\n]{0,158})$",
    regex.MULTILINE,
)


def _level(number: str) -> int:
    core = number.rstrip(".)").split()[-1]
    if rx(r"[IVX]{1,4}").fullmatch(core):
        return 1
    if rx(r"[a-zđ]").fullmatch(core):
        return 5
    return 1 + core.count(".") + 1


def find_sections(
    text: str, years: list[YearMention], periods: list[Period], dates: Sequence[DateMention] = (),
) -> list[Section]:
    """Every numbered heading of ``text`` with the span of its section; its year is one
    the heading states outside a period and a full date ("2. Khai giảng ngày 05/9/2024.")."""
    found: list[Section] = []
    for m in _HEADING.finditer(text):
        title = m.group("title").rstrip(" *#")
        if title.endswith((".", ";", ",")) and len(title) > 60:
            continue  # a numbered sentence, not a heading
        if " | " in f" {title} " or title[:1].isdigit():
            continue
        start = m.start("num")
        end = m.start("title") + len(title)
        number = m.group("num").rstrip(".):")
        spans = [(p.start, p.end) for p in periods if start <= p.start < end]  # "năm học 2024 - 2025": no one year
        spans += [(d.start, d.end) for d in dates if start <= d.start < end and d.precision == "day"]  # an event's day
        heading_year = next((y.year for y in years if y.role in ("heading", "year") and start <= y.start < end
                             and not any(a <= y.start < b for a, b in spans)), None)
        period = next((p.label for p in periods if start <= p.start < end and p.start_year), None)
        found.append(Section(start=start, end=end, text=text[start:end], number=number, level=_level(m.group("num")),
                             title=title, body_end=len(text), year=heading_year, period=period))
    for i, section in enumerate(found):
        nxt = next((s for s in found[i + 1:] if s.level <= section.level), None)
        section.body_end = nxt.start if nxt else len(text)
    return found


def sections_at(sections: list[Section], offset: int) -> list[Section]:
    """The sections holding ``offset``, outermost first (a heading is in its own section)."""
    return [s for s in sections if s.start <= offset < s.body_end]
