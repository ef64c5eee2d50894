"""A directive's own header: the issuing body printed in capitals ("TỈNH ỦY LONG AN")
and the place and date line ("Bình Định, ngày 20 tháng 9 năm 2023")."""

from __future__ import annotations

from functools import cache

import regex

from extractor.gazetteer import find_province
from extractor.models import DateMention
from extractor.patterns import compiled, entries, rx
from extractor.rules.dates import find_dates

HEADER_CHARS = 1500


@cache
def _bodies() -> list[tuple[regex.Pattern[str], str]]:
    return [(compiled("header_bodies", e.id), str(getattr(e, "name"))) for e in entries("header_bodies")]


def _is_capitals(line: str) -> bool:
    letters = [c for c in line if c.isalpha()]
    return len(letters) >= 4 and all(c.isupper() for c in letters)


def _named_place(rest: str) -> str | None:
    """The place a capitals header names after TỈNH / THÀNH PHỐ when no gazetteer knows it."""
    m = rx(r"^(?:TỈNH|THÀNH\s+PHỐ)\s+(\p{Lu}[\p{Lu}\s]{1,40})$").match(rest.strip())
    return " ".join(w.capitalize() for w in m.group(1).split()) if m else None


def header_issuer(text: str) -> str | None:
    """The issuing body named in capitals in the first lines, in running-text spelling."""
    for line in text[:HEADER_CHARS].split("\n")[:15]:
        rest = line.strip()
        if not _is_capitals(rest):
            continue
        names: list[str] = []
        while True:
            found = next(((p.match(rest), name) for p, name in _bodies() if p.match(rest)), None)
            if found is None or found[0] is None:
                break
            names.append(found[1])
            rest = rest[found[0].end():].strip()
        if names:
            place = find_province(" ".join(w.capitalize() for w in rest.split())) or _named_place(rest)
            if place and names[-1] in ("Tỉnh ủy", "Thành ủy", "Huyện ủy"):
                names.append(place)
            elif place and names[-1] in ("Ủy ban nhân dân", "Hội đồng nhân dân"):
                names.append(f"tỉnh {place}")
            return " ".join(names)
    return None


def header_date(text: str) -> DateMention | None:
    """The first full date in the header ("…, ngày 11 tháng 8 năm 2023")."""
    return next((d for d in find_dates(text[:HEADER_CHARS]) if d.precision == "day"), None)
