"""Dates, years and periods: ``ngày 18/7/2022``, ``quý I-2023``, ``so với năm 2022``,
``giai đoạn 2022 - 2026``, ``từ năm 2026 đến năm 2030``, ``đến hết năm 2026``."""

from __future__ import annotations

import datetime as dt

import regex

from extractor.models import DateMention, Period, YearMention
from extractor.patterns import FLAGS, compiled, finditer_from, match_starts, rx
from extractor.rules.numbers import digit_runs
from extractor.rules.ocr_repair import find_repaired_dates
from extractor.rules.spans import Disjoint, Overlaps

_ROMAN = {"I": 1, "II": 2, "III": 3, "IV": 4}
_LEADS = r"giai\s+đoạn|nhiệm\s+kỳ|thời\s+kỳ|niên\s+độ|khóa"
_RANGE_OPENING = rf"(?<![\d/.,-])(?:(?P<lead>{_LEADS})\s+)?(?P<a>(?:19|20)\d{{2}})\s?-\s?(?P<b>(?:19|20)\d{{2}})"
"""How period.range opens: a lead word maybe, then two years and a dash."""
_YEAR_RANGE = regex.compile(r"(?:19|20)[0-9]{2}\s?-\s?(?:19|20)[0-9]{2}")
_LEAD_BEFORE = regex.compile(rf"(?:{_LEADS})\s+", FLAGS | regex.REVERSE)
"""A lead word and the spaces after it, matched backwards from where they end."""


def iso_date(day: str, month: str, year: str) -> str | None:
    """``YYYY-MM-DD`` if the parts make a real calendar date, else None."""
    try:
        return dt.date(int(year), int(month), int(day)).isoformat()
    except ValueError:
        return None


def find_dates(text: str) -> list[DateMention]:
    """Calendar dates (day, month or quarter precision) in ``text``."""
    found: list[DateMention] = []
    taken = Disjoint()
    for entry_id in ("date.words", "date.numeric"):
        # a numeric date opens with the first digit of a run: tried only there
        for m in finditer_from("dates", entry_id, text, r"(?<![\d/.,-])(?P<d>[0-3]?\d)", lambda: digit_runs(text)):
            iso = iso_date(m.group("d"), m.group("m"), m.group("y"))
            if iso and not taken.any(*m.span()):
                taken.add(*m.span())
                found.append(DateMention(start=m.start(), end=m.end(), text=m.group(0), date=iso, precision="day", year=int(m.group("y"))))
    for r in find_repaired_dates(text):
        hits = [d for d in found if d.start < r.end and r.start < d.end]
        if all(r.start <= d.start and d.end <= r.end and r.end - r.start > d.end - d.start for d in hits):
            found = [d for d in found if d not in hits]
            taken.remove_overlapping(r.start, r.end)
            taken.add(r.start, r.end)
            found.append(DateMention(start=r.start, end=r.end, text=text[r.start:r.end], date=r.date, precision="day", year=r.year))
    for m in compiled("dates", "date.month").finditer(text):
        month = int(m.group("m"))
        if 1 <= month <= 12 and not taken.any(*m.span()):
            taken.add(*m.span())
            found.append(DateMention(start=m.start(), end=m.end(), text=m.group(0), date=f"{m.group('y')}-{month:02d}", precision="month", year=int(m.group("y"))))
    for m in compiled("dates", "date.quarter").finditer(text):
        q = m.group("q")
        quarter = _ROMAN.get(q.upper(), int(q) if q.isdigit() else 0)
        if quarter and not taken.any(*m.span()):
            taken.add(*m.span())
            found.append(DateMention(start=m.start(), end=m.end(), text=m.group(0), date=f"{m.group('y')}-Q{quarter}", precision="quarter", year=int(m.group("y"))))
    return sorted(found, key=lambda d: d.start)


def find_years(text: str) -> list[YearMention]:
    """Years: base years ("so với năm 2022"), headings ("2.1. Năm 2024") and plain ones."""
    found: list[YearMention] = []
    taken: list[tuple[int, int]] = []
    for m in compiled("dates", "year.base").finditer(text):
        taken.append(m.span())
        found.append(YearMention(start=m.start(), end=m.end(), text=m.group(0), year=int(m.group("y")), role="base"))
    heading = rx(compiled("dates", "year.heading").pattern, regex.IGNORECASE | regex.MULTILINE)
    for m in heading.finditer(text):
        s, e = m.span("y")
        s = m.start("title")
        found.append(YearMention(start=s, end=e, text=text[s:e], year=int(m.group("y")), role="heading"))
        taken.append((s, e))
    fixed = Overlaps(taken)
    for m in compiled("dates", "year.plain").finditer(text):
        if fixed.any(*m.span()):
            continue
        before = text[max(0, m.start() - 12):m.start()]
        role = "until" if rx(r"(?:đến|tới)(?:\s+hết)?\s*$", regex.IGNORECASE).search(before) else "year"  # "Đến năm 2026, …"
        if rx(r"(?<!\p{L})từ\s*$", regex.IGNORECASE).search(before) \
                and rx(r"\s*(?:đến|tới)\s+(?:nay|hiện\s+nay|thời\s+điểm\s+(?:này|hiện\s+tại))(?!\p{L})", regex.IGNORECASE).match(text, m.end()):
            role = "since"  # "Từ năm 2022 đến nay, … đã tinh giản 1.023 người": a running total since, not that year's
        found.append(YearMention(start=m.start(), end=m.end(), text=m.group(0), year=int(m.group("y")), role=role))
    return sorted(found, key=lambda y: y.start)


def find_periods(text: str) -> list[Period]:
    """Periods of years; ``label`` is ``2022-2026`` or ``-2026`` when only the end is stated."""
    found: list[Period] = []
    taken = Disjoint()
    for entry_id in ("period.from_to", "period.range"):
        matches = (
            finditer_from("dates", entry_id, text, _RANGE_OPENING, lambda: _range_starts(text))
            if entry_id == "period.range"
            else compiled("dates", entry_id).finditer(text)
        )
        for m in matches:
            if taken.any(*m.span()):
                continue
            a, b = int(m.group("a")), int(m.group("b"))
            taken.add(*m.span())
            found.append(Period(start=m.start(), end=m.end(), text=m.group(0), start_year=a, end_year=b, label=f"{a}-{b}"))
    for m in compiled("dates", "period.until").finditer(text):
        if taken.any(*m.span()):
            continue
        b = int(m.group("b"))
        taken.add(*m.span())
        found.append(Period(start=m.start(), end=m.end(), text=m.group(0), start_year=None, end_year=b, label=f"-{b}"))
    return sorted(found, key=lambda p: p.start)


def _range_starts(text: str) -> list[int]:
    """Where period.range can match (``_RANGE_OPENING``): at "2022 - 2026" (a case-free
    scan, fast) or at the lead word just before one."""
    starts: set[int] = set()
    for at in match_starts(_YEAR_RANGE, text):
        lead = _LEAD_BEFORE.match(text, 0, at)
        if lead is not None:
            starts.add(lead.start())
        starts.add(at)
    return sorted(starts)


def find_missing_years(text: str) -> list[tuple[int, int]]:
    """Spans of "đến hết năm" not followed by a year (the year is missing)."""
    return [m.span() for m in compiled("dates", "period.until_missing_year").finditer(text)]
